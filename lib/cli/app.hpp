// SPDX-License-Identifier: MIT
#pragma once

#include <iosfwd>
#include <span>
#include <string_view>

namespace ecrlp::cli {

/// Exit codes of the ecrlp command (docs/cli.md).
enum exit_code : int {
  exit_ok = 0,       ///< success; for validate: every policy valid
  exit_invalid = 1,  ///< an invalid policy or inventory
  exit_usage = 2,    ///< bad command line
  exit_io = 3,       ///< a file could not be read
  exit_in_use = 4,   ///< `--fail-on-in-use` and an in-use image would be expired or transitioned
  exit_limit = 5,    ///< plan-check: a `--max-removed` or `--max-removed-bytes` limit is exceeded
};

/// What each exit code means, in order, for ecrlp(1) (lib/cli/docs.cpp) and docs/cli.md.
struct exit_code_doc {
  exit_code code;
  std::string_view meaning;
};
inline constexpr exit_code_doc exit_code_docs[] = {
    {exit_ok,
     "Success; for validate, every policy is valid; for lint, no finding at or above --fail-on; "
     "for test, every case passed."},
    {exit_invalid,
     "An invalid policy, inventory or case file (the problems are printed); a lint finding at or "
     "above --fail-on; a failed test case; an --image or --watch key that names no image; with "
     "--registry, a repository whose files have errors (it is skipped, the others are reported)."},
    {exit_usage, "Usage error: an unknown command or option, a missing or bad argument."},
    {exit_io, "A file could not be read (or, for test --junit, written)."},
    {exit_in_use,
     "With --fail-on-in-use (preview, simulate, plan-check): an in-use image would be expired or "
     "transitioned; the whole report is printed first."},
    {exit_limit,
     "plan-check: a change newly expires more than --max-removed PERCENT of its repository's "
     "images, or the plan more than --max-removed-bytes N; the whole report is printed first."},
};

/// Runs the command line `args` (without the program name), writing results to `out` and
/// diagnostics to `err`. Pure apart from reading the named files and, when `--now` is absent, the
/// system clock; never exits the process.
[[nodiscard]] int run(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

}  // namespace ecrlp::cli
