// SPDX-License-Identifier: MIT
#pragma once

// Facts of a simulation that several writers state: the images' stories, the archive and expiry
// events in step order, the steps worth showing, what in-use images are removed and when.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/document.hpp>

namespace ecrlp::detail {

/// Input image `i`, or synthetic image `i - input size` (a forecast push).
[[nodiscard]] const image& image_at(const simulation_document& doc, std::size_t i);

/// Images of the inventory (not the synthetic ones) that join after the first step.
[[nodiscard]] std::size_t joined_later(const simulation_document& doc);
/// Images of the inventory pushed after the last step: never simulated.
[[nodiscard]] std::size_t never_joined(const simulation_document& doc);

/// What left over the whole simulation, and what each rule acted on (by rule_priorities).
struct run_totals {
  class_totals expired;
  class_totals transitioned;
  std::vector<std::size_t> by_rule;
};
[[nodiscard]] run_totals totals_over(const simulation_result& r);

/// One line describing what happened to image `i`: when it joined, was archived, expired.
[[nodiscard]] std::string watch_story(const simulation_document& doc, std::size_t i);

/// An image archived (expire = false) or expired at a step.
struct event {
  std::size_t step;
  bool expire;
  std::size_t image;
  std::optional<std::int64_t> rule;
};

/// Every archive and expiry, in step order (an image archived and expired at one step: the
/// archive first).
[[nodiscard]] std::vector<event> events_of(const simulation_result& r);

/// Did anything join, leave or move to archive at step `s`?
[[nodiscard]] bool step_changed(const simulation_step& s) noexcept;

/// The steps the reports show: the first, the last and every step with changes.
[[nodiscard]] std::vector<std::size_t> shown_steps(std::span<const simulation_step> steps);

/// For each of `events` (in step order), the explanation of the image's fate at the event's
/// step (explanation_text()), for the repository as that step's evaluation saw it.
[[nodiscard]] std::vector<std::string> event_explanations(const simulation_document& doc,
                                                          std::span<const event> events);

/// The references of an in-use image, "text (file:line)", comma-separated, and "through index
/// DIGEST" for the indexes that make it in use.
[[nodiscard]] std::string in_use_text(const simulation_document& doc, std::size_t i);

/// An in-use image removed, with the repository it is in (empty for one repository).
struct removal_row {
  std::string_view repository;
  const simulation_document* doc;
  in_use_removal rm;
};

/// The in-use images every simulated repository of `doc` removes, by step (then repository).
[[nodiscard]] std::vector<removal_row> registry_removals(const registry_simulation_document& doc);

/// A registry entry's policy as the reports write it: "own", "override", "no policy", "failed".
[[nodiscard]] std::string policy_label(const registry_simulation_entry& e);

/// "1,234 -> 56": findings before and after.
[[nodiscard]] std::string findings_change(const finding_counts& before, const finding_counts& after);

/// "2,200 images in the inventory, 2,000 present at the start, 200 joining later."
[[nodiscard]] std::string inventory_sentence(const simulation_document& doc);

/// a + b, field by field.
[[nodiscard]] constexpr class_totals plus(class_totals a, const class_totals& b) noexcept {
  a.images += b.images;
  a.bytes += b.bytes;
  return a;
}

}  // namespace ecrlp::detail
