// SPDX-License-Identifier: MIT
#include "commands.hpp"

#include <ecrlp/evaluate.hpp>
#include <ecrlp/html_report.hpp>
#include <ecrlp/report.hpp>

#include <ecrlp/impact.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/registry.hpp>
#include <ecrlp/registry_report.hpp>

#include <algorithm>
#include <ostream>
#include <vector>

#include "app.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view preview_help = R"(Usage: ecrlp preview --policy FILE --images FILE [--images FILE ...] [options]
       ecrlp preview --registry DIR [--policy FILE] [options]

Evaluates a lifecycle policy over a repository's images exactly as ECR would at one instant, offline;
or every repository of a registry snapshot, each with its own policy (or with --policy everywhere).

Options:
  --policy FILE        The policy: a policy document or `aws ecr get-lifecycle-policy` output.
                       With --registry: apply it to every repository instead of their own (what-if).
  --images FILE        `aws ecr describe-images` output ({"imageDetails": [...]} or a bare array).
                       Repeat for several pages; they are concatenated in order. Export with
                       `--filter imageStatus=ANY` to include archived images.
  --manifests FILE     `aws ecr batch-get-image` output with the repository's image indexes
                       (repeatable): images listed by a live index are not acted on.
  --registry DIR       A registry snapshot (examples/export-registry.sh): every repository,
                       evaluated in parallel; results per repository and in total.
  --independent-images Evaluate every image on its own: ignore index manifests and referrers.
  --in-use FILE        Images that are running (repeatable): references one per line, or JSON
                       (kubectl get pods -o json, ECS task definitions or tasks). An in-use image
                       the policy would expire or transition is a violation, reported first.
  --fail-on-in-use     Exit 4 when there is a violation (after printing the report).
  --impact             Add the impact section (bytes, monthly cost, findings) to a single-
                       repository table or JSON (always shown with --registry or a price option).
  --price-standard USD Standard storage price per GB-month (default 0.10).
  --price-archive USD  Archive storage price per GB-month (default 0.10).
  --now TIME           The instant to evaluate at: ISO-8601 with offset (2026-11-28T00:00:00Z)
                       or epoch seconds. Default: the current time.
  --format FORMAT      table (default): a report for a person.
                       json: the shape of `aws ecr get-lifecycle-policy-preview`, plus an
                             "ecrlpReport" object with per-rule and before/after totals.
                       csv: one row per image with its fate.
                       html: one self-contained page with before/after and per-rule charts and
                             a sortable table of the affected images, each unfolding to its
                             explanation; with --registry, the repositories, their bytes, the
                             total impact and each repository's affected images.
  --max-rows N         list at most N affected images (table: default 50; html: default 1000,
                       over the whole page; 0 = all).
  -h, --help           Show this help.

Exit status: 0 success, 1 invalid policy or inventory (or a repository of the snapshot with
errors), 2 usage error, 3 unreadable file, 4 an in-use image would be removed (--fail-on-in-use).
)";

int preview_registry(const command_line& cl, const std::optional<std::string>& format,
                     timestamp now, const storage_prices& prices, std::size_t html_max_rows,
                     std::ostream& out, std::ostream& err) {
  int status = exit_ok;
  const auto run = load_registry_run(cl, "preview", err, status);
  if (!run) return status;
  const registry_snapshot& snap = run->snapshot();
  const in_use_input& in_use = run->in_use;
  const auto& policy_path = run->policy_path;

  progress_bar bar(err);
  const registry_result res = evaluate_registry(
      snap,
      {.now = now,
       .override_policy = run->override(),
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
    err << render_diagnostics_text(rr.evaluation.warnings);
    if (!rr.evaluated) {
      repository_outcome o;
      o.name = repo.name;
      o.effect.prices = prices;
      outcomes.push_back(std::move(o));
      continue;
    }
    outcomes.push_back(make_outcome(repo.name, repo.registry_id, repo.images.images,
                                    repo.images.indexes, rr.evaluation, prices, in_use,
                                    coverage));
    total += outcomes.back().effect;
  }
  const auto unmatched = coverage.unmatched();
  if (in_use.given) warn_unmatched(err, "preview", in_use.refs, unmatched);

  const registry_document doc{snap,
                              res,
                              outcomes,
                              total,
                              now,
                              policy_path ? std::string_view(*policy_path) : std::string_view{},
                              in_use_view{in_use.given, in_use.refs, unmatched},
                              run->override(),
                              run->input.independent_images,
                              html_max_rows};
  if (!format || *format == "table") {
    out << render_registry_table(doc);
  } else if (*format == "json") {
    out << render_registry_json(doc);
  } else if (*format == "html") {
    out << render_registry_html(doc);
  } else {
    out << render_registry_csv(doc);
  }
  if (in_use.fail && violation_count(outcomes) > 0) return exit_in_use;
  return status;
}

}  // namespace

int cmd_preview(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  static constexpr option_spec specs[] = {{"policy"},
                                          images_option,
                                          manifests_option,
                                          registry_option,
                                          independent_images_option,
                                          in_use_option,
                                          fail_on_in_use_option,
                                          price_standard_option,
                                          price_archive_option,
                                          {"impact", false, true},
                                          {"now"},
                                          {"format"},
                                          {"max-rows"}};
  command_line cl;
  if (auto e = parse_command_line(args, specs, cl)) return usage_error(err, "preview", *e);
  if (cl.help) {
    out << preview_help;
    return exit_ok;
  }
  if (!cl.positional.empty()) {
    return usage_error(err, "preview", "unexpected argument '" + cl.positional.front() + "'");
  }
  const bool registry = cl.has("registry");
  const auto policy_path = cl.get("policy");
  if (!policy_path && !registry) return usage_error(err, "preview", "--policy FILE is required");
  if (!registry && !cl.has("images")) {
    return usage_error(err, "preview", "--images FILE is required (or --registry DIR)");
  }
  if (auto e = check_image_options(cl)) return usage_error(err, "preview", *e);
  const auto format = cl.get("format");
  if (auto e = check_format(format, {"table", "json", "csv", "html"})) {
    return usage_error(err, "preview", *e);
  }
  const auto max_rows = max_rows_option(cl, "preview", 50, err);
  if (!max_rows) return exit_usage;
  const auto prices = prices_option(cl, "preview", err);
  if (!prices) return exit_usage;
  const auto now = now_option(cl, "preview", err);
  if (!now) return exit_usage;
  const std::size_t html_max_rows = cl.has("max-rows") ? *max_rows : html_default_max_rows;
  if (registry) return preview_registry(cl, format, *now, *prices, html_max_rows, out, err);

  int status = exit_ok;
  const auto policy = load_policy_reporting(*policy_path, err, status);
  const auto input = load_image_input(cl, err, status);
  const auto in_use = load_in_use_reporting(cl, "preview", err, status);
  if (!policy || !input || !input->single || !in_use) return status;
  const inventory& inv = *input->single;

  const auto& images = inv.images;
  const auto result = evaluate(policy->policy, images,
                               {.now = *now,
                                .indexes = inv.indexes,
                                .independent_images = input->independent_images});
  err << render_diagnostics_text(result.warnings);
  // The report names the repository the policy file names (as AWS's preview does); matching
  // in-use references uses the inventory's name when the policy does not say.
  const std::string_view repo_name =
      policy->repository_name.empty() ? std::string_view(inv.repository_name)
                                      : std::string_view(policy->repository_name);
  const std::string_view registry_id =
      policy->registry_id.empty() ? std::string_view(inv.registry_id)
                                  : std::string_view(policy->registry_id);
  in_use_coverage coverage(in_use->refs.size());
  const repository_outcome outcome =
      make_outcome(repo_name, registry_id, images, inv.indexes, result, *prices, *in_use, coverage);
  const auto unmatched = coverage.unmatched();
  if (in_use->given) warn_unmatched(err, "preview", in_use->refs, unmatched);
  const bool with_impact = cl.has("impact") || prices_given(cl);

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
  if (with_impact) doc.impact = &outcome.effect;
  if (!format || *format == "table") {
    out << render_preview_table(doc, *max_rows);
  } else if (*format == "json") {
    write_preview_json(out, doc);
  } else if (*format == "html") {
    out << render_preview_html(doc, html_max_rows);
  } else {
    out << render_preview_csv(doc);
  }
  if (in_use->fail && !outcome.violations.empty()) return exit_in_use;
  return exit_ok;
}

}  // namespace ecrlp::cli
