// SPDX-License-Identifier: MIT
// A plan check as one self-contained page: the in-use images the changes remove first, the
// limits, a sortable table of the changes, then per evaluated change its kinds of change, the
// rules that differ and its changed images, each unfolding to its explanations under both
// policies.

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "document/phrases.hpp"
#include "document/plan_check.hpp"
#include "render/html/cells.hpp"
#include "render/html/charts.hpp"
#include "render/html/html.hpp"
#include "render/html/page.hpp"
#include "render/html/sections.hpp"

namespace ecrlp::writer::html {
namespace {

using detail::group_digits;
using detail::human_bytes;

std::string in_use_section(const plan_check_document& doc) {
  if (!doc.in_use_given) return {};
  if (doc.violation_count() == 0) {
    return in_use_clear_panel("no in-use image is expired or transitioned after the changes.");
  }
  std::string out = in_use_alert_open(fmt::format("IN USE: {} running image{} would be removed",
                                                  group_digits(doc.violation_count()),
                                                  detail::plural_s(doc.violation_count())));
  out += "<table class=\"sortable\" id=\"in-use-violations\"><thead><tr><th>Change</th>"
         "<th>Removed by</th><th>Action</th><th>Digest</th><th>Tags</th><th>In use as</th></tr>"
         "</thead><tbody>\n";
  for (const auto& c : doc.changes) {
    for (std::size_t k = 0; k < c.violations.size(); ++k) {
      const auto& v = c.violations[k];
      const image& img = c.images[v.image_index];
      std::string as;
      for (const auto& g : detail::reference_groups(doc.in_use_refs, v.refs, 10)) {
        as += (as.empty() ? "" : "<br />") + html_escape(g);
      }
      fmt::format_to(std::back_inserter(out),
                     "<tr><td><code>{}</code></td><td>{}</td><td>{}</td>{}<td>{}</td><td>{}</td>"
                     "</tr>\n",
                     html_escape(c.change.address),
                     c.already[k] ? "already" : "<strong>this change</strong>",
                     html_escape(detail::violation_action_text(v)), short_digest_cell(img.digest),
                     html_escape(detail::tags_text(img)), as);
    }
  }
  return out + "</tbody></table>\n</div>\n";
}

std::string changes_table(const plan_check_document& doc) {
  std::string out =
      "<table class=\"sortable\" id=\"changes\"><thead><tr><th>Change</th><th>Action</th>"
      "<th>Repository</th><th class=\"n\">Images</th><th class=\"n\">Changed</th>"
      "<th class=\"n\">Newly expired</th><th class=\"n\">Bytes</th><th class=\"n\">In use "
      "removed</th></tr></thead><tbody>\n";
  for (std::size_t k = 0; k < doc.changes.size(); ++k) {
    const auto& c = doc.changes[k];
    const std::string head = fmt::format(
        "<tr><td><a href=\"#change-{}\"><code>{}</code></a></td><td>{}</td><td><code>{}</code></td>",
        k, html_escape(c.change.address), html_escape(c.change.action),
        html_escape(c.change.repository));
    if (!c.evaluated) {  // "-" cells that sort below every number
      out += head;
      for (int cell = 0; cell < 5; ++cell) out += "<td class=\"n\" data-v=\"-1\">-</td>";
      out += "</tr>\n";
      continue;
    }
    fmt::format_to(std::back_inserter(out),
                   "{}<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\" data-v=\"{}\">"
                   "{} ({})</td><td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\">{}</td></tr>\n",
                   head, c.images.size(), c.diff.changes.size(), c.removed().images,
                   group_digits(c.removed().images), detail::percent_text(c.removed_percent()),
                   c.removed().bytes, human_bytes(c.removed().bytes),
                   doc.in_use_given ? group_digits(c.violations.size()) : std::string("-"));
  }
  return out + "</tbody></table>\n";
}

/// One change: its sides, kinds of change, the rules that differ and the changed images.
std::string change_section(const plan_check_document& doc, std::size_t k, std::size_t& budget) {
  const auto& c = doc.changes[k];
  std::string out = fmt::format("<h2 id=\"change-{}\">{}</h2>\n", k,
                                html_escape(detail::change_title(c)));
  if (!c.evaluated) return out + "<p>Not evaluated: " + html_escape(c.change.skipped) + ".</p>\n";
  const auto doc_k = document_of(c, doc.now);
  fmt::format_to(std::back_inserter(out),
                 "<p>{} images; <strong>{}</strong> change fate. Old: <code>{}</code> ({} expire, "
                 "{} transition). New: <code>{}</code> ({} expire, {} transition).</p>\n",
                 group_digits(c.images.size()), group_digits(c.diff.changes.size()),
                 html_escape(c.change.before_name), group_digits(c.diff.before.expiring),
                 group_digits(c.diff.before.transitioning), html_escape(c.change.after_name),
                 group_digits(c.diff.after.expiring), group_digits(c.diff.after.transitioning));
  out += change_kinds_chart(fmt::format("changes-{}", k), "Bytes of the images of each kind of change",
                            c.diff.totals);
  std::string rules;
  for (const auto p : detail::all_priorities(doc_k.before_policy, doc_k.after_policy)) {
    const rule* a = detail::find_rule(doc_k.before_policy, p);
    const rule* b = detail::find_rule(doc_k.after_policy, p);
    if (a != nullptr && b != nullptr && detail::same_rule(*a, *b)) continue;
    fmt::format_to(std::back_inserter(rules), "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>\n",
                   p, html_escape(detail::rule_definition(a, "-")),
                   html_escape(detail::rule_definition(b, "-")));
  }
  if (!rules.empty()) {
    out += fmt::format("<table id=\"rules-{}\"><thead><tr><th class=\"n\">Priority</th>"
                       "<th>Old rule</th><th>New rule</th></tr></thead><tbody>\n",
                       k) +
           rules + "</tbody></table>\n";
  }
  if (c.diff.empty()) return out + "<p>No image changes fate.</p>\n";
  const std::size_t listed = std::min(budget, c.diff.changes.size());
  budget -= listed;
  if (listed < c.diff.changes.size()) {
    fmt::format_to(std::back_inserter(out),
                   "<p class=\"muted\">{} of its {} changed images listed (--max-rows).</p>\n",
                   group_digits(listed), group_digits(c.diff.changes.size()));
  }
  out += changed_images_table(doc_k,
                              {.now = doc.now,
                               .indexes = c.indexes,
                               .independent_images = doc.independent_images},
                              listed, fmt::format("images-{}", k));
  return out;
}

}  // namespace

void write(output& out, const plan_check_document& doc, const render_options& options) {
  std::string page = page_start("Lifecycle policy check of " + doc.source);
  fmt::format_to(std::back_inserter(page), "<p>At <code>{}</code>, over the images of <code>{}</code>: {}</p>\n",
                 html_escape(format_timestamp(doc.now)), html_escape(doc.images_source),
                 html_escape(detail::plan_check_summary(doc)));
  page += in_use_section(doc);
  const auto verdicts = detail::limit_verdicts(doc);
  if (!verdicts.empty()) {
    page += "<ul id=\"limits\">\n";
    for (const auto& v : verdicts) {
      const bool over = v.find("EXCEEDED") != std::string::npos;
      page += over ? fmt::format("<li style=\"color:{}\"><strong>{}</strong></li>\n", in_use_color,
                                 html_escape(v))
                   : "<li>" + html_escape(v) + "</li>\n";
    }
    page += "</ul>\n";
  }
  out.put(page);
  if (doc.changes.empty()) {
    out.put("<p>The plan changes no lifecycle policy.</p>\n");
  } else {
    out.put(changes_table(doc));
    const std::size_t max_rows = options.max_rows.value_or(1000);
    std::size_t budget = max_rows == 0 ? SIZE_MAX : max_rows;
    for (std::size_t k = 0; k < doc.changes.size(); ++k) out.put(change_section(doc, k, budget));
  }
  out.put(page_end());
}

}  // namespace ecrlp::writer::html
