// SPDX-License-Identifier: MIT
#pragma once

/// Self-contained HTML reports (compiled in lib/html_report.cpp): one file, no network and no
/// external assets, with inline SVG charts and sortable tables (a few lines of inline script).
/// The markup is also well-formed XML (every element closed, the script in a CDATA section), so
/// that XML tools can check it.

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/diff.hpp>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/explain.hpp>
#include <ecrlp/in_use.hpp>

#include <ecrlp/explain_report.hpp>
#include <ecrlp/report.hpp>
#include <ecrlp/simulate_report.hpp>

namespace ecrlp {

/// How many rows the image tables of the preview and diff pages list by default. Each listed
/// row carries the explanation of its image (about a line per rule), so the cap keeps the page
/// small whatever the size of the repository; the page states it.
inline constexpr std::size_t html_default_max_rows = 1000;

/// A preview: before/after totals (images, bytes, findings) as bars, per-rule bars (images acted
/// on, owned), and a sortable table of the affected images, oldest first, at most `max_rows` of
/// them (0 = all). Each row expands (a <details> element) to the explanation of the image's fate,
/// as `ecrlp explain` gives it.
[[nodiscard]] std::string render_preview_html(const preview_document& doc,
                                              std::size_t max_rows = html_default_max_rows);

/// A diff of two policies: both policies' summaries, before/after bars (images, bytes, findings)
/// for the repository now, after the old policy and after the new one, per-rule bars of each
/// side, the kinds of change with their images and bytes, the rules of both sides, and a sortable
/// table of the changed images, oldest first, at most `max_rows` of them (0 = all). Each row
/// expands to the explanations of the image's fate under the old and the new policy.
[[nodiscard]] std::string render_diff_html(const diff_document& doc,
                                           std::size_t max_rows = html_default_max_rows);

/// A simulation: images and bytes over time by storage class (stacked areas), per-rule bars, the
/// watched images' stories, and sortable tables of the steps with changes and of the images
/// archived or expired.
[[nodiscard]] std::string render_simulation_html(const simulation_document& doc);

namespace detail {

// Pieces of the diff page, shared with the registry diff page (lib/registry_diff_report.cpp).

/// The colour of a kind of change in the diff charts.
[[nodiscard]] std::string_view change_kind_color(change_kind k) noexcept;

/// Bars of the bytes of each kind of change (the SVG chart `id`), one bar per kind, each in its
/// kind's colour, labelled with its images and bytes; and the legend.
[[nodiscard]] std::string change_kinds_chart(std::string_view id, std::string_view title,
                                             const std::array<change_total, change_kind_count>& totals);

/// A sortable table (id `id`) of the first `listed` changes of `doc.diff`, oldest first: push
/// time, kind of change, old and new decision, size, digest, tags. The digest unfolds to the
/// explanations of the image's fate: its facts once, then under the old and the new policy the fate
/// and one line per rule, as write_explain_text() gives them for an explainer made with
/// `explain_options` (the options the diff was evaluated with).
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

}  // namespace detail

}  // namespace ecrlp
