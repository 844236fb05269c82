// SPDX-License-Identifier: MIT
#include "options.hpp"

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "commands.hpp"

namespace ecrlp::cli {
namespace {

constexpr const command_def* all_commands[] = {&validate_command, &preview_command,
                                               &test_command,     &explain_command,
                                               &diff_command,     &lint_command,
                                               &simulate_command, &plan_check_command};

/// "unknown --format 'xml' (expected table, json)" or "--mode takes replay or static, not 'x'".
std::string choice_error(const option_def& o, std::string_view value) {
  std::string list;
  for (std::size_t k = 0; k < o.choices.size(); ++k) {
    if (k != 0) list += o.name == "format" || k + 1 < o.choices.size() ? ", " : " or ";
    list += o.choices[k];
  }
  if (o.name == "format") return fmt::format("unknown --format '{}' (expected {})", value, list);
  return fmt::format("--{} takes {}, not '{}'", o.name, list, value);
}

std::string value_suffix(const command_def& cmd, std::string_view name) {
  const option_def* o = find_option(cmd, name);
  return o == nullptr || o->value.empty() ? std::string() : " " + std::string(o->value);
}

std::optional<std::string> check_rule(const command_def& cmd, const option_rule& r,
                                      const command_line& cl) {
  using kind = option_rule::kind;
  const bool has = cl.has(r.option);
  const bool other = !r.other.empty() && cl.has(r.other);
  std::string generated;
  switch (r.what) {
    case kind::required:
      if (has || other) return std::nullopt;
      generated = fmt::format("--{}{} is required", r.option, value_suffix(cmd, r.option));
      if (!r.other.empty()) {
        generated += fmt::format(" (or --{}{})", r.other, value_suffix(cmd, r.other));
      }
      break;
    case kind::needs:
      if (!has || other) return std::nullopt;
      generated = fmt::format("--{} needs --{}{}", r.option, r.other, value_suffix(cmd, r.other));
      break;
    case kind::excludes:
      if (!has || !other) return std::nullopt;
      generated = fmt::format("--{} and --{} cannot be used together", r.option, r.other);
      break;
  }
  return r.message.empty() ? generated : std::string(r.message);
}

std::optional<std::string> check_positional(const command_def& cmd, const command_line& cl) {
  const positional_def& p = cmd.positional;
  const std::size_t n = cl.positional.size();
  if (n > p.max) {
    if (p.max == 0) return "unexpected argument '" + cl.positional.front() + "'";
    return fmt::format("give exactly one {} file", p.name);
  }
  if (n < p.min && (p.unless.empty() || !cl.has(p.unless))) {
    return fmt::format("no {} file given", p.name);
  }
  return std::nullopt;
}

/// Standard input can be read once: at most one file argument (an option's or a positional one)
/// may be "-".
std::optional<std::string> check_standard_input(const command_def& cmd, const command_line& cl) {
  std::vector<std::string> readers;
  for (const auto& [name, values] : cl.options) {
    const option_def* o = find_option(cmd, name);
    if (o == nullptr || o->type != value_type::file) continue;
    for (const auto& v : values) {
      if (v == "-") readers.push_back("--" + name);
    }
  }
  for (const auto& p : cl.positional) {
    if (p == "-") readers.push_back(std::string(cmd.positional.name));
  }
  if (readers.size() < 2) return std::nullopt;
  return fmt::format("standard input (-) can be read only once, but {} and {} both name it",
                     readers[0], readers[1]);
}

/// The option `a` (`--name` or `--name=value`) and its value, moved past.
std::optional<std::string> take_option(const command_def& cmd, std::span<const std::string_view> args,
                                       std::size_t& i, command_line& cl) {
  const std::string_view a = args[i];
  if (!a.starts_with("--")) return "unknown option '" + std::string(a) + "'";
  std::string_view name = a.substr(2);
  std::optional<std::string_view> value;
  if (const auto eq = name.find('='); eq != std::string_view::npos) {
    value = name.substr(eq + 1);
    name = name.substr(0, eq);
  }
  const option_def* o = find_option(cmd, name);
  if (o == nullptr) return "unknown option '--" + std::string(name) + "'";
  if (o->type == value_type::none) {
    if (value) return "option '--" + std::string(name) + "' takes no value";
    value = std::string_view{};
  } else if (!value) {
    if (i + 1 >= args.size()) return "option '--" + std::string(name) + "' needs a value";
    value = args[++i];
  }
  if (o->type == value_type::choice &&
      std::find(o->choices.begin(), o->choices.end(), *value) == o->choices.end()) {
    return choice_error(*o, *value);
  }
  auto& slot = cl.options[std::string(name)];
  if (!slot.empty() && !o->repeatable) {
    return "option '--" + std::string(name) + "' given more than once";
  }
  slot.emplace_back(*value);
  return std::nullopt;
}

/// Appends `text` with every line after the first indented by `indent` spaces.
void append_indented(std::string& out, std::string_view text, std::size_t indent) {
  for (std::size_t at = 0; at <= text.size();) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    if (at != 0) out.append(indent, ' ');
    out.append(text.substr(at, end - at));
    out += '\n';
    at = end + 1;
  }
}

}  // namespace

std::optional<std::string> command_line::get(std::string_view name) const {
  const auto it = options.find(name);
  if (it == options.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> command_line::all(std::string_view name) const {
  const auto it = options.find(name);
  return it == options.end() ? std::vector<std::string>{} : it->second;
}

std::span<const command_def* const> commands() noexcept { return all_commands; }

const command_def* find_command(std::string_view name) noexcept {
  for (const command_def* c : all_commands) {
    if (c->name == name) return c;
  }
  return nullptr;
}

const option_def* find_option(const command_def& cmd, std::string_view name) noexcept {
  const auto it = std::find_if(cmd.options.begin(), cmd.options.end(),
                               [&](const option_def& o) { return o.name == name; });
  return it == cmd.options.end() ? nullptr : &*it;
}

std::optional<std::string> parse_command_line(const command_def& cmd,
                                              std::span<const std::string_view> args,
                                              command_line& cl) {
  bool only_positional = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    // "-" alone is an argument (standard input), not an option.
    if (only_positional || a.size() < 2 || a[0] != '-') {
      cl.positional.emplace_back(a);
    } else if (a == "--") {
      only_positional = true;
    } else if (a == "-h" || a == "--help") {
      cl.help = true;
    } else if (auto e = take_option(cmd, args, i, cl)) {
      return e;
    }
  }
  if (cl.help) return std::nullopt;
  if (auto e = check_standard_input(cmd, cl)) return e;
  for (const auto& r : cmd.rules) {
    if (auto e = check_rule(cmd, r, cl)) return e;
  }
  return check_positional(cmd, cl);
}

std::string option_synopsis(const option_def& option) {
  std::string s = "--" + std::string(option.name);
  if (!option.value.empty()) s += " " + std::string(option.value);
  return s;
}

std::string command_help(const command_def& cmd) {
  std::string out;
  for (std::size_t k = 0; k < cmd.usage.size(); ++k) {
    out += fmt::format("{}ecrlp {} {}\n", k == 0 ? "Usage: " : "       ", cmd.name, cmd.usage[k]);
  }
  out += "\n";
  out += cmd.description;
  out += "\nOptions:\n";
  std::size_t width = 20;
  for (const auto& o : cmd.options) width = std::max(width, option_synopsis(o).size() + 2);
  for (const auto& o : cmd.options) {
    out += fmt::format("  {:<{}}", option_synopsis(o), width);
    append_indented(out, o.help, width + 2);
  }
  out += fmt::format("  {:<{}}Show this help.\n", "-h, --help", width);
  if (!cmd.exit_status.empty()) {
    out += "\n";
    out += cmd.exit_status;
  }
  return out;
}

std::string main_help() {
  std::string out = "ecrlp - offline simulator of Amazon ECR lifecycle policies\n\nUsage:\n";
  for (const command_def* c : all_commands) {
    for (const auto& u : c->usage) out += fmt::format("  ecrlp {} {}\n", c->name, u);
  }
  out += "  ecrlp COMMAND --help\n  ecrlp --version\n\nCommands:\n";
  for (const command_def* c : all_commands) out += fmt::format("  {:<10} {}\n", c->name, c->summary);
  out += R"(
Images: --images FILE... [--manifests FILE...] for one repository, or --registry DIR (a snapshot
from examples/export-registry.sh) for all; --independent-images ignores indexes and referrers.
--in-use FILE marks running images (preview, explain, simulate). A FILE of - is standard input.

Exit status: 0 success, 1 invalid policy or inventory, 2 usage error, 3 unreadable file,
4 an in-use image would be expired or transitioned (--fail-on-in-use).
Documentation: docs/cli.md, man ecrlp
)";
  return out;
}

}  // namespace ecrlp::cli
