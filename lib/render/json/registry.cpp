// SPDX-License-Identifier: MIT
// A registry preview as JSON (docs/registry-snapshot.md#json): in-use violations first, then per
// repository the AWS preview shape (`previewResults`, `summary`) and its `ecrlpImpact`, then the
// totals.

#include <ecrlp/version.hpp>

#include <vector>

#include "document/phrases.hpp"
#include "render/json/json.hpp"
#include "render/json/parts.hpp"

namespace ecrlp::writer::json {
namespace {

void impact_object(json_writer& w, const impact& e, bool with_rules) {
  const auto lower = severity_keys::lower;
  w.begin_object();
  w.key("prices").begin_object();
  w.key("standardPerGbMonth").real(e.prices.standard_per_gb_month);
  w.key("archivePerGbMonth").real(e.prices.archive_per_gb_month);
  w.key("archiveMinimumDays").number(e.prices.archive_minimum_days);
  w.key("bytesPerGb").number(e.prices.bytes_per_gb);
  w.end_object();
  w.key("bytesBefore").number(e.before.bytes);
  w.key("bytesFreed").number(e.bytes_freed());
  w.key("bytesTransitioned").number(e.transitioned.bytes);
  w.key("bytesAfter").number(e.after.bytes);
  w.key("standardBytesBefore").number(e.before_bytes.standard);
  w.key("archiveBytesBefore").number(e.before_bytes.archive);
  w.key("standardBytesAfter").number(e.after_bytes.standard);
  w.key("archiveBytesAfter").number(e.after_bytes.archive);
  w.key("monthlyCostBefore").real(json_dollars(e.monthly_cost_before()));
  w.key("monthlyCostAfter").real(json_dollars(e.monthly_cost_after()));
  w.key("monthlySaving").real(json_dollars(e.monthly_saving()));
  w.key("archiveMinimumCharge").real(json_dollars(e.archive_minimum_charge()));
  findings(w.key("findingsBefore"), e.before.findings, lower);
  findings(w.key("findingsAfter"), e.after.findings, lower);
  findings(w.key("findingsRemoved"), e.expired.findings, lower);
  if (with_rules) {
    w.key("rules").begin_array();
    for (const auto& r : e.rules) {
      w.begin_object();
      w.key("rulePriority").number(r.priority);
      w.key("expiredImages").number(r.expired.images);
      w.key("bytesFreed").number(r.expired.bytes);
      w.key("transitionedImages").number(r.transitioned.images);
      w.key("bytesTransitioned").number(r.transitioned.bytes);
      w.key("findingsRemoved").number(r.expired.findings.total());
      w.key("monthlySaving").real(json_dollars(r.monthly_saving(e.prices)));
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
}


void preview_results(json_writer& w, const repository_outcome& o) {
  w.key("previewResults").begin_array();
  if (o.result != nullptr) {
    for (const std::size_t i : o.result->order) {
      const auto& d = o.result->decisions[i];
      if (d.action == fate::keep) continue;
      const image& img = o.images[i];
      w.begin_object();
      if (!img.tags.empty()) w.key("imageTags").strings(img.tags);
      w.key("imageDigest").string(img.digest);
      w.key("imagePushedAt").timestamp(img.pushed_at);
      w.key("action").begin_object();
      w.key("type").string(detail::action_api(d.action));
      if (d.action == fate::transition) w.key("targetStorageClass").string("ARCHIVE");
      w.end_object();
      w.key("appliedRulePriority").number(d.owner.value_or(0));
      w.key("storageClass").string(detail::storage_class_api(img));
      w.end_object();
    }
  }
  w.end_array();
}

void summary(json_writer& w, const evaluation_result& r) {
  w.key("summary").begin_object();
  w.key("expiringImageTotalCount").number(r.expiring);
  if (r.transitioning > 0) {
    w.key("transitioningImageTotalCounts").begin_array();
    w.begin_object();
    w.key("targetStorageClass").string("ARCHIVE");
    w.key("imageTotalCount").number(r.transitioning);
    w.end_object();
    w.end_array();
  }
  w.end_object();
}

void preview_totals_members(json_writer& w, const preview_totals& t) {
  totals(w.key("before"), t.before, severity_keys::lower);
  totals(w.key("expired"), t.expired, severity_keys::lower);
  totals(w.key("transitioned"), t.transitioned, severity_keys::lower);
  totals(w.key("after"), t.after, severity_keys::lower);
}

void repository(json_writer& w, const registry_document& doc, std::size_t k) {
  const auto& repo = doc.snapshot.repositories[k];
  const auto& rr = doc.result.repositories[k];
  const auto& o = doc.outcomes[k];
  w.begin_object();
  if (!repo.registry_id.empty()) w.key("registryId").string(repo.registry_id);
  w.key("repositoryName").string(repo.name);
  w.key("evaluated").boolean(rr.evaluated);
  if (!rr.evaluated) {
    diagnostics_array(w.key("errors"), repo.diagnostics, diagnostic_members::located);
    w.end_object();
    return;
  }
  w.key("policySource").string(to_string(rr.source));
  preview_results(w, o);
  summary(w, rr.evaluation);
  w.key("guardedByIndex").number(rr.evaluation.guarded);
  w.key("referrersFollowing").number(rr.evaluation.referrers);
  if (doc.in_use.given) w.key("inUseViolations").number(o.violations.size());
  w.key("totals").begin_object();
  preview_totals_members(w, rr.totals);
  w.end_object();
  impact_object(w.key("ecrlpImpact"), o.effect, true);
  w.end_object();
}

}  // namespace

void write(output& out, const registry_document& doc, const render_options&) {
  json_writer w(out, 4);
  w.begin_object();
  if (doc.in_use.given) {
    w.key("ecrlpInUseViolations").begin_array();
    for (const auto& o : doc.outcomes) {
      for (const auto& v : o.violations) {
        w.begin_object();
        if (!o.name.empty()) w.key("repositoryName").string(o.name);
        violation_members(w, o.images, v, doc.in_use.refs);
        w.end_object();
      }
    }
    w.end_array();
  }
  w.key("format").string("ecrlp-registry-preview");
  w.key("version").string(version_string);
  w.key("snapshot").begin_object();
  w.key("directory").string(doc.snapshot.directory.string());
  if (doc.snapshot.created_at) w.key("createdAt").timestamp(*doc.snapshot.created_at);
  w.key("region").string(doc.snapshot.region);
  w.key("repositoryFilter").string(doc.snapshot.repository_filter);
  w.end_object();
  w.key("now").timestamp(doc.now);
  if (doc.override_policy.empty()) {
    w.key("policy").string("own");
  } else {
    w.key("policy").begin_object();
    w.key(doc.repository_policies.empty() ? "override" : "perRepository").string(doc.override_policy);
    w.end_object();
  }
  w.key("repositories").begin_array();
  for (std::size_t k = 0; k < doc.snapshot.repositories.size(); ++k) repository(w, doc, k);
  w.end_array();
  const auto& res = doc.result;
  w.key("totals").begin_object();
  w.key("repositories").number(doc.snapshot.repositories.size());
  w.key("evaluated").number(res.evaluated);
  w.key("skipped").number(res.skipped);
  w.key("withoutPolicy").number(res.without_policy);
  w.key("guardedByIndex").number(res.guarded);
  w.key("referrersFollowing").number(res.referrers);
  w.key("inUseViolations").number(violation_count(doc.outcomes));
  preview_totals_members(w, res.totals);
  w.end_object();
  impact_object(w.key("ecrlpImpact"), doc.total,
                !doc.override_policy.empty() && doc.repository_policies.empty());
  w.end_object();
  w.finish();
  out.put('\n');
}

}  // namespace ecrlp::writer::json
