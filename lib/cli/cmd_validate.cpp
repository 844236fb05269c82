// SPDX-License-Identifier: MIT
#include "commands.hpp"

#include <ecrlp/policy_parser.hpp>
#include <ecrlp/report.hpp>

#include <nlohmann/json.hpp>

#include <ecrlp/registry.hpp>

#include <algorithm>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "app.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view validate_help = R"(Usage: ecrlp validate [--format text|json] POLICY...
       ecrlp validate [--format text|json] --registry DIR [POLICY...]

Checks each POLICY file against every constraint ECR enforces when a lifecycle policy is put or
previewed, and reports every problem found (not just the first), each with a stable code, a JSON
pointer and, where known, ECR's own message.

POLICY is a policy document ({"rules": [...]}) or the JSON output of
`aws ecr get-lifecycle-policy` / `get-lifecycle-policy-preview` (the policy inside
lifecyclePolicyText is checked).

Options:
  --format text|json   text (default): compiler-style lines; json: one object per file.
  --registry DIR       Also validate every repository's lifecycle-policy.json in a registry
                       snapshot (repositories without one are listed as such).
  -h, --help           Show this help.

Exit status: 0 every policy valid, 1 any policy invalid, 2 usage error, 3 a file unreadable.
)";

}  // namespace

int cmd_validate(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  static constexpr option_spec specs[] = {{"format"}, registry_option};
  command_line cl;
  if (auto e = parse_command_line(args, specs, cl)) return usage_error(err, "validate", *e);
  if (cl.help) {
    out << validate_help;
    return exit_ok;
  }
  const auto format = cl.get("format");
  if (auto e = check_format(format, {"text", "json"})) return usage_error(err, "validate", *e);
  const auto registry = cl.get("registry");
  if (cl.positional.empty() && !registry) {
    return usage_error(err, "validate", "no POLICY file given");
  }
  const bool json = format && *format == "json";

  int status = exit_ok;
  // (file, repository name or "" for a POLICY argument)
  std::vector<std::pair<std::string, std::string>> paths;
  for (const auto& p : cl.positional) paths.emplace_back(p, "");
  std::vector<std::string> without_policy;
  if (registry) {
    const auto snap = load_registry(*registry);
    if (!snap.ok()) {
      err << render_diagnostics_text(snap.diagnostics);
      return std::max(status_for(snap.diagnostics), static_cast<int>(exit_invalid));
    }
    for (const auto& repo : snap.value->repositories) {
      if (repo.has_policy_file) {
        paths.emplace_back((repo.directory / "lifecycle-policy.json").string(), repo.name);
      } else {
        without_policy.push_back(repo.name);
      }
    }
  }
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const auto& [path, repo_name] : paths) {
    const auto parsed = load_policy(path);
    status = std::max(status, status_for(parsed.diagnostics));
    if (json) {
      nlohmann::ordered_json f;
      f["file"] = path;
      if (!repo_name.empty()) f["repositoryName"] = repo_name;
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
  if (!json) {
    for (const auto& name : without_policy) out << name << ": no lifecycle policy\n";
  }
  if (json) {
    nlohmann::ordered_json doc;
    doc["valid"] = status == exit_ok;
    doc["files"] = std::move(files);
    if (registry) doc["repositoriesWithoutPolicy"] = without_policy;
    out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  return status;
}


}  // namespace ecrlp::cli
