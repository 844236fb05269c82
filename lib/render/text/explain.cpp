// SPDX-License-Identifier: MIT
// `ecrlp explain` for a person: per image its digest, then a sentence per fact (docs/explain.md).

#include <string>

#include "document/explanation.hpp"
#include "document/phrases.hpp"
#include "render/text/text.hpp"

namespace ecrlp::writer::text {

void write(output& out, const explain_document& doc, const render_options&) {
  const explainer& ex = doc.explanation;
  const std::size_t rules = ex.policy().rules.size();
  out.format("Explanation at {}: {} of {} images, {} rule{} (highest priority first)\n",
             format_timestamp(ex.now()), detail::group_digits(doc.images.size()),
             detail::group_digits(ex.images().size()), rules, detail::plural_s(rules));
  for (const std::size_t i : doc.images) {
    const image_explanation e = ex.explain(i);
    out.format("\n{}\n", ex.images()[i].digest);
    for (const auto& line : detail::explanation_lines(ex, e)) out.format("  {}\n", line);
    if (doc.in_use == nullptr) continue;
    const std::string in_use = detail::in_use_sentence(ex, *doc.in_use, i, e.action);
    if (!in_use.empty()) out.format("  {}\n", in_use);
  }
}

void write(output& out, const registry_explain_document& doc, const render_options& options) {
  bool first = true;
  for (const auto& r : doc.repositories) {
    out.format("{}Repository {}\n", first ? "" : "\n", r.name);
    write(out, r.document, options);
    first = false;
  }
}

}  // namespace ecrlp::writer::text
