// SPDX-License-Identifier: MIT
// A simulation as JSON: range, summary, every step, every image's timeline, watches, diagnostics
// (docs/simulate.md#json); the registry simulation: every repository's summary and the total.

#include <string>

#include "document/phrases.hpp"
#include "document/simulation.hpp"
#include "render/json/json.hpp"
#include "render/json/parts.hpp"

namespace ecrlp::writer::json {
namespace {

using detail::image_at;

void image_json(json_writer& w, const simulation_document& doc, std::size_t i) {
  const image& img = image_at(doc, i);
  const auto& line = doc.result.images[i];
  const auto& steps = doc.result.steps;
  w.begin_object();
  w.key("imageDigest").string(img.digest);
  if (i >= doc.images.size()) w.key("synthetic").boolean(true);
  if (!img.tags.empty()) w.key("imageTags").strings(img.tags);
  w.key("imagePushedAt").timestamp(img.pushed_at);
  w.key("imageSizeInBytes").number(img.size_bytes);
  std::string_view outcome = "notSimulated";
  if (line.joined) {
    outcome = line.expired ? "expired" : line.transitioned ? "archived" : "kept";
    w.key("joinedStep").number(*line.joined);
    w.key("joinedAt").timestamp(steps[*line.joined].at);
  }
  w.key("outcome").string(outcome);
  if (line.transitioned) {
    w.key("transitionedStep").number(*line.transitioned);
    w.key("transitionedAt").timestamp(steps[*line.transitioned].at);
    if (line.transition_rule) w.key("transitionRulePriority").number(*line.transition_rule);
  }
  if (line.expired) {
    w.key("expiredStep").number(*line.expired);
    w.key("expiredAt").timestamp(steps[*line.expired].at);
    if (line.expire_rule) w.key("expireRulePriority").number(*line.expire_rule);
  }
  w.end_object();
}

void watches_json(json_writer& w, const simulation_document& doc) {
  if (doc.watches.empty()) return;
  w.key("watch").begin_array();
  for (const auto& watch : doc.watches) {
    w.begin_object();
    w.key("key").string(watch.key);
    w.key("images").begin_array();
    for (const std::size_t i : watch.images) image_json(w, doc, i);
    w.end_array();
    w.end_object();
  }
  w.end_array();
}

/// `"inUse": {"firstRemovalStep", "removals": [...]}` (docs/simulate.md#in-use).
void in_use_json(json_writer& w, std::span<const detail::removal_row> rows, bool with_repository) {
  w.key("inUse").begin_object();
  if (rows.empty()) {
    w.key("firstRemovalStep").null();
  } else {
    w.key("firstRemovalStep").number(rows.front().rm.step);
  }
  w.key("removals").begin_array();
  for (const auto& r : rows) {
    const simulation_document& d = *r.doc;
    const image& img = image_at(d, r.rm.image_index);
    w.begin_object();
    if (with_repository) w.key("repositoryName").string(r.repository);
    w.key("imageDigest").string(img.digest);
    w.key("imageTags").strings(img.tags);
    w.key("step").number(r.rm.step);
    w.key("time").timestamp(d.result.steps[r.rm.step].at);
    w.key("action").string(r.rm.action == fate::expire ? "EXPIRE" : "TRANSITION");
    if (r.rm.rule) {
      w.key("rulePriority").number(*r.rm.rule);
    } else {
      w.key("rulePriority").null();
    }
    w.key("inUseReferences").begin_array();
    for (const std::size_t k : d.in_use[r.rm.image_index].refs) {
      if (k < d.in_use_refs.size()) w.string(d.in_use_refs[k].text);
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

void range_json(json_writer& w, const simulation_options& o) {
  w.key("from").timestamp(o.from);
  w.key("to").timestamp(o.to);
  w.key("every").string(format_interval(o.every));
  w.key("mode").string(o.replay ? "replay" : "static");
}

void summary_json(json_writer& w, const simulation_document& doc, const detail::run_totals& t) {
  const auto& r = doc.result;
  w.key("summary").begin_object();
  w.key("steps").number(r.steps.size());
  w.key("evaluations").number(r.evaluations);
  w.key("inventoryImages").number(doc.images.size());
  class_totals_json(w.key("initial"), r.initial);
  w.key("joinedLater").number(detail::joined_later(doc));
  w.key("pushedAfterEnd").number(detail::never_joined(doc));
  w.key("syntheticPushes").number(r.synthetic.size());
  class_totals_json(w.key("expired"), t.expired);
  class_totals_json(w.key("transitioned"), t.transitioned);
  if (!r.steps.empty()) class_totals_json(w.key("final"), r.steps.back().total());
  w.end_object();
}

void steps_json(json_writer& w, const simulation_result& r) {
  w.key("steps").begin_array();
  for (std::size_t k = 0; k < r.steps.size(); ++k) {
    const auto& s = r.steps[k];
    w.begin_object();
    w.key("step").number(k);
    w.key("time").timestamp(s.at);
    w.key("evaluated").boolean(s.evaluated);
    w.key("added").number(s.added);
    class_totals_json(w.key("expired"), s.expired);
    class_totals_json(w.key("transitioned"), s.transitioned);
    w.key("actedByRule").begin_object();
    for (std::size_t q = 0; q < s.acted_by_rule.size(); ++q) {
      if (s.acted_by_rule[q] != 0) {
        w.key(std::to_string(r.rule_priorities[q])).number(s.acted_by_rule[q]);
      }
    }
    w.end_object();
    class_totals_json(w.key("standard"), s.standard);
    class_totals_json(w.key("archive"), s.archive);
    class_totals_json(w.key("activating"), s.activating);
    class_totals_json(w.key("total"), s.total());
    findings(w.key("findings"), s.findings, severity_keys::lower);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

void write(output& out, const simulation_document& doc, const render_options&) {
  const auto& r = doc.result;
  json_writer w(out, 2);
  w.begin_object();
  if (doc.has_in_use) {
    // In-use images removed come first (docs/simulate.md#in-use).
    std::vector<detail::removal_row> rows;
    for (const auto& rm : in_use_removals(doc)) rows.push_back({{}, &doc, rm});
    in_use_json(w, rows, false);
  }
  range_json(w, doc.options);
  const auto t = detail::totals_over(r);
  summary_json(w, doc, t);
  w.key("rules").begin_array();
  for (std::size_t k = 0; k < r.rule_priorities.size(); ++k) {
    w.begin_object();
    w.key("rulePriority").number(r.rule_priorities[k]);
    const rule* rl = detail::find_rule(doc.policy, r.rule_priorities[k]);
    if (rl != nullptr) w.key("action").string(to_string(rl->action.type));
    w.key("actedOn").number(t.by_rule[k]);
    w.end_object();
  }
  w.end_array();
  steps_json(w, r);
  w.key("images").begin_array();
  for (std::size_t i = 0; i < r.images.size(); ++i) image_json(w, doc, i);
  w.end_array();
  watches_json(w, doc);
  diagnostics_array(w.key("diagnostics"), r.diagnostics, diagnostic_members::brief);
  w.end_object();
  w.finish();
  out.put('\n');
}

namespace {

void summary_object(json_writer& w, const simulation_summary& s, bool has_in_use) {
  w.begin_object();
  w.key("steps").number(s.steps);
  w.key("firstStep").begin_object();
  class_totals_json(w.key("standard"), s.first_standard);
  class_totals_json(w.key("archive"), s.first_archive);
  class_totals_json(w.key("activating"), s.first_activating);
  w.end_object();
  w.key("lastStep").begin_object();
  class_totals_json(w.key("standard"), s.last_standard);
  class_totals_json(w.key("archive"), s.last_archive);
  class_totals_json(w.key("activating"), s.last_activating);
  w.end_object();
  class_totals_json(w.key("expired"), s.expired);
  class_totals_json(w.key("transitioned"), s.transitioned);
  findings(w.key("findingsBefore"), s.findings_before, severity_keys::lower);
  findings(w.key("findingsAfter"), s.findings_after, severity_keys::lower);
  if (has_in_use) {
    w.key("inUseRemovals").number(s.in_use_removals);
    if (s.first_in_use_removal) {
      w.key("firstInUseRemovalStep").number(*s.first_in_use_removal);
    } else {
      w.key("firstInUseRemovalStep").null();
    }
  }
  w.end_object();
}

void step_totals(json_writer& w, std::size_t k, const simulation_step& s) {
  w.begin_object();
  w.key("step").number(k);
  w.key("time").timestamp(s.at);
  w.key("added").number(s.added);
  class_totals_json(w.key("expired"), s.expired);
  class_totals_json(w.key("transitioned"), s.transitioned);
  class_totals_json(w.key("standard"), s.standard);
  class_totals_json(w.key("archive"), s.archive);
  class_totals_json(w.key("activating"), s.activating);
  class_totals_json(w.key("total"), s.total());
  findings(w.key("findings"), s.findings, severity_keys::lower);
  w.end_object();
}

}  // namespace

void write(output& out, const registry_simulation_document& doc, const render_options&) {
  json_writer w(out, 2);
  w.begin_object();
  if (doc.has_in_use) in_use_json(w, detail::registry_removals(doc), true);
  range_json(w, doc.options);
  if (doc.override_policy.empty()) {
    w.key("overridePolicy").null();
  } else {
    w.key("overridePolicy").string(doc.override_policy);
  }
  w.key("repositories").begin_array();
  for (const auto& e : doc.repositories) {
    w.begin_object();
    w.key("repositoryName").string(e.name);
    w.key("policy").string(e.policy);
    w.key("simulated").boolean(e.simulation != nullptr);
    if (e.simulation != nullptr) {
      const simulation_document& d = *e.simulation;
      summary_object(w.key("summary"), summarize_simulation(d), doc.has_in_use);
      watches_json(w, d);
      diagnostics_array(w.key("diagnostics"), d.result.diagnostics, diagnostic_members::brief);
    }
    w.end_object();
  }
  w.end_array();
  w.key("total").begin_object();
  w.key("steps").begin_array();
  const auto total = registry_simulation_total(doc.repositories);
  for (std::size_t k = 0; k < total.size(); ++k) step_totals(w, k, total[k]);
  w.end_array();
  w.end_object();
  w.end_object();
  w.finish();
  out.put('\n');
}

}  // namespace ecrlp::writer::json
