// SPDX-License-Identifier: MIT
// `ecrlp explain` as markdown: one nested list item per image, in-use images removed first.

#include "render/markdown/report.hpp"

#include <algorithm>

#include "document/explanation.hpp"
#include "document/simulation.hpp"

namespace ecrlp::writer::markdown {

// ---- explain ----------------------------------------------------------------------------------

namespace {

/// One image's explanation as a list item with its lines nested.
std::string explanation_item(const explain_document& doc, std::size_t i) {
  const explainer& ex = doc.explanation;
  const image_explanation e = ex.explain(i);
  const auto lines = detail::explanation_lines(ex, e);
  std::string out = fmt::format("- {} ({}): **{}**\n", code(ex.images()[i].digest),
                                tags(ex.images()[i]), md(lines.size() > 1 ? lines[1] : ""));
  for (std::size_t k = 0; k < lines.size(); ++k) {
    if (k == 1) continue;
    // A tag-match line (indented under its rule's sentence) nests under it.
    if (lines[k].starts_with("  ")) {
      out += fmt::format("    - {}\n", md(lines[k].substr(2)));
    } else {
      out += fmt::format("  - {}\n", md(lines[k]));
    }
  }
  if (doc.in_use != nullptr) {
    const std::string s = detail::in_use_sentence(ex, *doc.in_use, i, e.action);
    if (!s.empty()) out += fmt::format("  - **{}**\n", md(s));
  }
  return out;
}

void explain_into(report& r, const explain_document& doc, std::string_view heading) {
  const explainer& ex = doc.explanation;
  std::size_t counts[3] = {0, 0, 0};
  std::vector<std::size_t> order;  // in-use images removed first, then the others as asked
  std::vector<std::size_t> rest;
  for (const std::size_t i : doc.images) {
    const fate action = ex.explain(i).action;
    ++counts[static_cast<std::size_t>(action)];
    const bool violation = doc.in_use != nullptr && action != fate::keep &&
                           i < doc.in_use->matches.size() && doc.in_use->matches[i].in_use();
    (violation ? order : rest).push_back(i);
  }
  const std::size_t violations = order.size();
  order.insert(order.end(), rest.begin(), rest.end());
  r.format("{} at {}: {} of {} images, {} rule{}\n\n", heading, format_timestamp(ex.now()),
           group_digits(doc.images.size()), group_digits(ex.images().size()),
           ex.policy().rules.size(), plural_s(ex.policy().rules.size()));
  if (violations > 0) {
    r.format("### :warning: IN USE: {} explained image{} in use would be removed\n\n",
             group_digits(violations), plural_s(violations));
  }
  r.format("**{}** kept, **{}** expired, **{}** transitioned.\n\n",
           group_digits(counts[static_cast<std::size_t>(fate::keep)]),
           group_digits(counts[static_cast<std::size_t>(fate::expire)]),
           group_digits(counts[static_cast<std::size_t>(fate::transition)]));
  r.add({"Explanations", true, "", order.size(),
         [doc, order](std::size_t k) { return explanation_item(doc, order[k]); },
         "`--format text` explains every image"});
}

}  // namespace

void write(output& out, const explain_document& doc, const render_options& options) {
  report r(options);
  explain_into(r, doc, "## Explanation");
  r.write(out);
}

void write(output& out, const registry_explain_document& doc, const render_options& options) {
  report r(options);
  for (const auto& repo : doc.repositories) {
    explain_into(r, repo.document, "## Repository " + code(repo.name) + ": explanation");
  }
  if (doc.repositories.empty()) r.put("No repository to explain.\n");
  r.write(out);
}

}  // namespace ecrlp::writer::markdown
