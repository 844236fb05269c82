// SPDX-License-Identifier: MIT
// `ecrlp plan-check`: the pull-request check. Every lifecycle-policy change of a Terraform plan (or
// between two revisions of infrastructure code), its old and new policy compared over the
// repository's images as `ecrlp diff` compares them, with the in-use images the new policy
// removes and limits a CI job gates on (docs/iac.md#pull-request-check).

#include <ecrlp/plan_check.hpp>
#include <ecrlp/render.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ostream>
#include <string>

#include "app.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "plan_changes.hpp"
#include "policy_input.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view usage[] = {
    "PLAN.json (--images FILE [--images FILE ...] | --registry DIR) [options]",
    "--before OLD --after NEW (--images FILE ... | --registry DIR) [options]"};

constexpr option_def option_table[] = {
    {"before", "OLD", value_type::file,
     "Instead of a plan: the infrastructure code before the change (a\n"
     "CloudFormation template, JSON or YAML, or a cdk.out directory)."},
    {"after", "NEW", value_type::file,
     "With --before: the infrastructure code after the change. Policies are\n"
     "matched by logical id (or address)."},
    policy_format_option,
    images_option,
    manifests_option,
    {"registry", "DIR", value_type::directory,
     "A registry snapshot: each change is evaluated over the images of the\n"
     "repository it names (its `repository` or `RepositoryName`)."},
    independent_images_option,
    in_use_option,
    fail_on_in_use_option,
    {"max-removed", "PERCENT", value_type::number,
     "Exit 5 when a change newly expires more than PERCENT of its repository's\n"
     "images (kept or archived before, expired after)."},
    {"max-removed-bytes", "N", value_type::number,
     "Exit 5 when the plan newly expires more than N bytes in all (a number, or\n"
     "with a unit: 500MB, 20GiB)."},
    now_option_def,
    {"format", "FORMAT", value_type::choice,
     "table (default): a report for a person.\n"
     "json: per change its address, action, repository and the diff object of\n"
     "      `ecrlp diff --format json`.\n"
     "csv: the rows of `ecrlp diff --format csv` after address, action, repository.\n"
     "html: one self-contained page with each change's changed images.\n"
     "markdown: for the pull request: in-use images first, limits, a table of the\n"
     "      changes and each change's diff, under --max-chars.",
     false, table_formats},
    {"max-rows", "N", value_type::number,
     "html: list at most N changed images (default 1000; 0 = all); text: per change\n"
     "(default 50). markdown: as many as --max-chars allows."},
    max_chars_option,
};

constexpr option_rule rule_table[] = {
    {option_rule::kind::required, "images", "registry"},
    image_rules[0],
    image_rules[1],
    image_rules[2],
    {option_rule::kind::needs, "before", "after"},
    {option_rule::kind::needs, "after", "before"},
};

/// `--max-removed PERCENT` ("10" or "10%", 0 to 100).
bool percent_limit(const command_line& cl, removal_limits& limits, std::ostream& err) {
  const auto v = cl.get("max-removed");
  if (!v) return true;
  std::string_view s = *v;
  if (s.ends_with('%')) s.remove_suffix(1);
  double d = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d, std::chars_format::fixed);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || !(d >= 0 && d <= 100)) {
    (void)usage_error(err, "plan-check", "--max-removed takes a percentage from 0 to 100, not '" + *v + "'");
    return false;
  }
  limits.max_removed_percent = d;
  return true;
}

/// `--max-removed-bytes N`: a whole number of bytes, or with a decimal (KB, MB, GB, TB) or binary
/// (KiB, MiB, GiB, TiB) unit.
bool bytes_limit(const command_line& cl, removal_limits& limits, std::ostream& err) {
  const auto v = cl.get("max-removed-bytes");
  if (!v) return true;
  const std::string_view s = *v;
  std::uint64_t n = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  const std::string_view unit(p, static_cast<std::size_t>(s.data() + s.size() - p));
  constexpr std::pair<std::string_view, std::uint64_t> units[] = {
      {"", 1},           {"B", 1},          {"KB", 1000},       {"MB", 1000'000},
      {"GB", 1000'000'000}, {"TB", 1000'000'000'000}, {"KiB", 1ULL << 10}, {"MiB", 1ULL << 20},
      {"GiB", 1ULL << 30}, {"TiB", 1ULL << 40}};
  const auto u = std::find_if(std::begin(units), std::end(units),
                              [&](const auto& x) { return x.first == unit; });
  if (ec != std::errc() || p == s.data() || u == std::end(units) ||
      n > UINT64_MAX / u->second) {
    (void)usage_error(err, "plan-check",
                      "--max-removed-bytes takes a number of bytes (500000000, 500MB, 20GiB), not '" +
                          *v + "'");
    return false;
  }
  limits.max_removed_bytes = n * u->second;
  return true;
}

/// The images `c` is evaluated over; nullopt with `why` set when there are none to evaluate.
std::optional<change_images> images_for(const policy_change& c, const image_input& input,
                                        std::string& why) {
  if (input.single) {
    const inventory& inv = *input.single;
    if (!c.repository.empty() && !inv.repository_name.empty() && c.repository != inv.repository_name) {
      why = "the images given (--images) are of repository " + inv.repository_name;
      return std::nullopt;
    }
    return change_images{c.repository.empty() ? std::string_view(inv.repository_name)
                                              : std::string_view(c.repository),
                         inv.registry_id, inv.images, inv.indexes};
  }
  const registry_snapshot& snap = *input.registry;
  if (c.repository.empty()) {
    why = "its repository is not named literally (known only after apply)";
    return std::nullopt;
  }
  const auto it = std::find_if(snap.repositories.begin(), snap.repositories.end(),
                               [&](const repository_snapshot& r) { return r.name == c.repository; });
  if (it == snap.repositories.end()) {
    why = "repository " + c.repository + " is not in the snapshot (a new repository has no images)";
    return std::nullopt;
  }
  if (it->failed()) {
    why = "the snapshot's files of repository " + c.repository + " have errors";
    return std::nullopt;
  }
  return change_images{it->name, it->registry_id, it->images.images, it->images.indexes};
}

/// What the images came from, as the report names it.
std::string images_source(const command_line& cl) {
  if (const auto dir = cl.get("registry")) return *dir;
  std::string out;
  for (const auto& f : cl.all("images")) out += (out.empty() ? "" : ", ") + display_name(f);
  return out;
}

/// Every change checked, in order; a change without images is reported on `err` and kept as
/// skipped.
void check_changes(plan_changes& changes, const image_input& input, const in_use_input& in_use,
                   plan_check_document& doc, std::ostream& err) {
  const plan_check_options options{.now = doc.now,
                                   .independent_images = input.independent_images,
                                   .in_use = in_use.refs};
  for (auto& c : changes.changes) {
    std::optional<change_images> images;
    // A policy that cannot be evaluated has had its diagnostics printed; missing images have not.
    if (c.skipped.empty()) {
      images = images_for(c, input, c.skipped);
      if (!images) {
        err << "ecrlp plan-check: warning: " << c.address << " is not evaluated: " << c.skipped
            << "\n";
      }
    }
    doc.changes.push_back(check_policy_change(std::move(c), images.value_or(change_images{}), options));
  }
}

int run_plan_check(const command_line& cl, std::ostream& out, std::ostream& err) {
  if (cl.has("before") == !cl.positional.empty()) {
    return usage_error(err, "plan-check", "give a PLAN file, or --before OLD --after NEW");
  }
  const auto choice = report_option(cl, "plan-check", err);
  if (!choice) return exit_usage;
  const auto now = now_option(cl, "plan-check", err);
  if (!now) return exit_usage;
  removal_limits limits;
  if (!percent_limit(cl, limits, err) || !bytes_limit(cl, limits, err)) return exit_usage;

  int status = exit_ok;
  auto changes = cl.has("before") ? read_revision_changes(*cl.get("before"), *cl.get("after"),
                                                          policy_format_of(cl), err, status)
                                  : read_plan_changes(cl.positional.front(), policy_format_of(cl),
                                                      err, status);
  const auto in_use = load_in_use_reporting(cl, "plan-check", err, status);
  const auto input = load_image_input(cl, err, status);
  if (!changes || !in_use || !input || !(input->single || input->registry)) {
    return std::max(status, static_cast<int>(exit_invalid));
  }
  plan_check_document doc;
  doc.source = changes->source;
  doc.images_source = images_source(cl);
  doc.now = *now;
  doc.unchanged = changes->unchanged;
  doc.in_use_given = in_use->given;
  doc.in_use_refs = in_use->refs;
  doc.limits = limits;
  doc.independent_images = input->independent_images;
  check_changes(*changes, *input, *in_use, doc, err);
  render(out, doc, choice->format, choice->options);
  if (status != exit_ok) return status;
  if (in_use->fail && doc.violation_count() > 0) return exit_in_use;
  if (doc.exceeds_limits()) return exit_limit;
  return exit_ok;
}

}  // namespace

constexpr command_def plan_check_command = {
    .name = "plan-check",
    .summary = "Check a pull request: what each lifecycle-policy change of a plan would do.",
    .usage = usage,
    .description =
        "Reads every aws_ecr_lifecycle_policy change of a Terraform plan (terraform show -json "
        "PLAN), or the\nchanges between two revisions of a CloudFormation template or cdk.out "
        "directory, and compares\neach change's old and new policy over its repository's images "
        "exactly as `ecrlp diff` does: which\nimages change fate, the rules that differ, the "
        "in-use images the new policy removes. A created\npolicy is compared with no policy, a "
        "deleted one with no policy after.\n",
    .options = option_table,
    .rules = rule_table,
    .positional = {.name = "PLAN", .min = 1, .max = 1, .unless = "before"},
    .exit_status =
        "Exit status: 0 success, 1 a policy that is invalid or cannot be known before apply (or "
        "an\ninvalid inventory), 2 usage error, 3 unreadable file, 4 an in-use image would be "
        "removed\n(--fail-on-in-use), 5 a --max-removed or --max-removed-bytes limit is "
        "exceeded.\n",
    .run = run_plan_check,
};

}  // namespace ecrlp::cli
