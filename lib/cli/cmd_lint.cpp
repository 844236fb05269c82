// SPDX-License-Identifier: MIT
// `ecrlp lint`: valid policies that probably do not do what was meant (docs/lint.md).

#include <ecrlp/lint.hpp>
#include <ecrlp/render.hpp>

#include <algorithm>
#include <charconv>
#include <ostream>
#include <vector>

#include "app.hpp"
#include "commands.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view usage[] = {"POLICY [--images FILE ...] [options]",
                                      "[POLICY] --registry DIR [options]"};

constexpr std::string_view levels[] = {"warning", "error"};

constexpr option_def option_table[] = {
    {"images", "FILE", value_type::file,
     "`aws ecr describe-images` output; repeat for several pages. Enables\n"
     "the checks on data and adds counts to the other findings.",
     true},
    {"registry", "DIR", value_type::directory,
     "A registry snapshot: lint every repository's own policy (or POLICY)\n"
     "against that repository's images, per repository."},
    {"now", "TIME", value_type::time, "With --images: the instant to evaluate at (default: now)."},
    policy_format_option,
    {"format", "FORMAT", value_type::choice, "text (default), json or markdown.", false,
     text_formats},
    {"fail-on", "LEVEL", value_type::choice,
     "warning (default): exit 1 on any finding; error: only on errors\n"
     "(lint.removes_too_much is the one error).",
     false, levels},
    {"max-remove-percent", "N", value_type::number,
     "With --images: lint.removes_too_much when the policy would expire more\n"
     "than N percent of the images (0 to 100, default 50)."},
    max_chars_option,
};

constexpr option_rule rule_table[] = {image_rules[0]};

std::optional<lint_options> lint_options_of(const command_line& cl, std::ostream& err) {
  lint_options options;
  if (const auto m = cl.get("max-remove-percent")) {
    const auto* end = m->data() + m->size();
    const auto [p, ec] = std::from_chars(m->data(), end, options.max_remove_percent);
    if (ec != std::errc{} || p != end || !(options.max_remove_percent >= 0.0) ||
        options.max_remove_percent > 100.0) {
      (void)usage_error(err, "lint",
                        "--max-remove-percent takes a number from 0 to 100, not '" + *m + "'");
      return std::nullopt;
    }
  }
  return options;
}

/// Every repository of the snapshot that could be read, with its own policy (or POLICY).
std::vector<repository_lint> lint_registry(const registry_snapshot& snapshot,
                                           const std::optional<parsed_policy>& policy,
                                           const std::string& policy_path, timestamp now,
                                           const lint_options& options) {
  std::vector<repository_lint> out;
  for (const auto& repo : snapshot.repositories) {
    if (repo.failed()) continue;
    repository_lint r;
    r.name = repo.name;
    r.has_policy = policy || repo.policy;
    if (r.has_policy) {
      const lifecycle_policy& p = policy ? policy->policy : repo.policy->policy;
      r.file = policy ? policy_path : (repo.directory / "lifecycle-policy.json").string();
      r.findings = lint(p, repo.images.images, now, options);
    }
    out.push_back(std::move(r));
  }
  return out;
}

bool fails(std::span<const lint_finding> findings, severity threshold) {
  return std::any_of(findings.begin(), findings.end(),
                     [&](const lint_finding& f) { return f.diag.level <= threshold; });
}

int run_lint(const command_line& cl, std::ostream& out, std::ostream& err) {
  const auto choice = report_option(cl, "lint", err);
  if (!choice) return exit_usage;
  const auto options = lint_options_of(cl, err);
  if (!options) return exit_usage;
  const auto now = now_option(cl, "lint", err);
  if (!now) return exit_usage;
  const severity threshold =
      cl.get("fail-on").value_or("warning") == "error" ? severity::error : severity::warning;

  int status = exit_ok;
  std::optional<parsed_policy> policy;
  const std::string given = cl.positional.empty() ? std::string() : cl.positional.front();
  const std::string path = display_name(given);
  std::vector<sourced_policy> several;  // infrastructure code of several policies: each is linted
  if (!given.empty()) {
    auto policies = load_policies_reporting(given, policy_format_of(cl), err, status);
    if (!policies || status != exit_ok) return std::max(status, static_cast<int>(exit_invalid));
    if (policies->empty()) {
      err << "ecrlp lint: " << path << " holds no lifecycle policy\n";
      return exit_invalid;
    }
    if (policies->size() == 1) {
      policy = std::move(policies->front().policy);
    } else {
      several = std::move(*policies);
    }
  }
  const auto input = load_image_input(cl, err, status);
  if (!input) return status;

  bool failed = false;
  if (!several.empty()) {
    if (input->registry) return usage_error(err, "lint", "--registry takes one POLICY, not " + path + "'s " + std::to_string(several.size()));
    std::vector<repository_lint> linted;
    for (const auto& p : several) {
      linted.push_back({p.address, true, p.label,
                        input->single ? lint(p.policy.policy, input->single->images, *now, *options)
                                      : lint(p.policy.policy)});
      failed = failed || fails(linted.back().findings, threshold);
    }
    render(out, registry_lint_document{linted, true}, choice->format, choice->options);
  } else if (!input->registry) {
    const auto findings = input->single ? lint(policy->policy, input->single->images, *now, *options)
                                        : lint(policy->policy);
    render(out, lint_document{findings, path}, choice->format, choice->options);
    failed = fails(findings, threshold);
  } else {
    const auto repositories = lint_registry(*input->registry, policy, path, *now, *options);
    render(out, registry_lint_document{repositories}, choice->format, choice->options);
    for (const auto& r : repositories) failed = failed || fails(r.findings, threshold);
  }
  return failed ? exit_invalid : status;
}

}  // namespace

constexpr command_def lint_command = {
    .name = "lint",
    .summary = "Warn about valid policies that probably do not do what was meant.",
    .usage = usage,
    .description =
        "Warns about a valid policy that probably does not do what its author meant: multi-entry "
        "tag lists\nread as OR, `*` in prefixes, patterns without `*`, rules that can never act, "
        "a catch-all\nimageCountMoreThan rule counting other rules' images, no rule for untagged "
        "images; with --images\nalso rules that select or own nothing, and a policy that would "
        "expire too much. Each finding has a\nstable code (docs/lint.md), the rule, a JSON "
        "pointer, an explanation and a suggested fix.\n",
    .options = option_table,
    .rules = rule_table,
    .positional = {.name = "POLICY", .min = 1, .max = 1, .unless = "registry"},
    .exit_status =
        "Exit status: 0 no finding at or above --fail-on, 1 such a finding (or an invalid policy "
        "or\ninventory), 2 usage error, 3 unreadable file.\n",
    .run = run_lint,
};

}  // namespace ecrlp::cli
