// SPDX-License-Identifier: MIT
#pragma once

/// Renderers of a simulation (compiled in lib/simulate_report.cpp): a table for a person, JSON and
/// CSV for tools. See docs/simulate.md for the formats.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <ecrlp/image.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/simulate.hpp>

namespace ecrlp {

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

/// "1d", "12h", "90m", "45s" or microseconds ("1500us"): the largest unit that divides `every`.
[[nodiscard]] std::string format_interval(std::chrono::microseconds every);

}  // namespace ecrlp
