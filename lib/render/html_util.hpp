// SPDX-License-Identifier: MIT
#pragma once

// Private pieces of the HTML reports: escaping, the page frame (inline CSS and the table-sorting
// script, with its self-test), inline SVG charts, explanations on demand. Output is well-formed
// XML as well as HTML.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <ecrlp/explain.hpp>
#include <ecrlp/explain_report.hpp>
#include <ecrlp/impact.hpp>
#include <ecrlp/in_use.hpp>

#include <fmt/format.h>

#include "render/format_util.hpp"

namespace ecrlp::detail {

/// Text or attribute value with &, <, >, " and ' escaped.
[[nodiscard]] inline std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

/// `<!DOCTYPE html>` to the opening of <body>, with the title as <h1>.
[[nodiscard]] inline std::string html_page_start(std::string_view title) {
  std::string out = R"(<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>)";
  out += html_escape(title);
  out += R"(</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #1d2330; max-width: 1100px; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ccd; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #e3e6ee; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.sortable th { cursor: pointer; user-select: none; background: #f3f5fa; }
table.sortable th[data-dir="asc"]::after { content: " \25B2"; }
table.sortable th[data-dir="desc"]::after { content: " \25BC"; }
code { font-size: 0.95em; } .muted { color: #667; }
svg.chart { display: block; margin: 0.5em 0 1em 0; }
svg.chart text { font-size: 11px; fill: #334; }
.legend span { display: inline-block; margin-right: 1.2em; }
.legend i { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.3em; vertical-align: -0.1em; }
details summary { cursor: pointer; white-space: nowrap; } table.sortable td { vertical-align: top; }
details pre.why { font-size: 0.85em; margin: 0.3em 0 0.5em 0; padding: 0.4em 0.6em; background: #f6f7fb;
  border-left: 3px solid #c9d3e6; white-space: pre-wrap; max-width: 60em; }
</style>
</head>
<body>
<h1>)";
  out += html_escape(title);
  out += "</h1>\n";
  return out;
}

/// The table-sorting script and the closing tags.
///
/// Self-test (for the browser tests only): when the page is opened with the fragment
/// `#ecrlp-selftest`, the script clicks every heading of every sortable table twice (ascending,
/// then descending) with element.click(), and appends `<pre id="ecrlp-selftest">` holding, as
/// JSON, per table and column the sort keys of the rows before the clicks and after each click.
/// `chromium --headless --dump-dom 'file://...#ecrlp-selftest'` prints it. Without that exact
/// fragment the self-test does nothing.
[[nodiscard]] inline std::string html_page_end() {
  return R"(<script>
//<![CDATA[
(function () {
  function key(cell) { var v = cell.getAttribute('data-v'); return v === null ? cell.textContent : v; }
  function keys(table, col) {
    return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return key(r.cells[col]); });
  }
  var tables = document.querySelectorAll('table.sortable');
  tables.forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener('click', function () {
        var asc = th.getAttribute('data-dir') !== 'asc';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('data-dir'); });
        th.setAttribute('data-dir', asc ? 'asc' : 'desc');
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (x, y) {
          var a = key(x.cells[col]), b = key(y.cells[col]);
          var na = Number(a), nb = Number(b);
          var r = (a !== '' && b !== '' && !isNaN(na) && !isNaN(nb)) ? na - nb : a.localeCompare(b);
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  if (window.location.hash !== '#ecrlp-selftest') return;
  var report = [];
  tables.forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var entry = { table: table.id, column: col, heading: th.textContent, before: keys(table, col) };
      th.click();
      entry.first = th.getAttribute('data-dir');
      entry.asc = keys(table, col);
      th.click();
      entry.second = th.getAttribute('data-dir');
      entry.desc = keys(table, col);
      report.push(entry);
    });
  });
  var pre = document.createElement('pre');
  pre.id = 'ecrlp-selftest';
  pre.textContent = JSON.stringify(report);
  document.body.appendChild(pre);
})();
//]]>
</script>
</body>
</html>
)";
}

/// One series of a stacked chart.
struct chart_series {
  std::string name;
  std::string color;
  std::vector<double> values;
};

/// A legend line for `series`.
[[nodiscard]] inline std::string chart_legend(const std::vector<chart_series>& series) {
  std::string out = "<div class=\"legend\">";
  for (const auto& s : series) {
    out += fmt::format("<span><i style=\"background:{}\"></i>{}</span>", s.color, html_escape(s.name));
  }
  out += "</div>\n";
  return out;
}

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
[[nodiscard]] inline std::string bar_chart(std::string_view id, std::string_view title,
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

/// The sentence above a table of images that lists at most `max_rows` of `total` (0 = all),
/// stating the cap: "The 1,000 oldest of 4,321 affected images are listed (at most 1,000 rows, each
/// with its explanation) ..." or "All 12 affected images are listed (at most 1,000 rows ...) ...".
[[nodiscard]] inline std::string listed_rows_note(std::size_t max_rows, std::size_t total,
                                                  std::string_view noun) {
  std::string out = "<p class=\"muted\" id=\"rows-note\">";
  const std::string cap =
      max_rows == 0 ? std::string("every row, each with its explanation: no limit was set")
                    : "at most " + group_digits(max_rows) + " rows, each with its explanation";
  if (max_rows != 0 && max_rows < total) {
    out += fmt::format("The {} oldest of {} {} are listed ({}); sorting reorders the listed rows "
                       "only. ",
                       group_digits(max_rows), group_digits(total), html_escape(noun), cap);
  } else {
    out += fmt::format("All {} {} are listed ({}). ", group_digits(total), html_escape(noun), cap);
  }
  out += "Click a column heading to sort; click a digest for the explanation of the image's fate, "
         "as <code>ecrlp explain</code> gives it.</p>\n";
  return out;
}

/// The explanation of image `image_index` as `ecrlp explain` writes it (write_explain_text),
/// without the heading and the digest line, and with two spaces less indentation: first the
/// image's facts (times, status, size, tags), then the fate, then one line per rule.
[[nodiscard]] inline std::vector<std::string> explanation_lines(const explainer& ex,
                                                                std::size_t image_index) {
  std::ostringstream text;
  const std::size_t which[] = {image_index};
  write_explain_text(text, ex, which);
  const std::string s = text.str();
  std::vector<std::string> lines;
  // Heading, blank line, digest line, then the image's lines (indented by two spaces).
  std::size_t at = s.find("\n\n");
  at = at == std::string::npos ? s.size() : s.find('\n', at + 2);
  while (at != std::string::npos && at + 1 < s.size()) {
    const std::size_t end = s.find('\n', at + 1);
    std::string_view line(s.data() + at + 1, (end == std::string::npos ? s.size() : end) - at - 1);
    if (line.starts_with("  ")) line.remove_prefix(2);
    lines.emplace_back(line);
    at = end;
  }
  return lines;
}

/// explanation_lines() as one text, a line each (what the preview page unfolds for an image).
[[nodiscard]] inline std::string explanation_text(const explainer& ex, std::size_t image_index) {
  const auto lines = explanation_lines(ex, image_index);
  std::string out;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    if (k != 0) out += '\n';
    out += lines[k];
  }
  return out;
}

/// A table cell showing `digest` shortened to its first 19 characters ("sha256:" and 12 hex
/// digits, then an ellipsis), the whole digest as its tooltip and sort key.
inline constexpr std::size_t short_digest_chars = 19;

[[nodiscard]] inline std::string short_digest_cell(std::string_view digest) {
  constexpr std::size_t shown = short_digest_chars;
  return fmt::format("<td data-v=\"{0}\"><code title=\"{0}\">{1}{2}</code></td>", html_escape(digest),
                     html_escape(digest.substr(0, shown)), digest.size() > shown ? "\u2026" : "");
}

/// A table cell showing `digest` (its first 19 characters, "sha256:" and 12 hex digits) that
/// expands (a <details> element) to the full digest and `explanation` (text, escaped here). The
/// cell sorts by the full digest.
[[nodiscard]] inline std::string explained_digest_cell(std::string_view digest,
                                                       std::string_view explanation) {
  constexpr std::size_t shown = short_digest_chars;
  return fmt::format(
      "<td data-v=\"{0}\"><details><summary><code>{1}{2}</code></summary><pre class=\"why\">{0}\n{3}"
      "</pre></details></td>",
      html_escape(digest), html_escape(digest.substr(0, shown)),
      digest.size() > shown ? "\u2026" : "", html_escape(explanation));
}

// ---- In use and impact: text shared by the table, JSON and HTML renderers of a preview -------
// (and usable by a registry's renderers). Plain text; escape it for HTML.

/// Dollars as "$1,234.56" (whole cents, rounded half away from zero; "-$0.30" below zero).
[[nodiscard]] inline std::string dollars_text(double dollars) {
  const std::int64_t cents = to_cents(dollars);
  const std::uint64_t magnitude =
      cents < 0 ? std::uint64_t(0) - static_cast<std::uint64_t>(cents) : static_cast<std::uint64_t>(cents);
  return fmt::format("{}${}.{:02}", cents < 0 ? "-" : "", group_digits(magnitude / 100),
                     magnitude % 100);
}

/// A price per GB-month as "$0.10" (at least two decimals, at most four: "$0.0125").
[[nodiscard]] inline std::string price_text(double per_gb_month) {
  std::string s = fmt::format("{:.4f}", per_gb_month);
  const std::size_t dot = s.find('.');
  while (dot != std::string::npos && s.size() > dot + 3 && s.back() == '0') s.pop_back();
  return "$" + s;
}

/// "standard $0.10, archive $0.10 per GB-month (GB = 2^30 bytes)": the prices of an impact.
[[nodiscard]] inline std::string prices_text(const storage_prices& p) {
  const std::string gb = p.bytes_per_gb == (std::uint64_t{1} << 30) ? std::string("2^30")
                                                                      : group_digits(p.bytes_per_gb);
  return fmt::format("standard {}, archive {} per GB-month (GB = {} bytes)",
                     price_text(p.standard_per_gb_month), price_text(p.archive_per_gb_month), gb);
}

/// Where an in-use reference was read: "pods.json:12:7", "running.txt:3:1" ("pods.json" alone
/// when the place is unknown).
[[nodiscard]] inline std::string reference_place(const in_use_ref& r) {
  std::string out = r.source.empty() ? std::string("<in-use>") : r.source;
  if (r.line != 0) out += fmt::format(":{}:{}", r.line, r.column);
  return out;
}

/// The references `which` (indices into `refs`; out-of-range ones are skipped) grouped by their
/// text, in order of first appearance: "app:v1 (running.txt:3:1)", "app:v2 (200 references,
/// first pods.json:4:9)"; at most `max_groups` of them, then "and N more" (0 = all).
[[nodiscard]] inline std::vector<std::string> reference_groups(std::span<const in_use_ref> refs,
                                                               std::span<const std::size_t> which,
                                                               std::size_t max_groups = 0) {
  struct group {
    std::size_t first;
    std::size_t count;
  };
  std::vector<group> groups;
  std::unordered_map<std::string_view, std::size_t> group_of;  // text -> position in groups
  for (const std::size_t r : which) {
    if (r >= refs.size()) continue;
    const auto [it, fresh] = group_of.try_emplace(refs[r].text, groups.size());
    if (fresh) {
      groups.push_back({r, 1});
    } else {
      ++groups[it->second].count;
    }
  }
  std::vector<std::string> out;
  for (const group& g : groups) {
    if (max_groups != 0 && out.size() == max_groups) {
      out.push_back(fmt::format("and {} more", group_digits(groups.size() - max_groups)));
      break;
    }
    const in_use_ref& r = refs[g.first];
    out.push_back(g.count == 1 ? fmt::format("{} ({})", r.text, reference_place(r))
                               : fmt::format("{} ({} references, first {})", r.text,
                                             group_digits(g.count), reference_place(r)));
  }
  return out;
}

/// "EXPIRE by rule 2", "TRANSITION by rule 1, with its subject" (a referrer following its
/// subject): what removes an in-use image.
[[nodiscard]] inline std::string violation_action_text(const in_use_violation& v) {
  return fmt::format("{} by rule {}{}", v.action == fate::transition ? "TRANSITION" : "EXPIRE",
                     v.rule_priority, v.related == relation::referrer ? ", with its subject" : "");
}

/// The vector `v` points to, or nothing (the optional members of a preview_document).
template <class T>
[[nodiscard]] std::span<const T> view_of(const std::vector<T>* v) noexcept {
  return v == nullptr ? std::span<const T>() : std::span<const T>(*v);
}

/// Per image: whether it is in use, from a preview's matches and violations (either may be
/// empty; indices beyond `image_count` are ignored).
[[nodiscard]] inline std::vector<bool> in_use_flags(std::size_t image_count,
                                                    std::span<const in_use_match> matches,
                                                    std::span<const in_use_violation> violations) {
  std::vector<bool> out(image_count, false);
  for (std::size_t i = 0; i < matches.size() && i < image_count; ++i) out[i] = matches[i].in_use();
  for (const auto& v : violations) {
    if (v.image_index < image_count) out[v.image_index] = true;
  }
  return out;
}

}  // namespace ecrlp::detail
