// SPDX-License-Identifier: MIT
#pragma once

/// Self-contained HTML reports (compiled in lib/html_report.cpp): one file, no network and no
/// external assets, with inline SVG charts and sortable tables (a few lines of inline script).
/// The markup is also well-formed XML (every element closed, the script in a CDATA section), so
/// that XML tools can check it.

#include <string>

#include <ecrlp/report.hpp>
#include <ecrlp/simulate_report.hpp>

namespace ecrlp {

/// A preview: before/after totals (images, bytes, findings) as bars, per-rule bars (images acted
/// on, owned), and a sortable table of the affected images.
[[nodiscard]] std::string render_preview_html(const preview_document& doc);

/// A simulation: images and bytes over time by storage class (stacked areas), per-rule bars, the
/// watched images' stories, and sortable tables of the steps with changes and of the images
/// archived or expired.
[[nodiscard]] std::string render_simulation_html(const simulation_document& doc);

}  // namespace ecrlp
