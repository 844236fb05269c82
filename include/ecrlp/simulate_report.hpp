// SPDX-License-Identifier: MIT
#pragma once

/// Renderers of a simulation (compiled in lib/simulate_report.cpp): a table for a person, JSON and
/// CSV for tools, a self-contained HTML page. See docs/simulate.md for the formats.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/image.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/simulate.hpp>

namespace ecrlp {

struct registry_snapshot;  // <ecrlp/registry.hpp>

/// A `--watch` key and the input indices of the images it names (find_watched()).
struct simulation_watch {
  std::string key;
  std::vector<std::size_t> images;
};

/// Everything a simulation report shows.
struct simulation_document {
  const lifecycle_policy& policy;     ///< the policy simulated
  std::span<const image> images;      ///< the inventory, in input order
  const simulation_options& options;  ///< the range, interval and mode
  const simulation_result& result;    ///< simulate(policy, images, options)
  std::span<const simulation_watch> watches;  ///< watched images, in the order asked
  /// `--in-use`: the references (in_use_match::refs index them). Empty with `in_use` empty: no
  /// in-use list was given.
  std::span<const in_use_ref> in_use_refs{};
  /// match_in_use() over `images` (the inventory, not the synthetic pushes): one per image, or
  /// empty when no in-use list was given.
  std::span<const in_use_match> in_use{};
  bool has_in_use = false;  ///< an in-use list was given (even one naming no image)
};

/// An in-use image that the simulation removes (expires or moves to archive).
struct in_use_removal {
  std::size_t image_index = 0;  ///< input index of the image
  std::size_t step = 0;         ///< the first step at which it is expired or transitioned
  fate action = fate::expire;   ///< expire or transition (what happens at `step`)
  std::optional<std::int64_t> rule;  ///< the rulePriority acting
};

/// The in-use images the simulation removes, by step (then input index): the first one is the
/// answer to "when would this policy first remove something that runs?".
[[nodiscard]] std::vector<in_use_removal> in_use_removals(const simulation_document& doc);

/// A report for a person: the range, the steps at which something happened (plus the first and
/// the last), totals per rule, the watched images, then the images that left or were archived in
/// step order (at most `max_rows`; 0 = all).
[[nodiscard]] std::string render_simulation_table(const simulation_document& doc,
                                                  std::size_t max_rows = 50);

/// One JSON object: range, summary, every step, every image's timeline, watches, diagnostics.
/// 2-space indented, newline-terminated.
[[nodiscard]] std::string render_simulation_json(const simulation_document& doc);

/// One RFC 4180 CSV row per step, after a header row.
[[nodiscard]] std::string render_simulation_csv(const simulation_document& doc);

/// The simulation page (see also render_simulation_html(doc) in <ecrlp/html_report.hpp>, which
/// lists at most html_default_max_rows images): the in-use images removed (with an in-use list),
/// images and bytes over time by storage class (stacked areas), per-rule bars, the watched images,
/// and sortable tables of the steps with changes and of the images archived or expired, in step
/// order, at most `max_rows` of them (0 = all). Each listed image's digest unfolds (a <details>
/// element) to the explanation of its fate at the step it is archived or expired at, as
/// `ecrlp explain --now <that step>` gives it for the repository as that step's evaluation sees it.
[[nodiscard]] std::string render_simulation_html(const simulation_document& doc,
                                                 std::size_t max_rows);

// ---- A registry snapshot, simulated repository by repository (docs/simulate.md#registry) ----

/// One simulation's figures at a glance: the first and last step by storage class, what left or
/// moved to archive over the whole run, findings before (after the first step) and after (after
/// the last), and the first in-use removal.
struct simulation_summary {
  std::size_t steps = 0;            ///< number of steps
  class_totals first_standard;      ///< after the first step: ACTIVE images
  class_totals first_archive;       ///< after the first step: ARCHIVED images
  class_totals first_activating;    ///< after the first step: ACTIVATING images
  class_totals last_standard;       ///< after the last step
  class_totals last_archive;        ///< after the last step
  class_totals last_activating;     ///< after the last step
  class_totals expired;             ///< deleted over all steps
  class_totals transitioned;        ///< moved to archive over all steps
  finding_counts findings_before;   ///< findings after the first step
  finding_counts findings_after;    ///< findings after the last step
  std::size_t in_use_removals = 0;  ///< in_use_removals(doc).size()
  std::optional<std::size_t> first_in_use_removal;  ///< its first step; nullopt when none
};

/// The summary of a simulation (all zero for a simulation without steps).
[[nodiscard]] simulation_summary summarize_simulation(const simulation_document& doc);

/// One repository of a registry simulation.
struct registry_simulation_entry {
  std::string name;         ///< the repository's name
  /// "own" or "override" (simulated with its own policy or --policy); "none" (skipped: no
  /// policy) or "failed" (skipped: its files have errors).
  std::string policy;
  /// The repository's simulation; null when skipped. Must outlive the document.
  const simulation_document* simulation = nullptr;
};

/// Everything a registry simulation report shows.
struct registry_simulation_document {
  const simulation_options& options;  ///< shared by every repository (range, interval, mode)
  std::span<const registry_simulation_entry> repositories;  ///< in snapshot order (by name)
  std::string_view override_policy;   ///< the --policy path applied to all, or "" (own policies)
  bool has_in_use = false;            ///< an in-use list was given
  std::string_view snapshot{};        ///< the snapshot directory for the HTML page ("": none)
};

/// How simulate_registry() simulates the repositories.
struct registry_simulation_options {
  /// When set, every repository is simulated with this policy instead of its own (what-if); it
  /// must outlive the result.
  const lifecycle_policy* override_policy = nullptr;
  /// simulation_options::independent_images of every repository.
  bool independent_images = false;
  /// push_rate::size_bytes of every forecast push; nullopt: each repository's
  /// median_image_size() (0 for a repository without images).
  std::optional<std::uint64_t> push_size;
  /// Repositories simulated in parallel (detail::for_each_repository()); 0 =
  /// std::thread::hardware_concurrency(). The result never depends on it.
  unsigned threads = 0;
};

/// One repository of simulate_registry().
struct repository_simulation {
  /// "own" or "override" (simulated with its own policy or the override); "none" (skipped: no
  /// policy) or "failed" (skipped: its files have errors), as registry_simulation_entry::policy.
  std::string policy;
  /// The policy simulated; null when skipped.
  const lifecycle_policy* simulated_policy = nullptr;
  /// The shared options with the repository's index manifests, independent_images and push
  /// sizes (only when simulated).
  simulation_options options;
  /// simulate(*simulated_policy, images, options); empty when skipped. Its diagnostics are the
  /// caller's to report (result.ok() is false when the shared options were rejected).
  simulation_result result;

  [[nodiscard]] bool simulated() const noexcept { return simulated_policy != nullptr; }
};

/// Simulates every repository of `snapshot` that has no errors and has a policy (or every one
/// that has no errors, with options.override_policy), with `shared` (range, interval, mode,
/// pushes) and the repository's own index manifests: one entry per repository, at its index in
/// the snapshot, whatever options.threads and the threads' timing. The repositories are handed to
/// the workers largest first; an exception (only std::bad_alloc) is rethrown once every worker
/// has stopped. The result refers to `snapshot` and the policies, which must outlive it. Never
/// prints.
[[nodiscard]] std::vector<repository_simulation> simulate_registry(
    const registry_snapshot& snapshot, const simulation_options& shared,
    const registry_simulation_options& options = {});

/// The median imageSizeInBytes of `images` (the upper median of an even count): the default size
/// of forecast pushes. nullopt when `images` is empty.
[[nodiscard]] std::optional<std::uint64_t> median_image_size(std::span<const image> images);

/// The registry total per step: for each step, the sum over the simulated repositories of
/// `added`, `expired`, `transitioned`, the storage classes and findings (`evaluated`: at least
/// one repository was evaluated; `acted_by_rule` empty). Every repository has the same steps
/// (the options are shared); empty when no repository was simulated.
[[nodiscard]] std::vector<simulation_step> registry_simulation_total(
    std::span<const registry_simulation_entry> repositories);

/// Table: in-use removals first, then one line per repository (skipped ones named), then the
/// registry total at the first, the last and every step with changes.
[[nodiscard]] std::string render_registry_simulation_table(const registry_simulation_document& doc);

/// One JSON object: range, inUse, repositories (with their summary), total (every step).
[[nodiscard]] std::string render_registry_simulation_json(const registry_simulation_document& doc);

/// RFC 4180 CSV: a "start" and an "end" row per simulated repository, a "skipped" row per skipped
/// one, then a "total" row per step.
[[nodiscard]] std::string render_registry_simulation_csv(const registry_simulation_document& doc);

/// One self-contained HTML page (no network, no external file): the in-use images removed (all
/// repositories, by step) first, the registry total's images and bytes over time by storage class
/// (the charts of render_simulation_html over registry_simulation_total()), its steps with
/// changes, a sortable table of the simulated repositories' summaries, the skipped repositories,
/// the watched images, then one section per simulated repository: its charts, per-rule bars,
/// steps with changes and the images archived or expired with their explanations, at most
/// `max_rows` per repository (0 = all).
[[nodiscard]] std::string render_registry_simulation_html(const registry_simulation_document& doc,
                                                          std::size_t max_rows = 1000);

/// "1d", "12h", "90m", "45s" or microseconds ("1500us"): the largest unit that divides `every`.
[[nodiscard]] std::string format_interval(std::chrono::microseconds every);

}  // namespace ecrlp
