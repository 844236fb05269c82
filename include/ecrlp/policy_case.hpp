// SPDX-License-Identifier: MIT
#pragma once

/// Case files: unit tests for a lifecycle policy, written in JSON (docs/policy-tests.md). A case
/// names a policy file, an instant `now`, a small repository written for people and the fate
/// expected for some of its images. `ecrlp test` runs them; so can any program, with
/// load_case_file() and run_case().

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/testing.hpp>
#include <ecrlp/time.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecrlp {

/// One entry of a case's `expect` list, for one image (an entry naming several images yields
/// one case_expectation each).
struct case_expectation {
  testing::image_ref subject;  ///< the image, by name or by tag
  fate expected = fate::keep;
  /// Which rule must own (kept) or act on (expired, transitioned) the image.
  testing::expectation::rule_requirement rule = testing::expectation::rule_requirement::any;
  std::int64_t rule_priority = 0;  ///< the rulePriority, when `rule` is `priority`
  std::string pointer;             ///< JSON pointer of the entry in the case file
};

/// One test case: a policy, an instant, a repository and expectations.
struct policy_case {
  std::string name;              ///< `name` (a single-case file without one: the file's stem)
  std::string description;       ///< `description`, may be empty
  std::string policy_text;       ///< the `policy` member as written
  std::filesystem::path policy;  ///< the policy file, resolved against the case file's directory
  testing::repository_builder repository{timestamp{}};  ///< the images; repository.now() is `now`
  std::vector<case_expectation> expectations;
  std::string pointer;  ///< JSON pointer of the case in its file ("" for a single-case file)
};

/// The cases of one file, in file order.
struct case_file {
  std::string file;  ///< the name given to the parser (a path, or a label such as "<string>")
  std::vector<policy_case> cases;
};

/// Parses a case file. `base_directory` is where relative policy paths start (the case file's
/// directory). Collects every problem with a stable `case.*` code, the file name and a JSON
/// pointer (JSON syntax errors: line and column); `value` is set only when there is no error.
/// Never throws except std::bad_alloc.
[[nodiscard]] parse_result<case_file> parse_case_file(
    std::string_view text, std::string_view source_name = "<string>",
    const std::filesystem::path& base_directory = {});

/// Reads `path` and parses it as parse_case_file() does, with relative policy paths resolved
/// against the file's directory. A file that cannot be read gives `io.read` (`io.too_large` past
/// 16 MiB). `-` reads standard input (policy paths then resolve against the working directory).
[[nodiscard]] parse_result<case_file> load_case_file(const std::filesystem::path& path);

/// An expectation of a case that did not hold.
struct case_failure {
  std::size_t index = 0;       ///< into policy_case::expectations
  testing::expectation check;  ///< its message explains the image's fate
};

/// The outcome of running one case.
struct case_outcome {
  std::size_t checked = 0;             ///< expectations checked
  std::vector<case_failure> failures;  ///< those that did not hold, in case order
  std::vector<diagnostic> warnings;    ///< from the evaluation (evaluation_result::warnings)

  /// True when every expectation held.
  [[nodiscard]] bool passed() const noexcept { return failures.empty(); }
};

/// Evaluates `policy` (the case's policy file, already loaded) over the case's repository at its
/// `now` and checks every expectation.
[[nodiscard]] inline case_outcome run_case(const policy_case& c, const lifecycle_policy& policy) {
  const auto run = testing::run(policy, c.repository);
  case_outcome out;
  out.warnings = run.evaluation().warnings;
  for (std::size_t i = 0; i < c.expectations.size(); ++i) {
    const case_expectation& e = c.expectations[i];
    auto check = run.expect(e.subject, e.expected);
    if (e.rule == testing::expectation::rule_requirement::priority) {
      check = check.by_rule(e.rule_priority);
    } else if (e.rule == testing::expectation::rule_requirement::none) {
      check = check.by_no_rule();
    }
    ++out.checked;
    if (!check) out.failures.push_back({i, std::move(check)});
  }
  return out;
}

}  // namespace ecrlp
