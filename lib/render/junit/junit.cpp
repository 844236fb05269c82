// SPDX-License-Identifier: MIT
// Policy unit test results as JUnit XML: one <testsuite> per case file, one <testcase> per case
// (docs/policy-tests.md#ci).

#include <algorithm>
#include <filesystem>
#include <string>

#include "render/junit/junit.hpp"
#include "render/markup.hpp"

namespace ecrlp::writer::junit {
namespace {

std::string xml(std::string_view s) { return escape_markup(s, apostrophe::named); }

/// One <testcase>: passed (empty), or with an <error> (could not run) or a <failure>.
void test_case(output& out, std::string_view classname, std::string_view name, bool error,
               bool passed, std::string_view summary, std::string_view details) {
  out.format("    <testcase classname=\"{}\" name=\"{}\"", xml(classname), xml(name));
  if (passed) {
    out.put("/>\n");
    return;
  }
  const std::string_view element = error ? "error" : "failure";
  out.format(">\n      <{0} message=\"{1}\" type=\"{2}\">{3}</{0}>\n    </testcase>\n", element,
             xml(summary), error ? "unusable input" : "expectation", xml(details));
}

}  // namespace

void write(output& out, const test_run_document& doc, const render_options&) {
  using status = test_case_result::status;
  std::size_t tests = 0;
  std::size_t failures = 0;
  std::size_t errors = 0;
  for (const auto& f : doc.files) {
    tests += f.unusable ? 1 : f.cases.size();
    errors += f.unusable ? 1 : 0;
    for (const auto& c : f.cases) {
      errors += c.outcome == status::error ? 1U : 0U;
      failures += c.outcome == status::failed ? 1U : 0U;
    }
  }
  out.put("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
  out.format("<testsuites name=\"ecrlp test\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n",
             tests, failures, errors);
  for (const auto& f : doc.files) {
    std::size_t f_failures = 0;
    std::size_t f_errors = f.unusable ? 1 : 0;
    for (const auto& c : f.cases) {
      f_errors += c.outcome == status::error ? 1U : 0U;
      f_failures += c.outcome == status::failed ? 1U : 0U;
    }
    // classname: the file's stem, dots replaced so that CI tools do not read it as a package.
    std::string classname = std::filesystem::path(f.file).stem().string();
    std::replace(classname.begin(), classname.end(), '.', '_');
    out.format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\">\n", xml(f.file),
               f.unusable ? 1 : f.cases.size(), f_failures, f_errors);
    if (f.unusable) test_case(out, classname, f.file, true, false, f.summary, f.details);
    for (const auto& c : f.cases) {
      test_case(out, classname, c.name, c.outcome == status::error,
                c.outcome == status::passed, c.summary, c.details);
    }
    out.put("  </testsuite>\n");
  }
  out.put("</testsuites>\n");
}

}  // namespace ecrlp::writer::junit
