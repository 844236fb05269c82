// SPDX-License-Identifier: MIT
#include "commands.hpp"

#include <ecrlp/diff.hpp>
#include <ecrlp/explain_report.hpp>
#include <ecrlp/html_report.hpp>
#include <ecrlp/registry_diff_report.hpp>

#include <algorithm>
#include <ostream>
#include <string>

#include "app.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view diff_help =
    R"(Usage: ecrlp diff --policy OLD --policy NEW --images FILE [--images FILE ...] [options]
       ecrlp diff [--policy OLD] --policy NEW --registry DIR [options]

Evaluates two policies over the same images at the same instant and shows the images whose fate
differs: kept -> expired, expired -> kept, kept -> transitioned, transitioned -> kept,
expired -> transitioned, transitioned -> expired, and the same fate by another rule; with the
images and bytes of each kind of change and the per-rule totals of both policies.

Options:
  --policy FILE        Give twice: the old policy first, then the new one.
  --images FILE        `aws ecr describe-images` output; repeat for several pages.
  --manifests FILE     `aws ecr batch-get-image` output with the image indexes (repeatable).
  --registry DIR       A registry snapshot: every repository, per repository and in total. With
                       one --policy NEW, each repository's own policy is the old one.
  --independent-images Evaluate every image on its own: ignore index manifests and referrers.
  --now TIME           The instant to evaluate at: ISO-8601 with offset or epoch seconds.
                       Default: the current time.
  --format FORMAT      table (default): a report for a person.
                       json: totals per kind of change and rule, and the changed images.
                       csv: one row per changed image.
                       html: one self-contained page: both policies' summaries, before/after
                             and per-rule charts, the kinds of change, and a sortable table of
                             the changed images, each expanding to its explanations. With
                             --registry: the kinds of change in total and per repository, a
                             sortable table of the repositories, then per changed repository its
                             before/after bars and its changed images, each expanding likewise.
  --max-rows N         html only: list at most N changed images (default 1000; 0 = all); with
                       --registry, on the whole page.
  -h, --help           Show this help.

Exit status: 0 success (whether or not anything changes), 1 invalid policy or inventory,
2 usage error, 3 unreadable file.
)";

}  // namespace

namespace {

/// `diff --registry`: every repository, OLD = its own policy (or the first --policy), NEW = the
/// last --policy; per repository and in total.
int diff_registry_command(const command_line& cl, const std::optional<std::string>& format,
                          timestamp now, std::size_t max_rows, std::ostream& out,
                          std::ostream& err) {
  const auto policy_paths = cl.all("policy");
  int status = exit_ok;
  std::optional<parsed_policy> old_policy;
  if (policy_paths.size() == 2) {
    old_policy = load_policy_reporting(policy_paths[0], err, status);
    if (!old_policy) return status;
  }
  const auto new_policy = load_policy_reporting(policy_paths.back(), err, status);
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
  if (!format || *format == "table") {
    out << render_registry_diff_table(doc);
  } else if (*format == "json") {
    out << render_registry_diff_json(doc);
  } else if (*format == "html") {
    out << render_registry_diff_html(doc, max_rows);
  } else {
    out << render_registry_diff_csv(doc);
  }
  return status;
}

}  // namespace

int cmd_diff(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  static constexpr option_spec specs[] = {{"policy", true}, images_option, manifests_option,
                                          registry_option, independent_images_option,
                                          {"now"}, {"format"}, {"max-rows"}};
  command_line cl;
  if (auto e = parse_command_line(args, specs, cl)) return usage_error(err, "diff", *e);
  if (cl.help) {
    out << diff_help;
    return exit_ok;
  }
  if (!cl.positional.empty()) {
    return usage_error(err, "diff", "unexpected argument '" + cl.positional.front() + "'");
  }
  const bool registry = cl.has("registry");
  const auto policy_paths = cl.all("policy");
  if (policy_paths.size() != 2 && !(registry && policy_paths.size() == 1)) {
    return usage_error(err, "diff",
                       registry ? "give --policy NEW (each repository's own policy -> NEW) or "
                                  "--policy OLD --policy NEW"
                                : "give --policy twice: the old policy, then the new one");
  }
  if (!registry && !cl.has("images")) return usage_error(err, "diff", "--images FILE is required");
  if (auto e = check_image_options(cl)) return usage_error(err, "diff", *e);
  const auto format = cl.get("format");
  if (auto e = check_format(format, {"table", "json", "csv", "html"})) {
    return usage_error(err, "diff", *e);
  }
  const auto max_rows = max_rows_option(cl, "diff", html_default_max_rows, err);
  if (!max_rows) return exit_usage;
  const auto now = now_option(cl, "diff", err);
  if (!now) return exit_usage;
  if (registry) return diff_registry_command(cl, format, *now, *max_rows, out, err);

  int status = exit_ok;
  const auto before = load_policy_reporting(policy_paths[0], err, status);
  const auto after = load_policy_reporting(policy_paths[1], err, status);
  const auto input = load_image_input(cl, err, status);
  if (!before || !after || !input || !input->single) return status;

  const auto& images = input->single->images;
  const policy_diff d = diff(before->policy, after->policy, images,
                             {.now = *now,
                              .indexes = input->single->indexes,
                              .independent_images = input->independent_images});
  const diff_document doc{
      before->policy, after->policy, policy_paths[0], policy_paths[1], images, d, *now};
  if (!format || *format == "table") {
    out << render_diff_table(doc);
  } else if (*format == "json") {
    out << render_diff_json(doc);
  } else if (*format == "html") {
    out << render_diff_html(doc, *max_rows);
  } else {
    out << render_diff_csv(doc);
  }
  return exit_ok;
}

}  // namespace ecrlp::cli
