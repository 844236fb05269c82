// SPDX-License-Identifier: MIT
// The preview as one self-contained HTML page (the simulation's page is in simulate_report.cpp).

#include <ecrlp/html_report.hpp>
#include <ecrlp/time.hpp>

#include <fmt/format.h>

#include <iterator>
#include <string>
#include <vector>

#include "format_util.hpp"
#include "html_util.hpp"

namespace ecrlp {

std::string render_preview_html(const preview_document& doc) {
  using detail::group_digits;
  using detail::html_escape;
  using detail::human_bytes;
  const auto totals = summarize(doc.images, doc.result);
  std::string title = "Lifecycle policy preview";
  if (!doc.repository_name.empty()) title += " of " + std::string(doc.repository_name);
  std::string out = detail::html_page_start(title);
  auto it = std::back_inserter(out);
  fmt::format_to(it,
                 "<p>At <code>{}</code>: {} images ({}) evaluated against {} rules. "
                 "<strong>{}</strong> expire ({}), <strong>{}</strong> move to archive ({}).</p>\n",
                 html_escape(format_timestamp(doc.now)), group_digits(totals.before.images),
                 human_bytes(totals.before.bytes), doc.policy.rules.size(),
                 group_digits(totals.expired.images), human_bytes(totals.expired.bytes),
                 group_digits(totals.transitioned.images), human_bytes(totals.transitioned.bytes));

  out += "<h2>Before and after</h2>\n";
  const std::vector<detail::chart_series> classes = {
      {"standard", "#3b6fd8", {}}, {"archive", "#a65fd0", {}}};
  // Images and bytes before (by class now) and after (by class after the actions).
  image_totals before_standard;
  image_totals before_archive;
  for (const auto& img : doc.images) {
    (img.status == image_status::archived ? before_archive : before_standard).add(img);
  }
  out += detail::bar_chart(
      "before-after-images", "Images before and after",
      {{"before", {double(before_standard.images), double(before_archive.images)},
        group_digits(totals.before.images) + " images"},
       {"after", {double(totals.after_standard.images), double(totals.after_archive.images)},
        group_digits(totals.after.images) + " images"}},
      classes);
  out += detail::bar_chart(
      "before-after-bytes", "Bytes before and after",
      {{"before", {double(before_standard.bytes), double(before_archive.bytes)},
        human_bytes(totals.before.bytes)},
       {"after", {double(totals.after_standard.bytes), double(totals.after_archive.bytes)},
        human_bytes(totals.after.bytes)}},
      classes);
  const auto sev = [](const finding_counts& f) {
    return std::vector<double>{double(f.critical), double(f.high), double(f.medium),
                               double(f.low + f.informational + f.undefined)};
  };
  out += detail::bar_chart(
      "before-after-findings", "Scan findings before and after",
      {{"before", sev(totals.before.findings), group_digits(totals.before.findings.total()) + " findings"},
       {"after", sev(totals.after.findings), group_digits(totals.after.findings.total()) + " findings"}},
      {{"critical", "#b3261e", {}}, {"high", "#e8711a", {}}, {"medium", "#e0b400", {}},
       {"low and other", "#8a9bb0", {}}});

  out += "<h2>Rules</h2>\n";
  std::vector<detail::bar_row> rule_rows;
  for (const auto& rs : doc.result.rules) {
    const rule* r = nullptr;
    for (const auto& c : doc.policy.rules) {
      if (c.priority == rs.priority) r = &c;
    }
    const bool transition = r != nullptr && r->action.type == action_type::transition;
    std::string label = "rule " + std::to_string(rs.priority);
    if (r != nullptr && !r->description.empty()) label += ": " + r->description.substr(0, 32);
    rule_rows.push_back({label,
                         {transition ? 0.0 : double(rs.acted), transition ? double(rs.acted) : 0.0,
                          double(rs.owned - rs.acted)},
                         group_digits(rs.acted) + " of " + group_digits(rs.owned) + " owned"});
  }
  out += detail::bar_chart("rules", "Images each rule owns and acts on", rule_rows,
                           {{"expire", "#c8372d", {}}, {"transition", "#a65fd0", {}},
                            {"owned, kept", "#c9d3e6", {}}});
  out += "<table class=\"sortable\" id=\"rule-table\"><thead><tr><th class=\"n\">Priority</th>"
         "<th>Description</th><th>Selection</th><th>Limit</th><th>Action</th><th class=\"n\">Identified</th>"
         "<th class=\"n\">Owned</th><th class=\"n\">Acted on</th><th class=\"n\">Bytes</th></tr></thead><tbody>\n";
  for (const auto& rs : doc.result.rules) {
    const rule* r = nullptr;
    for (const auto& c : doc.policy.rules) {
      if (c.priority == rs.priority) r = &c;
    }
    if (r == nullptr) continue;
    fmt::format_to(it,
                   "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                   "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                   "<td class=\"n\" data-v=\"{}\">{}</td></tr>\n",
                   rs.priority, html_escape(r->description),
                   html_escape(detail::describe_selection(r->selection)),
                   html_escape(detail::describe_limit(r->selection)),
                   r->action.type == action_type::transition ? "transition" : "expire",
                   rs.identified, rs.owned, rs.acted, rs.acted_bytes, human_bytes(rs.acted_bytes));
  }
  out += "</tbody></table>\n";

  out += "<h2>Affected images</h2>\n<p class=\"muted\">Click a column to sort.</p>\n";
  out += "<table class=\"sortable\" id=\"images\"><thead><tr><th>Pushed</th><th>Action</th>"
         "<th class=\"n\">Rule</th><th class=\"n\">Size</th><th>Digest</th><th>Tags</th></tr></thead><tbody>\n";
  for (const std::size_t i : doc.result.order) {
    const auto& d = doc.result.decisions[i];
    if (d.action == fate::keep) continue;
    const image& img = doc.images[i];
    std::string tags;
    for (std::size_t t = 0; t < img.tags.size(); ++t) tags += (t == 0 ? "" : ", ") + img.tags[t];
    fmt::format_to(it,
                   "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\" data-v=\"{}\">{}</td>"
                   "<td><code>{}</code></td><td>{}</td></tr>\n",
                   html_escape(format_timestamp(img.pushed_at)),
                   d.action == fate::expire ? "EXPIRE" : "TRANSITION",
                   d.owner ? std::to_string(*d.owner) : std::string(), img.size_bytes,
                   human_bytes(img.size_bytes), html_escape(img.digest),
                   tags.empty() ? std::string("<em>untagged</em>") : html_escape(tags));
  }
  out += "</tbody></table>\n";
  out += detail::html_page_end();
  return out;
}

}  // namespace ecrlp
