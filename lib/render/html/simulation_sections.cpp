// SPDX-License-Identifier: MIT
// Sections of the simulation pages (one repository's and the registry's).

#include "render/html/simulation_sections.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "document/phrases.hpp"
#include "document/simulation.hpp"
#include "render/html/cells.hpp"
#include "render/html/charts.hpp"
#include "render/html/page.hpp"

namespace ecrlp::writer::html {

using detail::group_digits;
using detail::human_bytes;

/// The in-use section: the removals by step, or that there are none.
std::string in_use_html(std::span<const detail::removal_row> rows, bool with_repository) {
  std::string out = "<h2>In use</h2>\n";
  auto it = std::back_inserter(out);
  if (rows.empty()) {
    out += "<p id=\"in-use\">No in-use image is expired or transitioned over the simulation.</p>\n";
    return out;
  }
  const auto& first = rows.front();
  fmt::format_to(it,
                 "<p style=\"color:#c8372d\"><strong>IN USE: {} in-use image{} removed; the first "
                 "at step {} ({}).</strong></p>\n",
                 group_digits(rows.size()), rows.size() == 1 ? " is" : "s are", first.rm.step,
                 html_escape(format_timestamp(first.doc->result.steps[first.rm.step].at)));
  fmt::format_to(it,
                 "<table class=\"sortable\" id=\"in-use\"><thead><tr><th class=\"n\">Step</th>"
                 "<th>Time</th><th>Action</th><th class=\"n\">Rule</th>{}<th>Digest</th>"
                 "<th>Tags</th><th>In use as</th></tr></thead><tbody>\n",
                 with_repository ? "<th>Repository</th>" : "");
  for (const auto& r : rows) {
    const simulation_document& d = *r.doc;
    const image& img = detail::image_at(d, r.rm.image_index);
    fmt::format_to(it,
                   "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>{}"
                   "<td data-v=\"{}\"><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
                   r.rm.step, html_escape(format_timestamp(d.result.steps[r.rm.step].at)),
                   r.rm.action == fate::expire ? "EXPIRE" : "TRANSITION",
                   r.rm.rule ? std::to_string(*r.rm.rule) : std::string(),
                   with_repository ? "<td>" + html_escape(r.repository) + "</td>" : std::string(),
                   html_escape(img.digest), html_escape(detail::short_digest(img.digest)),
                   html_escape(detail::tags_text(img)), html_escape(detail::in_use_text(d, r.rm.image_index)));
  }
  out += "</tbody></table>\n";
  return out;
}

/// Stacked areas of the images and of the bytes after each of `steps` by storage class, under
/// `h` headings; the charts' ids are `prefix` + "images-over-time" and + "bytes-over-time".
std::string class_charts_html(std::span<const simulation_step> steps, std::string_view prefix,
                              std::string_view h, std::string_view heading_suffix) {
  std::vector<std::string> labels;
  std::vector<chart_series> images_series = {{"standard", "#3b6fd8", {}},
                                                     {"archive", "#a65fd0", {}},
                                                     {"activating", "#5fb49c", {}}};
  auto bytes_series = images_series;
  for (const auto& s : steps) {
    labels.push_back(format_timestamp(s.at).substr(0, 10));
    images_series[0].values.push_back(double(s.standard.images));
    images_series[1].values.push_back(double(s.archive.images));
    images_series[2].values.push_back(double(s.activating.images));
    bytes_series[0].values.push_back(double(s.standard.bytes));
    bytes_series[1].values.push_back(double(s.archive.bytes));
    bytes_series[2].values.push_back(double(s.activating.bytes));
  }
  std::string out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "<{0}>Images over time, by storage class{1}</{0}>\n", h, heading_suffix);
  out += stacked_area_chart(std::string(prefix) + "images-over-time",
                                    "Images after each step", labels, images_series, [](double v) {
                                      return group_digits(static_cast<std::uint64_t>(v));
                                    });
  fmt::format_to(it, "<{0}>Bytes over time, by storage class{1}</{0}>\n", h, heading_suffix);
  out += stacked_area_chart(std::string(prefix) + "bytes-over-time",
                                    "Bytes after each step", labels, bytes_series, [](double v) {
                                      return human_bytes(static_cast<std::uint64_t>(v));
                                    });
  return out;
}

/// The sortable table of the shown steps (the first, the last, those with changes).
std::string steps_html(std::span<const simulation_step> steps, std::string_view id) {
  std::string out = fmt::format(
      "<table class=\"sortable\" id=\"{}\"><thead><tr><th class=\"n\">Step</th><th>Time</th>"
      "<th class=\"n\">Added</th><th class=\"n\">Expired</th><th class=\"n\">Archived</th>"
      "<th class=\"n\">Standard</th><th class=\"n\">Standard bytes</th><th class=\"n\">Archive</th>"
      "<th class=\"n\">Archive bytes</th><th class=\"n\">Findings</th></tr></thead><tbody>\n",
      html_escape(id));
  auto it = std::back_inserter(out);
  for (const std::size_t k : detail::shown_steps(steps)) {
    const auto& s = steps[k];
    fmt::format_to(it,
                   "<tr><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                   "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\" data-v=\"{}\">{}</td>"
                   "<td class=\"n\">{}</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\">{}</td></tr>\n",
                   k, html_escape(format_timestamp(s.at)), s.added, s.expired.images,
                   s.transitioned.images, s.standard.images + s.activating.images,
                   s.standard.bytes + s.activating.bytes,
                   human_bytes(s.standard.bytes + s.activating.bytes), s.archive.images,
                   s.archive.bytes, human_bytes(s.archive.bytes), s.findings.total());
  }
  out += "</tbody></table>\n";
  return out;
}

/// Bars of the images each rule acted on over the simulation.
std::string rules_chart_html(const simulation_document& doc, std::string_view id) {
  const auto& r = doc.result;
  const auto t = detail::totals_over(r);
  std::vector<bar_row> rule_rows;
  for (std::size_t k = 0; k < r.rule_priorities.size(); ++k) {
    const rule* rl = detail::find_rule(doc.policy, r.rule_priorities[k]);
    const bool transition = rl != nullptr && rl->action.type == action_type::transition;
    std::string label = "rule " + std::to_string(r.rule_priorities[k]);
    if (rl != nullptr && !rl->description.empty()) label += ": " + rl->description;
    rule_rows.push_back({label,
                         {transition ? 0.0 : double(t.by_rule[k]), transition ? double(t.by_rule[k]) : 0.0},
                         detail::group_digits(t.by_rule[k]) + " images"});
  }
  return bar_chart(id, "Images each rule acted on over the simulation", rule_rows,
                           {{"expired", "#c8372d", {}}, {"archived", "#a65fd0", {}}});
}

/// The sentence above the table of images archived or expired, stating the row cap.
std::string events_note(std::size_t max_rows, std::size_t total, std::string_view id) {
  std::string out = fmt::format("<p class=\"muted\" id=\"{}\">", html_escape(id));
  const std::string cap =
      max_rows == 0 ? std::string("every row, each with its explanation: no limit was set")
                    : "at most " + group_digits(max_rows) + " rows, each with its explanation";
  if (max_rows != 0 && max_rows < total) {
    out += fmt::format("The first {} of {} archive and expiry events, in step order, are listed "
                       "({}); sorting reorders the listed rows only. ",
                       group_digits(max_rows), group_digits(total), cap);
  } else {
    out += fmt::format("All {} archive and expiry events are listed ({}). ", group_digits(total),
                       cap);
  }
  out += "Click a column heading to sort; click a digest for the explanation of the image's fate "
         "at the step it is archived or expired at: what <code>ecrlp explain</code> gives at that "
         "step's time for the repository as that step's evaluation sees it.</p>\n";
  return out;
}

/// The table of the images archived or expired in step order, at most `max_rows` (0 = all),
/// each digest unfolding to its explanation at the step.
std::string events_html(const simulation_document& doc, std::size_t max_rows,
                        std::string_view prefix) {
  const auto& steps = doc.result.steps;
  const auto ev = detail::events_of(doc.result);
  const std::size_t listed = max_rows == 0 ? ev.size() : std::min(max_rows, ev.size());
  const std::span<const detail::event> rows(ev.data(), listed);
  const auto why = detail::event_explanations(doc, rows);
  std::string out = events_note(max_rows, ev.size(), std::string(prefix) + "rows-note");
  auto it = std::back_inserter(out);
  fmt::format_to(it,
                 "<table class=\"sortable\" id=\"{}events\"><thead><tr><th class=\"n\">Step</th>"
                 "<th>Time</th><th>Event</th><th class=\"n\">Rule</th><th class=\"n\">Size</th>"
                 "<th>Digest</th><th>Tags</th></tr></thead><tbody>\n",
                 html_escape(prefix));
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& e = rows[k];
    const image& img = detail::image_at(doc, e.image);
    const bool in_use = e.image < doc.in_use.size() && doc.in_use[e.image].in_use();
    std::string why_text = why[k];
    if (in_use) why_text += "\nin use as " + detail::in_use_text(doc, e.image);
    fmt::format_to(it,
                   "<tr{}><td class=\"n\">{}</td><td>{}</td><td data-v=\"{}\">{}{}</td>"
                   "<td class=\"n\">{}</td><td class=\"n\" data-v=\"{}\">{}</td>{}<td>{}</td>"
                   "</tr>\n",
                   in_use ? " class=\"in-use\" style=\"background:#fdf0ef\"" : "", e.step,
                   html_escape(format_timestamp(steps[e.step].at)), e.expire ? "EXPIRE" : "ARCHIVE",
                   e.expire ? "EXPIRE" : "ARCHIVE",
                   in_use ? " <strong style=\"color:#c8372d\">IN USE</strong>" : "",
                   e.rule ? std::to_string(*e.rule) : std::string(), img.size_bytes,
                   human_bytes(img.size_bytes), explained_digest_cell(img.digest, why_text),
                   html_escape(detail::tags_text(img)));
  }
  out += "</tbody></table>\n";
  return out;
}

/// What left and what is left.
std::string outcome_html(const simulation_document& doc) {
  const auto& steps = doc.result.steps;
  const auto t = detail::totals_over(doc.result);
  return fmt::format(
      "<p><strong>{}</strong> images expired ({}), <strong>{}</strong> archived ({}); "
      "{} images ({}) at the end.</p>\n",
      group_digits(t.expired.images), human_bytes(t.expired.bytes),
      group_digits(t.transitioned.images), human_bytes(t.transitioned.bytes),
      group_digits(steps.empty() ? 0 : steps.back().total().images),
      human_bytes(steps.empty() ? 0 : steps.back().total().bytes));
}

/// One simulation's charts, rules, watched images, steps and images archived or expired, with
/// `h` headings and element ids starting with `prefix`.
std::string simulation_body_html(const simulation_document& doc, std::size_t max_rows,
                                 std::string_view prefix, std::string_view h) {
  std::string out = class_charts_html(doc.result.steps, prefix, h, "");
  auto it = std::back_inserter(out);
  fmt::format_to(it, "<{0}>Rules</{0}>\n", h);
  out += rules_chart_html(doc, std::string(prefix) + "rules");
  if (!doc.watches.empty()) {
    fmt::format_to(it, "<{0}>Watched images</{0}>\n<ul>\n", h);
    for (const auto& w : doc.watches) {
      for (const std::size_t i : w.images) {
        fmt::format_to(it, "<li><code>{}</code> = <code>{}</code> [{}]: {}</li>\n",
                       html_escape(w.key), html_escape(detail::image_at(doc, i).digest),
                       html_escape(detail::tags_text(detail::image_at(doc, i))), html_escape(detail::watch_story(doc, i)));
      }
    }
    out += "</ul>\n";
  }
  fmt::format_to(it,
                 "<{0}>Steps with changes</{0}>\n<p class=\"muted\">Click a column to sort.</p>\n",
                 h);
  out += steps_html(doc.result.steps, std::string(prefix) + "steps");
  fmt::format_to(it, "<{0}>Images archived or expired</{0}>\n", h);
  out += events_html(doc, max_rows, prefix);
  return out;
}

}  // namespace ecrlp::writer::html
