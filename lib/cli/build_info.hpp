// SPDX-License-Identifier: MIT
#pragma once

// What `ecrlp --version` says: the version, the commit it was built from and the versions of the
// libraries it was built with (for bug reports). The dependency versions live here, in the
// command, and not in <ecrlp/version.hpp>: the library's headers name no dependency.

#include <string>

namespace ecrlp::cli {

/// `git describe --always --dirty` of the source tree when the command was built, or "unknown"
/// (not a git checkout, or no git). Generated at build time by cmake/git-commit.cmake.
extern const char build_commit[];

/// The `--version` text: "ecrlp 0.1.0 (commit abc1234)\nsimdjson 3.0.1, fmt 9.1.0, ...\n".
[[nodiscard]] std::string version_text();

}  // namespace ecrlp::cli
