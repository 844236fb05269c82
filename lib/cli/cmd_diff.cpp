// SPDX-License-Identifier: MIT
// `ecrlp diff`: the images whose fate differs between two policies; per repository and in total
// with --registry.

#include <ecrlp/diff.hpp>
#include <ecrlp/registry.hpp>
#include <ecrlp/render.hpp>

#include <algorithm>
#include <ostream>
#include <string>

#include "app.hpp"
#include "commands.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view usage[] = {
    "--policy OLD --policy NEW --images FILE [--images FILE ...] [options]",
    "[--policy OLD] --policy NEW --registry DIR [options]"};

constexpr option_def option_table[] = {
    {"policy", "FILE", value_type::file,
     "Give twice: the old policy first, then the new one. FILE#ADDRESS names\n"
     "one in infrastructure code (docs/iac.md).",
     true},
    policy_format_option,
    images_option,
    manifests_option,
    {"registry", "DIR", value_type::directory,
     "A registry snapshot: every repository, per repository and in total. With\n"
     "one --policy NEW, each repository's own policy is the old one."},
    independent_images_option,
    now_option_def,
    {"format", "FORMAT", value_type::choice,
     "table (default): a report for a person.\n"
     "json: totals per kind of change and rule, and the changed images.\n"
     "csv: one row per changed image.\n"
     "html: one self-contained page: both policies' summaries, before/after\n"
     "      and per-rule charts, the kinds of change, and a sortable table of\n"
     "      the changed images, each expanding to its explanations. With\n"
     "      --registry: the kinds of change in total and per repository, a\n"
     "      sortable table of the repositories, then per changed repository its\n"
     "      before/after bars and its changed images, each expanding likewise.\n"
     "markdown: for a pull request: the changes by kind, the rules that\n"
     "      differ, the changed images folded, under --max-chars.",
     false, table_formats},
    {"max-rows", "N", value_type::number,
     "html: list at most N changed images (default 1000; 0 = all); with\n"
     "--registry, on the whole page. markdown: as many as --max-chars allows."},
    max_chars_option,
};

constexpr option_rule rule_table[] = {
    {option_rule::kind::required, "images", "registry"},
    image_rules[0],
    image_rules[1],
    image_rules[2],
};

/// `diff --registry`: every repository, OLD = its own policy (or the first --policy), NEW = the
/// last --policy; per repository and in total.
int diff_registry_command(const command_line& cl, const report_choice& choice, timestamp now,
                          std::ostream& out, std::ostream& err) {
  const auto policy_paths = cl.all("policy");
  int status = exit_ok;
  std::optional<parsed_policy> old_policy;
  if (policy_paths.size() == 2) {
    old_policy = load_policy_reporting(cl, policy_paths[0], "diff", err, status);
    if (!old_policy) return status;
  }
  const auto new_policy = load_policy_reporting(cl, policy_paths.back(), "diff", err, status);
  if (!new_policy) return status;
  const auto input = load_image_input(cl, err, status);
  if (!input || !input->registry) return std::max(status, static_cast<int>(exit_invalid));
  const registry_diff_document doc =
      diff_registry(*input->registry,
                    {.now = now,
                     .old_policy = old_policy ? &old_policy->policy : nullptr,
                     .old_name = old_policy ? std::string_view(policy_paths[0]) : std::string_view(),
                     .new_policy = &new_policy->policy,
                     .new_name = policy_paths.back(),
                     .independent_images = input->independent_images});
  render(out, doc, choice.format, choice.options);
  return status;
}

int run_diff(const command_line& cl, std::ostream& out, std::ostream& err) {
  const bool registry = cl.has("registry");
  const auto policy_paths = cl.all("policy");
  if (policy_paths.size() != 2 && !(registry && policy_paths.size() == 1)) {
    return usage_error(err, "diff",
                       registry ? "give --policy NEW (each repository's own policy -> NEW) or "
                                  "--policy OLD --policy NEW"
                                : "give --policy twice: the old policy, then the new one");
  }
  const auto choice = report_option(cl, "diff", err);
  if (!choice) return exit_usage;
  const auto now = now_option(cl, "diff", err);
  if (!now) return exit_usage;
  if (registry) return diff_registry_command(cl, *choice, *now, out, err);

  int status = exit_ok;
  const auto before = load_policy_reporting(cl, policy_paths[0], "diff", err, status);
  const auto after = load_policy_reporting(cl, policy_paths[1], "diff", err, status);
  const auto input = load_image_input(cl, err, status);
  if (!before || !after || !input || !input->single) return status;

  const auto& images = input->single->images;
  const policy_diff d = diff(before->policy, after->policy, images,
                             {.now = *now,
                              .indexes = input->single->indexes,
                              .independent_images = input->independent_images});
  const diff_document doc{
      before->policy, after->policy, policy_paths[0], policy_paths[1], images, d, *now};
  render(out, doc, choice->format, choice->options);
  return exit_ok;
}

}  // namespace

constexpr command_def diff_command = {
    .name = "diff",
    .summary = "Show which images change fate when one policy replaces another.",
    .usage = usage,
    .description =
        "Evaluates two policies over the same images at the same instant and shows the images "
        "whose fate\ndiffers: kept -> expired, expired -> kept, kept -> transitioned, "
        "transitioned -> kept,\nexpired -> transitioned, transitioned -> expired, and the same "
        "fate by another rule; with the\nimages and bytes of each kind of change and the "
        "per-rule totals of both policies.\n",
    .options = option_table,
    .rules = rule_table,
    .exit_status =
        "Exit status: 0 success (whether or not anything changes), 1 invalid policy or "
        "inventory,\n2 usage error, 3 unreadable file.\n",
    .run = run_diff,
};

}  // namespace ecrlp::cli
