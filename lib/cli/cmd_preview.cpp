// SPDX-License-Identifier: MIT
// `ecrlp preview`: which images a policy would expire or archive, and why; for one repository or
// every repository of a registry snapshot.

#include <ecrlp/evaluate.hpp>
#include <ecrlp/impact.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/registry.hpp>
#include <ecrlp/render.hpp>

#include <ostream>
#include <vector>

#include "app.hpp"
#include "commands.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view usage[] = {
    "--policy FILE --images FILE [--images FILE ...] [options]",
    "--registry DIR [--policy FILE] [options]"};

constexpr option_def option_table[] = {
    {"policy", "FILE", value_type::file,
     "The policy: a policy document, `aws ecr get-lifecycle-policy` output, or\n"
     "FILE#ADDRESS of one in a Terraform plan or state, a CloudFormation template\n"
     "or a cdk.out directory (docs/iac.md). With --registry: apply it to every\n"
     "repository instead of their own (what-if); a file of several policies\n"
     "applies each to the repository it names."},
    policy_format_option,
    images_option,
    manifests_option,
    registry_option,
    independent_images_option,
    in_use_option,
    fail_on_in_use_option,
    {"impact", "", value_type::none,
     "Add the impact section (bytes, monthly cost, findings) to a single-\n"
     "repository table or JSON (always shown with --registry or a price option)."},
    price_standard_option,
    price_archive_option,
    now_option_def,
    {"format", "FORMAT", value_type::choice,
     "table (default): a report for a person.\n"
     "json: the shape of `aws ecr get-lifecycle-policy-preview`, plus an\n"
     "      \"ecrlpReport\" object with per-rule and before/after totals.\n"
     "csv: one row per image with its fate.\n"
     "html: one self-contained page with before/after and per-rule charts and\n"
     "      a sortable table of the affected images, each unfolding to its\n"
     "      explanation; with --registry, the repositories, their bytes, the\n"
     "      total impact and each repository's affected images.\n"
     "markdown: for a pull request or a CI job summary: in-use violations\n"
     "      first, the totals, long lists folded, under --max-chars.",
     false, table_formats},
    {"max-rows", "N", value_type::number,
     "list at most N affected images (table: default 50; html: default 1000,\n"
     "over the whole page; markdown: as many as --max-chars allows; 0 = all)."},
    max_chars_option,
};

constexpr option_rule rule_table[] = {
    {option_rule::kind::required, "policy", "registry"},
    {option_rule::kind::required, "images", "registry"},
    image_rules[0],
    image_rules[1],
    image_rules[2],
    {option_rule::kind::needs, "fail-on-in-use", "in-use"},
};

int preview_registry(const command_line& cl, const report_choice& choice, timestamp now,
                     const storage_prices& prices, std::ostream& out, std::ostream& err) {
  int status = exit_ok;
  const auto run = load_registry_run(cl, "preview", err, status);
  if (!run) return status;
  const registry_snapshot& snap = run->snapshot();
  const in_use_input& in_use = run->in_use;

  progress_bar bar(err);
  const registry_result res = evaluate_registry(snap,
                                                {.now = now,
                                                 .override_policy = run->override(),
                                                 .repository_policies = run->by_repository,
                                                 .independent_images = run->input.independent_images,
                                                 .threads = 0},
                                                bar.callback());
  bar.clear();

  in_use_coverage coverage(in_use.refs.size());
  std::vector<repository_outcome> outcomes;
  outcomes.reserve(snap.repositories.size());
  impact total{.prices = prices};
  for (std::size_t k = 0; k < snap.repositories.size(); ++k) {
    const auto& repo = snap.repositories[k];
    const auto& rr = res.repositories[k];
    report(err, rr.evaluation.warnings);
    if (!rr.evaluated) {
      repository_outcome o;
      o.name = repo.name;
      o.effect.prices = prices;
      outcomes.push_back(std::move(o));
      continue;
    }
    outcomes.push_back(make_outcome(repo.name, repo.registry_id, repo.images.images,
                                    repo.images.indexes, rr.evaluation, prices, in_use, coverage));
    total += outcomes.back().effect;
  }
  const auto unmatched = coverage.unmatched();
  if (in_use.given) warn_unmatched(err, "preview", in_use.refs, unmatched);

  const registry_document doc{snap,
                              res,
                              outcomes,
                              total,
                              now,
                              run->policy_path ? std::string_view(*run->policy_path)
                                               : std::string_view{},
                              in_use_view{in_use.given, in_use.refs, unmatched},
                              run->override(),
                              run->by_repository,
                              run->input.independent_images};
  render(out, doc, choice.format, choice.options);
  if (in_use.fail && violation_count(outcomes) > 0) return exit_in_use;
  return status;
}

int run_preview(const command_line& cl, std::ostream& out, std::ostream& err) {
  const auto choice = report_option(cl, "preview", err);
  if (!choice) return exit_usage;
  const auto prices = prices_option(cl, "preview", err);
  if (!prices) return exit_usage;
  const auto now = now_option(cl, "preview", err);
  if (!now) return exit_usage;
  if (cl.has("registry")) return preview_registry(cl, *choice, *now, *prices, out, err);

  int status = exit_ok;
  const auto policy = load_policy_reporting(cl, *cl.get("policy"), "preview", err, status);
  const auto input = load_image_input(cl, err, status);
  const auto in_use = load_in_use_reporting(cl, "preview", err, status);
  if (!policy || !input || !input->single || !in_use) return status;
  const inventory& inv = *input->single;

  const auto& images = inv.images;
  const auto result = evaluate(policy->policy, images,
                               {.now = *now,
                                .indexes = inv.indexes,
                                .independent_images = input->independent_images});
  report(err, result.warnings);
  // The report names the repository the policy file names (as AWS's preview does); matching
  // in-use references uses the inventory's name when the policy does not say.
  const std::string_view repo_name = policy->repository_name.empty()
                                         ? std::string_view(inv.repository_name)
                                         : std::string_view(policy->repository_name);
  const std::string_view registry_id = policy->registry_id.empty()
                                           ? std::string_view(inv.registry_id)
                                           : std::string_view(policy->registry_id);
  in_use_coverage coverage(in_use->refs.size());
  const repository_outcome outcome =
      make_outcome(repo_name, registry_id, images, inv.indexes, result, *prices, *in_use, coverage);
  const auto unmatched = coverage.unmatched();
  if (in_use->given) warn_unmatched(err, "preview", in_use->refs, unmatched);

  preview_document doc{policy->policy, policy->text,           images,
                       result,         *now,                   policy->repository_name,
                       policy->registry_id};
  doc.indexes = inv.indexes;
  doc.independent_images = input->independent_images;
  if (in_use->given) {
    doc.in_use_refs = &in_use->refs;
    doc.in_use = &outcome.matches;
    doc.violations = &outcome.violations;
  }
  if (cl.has("impact") || prices_given(cl)) doc.impact = &outcome.effect;
  render(out, doc, choice->format, choice->options);
  if (in_use->fail && !outcome.violations.empty()) return exit_in_use;
  return exit_ok;
}

}  // namespace

constexpr command_def preview_command = {
    .name = "preview",
    .summary = "Show which images a policy would expire or archive, and why.",
    .usage = usage,
    .description =
        "Evaluates a lifecycle policy over a repository's images exactly as ECR would at one "
        "instant, offline;\nor every repository of a registry snapshot, each with its own policy "
        "(or with --policy everywhere).\n",
    .options = option_table,
    .rules = rule_table,
    .exit_status =
        "Exit status: 0 success, 1 invalid policy or inventory (or a repository of the snapshot "
        "with\nerrors), 2 usage error, 3 unreadable file, 4 an in-use image would be removed "
        "(--fail-on-in-use).\n",
    .run = run_preview,
};

}  // namespace ecrlp::cli
