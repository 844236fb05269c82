// SPDX-License-Identifier: MIT
#pragma once

// Sections of the simulation pages (simulation_sections.cpp).

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include <ecrlp/document.hpp>

#include "document/simulation.hpp"

namespace ecrlp::writer::html {

/// The in-use section: the removals by step (with their repository when `with_repository`), or
/// that there are none.
[[nodiscard]] std::string in_use_html(std::span<const detail::removal_row> rows,
                                      bool with_repository);

/// Stacked areas of the images and of the bytes after each of `steps` by storage class, under
/// `h` headings; the charts' ids are `prefix` + "images-over-time" and + "bytes-over-time".
[[nodiscard]] std::string class_charts_html(std::span<const simulation_step> steps,
                                            std::string_view prefix, std::string_view h,
                                            std::string_view heading_suffix);

/// The sortable table of the shown steps (the first, the last, those with changes).
[[nodiscard]] std::string steps_html(std::span<const simulation_step> steps, std::string_view id);

/// Bars of the images each rule acted on over the simulation.
[[nodiscard]] std::string rules_chart_html(const simulation_document& doc, std::string_view id);

/// The sentence above the table of images archived or expired, stating the row cap.
[[nodiscard]] std::string events_note(std::size_t max_rows, std::size_t total, std::string_view id);

/// The table of the images archived or expired in step order, at most `max_rows` (0 = all),
/// each digest unfolding to its explanation at the step.
[[nodiscard]] std::string events_html(const simulation_document& doc, std::size_t max_rows,
                                      std::string_view prefix);

/// What left and what is left.
[[nodiscard]] std::string outcome_html(const simulation_document& doc);

/// One simulation's charts, rules, watched images, steps and images archived or expired, with
/// `h` headings and element ids starting with `prefix`.
[[nodiscard]] std::string simulation_body_html(const simulation_document& doc,
                                               std::size_t max_rows, std::string_view prefix,
                                               std::string_view h);

}  // namespace ecrlp::writer::html
