// SPDX-License-Identifier: MIT
#pragma once

// One function per `ecrlp` command; each takes the arguments after the command's name.

#include <iosfwd>
#include <span>
#include <string_view>

namespace ecrlp::cli {

[[nodiscard]] int cmd_validate(std::span<const std::string_view> args, std::ostream& out,
                               std::ostream& err);
[[nodiscard]] int cmd_preview(std::span<const std::string_view> args, std::ostream& out,
                              std::ostream& err);
[[nodiscard]] int cmd_test(std::span<const std::string_view> args, std::ostream& out,
                           std::ostream& err);
[[nodiscard]] int cmd_explain(std::span<const std::string_view> args, std::ostream& out,
                              std::ostream& err);
[[nodiscard]] int cmd_diff(std::span<const std::string_view> args, std::ostream& out,
                           std::ostream& err);
[[nodiscard]] int cmd_lint(std::span<const std::string_view> args, std::ostream& out,
                           std::ostream& err);
[[nodiscard]] int cmd_simulate(std::span<const std::string_view> args, std::ostream& out,
                               std::ostream& err);

}  // namespace ecrlp::cli
