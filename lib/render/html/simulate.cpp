// SPDX-License-Identifier: MIT
// A simulation as one self-contained page: in-use removals first, images and bytes over time by
// storage class, per-rule bars, watched images, the steps with changes and the images archived or
// expired, each unfolding to its explanation at its step; and the registry simulation's page.

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "document/phrases.hpp"
#include "document/simulation.hpp"
#include "render/html/html.hpp"
#include "render/html/page.hpp"
#include "render/html/simulation_sections.hpp"

namespace ecrlp::writer::html {
namespace {

using detail::group_digits;
using detail::human_bytes;

std::string simulation_page(const simulation_document& doc, std::size_t max_rows) {
  const auto& steps = doc.result.steps;
  std::string out = page_start("Lifecycle policy simulation");
  if (doc.has_in_use) {
    std::vector<detail::removal_row> rows;
    for (const auto& rm : in_use_removals(doc)) rows.push_back({{}, &doc, rm});
    out += in_use_html(rows, false);
  }
  auto it = std::back_inserter(out);
  fmt::format_to(it,
                 "<p>From <code>{}</code> to <code>{}</code>, every {} ({} steps, {} mode). {}</p>\n",
                 html_escape(format_timestamp(doc.options.from)),
                 html_escape(format_timestamp(doc.options.to)),
                 html_escape(format_interval(doc.options.every)), group_digits(steps.size()),
                 doc.options.replay ? "replay" : "static", html_escape(detail::inventory_sentence(doc)));
  out += outcome_html(doc);
  out += simulation_body_html(doc, max_rows, "", "h2");
  out += page_end();
  return out;
}

std::string registry_simulation_page(const registry_simulation_document& doc, std::size_t max_rows) {
  std::string out = page_start("Registry lifecycle policy simulation");
  auto it = std::back_inserter(out);
  const auto total = registry_simulation_total(doc.repositories);
  std::size_t simulated = 0;
  for (const auto& e : doc.repositories) simulated += e.simulation != nullptr ? 1U : 0U;
  out += "<p>";
  if (!doc.snapshot.empty()) {
    fmt::format_to(it, "Snapshot <code>{}</code>. ", html_escape(doc.snapshot));
  }
  fmt::format_to(it,
                 "From <code>{}</code> to <code>{}</code>, every {} ({} steps, {} mode). {} "
                 "repositories: {} simulated, {} skipped; policy: {}.</p>\n",
                 html_escape(format_timestamp(doc.options.from)),
                 html_escape(format_timestamp(doc.options.to)),
                 html_escape(format_interval(doc.options.every)), group_digits(total.size()),
                 doc.options.replay ? "replay" : "static", group_digits(doc.repositories.size()),
                 group_digits(simulated), group_digits(doc.repositories.size() - simulated),
                 doc.override_policy.empty()
                     ? std::string("each repository's own")
                     : "<code>" + html_escape(doc.override_policy) + "</code> for all");
  if (doc.has_in_use) out += in_use_html(detail::registry_removals(doc), true);

  class_totals expired;
  class_totals transitioned;
  for (const auto& s : total) {
    expired = detail::plus(expired, s.expired);
    transitioned = detail::plus(transitioned, s.transitioned);
  }
  fmt::format_to(it,
                 "<p>All repositories: <strong>{}</strong> images expired ({}), "
                 "<strong>{}</strong> archived ({}); {} images ({}) at the end; findings {}.</p>\n",
                 group_digits(expired.images), human_bytes(expired.bytes),
                 group_digits(transitioned.images), human_bytes(transitioned.bytes),
                 group_digits(total.empty() ? 0 : total.back().total().images),
                 human_bytes(total.empty() ? 0 : total.back().total().bytes),
                 total.empty() ? std::string("-")
                               : html_escape(detail::findings_change(total.front().findings,
                                                             total.back().findings)));
  out += class_charts_html(total, "", "h2", " (registry total)");
  out += "<h2>Registry total per step</h2>\n<p class=\"muted\">The sum over the simulated "
         "repositories after each step: the first, the last and the steps with changes. Click a "
         "column to sort.</p>\n";
  out += steps_html(total, "total-steps");

  out += "<h2>Repositories</h2>\n<p class=\"muted\">First step and last step; standard includes "
         "activating. Click a column to sort; click a name for the repository's section.</p>\n";
  fmt::format_to(it,
                 "<table class=\"sortable\" id=\"repositories\"><thead><tr><th>Repository</th>"
                 "<th>Policy</th><th class=\"n\">Standard first</th>"
                 "<th class=\"n\">Standard last</th>"
                 "<th class=\"n\">Archive first</th><th class=\"n\">Archive last</th>"
                 "<th class=\"n\">Expired</th><th class=\"n\">Expired bytes</th>"
                 "<th class=\"n\">Archived</th><th class=\"n\">Archived bytes</th>"
                 "<th class=\"n\">Findings before</th><th class=\"n\">Findings after</th>{}"
                 "</tr></thead><tbody>\n",
                 doc.has_in_use ? "<th class=\"n\">First in-use removal</th>" : "");
  const auto cell = [](const class_totals& t) {
    return fmt::format("<td class=\"n\" data-v=\"{}\">{} ({})</td>", t.images,
                       group_digits(t.images), human_bytes(t.bytes));
  };
  using detail::plus;
  for (std::size_t k = 0; k < doc.repositories.size(); ++k) {
    const auto& e = doc.repositories[k];
    if (e.simulation == nullptr) continue;
    const auto s = summarize_simulation(*e.simulation);
    fmt::format_to(it,
                   "<tr><td data-v=\"{0}\"><a href=\"#repo-{1}\">{0}</a></td><td>{2}</td>"
                   "{3}{4}{5}{6}"
                   "<td class=\"n\">{7}</td><td class=\"n\" data-v=\"{8}\">{9}</td>"
                   "<td class=\"n\">{10}</td><td class=\"n\" data-v=\"{11}\">{12}</td>"
                   "<td class=\"n\">{13}</td><td class=\"n\">{14}</td>",
                   html_escape(e.name), k, html_escape(detail::policy_label(e)),
                   cell(plus(s.first_standard, s.first_activating)),
                   cell(plus(s.last_standard, s.last_activating)), cell(s.first_archive),
                   cell(s.last_archive), s.expired.images, s.expired.bytes,
                   human_bytes(s.expired.bytes), s.transitioned.images, s.transitioned.bytes,
                   human_bytes(s.transitioned.bytes), s.findings_before.total(),
                   s.findings_after.total());
    if (doc.has_in_use) {
      // Sorts after every step when there is none.
      fmt::format_to(it, "<td class=\"n\" data-v=\"{}\">{}</td>",
                     s.first_in_use_removal ? *s.first_in_use_removal : total.size(),
                     s.first_in_use_removal ? "step " + std::to_string(*s.first_in_use_removal)
                                            : std::string("none"));
    }
    out += "</tr>\n";
  }
  out += "</tbody></table>\n";

  out += "<h2>Skipped repositories</h2>\n";
  if (simulated == doc.repositories.size()) {
    out += "<p id=\"skipped\">None: every repository was simulated.</p>\n";
  } else {
    out += "<ul id=\"skipped\">\n";
    for (const auto& e : doc.repositories) {
      if (e.simulation != nullptr) continue;
      fmt::format_to(it, "<li><code>{}</code>: {}</li>\n", html_escape(e.name),
                     e.policy == "failed" ? "failed (its files have errors), skipped"
                     : e.policy == "none" ? "no policy, skipped"
                                          : "skipped");
    }
    out += "</ul>\n";
  }

  for (std::size_t k = 0; k < doc.repositories.size(); ++k) {
    const auto& e = doc.repositories[k];
    if (e.simulation == nullptr) continue;
    const simulation_document& d = *e.simulation;
    fmt::format_to(it, "<h2 id=\"repo-{}\">Repository <code>{}</code></h2>\n", k,
                   html_escape(e.name));
    fmt::format_to(it, "<p>Policy: {}. {}</p>\n", html_escape(detail::policy_label(e)),
                   html_escape(detail::inventory_sentence(d)));
    out += outcome_html(d);
    out += simulation_body_html(d, max_rows, "repo-" + std::to_string(k) + "-", "h3");
  }
  out += page_end();
  return out;
}

}  // namespace

void write(output& out, const simulation_document& doc, const render_options& options) {
  out.put(simulation_page(doc, options.max_rows.value_or(1000)));
}

void write(output& out, const registry_simulation_document& doc, const render_options& options) {
  out.put(registry_simulation_page(doc, options.max_rows.value_or(1000)));
}

}  // namespace ecrlp::writer::html
