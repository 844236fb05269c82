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

/// Runs the command line `args` (without the program name), writing results to `out` and
/// diagnostics to `err`. Pure apart from reading the named files and, when `--now` is absent, the
/// system clock; never exits the process.
[[nodiscard]] int run(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

}  // namespace ecrlp::cli
