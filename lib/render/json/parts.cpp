// SPDX-License-Identifier: MIT
#include "render/json/parts.hpp"

#include "document/phrases.hpp"

namespace ecrlp::writer::json {

void findings(json_writer& w, const finding_counts& f, severity_keys keys) {
  const bool upper = keys == severity_keys::upper;
  w.begin_object();
  w.key(upper ? "CRITICAL" : "critical").number(f.critical);
  w.key(upper ? "HIGH" : "high").number(f.high);
  w.key(upper ? "MEDIUM" : "medium").number(f.medium);
  w.key(upper ? "LOW" : "low").number(f.low);
  w.key(upper ? "INFORMATIONAL" : "informational").number(f.informational);
  w.key(upper ? "UNDEFINED" : "undefined").number(f.undefined);
  w.key("total").number(f.total());
  w.end_object();
}

void totals(json_writer& w, const image_totals& t, severity_keys keys) {
  w.begin_object();
  w.key("images").number(t.images);
  w.key("bytes").number(t.bytes);
  findings(w.key("findings"), t.findings, keys);
  w.end_object();
}

void class_totals_json(json_writer& w, const class_totals& t) {
  w.begin_object();
  w.key("images").number(t.images);
  w.key("bytes").number(t.bytes);
  w.end_object();
}

void diagnostic_members_of(json_writer& w, const diagnostic& d, diagnostic_members members) {
  w.begin_object();
  w.key("level").string(to_string(d.level));
  w.key("code").string(d.code);
  if (members != diagnostic_members::brief) {
    if (!d.file.empty()) w.key("file").string(d.file);
    if (!d.address.empty()) w.key("address").string(d.address);
    if (members == diagnostic_members::full || !d.pointer.empty()) {
      w.key("pointer").string(d.pointer);
    }
    if (d.line != 0) {
      w.key("line").number(d.line);
      w.key("column").number(d.column);
    }
  }
  w.key("message").string(d.message);
  if (members == diagnostic_members::full && !d.aws_message.empty()) {
    w.key("awsMessage").string(d.aws_message);
  }
}

void diagnostics_array(json_writer& w, std::span<const diagnostic> diags,
                       diagnostic_members members) {
  w.begin_array();
  for (const auto& d : diags) {
    diagnostic_members_of(w, d, members);
    w.end_object();
  }
  w.end_array();
}

double json_dollars(double dollars) noexcept {
  return static_cast<double>(to_cents(dollars)) / 100.0;
}

void reference_object(json_writer& w, const in_use_ref& r) {
  w.begin_object();
  w.key("reference").string(r.text);
  w.key("file").string(r.source);
  if (r.line != 0) w.key("line").number(r.line);
  if (!r.pointer.empty()) w.key("pointer").string(r.pointer);
  w.end_object();
}

void violation_members(json_writer& w, std::span<const image> images, const in_use_violation& v,
                       std::span<const in_use_ref> refs) {
  const image& img = images[v.image_index];
  w.key("imageDigest").string(img.digest);
  if (!img.tags.empty()) w.key("imageTags").strings(img.tags);
  w.key("imagePushedAt").timestamp(img.pushed_at);
  w.key("action").string(detail::action_api(v.action));
  w.key("appliedRulePriority").number(v.rule_priority);
  if (v.related == relation::referrer) w.key("followsSubject").boolean(true);
  w.key("inUseReferences").begin_array();
  for (const std::size_t k : v.refs) {
    if (k >= refs.size()) continue;
    reference_object(w, refs[k]);
  }
  w.end_array();
  if (!v.through.empty()) {
    w.key("throughIndexes").begin_array();
    for (const std::size_t t : v.through) {
      if (t < images.size()) w.string(images[t].digest);
    }
    w.end_array();
  }
}

}  // namespace ecrlp::writer::json
