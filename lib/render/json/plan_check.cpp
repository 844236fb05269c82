// SPDX-License-Identifier: MIT
// A plan check as JSON (docs/iac.md#json): the in-use violations, the limits, and per change its
// address, action, repository and, when evaluated, the diff object `ecrlp diff --format json`
// writes for the two policies.

#include <cmath>

#include "document/plan_check.hpp"
#include "render/json/json.hpp"
#include "render/json/parts.hpp"

namespace ecrlp::writer::json {
namespace {

void change_object(json_writer& w, const plan_check_document& doc, const policy_change_check& c) {
  w.begin_object();
  w.key("address").string(c.change.address);
  w.key("action").string(c.change.action);
  if (c.change.repository.empty()) {
    w.key("repositoryName").null();
  } else {
    w.key("repositoryName").string(c.change.repository);
  }
  w.key("evaluated").boolean(c.evaluated);
  if (!c.evaluated) {
    w.key("skipped").string(c.change.skipped);
    w.end_object();
    return;
  }
  w.key("removed").begin_object();
  w.key("images").number(c.removed().images);
  w.key("bytes").number(c.removed().bytes);
  w.key("percent").real(std::round(c.removed_percent() * 100) / 100);
  w.end_object();
  if (doc.in_use_given) {
    w.key("inUseViolations").begin_array();
    for (std::size_t k = 0; k < c.violations.size(); ++k) {
      w.begin_object();
      w.key("newInThisChange").boolean(!c.already[k]);
      violation_members(w, c.images, c.violations[k], doc.in_use_refs);
      w.end_object();
    }
    w.end_array();
  }
  diff_object(w.key("diff"), document_of(c, doc.now));
  w.end_object();
}

void limits_object(json_writer& w, const plan_check_document& doc) {
  w.begin_object();
  if (doc.limits.max_removed_percent) {
    w.key("maxRemovedPercent").real(*doc.limits.max_removed_percent);
    w.key("exceededBy").begin_array();
    for (const std::size_t k : doc.over_percent()) w.string(doc.changes[k].change.address);
    w.end_array();
  }
  if (doc.limits.max_removed_bytes) {
    w.key("maxRemovedBytes").number(*doc.limits.max_removed_bytes);
    w.key("bytesExceeded").boolean(doc.over_bytes());
  }
  w.key("exceeded").boolean(doc.exceeds_limits());
  w.end_object();
}

}  // namespace

void write(output& out, const plan_check_document& doc, const render_options&) {
  json_writer w(out, 2);
  w.begin_object();
  w.key("source").string(doc.source);
  w.key("images").string(doc.images_source);
  w.key("now").timestamp(doc.now);
  w.key("changes").begin_array();
  for (const auto& c : doc.changes) change_object(w, doc, c);
  w.end_array();
  w.key("totals").begin_object();
  w.key("changes").number(doc.changes.size());
  w.key("skipped").number(doc.skipped_count());
  w.key("unchanged").number(doc.unchanged);
  w.key("removedImages").number(doc.removed().images);
  w.key("removedBytes").number(doc.removed().bytes);
  if (doc.in_use_given) {
    w.key("inUseViolations").number(doc.violation_count());
  } else {
    w.key("inUseViolations").null();
  }
  w.end_object();
  limits_object(w.key("limits"), doc);
  w.end_object();
  w.finish();
  out.put('\n');
}

}  // namespace ecrlp::writer::json
