// SPDX-License-Identifier: MIT
// `ecrlp explain`: why each image is kept, expired or transitioned.

#include <ecrlp/explain.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/render.hpp>

#include <algorithm>
#include <deque>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "app.hpp"
#include "commands.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view usage[] = {
    "--policy FILE --images FILE [--images FILE ...] [options]",
    "--registry DIR [--repository NAME] [--image NAME ...] [--policy FILE] [options]"};

constexpr option_def option_table[] = {
    {"policy", "FILE", value_type::file,
     "The policy: a policy document or `aws ecr get-lifecycle-policy` output.\n"
     "With --registry: used instead of the repositories' own policies.\n"
     "FILE#ADDRESS names one in infrastructure code (docs/iac.md)."},
    policy_format_option,
    images_option,
    manifests_option,
    registry_option,
    {"repository", "NAME", value_type::text,
     "With --registry: the repository to explain. Without it, every --image\n"
     "NAME is looked for in every repository (--image is then required)."},
    independent_images_option,
    {"in-use", "FILE", value_type::file,
     "Images that are running (repeatable): the explanation says which\n"
     "references make an image in use, and when removing it is a violation.",
     true},
    now_option_def,
    {"image", "NAME", value_type::text,
     "Explain only this image: a full digest, a digest prefix (with or without\n"
     "\"sha256:\") or a tag. Repeatable. A NAME that matches no image is an error.\n"
     "Default: every image, oldest first.",
     true},
    {"format", "FORMAT", value_type::choice,
     "text (default): a sentence per fact; json: the same facts as fields;\n"
     "markdown: a table of the images and their fates, each explained, for a\n"
     "pull request.",
     false, text_formats},
    max_chars_option,
};

constexpr option_rule rule_table[] = {
    {option_rule::kind::required, "policy", "registry"},
    {option_rule::kind::required, "images", "registry"},
    image_rules[0],
    image_rules[1],
    image_rules[2],
    {option_rule::kind::needs, "repository", "registry"},
};

/// One repository to explain.
struct explain_target {
  std::string_view name;
  std::string_view registry_id;
  const inventory* inv = nullptr;
  const lifecycle_policy* policy = nullptr;
  std::vector<std::size_t> which;  ///< images to explain (empty: every image, oldest first)
};

/// The repositories to explain: the one of --images, or those of the snapshot (--repository
/// narrows them). nullopt (with the error printed) when --repository names none.
std::optional<std::vector<explain_target>> find_targets(const command_line& cl,
                                                        const image_input& input,
                                                        const lifecycle_policy* policy,
                                                        const lifecycle_policy& no_policy,
                                                        std::ostream& err) {
  std::vector<explain_target> targets;
  if (input.single) {
    targets.push_back(
        {input.single->repository_name, input.single->registry_id, &*input.single, policy, {}});
    return targets;
  }
  const auto repository = cl.get("repository");
  bool found_repo = false;
  for (const auto& repo : input.registry->repositories) {
    if (repository && repo.name != *repository) continue;
    found_repo = true;
    if (repo.failed()) {
      err << "ecrlp explain: repository '" << repo.name << "' has errors and is skipped\n";
      continue;
    }
    const lifecycle_policy* p =
        policy != nullptr ? policy : (repo.policy ? &repo.policy->policy : &no_policy);
    targets.push_back({repo.name, repo.registry_id, &repo.images, p, {}});
  }
  if (repository && !found_repo) {
    err << "ecrlp explain: no repository '" << *repository << "' in the snapshot\n";
    return std::nullopt;
  }
  return targets;
}

/// Adds the images every --image names to the targets holding them; false (with the error
/// printed) when a name matches no image.
bool select_images(const std::vector<std::string>& names, std::vector<explain_target>& targets,
                   std::ostream& err) {
  bool ok = true;
  for (const auto& name : names) {
    bool found = false;
    for (auto& t : targets) {
      for (const auto i : find_images(t.inv->images, name)) {
        found = true;
        if (std::find(t.which.begin(), t.which.end(), i) == t.which.end()) t.which.push_back(i);
      }
    }
    if (!found) {
      err << "ecrlp explain: no image matches '" << name
          << "' (give a digest, a digest prefix or a tag)\n";
      ok = false;
    }
  }
  // With --image over several repositories, only those holding a named image are explained.
  if (!names.empty()) {
    std::erase_if(targets, [](const explain_target& t) { return t.which.empty(); });
  }
  return ok;
}

/// What is explained of one target, kept alive while the document is written.
struct explained {
  std::unique_ptr<explainer> ex;
  std::vector<std::size_t> which;
  std::vector<in_use_match> matches;
  explain_in_use in_use;
};

explained explain_target_images(const explain_target& t, timestamp now, bool independent,
                                const in_use_input& in_use, in_use_coverage& coverage) {
  explained e;
  e.ex = std::make_unique<explainer>(*t.policy, t.inv->images,
                                     evaluation_options{.now = now,
                                                        .indexes = t.inv->indexes,
                                                        .independent_images = independent});
  e.which = t.which;
  if (e.which.empty()) e.which.assign(e.ex->order().begin(), e.ex->order().end());
  if (in_use.given) {
    e.matches = match_in_use(in_use.refs, t.name, t.registry_id, t.inv->images, t.inv->indexes);
    coverage.add(e.matches);
    e.in_use = {e.matches, in_use.refs};
  }
  return e;
}

int run_explain(const command_line& cl, std::ostream& out, std::ostream& err) {
  const bool registry = cl.has("registry");
  const auto names = cl.all("image");
  if (registry && !cl.has("repository") && names.empty()) {
    return usage_error(err, "explain",
                       "with --registry, give --repository NAME or --image NAME (searched in every "
                       "repository)");
  }
  const auto choice = report_option(cl, "explain", err);
  if (!choice) return exit_usage;
  const auto now = now_option(cl, "explain", err);
  if (!now) return exit_usage;

  int status = exit_ok;
  const auto policy_path = cl.get("policy");
  std::optional<parsed_policy> policy;
  if (policy_path) policy = load_policy_reporting(cl, *policy_path, "explain", err, status);
  const auto input = load_image_input(cl, err, status);
  const auto in_use = load_in_use_reporting(cl, "explain", err, status);
  if ((policy_path && !policy) || !input || !in_use) return status;
  if (registry && !input->registry) return std::max(status, static_cast<int>(exit_invalid));

  const lifecycle_policy no_policy;
  auto targets = find_targets(cl, *input, policy ? &policy->policy : nullptr, no_policy, err);
  if (!targets) return exit_invalid;
  if (!select_images(names, *targets, err)) return exit_invalid;
  if (status != exit_ok) return status;

  in_use_coverage coverage(in_use->refs.size());
  std::deque<explained> parts;
  std::vector<repository_explanation> repositories;
  for (const auto& t : *targets) {
    auto& e = parts.emplace_back(
        explain_target_images(t, *now, input->independent_images, *in_use, coverage));
    repositories.push_back(
        {t.name, explain_document{*e.ex, e.which, in_use->given ? &e.in_use : nullptr}});
  }
  if (!input->registry) {
    render(out, repositories.front().document, choice->format, choice->options);
  } else {
    render(out, registry_explain_document{repositories}, choice->format, choice->options);
  }
  if (in_use->given) warn_unmatched(err, "explain", in_use->refs, coverage.unmatched());
  return exit_ok;
}

}  // namespace

constexpr command_def explain_command = {
    .name = "explain",
    .summary = "Say why each image is kept, expired or transitioned, and what protected it.",
    .usage = usage,
    .description =
        "Explains why each image is kept, expired or transitioned: the rule that owns it and how "
        "its count or\nage limit judges it, every other rule that selects it (and what the owner "
        "protects it from), and\nwhich of its tags matched which tagPrefixList/tagPatternList "
        "entry.\n",
    .options = option_table,
    .rules = rule_table,
    .exit_status =
        "Exit status: 0 success, 1 invalid policy or inventory or an --image that matches "
        "nothing,\n2 usage error, 3 unreadable file.\n",
    .run = run_explain,
};

}  // namespace ecrlp::cli
