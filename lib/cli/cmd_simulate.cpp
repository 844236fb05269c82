// SPDX-License-Identifier: MIT
#include "commands.hpp"

#include <ecrlp/html_report.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/registry.hpp>
#include <ecrlp/report.hpp>
#include <ecrlp/simulate.hpp>
#include <ecrlp/simulate_report.hpp>

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
#include "common.hpp"

namespace ecrlp::cli {
namespace {

constexpr std::string_view simulate_help = R"(Usage: ecrlp simulate --policy FILE --images FILE [--images FILE ...] --from TIME --to TIME [options]
       ecrlp simulate --registry DIR [--policy FILE] --from TIME --to TIME [options]

Applies a lifecycle policy at every step from --from to --to, as ECR's daily runs do: expired
images are deleted and transitioned images move to archive (lastArchivedAt = the step's time),
so each step sees what the earlier steps left. With --registry, every repository of a registry
snapshot is simulated with its own policy (or --policy for all); a repository without a policy
is skipped. The report gives each repository's summary and the registry total at every step.

Options:
  --policy FILE        The policy: a policy document or `aws ecr get-lifecycle-policy` output.
                       With --registry: apply it to every repository instead of their own (what-if).
  --images FILE        `aws ecr describe-images` output; repeat for several pages.
  --manifests FILE     `aws ecr batch-get-image` output with the image indexes (repeatable): a
                       live index guards its children until it goes itself.
  --registry DIR       A registry snapshot (examples/export-registry.sh): simulate every
                       repository, with its own index manifests.
  --independent-images Evaluate every image on its own: ignore index manifests and referrers.
  --in-use FILE        Images that are running (repeatable): the report starts with the in-use
                       images the policy removes and the first step at which it does.
  --fail-on-in-use     Exit 4 when an in-use image is removed at some step.
  --from TIME          The first step: ISO-8601 with offset (2026-01-01T00:00:00Z) or epoch seconds.
  --to TIME            No step is later than this.
  --every INTERVAL     Time between steps: a whole number with d, h, m or s (default 1d).
  --mode MODE          replay (default): images pushed after --from join the repository at the
                                first step at or after their push time.
                       static: every image is in the repository from the first step.
  --push-rate T=N      Forecast: also push N images a day (a decimal number, evenly spaced from
                       --from on) tagged T, where {n} in T counts up (main-{n}); a tag without {n}
                       moves to each new image (latest); <untagged> pushes untagged images.
                       Repeatable.
  --push-size BYTES    imageSizeInBytes of forecast pushes (default: the median of the inventory).
  --watch KEY          When does this image go? KEY is a digest, a tag, or a digest prefix of at
                       least 8 characters. Repeatable. With --registry: searched in every
                       repository.
  --format FORMAT      table (default): a report for a person.
                       json: every step and every image's timeline.
                       csv: one row per step.
                       html: one self-contained page with charts of images and bytes over time
                             by storage class, per-rule bars and sortable tables; click an
                             image's digest for its explanation at the step it leaves at. With
                             --registry: the registry total, a table of the repositories and a
                             section per repository.
  --max-rows N         table and html: list at most N archived or expired images (per repository
                       with --registry; default 50 for table, 1000 for html; 0 = all). The
                       registry table lists no images.
  -h, --help           Show this help.

Exit status: 0 success, 1 invalid policy or inventory (or a --watch key naming no image, or a
repository of the snapshot with errors),
2 usage error, 3 unreadable file, 4 an in-use image is removed (--fail-on-in-use).
)";

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
  const auto t = cl.get(name);
  if (!t) {
    (void)usage_error(err, "simulate", "--" + std::string(name) + " TIME is required");
    return std::nullopt;
  }
  if (const auto parsed = parse_timestamp(*t)) return parsed;
  (void)usage_error(err, "simulate",
                    "--" + std::string(name) + " '" + *t +
                        "' is not a time: use ISO-8601 with an offset (2026-11-28T00:00:00Z) or "
                        "epoch seconds");
  return std::nullopt;
}

/// `simulate --registry DIR`: every repository with its own policy (or --policy), with the shared
/// options, in parallel (simulate_registry()); the report in snapshot order.
int simulate_registry_command(const command_line& cl, const std::optional<std::string>& format,
                              const simulation_options& shared,
                              std::optional<std::uint64_t> push_size, std::size_t max_rows,
                              std::ostream& out, std::ostream& err) {
  int status = exit_ok;
  const auto run = load_registry_run(cl, "simulate", err, status);
  if (!run) return status;
  const registry_snapshot& snap = run->snapshot();
  const in_use_input& in_use = run->in_use;
  const std::size_t n = snap.repositories.size();

  // Every repository's inputs and results live here until the report is written (the documents
  // hold references to them).
  const std::vector<repository_simulation> sims =
      simulate_registry(snap, shared,
                        {.override_policy = run->override(),
                         .independent_images = run->input.independent_images,
                         .push_size = push_size,
                         .threads = 0});
  std::vector<std::vector<simulation_watch>> watches(n);
  std::vector<std::vector<in_use_match>> matches(n);
  std::vector<std::optional<simulation_document>> docs(n);
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
      watches[k].push_back(std::move(found));
    }
    if (!sim.result.diagnostics.empty()) {
      err << "ecrlp simulate: repository '" << repo.name << "':\n"
          << render_diagnostics_text(sim.result.diagnostics);
    }
    if (!sim.result.ok()) return exit_usage;  // the shared options were rejected
    if (in_use.given) {
      matches[k] = match_in_use(in_use.refs, repo.name, repo.registry_id, images,
                                repo.images.indexes);
      coverage.add(matches[k]);
    }
    docs[k].emplace(
        simulation_document{*sim.simulated_policy, images, sim.options, sim.result, watches[k]});
    docs[k]->in_use_refs = in_use.refs;
    docs[k]->in_use = matches[k];
    docs[k]->has_in_use = in_use.given;
    entries[k].simulation = &*docs[k];
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
      run->policy_path ? std::string_view(*run->policy_path) : std::string_view{},
      in_use.given, snapshot_dir ? std::string_view(*snapshot_dir) : std::string_view{}};
  if (!format || *format == "table") {
    out << render_registry_simulation_table(doc);
  } else if (*format == "json") {
    out << render_registry_simulation_json(doc);
  } else if (*format == "html") {
    out << render_registry_simulation_html(doc, max_rows);
  } else {
    out << render_registry_simulation_csv(doc);
  }
  if (in_use.fail) {
    for (const auto& e : entries) {
      if (e.simulation != nullptr && !in_use_removals(*e.simulation).empty()) return exit_in_use;
    }
  }
  return status;
}

}  // namespace

int cmd_simulate(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  static constexpr option_spec specs[] = {{"policy"},
                                          images_option,
                                          manifests_option,
                                          registry_option,
                                          independent_images_option,
                                          in_use_option,
                                          fail_on_in_use_option,
                                          {"from"},
                                          {"to"},
                                          {"every"},
                                          {"mode"},
                                          {"watch", true},
                                          {"format"},
                                          {"max-rows"},
                                          {"push-rate", true},
                                          {"push-size"}};
  command_line cl;
  if (auto e = parse_command_line(args, specs, cl)) return usage_error(err, "simulate", *e);
  if (cl.help) {
    out << simulate_help;
    return exit_ok;
  }
  if (!cl.positional.empty()) {
    return usage_error(err, "simulate", "unexpected argument '" + cl.positional.front() + "'");
  }
  const bool registry = cl.has("registry");
  const auto policy_path = cl.get("policy");
  if (!policy_path && !registry) return usage_error(err, "simulate", "--policy FILE is required");
  if (!cl.has("images") && !registry) {
    return usage_error(err, "simulate", "--images FILE is required");
  }
  const auto format = cl.get("format");
  if (auto e = check_format(format, {"table", "json", "csv", "html"})) {
    return usage_error(err, "simulate", *e);
  }
  if (auto e = check_image_options(cl)) return usage_error(err, "simulate", *e);
  const bool html = format && *format == "html";
  const auto max_rows = max_rows_option(cl, "simulate", html ? html_default_max_rows : 50, err);
  if (!max_rows) return exit_usage;
  simulation_options options;
  const auto from = time_option(cl, "from", err);
  if (!from) return exit_usage;
  const auto to = time_option(cl, "to", err);
  if (!to) return exit_usage;
  options.from = *from;
  options.to = *to;
  if (*to < *from) return usage_error(err, "simulate", "--to is before --from");
  if (const auto e = cl.get("every")) {
    const auto every = parse_interval(*e);
    if (!every) {
      return usage_error(err, "simulate",
                         "--every takes a positive whole number with d, h, m or s (1d, 12h), not '" +
                             *e + "'");
    }
    options.every = *every;
  }
  if (const auto m = cl.get("mode")) {
    if (*m != "replay" && *m != "static") {
      return usage_error(err, "simulate", "--mode takes replay or static, not '" + *m + "'");
    }
    options.replay = *m == "replay";
  }

  for (const auto& spec : cl.all("push-rate")) {
    const auto r = parse_push_rate(spec);
    if (!r) {
      return usage_error(err, "simulate",
                         "--push-rate takes TAG_TEMPLATE=PUSHES_PER_DAY (main-{n}=2, latest=1, "
                         "<untagged>=0.5), not '" + spec + "'");
    }
    options.pushes.push_back(*r);
  }
  std::optional<std::uint64_t> push_size;
  if (const auto m = cl.get("push-size")) {
    std::uint64_t v = 0;
    const auto* end = m->data() + m->size();
    const auto [p, ec] = std::from_chars(m->data(), end, v);
    if (ec != std::errc{} || p != end) {
      return usage_error(err, "simulate", "--push-size takes a whole number of bytes, not '" + *m + "'");
    }
    push_size = v;
  }

  if (registry) {
    return simulate_registry_command(cl, format, options, push_size, *max_rows, out, err);
  }

  int status = exit_ok;
  const auto policy = load_policy_reporting(*policy_path, err, status);
  const auto input = load_image_input(cl, err, status);
  const auto in_use = load_in_use_reporting(cl, "simulate", err, status);
  if (!policy || !input || !input->single || !in_use) return status;
  const inventory& inv = *input->single;
  const auto& images = inv.images;
  options.indexes = inv.indexes;
  options.independent_images = input->independent_images;
  if (!push_size) push_size = median_image_size(images);
  for (auto& r : options.pushes) r.size_bytes = push_size.value_or(0);

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

  const auto result = simulate(policy->policy, images, options);
  err << render_diagnostics_text(result.diagnostics);
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
  simulation_document doc{policy->policy, images, options, result, watches};
  doc.in_use_refs = in_use->refs;
  doc.in_use = matches;
  doc.has_in_use = in_use->given;
  if (!format || *format == "table") {
    out << render_simulation_table(doc, *max_rows);
  } else if (*format == "json") {
    out << render_simulation_json(doc);
  } else if (*format == "html") {
    out << render_simulation_html(doc, *max_rows);
  } else {
    out << render_simulation_csv(doc);
  }
  if (in_use->fail && !in_use_removals(doc).empty()) return exit_in_use;
  return exit_ok;
}

}  // namespace ecrlp::cli
