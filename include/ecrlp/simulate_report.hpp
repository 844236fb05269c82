// SPDX-License-Identifier: MIT
#pragma once

/// Renderers of a simulation (compiled in lib/simulate_report.cpp): a table for a person, JSON and
/// CSV for tools. See docs/simulate.md for the formats.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <ecrlp/image.hpp>
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
};

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
