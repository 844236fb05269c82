// SPDX-License-Identifier: MIT
// A diff of two policies as one self-contained page: both policies' summaries, before/after bars,
// the kinds of change, the rules of both sides, and the changed images, each unfolding to its
// explanations under both policies.

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

using detail::group_digits;
using detail::human_bytes;

/// Owned and acted-on cells of one side's rule ("-" when the policy has no such rule).
std::string rule_count_cells(const lifecycle_policy& p, const evaluation_result& res,
                             std::int64_t priority) {
  const auto it = std::find_if(res.rules.begin(), res.rules.end(),
                               [&](const rule_summary& s) { return s.priority == priority; });
  if (detail::find_rule(p, priority) == nullptr || it == res.rules.end()) {
    return "<td class=\"n\" data-v=\"-1\">-</td><td class=\"n\" data-v=\"-1\">-</td>";
  }
  return fmt::format("<td class=\"n\">{}</td><td class=\"n\">{}</td>", it->owned, it->acted);
}

std::string diff_page(const diff_document& doc, std::size_t max_rows) {
  const policy_diff& d = doc.diff;
  const auto now = now_totals(doc.images, "now");
  const auto old_totals = summarize(doc.images, d.before);
  const auto new_totals = summarize(doc.images, d.after);
  std::string out = page_start("Lifecycle policy diff");
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
  out += change_kinds_chart("changes", "Bytes of the images of each kind of change", d.totals);
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
  for (const std::int64_t priority : detail::all_priorities(doc.before_policy, doc.after_policy)) {
    const rule* a = detail::find_rule(doc.before_policy, priority);
    const rule* b = detail::find_rule(doc.after_policy, priority);
    const std::string da = detail::rule_definition(a, "-");
    const std::string db = detail::rule_definition(b, "-");
    fmt::format_to(it, "<tr><td class=\"n\">{}</td><td>{}</td>{}<td>{}</td>{}<td>{}</td></tr>\n",
                   priority, html_escape(da),
                   rule_count_cells(doc.before_policy, d.before, priority), html_escape(db),
                   rule_count_cells(doc.after_policy, d.after, priority),
                   a == nullptr ? "added" : b == nullptr ? "removed" : da == db ? "same" : "changed");
  }
  out += "</tbody></table>\n";

  out += "<h2>Changed images</h2>\n";
  out += listed_rows_note(max_rows, d.changes.size(), "changed images");
  const std::size_t listed = max_rows == 0 ? d.changes.size() : std::min(max_rows, d.changes.size());
  out += changed_images_table(doc, {.now = doc.now}, listed, "images");
  out += page_end();
  return out;
}

}  // namespace

void write(output& out, const diff_document& doc, const render_options& options) {
  out.put(diff_page(doc, options.max_rows.value_or(1000)));
}

}  // namespace ecrlp::writer::html
