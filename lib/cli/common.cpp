// SPDX-License-Identifier: MIT
#include "common.hpp"

#include <ecrlp/report.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <ostream>

#include "app.hpp"

namespace ecrlp::cli {

std::optional<std::string> command_line::get(std::string_view name) const {
  const auto it = options.find(name);
  if (it == options.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> command_line::all(std::string_view name) const {
  const auto it = options.find(name);
  return it == options.end() ? std::vector<std::string>{} : it->second;
}

std::optional<std::string> parse_command_line(std::span<const std::string_view> args,
                                              std::span<const option_spec> specs,
                                              command_line& cl) {
  bool only_positional = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    if (only_positional || a.size() < 2 || a[0] != '-') {
      cl.positional.emplace_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    if (a == "-h" || a == "--help") {
      cl.help = true;
      continue;
    }
    if (!a.starts_with("--")) return "unknown option '" + std::string(a) + "'";
    std::string_view name = a.substr(2);
    std::optional<std::string_view> value;
    if (const auto eq = name.find('='); eq != std::string_view::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    const auto spec = std::find_if(specs.begin(), specs.end(),
                                   [&](const option_spec& s) { return s.name == name; });
    if (spec == specs.end()) return "unknown option '--" + std::string(name) + "'";
    if (!value) {
      if (i + 1 >= args.size()) return "option '--" + std::string(name) + "' needs a value";
      value = args[++i];
    }
    auto& slot = cl.options[std::string(name)];
    if (!slot.empty() && !spec->repeatable) {
      return "option '--" + std::string(name) + "' given more than once";
    }
    slot.emplace_back(*value);
  }
  return std::nullopt;
}

int usage_error(std::ostream& err, std::string_view command, std::string_view message) {
  err << "ecrlp" << (command.empty() ? "" : " ") << command << ": " << message << "\n"
      << "Try 'ecrlp " << command << (command.empty() ? "" : " ") << "--help'.\n";
  return exit_usage;
}

int status_for(const std::vector<diagnostic>& diags) {
  const bool io = std::any_of(diags.begin(), diags.end(), [](const diagnostic& d) {
    return d.level == severity::error && d.code.starts_with("io.");
  });
  if (io) return exit_io;
  return has_errors(diags) ? exit_invalid : exit_ok;
}

std::optional<std::string> check_format(const std::optional<std::string>& format,
                                        std::initializer_list<std::string_view> allowed) {
  if (!format) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *format) != allowed.end()) return std::nullopt;
  std::string msg = "unknown --format '" + *format + "' (expected ";
  bool first = true;
  for (const auto a : allowed) {
    if (!first) msg += ", ";
    msg += a;
    first = false;
  }
  return msg + ")";
}

std::optional<timestamp> now_option(const command_line& cl, std::string_view command,
                                    std::ostream& err) {
  const auto t = cl.get("now");
  if (!t) {
    return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  }
  if (const auto parsed = parse_timestamp(*t)) return parsed;
  (void)usage_error(err, command,
                    "--now '" + *t +
                        "' is not a time: use ISO-8601 with an offset (2026-11-28T00:00:00Z) or "
                        "epoch seconds");
  return std::nullopt;
}

std::optional<parsed_policy> load_policy_reporting(const std::string& path, std::ostream& err,
                                                   int& status) {
  auto parsed = load_policy(path);
  err << render_diagnostics_text(parsed.diagnostics);
  status = std::max(status, status_for(parsed.diagnostics));
  if (!parsed.ok()) {
    status = std::max(status, static_cast<int>(exit_invalid));
    return std::nullopt;
  }
  return std::move(parsed.value);
}

std::optional<inventory> load_images_reporting(const std::vector<std::string>& paths,
                                               std::ostream& err, int& status) {
  const std::vector<std::filesystem::path> files(paths.begin(), paths.end());
  auto parsed = load_inventory(files);
  err << render_diagnostics_text(parsed.diagnostics);
  status = std::max(status, status_for(parsed.diagnostics));
  if (!parsed.ok()) {
    status = std::max(status, static_cast<int>(exit_invalid));
    return std::nullopt;
  }
  return std::move(parsed.value);
}

}  // namespace ecrlp::cli
