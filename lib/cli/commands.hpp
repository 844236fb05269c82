// SPDX-License-Identifier: MIT
#pragma once

// Every `ecrlp` command: its tables (options.hpp) and its run function, one file each
// (lib/cli/cmd_NAME.cpp).

#include "options.hpp"

namespace ecrlp::cli {

extern const command_def validate_command;
extern const command_def preview_command;
extern const command_def test_command;
extern const command_def explain_command;
extern const command_def diff_command;
extern const command_def lint_command;
extern const command_def simulate_command;
extern const command_def plan_check_command;

}  // namespace ecrlp::cli
