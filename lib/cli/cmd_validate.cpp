// SPDX-License-Identifier: MIT
#include "commands.hpp"

#include <ecrlp/policy_parser.hpp>
#include <ecrlp/report.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ostream>

#include "app.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

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

}  // namespace

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


}  // namespace ecrlp::cli
