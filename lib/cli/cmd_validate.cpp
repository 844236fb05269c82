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
    policy_format_option,
    {"registry", "DIR", value_type::directory,
     "Also validate every repository's lifecycle-policy.json in a registry\n"
     "snapshot (repositories without one are listed as such)."},
};

validated_policy verdict(std::string file, std::string repository,
                         const parse_result<parsed_policy>& parsed) {
  validated_policy v;
  v.file = std::move(file);
  v.repository = std::move(repository);
  v.valid = parsed.ok();
  if (parsed.value) v.rules = parsed.value->policy.rules.size();
  v.diagnostics = parsed.diagnostics;
  return v;
}

/// Checks every policy `arg` names: a policy file (a repository's when `repository` is set), or
/// each policy of infrastructure code (the one FILE#ADDRESS names). A file that holds none is
/// added to `without_policy`.
void validate_argument(const std::string& arg, policy_source_format format,
                       const std::string& repository, std::vector<validated_policy>& out,
                       std::vector<std::string>& without_policy) {
  const policy_reference ref = split_policy_reference(arg);
  const auto doc = load_policy_sources(ref.file, format);
  if (!doc.ok()) {
    validated_policy v;
    v.file = display_name(ref.file);
    v.repository = repository;
    v.diagnostics = doc.diagnostics;
    out.push_back(std::move(v));
    return;
  }
  if (doc.value->format == policy_source_format::policy ||
      doc.value->format == policy_source_format::aws) {
    out.push_back(verdict(display_name(arg), repository,
                          parse_found_policy(doc.value->policies.front())));
    return;
  }
  const auto chosen = ref.address.empty() ? std::vector<const found_policy*>{}
                                          : find_policies(*doc.value, ref.address);
  std::vector<const found_policy*> all;
  for (const auto& p : doc.value->policies) all.push_back(&p);
  const auto& policies = ref.address.empty() ? all : chosen;
  if (policies.empty()) without_policy.push_back(display_name(arg));
  for (const found_policy* p : policies) {
    out.push_back(verdict(display_name(ref.file) + "#" + (p->name.empty() ? p->address : p->name),
                          p->repository.empty() ? repository : p->repository,
                          parse_found_policy(*p)));
  }
}

int run_validate(const command_line& cl, std::ostream& out, std::ostream& err) {
  const auto choice = report_option(cl, "validate", err);
  if (!choice) return exit_usage;
  const policy_source_format format = policy_format_of(cl);
  std::vector<validated_policy> policies;
  std::vector<std::string> without_policy;
  for (const auto& p : cl.positional) validate_argument(p, format, "", policies, without_policy);
  const auto registry = cl.get("registry");
  if (registry) {
    const auto snap = load_registry(*registry);
    if (!snap.ok()) {
      report(err, snap.diagnostics);
      return std::max(status_for(snap.diagnostics), static_cast<int>(exit_invalid));
    }
    for (const auto& repo : snap.value->repositories) {
      if (repo.has_policy_file) {
        validate_argument((repo.directory / "lifecycle-policy.json").string(),
                          policy_source_format::policy, repo.name, policies, without_policy);
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
        "lifecyclePolicyText is checked), or infrastructure code: a Terraform plan or state,\n"
        "a CloudFormation template or a cdk.out directory, whose every lifecycle policy is\n"
        "checked (FILE#ADDRESS: one of them; docs/iac.md). - reads standard input.\n",
    .options = option_table,
    .positional = {.name = "POLICY", .min = 1, .max = static_cast<std::size_t>(-1),
                   .unless = "registry"},
    .exit_status =
        "Exit status: 0 every policy valid, 1 any policy invalid, 2 usage error, 3 a file "
        "unreadable.\n",
    .run = run_validate,
};

}  // namespace ecrlp::cli
