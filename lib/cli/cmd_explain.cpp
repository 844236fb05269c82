// SPDX-License-Identifier: MIT
#include "commands.hpp"

#include <ecrlp/explain.hpp>
#include <ecrlp/explain_report.hpp>

#include <algorithm>
#include <ostream>
#include <vector>

#include "app.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view explain_help =
    R"(Usage: ecrlp explain --policy FILE --images FILE [--images FILE ...] [options]

Explains why each image is kept, expired or transitioned: the rule that owns it and how its count or
age limit judges it, every other rule that selects it (and what the owner protects it from), and
which of its tags matched which tagPrefixList/tagPatternList entry.

Options:
  --policy FILE         The policy: a policy document or `aws ecr get-lifecycle-policy` output.
  --images FILE         `aws ecr describe-images` output; repeat for several pages.
  --now TIME            The instant to evaluate at: ISO-8601 with offset or epoch seconds.
                        Default: the current time.
  --image NAME          Explain only this image: a full digest, a digest prefix (with or without
                        "sha256:") or a tag. Repeatable. A NAME that matches no image is an error.
                        Default: every image, oldest first.
  --format FORMAT       text (default): a sentence per fact; json: the same facts as fields.
  -h, --help            Show this help.

Exit status: 0 success, 1 invalid policy or inventory or an --image that matches nothing,
2 usage error, 3 unreadable file.
)";

}  // namespace

int cmd_explain(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  static constexpr option_spec specs[] = {
      {"policy"}, {"images", true}, {"now"}, {"image", true}, {"format"}};
  command_line cl;
  if (auto e = parse_command_line(args, specs, cl)) return usage_error(err, "explain", *e);
  if (cl.help) {
    out << explain_help;
    return exit_ok;
  }
  if (!cl.positional.empty()) {
    return usage_error(err, "explain", "unexpected argument '" + cl.positional.front() + "'");
  }
  const auto policy_path = cl.get("policy");
  if (!policy_path) return usage_error(err, "explain", "--policy FILE is required");
  const auto image_paths = cl.all("images");
  if (image_paths.empty()) return usage_error(err, "explain", "--images FILE is required");
  const auto format = cl.get("format");
  if (auto e = check_format(format, {"text", "json"})) return usage_error(err, "explain", *e);
  const auto now = now_option(cl, "explain", err);
  if (!now) return exit_usage;

  int status = exit_ok;
  const auto policy = load_policy_reporting(*policy_path, err, status);
  const auto inv = load_images_reporting(image_paths, err, status);
  if (!policy || !inv) return status;

  const explainer ex(policy->policy, inv->images, *now);
  std::vector<std::size_t> which;
  const auto names = cl.all("image");
  if (names.empty()) which.assign(ex.order().begin(), ex.order().end());
  for (const auto& name : names) {
    const auto found = find_images(inv->images, name);
    if (found.empty()) {
      err << "ecrlp explain: no image matches '" << name
          << "' (give a digest, a digest prefix or a tag)\n";
      status = exit_invalid;
    }
    for (const auto i : found) {
      if (std::find(which.begin(), which.end(), i) == which.end()) which.push_back(i);
    }
  }
  if (status != exit_ok) return status;
  if (format && *format == "json") {
    write_explain_json(out, ex, which);
  } else {
    write_explain_text(out, ex, which);
  }
  return exit_ok;
}

}  // namespace ecrlp::cli
