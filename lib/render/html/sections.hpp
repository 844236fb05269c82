// SPDX-License-Identifier: MIT
#pragma once

// Sections several HTML pages share (sections.cpp).

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/document.hpp>

namespace ecrlp::writer::html {

/// The colour that marks what is in use.
inline constexpr std::string_view in_use_color = "#b3261e";

/// The in-use panel, first on a page, when no in-use image is removed: "In use:" and `sentence`
/// (HTML) in a green frame.
[[nodiscard]] std::string in_use_clear_panel(std::string_view sentence);

/// The in-use panel when in-use images are removed: the red frame opened and its heading
/// (`heading`, HTML); the caller writes the violations and closes the frame with "</div>\n".
[[nodiscard]] std::string in_use_alert_open(std::string_view heading);

/// One row of the before/after charts: images by storage class.
struct class_row {
  std::string label;
  image_totals standard;
  image_totals archive;
};

/// The repository as it is: images by the storage class they are in now.
[[nodiscard]] class_row now_totals(std::span<const image> images, std::string label);

/// The repository after an evaluation's actions.
[[nodiscard]] class_row after_totals(const preview_totals& p, std::string label);

/// Bars of images, bytes and scan findings, one bar per row, by storage class (findings by
/// severity): the charts "before-after-images", "before-after-bytes", "before-after-findings".
[[nodiscard]] std::string before_after_charts(const std::vector<class_row>& rows);

/// Per-rule bars (the SVG chart `id`): images each rule expires, transitions, and owns but keeps.
[[nodiscard]] std::string rule_bars(std::string_view id, std::string_view title,
                                    const lifecycle_policy& policy, const evaluation_result& result);

/// The colour of a kind of change in the diff charts.
[[nodiscard]] std::string_view change_kind_color(change_kind k) noexcept;

/// Bars of the bytes of each kind of change (the SVG chart `id`), one bar per kind, each in its
/// kind's colour, labelled with its images and bytes; and the legend.
[[nodiscard]] std::string change_kinds_chart(
    std::string_view id, std::string_view title,
    const std::array<change_total, change_kind_count>& totals);

/// A sortable table (id `id`) of the first `listed` changes of `doc.diff`, oldest first: push
/// time, kind of change, old and new decision, size, digest, tags. The digest unfolds to the
/// explanations of the image's fate: its facts once, then under the old and the new policy the
/// fate and one line per rule, for explainers made with `explain_options` (the options the diff
/// was evaluated with).
[[nodiscard]] std::string changed_images_table(const diff_document& doc,
                                               const evaluation_options& explain_options,
                                               std::size_t listed, std::string_view id);

/// The sortable table (id `id`) of the images `result` expires or transitions, oldest first, at
/// most `max_rows` of them (0 = all): push time, action (marked IN USE when `in_use[i]`), rule,
/// size, digest and tags. Each digest unfolds to what `ecrlp explain` says of the image (`ex`,
/// made over the same images), followed by the in-use references that hold it (`matches`, one
/// per image or empty, indexing `refs`). Shared by the preview and registry preview pages.
[[nodiscard]] std::string affected_images_table(std::string_view id, std::span<const image> images,
                                                const evaluation_result& result,
                                                const explainer& ex,
                                                std::span<const in_use_match> matches,
                                                std::span<const in_use_ref> refs,
                                                const std::vector<bool>& in_use,
                                                std::size_t max_rows);

}  // namespace ecrlp::writer::html
