// SPDX-License-Identifier: MIT
// `ecrlp validate`: every constraint ECR enforces on a lifecycle policy, every problem reported.

#include <ecrlp/policy_parser.hpp>
#include <ecrlp/registry.hpp>
#include <ecrlp/render.hpp>

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "app.hpp"
#include "commands.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view usage[] = {"[--format text|json] POLICY...",
                                      "[--format text|json] --registry DIR [POLICY...]"};

constexpr std::string_view formats[] = {"text", "json"};

constexpr option_def option_table[] = {
    {"format", "FORMAT", value_type::choice,
     "text (default): compiler-style lines; json: one object per file.", false, formats},
    {"registry", "DIR", value_type::directory,
     "Also validate every repository's lifecycle-policy.json in a registry\n"
     "snapshot (repositories without one are listed as such)."},
};

/// Checks `path` (a repository's policy when `repository` is set).
validated_policy validate_file(const std::string& path, std::string repository) {
  const auto parsed = load_policy(path);
  validated_policy v;
  v.file = display_name(path);
  v.repository = std::move(repository);
  v.valid = parsed.ok();
  if (parsed.value) v.rules = parsed.value->policy.rules.size();
  v.diagnostics = parsed.diagnostics;
  return v;
}

int run_validate(const command_line& cl, std::ostream& out, std::ostream& err) {
  const auto choice = report_option(cl, "validate", err);
  if (!choice) return exit_usage;
  std::vector<validated_policy> policies;
  for (const auto& p : cl.positional) policies.push_back(validate_file(p, ""));
  std::vector<std::string> without_policy;
  const auto registry = cl.get("registry");
  if (registry) {
    const auto snap = load_registry(*registry);
    if (!snap.ok()) {
      report(err, snap.diagnostics);
      return std::max(status_for(snap.diagnostics), static_cast<int>(exit_invalid));
    }
    for (const auto& repo : snap.value->repositories) {
      if (repo.has_policy_file) {
        policies.push_back(validate_file((repo.directory / "lifecycle-policy.json").string(), repo.name));
      } else {
        without_policy.push_back(repo.name);
      }
    }
  }
  int status = exit_ok;
  for (const auto& p : policies) status = std::max(status, status_for(p.diagnostics));
  const validation_document doc{policies, without_policy, registry.has_value(), status == exit_ok};
  render(out, doc, choice->format, choice->options);
  return status;
}

}  // namespace

constexpr command_def validate_command = {
    .name = "validate",
    .summary = "Check lifecycle policies against every rule ECR enforces.",
    .usage = usage,
    .description =
        "Checks each POLICY file against every constraint ECR enforces when a lifecycle policy is "
        "put or\npreviewed, and reports every problem found (not just the first), each with a "
        "stable code, a JSON\npointer and, where known, ECR's own message.\n\n"
        "POLICY is a policy document ({\"rules\": [...]}) or the JSON output of\n"
        "`aws ecr get-lifecycle-policy` / `get-lifecycle-policy-preview` (the policy inside\n"
        "lifecyclePolicyText is checked). - reads standard input.\n",
    .options = option_table,
    .positional = {.name = "POLICY", .min = 1, .max = static_cast<std::size_t>(-1),
                   .unless = "registry"},
    .exit_status =
        "Exit status: 0 every policy valid, 1 any policy invalid, 2 usage error, 3 a file "
        "unreadable.\n",
    .run = run_validate,
};

}  // namespace ecrlp::cli
