// SPDX-License-Identifier: MIT
// `ecrlp simulate`: a policy applied step after step, as ECR's daily runs do: what it removes
// and archives, and when; for one repository or every repository of a snapshot.

#include <ecrlp/in_use.hpp>
#include <ecrlp/registry.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/simulate.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "app.hpp"
#include "commands.hpp"
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view usage[] = {
    "--policy FILE --images FILE [--images FILE ...] --from TIME --to TIME [options]",
    "--registry DIR [--policy FILE] --from TIME --to TIME [options]"};

constexpr std::string_view modes[] = {"replay", "static"};

constexpr option_def option_table[] = {
    {"policy", "FILE", value_type::file,
     "The policy: a policy document or `aws ecr get-lifecycle-policy` output.\n"
     "With --registry: apply it to every repository instead of their own (what-if).\n"
     "FILE#ADDRESS names one in infrastructure code (docs/iac.md)."},
    policy_format_option,
    images_option,
    {"manifests", "FILE", value_type::file,
     "`aws ecr batch-get-image` output with the image indexes (repeatable): a\n"
     "live index guards its children until it goes itself.",
     true},
    {"registry", "DIR", value_type::directory,
     "A registry snapshot (examples/export-registry.sh): simulate every\n"
     "repository, with its own index manifests."},
    independent_images_option,
    {"in-use", "FILE", value_type::file,
     "Images that are running (repeatable): the report starts with the in-use\n"
     "images the policy removes and the first step at which it does.",
     true},
    {"fail-on-in-use", "", value_type::none,
     "Exit 4 when an in-use image is removed at some step."},
    {"from", "TIME", value_type::time,
     "The first step: ISO-8601 with offset (2026-01-01T00:00:00Z) or epoch seconds."},
    {"to", "TIME", value_type::time, "No step is later than this."},
    {"every", "INTERVAL", value_type::text,
     "Time between steps: a whole number with d, h, m or s (default 1d)."},
    {"mode", "MODE", value_type::choice,
     "replay (default): images pushed after --from join the repository at the\n"
     "         first step at or after their push time.\n"
     "static: every image is in the repository from the first step.",
     false, modes},
    {"push-rate", "T=N", value_type::text,
     "Forecast: also push N images a day (a decimal number, evenly spaced from\n"
     "--from on) tagged T, where {n} in T counts up (main-{n}); a tag without {n}\n"
     "moves to each new image (latest); <untagged> pushes untagged images.\n"
     "Repeatable.",
     true},
    {"push-size", "BYTES", value_type::number,
     "imageSizeInBytes of forecast pushes (default: the median of the inventory)."},
    {"watch", "KEY", value_type::text,
     "When does this image go? KEY is a digest, a tag, or a digest prefix of at\n"
     "least 8 characters. Repeatable. With --registry: searched in every\n"
     "repository.",
     true},
    {"format", "FORMAT", value_type::choice,
     "table (default): a report for a person.\n"
     "json: every step and every image's timeline.\n"
     "csv: one row per step.\n"
     "html: one self-contained page with charts of images and bytes over time\n"
     "      by storage class, per-rule bars and sortable tables; click an\n"
     "      image's digest for its explanation at the step it leaves at. With\n"
     "      --registry: the registry total, a table of the repositories and a\n"
     "      section per repository.\n"
     "markdown: for a pull request: in-use removals first, the outcome, the\n"
     "      steps with changes and the images that leave, folded.",
     false, table_formats},
    {"max-rows", "N", value_type::number,
     "table and html: list at most N archived or expired images (per repository\n"
     "with --registry; default 50 for table, 1000 for html; 0 = all). The\n"
     "registry table lists no images."},
    max_chars_option,
};

constexpr option_rule rule_table[] = {
    {option_rule::kind::required, "policy", "registry"},
    {option_rule::kind::required, "images", "registry"},
    image_rules[0],
    image_rules[1],
    image_rules[2],
    {option_rule::kind::needs, "fail-on-in-use", "in-use"},
    {option_rule::kind::required, "from", ""},
    {option_rule::kind::required, "to", ""},
};

/// "1d", "12h", "30m", "45s" as microseconds; nullopt when malformed, zero or too large.
std::optional<std::chrono::microseconds> parse_interval(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  const char unit = text.back();
  const std::string_view digits = text.substr(0, text.size() - 1);
  std::int64_t n = 0;
  const auto* end = digits.data() + digits.size();
  const auto [p, ec] = std::from_chars(digits.data(), end, n);
  if (ec != std::errc{} || p != end || n <= 0) return std::nullopt;
  std::int64_t scale = 0;
  switch (unit) {
    case 'd':
      scale = 86'400'000'000;
      break;
    case 'h':
      scale = 3'600'000'000;
      break;
    case 'm':
      scale = 60'000'000;
      break;
    case 's':
      scale = 1'000'000;
      break;
    default:
      return std::nullopt;
  }
  if (n > std::numeric_limits<std::int64_t>::max() / scale) return std::nullopt;
  return std::chrono::microseconds{n * scale};
}

/// "TEMPLATE=RATE" as a push_rate (size filled in later); nullopt when malformed.
std::optional<push_rate> parse_push_rate(std::string_view spec) {
  const std::size_t eq = spec.rfind('=');
  if (eq == std::string_view::npos) return std::nullopt;
  push_rate r;
  r.tag_template = std::string(spec.substr(0, eq));
  if (r.tag_template == "<untagged>") r.tag_template.clear();
  const std::string_view rate = spec.substr(eq + 1);
  const auto* end = rate.data() + rate.size();
  const auto [p, ec] = std::from_chars(rate.data(), end, r.per_day);
  if (ec != std::errc{} || p != end || rate.empty() || !(r.per_day > 0) || r.per_day > 1e6) {
    return std::nullopt;
  }
  if (spec.substr(0, eq).empty()) return std::nullopt;
  return r;
}

std::optional<timestamp> time_option(const command_line& cl, std::string_view name,
                                     std::ostream& err) {
  const auto t = cl.get(name);  // required by the table
  if (const auto parsed = parse_timestamp(*t)) return parsed;
  (void)usage_error(err, "simulate",
                    "--" + std::string(name) + " '" + *t +
                        "' is not a time: use ISO-8601 with an offset (2026-11-28T00:00:00Z) or "
                        "epoch seconds");
  return std::nullopt;
}

/// The options every repository is simulated with (push sizes filled in later), from --from,
/// --to, --every, --mode and --push-rate; nullopt (with the usage error printed) when one is bad.
std::optional<simulation_options> simulation_options_of(const command_line& cl, std::ostream& err) {
  simulation_options options;
  const auto from = time_option(cl, "from", err);
  if (!from) return std::nullopt;
  const auto to = time_option(cl, "to", err);
  if (!to) return std::nullopt;
  options.from = *from;
  options.to = *to;
  if (*to < *from) {
    (void)usage_error(err, "simulate", "--to is before --from");
    return std::nullopt;
  }
  if (const auto e = cl.get("every")) {
    const auto every = parse_interval(*e);
    if (!every) {
      (void)usage_error(err, "simulate",
                        "--every takes a positive whole number with d, h, m or s (1d, 12h), not '" +
                            *e + "'");
      return std::nullopt;
    }
    options.every = *every;
  }
  options.replay = cl.get("mode").value_or("replay") == "replay";
  for (const auto& spec : cl.all("push-rate")) {
    const auto r = parse_push_rate(spec);
    if (!r) {
      (void)usage_error(err, "simulate",
                        "--push-rate takes TAG_TEMPLATE=PUSHES_PER_DAY (main-{n}=2, latest=1, "
                        "<untagged>=0.5), not '" + spec + "'");
      return std::nullopt;
    }
    options.pushes.push_back(*r);
  }
  return options;
}

/// --push-size: nullopt when absent; `bad` set (with the usage error printed) when malformed.
std::optional<std::uint64_t> push_size_option(const command_line& cl, bool& bad,
                                              std::ostream& err) {
  const auto m = cl.get("push-size");
  if (!m) return std::nullopt;
  std::uint64_t v = 0;
  const auto* end = m->data() + m->size();
  const auto [p, ec] = std::from_chars(m->data(), end, v);
  if (ec != std::errc{} || p != end) {
    (void)usage_error(err, "simulate", "--push-size takes a whole number of bytes, not '" + *m + "'");
    bad = true;
    return std::nullopt;
  }
  return v;
}

/// What every simulated repository's document refers to, kept alive while it is written.
struct repository_parts {
  std::vector<simulation_watch> watches;
  std::vector<in_use_match> matches;
  std::optional<simulation_document> document;
};

/// `simulate --registry DIR`: every repository with its own policy (or --policy), with the shared
/// options, in parallel (simulate_registry()); the report in snapshot order.
int simulate_registry_command(const command_line& cl, const report_choice& choice,
                              const simulation_options& shared,
                              std::optional<std::uint64_t> push_size, std::ostream& out,
                              std::ostream& err) {
  int status = exit_ok;
  const auto run = load_registry_run(cl, "simulate", err, status);
  if (!run) return status;
  const registry_snapshot& snap = run->snapshot();
  const in_use_input& in_use = run->in_use;
  const std::size_t n = snap.repositories.size();
  const std::vector<repository_simulation> sims =
      simulate_registry(snap, shared,
                        {.override_policy = run->override(),
                         .independent_images = run->input.independent_images,
                         .push_size = push_size,
                         .threads = 0});
  std::vector<repository_parts> parts(n);
  std::vector<registry_simulation_entry> entries(n);
  in_use_coverage coverage(in_use.refs.size());
  const auto keys = cl.all("watch");
  std::vector<unsigned char> key_found(keys.size(), 0);
  for (std::size_t k = 0; k < n; ++k) {
    const auto& repo = snap.repositories[k];
    const repository_simulation& sim = sims[k];
    entries[k].name = repo.name;
    entries[k].policy = sim.policy;
    if (!sim.simulated()) continue;
    const auto& images = repo.images.images;
    for (std::size_t w = 0; w < keys.size(); ++w) {
      simulation_watch found{keys[w], find_watched(images, keys[w])};
      if (found.images.empty()) continue;
      key_found[w] = 1;
      parts[k].watches.push_back(std::move(found));
    }
    if (!sim.result.diagnostics.empty()) {
      err << "ecrlp simulate: repository '" << repo.name << "':\n";
      report(err, sim.result.diagnostics);
    }
    if (!sim.result.ok()) return exit_usage;  // the shared options were rejected
    if (in_use.given) {
      parts[k].matches =
          match_in_use(in_use.refs, repo.name, repo.registry_id, images, repo.images.indexes);
      coverage.add(parts[k].matches);
    }
    auto& doc = parts[k].document.emplace(simulation_document{
        *sim.simulated_policy, images, sim.options, sim.result, parts[k].watches});
    doc.in_use_refs = in_use.refs;
    doc.in_use = parts[k].matches;
    doc.has_in_use = in_use.given;
    entries[k].simulation = &doc;
  }
  for (std::size_t w = 0; w < keys.size(); ++w) {
    if (key_found[w] != 0) continue;
    err << "ecrlp simulate: --watch '" << keys[w]
        << "' names no image of any repository (a digest, a tag, or a unique digest prefix of 8+ "
           "characters)\n";
    return exit_invalid;
  }
  if (in_use.given) warn_unmatched(err, "simulate", in_use.refs, coverage.unmatched());

  const auto snapshot_dir = cl.get("registry");
  const registry_simulation_document doc{
      shared, entries,
      run->policy_path ? std::string_view(*run->policy_path) : std::string_view{}, in_use.given,
      snapshot_dir ? std::string_view(*snapshot_dir) : std::string_view{}};
  render(out, doc, choice.format, choice.options);
  if (in_use.fail) {
    for (const auto& e : entries) {
      if (e.simulation != nullptr && !in_use_removals(*e.simulation).empty()) return exit_in_use;
    }
  }
  return status;
}

int run_simulate(const command_line& cl, std::ostream& out, std::ostream& err) {
  const auto choice = report_option(cl, "simulate", err);
  if (!choice) return exit_usage;
  auto options = simulation_options_of(cl, err);
  if (!options) return exit_usage;
  bool bad = false;
  auto push_size = push_size_option(cl, bad, err);
  if (bad) return exit_usage;
  if (cl.has("registry")) {
    return simulate_registry_command(cl, *choice, *options, push_size, out, err);
  }

  int status = exit_ok;
  const auto policy = load_policy_reporting(cl, *cl.get("policy"), "simulate", err, status);
  const auto input = load_image_input(cl, err, status);
  const auto in_use = load_in_use_reporting(cl, "simulate", err, status);
  if (!policy || !input || !input->single || !in_use) return status;
  const inventory& inv = *input->single;
  const auto& images = inv.images;
  options->indexes = inv.indexes;
  options->independent_images = input->independent_images;
  if (!push_size) push_size = median_image_size(images);
  for (auto& r : options->pushes) r.size_bytes = push_size.value_or(0);

  std::vector<simulation_watch> watches;
  for (const auto& key : cl.all("watch")) {
    simulation_watch w{key, find_watched(images, key)};
    if (w.images.empty()) {
      err << "ecrlp simulate: --watch '" << key
          << "' names no image (a digest, a tag, or a unique digest prefix of 8+ characters)\n";
      return exit_invalid;
    }
    watches.push_back(std::move(w));
  }

  const auto result = simulate(policy->policy, images, *options);
  report(err, result.diagnostics);
  if (!result.ok()) return exit_usage;  // the options were rejected (e.g. too many steps)
  std::vector<in_use_match> matches;
  if (in_use->given) {
    const std::string_view repo_name = policy->repository_name.empty()
                                           ? std::string_view(inv.repository_name)
                                           : std::string_view(policy->repository_name);
    matches = match_in_use(in_use->refs, repo_name, inv.registry_id, images, inv.indexes);
    in_use_coverage coverage(in_use->refs.size());
    coverage.add(matches);
    warn_unmatched(err, "simulate", in_use->refs, coverage.unmatched());
  }
  simulation_document doc{policy->policy, images, *options, result, watches};
  doc.in_use_refs = in_use->refs;
  doc.in_use = matches;
  doc.has_in_use = in_use->given;
  render(out, doc, choice->format, choice->options);
  if (in_use->fail && !in_use_removals(doc).empty()) return exit_in_use;
  return exit_ok;
}

}  // namespace

constexpr command_def simulate_command = {
    .name = "simulate",
    .summary = "Apply a policy day after day: what it removes and archives, and when.",
    .usage = usage,
    .description =
        "Applies a lifecycle policy at every step from --from to --to, as ECR's daily runs do: "
        "expired\nimages are deleted and transitioned images move to archive (lastArchivedAt = "
        "the step's time),\nso each step sees what the earlier steps left. With --registry, "
        "every repository of a registry\nsnapshot is simulated with its own policy (or --policy "
        "for all); a repository without a policy\nis skipped. The report gives each repository's "
        "summary and the registry total at every step.\n",
    .options = option_table,
    .rules = rule_table,
    .exit_status =
        "Exit status: 0 success, 1 invalid policy or inventory (or a --watch key naming no image, "
        "or a\nrepository of the snapshot with errors), 2 usage error, 3 unreadable file, 4 an "
        "in-use image is\nremoved (--fail-on-in-use).\n",
    .run = run_simulate,
};

}  // namespace ecrlp::cli
