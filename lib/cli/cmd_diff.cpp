// SPDX-License-Identifier: MIT
#include "commands.hpp"

#include <ecrlp/diff.hpp>
#include <ecrlp/explain_report.hpp>
#include <ecrlp/html_report.hpp>

#include <charconv>
#include <ostream>

#include "app.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view diff_help =
    R"(Usage: ecrlp diff --policy OLD --policy NEW --images FILE [--images FILE ...] [options]

Evaluates two policies over the same images at the same instant and shows the images whose fate
differs: kept -> expired, expired -> kept, kept -> transitioned, transitioned -> kept,
expired -> transitioned, transitioned -> expired, and the same fate by another rule; with the
images and bytes of each kind of change and the per-rule totals of both policies.

Options:
  --policy FILE        Give twice: the old policy first, then the new one.
  --images FILE        `aws ecr describe-images` output; repeat for several pages.
  --now TIME           The instant to evaluate at: ISO-8601 with offset or epoch seconds.
                       Default: the current time.
  --format FORMAT      table (default): a report for a person.
                       json: totals per kind of change and rule, and the changed images.
                       csv: one row per changed image.
                       html: one self-contained page: both policies' summaries, before/after
                             and per-rule charts, the kinds of change, and a sortable table of
                             the changed images, each expanding to its explanations.
  --max-rows N         html only: list at most N changed images (default 1000; 0 = all).
  -h, --help           Show this help.

Exit status: 0 success (whether or not anything changes), 1 invalid policy or inventory,
2 usage error, 3 unreadable file.
)";

}  // namespace

int cmd_diff(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  static constexpr option_spec specs[] = {{"policy", true}, {"images", true}, {"now"}, {"format"},
                                          {"max-rows"}};
  command_line cl;
  if (auto e = parse_command_line(args, specs, cl)) return usage_error(err, "diff", *e);
  if (cl.help) {
    out << diff_help;
    return exit_ok;
  }
  if (!cl.positional.empty()) {
    return usage_error(err, "diff", "unexpected argument '" + cl.positional.front() + "'");
  }
  const auto policy_paths = cl.all("policy");
  if (policy_paths.size() != 2) {
    return usage_error(err, "diff", "give --policy twice: the old policy, then the new one");
  }
  const auto image_paths = cl.all("images");
  if (image_paths.empty()) return usage_error(err, "diff", "--images FILE is required");
  const auto format = cl.get("format");
  if (auto e = check_format(format, {"table", "json", "csv", "html"})) {
    return usage_error(err, "diff", *e);
  }
  std::size_t max_rows = html_default_max_rows;
  if (const auto m = cl.get("max-rows")) {
    const auto* end = m->data() + m->size();
    const auto [p, ec] = std::from_chars(m->data(), end, max_rows);
    if (ec != std::errc{} || p != end) {
      return usage_error(err, "diff", "--max-rows takes a whole number, not '" + *m + "'");
    }
  }
  const auto now = now_option(cl, "diff", err);
  if (!now) return exit_usage;

  int status = exit_ok;
  const auto before = load_policy_reporting(policy_paths[0], err, status);
  const auto after = load_policy_reporting(policy_paths[1], err, status);
  const auto inv = load_images_reporting(image_paths, err, status);
  if (!before || !after || !inv) return status;

  const auto& images = inv->images;
  const policy_diff d = diff(before->policy, after->policy, images, {.now = *now});
  const diff_document doc{
      before->policy, after->policy, policy_paths[0], policy_paths[1], images, d, *now};
  if (!format || *format == "table") {
    out << render_diff_table(doc);
  } else if (*format == "json") {
    out << render_diff_json(doc);
  } else if (*format == "html") {
    out << render_diff_html(doc, max_rows);
  } else {
    out << render_diff_csv(doc);
  }
  return exit_ok;
}

}  // namespace ecrlp::cli
