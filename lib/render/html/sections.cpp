// SPDX-License-Identifier: MIT
// Sections several HTML pages share: before/after and per-rule bars, the kinds of change, and
// the tables of affected and changed images whose digests unfold to their explanations.

#include "render/html/sections.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "document/explanation.hpp"
#include "document/phrases.hpp"
#include "render/html/cells.hpp"
#include "render/html/charts.hpp"
#include "render/html/page.hpp"

namespace ecrlp::writer::html {
namespace {

using detail::group_digits;
using detail::human_bytes;
using detail::join;

std::string join_lines(std::span<const std::string> lines, std::size_t from, std::string_view indent) {
  std::string out;
  for (std::size_t k = from; k < lines.size(); ++k) {
    out += '\n';
    out += indent;
    out += lines[k];
  }
  return out;
}

}  // namespace

/// The repository as it is: images by the storage class they are in now.
class_row now_totals(std::span<const image> images, std::string label) {
  class_row t{std::move(label), {}, {}};
  for (const auto& img : images) (img.status == image_status::archived ? t.archive : t.standard).add(img);
  return t;
}

/// The repository after an evaluation's actions.
class_row after_totals(const preview_totals& p, std::string label) {
  return {std::move(label), p.after_standard, p.after_archive};
}

/// Bars of images, bytes and scan findings, one bar per row, by storage class (findings by
/// severity): the charts "before-after-images", "before-after-bytes", "before-after-findings".
std::string before_after_charts(const std::vector<class_row>& rows) {
  const std::vector<chart_series> classes = {{"standard", "#3b6fd8", {}},
                                                     {"archive", "#a65fd0", {}}};
  std::vector<bar_row> images;
  std::vector<bar_row> bytes;
  std::vector<bar_row> findings;
  for (const auto& r : rows) {
    finding_counts f = r.standard.findings;
    f += r.archive.findings;
    images.push_back({r.label,
                      {double(r.standard.images), double(r.archive.images)},
                      group_digits(r.standard.images + r.archive.images) + " images"});
    bytes.push_back({r.label,
                     {double(r.standard.bytes), double(r.archive.bytes)},
                     human_bytes(r.standard.bytes + r.archive.bytes)});
    findings.push_back({r.label,
                        {double(f.critical), double(f.high), double(f.medium),
                         double(f.low + f.informational + f.undefined)},
                        group_digits(f.total()) + " findings"});
  }
  std::string out = bar_chart("before-after-images", "Images before and after", images, classes);
  out += bar_chart("before-after-bytes", "Bytes before and after", bytes, classes);
  out += bar_chart("before-after-findings", "Scan findings before and after", findings,
                           {{"critical", "#b3261e", {}},
                            {"high", "#e8711a", {}},
                            {"medium", "#e0b400", {}},
                            {"low and other", "#8a9bb0", {}}});
  return out;
}

/// Per-rule bars: images each rule expires, transitions, and owns but keeps.
std::string rule_bars(std::string_view id, std::string_view title, const lifecycle_policy& policy,
                      const evaluation_result& result) {
  std::vector<bar_row> rows;
  for (const auto& rs : result.rules) {
    const rule* r = detail::find_rule(policy, rs.priority);
    const bool transition = r != nullptr && r->action.type == action_type::transition;
    std::string label = "rule " + std::to_string(rs.priority);
    if (r != nullptr && !r->description.empty()) label += ": " + r->description;
    rows.push_back({label,
                    {transition ? 0.0 : double(rs.acted), transition ? double(rs.acted) : 0.0,
                     double(rs.owned - rs.acted)},
                    group_digits(rs.acted) + " of " + group_digits(rs.owned) + " owned"});
  }
  return bar_chart(id, title, rows,
                           {{"expire", "#c8372d", {}},
                            {"transition", "#a65fd0", {}},
                            {"owned, kept", "#c9d3e6", {}}});
}

std::string_view change_kind_color(change_kind k) noexcept {
  static constexpr std::string_view colors[change_kind_count] = {
      "#c8372d", "#2e8b57", "#a65fd0", "#2a9d8f", "#7b5fd0", "#e8711a", "#8a9bb0"};
  const auto i = static_cast<std::size_t>(k);
  return i < change_kind_count ? colors[i] : std::string_view("#8a9bb0");
}

std::string change_kinds_chart(std::string_view id, std::string_view title,
                               const std::array<change_total, change_kind_count>& totals) {
  std::vector<bar_row> kind_rows;
  std::vector<chart_series> kind_series;
  for (std::size_t k = 0; k < change_kind_count; ++k) {
    const change_kind kind = all_change_kinds[k];
    const change_total& t = totals[k];
    std::vector<double> segments(change_kind_count, 0.0);
    segments[k] = double(t.bytes);
    kind_rows.push_back({std::string(describe(kind)), std::move(segments),
                         group_digits(t.images) + (t.images == 1 ? " image, " : " images, ") +
                             human_bytes(t.bytes)});
    kind_series.push_back({std::string(describe(kind)), std::string(change_kind_color(kind)), {}});
  }
  return bar_chart(id, title, kind_rows, kind_series);
}

std::string changed_images_table(const diff_document& doc, const evaluation_options& explain_options,
                                 std::size_t listed, std::string_view id) {
  const policy_diff& d = doc.diff;
  std::string out = fmt::format(
      "<table class=\"sortable\" id=\"{}\"><thead><tr><th>Pushed</th><th>Change</th>"
      "<th>Old</th><th>New</th><th class=\"n\">Size</th><th>Digest</th><th>Tags</th></tr></thead>"
      "<tbody>\n",
      html_escape(id));
  auto it = std::back_inserter(out);
  const explainer old_ex(doc.before_policy, doc.images, explain_options);
  const explainer new_ex(doc.after_policy, doc.images, explain_options);
  listed = std::min(listed, d.changes.size());
  for (std::size_t k = 0; k < listed; ++k) {
    const fate_change& c = d.changes[k];
    const image& img = doc.images[c.image_index];
    const auto old_why = detail::explanation_lines(old_ex, c.image_index);
    const auto new_why = detail::explanation_lines(new_ex, c.image_index);
    // The image's facts once, then each policy's fate and rules.
    std::string why = old_why.empty() ? std::string() : old_why.front();
    why += fmt::format("\nold policy ({}): {}{}", doc.before_name,
                       old_why.size() > 1 ? old_why[1] : std::string(),
                       join_lines(old_why, 2, "  "));
    why += fmt::format("\nnew policy ({}): {}{}", doc.after_name,
                       new_why.size() > 1 ? new_why[1] : std::string(),
                       join_lines(new_why, 2, "  "));
    fmt::format_to(it, "<tr>{}<td>{}</td><td>{}</td><td>{}</td>{}{}{}</tr>\n", pushed_cell(img),
                   html_escape(describe(c.kind)), detail::decision_text(c.before), detail::decision_text(c.after),
                   size_cell(img), explained_digest_cell(img.digest, why), tags_cell(img));
  }
  out += "</tbody></table>\n";
  return out;
}

std::string affected_images_table(std::string_view id, std::span<const image> images,
                                  const evaluation_result& result, const explainer& ex,
                                  std::span<const in_use_match> matches,
                                  std::span<const in_use_ref> refs, const std::vector<bool>& in_use,
                                  std::size_t max_rows) {
  std::string out;
  auto it = std::back_inserter(out);
  fmt::format_to(it,
                 "<table class=\"sortable\" id=\"{}\"><thead><tr><th>Pushed</th><th>Action</th>"
                 "<th class=\"n\">Rule</th><th class=\"n\">Size</th><th>Digest</th><th>Tags</th>"
                 "</tr></thead><tbody>\n",
                 html_escape(id));
  std::size_t listed = 0;
  for (const std::size_t i : result.order) {
    const auto& d = result.decisions[i];
    if (d.action == fate::keep) continue;
    if (max_rows != 0 && listed == max_rows) break;
    ++listed;
    const image& img = images[i];
    std::string why = detail::explanation_text(ex, i);
    const std::string_view action = d.action == fate::expire ? "EXPIRE" : "TRANSITION";
    if (i < in_use.size() && in_use[i]) {
      if (i < matches.size()) {
        for (const auto& g : detail::reference_groups(refs, matches[i].refs, 10)) {
          why += "\nin use as " + g;
        }
        for (const std::size_t t : matches[i].through) {
          if (t < images.size()) why += "\nin use through index " + images[t].digest;
        }
      }
      fmt::format_to(it,
                     "<tr class=\"in-use\" style=\"background:#fdf0ef\">{}<td data-v=\"{}\">{} "
                     "<strong style=\"color:{}\">IN USE</strong></td><td class=\"n\">{}</td>{}{}{}</tr>\n",
                     pushed_cell(img), action, action, in_use_color,
                     d.owner ? std::to_string(*d.owner) : std::string(), size_cell(img),
                     explained_digest_cell(img.digest, why), tags_cell(img));
      continue;
    }
    fmt::format_to(it, "<tr>{}<td>{}</td><td class=\"n\">{}</td>{}{}{}</tr>\n", pushed_cell(img),
                   action, d.owner ? std::to_string(*d.owner) : std::string(), size_cell(img),
                   explained_digest_cell(img.digest, why), tags_cell(img));
  }
  out += "</tbody></table>\n";
  return out;
}

std::string in_use_clear_panel(std::string_view sentence) {
  return fmt::format("<div id=\"in-use\" style=\"border:2px solid #2e8b57;background:#eef8f1;"
                     "padding:0.3em 1em;margin:1em 0\"><p><strong>In use:</strong> {}</p></div>\n",
                     sentence);
}

std::string in_use_alert_open(std::string_view heading) {
  return fmt::format("<div id=\"in-use\" style=\"border:2px solid {0};background:#fdf0ef;"
                     "padding:0.3em 1em;margin:1em 0\">\n<h2 style=\"margin-top:0.5em;border:none;"
                     "color:{0}\">{1}</h2>\n",
                     in_use_color, heading);
}

}  // namespace ecrlp::writer::html
