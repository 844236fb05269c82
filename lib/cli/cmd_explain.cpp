// SPDX-License-Identifier: MIT
#include "commands.hpp"

#include <ecrlp/explain.hpp>
#include <ecrlp/explain_report.hpp>

#include <ecrlp/in_use.hpp>
#include <ecrlp/registry_report.hpp>

#include <algorithm>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "app.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view explain_help =
    R"(Usage: ecrlp explain --policy FILE --images FILE [--images FILE ...] [options]
       ecrlp explain --registry DIR [--repository NAME] [--image NAME ...] [--policy FILE] [options]

Explains why each image is kept, expired or transitioned: the rule that owns it and how its count or
age limit judges it, every other rule that selects it (and what the owner protects it from), and
which of its tags matched which tagPrefixList/tagPatternList entry.

Options:
  --policy FILE         The policy: a policy document or `aws ecr get-lifecycle-policy` output.
                        With --registry: used instead of the repositories' own policies.
  --images FILE         `aws ecr describe-images` output; repeat for several pages.
  --manifests FILE      `aws ecr batch-get-image` output with the image indexes (repeatable).
  --registry DIR        A registry snapshot (examples/export-registry.sh).
  --repository NAME     With --registry: the repository to explain. Without it, every --image
                        NAME is looked for in every repository (--image is then required).
  --independent-images  Evaluate every image on its own: ignore index manifests and referrers.
  --in-use FILE         Images that are running (repeatable): the explanation says which
                        references make an image in use, and when removing it is a violation.
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

/// One repository to explain.
struct explain_target {
  std::string_view name;
  std::string_view registry_id;
  const inventory* inv = nullptr;
  const lifecycle_policy* policy = nullptr;
  std::vector<std::size_t> which;  ///< images to explain (empty: every image, oldest first)
};

void write_target(std::ostream& out, const explain_target& t, bool json, timestamp now,
                  bool independent, const in_use_input& in_use, in_use_coverage& coverage) {
  const explainer ex(*t.policy, t.inv->images,
                     evaluation_options{.now = now,
                                        .indexes = t.inv->indexes,
                                        .independent_images = independent});
  std::vector<std::size_t> which = t.which;
  if (which.empty()) which.assign(ex.order().begin(), ex.order().end());
  if (!in_use.given) {
    if (json) {
      write_explain_json(out, ex, which);
    } else {
      write_explain_text(out, ex, which);
    }
    return;
  }
  const auto matches =
      match_in_use(in_use.refs, t.name, t.registry_id, t.inv->images, t.inv->indexes);
  coverage.add(matches);
  const explain_in_use view{matches, in_use.refs};
  if (json) {
    write_explain_json(out, ex, which, view);
  } else {
    write_explain_text(out, ex, which, view);
  }
}

}  // namespace

int cmd_explain(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  static constexpr option_spec specs[] = {{"policy"},        images_option,
                                          manifests_option,  registry_option,
                                          independent_images_option, in_use_option,
                                          {"repository"},    {"now"},
                                          {"image", true},   {"format"}};
  command_line cl;
  if (auto e = parse_command_line(args, specs, cl)) return usage_error(err, "explain", *e);
  if (cl.help) {
    out << explain_help;
    return exit_ok;
  }
  if (!cl.positional.empty()) {
    return usage_error(err, "explain", "unexpected argument '" + cl.positional.front() + "'");
  }
  const bool registry = cl.has("registry");
  const auto policy_path = cl.get("policy");
  if (!policy_path && !registry) return usage_error(err, "explain", "--policy FILE is required");
  if (!registry && !cl.has("images")) {
    return usage_error(err, "explain", "--images FILE is required (or --registry DIR)");
  }
  if (auto e = check_image_options(cl)) return usage_error(err, "explain", *e);
  const auto repository = cl.get("repository");
  if (repository && !registry) return usage_error(err, "explain", "--repository needs --registry");
  const auto names = cl.all("image");
  if (registry && !repository && names.empty()) {
    return usage_error(err, "explain",
                       "with --registry, give --repository NAME or --image NAME (searched in every "
                       "repository)");
  }
  const auto format = cl.get("format");
  if (auto e = check_format(format, {"text", "json"})) return usage_error(err, "explain", *e);
  const bool json = format && *format == "json";
  const auto now = now_option(cl, "explain", err);
  if (!now) return exit_usage;

  int status = exit_ok;
  std::optional<parsed_policy> policy;
  if (policy_path) policy = load_policy_reporting(*policy_path, err, status);
  const auto input = load_image_input(cl, err, status);
  const auto in_use = load_in_use_reporting(cl, "explain", err, status);
  if ((policy_path && !policy) || !input || !in_use) return status;
  if (registry && !input->registry) return std::max(status, static_cast<int>(exit_invalid));

  // The repositories to explain, and the images of each.
  const lifecycle_policy no_policy;
  std::vector<explain_target> targets;
  if (input->single) {
    targets.push_back({input->single->repository_name, input->single->registry_id,
                       &*input->single, &policy->policy, {}});
  } else {
    bool found_repo = false;
    for (const auto& repo : input->registry->repositories) {
      if (repository && repo.name != *repository) continue;
      found_repo = true;
      if (repo.failed()) {
        err << "ecrlp explain: repository '" << repo.name << "' has errors and is skipped\n";
        continue;
      }
      const lifecycle_policy* p = policy ? &policy->policy
                                         : (repo.policy ? &repo.policy->policy : &no_policy);
      targets.push_back({repo.name, repo.registry_id, &repo.images, p, {}});
    }
    if (repository && !found_repo) {
      err << "ecrlp explain: no repository '" << *repository << "' in the snapshot\n";
      return exit_invalid;
    }
  }
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
      status = exit_invalid;
    }
  }
  if (status != exit_ok) return status;
  // With --image over several repositories, only those holding a named image are explained.
  if (!names.empty()) {
    std::erase_if(targets, [](const explain_target& t) { return t.which.empty(); });
  }

  in_use_coverage coverage(in_use->refs.size());
  if (!input->registry) {
    write_target(out, targets.front(), json, *now, input->independent_images, *in_use, coverage);
  } else {
    // One explanation per repository, each headed by its name (JSON: {"repositories": [...]}).
    if (json) out << "{\n  \"repositories\": [";
    bool first = true;
    for (const auto& t : targets) {
      if (json) {
        std::ostringstream one;
        write_target(one, t, true, *now, input->independent_images, *in_use, coverage);
        std::string body = one.str();
        if (!body.empty() && body.back() == '\n') body.pop_back();
        std::string indented = "    {\n      \"repositoryName\": " + json_string(t.name) +
                               ",\n      \"explanation\": ";
        for (const char c : body) {
          indented += c;
          if (c == '\n') indented += "      ";
        }
        out << (first ? "\n" : ",\n") << indented << "\n    }";
      } else {
        out << (first ? "" : "\n") << "Repository " << t.name << "\n";
        write_target(out, t, false, *now, input->independent_images, *in_use, coverage);
      }
      first = false;
    }
    if (json) out << (first ? "]" : "\n  ]") << "\n}\n";
  }
  if (in_use->given) {
    const auto unmatched = coverage.unmatched();
    warn_unmatched(err, "explain", in_use->refs, unmatched);
  }
  return exit_ok;
}

}  // namespace ecrlp::cli
