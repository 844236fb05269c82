// SPDX-License-Identifier: MIT
#include <ecrlp/report.hpp>

#include <ecrlp/version.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "format_util.hpp"

namespace ecrlp {
namespace {

using ordered_json = nlohmann::ordered_json;

const rule* find_rule(const lifecycle_policy& policy, std::int64_t priority) {
  for (const auto& r : policy.rules) {
    if (r.priority == priority) return &r;
  }
  return nullptr;
}

std::string_view storage_class_api(const image& img) {
  return img.status == image_status::archived ? "ARCHIVE" : "STANDARD";
}

ordered_json findings_json(const finding_counts& f) {
  ordered_json j;
  j["CRITICAL"] = f.critical;
  j["HIGH"] = f.high;
  j["MEDIUM"] = f.medium;
  j["LOW"] = f.low;
  j["INFORMATIONAL"] = f.informational;
  j["UNDEFINED"] = f.undefined;
  j["total"] = f.total();
  return j;
}

ordered_json totals_json(const image_totals& t) {
  ordered_json j;
  j["images"] = t.images;
  j["bytes"] = t.bytes;
  j["findings"] = findings_json(t.findings);
  return j;
}

ordered_json diagnostic_json(const diagnostic& d) {
  ordered_json j;
  j["level"] = std::string(to_string(d.level));
  j["code"] = d.code;
  if (!d.file.empty()) j["file"] = d.file;
  j["pointer"] = d.pointer;
  if (d.line != 0) {
    j["line"] = d.line;
    j["column"] = d.column;
  }
  j["message"] = d.message;
  if (!d.aws_message.empty()) j["awsMessage"] = d.aws_message;
  return j;
}

std::string dump(const ordered_json& j, int indent) {
  // Replace invalid UTF-8 rather than throw: inputs were validated, but stay total.
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string join_tags(const std::vector<std::string>& tags, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < tags.size(); ++i) {
    if (i != 0) out += sep;
    out += tags[i];
  }
  return out;
}

std::string csv_field(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (const char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string_view action_api(fate f) { return f == fate::transition ? "TRANSITION" : "EXPIRE"; }

}  // namespace

std::string render_preview_json(const preview_document& doc) {
  ordered_json out;
  if (!doc.registry_id.empty()) out["registryId"] = doc.registry_id;
  if (!doc.repository_name.empty()) out["repositoryName"] = doc.repository_name;
  out["lifecyclePolicyText"] = doc.policy_text;
  out["status"] = "COMPLETE";
  ordered_json results = ordered_json::array();
  for (const std::size_t i : doc.result.order) {
    const auto& dec = doc.result.decisions[i];
    if (dec.action == fate::keep) continue;
    const image& img = doc.images[i];
    ordered_json item;
    if (!img.tags.empty()) item["imageTags"] = img.tags;
    item["imageDigest"] = img.digest;
    item["imagePushedAt"] = format_timestamp(img.pushed_at);
    ordered_json action;
    action["type"] = action_api(dec.action);
    if (dec.action == fate::transition) action["targetStorageClass"] = "ARCHIVE";
    item["action"] = std::move(action);
    item["appliedRulePriority"] = *dec.owner;
    item["storageClass"] = storage_class_api(img);
    results.push_back(std::move(item));
  }
  out["previewResults"] = std::move(results);
  ordered_json summary;
  summary["expiringImageTotalCount"] = doc.result.expiring;
  if (doc.result.transitioning > 0) {
    ordered_json t;
    t["targetStorageClass"] = "ARCHIVE";
    t["imageTotalCount"] = doc.result.transitioning;
    summary["transitioningImageTotalCounts"] = ordered_json::array({t});
  }
  out["summary"] = std::move(summary);

  // Everything beyond AWS's shape lives under one key, so AWS-shaped consumers keep working.
  const preview_totals totals = summarize(doc.images, doc.result);
  ordered_json extra;
  extra["version"] = version_string;
  extra["now"] = format_timestamp(doc.now);
  ordered_json rules = ordered_json::array();
  for (const auto& rs : doc.result.rules) {
    const rule* r = find_rule(doc.policy, rs.priority);
    ordered_json j;
    j["rulePriority"] = rs.priority;
    if (r != nullptr && !r->description.empty()) j["description"] = r->description;
    j["identified"] = rs.identified;
    j["marked"] = rs.marked;
    j["owned"] = rs.owned;
    j["kept"] = rs.owned - rs.acted;
    const bool transition = r != nullptr && r->action.type == action_type::transition;
    j["expired"] = transition ? 0 : rs.acted;
    j["transitioned"] = transition ? rs.acted : 0;
    j["ownedBytes"] = rs.owned_bytes;
    j["actedBytes"] = rs.acted_bytes;
    rules.push_back(std::move(j));
  }
  extra["rules"] = std::move(rules);
  std::size_t unowned = 0;
  for (const auto& d : doc.result.decisions) unowned += d.owner ? 0U : 1U;
  extra["unselectedImages"] = unowned;
  ordered_json t;
  t["before"] = totals_json(totals.before);
  t["expired"] = totals_json(totals.expired);
  t["transitioned"] = totals_json(totals.transitioned);
  t["kept"] = totals_json(totals.kept);
  t["after"] = totals_json(totals.after);
  t["afterStandard"] = totals_json(totals.after_standard);
  t["afterArchive"] = totals_json(totals.after_archive);
  extra["totals"] = std::move(t);
  ordered_json warnings = ordered_json::array();
  for (const auto& w : doc.result.warnings) warnings.push_back(diagnostic_json(w));
  extra["warnings"] = std::move(warnings);
  out["ecrlpReport"] = std::move(extra);
  return dump(out, 4);
}

std::string render_preview_table(const preview_document& doc, std::size_t max_rows) {
  using detail::group_digits;
  using detail::human_bytes;
  const preview_totals totals = summarize(doc.images, doc.result);
  std::string out;
  auto it = std::back_inserter(out);

  fmt::format_to(it, "Lifecycle policy preview{}{} at {}\n",
                 doc.repository_name.empty() ? "" : " of ", doc.repository_name,
                 format_timestamp(doc.now));
  fmt::format_to(it, "{} images ({}) evaluated against {} rule{}\n\n",
                 group_digits(totals.before.images), human_bytes(totals.before.bytes),
                 doc.policy.rules.size(), doc.policy.rules.size() == 1 ? "" : "s");

  // Rules, in priority order.
  std::vector<std::string> sel_text;
  std::vector<std::string> limit_text;
  std::size_t sel_w = 9;
  std::size_t lim_w = 5;
  for (const auto& rs : doc.result.rules) {
    const rule* r = find_rule(doc.policy, rs.priority);
    sel_text.push_back(r != nullptr ? detail::describe_selection(r->selection) : "?");
    limit_text.push_back(r != nullptr ? detail::describe_limit(r->selection) : "?");
    sel_w = std::max(sel_w, sel_text.back().size());
    lim_w = std::max(lim_w, limit_text.back().size());
  }
  fmt::format_to(it, "Rules (highest priority first)\n");
  fmt::format_to(it, "  {:>8}  {:<{}}  {:<{}}  {:>10}  {:>8}  {:>8}  {:>10}  {:>8}  {:>10}\n",
                 "Priority", "Selection", sel_w, "Limit", lim_w, "Identified", "Owned", "Expire",
                 "Transition", "Kept", "Acted on");
  for (std::size_t k = 0; k < doc.result.rules.size(); ++k) {
    const auto& rs = doc.result.rules[k];
    const rule* r = find_rule(doc.policy, rs.priority);
    const bool transition = r != nullptr && r->action.type == action_type::transition;
    fmt::format_to(it, "  {:>8}  {:<{}}  {:<{}}  {:>10}  {:>8}  {:>8}  {:>10}  {:>8}  {:>10}\n",
                   rs.priority, sel_text[k], sel_w, limit_text[k], lim_w,
                   group_digits(rs.identified), group_digits(rs.owned),
                   group_digits(transition ? 0 : rs.acted), group_digits(transition ? rs.acted : 0),
                   group_digits(rs.owned - rs.acted), human_bytes(rs.acted_bytes));
    if (r != nullptr && !r->description.empty()) {
      fmt::format_to(it, "  {:>8}  \"{}\"\n", "", r->description);
    }
  }
  std::size_t unowned = 0;
  for (const auto& d : doc.result.decisions) unowned += d.owner ? 0U : 1U;
  fmt::format_to(it, "  Selected by no rule: {} image{}\n\n", group_digits(unowned),
                 unowned == 1 ? "" : "s");

  // Totals.
  fmt::format_to(it, "Totals\n");
  fmt::format_to(it, "  {:<14}  {:>9}  {:>10}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}\n", "",
                 "Images", "Size", "Findings", "Critical", "High", "Medium", "Low", "Info");
  const auto row = [&](std::string_view label, const image_totals& t) {
    fmt::format_to(it, "  {:<14}  {:>9}  {:>10}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}\n", label,
                   group_digits(t.images), human_bytes(t.bytes),
                   group_digits(t.findings.total()), group_digits(t.findings.critical),
                   group_digits(t.findings.high), group_digits(t.findings.medium),
                   group_digits(t.findings.low), group_digits(t.findings.informational));
  };
  row("Before", totals.before);
  row("Expire", totals.expired);
  row("Transition", totals.transitioned);
  row("After", totals.after);
  row("  standard", totals.after_standard);
  row("  archive", totals.after_archive);

  // Affected images, oldest first.
  const std::size_t affected = doc.result.expiring + doc.result.transitioning;
  if (affected == 0) {
    fmt::format_to(it, "\nNo image is expired or transitioned.\n");
  } else {
    const std::size_t shown = max_rows == 0 ? affected : std::min(affected, max_rows);
    fmt::format_to(it, "\nAffected images, oldest first ({} of {}):\n", group_digits(shown),
                   group_digits(affected));
    fmt::format_to(it, "  {:<32}  {:<10}  {:>4}  {:>10}  {:<19}  {}\n", "Pushed", "Action", "Rule",
                   "Size", "Digest", "Tags");
    std::size_t printed = 0;
    for (const std::size_t i : doc.result.order) {
      const auto& dec = doc.result.decisions[i];
      if (dec.action == fate::keep) continue;
      if (printed == shown) break;
      ++printed;
      const image& img = doc.images[i];
      const std::string digest = img.digest.size() > 19 ? img.digest.substr(0, 19) : img.digest;
      fmt::format_to(it, "  {:<32}  {:<10}  {:>4}  {:>10}  {:<19}  {}\n",
                     format_timestamp(img.pushed_at), action_api(dec.action), *dec.owner,
                     human_bytes(img.size_bytes), digest,
                     img.tags.empty() ? std::string("<untagged>") : join_tags(img.tags, ", "));
    }
    if (shown < affected) {
      fmt::format_to(it, "  ... {} more (--max-rows 0 shows all; --format csv lists every image)\n",
                     group_digits(affected - shown));
    }
  }
  if (!doc.result.warnings.empty()) {
    fmt::format_to(it, "\n{} warning{} (see stderr)\n", doc.result.warnings.size(),
                   doc.result.warnings.size() == 1 ? "" : "s");
  }
  return out;
}

std::string render_preview_csv(const preview_document& doc) {
  std::string out =
      "imageDigest,imageTags,imagePushedAt,referenceTime,imageStatus,imageSizeInBytes,findings,"
      "action,appliedRulePriority,ownerRulePriority\r\n";
  auto it = std::back_inserter(out);
  for (const std::size_t i : doc.result.order) {
    const image& img = doc.images[i];
    const auto& dec = doc.result.decisions[i];
    fmt::format_to(it, "{},{},{},{},{},{},{},{},{},{}\r\n", csv_field(img.digest),
                   csv_field(join_tags(img.tags, " ")), format_timestamp(img.pushed_at),
                   format_timestamp(reference_time(img)), to_string(img.status), img.size_bytes,
                   img.findings ? std::to_string(img.findings->total()) : std::string(),
                   dec.action == fate::keep ? std::string_view("KEEP") : action_api(dec.action),
                   dec.applied_rule_priority() ? std::to_string(*dec.owner) : std::string(),
                   dec.owner ? std::to_string(*dec.owner) : std::string());
  }
  return out;
}

std::string render_diagnostics_text(std::span<const diagnostic> diags) {
  std::string out;
  auto it = std::back_inserter(out);
  for (const auto& d : diags) {
    std::string where = d.file.empty() ? std::string("<input>") : d.file;
    if (d.line != 0) where += fmt::format(":{}:{}", d.line, d.column);
    fmt::format_to(it, "{}: {}[{}]", where, to_string(d.level), d.code);
    if (!d.pointer.empty()) fmt::format_to(it, " at {}", d.pointer);
    fmt::format_to(it, ": {}\n", d.message);
    if (!d.aws_message.empty()) fmt::format_to(it, "    ECR says: {}\n", d.aws_message);
  }
  return out;
}

std::string render_diagnostics_json(std::span<const diagnostic> diags) {
  ordered_json arr = ordered_json::array();
  for (const auto& d : diags) arr.push_back(diagnostic_json(d));
  return dump(arr, 2);
}

}  // namespace ecrlp
