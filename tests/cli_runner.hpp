// SPDX-License-Identifier: MIT
#pragma once

// The CLI run in-process for the tests: ecrlp::cli::run (lib/cli/app.hpp), the same code path as
// the binary, with stdout and stderr captured. Needs ecrlp-cli-core (ECRLP_HAVE_CLI).

#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "app.hpp"

namespace cli_runner {

/// What one run of the command gave: exit status, stdout, stderr.
struct cli_output {
  int status = -1;
  std::string out;
  std::string err;
};

/// Runs `ecrlp ARGS...` in-process. The streams are made here, after any std::locale::global()
/// of the caller, so that they use that locale as the binary's would.
inline cli_output run_cli(std::span<const std::string_view> args) {
  std::ostringstream out;
  std::ostringstream err;
  const int status = ecrlp::cli::run(args, out, err);
  return {status, out.str(), err.str()};
}

inline cli_output run_cli(const std::vector<std::string>& args) {
  const std::vector<std::string_view> views(args.begin(), args.end());
  return run_cli(std::span<const std::string_view>(views));
}

}  // namespace cli_runner
