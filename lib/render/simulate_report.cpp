// SPDX-License-Identifier: MIT
// Renderers of a simulation: table, JSON, CSV, HTML (docs/simulate.md).

#include <ecrlp/html_report.hpp>
#include <ecrlp/simulate_report.hpp>
#include <ecrlp/time.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "render/format_util.hpp"
#include "render/html_util.hpp"

// Last: <filesystem> (through registry.hpp) brings <iomanip>, whose std::quoted would win by ADL
// over the quoted() of lint.hpp (see lib/registry_diff_report.cpp).
#include <ecrlp/registry.hpp>

namespace ecrlp {
namespace {

using detail::csv_field;
using detail::join;

using ordered_json = nlohmann::ordered_json;

std::string short_digest(std::string_view d) { return std::string(d.substr(0, 19)); }

std::string tags_text(const image& img) {
  return img.tags.empty() ? std::string("<untagged>") : join(img.tags, ", ");
}

/// Input image `i`, or synthetic image `i - input size`.
const image& image_at(const simulation_document& doc, std::size_t i) {
  return i < doc.images.size() ? doc.images[i] : doc.result.synthetic[i - doc.images.size()];
}

// Counts over the inventory's images (not the synthetic ones).
std::size_t joined_later(const simulation_document& doc) {
  const auto& l = doc.result.images;
  const auto end = l.begin() + static_cast<std::ptrdiff_t>(std::min(doc.images.size(), l.size()));
  return static_cast<std::size_t>(
      std::count_if(l.begin(), end, [](const auto& t) { return t.joined && *t.joined != 0; }));
}

std::size_t never_joined(const simulation_document& doc) {
  const auto& l = doc.result.images;
  const auto end = l.begin() + static_cast<std::ptrdiff_t>(std::min(doc.images.size(), l.size()));
  return static_cast<std::size_t>(std::count_if(l.begin(), end, [](const auto& t) { return !t.joined; }));
}

struct run_totals {
  class_totals expired;
  class_totals transitioned;
  std::vector<std::size_t> by_rule;
};

run_totals totals_over(const simulation_result& r) {
  run_totals t;
  t.by_rule.assign(r.rule_priorities.size(), 0);
  for (const auto& s : r.steps) {
    t.expired.images += s.expired.images;
    t.expired.bytes += s.expired.bytes;
    t.transitioned.images += s.transitioned.images;
    t.transitioned.bytes += s.transitioned.bytes;
    for (std::size_t k = 0; k < s.acted_by_rule.size() && k < t.by_rule.size(); ++k) {
      t.by_rule[k] += s.acted_by_rule[k];
    }
  }
  return t;
}

const rule* rule_with_priority(const lifecycle_policy& p, std::int64_t priority) {
  for (const auto& r : p.rules) {
    if (r.priority == priority) return &r;
  }
  return nullptr;
}

/// One line describing what happened to an image.
std::string watch_story(const simulation_document& doc, std::size_t i) {
  const auto& line = doc.result.images[i];
  const auto& steps = doc.result.steps;
  const auto at = [&](std::size_t k) {
    return fmt::format("{} (step {})", format_timestamp(steps[k].at), k);
  };
  if (!line.joined) {
    return "pushed " + format_timestamp(image_at(doc, i).pushed_at) +
           ", after the simulation ends: not simulated";
  }
  std::string out = *line.joined == 0 ? "present at the start"
                                      : "pushed, joins at " + at(*line.joined);
  if (line.transitioned) {
    out += "; archived at " + at(*line.transitioned);
    if (line.transition_rule) out += " by rule " + std::to_string(*line.transition_rule);
  }
  if (line.expired) {
    out += "; expires at " + at(*line.expired);
    if (line.expire_rule) out += " by rule " + std::to_string(*line.expire_rule);
  } else if (!steps.empty()) {
    const bool archived = line.transitioned || image_at(doc, i).status == image_status::archived;
    out += "; still in the repository at " + format_timestamp(steps.back().at) +
           (archived ? " (archive)" : "");
  }
  return out;
}

ordered_json totals_json(const class_totals& t) {
  ordered_json j;
  j["images"] = t.images;
  j["bytes"] = t.bytes;
  return j;
}

ordered_json findings_json(const finding_counts& f) {
  ordered_json j;
  j["critical"] = f.critical;
  j["high"] = f.high;
  j["medium"] = f.medium;
  j["low"] = f.low;
  j["informational"] = f.informational;
  j["undefined"] = f.undefined;
  j["total"] = f.total();
  return j;
}

ordered_json image_json(const simulation_document& doc, std::size_t i) {
  const image& img = image_at(doc, i);
  const auto& line = doc.result.images[i];
  const auto& steps = doc.result.steps;
  ordered_json j;
  j["imageDigest"] = img.digest;
  if (i >= doc.images.size()) j["synthetic"] = true;
  if (!img.tags.empty()) j["imageTags"] = img.tags;
  j["imagePushedAt"] = format_timestamp(img.pushed_at);
  j["imageSizeInBytes"] = img.size_bytes;
  std::string_view outcome = "notSimulated";
  if (line.joined) {
    outcome = line.expired ? "expired" : line.transitioned ? "archived" : "kept";
    j["joinedStep"] = *line.joined;
    j["joinedAt"] = format_timestamp(steps[*line.joined].at);
  }
  j["outcome"] = outcome;
  if (line.transitioned) {
    j["transitionedStep"] = *line.transitioned;
    j["transitionedAt"] = format_timestamp(steps[*line.transitioned].at);
    if (line.transition_rule) j["transitionRulePriority"] = *line.transition_rule;
  }
  if (line.expired) {
    j["expiredStep"] = *line.expired;
    j["expiredAt"] = format_timestamp(steps[*line.expired].at);
    if (line.expire_rule) j["expireRulePriority"] = *line.expire_rule;
  }
  return j;
}

struct event {
  std::size_t step;
  bool expire;
  std::size_t image;
  std::optional<std::int64_t> rule;
};

std::vector<event> events_of(const simulation_result& r) {
  std::vector<event> ev;
  for (std::size_t i = 0; i < r.images.size(); ++i) {
    const auto& l = r.images[i];
    if (l.transitioned) ev.push_back({*l.transitioned, false, i, l.transition_rule});
    if (l.expired) ev.push_back({*l.expired, true, i, l.expire_rule});
  }
  std::stable_sort(ev.begin(), ev.end(), [](const event& a, const event& b) {
    return a.step != b.step ? a.step < b.step : (a.expire != b.expire ? !a.expire : false);
  });
  return ev;
}

bool step_changed(const simulation_step& s) {
  return s.added != 0 || s.expired.images != 0 || s.transitioned.images != 0;
}

/// The steps the reports show: the first, the last and every step with changes.
std::vector<std::size_t> shown_steps(std::span<const simulation_step> steps) {
  std::vector<std::size_t> shown;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    if (k == 0 || k + 1 == steps.size() || step_changed(steps[k])) shown.push_back(k);
  }
  return shown;
}

/// The table of `steps` (one repository's or the registry total) under `title`: the shown steps'
/// changes, and the standard (with activating), archive and findings after each.
void write_steps_text(std::string& out, std::span<const simulation_step> steps,
                      std::string_view title) {
  const auto shown = shown_steps(steps);
  auto it = std::back_inserter(out);
  fmt::format_to(it, "\n{} ({} of {} shown: the first, the last and those with changes)\n", title,
                 detail::group_digits(shown.size()), detail::group_digits(steps.size()));
  fmt::format_to(it, "  {:>5}  {:<25}  {:>7}  {:>7}  {:>9}  {:>8} {:>10}  {:>8} {:>10}  {:>8}\n",
                 "Step", "Time", "Added", "Expired", "Archived", "Standard", "", "Archive", "",
                 "Findings");
  for (const std::size_t k : shown) {
    const auto& s = steps[k];
    fmt::format_to(it, "  {:>5}  {:<25}  {:>7}  {:>7}  {:>9}  {:>8} {:>10}  {:>8} {:>10}  {:>8}\n",
                   k, format_timestamp(s.at), detail::group_digits(s.added),
                   detail::group_digits(s.expired.images),
                   detail::group_digits(s.transitioned.images),
                   detail::group_digits(s.standard.images + s.activating.images),
                   detail::human_bytes(s.standard.bytes + s.activating.bytes),
                   detail::group_digits(s.archive.images), detail::human_bytes(s.archive.bytes),
                   detail::group_digits(s.findings.total()));
  }
}

}  // namespace

std::string format_interval(std::chrono::microseconds every) {
  using namespace std::chrono;
  const auto c = every.count();
  const auto fits = [&](auto unit) {
    const auto u = duration_cast<microseconds>(unit).count();
    return c != 0 && c % u == 0;
  };
  if (fits(days{1})) return std::to_string(c / microseconds(days{1}).count()) + "d";
  if (fits(hours{1})) return std::to_string(c / microseconds(hours{1}).count()) + "h";
  if (fits(minutes{1})) return std::to_string(c / microseconds(minutes{1}).count()) + "m";
  if (fits(seconds{1})) return std::to_string(c / microseconds(seconds{1}).count()) + "s";
  return std::to_string(c) + "us";
}

namespace {

/// The references of an in-use image, "text (file:line)", comma-separated.
std::string in_use_text(const simulation_document& doc, std::size_t i) {
  std::string out;
  if (i >= doc.in_use.size()) return out;
  for (const std::size_t k : doc.in_use[i].refs) {
    if (k >= doc.in_use_refs.size()) continue;
    const auto& r = doc.in_use_refs[k];
    out += out.empty() ? "" : ", ";
    out += r.text + " (" + r.source + (r.line != 0 ? ":" + std::to_string(r.line) : "") + ")";
  }
  for (const std::size_t t : doc.in_use[i].through) {
    out += out.empty() ? "" : ", ";
    out += "through index " + image_at(doc, t).digest;
  }
  return out;
}

std::string in_use_table(const simulation_document& doc) {
  if (!doc.has_in_use) return {};
  const auto removals = in_use_removals(doc);
  std::string out;
  auto it = std::back_inserter(out);
  if (removals.empty()) {
    fmt::format_to(it, "In use: no in-use image is expired or transitioned over the simulation\n\n");
    return out;
  }
  const auto& first = removals.front();
  fmt::format_to(it, "IN USE: {} in-use image{} removed; the first at step {} ({})\n",
                 removals.size(), removals.size() == 1 ? " is" : "s are", first.step,
                 format_timestamp(doc.result.steps[first.step].at));
  for (const auto& rm : removals) {
    const image& img = image_at(doc, rm.image_index);
    fmt::format_to(it, "  step {:>5}  {:<19}  {:<10}  rule {:>4}  {:<19}  {}  in use as {}\n", rm.step,
                   format_timestamp(doc.result.steps[rm.step].at).substr(0, 19),
                   rm.action == fate::expire ? "EXPIRE" : "TRANSITION",
                   rm.rule ? std::to_string(*rm.rule) : std::string("-"),
                   img.digest.substr(0, std::min<std::size_t>(19, img.digest.size())), tags_text(img),
                   in_use_text(doc, rm.image_index));
  }
  out += "\n";
  return out;
}

}  // namespace

std::vector<in_use_removal> in_use_removals(const simulation_document& doc) {
  std::vector<in_use_removal> out;
  for (std::size_t i = 0; i < doc.in_use.size() && i < doc.result.images.size(); ++i) {
    if (!doc.in_use[i].in_use()) continue;
    const auto& line = doc.result.images[i];
    if (line.transitioned && (!line.expired || *line.transitioned <= *line.expired)) {
      out.push_back({i, *line.transitioned, fate::transition, line.transition_rule});
    } else if (line.expired) {
      out.push_back({i, *line.expired, fate::expire, line.expire_rule});
    }
  }
  std::sort(out.begin(), out.end(), [](const in_use_removal& a, const in_use_removal& b) {
    return a.step != b.step ? a.step < b.step : a.image_index < b.image_index;
  });
  return out;
}

std::string render_simulation_table(const simulation_document& doc, std::size_t max_rows) {
  const auto& r = doc.result;
  const auto& steps = r.steps;
  std::string out = in_use_table(doc);
  auto it = std::back_inserter(out);
  fmt::format_to(it, "Lifecycle policy simulation from {} to {}, every {}\n",
                 format_timestamp(doc.options.from), format_timestamp(doc.options.to),
                 format_interval(doc.options.every));
  fmt::format_to(it, "{} steps ({} mode); the policy was evaluated at {} of them\n",
                 detail::group_digits(steps.size()), doc.options.replay ? "replay" : "static",
                 detail::group_digits(r.evaluations));
  fmt::format_to(it, "{} images in the inventory: {} present at the start ({}), {} joining later",
                 detail::group_digits(doc.images.size()), detail::group_digits(r.initial.images),
                 detail::human_bytes(r.initial.bytes), detail::group_digits(joined_later(doc)));
  const std::size_t after = never_joined(doc);
  if (after != 0) fmt::format_to(it, ", {} pushed after the end", detail::group_digits(after));
  out += "\n";
  if (!doc.options.pushes.empty()) {
    fmt::format_to(it, "Forecast: {} synthetic pushes (", detail::group_digits(r.synthetic.size()));
    for (std::size_t k = 0; k < doc.options.pushes.size(); ++k) {
      const auto& p = doc.options.pushes[k];
      fmt::format_to(it, "{}{} {}/day of {}", k == 0 ? "" : "; ",
                     p.tag_template.empty() ? std::string("<untagged>") : p.tag_template,
                     p.per_day, detail::human_bytes(p.size_bytes));
    }
    out += ")\n";
  }

  // Steps: the first, the last, and every step at which something happened.
  write_steps_text(out, steps, "Steps");

  const auto t = totals_over(r);
  out += "\nOver the simulation\n";
  fmt::format_to(it, "  Expired      {:>8} {:>10}\n", detail::group_digits(t.expired.images),
                 detail::human_bytes(t.expired.bytes));
  fmt::format_to(it, "  Archived     {:>8} {:>10}\n", detail::group_digits(t.transitioned.images),
                 detail::human_bytes(t.transitioned.bytes));
  if (!steps.empty()) {
    const auto& last = steps.back();
    fmt::format_to(it, "  At the end   {:>8} {:>10}  (standard {}, archive {})\n",
                   detail::group_digits(last.total().images),
                   detail::human_bytes(last.total().bytes),
                   detail::group_digits(last.standard.images + last.activating.images),
                   detail::group_digits(last.archive.images));
  }
  out += "\nRules (highest priority first)\n";
  fmt::format_to(it, "  {:>8}  {:<7}  {:>8}  {}\n", "Priority", "Action", "Acted on", "Selection; limit");
  for (std::size_t k = 0; k < r.rule_priorities.size(); ++k) {
    const rule* rl = rule_with_priority(doc.policy, r.rule_priorities[k]);
    if (rl == nullptr) continue;
    fmt::format_to(it, "  {:>8}  {:<7}  {:>8}  {}; {}\n", rl->priority,
                   rl->action.type == action_type::transition ? "ARCHIVE" : "EXPIRE",
                   detail::group_digits(t.by_rule[k]), detail::describe_selection(rl->selection),
                   detail::describe_limit(rl->selection));
  }

  if (!doc.watches.empty()) {
    out += "\nWatched images\n";
    for (const auto& w : doc.watches) {
      for (const std::size_t i : w.images) {
        fmt::format_to(it, "  {} = {} [{}]\n    {}\n", w.key, short_digest(image_at(doc, i).digest),
                       tags_text(image_at(doc, i)), watch_story(doc, i));
      }
    }
  }

  const auto ev = events_of(r);
  const std::size_t limit = max_rows == 0 ? ev.size() : std::min(max_rows, ev.size());
  fmt::format_to(it, "\nImages archived or expired, in step order ({} of {}):\n",
                 detail::group_digits(limit), detail::group_digits(ev.size()));
  if (!ev.empty()) {
    fmt::format_to(it, "  {:>5}  {:<25}  {:<7}  {:>4}  {:>10}  {:<19}  {}\n", "Step", "Time",
                   "Event", "Rule", "Size", "Digest", "Tags");
  }
  for (std::size_t k = 0; k < limit; ++k) {
    const auto& e = ev[k];
    const image& img = image_at(doc, e.image);
    fmt::format_to(it, "  {:>5}  {:<25}  {:<7}  {:>4}  {:>10}  {:<19}  {}\n", e.step,
                   format_timestamp(steps[e.step].at), e.expire ? "EXPIRE" : "ARCHIVE",
                   e.rule ? std::to_string(*e.rule) : std::string("-"),
                   detail::human_bytes(img.size_bytes), short_digest(img.digest), tags_text(img));
  }
  return out;
}

std::string render_simulation_json(const simulation_document& doc) {
  const auto& r = doc.result;
  ordered_json j;
  if (doc.has_in_use) {
    // In-use images removed come first (docs/simulate.md#in-use).
    ordered_json removals = ordered_json::array();
    for (const auto& rm : in_use_removals(doc)) {
      const image& img = image_at(doc, rm.image_index);
      ordered_json x;
      x["imageDigest"] = img.digest;
      x["imageTags"] = img.tags;
      x["step"] = rm.step;
      x["time"] = format_timestamp(r.steps[rm.step].at);
      x["action"] = rm.action == fate::expire ? "EXPIRE" : "TRANSITION";
      x["rulePriority"] = rm.rule ? ordered_json(*rm.rule) : ordered_json(nullptr);
      ordered_json refs = ordered_json::array();
      for (const std::size_t k : doc.in_use[rm.image_index].refs) {
        if (k < doc.in_use_refs.size()) refs.push_back(doc.in_use_refs[k].text);
      }
      x["inUseReferences"] = std::move(refs);
      removals.push_back(std::move(x));
    }
    ordered_json iu;
    iu["firstRemovalStep"] = removals.empty() ? ordered_json(nullptr) : removals[0]["step"];
    iu["removals"] = std::move(removals);
    j["inUse"] = std::move(iu);
  }
  j["from"] = format_timestamp(doc.options.from);
  j["to"] = format_timestamp(doc.options.to);
  j["every"] = format_interval(doc.options.every);
  j["mode"] = doc.options.replay ? "replay" : "static";
  const auto t = totals_over(r);
  ordered_json summary;
  summary["steps"] = r.steps.size();
  summary["evaluations"] = r.evaluations;
  summary["inventoryImages"] = doc.images.size();
  summary["initial"] = totals_json(r.initial);
  summary["joinedLater"] = joined_later(doc);
  summary["pushedAfterEnd"] = never_joined(doc);
  summary["syntheticPushes"] = r.synthetic.size();
  summary["expired"] = totals_json(t.expired);
  summary["transitioned"] = totals_json(t.transitioned);
  if (!r.steps.empty()) summary["final"] = totals_json(r.steps.back().total());
  j["summary"] = summary;
  ordered_json rules = ordered_json::array();
  for (std::size_t k = 0; k < r.rule_priorities.size(); ++k) {
    ordered_json rj;
    rj["rulePriority"] = r.rule_priorities[k];
    const rule* rl = rule_with_priority(doc.policy, r.rule_priorities[k]);
    if (rl != nullptr) rj["action"] = std::string(to_string(rl->action.type));
    rj["actedOn"] = t.by_rule[k];
    rules.push_back(rj);
  }
  j["rules"] = rules;
  ordered_json steps = ordered_json::array();
  for (std::size_t k = 0; k < r.steps.size(); ++k) {
    const auto& s = r.steps[k];
    ordered_json sj;
    sj["step"] = k;
    sj["time"] = format_timestamp(s.at);
    sj["evaluated"] = s.evaluated;
    sj["added"] = s.added;
    sj["expired"] = totals_json(s.expired);
    sj["transitioned"] = totals_json(s.transitioned);
    ordered_json by_rule = ordered_json::object();
    for (std::size_t q = 0; q < s.acted_by_rule.size(); ++q) {
      if (s.acted_by_rule[q] != 0) by_rule[std::to_string(r.rule_priorities[q])] = s.acted_by_rule[q];
    }
    sj["actedByRule"] = by_rule;
    sj["standard"] = totals_json(s.standard);
    sj["archive"] = totals_json(s.archive);
    sj["activating"] = totals_json(s.activating);
    sj["total"] = totals_json(s.total());
    sj["findings"] = findings_json(s.findings);
    steps.push_back(sj);
  }
  j["steps"] = steps;
  ordered_json images = ordered_json::array();
  for (std::size_t i = 0; i < doc.result.images.size(); ++i) images.push_back(image_json(doc, i));
  j["images"] = images;
  if (!doc.watches.empty()) {
    ordered_json watches = ordered_json::array();
    for (const auto& w : doc.watches) {
      ordered_json wj;
      wj["key"] = w.key;
      ordered_json found = ordered_json::array();
      for (const std::size_t i : w.images) found.push_back(image_json(doc, i));
      wj["images"] = found;
      watches.push_back(wj);
    }
    j["watch"] = watches;
  }
  ordered_json diags = ordered_json::array();
  for (const auto& d : r.diagnostics) {
    ordered_json dj;
    dj["level"] = std::string(to_string(d.level));
    dj["code"] = d.code;
    dj["message"] = d.message;
    diags.push_back(dj);
  }
  j["diagnostics"] = diags;
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_simulation_csv(const simulation_document& doc) {
  std::string out =
      "step,time,evaluated,added,expiredImages,expiredBytes,transitionedImages,transitionedBytes,"
      "standardImages,standardBytes,archiveImages,archiveBytes,activatingImages,activatingBytes,"
      "totalImages,totalBytes,findings,critical,high\r\n";
  auto it = std::back_inserter(out);
  for (std::size_t k = 0; k < doc.result.steps.size(); ++k) {
    const auto& s = doc.result.steps[k];
    fmt::format_to(it, "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", k,
                   csv_field(format_timestamp(s.at)), s.evaluated ? "true" : "false", s.added,
                   s.expired.images, s.expired.bytes, s.transitioned.images, s.transitioned.bytes,
                   s.standard.images, s.standard.bytes, s.archive.images, s.archive.bytes,
                   s.activating.images, s.activating.bytes, s.total().images, s.total().bytes,
                   s.findings.total(), s.findings.critical, s.findings.high);
  }
  return out;
}

namespace {

using detail::html_escape;

/// An in-use image removed, with the repository it is in (empty for one repository).
struct removal_row {
  std::string_view repository;
  const simulation_document* doc;
  in_use_removal rm;
};

/// The in-use images every simulated repository of `doc` removes, by step (then repository).
std::vector<removal_row> registry_removals(const registry_simulation_document& doc) {
  std::vector<removal_row> rows;
  for (const auto& e : doc.repositories) {
    if (e.simulation == nullptr) continue;
    for (const auto& rm : in_use_removals(*e.simulation)) {
      rows.push_back({e.name, e.simulation, rm});
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const removal_row& a, const removal_row& b) {
    return a.rm.step < b.rm.step;
  });
  return rows;
}

/// The in-use section: the removals by step, or that there are none.
std::string in_use_html(std::span<const removal_row> rows, bool with_repository) {
  using detail::group_digits;
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
    const image& img = image_at(d, r.rm.image_index);
    fmt::format_to(it,
                   "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>{}"
                   "<td data-v=\"{}\"><code>{}</code></td><td>{}</td><td>{}</td></tr>\n",
                   r.rm.step, html_escape(format_timestamp(d.result.steps[r.rm.step].at)),
                   r.rm.action == fate::expire ? "EXPIRE" : "TRANSITION",
                   r.rm.rule ? std::to_string(*r.rm.rule) : std::string(),
                   with_repository ? "<td>" + html_escape(r.repository) + "</td>" : std::string(),
                   html_escape(img.digest), html_escape(short_digest(img.digest)),
                   html_escape(tags_text(img)), html_escape(in_use_text(d, r.rm.image_index)));
  }
  out += "</tbody></table>\n";
  return out;
}

/// Stacked areas of the images and of the bytes after each of `steps` by storage class, under
/// `h` headings; the charts' ids are `prefix` + "images-over-time" and + "bytes-over-time".
std::string class_charts_html(std::span<const simulation_step> steps, std::string_view prefix,
                              std::string_view h, std::string_view heading_suffix) {
  using detail::group_digits;
  using detail::human_bytes;
  std::vector<std::string> labels;
  std::vector<detail::chart_series> images_series = {{"standard", "#3b6fd8", {}},
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
  out += detail::stacked_area_chart(std::string(prefix) + "images-over-time",
                                    "Images after each step", labels, images_series, [](double v) {
                                      return group_digits(static_cast<std::uint64_t>(v));
                                    });
  fmt::format_to(it, "<{0}>Bytes over time, by storage class{1}</{0}>\n", h, heading_suffix);
  out += detail::stacked_area_chart(std::string(prefix) + "bytes-over-time",
                                    "Bytes after each step", labels, bytes_series, [](double v) {
                                      return human_bytes(static_cast<std::uint64_t>(v));
                                    });
  return out;
}

/// The sortable table of the shown steps (the first, the last, those with changes).
std::string steps_html(std::span<const simulation_step> steps, std::string_view id) {
  using detail::human_bytes;
  std::string out = fmt::format(
      "<table class=\"sortable\" id=\"{}\"><thead><tr><th class=\"n\">Step</th><th>Time</th>"
      "<th class=\"n\">Added</th><th class=\"n\">Expired</th><th class=\"n\">Archived</th>"
      "<th class=\"n\">Standard</th><th class=\"n\">Standard bytes</th><th class=\"n\">Archive</th>"
      "<th class=\"n\">Archive bytes</th><th class=\"n\">Findings</th></tr></thead><tbody>\n",
      html_escape(id));
  auto it = std::back_inserter(out);
  for (const std::size_t k : shown_steps(steps)) {
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
  const auto t = totals_over(r);
  std::vector<detail::bar_row> rule_rows;
  for (std::size_t k = 0; k < r.rule_priorities.size(); ++k) {
    const rule* rl = rule_with_priority(doc.policy, r.rule_priorities[k]);
    const bool transition = rl != nullptr && rl->action.type == action_type::transition;
    std::string label = "rule " + std::to_string(r.rule_priorities[k]);
    if (rl != nullptr && !rl->description.empty()) label += ": " + rl->description.substr(0, 32);
    rule_rows.push_back({label,
                         {transition ? 0.0 : double(t.by_rule[k]), transition ? double(t.by_rule[k]) : 0.0},
                         detail::group_digits(t.by_rule[k]) + " images"});
  }
  return detail::bar_chart(id, "Images each rule acted on over the simulation", rule_rows,
                           {{"expired", "#c8372d", {}}, {"archived", "#a65fd0", {}}});
}

/// For each of `events` (in step order), the explanation of the image's fate at the event's step,
/// as `ecrlp explain` gives it for the repository as that step's evaluation saw it: the images
/// present after the step's joins, in the simulator's order, those archived at an earlier step
/// ARCHIVED with lastArchivedAt = that step's instant, and the tags that later forecast pushes
/// took away removed. The repository is rebuilt from the timelines step by step up to the last
/// event's step (one copy of the images), and explained once per step that has events.
std::vector<std::string> event_explanations(const simulation_document& doc,
                                            std::span<const event> events) {
  std::vector<std::string> why(events.size());
  if (events.empty()) return why;
  const auto& r = doc.result;
  const auto& steps = r.steps;
  // The simulator's join order: the images present at the first step in input order, then the
  // others by push time (stable: input order, then the synthetic ones in push order).
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < r.images.size(); ++i) {
    if (r.images[i].joined) order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const std::size_t ja = *r.images[a].joined;
    const std::size_t jb = *r.images[b].joined;
    if (ja == 0 || jb == 0) return ja < jb;
    return image_at(doc, a).pushed_at < image_at(doc, b).pushed_at;
  });
  std::vector<image> live;
  std::vector<std::size_t> source;  // index (input, then synthetic) of live[j]
  std::size_t next = 0;
  std::size_t e = 0;
  for (std::size_t k = 0; k < steps.size() && e < events.size(); ++k) {
    while (next < order.size() && *r.images[order[next]].joined == k) {
      const std::size_t i = order[next++];
      const image& img = image_at(doc, i);
      if (i >= doc.images.size()) {  // a pushed tag moves (as simulate() does)
        for (const auto& tag : img.tags) {
          for (auto& other : live) {
            const auto t = std::find(other.tags.begin(), other.tags.end(), tag);
            if (t != other.tags.end()) other.tags.erase(t);
          }
        }
      }
      live.push_back(img);
      source.push_back(i);
    }
    if (events[e].step == k) {
      const explainer ex(doc.policy, std::span<const image>(live),
                         evaluation_options{.now = steps[k].at,
                                            .indexes = doc.options.indexes,
                                            .independent_images = doc.options.independent_images});
      std::unordered_map<std::size_t, std::size_t> at;
      at.reserve(live.size());
      for (std::size_t j = 0; j < live.size(); ++j) at.emplace(source[j], j);
      for (; e < events.size() && events[e].step == k; ++e) {
        const auto found = at.find(events[e].image);
        if (found != at.end()) why[e] = detail::explanation_text(ex, found->second);
      }
    }
    const auto& s = steps[k];
    if (s.expired.images == 0 && s.transitioned.images == 0) continue;
    std::size_t w = 0;
    for (std::size_t j = 0; j < live.size(); ++j) {
      const auto& line = r.images[source[j]];
      if (line.expired && *line.expired == k) continue;
      if (line.transitioned && *line.transitioned == k) {
        live[j].status = image_status::archived;
        live[j].last_archived_at = s.at;
      }
      if (w != j) {
        live[w] = std::move(live[j]);
        source[w] = source[j];
      }
      ++w;
    }
    live.resize(w);
    source.resize(w);
  }
  return why;
}

/// The sentence above the table of images archived or expired, stating the row cap.
std::string events_note(std::size_t max_rows, std::size_t total, std::string_view id) {
  using detail::group_digits;
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
  using detail::human_bytes;
  const auto& steps = doc.result.steps;
  const auto ev = events_of(doc.result);
  const std::size_t listed = max_rows == 0 ? ev.size() : std::min(max_rows, ev.size());
  const std::span<const event> rows(ev.data(), listed);
  const auto why = event_explanations(doc, rows);
  std::string out = events_note(max_rows, ev.size(), std::string(prefix) + "rows-note");
  auto it = std::back_inserter(out);
  fmt::format_to(it,
                 "<table class=\"sortable\" id=\"{}events\"><thead><tr><th class=\"n\">Step</th>"
                 "<th>Time</th><th>Event</th><th class=\"n\">Rule</th><th class=\"n\">Size</th>"
                 "<th>Digest</th><th>Tags</th></tr></thead><tbody>\n",
                 html_escape(prefix));
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& e = rows[k];
    const image& img = image_at(doc, e.image);
    const bool in_use = e.image < doc.in_use.size() && doc.in_use[e.image].in_use();
    std::string why_text = why[k];
    if (in_use) why_text += "\nin use as " + in_use_text(doc, e.image);
    fmt::format_to(it,
                   "<tr{}><td class=\"n\">{}</td><td>{}</td><td data-v=\"{}\">{}{}</td>"
                   "<td class=\"n\">{}</td><td class=\"n\" data-v=\"{}\">{}</td>{}<td>{}</td>"
                   "</tr>\n",
                   in_use ? " class=\"in-use\" style=\"background:#fdf0ef\"" : "", e.step,
                   html_escape(format_timestamp(steps[e.step].at)), e.expire ? "EXPIRE" : "ARCHIVE",
                   e.expire ? "EXPIRE" : "ARCHIVE",
                   in_use ? " <strong style=\"color:#c8372d\">IN USE</strong>" : "",
                   e.rule ? std::to_string(*e.rule) : std::string(), img.size_bytes,
                   human_bytes(img.size_bytes), detail::explained_digest_cell(img.digest, why_text),
                   html_escape(tags_text(img)));
  }
  out += "</tbody></table>\n";
  return out;
}

/// Counts of one simulation: inventory, present at the start, joining later, synthetic pushes.
std::string inventory_sentence(const simulation_document& doc) {
  using detail::group_digits;
  const auto& r = doc.result;
  return fmt::format("{} images in the inventory, {} present at the start, {} joining later{}.",
                     group_digits(doc.images.size()), group_digits(r.initial.images),
                     group_digits(joined_later(doc)),
                     r.synthetic.empty()
                         ? std::string()
                         : ", " + group_digits(r.synthetic.size()) + " synthetic pushes");
}

/// What left and what is left.
std::string outcome_html(const simulation_document& doc) {
  using detail::group_digits;
  using detail::human_bytes;
  const auto& steps = doc.result.steps;
  const auto t = totals_over(doc.result);
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
                       html_escape(w.key), html_escape(image_at(doc, i).digest),
                       html_escape(tags_text(image_at(doc, i))), html_escape(watch_story(doc, i)));
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

}  // namespace

std::string render_simulation_html(const simulation_document& doc) {
  return render_simulation_html(doc, html_default_max_rows);
}

std::string render_simulation_html(const simulation_document& doc, std::size_t max_rows) {
  using detail::group_digits;
  const auto& steps = doc.result.steps;
  std::string out = detail::html_page_start("Lifecycle policy simulation");
  if (doc.has_in_use) {
    std::vector<removal_row> rows;
    for (const auto& rm : in_use_removals(doc)) rows.push_back({{}, &doc, rm});
    out += in_use_html(rows, false);
  }
  auto it = std::back_inserter(out);
  fmt::format_to(it,
                 "<p>From <code>{}</code> to <code>{}</code>, every {} ({} steps, {} mode). {}</p>\n",
                 html_escape(format_timestamp(doc.options.from)),
                 html_escape(format_timestamp(doc.options.to)),
                 html_escape(format_interval(doc.options.every)), group_digits(steps.size()),
                 doc.options.replay ? "replay" : "static", html_escape(inventory_sentence(doc)));
  out += outcome_html(doc);
  out += simulation_body_html(doc, max_rows, "", "h2");
  out += detail::html_page_end();
  return out;
}

// ---- Registry simulation ----------------------------------------------------------------------

simulation_summary summarize_simulation(const simulation_document& doc) {
  simulation_summary s;
  const auto& steps = doc.result.steps;
  s.steps = steps.size();
  if (!steps.empty()) {
    const auto& first = steps.front();
    const auto& last = steps.back();
    s.first_standard = first.standard;
    s.first_archive = first.archive;
    s.first_activating = first.activating;
    s.last_standard = last.standard;
    s.last_archive = last.archive;
    s.last_activating = last.activating;
    s.findings_before = first.findings;
    s.findings_after = last.findings;
  }
  const auto t = totals_over(doc.result);
  s.expired = t.expired;
  s.transitioned = t.transitioned;
  const auto removals = in_use_removals(doc);
  s.in_use_removals = removals.size();
  if (!removals.empty()) s.first_in_use_removal = removals.front().step;
  return s;
}

namespace {

void add_totals(class_totals& a, const class_totals& b) {
  a.images += b.images;
  a.bytes += b.bytes;
}

}  // namespace

std::optional<std::uint64_t> median_image_size(std::span<const image> images) {
  if (images.empty()) return std::nullopt;
  std::vector<std::uint64_t> sizes;
  sizes.reserve(images.size());
  for (const auto& img : images) sizes.push_back(img.size_bytes);
  const auto mid = sizes.begin() + static_cast<std::ptrdiff_t>(sizes.size() / 2);
  std::nth_element(sizes.begin(), mid, sizes.end());
  return *mid;
}

std::vector<repository_simulation> simulate_registry(const registry_snapshot& snapshot,
                                                     const simulation_options& shared,
                                                     const registry_simulation_options& options) {
  const auto& repos = snapshot.repositories;
  std::vector<repository_simulation> out(repos.size());
  // Each worker writes only its repository's entry.
  detail::for_each_repository(
      repos.size(), detail::image_counts(snapshot), options.threads, [&](std::size_t k) {
        const repository_snapshot& repo = repos[k];
        repository_simulation& r = out[k];
        if (repo.failed()) {
          r.policy = "failed";
          return;
        }
        if (options.override_policy != nullptr) {
          r.simulated_policy = options.override_policy;
          r.policy = std::string(to_string(policy_source::overridden));
        } else if (repo.policy) {
          r.simulated_policy = &repo.policy->policy;
          r.policy = std::string(to_string(policy_source::own));
        } else {
          r.policy = std::string(to_string(policy_source::none));
          return;
        }
        const auto& images = repo.images.images;
        r.options = shared;
        r.options.indexes = repo.images.indexes;
        r.options.independent_images = options.independent_images;
        const auto size = options.push_size ? options.push_size : median_image_size(images);
        for (auto& p : r.options.pushes) p.size_bytes = size.value_or(0);
        r.result = simulate(*r.simulated_policy, images, r.options);
      });
  return out;
}

std::vector<simulation_step> registry_simulation_total(
    std::span<const registry_simulation_entry> repositories) {
  std::vector<simulation_step> total;
  bool first = true;
  for (const auto& e : repositories) {
    if (e.simulation == nullptr) continue;
    const auto& steps = e.simulation->result.steps;
    if (first) {
      total.resize(steps.size());
      for (std::size_t k = 0; k < steps.size(); ++k) total[k].at = steps[k].at;
      first = false;
    }
    for (std::size_t k = 0; k < steps.size() && k < total.size(); ++k) {
      const auto& s = steps[k];
      auto& t = total[k];
      t.added += s.added;
      add_totals(t.expired, s.expired);
      add_totals(t.transitioned, s.transitioned);
      add_totals(t.standard, s.standard);
      add_totals(t.archive, s.archive);
      add_totals(t.activating, s.activating);
      t.findings += s.findings;
      t.evaluated = t.evaluated || s.evaluated;
    }
  }
  return total;
}

namespace {

std::string policy_label(const registry_simulation_entry& e) {
  if (e.policy == "none") return "no policy";
  if (e.policy == "failed") return "failed";
  return e.policy;
}

std::string findings_change(const finding_counts& before, const finding_counts& after) {
  return detail::group_digits(before.total()) + " -> " + detail::group_digits(after.total());
}

std::string registry_in_use_table(const registry_simulation_document& doc) {
  if (!doc.has_in_use) return {};
  const auto rows = registry_removals(doc);
  std::string out;
  auto it = std::back_inserter(out);
  if (rows.empty()) {
    out += "In use: no in-use image is expired or transitioned over the simulation\n\n";
    return out;
  }
  const auto& first = rows.front();
  fmt::format_to(it, "IN USE: {} in-use image{} removed; the first at step {} ({})\n", rows.size(),
                 rows.size() == 1 ? " is" : "s are", first.rm.step,
                 format_timestamp(first.doc->result.steps[first.rm.step].at));
  for (const auto& r : rows) {
    const simulation_document& d = *r.doc;
    const image& img = image_at(d, r.rm.image_index);
    fmt::format_to(it, "  step {:>5}  {:<19}  {:<10}  rule {:>4}  {}  {:<19}  {}  in use as {}\n",
                   r.rm.step, format_timestamp(d.result.steps[r.rm.step].at).substr(0, 19),
                   r.rm.action == fate::expire ? "EXPIRE" : "TRANSITION",
                   r.rm.rule ? std::to_string(*r.rm.rule) : std::string("-"), r.repository,
                   short_digest(img.digest), tags_text(img), in_use_text(d, r.rm.image_index));
  }
  out += "\n";
  return out;
}

ordered_json summary_json(const simulation_summary& s, bool has_in_use) {
  ordered_json j;
  j["steps"] = s.steps;
  ordered_json first;
  first["standard"] = totals_json(s.first_standard);
  first["archive"] = totals_json(s.first_archive);
  first["activating"] = totals_json(s.first_activating);
  j["firstStep"] = first;
  ordered_json last;
  last["standard"] = totals_json(s.last_standard);
  last["archive"] = totals_json(s.last_archive);
  last["activating"] = totals_json(s.last_activating);
  j["lastStep"] = last;
  j["expired"] = totals_json(s.expired);
  j["transitioned"] = totals_json(s.transitioned);
  j["findingsBefore"] = findings_json(s.findings_before);
  j["findingsAfter"] = findings_json(s.findings_after);
  if (has_in_use) {
    j["inUseRemovals"] = s.in_use_removals;
    j["firstInUseRemovalStep"] =
        s.first_in_use_removal ? ordered_json(*s.first_in_use_removal) : ordered_json(nullptr);
  }
  return j;
}

ordered_json step_totals_json(std::size_t k, const simulation_step& s) {
  ordered_json sj;
  sj["step"] = k;
  sj["time"] = format_timestamp(s.at);
  sj["added"] = s.added;
  sj["expired"] = totals_json(s.expired);
  sj["transitioned"] = totals_json(s.transitioned);
  sj["standard"] = totals_json(s.standard);
  sj["archive"] = totals_json(s.archive);
  sj["activating"] = totals_json(s.activating);
  sj["total"] = totals_json(s.total());
  sj["findings"] = findings_json(s.findings);
  return sj;
}

}  // namespace

std::string render_registry_simulation_table(const registry_simulation_document& doc) {
  using detail::group_digits;
  using detail::human_bytes;
  std::string out = registry_in_use_table(doc);
  auto it = std::back_inserter(out);
  std::size_t simulated = 0;
  for (const auto& e : doc.repositories) simulated += e.simulation != nullptr ? 1U : 0U;
  fmt::format_to(it, "Registry simulation from {} to {}, every {} ({} mode)\n",
                 format_timestamp(doc.options.from), format_timestamp(doc.options.to),
                 format_interval(doc.options.every), doc.options.replay ? "replay" : "static");
  fmt::format_to(it, "{} repositories: {} simulated, {} skipped; policy: {}\n",
                 group_digits(doc.repositories.size()), group_digits(simulated),
                 group_digits(doc.repositories.size() - simulated),
                 doc.override_policy.empty() ? std::string("each repository's own")
                                             : std::string(doc.override_policy) + " for all");

  out += "\nRepositories (first step -> last step; standard includes activating)\n";
  fmt::format_to(it, "  {:<28}  {:<9}  {:>17}  {:>17}  {:>17}  {:>17}  {:>17}  {:>17}  {:>15}",
                 "Repository", "Policy", "Standard first", "Standard last", "Archive first",
                 "Archive last", "Expired", "Archived", "Findings");
  if (doc.has_in_use) fmt::format_to(it, "  {:>8}", "In use");
  out += "\n";
  const auto cell = [](const class_totals& t) {
    return group_digits(t.images) + " " + human_bytes(t.bytes);
  };
  const auto plus = [](class_totals a, const class_totals& b) {
    add_totals(a, b);
    return a;
  };
  for (const auto& e : doc.repositories) {
    if (e.simulation == nullptr) {
      fmt::format_to(it, "  {:<28}  {:<9}  skipped\n", e.name, policy_label(e));
      continue;
    }
    const auto s = summarize_simulation(*e.simulation);
    fmt::format_to(it, "  {:<28}  {:<9}  {:>17}  {:>17}  {:>17}  {:>17}  {:>17}  {:>17}  {:>15}",
                   e.name, policy_label(e), cell(plus(s.first_standard, s.first_activating)),
                   cell(plus(s.last_standard, s.last_activating)), cell(s.first_archive),
                   cell(s.last_archive), cell(s.expired), cell(s.transitioned),
                   findings_change(s.findings_before, s.findings_after));
    if (doc.has_in_use) {
      fmt::format_to(it, "  {:>8}",
                     s.first_in_use_removal ? "step " + std::to_string(*s.first_in_use_removal)
                                            : std::string("-"));
    }
    out += "\n";
  }

  const auto total = registry_simulation_total(doc.repositories);
  write_steps_text(out, total, "Registry total per step");
  class_totals expired;
  class_totals transitioned;
  for (const auto& s : total) {
    add_totals(expired, s.expired);
    add_totals(transitioned, s.transitioned);
  }
  out += "\nOver the simulation, all repositories\n";
  fmt::format_to(it, "  Expired      {:>8} {:>10}\n", group_digits(expired.images),
                 human_bytes(expired.bytes));
  fmt::format_to(it, "  Archived     {:>8} {:>10}\n", group_digits(transitioned.images),
                 human_bytes(transitioned.bytes));
  if (!total.empty()) {
    fmt::format_to(it, "  Findings     {}\n",
                   findings_change(total.front().findings, total.back().findings));
  }

  bool watch_header = false;
  for (const auto& e : doc.repositories) {
    if (e.simulation == nullptr) continue;
    const simulation_document& d = *e.simulation;
    for (const auto& w : d.watches) {
      for (const std::size_t i : w.images) {
        if (!watch_header) {
          out += "\nWatched images\n";
          watch_header = true;
        }
        fmt::format_to(it, "  {}: {} = {} [{}]\n    {}\n", e.name, w.key,
                       short_digest(image_at(d, i).digest), tags_text(image_at(d, i)),
                       watch_story(d, i));
      }
    }
  }
  return out;
}

std::string render_registry_simulation_json(const registry_simulation_document& doc) {
  ordered_json j;
  if (doc.has_in_use) {
    ordered_json removals = ordered_json::array();
    for (const auto& r : registry_removals(doc)) {
      const simulation_document& d = *r.doc;
      const image& img = image_at(d, r.rm.image_index);
      ordered_json x;
      x["repositoryName"] = std::string(r.repository);
      x["imageDigest"] = img.digest;
      x["imageTags"] = img.tags;
      x["step"] = r.rm.step;
      x["time"] = format_timestamp(d.result.steps[r.rm.step].at);
      x["action"] = r.rm.action == fate::expire ? "EXPIRE" : "TRANSITION";
      x["rulePriority"] = r.rm.rule ? ordered_json(*r.rm.rule) : ordered_json(nullptr);
      ordered_json refs = ordered_json::array();
      for (const std::size_t k : d.in_use[r.rm.image_index].refs) {
        if (k < d.in_use_refs.size()) refs.push_back(d.in_use_refs[k].text);
      }
      x["inUseReferences"] = std::move(refs);
      removals.push_back(std::move(x));
    }
    ordered_json iu;
    iu["firstRemovalStep"] = removals.empty() ? ordered_json(nullptr) : removals[0]["step"];
    iu["removals"] = std::move(removals);
    j["inUse"] = std::move(iu);
  }
  j["from"] = format_timestamp(doc.options.from);
  j["to"] = format_timestamp(doc.options.to);
  j["every"] = format_interval(doc.options.every);
  j["mode"] = doc.options.replay ? "replay" : "static";
  j["overridePolicy"] =
      doc.override_policy.empty() ? ordered_json(nullptr) : ordered_json(doc.override_policy);
  ordered_json repos = ordered_json::array();
  for (const auto& e : doc.repositories) {
    ordered_json rj;
    rj["repositoryName"] = e.name;
    rj["policy"] = e.policy;
    rj["simulated"] = e.simulation != nullptr;
    if (e.simulation != nullptr) {
      const simulation_document& d = *e.simulation;
      rj["summary"] = summary_json(summarize_simulation(d), doc.has_in_use);
      if (!d.watches.empty()) {
        ordered_json watches = ordered_json::array();
        for (const auto& w : d.watches) {
          ordered_json wj;
          wj["key"] = w.key;
          ordered_json found = ordered_json::array();
          for (const std::size_t i : w.images) found.push_back(image_json(d, i));
          wj["images"] = found;
          watches.push_back(wj);
        }
        rj["watch"] = watches;
      }
      ordered_json diags = ordered_json::array();
      for (const auto& dg : d.result.diagnostics) {
        ordered_json dj;
        dj["level"] = std::string(to_string(dg.level));
        dj["code"] = dg.code;
        dj["message"] = dg.message;
        diags.push_back(dj);
      }
      rj["diagnostics"] = diags;
    }
    repos.push_back(rj);
  }
  j["repositories"] = repos;
  ordered_json steps = ordered_json::array();
  const auto total = registry_simulation_total(doc.repositories);
  for (std::size_t k = 0; k < total.size(); ++k) steps.push_back(step_totals_json(k, total[k]));
  ordered_json tj;
  tj["steps"] = steps;
  j["total"] = tj;
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_registry_simulation_csv(const registry_simulation_document& doc) {
  std::string out =
      "scope,repository,policy,step,time,standardImages,standardBytes,archiveImages,archiveBytes,"
      "activatingImages,activatingBytes,expiredImages,expiredBytes,transitionedImages,"
      "transitionedBytes,findings,firstInUseRemovalStep\r\n";
  auto it = std::back_inserter(out);
  // expired/transitioned: through the row's step (cumulative).
  const auto row = [&](std::string_view scope, std::string_view name, std::string_view policy,
                       std::size_t k, const simulation_step& s, const class_totals& expired,
                       const class_totals& transitioned, std::string_view first_in_use) {
    fmt::format_to(it, "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", scope,
                   csv_field(name), policy, k, csv_field(format_timestamp(s.at)),
                   s.standard.images, s.standard.bytes, s.archive.images, s.archive.bytes,
                   s.activating.images, s.activating.bytes, expired.images, expired.bytes,
                   transitioned.images, transitioned.bytes, s.findings.total(), first_in_use);
  };
  for (const auto& e : doc.repositories) {
    if (e.simulation == nullptr) {
      fmt::format_to(it, "skipped,{},{},,,,,,,,,,,,,,\r\n", csv_field(e.name), e.policy);
      continue;
    }
    const auto& steps = e.simulation->result.steps;
    if (steps.empty()) continue;
    const auto s = summarize_simulation(*e.simulation);
    const std::string first_in_use =
        !doc.has_in_use ? std::string()
        : s.first_in_use_removal ? std::to_string(*s.first_in_use_removal)
                                 : std::string("none");
    row("start", e.name, e.policy, 0, steps.front(), steps.front().expired,
        steps.front().transitioned, first_in_use);
    row("end", e.name, e.policy, steps.size() - 1, steps.back(), s.expired, s.transitioned,
        first_in_use);
  }
  class_totals expired;
  class_totals transitioned;
  const auto total = registry_simulation_total(doc.repositories);
  for (std::size_t k = 0; k < total.size(); ++k) {
    add_totals(expired, total[k].expired);
    add_totals(transitioned, total[k].transitioned);
    row("total", "", "", k, total[k], expired, transitioned, "");
  }
  return out;
}

std::string render_registry_simulation_html(const registry_simulation_document& doc,
                                            std::size_t max_rows) {
  using detail::group_digits;
  using detail::human_bytes;
  std::string out = detail::html_page_start("Registry lifecycle policy simulation");
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
  if (doc.has_in_use) out += in_use_html(registry_removals(doc), true);

  class_totals expired;
  class_totals transitioned;
  for (const auto& s : total) {
    add_totals(expired, s.expired);
    add_totals(transitioned, s.transitioned);
  }
  fmt::format_to(it,
                 "<p>All repositories: <strong>{}</strong> images expired ({}), "
                 "<strong>{}</strong> archived ({}); {} images ({}) at the end; findings {}.</p>\n",
                 group_digits(expired.images), human_bytes(expired.bytes),
                 group_digits(transitioned.images), human_bytes(transitioned.bytes),
                 group_digits(total.empty() ? 0 : total.back().total().images),
                 human_bytes(total.empty() ? 0 : total.back().total().bytes),
                 total.empty() ? std::string("-")
                               : html_escape(findings_change(total.front().findings,
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
  const auto plus = [](class_totals a, const class_totals& b) {
    add_totals(a, b);
    return a;
  };
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
                   html_escape(e.name), k, html_escape(policy_label(e)),
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
    fmt::format_to(it, "<p>Policy: {}. {}</p>\n", html_escape(policy_label(e)),
                   html_escape(inventory_sentence(d)));
    out += outcome_html(d);
    out += simulation_body_html(d, max_rows, "repo-" + std::to_string(k) + "-", "h3");
  }
  out += detail::html_page_end();
  return out;
}

}  // namespace ecrlp
