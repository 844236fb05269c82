// SPDX-License-Identifier: MIT
// `ecrlp lint` as markdown: one table of findings per policy.

#include "render/markdown/report.hpp"

#include <algorithm>

#include "document/explanation.hpp"
#include "document/simulation.hpp"

namespace ecrlp::writer::markdown {

// ---- lint -------------------------------------------------------------------------------------

namespace {

void lint_into(report& r, const lint_document& doc, std::string_view heading) {
  std::size_t errors = 0;
  for (const auto& f : doc.findings) errors += f.diag.level == severity::error ? 1U : 0U;
  r.format("{} {}: {} error{}, {} warning{}\n\n", heading, code(doc.file), errors, plural_s(errors),
           doc.findings.size() - errors, plural_s(doc.findings.size() - errors));
  if (doc.findings.empty()) {
    r.put("No findings.\n\n");
    return;
  }
  r.add({"Findings", false,
         table_head({{"Level"}, {"Code"}, {"Rule", true}, {"Where"}, {"Finding"}, {"Fix"}}),
         doc.findings.size(),
         [doc](std::size_t k) {
           const lint_finding& f = doc.findings[k];
           return table_row({f.diag.level == severity::error ? "**error**" : "warning",
                             code(f.diag.code),
                             f.rule_priority ? std::to_string(*f.rule_priority) : "",
                             code(f.diag.pointer), md(f.diag.message), md(f.fix)});
         },
         "`--format text` lists every finding"});
}

}  // namespace

void write(output& out, const lint_document& doc, const render_options& options) {
  report r(options);
  lint_into(r, doc, "## Lint of");
  r.write(out);
}

void write(output& out, const registry_lint_document& doc, const render_options& options) {
  report r(options);
  const std::string_view what = doc.by_policy ? "Policy" : "Repository";
  r.put(doc.by_policy ? "## Lint of every policy\n\n" : "## Lint of every repository's policy\n\n");
  for (const auto& repo : doc.repositories) {
    if (!repo.has_policy) {
      r.format("### {} {}: no lifecycle policy\n\n", what, code(repo.name));
      continue;
    }
    // A policy of infrastructure code is named by its file and address alone.
    lint_into(r, lint_document{repo.findings, repo.file},
              doc.by_policy ? std::string("### Policy") : "### Repository " + code(repo.name) + ":");
  }
  r.write(out);
}

}  // namespace ecrlp::writer::markdown
