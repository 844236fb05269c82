// SPDX-License-Identifier: MIT
// The preview as one self-contained page: in-use violations first, before/after bars, the impact,
// per-rule bars and table, and the affected images, each unfolding to its explanation.

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "document/phrases.hpp"
#include "render/html/cells.hpp"
#include "render/html/charts.hpp"
#include "render/html/html.hpp"
#include "render/html/page.hpp"
#include "render/html/sections.hpp"

namespace ecrlp::writer::html {
namespace {

using detail::dollars_text;
using detail::group_digits;
using detail::human_bytes;

/// The in-use panel, first on the page: every violation, or that none was found
/// (docs/in-use.md#reports).
std::string in_use_panel(const preview_document& doc, const std::vector<bool>& in_use) {
  const auto violations = detail::view_of(doc.violations);
  const auto refs = detail::view_of(doc.in_use_refs);
  const auto running = static_cast<std::size_t>(std::count(in_use.begin(), in_use.end(), true));
  std::string out;
  auto it = std::back_inserter(out);
  if (violations.empty()) {
    return in_use_clear_panel(fmt::format("{} running image{}; none is expired or transitioned.",
                                          group_digits(running), running == 1 ? "" : "s"));
  }
  out += in_use_alert_open(fmt::format("IN USE: {} of {} running image{} would be removed",
                                       group_digits(violations.size()), group_digits(running),
                                       running == 1 ? "" : "s"));
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
                   short_digest_cell(img.digest), tags_cell(img), pushed_cell(img),
                   size_cell(img), as);
  }
  out += "</tbody></table>\n</div>\n";
  return out;
}

/// The impact section: figures, cost and findings before and after as bars, per-rule table
/// (docs/impact.md#reports).
std::string impact_section(const impact& im) {
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
  out += bar_chart(
      "impact-cost", "Monthly storage cost before and after (USD)",
      {{"before", cost(im.before_bytes), dollars_text(im.monthly_cost_before())},
       {"after", cost(im.after_bytes), dollars_text(im.monthly_cost_after())}},
      {{"standard", "#3b6fd8", {}}, {"archive", "#a65fd0", {}}});
  const auto severities = [](const finding_counts& f) {
    return std::vector<double>{double(f.critical), double(f.high),          double(f.medium),
                               double(f.low),      double(f.informational), double(f.undefined)};
  };
  out += bar_chart(
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

std::string preview_page(const preview_document& doc, std::size_t max_rows) {
  const auto totals = summarize(doc.images, doc.result);
  std::string title = "Lifecycle policy preview";
  if (!doc.repository_name.empty()) title += " of " + std::string(doc.repository_name);
  std::string out = page_start(title);
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
    const rule* r = detail::find_rule(doc.policy, rs.priority);
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
  out += listed_rows_note(max_rows, affected, "affected images");
  const explainer ex(doc.policy, doc.images,
                     {.now = doc.now,
                      .indexes = doc.indexes,
                      .independent_images = doc.independent_images});
  out += affected_images_table("images", doc.images, doc.result, ex,
                                       detail::view_of(doc.in_use),
                                       detail::view_of(doc.in_use_refs), in_use, max_rows);
  out += page_end();
  return out;
}

}  // namespace

void write(output& out, const preview_document& doc, const render_options& options) {
  out.put(preview_page(doc, options.max_rows.value_or(1000)));
}

}  // namespace ecrlp::writer::html
