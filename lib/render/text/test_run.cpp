// SPDX-License-Identifier: MIT
// `ecrlp test` for a person: per case file PASS or FAIL per case, failed expectations indented,
// then the counts (docs/policy-tests.md).

#include <string>
#include <string_view>

#include "render/text/text.hpp"

namespace ecrlp::writer::text {
namespace {

/// `text` with every line indented by `indent` (the last newline is kept, none added).
void put_indented(output& out, std::string_view text, std::string_view indent) {
  bool at_line_start = true;
  for (const char c : text) {
    if (at_line_start && c != '\n') out.put(indent);
    out.put(c);
    at_line_start = c == '\n';
  }
}

}  // namespace

void write(output& out, const test_run_document& doc, const render_options&) {
  using status = test_case_result::status;
  std::size_t passed = 0;
  std::size_t failed = 0;
  for (const auto& f : doc.files) {
    out.format("{}\n", f.file);
    if (f.unusable) {
      out.format("  FAIL  {} (see the diagnostics above)\n", f.summary);
      ++failed;
      continue;
    }
    for (const auto& c : f.cases) {
      switch (c.outcome) {
        case status::passed:
          ++passed;
          out.format("  PASS  {}\n", c.name);
          break;
        case status::error:
          ++failed;
          out.format("  FAIL  {}\n        {} (see the diagnostics above)\n", c.name, c.summary);
          break;
        case status::failed:
          ++failed;
          out.format("  FAIL  {} ({})\n", c.name, c.summary);
          put_indented(out, c.details, "        ");
          break;
      }
    }
  }
  out.format("\n{} passed, {} failed\n", passed, failed);
}

}  // namespace ecrlp::writer::text
