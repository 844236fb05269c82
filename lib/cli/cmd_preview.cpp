// SPDX-License-Identifier: MIT
#include "commands.hpp"

#include <ecrlp/evaluate.hpp>
#include <ecrlp/html_report.hpp>
#include <ecrlp/report.hpp>

#include <charconv>
#include <ostream>

#include "app.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view preview_help = R"(Usage: ecrlp preview --policy FILE --images FILE [--images FILE ...] [options]

Evaluates a lifecycle policy over a repository's images exactly as ECR would at one instant, offline.

Options:
  --policy FILE        The policy: a policy document or `aws ecr get-lifecycle-policy` output.
  --images FILE        `aws ecr describe-images` output ({"imageDetails": [...]} or a bare array).
                       Repeat for several pages; they are concatenated in order. Export with
                       `--filter imageStatus=ANY` to include archived images.
  --now TIME           The instant to evaluate at: ISO-8601 with offset (2026-11-28T00:00:00Z)
                       or epoch seconds. Default: the current time.
  --format FORMAT      table (default): a report for a person.
                       json: the shape of `aws ecr get-lifecycle-policy-preview`, plus an
                             "ecrlpReport" object with per-rule and before/after totals.
                       csv: one row per image with its fate.
                       html: one self-contained page with before/after and per-rule charts and
                             a sortable table of the affected images.
  --max-rows N         table only: list at most N affected images (default 50; 0 = all).
  -h, --help           Show this help.

Exit status: 0 success, 1 invalid policy or inventory, 2 usage error, 3 unreadable file.
)";

}  // namespace

int cmd_preview(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  static constexpr option_spec specs[] = {
      {"policy"}, {"images", true}, {"now"}, {"format"}, {"max-rows"}};
  command_line cl;
  if (auto e = parse_command_line(args, specs, cl)) return usage_error(err, "preview", *e);
  if (cl.help) {
    out << preview_help;
    return exit_ok;
  }
  if (!cl.positional.empty()) {
    return usage_error(err, "preview", "unexpected argument '" + cl.positional.front() + "'");
  }
  const auto policy_path = cl.get("policy");
  if (!policy_path) return usage_error(err, "preview", "--policy FILE is required");
  const auto image_paths = cl.all("images");
  if (image_paths.empty()) return usage_error(err, "preview", "--images FILE is required");
  const auto format = cl.get("format");
  if (auto e = check_format(format, {"table", "json", "csv", "html"})) {
    return usage_error(err, "preview", *e);
  }
  std::size_t max_rows = 50;
  if (const auto m = cl.get("max-rows")) {
    const auto* end = m->data() + m->size();
    const auto [p, ec] = std::from_chars(m->data(), end, max_rows);
    if (ec != std::errc{} || p != end) {
      return usage_error(err, "preview", "--max-rows takes a whole number, not '" + *m + "'");
    }
  }
  const auto now = now_option(cl, "preview", err);
  if (!now) return exit_usage;

  int status = exit_ok;
  const auto policy = load_policy_reporting(*policy_path, err, status);
  const auto inv = load_images_reporting(image_paths, err, status);
  if (!policy || !inv) return status;

  const auto& images = inv->images;
  const auto result = evaluate(policy->policy, images, {.now = *now});
  err << render_diagnostics_text(result.warnings);
  const preview_document doc{policy->policy, policy->text,           images,
                             result,         *now,                   policy->repository_name,
                             policy->registry_id};
  if (!format || *format == "table") {
    out << render_preview_table(doc, max_rows);
  } else if (*format == "json") {
    out << render_preview_json(doc);
  } else if (*format == "html") {
    out << render_preview_html(doc);
  } else {
    out << render_preview_csv(doc);
  }
  return exit_ok;
}


}  // namespace ecrlp::cli
