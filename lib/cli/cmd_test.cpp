// SPDX-License-Identifier: MIT
// `ecrlp test`: unit tests of lifecycle policies, for CI (docs/policy-tests.md).

#include <ecrlp/policy_case.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/testing.hpp>

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "app.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "policy_input.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view usage[] = {"[--junit FILE] [--format text] CASE..."};

constexpr std::string_view formats[] = {"text"};

constexpr option_def option_table[] = {
    {"junit", "FILE", value_type::output,
     "Also write the results as JUnit XML to FILE, for CI systems."},
    {"format", "FORMAT", value_type::choice, "The report's format (text is the only one).", false,
     formats},
};

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
    // A policy file, or FILE#ADDRESS of one in infrastructure code (docs/iac.md).
    std::ostringstream diags;
    auto loaded = load_one_policy_reporting(key, policy_source_format::automatic, "test", diags,
                                            status);
    entry e;
    e.diagnostics = diags.str();
    err << e.diagnostics;
    if (loaded) {
      e.policy = std::move(loaded->policy);
    } else {
      status = std::max(status, static_cast<int>(exit_invalid));
    }
    return entries_.emplace(key, std::move(e)).first->second;
  }

 private:
  std::map<std::string, entry> entries_;
};

/// Runs one case with its policy.
test_case_result run_one(const std::string& path, const policy_case& c, policy_cache& policies,
                         std::ostream& err, int& status) {
  test_case_result r;
  r.name = c.name;
  const auto& entry = policies.get(c.policy, err, status);
  if (!entry.policy) {
    r.outcome = test_case_result::status::error;
    r.summary = "policy " + c.policy.string() + " could not be loaded";
    r.details = entry.diagnostics;
    return r;
  }
  const auto outcome = run_case(c, entry.policy->policy);
  report(err, outcome.warnings);
  if (outcome.passed()) return r;
  r.outcome = test_case_result::status::failed;
  r.summary = std::to_string(outcome.failures.size()) + " of " + std::to_string(outcome.checked) +
              " expectation" + (outcome.checked == 1 ? "" : "s") + " failed";
  for (const auto& f : outcome.failures) {
    std::string text = path + ":" + c.expectations[f.index].pointer + ": " + f.check.message();
    if (!text.ends_with('\n')) text.push_back('\n');
    r.details += text;
  }
  return r;
}

/// Runs every case of the file at `path`.
test_file_result run_file(const std::string& path, policy_cache& policies, std::ostream& err,
                          int& status) {
  test_file_result file;
  file.file = path;
  const auto loaded = load_case_file(path);
  const std::string diags = render(diagnostics_document{loaded.diagnostics}, output_format::text);
  err << diags;
  if (!loaded.ok()) {
    status = std::max({status, status_for(loaded.diagnostics), static_cast<int>(exit_invalid)});
    file.unusable = true;
    file.summary = status_for(loaded.diagnostics) == exit_io ? "the case file could not be read"
                                                             : "the case file is invalid";
    file.details = diags;
    return file;
  }
  for (const auto& c : loaded.value->cases) {
    file.cases.push_back(run_one(path, c, policies, err, status));
  }
  return file;
}

int run_test(const command_line& cl, std::ostream& out, std::ostream& err) {
  const auto junit = cl.get("junit");
  if (junit && junit->empty()) return usage_error(err, "test", "--junit needs a file name");
  int status = exit_ok;
  policy_cache policies;
  std::vector<test_file_result> files;
  for (const auto& path : cl.positional) files.push_back(run_file(path, policies, err, status));
  const test_run_document doc{files};
  render(out, doc, output_format::text);
  if (junit) {
    std::ofstream file(*junit, std::ios::binary | std::ios::trunc);
    render(file, doc, output_format::junit);
    file.flush();
    if (!file) {
      err << "ecrlp test: cannot write the JUnit report to " << *junit << "\n";
      status = std::max(status, static_cast<int>(exit_io));
    }
  }
  for (const auto& f : files) {
    const bool failed = f.unusable || std::any_of(f.cases.begin(), f.cases.end(), [](const auto& c) {
                          return c.outcome != test_case_result::status::passed;
                        });
    if (failed) status = std::max(status, static_cast<int>(exit_invalid));
  }
  return status;
}

}  // namespace

constexpr command_def test_command = {
    .name = "test",
    .summary = "Run unit tests of policies: case files of images and expected fates.",
    .usage = usage,
    .description =
        "Runs unit tests of lifecycle policies. Each CASE file names a policy file, an instant "
        "`now`, a\nsmall repository written for people and the fate expected for some of its "
        "images (kept, expired or\ntransitioned, optionally by a given rule). The format is "
        "described in docs/policy-tests.md.\n\n"
        "Prints every case as PASS or FAIL; for each failed expectation, what was expected, what "
        "happened\nand the explanation of the image's fate. The last line is `N passed, M "
        "failed` (a case file or\npolicy that cannot be used counts as a failure).\n",
    .options = option_table,
    .positional = {.name = "CASE", .min = 1, .max = static_cast<std::size_t>(-1), .unless = ""},
    .exit_status =
        "Exit status: 0 every case passed, 1 a case failed or a case file or policy is "
        "invalid,\n2 usage error, 3 a file could not be read or the JUnit file could not be "
        "written.\n",
    .run = run_test,
};

}  // namespace ecrlp::cli
