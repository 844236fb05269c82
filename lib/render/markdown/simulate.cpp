// SPDX-License-Identifier: MIT
// `ecrlp simulate` as markdown: in-use removals first, the steps with changes and the images
// archived or expired, folded.

#include "render/markdown/report.hpp"

#include <algorithm>

#include "document/explanation.hpp"
#include "document/simulation.hpp"

namespace ecrlp::writer::markdown {

// ---- simulate ---------------------------------------------------------------------------------

namespace {

using detail::image_at;

std::string removal_row(const detail::removal_row& x, bool with_repository) {
  const simulation_document& d = *x.doc;
  const image& img = image_at(d, x.rm.image_index);
  std::string row = with_repository ? "| " + code(x.repository) + " " : "";
  return row + table_row({std::to_string(x.rm.step), format_timestamp(d.result.steps[x.rm.step].at),
                          x.rm.action == fate::expire ? "EXPIRE" : "TRANSITION",
                          x.rm.rule ? std::to_string(*x.rm.rule) : "", short_digest(img), tags(img),
                          md(detail::in_use_text(d, x.rm.image_index))});
}

void removals_into(report& r, const std::vector<detail::removal_row>& rows, bool with_repository) {
  if (rows.empty()) {
    r.put("**In use:** no in-use image is expired or transitioned over the simulation.\n\n");
    return;
  }
  const auto& first = rows.front();
  r.format("### :warning: IN USE: {} in-use image{} removed; the first at step {} ({})\n\n",
           group_digits(rows.size()), rows.size() == 1 ? " is" : "s are", first.rm.step,
           format_timestamp(first.doc->result.steps[first.rm.step].at));
  std::string head = table_head({{"Step", true}, {"Time"}, {"Action"}, {"Rule", true}, {"Digest"},
                                 {"Tags"}, {"In use as"}});
  if (with_repository) head = with_first_column(head, "Repository");
  r.add({"In-use images removed", false, head, rows.size(),
         [rows, with_repository](std::size_t k) { return removal_row(rows[k], with_repository); },
         "`--format json` lists every removal"});
}

std::string steps_row(std::size_t k, const simulation_step& s) {
  return table_row({std::to_string(k), format_timestamp(s.at), group_digits(s.added),
                    group_digits(s.expired.images), group_digits(s.transitioned.images),
                    group_digits(s.standard.images + s.activating.images),
                    human_bytes(s.standard.bytes + s.activating.bytes),
                    group_digits(s.archive.images), group_digits(s.findings.total())});
}

void steps_into(report& r, std::span<const simulation_step> steps, std::string title) {
  const auto shown = detail::shown_steps(steps);
  r.add({std::move(title), true,
         table_head({{"Step", true}, {"Time"}, {"Added", true}, {"Expired", true},
                     {"Archived", true}, {"Standard", true}, {"Bytes", true}, {"Archive", true},
                     {"Findings", true}}),
         shown.size(),
         [steps, shown](std::size_t k) { return steps_row(shown[k], steps[shown[k]]); },
         "`--format csv` lists every step"});
}

void simulation_into(report& r, const simulation_document& doc) {
  const auto t = detail::totals_over(doc.result);
  const auto& steps = doc.result.steps;
  r.format("From {} to {}, every {} ({} steps, {} mode). {}\n\n", format_timestamp(doc.options.from),
           format_timestamp(doc.options.to), format_interval(doc.options.every),
           group_digits(steps.size()), doc.options.replay ? "replay" : "static",
           md(detail::inventory_sentence(doc)));
  r.format("**{}** images expire ({}), **{}** move to archive ({}); {} images ({}) at the end.\n\n",
           group_digits(t.expired.images), human_bytes(t.expired.bytes),
           group_digits(t.transitioned.images), human_bytes(t.transitioned.bytes),
           group_digits(steps.empty() ? 0 : steps.back().total().images),
           human_bytes(steps.empty() ? 0 : steps.back().total().bytes));
  for (const auto& w : doc.watches) {
    for (const std::size_t i : w.images) {
      r.format("- Watched {} = {}: {}\n", code(w.key), short_digest(image_at(doc, i)),
               md(detail::watch_story(doc, i)));
    }
  }
  if (!doc.watches.empty()) r.put("\n");
  steps_into(r, steps, "Steps with changes");
  const auto ev = detail::events_of(doc.result);
  if (ev.empty()) return;
  r.add({"Images archived or expired, in step order", true,
         table_head({{"Step", true}, {"Time"}, {"Event"}, {"Rule", true}, {"Size", true},
                     {"Digest"}, {"Tags"}}),
         ev.size(),
         [doc, ev](std::size_t k) {
           const auto& e = ev[k];
           const image& img = image_at(doc, e.image);
           return table_row({std::to_string(e.step), format_timestamp(doc.result.steps[e.step].at),
                             e.expire ? "EXPIRE" : "ARCHIVE", e.rule ? std::to_string(*e.rule) : "",
                             human_bytes(img.size_bytes), short_digest(img), tags(img)});
         },
         "`--format json` lists every image's timeline"});
}

}  // namespace

void write(output& out, const simulation_document& doc, const render_options& options) {
  report r(options);
  r.put("## Lifecycle policy simulation\n\n");
  if (doc.has_in_use) {
    std::vector<detail::removal_row> rows;
    for (const auto& rm : in_use_removals(doc)) rows.push_back({{}, &doc, rm});
    removals_into(r, rows, false);
  }
  simulation_into(r, doc);
  r.write(out);
}

void write(output& out, const registry_simulation_document& doc, const render_options& options) {
  report r(options);
  r.put("## Registry simulation\n\n");
  if (doc.has_in_use) removals_into(r, detail::registry_removals(doc), true);
  const auto total = registry_simulation_total(doc.repositories);
  std::size_t simulated = 0;
  for (const auto& e : doc.repositories) simulated += e.simulation != nullptr ? 1U : 0U;
  r.format("From {} to {}, every {} ({} mode). {} repositories: {} simulated, {} skipped; policy: "
           "{}.\n\n",
           format_timestamp(doc.options.from), format_timestamp(doc.options.to),
           format_interval(doc.options.every), doc.options.replay ? "replay" : "static",
           group_digits(doc.repositories.size()), group_digits(simulated),
           group_digits(doc.repositories.size() - simulated),
           doc.override_policy.empty() ? std::string("each repository's own")
                                       : code(doc.override_policy) + " for all");
  std::string repos = table_head({{"Repository"}, {"Policy"}, {"Images first", true},
                                  {"Images last", true}, {"Expired", true}, {"Archived", true},
                                  {"Findings"}});
  for (const auto& e : doc.repositories) {
    if (e.simulation == nullptr) {
      repos += table_row({code(e.name), md(detail::policy_label(e)), "", "", "", "", "skipped"});
      continue;
    }
    const auto s = summarize_simulation(*e.simulation);
    repos += table_row({code(e.name), md(detail::policy_label(e)),
                        group_digits(s.first_standard.images + s.first_archive.images + s.first_activating.images),
                        group_digits(s.last_standard.images + s.last_archive.images + s.last_activating.images),
                        group_digits(s.expired.images), group_digits(s.transitioned.images),
                        md(detail::findings_change(s.findings_before, s.findings_after))});
  }
  r.put(repos + "\n");
  steps_into(r, total, "Registry total per step");
  r.write(out);
}

}  // namespace ecrlp::writer::markdown
