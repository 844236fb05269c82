// SPDX-License-Identifier: MIT
#include "app.hpp"

#include <ostream>
#include <string>

#include "build_info.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "options.hpp"

namespace ecrlp::cli {

int run(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << main_help();
    return exit_usage;
  }
  const std::string_view name = args.front();
  if (name == "-h" || name == "--help" || name == "help") {
    out << main_help();
    return exit_ok;
  }
  if (name == "--version" || name == "version") {
    out << version_text();
    return exit_ok;
  }
  const command_def* cmd = find_command(name);
  if (cmd == nullptr) return usage_error(err, "", "unknown command '" + std::string(name) + "'");
  command_line cl;
  if (auto e = parse_command_line(*cmd, args.subspan(1), cl)) return usage_error(err, name, *e);
  if (cl.help) {
    out << command_help(*cmd);
    return exit_ok;
  }
  return cmd->run(cl, out, err);
}

}  // namespace ecrlp::cli
