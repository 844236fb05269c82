// SPDX-License-Identifier: MIT
#include "app.hpp"

#include <ecrlp/evaluate.hpp>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/report.hpp>
#include <ecrlp/version.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace ecrlp::cli {
namespace {

constexpr std::string_view main_help = R"(ecrlp - offline simulator of Amazon ECR lifecycle policies

Usage:
  ecrlp validate [--format text|json] POLICY...
  ecrlp preview --policy FILE --images FILE [--images FILE ...] [--now TIME]
                [--format table|json|csv] [--max-rows N]
  ecrlp COMMAND --help
  ecrlp --version

Commands:
  validate   Check lifecycle policies against every rule ECR enforces.
  preview    Show which images a policy would expire or archive, and why.

Exit status: 0 success, 1 invalid policy or inventory, 2 usage error, 3 unreadable file.
Documentation: docs/cli.md
)";

constexpr std::string_view validate_help = R"(Usage: ecrlp validate [--format text|json] POLICY...

Checks each POLICY file against every constraint ECR enforces when a lifecycle policy is put or
previewed, and reports every problem found (not just the first), each with a stable code, a JSON
pointer and, where known, ECR's own message.

POLICY is a policy document ({"rules": [...]}) or the JSON output of
`aws ecr get-lifecycle-policy` / `get-lifecycle-policy-preview` (the policy inside
lifecyclePolicyText is checked).

Options:
  --format text|json   text (default): compiler-style lines; json: one object per file.
  -h, --help           Show this help.

Exit status: 0 every policy valid, 1 any policy invalid, 2 usage error, 3 a file unreadable.
)";

constexpr std::string_view preview_help = R"(Usage: ecrlp preview --policy FILE --images FILE [--images FILE ...] [options]

Evaluates a lifecycle policy over a repository's images exactly as ECR would at one instant, offline.

Options:
  --policy FILE        The policy: a policy document or `aws ecr get-lifecycle-policy` output.
  --images FILE        `aws ecr describe-images` output ({"imageDetails": [...]} or a bare array).
                       Repeat for several pages; they are concatenated in order. Export with
                       `--filter imageStatus=ANY` to include archived images.
  --now TIME           The instant to evaluate at: ISO-8601 with offset (2026-11-28T00:00:00Z)
                       or epoch seconds. Default: the current time.
  --format FORMAT      table (default): a report for a person.
                       json: the shape of `aws ecr get-lifecycle-policy-preview`, plus an
                             "ecrlpReport" object with per-rule and before/after totals.
                       csv: one row per image with its fate.
  --max-rows N         table only: list at most N affected images (default 50; 0 = all).
  -h, --help           Show this help.

Exit status: 0 success, 1 invalid policy or inventory, 2 usage error, 3 unreadable file.
)";

struct option_spec {
  std::string_view name;
  bool repeatable = false;
};

struct command_line {
  std::map<std::string, std::vector<std::string>, std::less<>> options;
  std::vector<std::string> positional;
  bool help = false;

  [[nodiscard]] std::optional<std::string> get(std::string_view name) const {
    const auto it = options.find(name);
    if (it == options.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
  }
  [[nodiscard]] std::vector<std::string> all(std::string_view name) const {
    const auto it = options.find(name);
    return it == options.end() ? std::vector<std::string>{} : it->second;
  }
};

/// Parses `--name value`, `--name=value`, `-h`/`--help` and positional arguments; every option
/// takes a value. Returns an error message on failure.
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

/// Exit status for a set of diagnostics: 3 when a file could not be read, else 1 for errors.
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

int cmd_validate(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  static constexpr option_spec specs[] = {{"format"}};
  command_line cl;
  if (auto e = parse_command_line(args, specs, cl)) return usage_error(err, "validate", *e);
  if (cl.help) {
    out << validate_help;
    return exit_ok;
  }
  const auto format = cl.get("format");
  if (auto e = check_format(format, {"text", "json"})) return usage_error(err, "validate", *e);
  if (cl.positional.empty()) return usage_error(err, "validate", "no POLICY file given");
  const bool json = format && *format == "json";

  int status = exit_ok;
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const auto& path : cl.positional) {
    const auto parsed = load_policy(path);
    status = std::max(status, status_for(parsed.diagnostics));
    if (json) {
      nlohmann::ordered_json f;
      f["file"] = path;
      f["valid"] = parsed.ok();
      if (parsed.value) f["rules"] = parsed.value->policy.rules.size();
      f["diagnostics"] = nlohmann::ordered_json::parse(render_diagnostics_json(parsed.diagnostics));
      files.push_back(std::move(f));
    } else {
      out << render_diagnostics_text(parsed.diagnostics);
      if (parsed.ok()) {
        const auto n = parsed.value->policy.rules.size();
        out << path << ": valid (" << n << " rule" << (n == 1 ? "" : "s") << ")\n";
      } else {
        std::size_t errors = 0;
        for (const auto& d : parsed.diagnostics) errors += d.level == severity::error ? 1U : 0U;
        out << path << ": invalid (" << errors << " error" << (errors == 1 ? "" : "s") << ")\n";
      }
    }
  }
  if (json) {
    nlohmann::ordered_json doc;
    doc["valid"] = status == exit_ok;
    doc["files"] = std::move(files);
    out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  return status;
}

int cmd_preview(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  static constexpr option_spec specs[] = {
      {"policy"}, {"images", true}, {"now"}, {"format"}, {"max-rows"}};
  command_line cl;
  if (auto e = parse_command_line(args, specs, cl)) return usage_error(err, "preview", *e);
  if (cl.help) {
    out << preview_help;
    return exit_ok;
  }
  if (!cl.positional.empty()) {
    return usage_error(err, "preview", "unexpected argument '" + cl.positional.front() + "'");
  }
  const auto policy_path = cl.get("policy");
  if (!policy_path) return usage_error(err, "preview", "--policy FILE is required");
  const auto image_paths = cl.all("images");
  if (image_paths.empty()) return usage_error(err, "preview", "--images FILE is required");
  const auto format = cl.get("format");
  if (auto e = check_format(format, {"table", "json", "csv"})) {
    return usage_error(err, "preview", *e);
  }
  std::size_t max_rows = 50;
  if (const auto m = cl.get("max-rows")) {
    const auto* end = m->data() + m->size();
    const auto [p, ec] = std::from_chars(m->data(), end, max_rows);
    if (ec != std::errc{} || p != end) {
      return usage_error(err, "preview", "--max-rows takes a whole number, not '" + *m + "'");
    }
  }
  timestamp now{};
  if (const auto t = cl.get("now")) {
    const auto parsed = parse_timestamp(*t);
    if (!parsed) {
      return usage_error(err, "preview",
                         "--now '" + *t +
                             "' is not a time: use ISO-8601 with an offset "
                             "(2026-11-28T00:00:00Z) or epoch seconds");
    }
    now = *parsed;
  } else {
    now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  }

  auto policy = load_policy(*policy_path);
  std::vector<std::filesystem::path> paths(image_paths.begin(), image_paths.end());
  auto inv = load_inventory(paths);
  err << render_diagnostics_text(policy.diagnostics) << render_diagnostics_text(inv.diagnostics);
  const int status = std::max(status_for(policy.diagnostics), status_for(inv.diagnostics));
  if (status != exit_ok || !policy.value || !inv.value) return status == exit_ok ? exit_invalid : status;

  const auto& images = inv.value->images;
  const auto result = evaluate(policy.value->policy, images, {.now = now});
  err << render_diagnostics_text(result.warnings);
  const preview_document doc{policy.value->policy, policy.value->text,          images, result,
                             now,                  policy.value->repository_name, policy.value->registry_id};
  if (!format || *format == "table") {
    out << render_preview_table(doc, max_rows);
  } else if (*format == "json") {
    out << render_preview_json(doc);
  } else {
    out << render_preview_csv(doc);
  }
  return exit_ok;
}

}  // namespace

int run(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    err << main_help;
    return exit_usage;
  }
  const std::string_view command = args.front();
  const auto rest = args.subspan(1);
  if (command == "-h" || command == "--help" || command == "help") {
    out << main_help;
    return exit_ok;
  }
  if (command == "--version" || command == "version") {
    out << "ecrlp " << version_string << "\n";
    return exit_ok;
  }
  if (command == "validate") return cmd_validate(rest, out, err);
  if (command == "preview") return cmd_preview(rest, out, err);
  return usage_error(err, "", "unknown command '" + std::string(command) + "'");
}

}  // namespace ecrlp::cli
