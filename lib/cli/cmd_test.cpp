// SPDX-License-Identifier: MIT
#include "commands.hpp"

#include <ecrlp/policy_case.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/report.hpp>
#include <ecrlp/testing.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view test_help = R"(Usage: ecrlp test [--junit FILE] [--format text] CASE...

Runs unit tests of lifecycle policies. Each CASE file names a policy file, an instant `now`, a
small repository written for people and the fate expected for some of its images (kept, expired or
transitioned, optionally by a given rule). The format is described in docs/policy-tests.md.

Prints every case as PASS or FAIL; for each failed expectation, what was expected, what happened
and the explanation of the image's fate. The last line is `N passed, M failed` (a case file or
policy that cannot be used counts as a failure).

Options:
  --junit FILE         Also write the results as JUnit XML to FILE, for CI systems.
  --format text        The report's format (text is the only one).
  -h, --help           Show this help.

Exit status: 0 every case passed, 1 a case failed or a case file or policy is invalid,
2 usage error, 3 a file could not be read or the JUnit file could not be written.
)";

/// One test case's result, for the text and JUnit reports.
struct case_report {
  std::string name;
  bool passed = false;
  bool error = false;   ///< could not run (invalid case file or policy)
  std::string summary;  ///< one line: why it failed
  std::string details;  ///< failure or error text
};

/// The results of one case file.
struct file_report {
  std::string file;
  std::vector<case_report> cases;
};

/// Text with every line indented by `indent` (the last newline is kept, none added).
std::string indent_lines(std::string_view text, std::string_view indent) {
  std::string out;
  bool at_line_start = true;
  for (const char c : text) {
    if (at_line_start && c != '\n') out += indent;
    out.push_back(c);
    at_line_start = c == '\n';
  }
  return out;
}

/// XML text with `&<>"'` escaped, and every byte sequence XML 1.0 cannot hold (control
/// characters other than tab, newline and return; malformed UTF-8; U+FFFE, U+FFFF) replaced with
/// U+FFFD.
std::string xml_escape(std::string_view s) {
  constexpr std::string_view replacement = "\xEF\xBF\xBD";
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      switch (b0) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&apos;";
          break;
        default:
          if (b0 < 0x20 && b0 != '\t' && b0 != '\n' && b0 != '\r') {
            out += replacement;
          } else {
            out.push_back(static_cast<char>(b0));
          }
      }
      ++i;
      continue;
    }
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
      cp = b0 & 0x1FU;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      cp = b0 & 0x0FU;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      cp = b0 & 0x07U;
    }
    bool ok = len != 0 && i + len <= s.size();
    for (std::size_t k = 1; ok && k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0U) != 0x80U) {
        ok = false;
      } else {
        cp = (cp << 6U) | (b & 0x3FU);
      }
    }
    const std::uint32_t min_for_len = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    ok = ok && cp >= min_for_len && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF) &&
         cp != 0xFFFE && cp != 0xFFFF;
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += replacement;
      ++i;
    }
  }
  return out;
}

/// JUnit XML for every file: one <testsuite> per case file, one <testcase> per case.
std::string render_junit(const std::vector<file_report>& files) {
  std::size_t tests = 0;
  std::size_t failures = 0;
  std::size_t errors = 0;
  for (const auto& f : files) {
    for (const auto& c : f.cases) {
      ++tests;
      if (c.error) {
        ++errors;
      } else if (!c.passed) {
        ++failures;
      }
    }
  }
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<testsuites name=\"ecrlp test\" tests=\"" + std::to_string(tests) + "\" failures=\"" +
       std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\">\n";
  for (const auto& f : files) {
    std::size_t f_failures = 0;
    std::size_t f_errors = 0;
    for (const auto& c : f.cases) {
      f_errors += c.error ? 1U : 0U;
      f_failures += !c.error && !c.passed ? 1U : 0U;
    }
    // classname: the file's stem, dots replaced so that CI tools do not read it as a package.
    std::string classname = std::filesystem::path(f.file).stem().string();
    std::replace(classname.begin(), classname.end(), '.', '_');
    x += "  <testsuite name=\"" + xml_escape(f.file) + "\" tests=\"" +
         std::to_string(f.cases.size()) + "\" failures=\"" + std::to_string(f_failures) +
         "\" errors=\"" + std::to_string(f_errors) + "\">\n";
    for (const auto& c : f.cases) {
      x += "    <testcase classname=\"" + xml_escape(classname) + "\" name=\"" +
           xml_escape(c.name) + "\"";
      if (c.passed) {
        x += "/>\n";
        continue;
      }
      const char* element = c.error ? "error" : "failure";
      x += ">\n      <" + std::string(element) + " message=\"" + xml_escape(c.summary) +
           "\" type=\"" + (c.error ? "unusable input" : "expectation") + "\">" +
           xml_escape(c.details) + "</" + element + ">\n    </testcase>\n";
    }
    x += "  </testsuite>\n";
  }
  x += "</testsuites>\n";
  return x;
}

/// Policies by path, each loaded (and its diagnostics printed) once.
class policy_cache {
 public:
  struct entry {
    std::optional<parsed_policy> policy;
    std::string diagnostics;  ///< rendered, for reports
  };

  const entry& get(const std::filesystem::path& path, std::ostream& err, int& status) {
    const std::string key = path.string();
    if (const auto it = entries_.find(key); it != entries_.end()) return it->second;
    auto parsed = load_policy(path);
    entry e;
    e.diagnostics = render_diagnostics_text(parsed.diagnostics);
    err << e.diagnostics;
    status = std::max(status, status_for(parsed.diagnostics));
    if (parsed.ok()) {
      e.policy = std::move(parsed.value);
    } else {
      status = std::max(status, static_cast<int>(exit_invalid));
    }
    return entries_.emplace(key, std::move(e)).first->second;
  }

 private:
  std::map<std::string, entry> entries_;
};

}  // namespace

int cmd_test(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  static constexpr option_spec specs[] = {{"junit"}, {"format"}};
  command_line cl;
  if (auto e = parse_command_line(args, specs, cl)) return usage_error(err, "test", *e);
  if (cl.help) {
    out << test_help;
    return exit_ok;
  }
  if (auto e = check_format(cl.get("format"), {"text"})) return usage_error(err, "test", *e);
  if (cl.positional.empty()) return usage_error(err, "test", "no CASE file given");
  const auto junit = cl.get("junit");
  if (junit && junit->empty()) return usage_error(err, "test", "--junit needs a file name");

  int status = exit_ok;
  std::size_t passed = 0;
  std::size_t failed = 0;
  std::vector<file_report> reports;
  policy_cache policies;

  for (const auto& path : cl.positional) {
    file_report report;
    report.file = path;
    const auto loaded = load_case_file(path);
    const std::string diags = render_diagnostics_text(loaded.diagnostics);
    err << diags;
    out << path << "\n";
    if (!loaded.ok()) {
      status = std::max({status, status_for(loaded.diagnostics), static_cast<int>(exit_invalid)});
      const bool unreadable = status_for(loaded.diagnostics) == exit_io;
      case_report r;
      r.name = path;
      r.error = true;
      r.summary = unreadable ? "the case file could not be read" : "the case file is invalid";
      r.details = diags;
      out << "  FAIL  " << r.summary << " (see the diagnostics above)\n";
      ++failed;
      report.cases.push_back(std::move(r));
      reports.push_back(std::move(report));
      continue;
    }
    for (const auto& c : loaded.value->cases) {
      case_report r;
      r.name = c.name;
      const auto& entry = policies.get(c.policy, err, status);
      if (!entry.policy) {
        r.error = true;
        r.summary = "policy " + c.policy.string() + " could not be loaded";
        r.details = entry.diagnostics;
        out << "  FAIL  " << c.name << "\n        " << r.summary
            << " (see the diagnostics above)\n";
        ++failed;
        report.cases.push_back(std::move(r));
        continue;
      }
      const auto outcome = run_case(c, entry.policy->policy);
      err << render_diagnostics_text(outcome.warnings);
      r.passed = outcome.passed();
      if (r.passed) {
        ++passed;
        out << "  PASS  " << c.name << "\n";
      } else {
        ++failed;
        r.summary = std::to_string(outcome.failures.size()) + " of " +
                    std::to_string(outcome.checked) + " expectation" +
                    (outcome.checked == 1 ? "" : "s") + " failed";
        out << "  FAIL  " << c.name << " (" << r.summary << ")\n";
        for (const auto& f : outcome.failures) {
          std::string text =
              path + ":" + c.expectations[f.index].pointer + ": " + f.check.message();
          if (!text.ends_with('\n')) text.push_back('\n');
          r.details += text;
          out << indent_lines(text, "        ");
        }
      }
      report.cases.push_back(std::move(r));
    }
    reports.push_back(std::move(report));
  }

  out << "\n" << passed << " passed, " << failed << " failed\n";

  if (junit) {
    std::ofstream file(*junit, std::ios::binary | std::ios::trunc);
    file << render_junit(reports);
    file.flush();
    if (!file) {
      err << "ecrlp test: cannot write the JUnit report to " << *junit << "\n";
      status = std::max(status, static_cast<int>(exit_io));
    }
  }
  if (failed > 0) status = std::max(status, static_cast<int>(exit_invalid));
  return status;
}

}  // namespace ecrlp::cli
