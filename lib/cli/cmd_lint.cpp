// SPDX-License-Identifier: MIT
#include "commands.hpp"

#include <ecrlp/explain_report.hpp>
#include <ecrlp/lint.hpp>

#include <algorithm>
#include <charconv>
#include <ostream>
#include <vector>

#include "app.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view lint_help = R"(Usage: ecrlp lint POLICY [--images FILE ...] [options]
       ecrlp lint [POLICY] --registry DIR [options]

Warns about a valid policy that probably does not do what its author meant: multi-entry tag lists
read as OR, `*` in prefixes, patterns without `*`, rules that can never act, a catch-all
imageCountMoreThan rule counting other rules' images, no rule for untagged images; with --images
also rules that select or own nothing, and a policy that would expire too much. Each finding has a
stable code (docs/lint.md), the rule, a JSON pointer, an explanation and a suggested fix.

Options:
  --images FILE              `aws ecr describe-images` output; repeat for several pages. Enables
                             the checks on data and adds counts to the other findings.
  --registry DIR             A registry snapshot: lint every repository's own policy (or POLICY)
                             against that repository's images, per repository.
  --now TIME                 With --images: the instant to evaluate at (default: now).
  --format FORMAT            text (default) or json.
  --fail-on LEVEL            warning (default): exit 1 on any finding; error: only on errors
                             (lint.removes_too_much is the one error).
  --max-remove-percent N     With --images: lint.removes_too_much when the policy would expire more
                             than N percent of the images (0 to 100, default 50).
  -h, --help                 Show this help.

Exit status: 0 no finding at or above --fail-on, 1 such a finding (or an invalid policy or
inventory), 2 usage error, 3 unreadable file.
)";

}  // namespace

int cmd_lint(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  static constexpr option_spec specs[] = {images_option, registry_option,  {"now"},
                                          {"format"},    {"fail-on"},      {"max-remove-percent"}};
  command_line cl;
  if (auto e = parse_command_line(args, specs, cl)) return usage_error(err, "lint", *e);
  if (cl.help) {
    out << lint_help;
    return exit_ok;
  }
  const bool registry = cl.has("registry");
  if (cl.positional.size() > 1 || (cl.positional.empty() && !registry)) {
    return usage_error(
        err, "lint",
        cl.positional.empty() ? "no POLICY file given" : "give exactly one POLICY file");
  }
  if (auto e = check_image_options(cl, false)) return usage_error(err, "lint", *e);
  const auto format = cl.get("format");
  if (auto e = check_format(format, {"text", "json"})) return usage_error(err, "lint", *e);
  const bool json = format && *format == "json";
  const auto fail_on = cl.get("fail-on").value_or("warning");
  if (fail_on != "warning" && fail_on != "error") {
    return usage_error(err, "lint", "--fail-on takes warning or error, not '" + fail_on + "'");
  }
  lint_options options;
  if (const auto m = cl.get("max-remove-percent")) {
    const auto* end = m->data() + m->size();
    const auto [p, ec] = std::from_chars(m->data(), end, options.max_remove_percent);
    if (ec != std::errc{} || p != end || !(options.max_remove_percent >= 0.0) ||
        options.max_remove_percent > 100.0) {
      return usage_error(err, "lint",
                         "--max-remove-percent takes a number from 0 to 100, not '" + *m + "'");
    }
  }
  const auto now = now_option(cl, "lint", err);
  if (!now) return exit_usage;

  int status = exit_ok;
  std::optional<parsed_policy> policy;
  if (!cl.positional.empty()) {
    policy = load_policy_reporting(cl.positional.front(), err, status);
    if (!policy) return status;
  }
  const auto input = load_image_input(cl, err, status);
  if (!input) return status;
  const severity threshold = fail_on == "error" ? severity::error : severity::warning;
  bool fails = false;
  const auto check = [&](const std::vector<lint_finding>& findings) {
    fails = fails || std::any_of(findings.begin(), findings.end(), [&](const lint_finding& f) {
              return f.diag.level <= threshold;
            });
  };

  if (!input->registry) {
    const std::string& path = cl.positional.front();
    const auto findings =
        input->single ? lint(policy->policy, input->single->images, *now, options)
                      : lint(policy->policy);
    out << (json ? render_lint_json(findings, path) : render_lint_text(findings, path));
    check(findings);
    return fails ? exit_invalid : status;
  }
  // Per repository: its own policy (or POLICY) against its images.
  if (json) out << "{\n  \"repositories\": [";
  bool first = true;
  for (const auto& repo : input->registry->repositories) {
    if (repo.failed()) continue;
    if (!policy && !repo.policy) {
      if (!json) out << (first ? "" : "\n") << "Repository " << repo.name << ": no lifecycle policy\n";
      first = json ? first : false;
      continue;
    }
    const lifecycle_policy& p = policy ? policy->policy : repo.policy->policy;
    const std::string file = policy ? cl.positional.front()
                                    : (repo.directory / "lifecycle-policy.json").string();
    const auto findings = lint(p, repo.images.images, *now, options);
    check(findings);
    if (json) {
      std::string body = render_lint_json(findings, file);
      if (!body.empty() && body.back() == '\n') body.pop_back();
      std::string indented = "    {\n      \"repositoryName\": " + json_string(repo.name) +
                             ",\n      \"lint\": ";
      for (const char c : body) {
        indented += c;
        if (c == '\n') indented += "      ";
      }
      out << (first ? "\n" : ",\n") << indented << "\n    }";
    } else {
      out << (first ? "" : "\n") << "Repository " << repo.name << "\n"
          << render_lint_text(findings, file);
    }
    first = false;
  }
  if (json) out << (first ? "]" : "\n  ]") << "\n}\n";
  return fails ? exit_invalid : status;
}

}  // namespace ecrlp::cli
