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

namespace {

/// Characters of UTF-8 text (not bytes).
std::size_t characters(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1U : 0U;
  return n;
}

/// The first `n` characters of `s` (whole UTF-8 sequences), as bytes.
std::size_t prefix_bytes(std::string_view s, std::size_t n) noexcept {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0U) != 0x80U && chars++ == n) return i;
  }
  return s.size();
}

/// `label` on lines of at most `width` characters, broken at spaces (a longer word is broken
/// where the line is full): a bar's label is never cut, it takes more lines.
std::vector<std::string> wrap(std::string_view label, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t at = 0;
  while (at < label.size()) {
    const std::size_t space = label.find(' ', at);
    std::string_view word = label.substr(at, space == std::string_view::npos ? label.size() - at
                                                                              : space - at);
    at += word.size() + 1;
    while (!word.empty()) {
      const std::size_t room = line.empty() ? width : width - std::min(width, characters(line) + 1);
      if (characters(word) <= room) {
        line += (line.empty() ? "" : " ") + std::string(word);
        word = {};
      } else if (!line.empty()) {
        lines.push_back(std::move(line));
        line.clear();
      } else {
        const std::size_t cut = prefix_bytes(word, width);
        lines.emplace_back(word.substr(0, cut));
        word.remove_prefix(cut);
      }
    }
  }
  if (!line.empty() || lines.empty()) lines.push_back(std::move(line));
  return lines;
}

}  // namespace

/// Horizontal stacked bars, one per row. A label longer than the label column takes more lines
/// (its row grows): a label is never cut.
[[nodiscard]] std::string bar_chart(std::string_view id, std::string_view title,
                                           const std::vector<bar_row>& rows,
                                           const std::vector<chart_series>& segments) {
  constexpr double width = 900;
  constexpr double label_width = 260;
  constexpr std::size_t label_chars = 36;  // what 252 px hold at 11 px, with room to spare
  constexpr double line_height = 13;
  constexpr double bar_height = 18;
  constexpr double gap = 8;
  constexpr double value_width = 120;
  std::vector<std::vector<std::string>> labels;
  double height = gap;
  for (const auto& r : rows) {
    labels.push_back(wrap(r.label, label_chars));
    height += bar_height + gap + static_cast<double>(labels.back().size() - 1) * line_height;
  }
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
  double y = gap;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& r = rows[k];
    const auto& lines = labels[k];
    if (lines.size() == 1) {
      out += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">{}</text>\n",
                         label_width - 8, y + bar_height - 5, html_escape(r.label));
    } else {
      out += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">", label_width - 8,
                         y + bar_height - 5);
      for (std::size_t l = 0; l < lines.size(); ++l) {
        out += fmt::format("<tspan x=\"{}\" dy=\"{}\">{}</tspan>", label_width - 8,
                           l == 0 ? 0.0 : line_height, html_escape(lines[l]));
      }
      out += "</text>\n";
    }
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
    y += bar_height + gap + static_cast<double>(lines.size() - 1) * line_height;
  }
  out += "</svg>\n";
  out += chart_legend(segments);
  return out;
}

}  // namespace ecrlp::writer::html
