// SPDX-License-Identifier: MIT
// The preview and the diff as self-contained HTML pages (the simulation's page is in
// simulate_report.cpp).

#include <ecrlp/explain.hpp>
#include <ecrlp/html_report.hpp>
#include <ecrlp/time.hpp>

// Before anything that may include <iomanip> or <filesystem> (see lib/report.cpp).
#include "render/html_util.hpp"

#include <ecrlp/impact.hpp>
#include <ecrlp/in_use.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "render/format_util.hpp"

namespace ecrlp {
namespace {

using detail::group_digits;
using detail::html_escape;
using detail::human_bytes;

const rule* find_rule(const lifecycle_policy& p, std::int64_t priority) {
  const auto it = std::find_if(p.rules.begin(), p.rules.end(),
                               [&](const rule& r) { return r.priority == priority; });
  return it == p.rules.end() ? nullptr : &*it;
}

/// One row of the before/after charts: images by storage class.
struct class_totals {
  std::string label;
  image_totals standard;
  image_totals archive;
};

/// The repository as it is: images by the storage class they are in now.
class_totals now_totals(std::span<const image> images, std::string label) {
  class_totals t{std::move(label), {}, {}};
  for (const auto& img : images) (img.status == image_status::archived ? t.archive : t.standard).add(img);
  return t;
}

/// The repository after an evaluation's actions.
class_totals after_totals(const preview_totals& p, std::string label) {
  return {std::move(label), p.after_standard, p.after_archive};
}

/// Bars of images, bytes and scan findings, one bar per row, by storage class (findings by
/// severity): the charts "before-after-images", "before-after-bytes", "before-after-findings".
std::string before_after_charts(const std::vector<class_totals>& rows) {
  const std::vector<detail::chart_series> classes = {{"standard", "#3b6fd8", {}},
                                                     {"archive", "#a65fd0", {}}};
  std::vector<detail::bar_row> images;
  std::vector<detail::bar_row> bytes;
  std::vector<detail::bar_row> findings;
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
  std::string out = detail::bar_chart("before-after-images", "Images before and after", images, classes);
  out += detail::bar_chart("before-after-bytes", "Bytes before and after", bytes, classes);
  out += detail::bar_chart("before-after-findings", "Scan findings before and after", findings,
                           {{"critical", "#b3261e", {}},
                            {"high", "#e8711a", {}},
                            {"medium", "#e0b400", {}},
                            {"low and other", "#8a9bb0", {}}});
  return out;
}

/// Per-rule bars: images each rule expires, transitions, and owns but keeps.
std::string rule_bars(std::string_view id, std::string_view title, const lifecycle_policy& policy,
                      const evaluation_result& result) {
  std::vector<detail::bar_row> rows;
  for (const auto& rs : result.rules) {
    const rule* r = find_rule(policy, rs.priority);
    const bool transition = r != nullptr && r->action.type == action_type::transition;
    std::string label = "rule " + std::to_string(rs.priority);
    if (r != nullptr && !r->description.empty()) label += ": " + r->description.substr(0, 32);
    rows.push_back({label,
                    {transition ? 0.0 : double(rs.acted), transition ? double(rs.acted) : 0.0,
                     double(rs.owned - rs.acted)},
                    group_digits(rs.acted) + " of " + group_digits(rs.owned) + " owned"});
  }
  return detail::bar_chart(id, title, rows,
                           {{"expire", "#c8372d", {}},
                            {"transition", "#a65fd0", {}},
                            {"owned, kept", "#c9d3e6", {}}});
}

/// "expire (rule 300)", "keep (no rule)", as the diff table writes them.
std::string decision_text(const image_decision& d) {
  return fmt::format("{} ({})", to_string(d.action),
                     d.owner ? "rule " + std::to_string(*d.owner) : std::string("no rule"));
}

/// The push time as text, sorting by its instant.
std::string pushed_cell(const image& img) {
  return fmt::format("<td data-v=\"{}\">{}</td>", img.pushed_at.time_since_epoch().count(),
                     html_escape(format_timestamp(img.pushed_at)));
}

std::string size_cell(const image& img) {
  return fmt::format("<td class=\"n\" data-v=\"{}\">{}</td>", img.size_bytes,
                     human_bytes(img.size_bytes));
}

std::string tags_cell(const image& img) {
  std::string tags;
  for (std::size_t t = 0; t < img.tags.size(); ++t) tags += (t == 0 ? "" : ", ") + img.tags[t];
  return tags.empty() ? std::string("<td><em>untagged</em></td>") : "<td>" + html_escape(tags) + "</td>";
}

std::string join_lines(std::span<const std::string> lines, std::size_t from, std::string_view indent) {
  std::string out;
  for (std::size_t k = from; k < lines.size(); ++k) {
    out += '\n';
    out += indent;
    out += lines[k];
  }
  return out;
}

std::string rule_definition(const rule* r) {
  if (r == nullptr) return "-";
  return fmt::format("{}; {} -> {}", detail::describe_selection(r->selection),
                     detail::describe_limit(r->selection), to_string(r->action.type));
}

/// Owned and acted-on cells of one side's rule ("-" when the policy has no such rule).
std::string rule_count_cells(const lifecycle_policy& p, const evaluation_result& res,
                             std::int64_t priority) {
  const auto it = std::find_if(res.rules.begin(), res.rules.end(),
                               [&](const rule_summary& s) { return s.priority == priority; });
  if (find_rule(p, priority) == nullptr || it == res.rules.end()) {
    return "<td class=\"n\" data-v=\"-1\">-</td><td class=\"n\" data-v=\"-1\">-</td>";
  }
  return fmt::format("<td class=\"n\">{}</td><td class=\"n\">{}</td>", it->owned, it->acted);
}

constexpr std::string_view in_use_color = "#b3261e";

/// The in-use panel, first on the page: every violation, or that none was found
/// (docs/in-use.md#reports).
std::string in_use_panel(const preview_document& doc, const std::vector<bool>& in_use) {
  const auto violations = detail::view_of(doc.violations);
  const auto refs = detail::view_of(doc.in_use_refs);
  const auto running = static_cast<std::size_t>(std::count(in_use.begin(), in_use.end(), true));
  std::string out;
  auto it = std::back_inserter(out);
  if (violations.empty()) {
    fmt::format_to(it,
                   "<div id=\"in-use\" style=\"border:2px solid #2e8b57;background:#eef8f1;"
                   "padding:0.3em 1em;margin:1em 0\"><p><strong>In use:</strong> {} running "
                   "image{}; none is expired or transitioned.</p></div>\n",
                   group_digits(running), running == 1 ? "" : "s");
    return out;
  }
  fmt::format_to(it,
                 "<div id=\"in-use\" style=\"border:2px solid {0};background:#fdf0ef;"
                 "padding:0.3em 1em;margin:1em 0\">\n<h2 style=\"margin-top:0.5em;border:none;"
                 "color:{0}\">IN USE: {1} of {2} running image{3} would be removed</h2>\n",
                 in_use_color, group_digits(violations.size()), group_digits(running),
                 running == 1 ? "" : "s");
  out += "<table class=\"sortable\" id=\"in-use-violations\"><thead><tr><th>Action</th>"
         "<th class=\"n\">Rule</th><th>Digest</th><th>Tags</th><th>Pushed</th>"
         "<th class=\"n\">Size</th><th>In use as</th></tr></thead><tbody>\n";
  for (const auto& v : violations) {
    if (v.image_index >= doc.images.size()) continue;
    const image& img = doc.images[v.image_index];
    std::string as;
    for (const auto& g : detail::reference_groups(refs, v.refs, 10)) {
      as += (as.empty() ? "" : "<br />") + html_escape(g);
    }
    for (const std::size_t t : v.through) {
      if (t >= doc.images.size()) continue;
      as += (as.empty() ? "" : "<br />") + std::string("through index <code>") +
            html_escape(doc.images[t].digest) + "</code>";
    }
    fmt::format_to(it,
                   "<tr><td>{}{}</td><td class=\"n\">{}</td>{}{}{}{}"
                   "<td style=\"word-break:break-all\">{}</td></tr>\n",
                   v.action == fate::transition ? "TRANSITION" : "EXPIRE",
                   v.related == relation::referrer ? " (with its subject)" : "", v.rule_priority,
                   detail::short_digest_cell(img.digest), tags_cell(img), pushed_cell(img),
                   size_cell(img), as);
  }
  out += "</tbody></table>\n</div>\n";
  return out;
}

/// The impact section: figures, cost and findings before and after as bars, per-rule table
/// (docs/impact.md#reports).
std::string impact_section(const impact& im) {
  using detail::dollars_text;
  std::string out = "<h2>Impact</h2>\n";
  auto it = std::back_inserter(out);
  fmt::format_to(it,
                 "<p id=\"impact-summary\">Bytes freed: <strong>{}</strong> ({} bytes, {} "
                 "image{}). Monthly storage cost: <strong>{}</strong> before, <strong>{}</strong> "
                 "after, saving <strong>{}</strong>.",
                 human_bytes(im.bytes_freed()), group_digits(im.bytes_freed()),
                 group_digits(im.expired.images), im.expired.images == 1 ? "" : "s",
                 dollars_text(im.monthly_cost_before()), dollars_text(im.monthly_cost_after()),
                 dollars_text(im.monthly_saving()));
  if (im.transitioned.images > 0) {
    fmt::format_to(it,
                   " Archive minimum charge: <strong>{}</strong> once, for {} transitioned ({} "
                   "days at the archive price, even if deleted or restored sooner).",
                   dollars_text(im.archive_minimum_charge()), human_bytes(im.transitioned.bytes),
                   im.prices.archive_minimum_days);
  }
  fmt::format_to(it, "</p>\n<p class=\"muted\">Prices (USD): {}. Bytes are sums of "
                     "imageSizeInBytes: an upper bound of what is billed.</p>\n",
                 html_escape(detail::prices_text(im.prices)));
  const auto cost = [&](const storage_bytes& b) {
    return std::vector<double>{
        monthly_cost(b.standard, im.prices.standard_per_gb_month, im.prices.bytes_per_gb),
        monthly_cost(b.archive, im.prices.archive_per_gb_month, im.prices.bytes_per_gb)};
  };
  out += detail::bar_chart(
      "impact-cost", "Monthly storage cost before and after (USD)",
      {{"before", cost(im.before_bytes), dollars_text(im.monthly_cost_before())},
       {"after", cost(im.after_bytes), dollars_text(im.monthly_cost_after())}},
      {{"standard", "#3b6fd8", {}}, {"archive", "#a65fd0", {}}});
  const auto severities = [](const finding_counts& f) {
    return std::vector<double>{double(f.critical), double(f.high),          double(f.medium),
                               double(f.low),      double(f.informational), double(f.undefined)};
  };
  out += detail::bar_chart(
      "impact-findings", "Scan findings by severity before and after",
      {{"before", severities(im.before.findings), group_digits(im.before.findings.total()) + " findings"},
       {"after", severities(im.after.findings), group_digits(im.after.findings.total()) + " findings"},
       {"removed", severities(im.expired.findings),
        group_digits(im.expired.findings.total()) + " findings"}},
      {{"critical", "#b3261e", {}},
       {"high", "#e8711a", {}},
       {"medium", "#e0b400", {}},
       {"low", "#8a9bb0", {}},
       {"informational", "#b8c4d6", {}},
       {"undefined", "#dde3ec", {}}});
  out += "<table class=\"sortable\" id=\"impact-rules\"><thead><tr><th class=\"n\">Rule</th>"
         "<th class=\"n\">Expired</th><th class=\"n\">Bytes freed</th>"
         "<th class=\"n\">Transitioned</th><th class=\"n\">Bytes archived</th>"
         "<th class=\"n\">Saving a month</th><th class=\"n\">Findings removed</th></tr></thead>"
         "<tbody>\n";
  for (const rule_impact& r : im.rules) {
    const double saving = r.monthly_saving(im.prices);
    fmt::format_to(it,
                   "<tr><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                   "<td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\">{}</td>"
                   "<td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td>"
                   "<td class=\"n\">{}</td></tr>\n",
                   r.priority, r.expired.images, r.expired.bytes, human_bytes(r.expired.bytes),
                   r.transitioned.images, r.transitioned.bytes, human_bytes(r.transitioned.bytes),
                   to_cents(saving), html_escape(dollars_text(saving)),
                   r.expired.findings.total());
  }
  out += "</tbody></table>\n";
  return out;
}

}  // namespace

namespace detail {

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
    const auto old_why = explanation_lines(old_ex, c.image_index);
    const auto new_why = explanation_lines(new_ex, c.image_index);
    // The image's facts once, then each policy's fate and rules.
    std::string why = old_why.empty() ? std::string() : old_why.front();
    why += fmt::format("\nold policy ({}): {}{}", doc.before_name,
                       old_why.size() > 1 ? old_why[1] : std::string(),
                       join_lines(old_why, 2, "  "));
    why += fmt::format("\nnew policy ({}): {}{}", doc.after_name,
                       new_why.size() > 1 ? new_why[1] : std::string(),
                       join_lines(new_why, 2, "  "));
    fmt::format_to(it, "<tr>{}<td>{}</td><td>{}</td><td>{}</td>{}{}{}</tr>\n", pushed_cell(img),
                   html_escape(describe(c.kind)), decision_text(c.before), decision_text(c.after),
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
                     detail::explained_digest_cell(img.digest, why), tags_cell(img));
      continue;
    }
    fmt::format_to(it, "<tr>{}<td>{}</td><td class=\"n\">{}</td>{}{}{}</tr>\n", pushed_cell(img),
                   action, d.owner ? std::to_string(*d.owner) : std::string(), size_cell(img),
                   detail::explained_digest_cell(img.digest, why), tags_cell(img));
  }
  out += "</tbody></table>\n";
  return out;
}

}  // namespace detail

std::string render_preview_html(const preview_document& doc, std::size_t max_rows) {
  const auto totals = summarize(doc.images, doc.result);
  std::string title = "Lifecycle policy preview";
  if (!doc.repository_name.empty()) title += " of " + std::string(doc.repository_name);
  std::string out = detail::html_page_start(title);
  auto it = std::back_inserter(out);
  const bool with_in_use = doc.has_in_use();
  std::vector<bool> in_use;
  if (with_in_use) {
    in_use = detail::in_use_flags(doc.images.size(), detail::view_of(doc.in_use),
                                  detail::view_of(doc.violations));
    out += in_use_panel(doc, in_use);
  }
  fmt::format_to(it,
                 "<p>At <code>{}</code>: {} images ({}) evaluated against {} rules. "
                 "<strong>{}</strong> expire ({}), <strong>{}</strong> move to archive ({}).</p>\n",
                 html_escape(format_timestamp(doc.now)), group_digits(totals.before.images),
                 human_bytes(totals.before.bytes), doc.policy.rules.size(),
                 group_digits(totals.expired.images), human_bytes(totals.expired.bytes),
                 group_digits(totals.transitioned.images), human_bytes(totals.transitioned.bytes));

  out += "<h2>Before and after</h2>\n";
  out += before_after_charts({now_totals(doc.images, "before"), after_totals(totals, "after")});
  if (doc.impact != nullptr) out += impact_section(*doc.impact);

  out += "<h2>Rules</h2>\n";
  out += rule_bars("rules", "Images each rule owns and acts on", doc.policy, doc.result);
  out += "<table class=\"sortable\" id=\"rule-table\"><thead><tr><th class=\"n\">Priority</th>"
         "<th>Description</th><th>Selection</th><th>Limit</th><th>Action</th><th class=\"n\">Identified</th>"
         "<th class=\"n\">Owned</th><th class=\"n\">Acted on</th><th class=\"n\">Bytes</th></tr></thead><tbody>\n";
  for (const auto& rs : doc.result.rules) {
    const rule* r = find_rule(doc.policy, rs.priority);
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

  const std::size_t affected = totals.expired.images + totals.transitioned.images;
  out += "<h2>Affected images</h2>\n";
  out += detail::listed_rows_note(max_rows, affected, "affected images");
  const explainer ex(doc.policy, doc.images,
                     {.now = doc.now,
                      .indexes = doc.indexes,
                      .independent_images = doc.independent_images});
  out += detail::affected_images_table("images", doc.images, doc.result, ex,
                                       detail::view_of(doc.in_use),
                                       detail::view_of(doc.in_use_refs), in_use, max_rows);
  out += detail::html_page_end();
  return out;
}

std::string render_diff_html(const diff_document& doc, std::size_t max_rows) {
  const policy_diff& d = doc.diff;
  const auto now = now_totals(doc.images, "now");
  const auto old_totals = summarize(doc.images, d.before);
  const auto new_totals = summarize(doc.images, d.after);
  std::string out = detail::html_page_start("Lifecycle policy diff");
  auto it = std::back_inserter(out);
  fmt::format_to(it, "<p>At <code>{}</code>: {} images ({}); <strong>{}</strong> change fate.</p>\n",
                 html_escape(format_timestamp(doc.now)), group_digits(doc.images.size()),
                 human_bytes(now.standard.bytes + now.archive.bytes), group_digits(d.changes.size()));
  out += "<table id=\"sides\"><thead><tr><th>Policy</th><th>File</th><th class=\"n\">Rules</th>"
         "<th class=\"n\">Expire</th><th class=\"n\">Expired bytes</th><th class=\"n\">Transition</th>"
         "<th class=\"n\">Transitioned bytes</th><th class=\"n\">Images after</th>"
         "<th class=\"n\">Bytes after</th></tr></thead><tbody>\n";
  const auto side_row = [&](std::string_view name, std::string_view file, const lifecycle_policy& p,
                            const preview_totals& t) {
    fmt::format_to(it,
                   "<tr><td>{}</td><td><code>{}</code></td><td class=\"n\">{}</td>"
                   "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
                   "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                   name, html_escape(file), p.rules.size(), group_digits(t.expired.images),
                   human_bytes(t.expired.bytes), group_digits(t.transitioned.images),
                   human_bytes(t.transitioned.bytes), group_digits(t.after.images),
                   human_bytes(t.after.bytes));
  };
  side_row("old", doc.before_name, doc.before_policy, old_totals);
  side_row("new", doc.after_name, doc.after_policy, new_totals);
  out += "</tbody></table>\n";

  out += "<h2>Before and after</h2>\n";
  out += before_after_charts({now, after_totals(old_totals, "after the old policy"),
                              after_totals(new_totals, "after the new policy")});

  out += "<h2>Changes</h2>\n";
  out += detail::change_kinds_chart("changes", "Bytes of the images of each kind of change", d.totals);
  out += "<table class=\"sortable\" id=\"change-kinds\"><thead><tr><th>Kind</th><th>Code</th>"
         "<th class=\"n\">Images</th><th class=\"n\">Bytes</th></tr></thead><tbody>\n";
  for (const change_kind kind : all_change_kinds) {
    const change_total& t = d.total(kind);
    fmt::format_to(it,
                   "<tr><td>{}</td><td><code>{}</code></td><td class=\"n\">{}</td>"
                   "<td class=\"n\" data-v=\"{}\">{}</td></tr>\n",
                   html_escape(describe(kind)), to_string(kind), t.images, t.bytes,
                   human_bytes(t.bytes));
  }
  out += "</tbody></table>\n";

  out += "<h2>Rules</h2>\n";
  out += rule_bars("rules-old", "Old policy: images each rule owns and acts on", doc.before_policy,
                   d.before);
  out += rule_bars("rules-new", "New policy: images each rule owns and acts on", doc.after_policy,
                   d.after);
  out += "<p class=\"muted\">Rules are matched by priority; - = not in that policy.</p>\n";
  out += "<table class=\"sortable\" id=\"rule-table\"><thead><tr><th class=\"n\">Priority</th>"
         "<th>Old rule</th><th class=\"n\">Old owned</th><th class=\"n\">Old acted on</th>"
         "<th>New rule</th><th class=\"n\">New owned</th><th class=\"n\">New acted on</th>"
         "<th>Definition</th></tr></thead><tbody>\n";
  std::vector<std::int64_t> priorities;
  for (const auto& r : doc.before_policy.rules) priorities.push_back(r.priority);
  for (const auto& r : doc.after_policy.rules) priorities.push_back(r.priority);
  std::sort(priorities.begin(), priorities.end());
  priorities.erase(std::unique(priorities.begin(), priorities.end()), priorities.end());
  for (const std::int64_t priority : priorities) {
    const rule* a = find_rule(doc.before_policy, priority);
    const rule* b = find_rule(doc.after_policy, priority);
    const std::string da = rule_definition(a);
    const std::string db = rule_definition(b);
    fmt::format_to(it, "<tr><td class=\"n\">{}</td><td>{}</td>{}<td>{}</td>{}<td>{}</td></tr>\n",
                   priority, html_escape(da),
                   rule_count_cells(doc.before_policy, d.before, priority), html_escape(db),
                   rule_count_cells(doc.after_policy, d.after, priority),
                   a == nullptr ? "added" : b == nullptr ? "removed" : da == db ? "same" : "changed");
  }
  out += "</tbody></table>\n";

  out += "<h2>Changed images</h2>\n";
  out += detail::listed_rows_note(max_rows, d.changes.size(), "changed images");
  const std::size_t listed = max_rows == 0 ? d.changes.size() : std::min(max_rows, d.changes.size());
  out += detail::changed_images_table(doc, {.now = doc.now}, listed, "images");
  out += detail::html_page_end();
  return out;
}

}  // namespace ecrlp
