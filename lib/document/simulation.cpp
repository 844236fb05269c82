// SPDX-License-Identifier: MIT
#include "document/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include <fmt/format.h>

#include "document/explanation.hpp"
#include "document/phrases.hpp"
#include "support/text.hpp"

namespace ecrlp {
namespace detail {

const image& image_at(const simulation_document& doc, std::size_t i) {
  return i < doc.images.size() ? doc.images[i] : doc.result.synthetic[i - doc.images.size()];
}

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

bool step_changed(const simulation_step& s) noexcept {
  return s.added != 0 || s.expired.images != 0 || s.transitioned.images != 0;
}

std::vector<std::size_t> shown_steps(std::span<const simulation_step> steps) {
  std::vector<std::size_t> shown;
  for (std::size_t k = 0; k < steps.size(); ++k) {
    if (k == 0 || k + 1 == steps.size() || step_changed(steps[k])) shown.push_back(k);
  }
  return shown;
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
        if (found != at.end()) why[e] = explanation_text(ex, found->second);
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

/// The references of an in-use image, "text (file:line)", comma-separated.
std::string in_use_text(const simulation_document& doc, std::size_t i) {
  std::string out;
  if (i >= doc.in_use.size()) return out;
  for (const std::size_t k : doc.in_use[i].refs) {
    if (k >= doc.in_use_refs.size()) continue;
    const auto& r = doc.in_use_refs[k];
    out += out.empty() ? "" : ", ";
    out += reference_with_line(r);
  }
  for (const std::size_t t : doc.in_use[i].through) {
    out += out.empty() ? "" : ", ";
    out += "through index " + image_at(doc, t).digest;
  }
  return out;
}

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

std::string policy_label(const registry_simulation_entry& e) {
  if (e.policy == "none") return "no policy";
  if (e.policy == "failed") return "failed";
  return e.policy;
}

std::string findings_change(const finding_counts& before, const finding_counts& after) {
  return group_digits(before.total()) + " -> " + group_digits(after.total());
}

/// Counts of one simulation: inventory, present at the start, joining later, synthetic pushes.
std::string inventory_sentence(const simulation_document& doc) {
  const auto& r = doc.result;
  return fmt::format("{} images in the inventory, {} present at the start, {} joining later{}.",
                     group_digits(doc.images.size()), group_digits(r.initial.images),
                     group_digits(joined_later(doc)),
                     r.synthetic.empty()
                         ? std::string()
                         : ", " + group_digits(r.synthetic.size()) + " synthetic pushes");
}

}  // namespace detail

using detail::image_at;
using detail::totals_over;

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
      t.expired = detail::plus(t.expired, s.expired);
      t.transitioned = detail::plus(t.transitioned, s.transitioned);
      t.standard = detail::plus(t.standard, s.standard);
      t.archive = detail::plus(t.archive, s.archive);
      t.activating = detail::plus(t.activating, s.activating);
      t.findings += s.findings;
      t.evaluated = t.evaluated || s.evaluated;
    }
  }
  return total;
}

}  // namespace ecrlp
