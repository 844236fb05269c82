// SPDX-License-Identifier: MIT
#pragma once

// Inline SVG charts of the HTML pages: stacked areas over time and horizontal stacked bars.

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "render/html/page.hpp"

namespace ecrlp::writer::html {

/// One series of a stacked chart.
struct chart_series {
  std::string name;
  std::string color;
  std::vector<double> values;
};

/// A legend line for `series`.
[[nodiscard]] std::string chart_legend(const std::vector<chart_series>& series);

/// Stacked areas over `labels` (one x position per label; the first and last are printed),
/// with the maximum printed by `format_value`.
template <class Format>
[[nodiscard]] std::string stacked_area_chart(std::string_view id, std::string_view title,
                                             const std::vector<std::string>& labels,
                                             const std::vector<chart_series>& series,
                                             Format format_value) {
  constexpr double width = 900;
  constexpr double height = 240;
  constexpr double left = 70;
  constexpr double right = 10;
  constexpr double top = 10;
  constexpr double bottom = 30;
  const std::size_t n = labels.size();
  std::vector<double> total(n, 0);
  for (const auto& s : series) {
    for (std::size_t i = 0; i < n && i < s.values.size(); ++i) total[i] += s.values[i];
  }
  const double max = n == 0 ? 0 : *std::max_element(total.begin(), total.end());
  const double scale = max > 0 ? (height - top - bottom) / max : 0;
  const auto x_of = [&](std::size_t i) {
    return n <= 1 ? left + (width - left - right) / 2
                  : left + (width - left - right) * static_cast<double>(i) /
                               static_cast<double>(n - 1);
  };
  const auto y_of = [&](double v) { return height - bottom - v * scale; };
  std::string out = fmt::format(
      "<svg class=\"chart\" id=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" "
      "height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\"><title>{}</title>\n",
      html_escape(id), width, height, width, height, html_escape(title));
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#99a\" />\n", left,
                     height - bottom, width - right, height - bottom);
  out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#99a\" />\n", left, top,
                     left, height - bottom);
  std::vector<double> base(n, 0);
  for (const auto& s : series) {
    std::string points;
    std::vector<double> upper(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      upper[i] = base[i] + (i < s.values.size() ? s.values[i] : 0);
    }
    if (n == 1) {  // one step: a bar
      out += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"40\" height=\"{:.1f}\" fill=\"{}\"><title>{}</title></rect>\n",
          x_of(0) - 20, y_of(upper[0]), upper[0] * scale - base[0] * scale, s.color,
          html_escape(s.name));
    } else if (n > 1) {
      for (std::size_t i = 0; i < n; ++i) points += fmt::format("{:.1f},{:.1f} ", x_of(i), y_of(upper[i]));
      for (std::size_t i = n; i-- > 0;) points += fmt::format("{:.1f},{:.1f} ", x_of(i), y_of(base[i]));
      points.pop_back();
      out += fmt::format(
          "<polygon points=\"{}\" fill=\"{}\" fill-opacity=\"0.85\"><title>{}</title></polygon>\n",
          points, s.color, html_escape(s.name));
    }
    base = std::move(upper);
  }
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", left - 6, top + 10,
                     html_escape(format_value(max)));
  out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>\n", left - 6,
                     height - bottom);
  if (n > 0) {
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"start\">{}</text>\n", left,
                       height - 10, html_escape(labels.front()));
    if (n > 1) {
      out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", width - right,
                         height - 10, html_escape(labels.back()));
    }
  }
  out += "</svg>\n";
  out += chart_legend(series);
  return out;
}

/// One bar of a horizontal bar chart: a label and stacked segments.
struct bar_row {
  std::string label;
  std::vector<double> segments;  ///< aligned with the chart's segment names and colours
  std::string value_text;        ///< printed after the bar
};

/// Horizontal stacked bars, one per row.
[[nodiscard]] std::string bar_chart(std::string_view id, std::string_view title,
                                           const std::vector<bar_row>& rows,
                                           const std::vector<chart_series>& segments);

}  // namespace ecrlp::writer::html
