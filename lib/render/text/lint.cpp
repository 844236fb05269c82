// SPDX-License-Identifier: MIT
// `ecrlp lint` for a person: compiler-style lines with a fix each, and a count (docs/lint.md).

#include <string>

#include "document/phrases.hpp"
#include "render/text/text.hpp"

namespace ecrlp::writer::text {

void write(output& out, const lint_document& doc, const render_options& options) {
  std::size_t errors = 0;
  for (const auto& f : doc.findings) {
    diagnostic d = f.diag;
    d.file = std::string(doc.file);
    write(out, diagnostics_document{std::span<const diagnostic>(&d, 1)}, options);
    out.format("    fix: {}\n", f.fix);
    errors += d.level == severity::error ? 1U : 0U;
  }
  const std::size_t warnings = doc.findings.size() - errors;
  if (doc.findings.empty()) {
    out.format("{}: no findings\n", doc.file);
  } else {
    out.format("{}: {} error{}, {} warning{}\n", doc.file, errors, detail::plural_s(errors),
               warnings, detail::plural_s(warnings));
  }
}

void write(output& out, const registry_lint_document& doc, const render_options& options) {
  bool first = true;
  for (const auto& r : doc.repositories) {
    const std::string_view what = doc.by_policy ? "Policy" : "Repository";
    if (!r.has_policy) {
      out.format("{}{} {}: no lifecycle policy\n", first ? "" : "\n", what, r.name);
    } else {
      out.format("{}{} {}\n", first ? "" : "\n", what, r.name);
      write(out, lint_document{r.findings, r.file}, options);
    }
    first = false;
  }
}

}  // namespace ecrlp::writer::text
