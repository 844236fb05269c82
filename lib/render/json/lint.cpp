// SPDX-License-Identifier: MIT
// `ecrlp lint` as JSON: `{"file", "errors", "warnings", "findings": [...]}` (docs/lint.md), each
// finding a diagnostic object as `validate --format json` prints it, plus `fix` and
// `rulePriority`; per repository with --registry.

#include <string>

#include "render/json/json.hpp"
#include "render/json/parts.hpp"

namespace ecrlp::writer::json {
namespace {

void lint_object(json_writer& w, const lint_document& doc) {
  std::size_t errors = 0;
  for (const auto& f : doc.findings) errors += f.diag.level == severity::error ? 1U : 0U;
  w.begin_object();
  w.key("file").string(doc.file);
  w.key("errors").number(errors);
  w.key("warnings").number(doc.findings.size() - errors);
  w.key("findings").begin_array();
  for (const auto& f : doc.findings) {
    diagnostic d = f.diag;
    d.file = std::string(doc.file);
    diagnostic_members_of(w, d, diagnostic_members::full);
    w.key("fix").string(f.fix);
    if (f.rule_priority) {
      w.key("rulePriority").number(*f.rule_priority);
    } else {
      w.key("rulePriority").null();
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

}  // namespace

void write(output& out, const lint_document& doc, const render_options&) {
  json_writer w(out, 2);
  lint_object(w, doc);
  w.finish();
  out.put('\n');
}

void write(output& out, const registry_lint_document& doc, const render_options&) {
  json_writer w(out, 2);
  w.begin_object();
  w.key(doc.by_policy ? "policies" : "repositories").begin_array();
  for (const auto& r : doc.repositories) {
    if (!r.has_policy) continue;
    w.begin_object();
    w.key(doc.by_policy ? "address" : "repositoryName").string(r.name);
    lint_object(w.key("lint"), lint_document{r.findings, r.file});
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.finish();
  out.put('\n');
}

}  // namespace ecrlp::writer::json
