// SPDX-License-Identifier: MIT
#include "render/html/charts.hpp"

namespace ecrlp::writer::html {

/// A legend line for `series`.
std::string chart_legend(const std::vector<chart_series>& series) {
  std::string out = "<div class=\"legend\">";
  for (const auto& s : series) {
    out += fmt::format("<span><i style=\"background:{}\"></i>{}</span>", s.color, html_escape(s.name));
  }
  out += "</div>\n";
  return out;
}

/// Horizontal stacked bars, one per row.
[[nodiscard]] std::string bar_chart(std::string_view id, std::string_view title,
                                           const std::vector<bar_row>& rows,
                                           const std::vector<chart_series>& segments) {
  constexpr double width = 900;
  constexpr double label_width = 260;
  constexpr double bar_height = 18;
  constexpr double gap = 8;
  constexpr double value_width = 120;
  const double height = static_cast<double>(rows.size()) * (bar_height + gap) + gap;
  double max = 0;
  for (const auto& r : rows) {
    double sum = 0;
    for (const double v : r.segments) sum += v;
    max = std::max(max, sum);
  }
  const double scale = max > 0 ? (width - label_width - value_width) / max : 0;
  std::string out = "<p class=\"muted\">" + html_escape(title) + "</p>\n";
  out += fmt::format(
      "<svg class=\"chart\" id=\"{}\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" "
      "height=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\"><title>{}</title>\n",
      html_escape(id), width, height, width, height, html_escape(title));
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& r = rows[k];
    const double y = gap + static_cast<double>(k) * (bar_height + gap);
    out += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
                       label_width - 8, y + bar_height - 5, html_escape(r.label));
    double x = label_width;
    for (std::size_t s = 0; s < r.segments.size() && s < segments.size(); ++s) {
      const double w = r.segments[s] * scale;
      if (w > 0) {
        out += fmt::format(
            "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>\n",
            x, y, w, bar_height, segments[s].color, html_escape(segments[s].name), r.segments[s]);
      }
      x += w;
    }
    out += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\">{}</text>\n", x + 6, y + bar_height - 5,
                       html_escape(r.value_text));
  }
  out += "</svg>\n";
  out += chart_legend(segments);
  return out;
}

}  // namespace ecrlp::writer::html
