// SPDX-License-Identifier: MIT
// The preview as JSON: the shape of `aws ecr get-lifecycle-policy-preview`, plus one extra object
// `ecrlpReport` (docs/cli.md#json); diagnostics and `ecrlp validate` as JSON.

#include <ecrlp/version.hpp>

#include <vector>

#include "document/phrases.hpp"
#include "render/json/json.hpp"
#include "render/json/parts.hpp"
#include "render/prefetch.hpp"

namespace ecrlp::writer::json {
namespace {

/// `"action": {"type": ..., "targetStorageClass": "ARCHIVE"}` as previewResults write it.
void action_json(json_writer& w, fate f) {
  w.key("action").begin_object();
  w.key("type").string(detail::action_api(f));
  if (f == fate::transition) w.key("targetStorageClass").string("ARCHIVE");
  w.end_object();
}

void image_tags_json(json_writer& w, const image& img) {
  if (img.tags.empty()) return;
  w.key("imageTags").begin_array();
  for (const auto& tag : img.tags) w.string(tag);
  w.end_array();
}

/// One element of ecrlpInUseViolations (docs/in-use.md#reports).
void violation_json(json_writer& w, const preview_document& doc, const in_use_violation& v) {
  const auto refs = detail::view_of(doc.in_use_refs);
  const image& img = doc.images[v.image_index];
  w.begin_object();
  image_tags_json(w, img);
  w.key("imageDigest").string(img.digest);
  w.key("imagePushedAt").timestamp(img.pushed_at);
  w.key("imageSizeInBytes").number(img.size_bytes);
  action_json(w, v.action);
  w.key("appliedRulePriority").number(v.rule_priority);
  if (v.related != relation::none) w.key("relation").string(to_string(v.related));
  w.key("storageClass").string(detail::storage_class_api(img));
  w.key("references").begin_array();
  for (const std::size_t r : v.refs) {
    if (r >= refs.size()) continue;
    const in_use_ref& ref = refs[r];
    w.begin_object();
    w.key("reference").string(ref.text);
    w.key("source").string(ref.source);
    if (!ref.pointer.empty()) w.key("pointer").string(ref.pointer);
    if (ref.line != 0) {
      w.key("line").number(ref.line);
      w.key("column").number(ref.column);
    }
    w.end_object();
  }
  w.end_array();
  if (!v.through.empty()) {
    w.key("throughIndexes").begin_array();
    for (const std::size_t t : v.through) {
      if (t >= doc.images.size()) continue;
      w.begin_object();
      image_tags_json(w, doc.images[t]);
      w.key("imageDigest").string(doc.images[t].digest);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
}

void storage_bytes_json(json_writer& w, const storage_bytes& b) {
  w.begin_object();
  w.key("standard").number(b.standard);
  w.key("archive").number(b.archive);
  w.end_object();
}

/// ecrlpReport.impact (docs/impact.md#reports).
void impact_json(json_writer& w, const impact& im) {
  w.begin_object();
  w.key("currency").string("USD");
  w.key("prices").begin_object();
  w.key("standardPerGbMonth").real(im.prices.standard_per_gb_month);
  w.key("archivePerGbMonth").real(im.prices.archive_per_gb_month);
  w.key("archiveMinimumDays").number(im.prices.archive_minimum_days);
  w.key("bytesPerGb").number(im.prices.bytes_per_gb);
  w.end_object();
  w.key("bytesFreed").number(im.bytes_freed());
  w.key("monthlyCostBefore").real(json_dollars(im.monthly_cost_before()));
  w.key("monthlyCostAfter").real(json_dollars(im.monthly_cost_after()));
  w.key("monthlySaving").real(json_dollars(im.monthly_saving()));
  w.key("archiveMinimumCharge").real(json_dollars(im.archive_minimum_charge()));
  totals(w.key("before"), im.before, severity_keys::upper);
  storage_bytes_json(w.key("beforeBytes"), im.before_bytes);
  totals(w.key("expired"), im.expired, severity_keys::upper);
  totals(w.key("transitioned"), im.transitioned, severity_keys::upper);
  totals(w.key("after"), im.after, severity_keys::upper);
  storage_bytes_json(w.key("afterBytes"), im.after_bytes);
  w.key("rules").begin_array();
  for (const rule_impact& r : im.rules) {
    w.begin_object();
    w.key("rulePriority").number(r.priority);
    totals(w.key("expired"), r.expired, severity_keys::upper);
    storage_bytes_json(w.key("expiredBytes"), r.expired_bytes);
    totals(w.key("transitioned"), r.transitioned, severity_keys::upper);
    w.key("monthlySaving").real(json_dollars(r.monthly_saving(im.prices)));
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

/// previewResults: the images expired or transitioned, oldest first.
void preview_results(json_writer& w, const preview_document& doc, const std::vector<bool>& in_use) {
  w.key("previewResults").begin_array();
  const std::vector<std::size_t>& order = doc.result.order;
  for (std::size_t k = 0; k < order.size(); ++k) {
    prefetch_ahead(doc.images, order, k);
    const std::size_t i = order[k];
    const auto& dec = doc.result.decisions[i];
    if (dec.action == fate::keep) continue;
    const image& img = doc.images[i];
    w.begin_object();
    image_tags_json(w, img);
    w.key("imageDigest").string(img.digest);
    w.key("imagePushedAt").timestamp(img.pushed_at);
    action_json(w, dec.action);
    w.key("appliedRulePriority").number(*dec.owner);
    w.key("storageClass").string(detail::storage_class_api(img));
    if (!in_use.empty() && in_use[i]) w.key("ecrlpInUse").boolean(true);
    w.end_object();
  }
  w.end_array();
}

void summary(json_writer& w, const evaluation_result& result) {
  w.key("summary").begin_object();
  w.key("expiringImageTotalCount").number(result.expiring);
  if (result.transitioning > 0) {
    w.key("transitioningImageTotalCounts").begin_array();
    w.begin_object();
    w.key("targetStorageClass").string("ARCHIVE");
    w.key("imageTotalCount").number(result.transitioning);
    w.end_object();
    w.end_array();
  }
  w.end_object();
}

/// ecrlpReport: everything beyond AWS's shape, under one key, so AWS-shaped consumers keep working.
void ecrlp_report(json_writer& w, const preview_document& doc) {
  const preview_totals sums = summarize(doc.images, doc.result);
  w.key("ecrlpReport").begin_object();
  w.key("version").string(version_string);
  w.key("now").timestamp(doc.now);
  w.key("rules").begin_array();
  for (const auto& rs : doc.result.rules) {
    const rule* r = detail::find_rule(doc.policy, rs.priority);
    const auto acts = detail::acts_of(r, rs);
    w.begin_object();
    w.key("rulePriority").number(rs.priority);
    if (r != nullptr && !r->description.empty()) w.key("description").string(r->description);
    w.key("identified").number(rs.identified);
    w.key("marked").number(rs.marked);
    w.key("owned").number(rs.owned);
    w.key("kept").number(acts.kept);
    w.key("expired").number(acts.expired);
    w.key("transitioned").number(acts.transitioned);
    w.key("ownedBytes").number(rs.owned_bytes);
    w.key("actedBytes").number(rs.acted_bytes);
    w.end_object();
  }
  w.end_array();
  std::size_t unowned = 0;
  for (const auto& d : doc.result.decisions) unowned += d.owner ? 0U : 1U;
  w.key("unselectedImages").number(unowned);
  w.key("totals").begin_object();
  totals(w.key("before"), sums.before, severity_keys::upper);
  totals(w.key("expired"), sums.expired, severity_keys::upper);
  totals(w.key("transitioned"), sums.transitioned, severity_keys::upper);
  totals(w.key("kept"), sums.kept, severity_keys::upper);
  totals(w.key("after"), sums.after, severity_keys::upper);
  totals(w.key("afterStandard"), sums.after_standard, severity_keys::upper);
  totals(w.key("afterArchive"), sums.after_archive, severity_keys::upper);
  w.end_object();
  diagnostics_array(w.key("warnings"), doc.result.warnings, diagnostic_members::full);
  if (doc.impact != nullptr) impact_json(w.key("impact"), *doc.impact);
  w.end_object();
}

}  // namespace

// Byte for byte what nlohmann's dump(4) printed for the same tree (tests/perf_report_test.cpp
// compares both on random documents); a DOM of 100,000 results cost more than evaluating them.
void write(output& out, const preview_document& doc, const render_options&) {
  std::size_t acted = 0;
  for (const auto& dec : doc.result.decisions) acted += dec.action == fate::keep ? 0U : 1U;
  // Generous: pages of the reservation that are never written are never touched, while growing
  // would copy everything written so far.
  out.reserve(65536 + doc.policy_text.size() * 6 + acted * 1024);
  json_writer w(out, 4);
  w.begin_object();
  if (!doc.registry_id.empty()) w.key("registryId").string(doc.registry_id);
  if (!doc.repository_name.empty()) w.key("repositoryName").string(doc.repository_name);
  w.key("lifecyclePolicyText").string(doc.policy_text);
  w.key("status").string("COMPLETE");
  std::vector<bool> in_use;
  if (doc.has_in_use()) {
    // Violations first (issue 7), before AWS's results; an empty array says "none".
    in_use = detail::in_use_flags(doc.images.size(), detail::view_of(doc.in_use),
                                  detail::view_of(doc.violations));
    w.key("ecrlpInUseViolations").begin_array();
    for (const auto& v : detail::view_of(doc.violations)) {
      if (v.image_index < doc.images.size()) violation_json(w, doc, v);
    }
    w.end_array();
  }
  preview_results(w, doc, in_use);
  summary(w, doc.result);
  ecrlp_report(w, doc);
  w.end_object();
  w.finish();
  out.put('\n');
}

void write(output& out, const diagnostics_document& doc, const render_options&) {
  json_writer w(out, 2);
  diagnostics_array(w, doc.diagnostics, diagnostic_members::full);
  w.finish();
  out.put('\n');
}

void write(output& out, const validation_document& doc, const render_options&) {
  json_writer w(out, 2);
  w.begin_object();
  w.key("valid").boolean(doc.valid);
  w.key("files").begin_array();
  for (const auto& p : doc.policies) {
    w.begin_object();
    w.key("file").string(p.file);
    if (!p.repository.empty()) w.key("repositoryName").string(p.repository);
    w.key("valid").boolean(p.valid);
    if (p.rules) w.key("rules").number(*p.rules);
    diagnostics_array(w.key("diagnostics"), p.diagnostics, diagnostic_members::full);
    w.end_object();
  }
  w.end_array();
  if (doc.registry) w.key("repositoriesWithoutPolicy").strings(doc.without_policy);
  w.end_object();
  w.finish();
  out.put('\n');
}

}  // namespace ecrlp::writer::json
