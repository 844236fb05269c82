// SPDX-License-Identifier: MIT
// A simulation for a person: in-use removals first, the range, the steps with changes, totals
// per rule, the watched images and the images archived or expired (docs/simulate.md); and the
// registry simulation, a line per repository and the registry total per step.

#include <algorithm>
#include <string>
#include <vector>

#include "document/phrases.hpp"
#include "document/simulation.hpp"
#include "render/text/table.hpp"
#include "render/text/text.hpp"

namespace ecrlp::writer::text {
namespace {

using detail::group_digits;
using detail::human_bytes;
using detail::image_at;

/// The steps of `steps` (one repository's or the registry total) under `title`: the shown steps'
/// changes, and the standard (with activating), archive and findings after each.
void steps_table(output& out, std::span<const simulation_step> steps, std::string_view title) {
  const auto shown = detail::shown_steps(steps);
  out.format("\n{} ({} of {} shown: the first, the last and those with changes)\n", title,
             group_digits(shown.size()), group_digits(steps.size()));
  table t({{"Step", right, 5},
           {"Time", left, 25},
           {"Added", right, 7},
           {"Expired", right, 7},
           {"Archived", right, 9},
           {"Standard", right, 8},
           {"", right, 10, false, " "},
           {"Archive", right, 8},
           {"", right, 10, false, " "},
           {"Findings", right, 8}});
  for (const std::size_t k : shown) {
    const auto& s = steps[k];
    t.row({std::to_string(k), format_timestamp(s.at), group_digits(s.added),
           group_digits(s.expired.images), group_digits(s.transitioned.images),
           group_digits(s.standard.images + s.activating.images),
           human_bytes(s.standard.bytes + s.activating.bytes), group_digits(s.archive.images),
           human_bytes(s.archive.bytes), group_digits(s.findings.total())});
  }
  t.write(out);
}

/// One removal line: step, time, action, rule, [repository,] digest, tags, references.
std::string removal_line(const detail::removal_row& r, bool with_repository) {
  const simulation_document& d = *r.doc;
  const image& img = image_at(d, r.rm.image_index);
  return fmt::format("step {:>5}  {:<19}  {:<10}  rule {:>4}  {}{:<19}  {}  in use as {}",
                     r.rm.step, format_timestamp(d.result.steps[r.rm.step].at).substr(0, 19),
                     r.rm.action == fate::expire ? "EXPIRE" : "TRANSITION",
                     r.rm.rule ? std::to_string(*r.rm.rule) : std::string("-"),
                     with_repository ? std::string(r.repository) + "  " : std::string(),
                     detail::short_digest(img.digest), detail::tags_text(img),
                     detail::in_use_text(d, r.rm.image_index));
}

/// The in-use removals, by step, or that there are none.
void in_use_removals_text(output& out, std::span<const detail::removal_row> rows,
                          bool with_repository) {
  if (rows.empty()) {
    out.put("In use: no in-use image is expired or transitioned over the simulation\n\n");
    return;
  }
  const auto& first = rows.front();
  out.format("IN USE: {} in-use image{} removed; the first at step {} ({})\n", rows.size(),
             rows.size() == 1 ? " is" : "s are", first.rm.step,
             format_timestamp(first.doc->result.steps[first.rm.step].at));
  for (const auto& r : rows) out.format("  {}\n", removal_line(r, with_repository));
  out.put("\n");
}

void heading(output& out, const simulation_document& doc) {
  const auto& r = doc.result;
  out.format("Lifecycle policy simulation from {} to {}, every {}\n",
             format_timestamp(doc.options.from), format_timestamp(doc.options.to),
             format_interval(doc.options.every));
  out.format("{} steps ({} mode); the policy was evaluated at {} of them\n",
             group_digits(r.steps.size()), doc.options.replay ? "replay" : "static",
             group_digits(r.evaluations));
  out.format("{} images in the inventory: {} present at the start ({}), {} joining later",
             group_digits(doc.images.size()), group_digits(r.initial.images),
             human_bytes(r.initial.bytes), group_digits(detail::joined_later(doc)));
  const std::size_t after = detail::never_joined(doc);
  if (after != 0) out.format(", {} pushed after the end", group_digits(after));
  out.put("\n");
  if (doc.options.pushes.empty()) return;
  out.format("Forecast: {} synthetic pushes (", group_digits(r.synthetic.size()));
  for (std::size_t k = 0; k < doc.options.pushes.size(); ++k) {
    const auto& p = doc.options.pushes[k];
    out.format("{}{} {}/day of {}", k == 0 ? "" : "; ",
               p.tag_template.empty() ? std::string("<untagged>") : p.tag_template, p.per_day,
               human_bytes(p.size_bytes));
  }
  out.put(")\n");
}

void outcome(output& out, const simulation_document& doc, const detail::run_totals& t) {
  const auto& steps = doc.result.steps;
  out.put("\nOver the simulation\n");
  out.format("  Expired      {:>8} {:>10}\n", group_digits(t.expired.images),
             human_bytes(t.expired.bytes));
  out.format("  Archived     {:>8} {:>10}\n", group_digits(t.transitioned.images),
             human_bytes(t.transitioned.bytes));
  if (steps.empty()) return;
  const auto& last = steps.back();
  out.format("  At the end   {:>8} {:>10}  (standard {}, archive {})\n",
             group_digits(last.total().images), human_bytes(last.total().bytes),
             group_digits(last.standard.images + last.activating.images),
             group_digits(last.archive.images));
}

void rules(output& out, const simulation_document& doc, const detail::run_totals& t) {
  const auto& r = doc.result;
  out.put("\nRules (highest priority first)\n");
  table rows({{"Priority", right, 8}, {"Action", left, 7}, {"Acted on", right, 8},
              {"Selection; limit"}});
  for (std::size_t k = 0; k < r.rule_priorities.size(); ++k) {
    const rule* rl = detail::find_rule(doc.policy, r.rule_priorities[k]);
    if (rl == nullptr) continue;
    rows.row({std::to_string(rl->priority),
              rl->action.type == action_type::transition ? "ARCHIVE" : "EXPIRE",
              group_digits(t.by_rule[k]),
              detail::describe_selection(rl->selection) + "; " +
                  detail::describe_limit(rl->selection)});
  }
  rows.write(out);
}

void watches(output& out, const simulation_document& doc, std::string_view repository) {
  for (const auto& w : doc.watches) {
    for (const std::size_t i : w.images) {
      out.format("  {}{}{} = {} [{}]\n    {}\n", repository, repository.empty() ? "" : ": ", w.key,
                 detail::short_digest(image_at(doc, i).digest), detail::tags_text(image_at(doc, i)),
                 detail::watch_story(doc, i));
    }
  }
}

void events(output& out, const simulation_document& doc, std::size_t max_rows) {
  const auto& steps = doc.result.steps;
  const auto ev = detail::events_of(doc.result);
  const std::size_t limit = max_rows == 0 ? ev.size() : std::min(max_rows, ev.size());
  out.format("\nImages archived or expired, in step order ({} of {}):\n", group_digits(limit),
             group_digits(ev.size()));
  if (ev.empty()) return;
  table t({{"Step", right, 5},
           {"Time", left, 25},
           {"Event", left, 7},
           {"Rule", right, 4},
           {"Size", right, 10},
           {"Digest", left, 19},
           {"Tags"}});
  for (std::size_t k = 0; k < limit; ++k) {
    const auto& e = ev[k];
    const image& img = image_at(doc, e.image);
    t.row({std::to_string(e.step), format_timestamp(steps[e.step].at),
           e.expire ? "EXPIRE" : "ARCHIVE", e.rule ? std::to_string(*e.rule) : std::string("-"),
           human_bytes(img.size_bytes), detail::short_digest(img.digest), detail::tags_text(img)});
  }
  t.write(out);
}

}  // namespace

void write(output& out, const simulation_document& doc, const render_options& options) {
  if (doc.has_in_use) {
    std::vector<detail::removal_row> rows;
    for (const auto& rm : in_use_removals(doc)) rows.push_back({{}, &doc, rm});
    in_use_removals_text(out, rows, false);
  }
  heading(out, doc);
  // Steps: the first, the last, and every step at which something happened.
  steps_table(out, doc.result.steps, "Steps");
  const auto t = detail::totals_over(doc.result);
  outcome(out, doc, t);
  rules(out, doc, t);
  if (!doc.watches.empty()) {
    out.put("\nWatched images\n");
    watches(out, doc, "");
  }
  events(out, doc, options.max_rows.value_or(50));
}

namespace {

void registry_repositories(output& out, const registry_simulation_document& doc) {
  using detail::plus;
  out.put("\nRepositories (first step -> last step; standard includes activating)\n");
  std::vector<column> columns = {{"Repository", left, 28},     {"Policy", left, 9},
                                 {"Standard first", right, 17}, {"Standard last", right, 17},
                                 {"Archive first", right, 17},  {"Archive last", right, 17},
                                 {"Expired", right, 17},        {"Archived", right, 17},
                                 {"Findings", right, 15}};
  if (doc.has_in_use) columns.push_back({"In use", right, 8});
  table t(std::move(columns));
  const auto cell = [](const class_totals& x) {
    return group_digits(x.images) + " " + human_bytes(x.bytes);
  };
  for (const auto& e : doc.repositories) {
    if (e.simulation == nullptr) {
      t.note(fmt::format("{:<28}  {:<9}  skipped", e.name, detail::policy_label(e)));
      continue;
    }
    const auto s = summarize_simulation(*e.simulation);
    std::vector<std::string> cells = {
        e.name,
        detail::policy_label(e),
        cell(plus(s.first_standard, s.first_activating)),
        cell(plus(s.last_standard, s.last_activating)),
        cell(s.first_archive),
        cell(s.last_archive),
        cell(s.expired),
        cell(s.transitioned),
        detail::findings_change(s.findings_before, s.findings_after)};
    if (doc.has_in_use) {
      cells.push_back(s.first_in_use_removal ? "step " + std::to_string(*s.first_in_use_removal)
                                             : std::string("-"));
    }
    t.row(std::move(cells));
  }
  t.write(out);
}

}  // namespace

void write(output& out, const registry_simulation_document& doc, const render_options&) {
  using detail::plus;
  if (doc.has_in_use) in_use_removals_text(out, detail::registry_removals(doc), true);
  std::size_t simulated = 0;
  for (const auto& e : doc.repositories) simulated += e.simulation != nullptr ? 1U : 0U;
  out.format("Registry simulation from {} to {}, every {} ({} mode)\n",
             format_timestamp(doc.options.from), format_timestamp(doc.options.to),
             format_interval(doc.options.every), doc.options.replay ? "replay" : "static");
  out.format("{} repositories: {} simulated, {} skipped; policy: {}\n",
             group_digits(doc.repositories.size()), group_digits(simulated),
             group_digits(doc.repositories.size() - simulated),
             doc.override_policy.empty() ? std::string("each repository's own")
                                         : std::string(doc.override_policy) + " for all");
  registry_repositories(out, doc);

  const auto total = registry_simulation_total(doc.repositories);
  steps_table(out, total, "Registry total per step");
  class_totals expired;
  class_totals transitioned;
  for (const auto& s : total) {
    expired = plus(expired, s.expired);
    transitioned = plus(transitioned, s.transitioned);
  }
  out.put("\nOver the simulation, all repositories\n");
  out.format("  Expired      {:>8} {:>10}\n", group_digits(expired.images),
             human_bytes(expired.bytes));
  out.format("  Archived     {:>8} {:>10}\n", group_digits(transitioned.images),
             human_bytes(transitioned.bytes));
  if (!total.empty()) {
    out.format("  Findings     {}\n",
               detail::findings_change(total.front().findings, total.back().findings));
  }
  bool watch_header = false;
  for (const auto& e : doc.repositories) {
    if (e.simulation == nullptr || e.simulation->watches.empty()) continue;
    bool any = false;
    for (const auto& w : e.simulation->watches) any = any || !w.images.empty();
    if (any && !watch_header) {
      out.put("\nWatched images\n");
      watch_header = true;
    }
    watches(out, *e.simulation, e.name);
  }
}

}  // namespace ecrlp::writer::text
