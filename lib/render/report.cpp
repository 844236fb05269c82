// SPDX-License-Identifier: MIT
#include <ecrlp/report.hpp>

// First: lint.hpp (through html_util.hpp) calls its own unqualified quoted(std::string_view)
// with std::string arguments, which std::quoted wins by ADL once <iomanip> is included (as
// <filesystem>, through in_use.hpp, does).
#include "render/html_util.hpp"

#include <ecrlp/impact.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/version.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <ostream>
#include <string>
#include <vector>

#include "render/format_util.hpp"
#include "render/json_writer.hpp"
#include "support/memory.hpp"

namespace ecrlp {
namespace {

using detail::join;

using detail::json_writer;
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

void findings_json(json_writer& w, const finding_counts& f) {
  w.begin_object();
  w.key("CRITICAL").number(f.critical);
  w.key("HIGH").number(f.high);
  w.key("MEDIUM").number(f.medium);
  w.key("LOW").number(f.low);
  w.key("INFORMATIONAL").number(f.informational);
  w.key("UNDEFINED").number(f.undefined);
  w.key("total").number(f.total());
  w.end_object();
}

void totals_json(json_writer& w, const image_totals& t) {
  w.begin_object();
  w.key("images").number(t.images);
  w.key("bytes").number(t.bytes);
  findings_json(w.key("findings"), t.findings);
  w.end_object();
}

void diagnostic_json(json_writer& w, const diagnostic& d) {
  w.begin_object();
  w.key("level").string(to_string(d.level));
  w.key("code").string(d.code);
  if (!d.file.empty()) w.key("file").string(d.file);
  w.key("pointer").string(d.pointer);
  if (d.line != 0) {
    w.key("line").number(d.line);
    w.key("column").number(d.column);
  }
  w.key("message").string(d.message);
  if (!d.aws_message.empty()) w.key("awsMessage").string(d.aws_message);
  w.end_object();
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

std::string_view action_api(fate f) { return f == fate::transition ? "TRANSITION" : "EXPIRE"; }

/// Before writing the image at order[k]: the age order visits the images out of their memory
/// order, so ask for what comes next ahead (the images 8 places on, then the digest text and the
/// tag array of those 4 places on: tags of up to 15 bytes are inside the array's strings), or
/// every image costs a few misses to memory.
void prefetch_ahead(std::span<const image> images, const std::vector<std::size_t>& order,
                    std::size_t k) noexcept {
  if (k + 8 < order.size() && order[k + 8] < images.size()) {
    const auto* ahead = reinterpret_cast<const char*>(&images[order[k + 8]]);
    support::prefetch(ahead);
    support::prefetch(ahead + 64);
  }
  if (k + 4 < order.size() && order[k + 4] < images.size()) {
    const image& ahead = images[order[k + 4]];
    support::prefetch(ahead.digest.data());
    if (!ahead.tags.empty()) support::prefetch(ahead.tags.data());
  }
}

/// `"action": {"type": ..., "targetStorageClass": "ARCHIVE"}` as previewResults write it.
void action_json(json_writer& w, fate f) {
  w.key("action").begin_object();
  w.key("type").string(action_api(f));
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
  w.key("storageClass").string(storage_class_api(img));
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

/// Dollars rounded to whole cents, as a JSON number (12.34).
double json_dollars(double dollars) { return static_cast<double>(to_cents(dollars)) / 100.0; }

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
  totals_json(w.key("before"), im.before);
  storage_bytes_json(w.key("beforeBytes"), im.before_bytes);
  totals_json(w.key("expired"), im.expired);
  totals_json(w.key("transitioned"), im.transitioned);
  totals_json(w.key("after"), im.after);
  storage_bytes_json(w.key("afterBytes"), im.after_bytes);
  w.key("rules").begin_array();
  for (const rule_impact& r : im.rules) {
    w.begin_object();
    w.key("rulePriority").number(r.priority);
    totals_json(w.key("expired"), r.expired);
    storage_bytes_json(w.key("expiredBytes"), r.expired_bytes);
    totals_json(w.key("transitioned"), r.transitioned);
    w.key("monthlySaving").real(json_dollars(r.monthly_saving(im.prices)));
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

/// The table's "IN USE" block, first in the report: every violation with its digest, tags,
/// action, rule and references (docs/in-use.md#reports).
void violations_table(std::back_insert_iterator<std::string> it, const preview_document& doc,
                      const std::vector<bool>& in_use) {
  using detail::group_digits;
  const auto running = static_cast<std::size_t>(std::count(in_use.begin(), in_use.end(), true));
  const auto violations = detail::view_of(doc.violations);
  if (violations.empty()) {
    fmt::format_to(it, "In use: {} running image{}; none is expired or transitioned.\n\n",
                   group_digits(running), running == 1 ? "" : "s");
    return;
  }
  fmt::format_to(it, "IN USE - would be removed: {} of {} running image{}\n",
                 group_digits(violations.size()), group_digits(running),
                 running == 1 ? "" : "s");
  for (const auto& v : violations) {
    if (v.image_index >= doc.images.size()) continue;
    const image& img = doc.images[v.image_index];
    fmt::format_to(it, "  {}: {}\n", detail::violation_action_text(v), img.digest);
    fmt::format_to(it, "      tags: {}; pushed {}; {}\n",
                   img.tags.empty() ? std::string("<untagged>") : join(img.tags, ", "),
                   format_timestamp(img.pushed_at), detail::human_bytes(img.size_bytes));
    const auto groups = detail::reference_groups(detail::view_of(doc.in_use_refs), v.refs, 5);
    if (!groups.empty()) {
      fmt::format_to(it, "      in use as: {}\n", join(groups, "; "));
    }
    for (const std::size_t t : v.through) {
      if (t >= doc.images.size()) continue;
      const image& index = doc.images[t];
      fmt::format_to(it, "      through index: {}{}{}\n", index.digest,
                     index.tags.empty() ? "" : " ", join(index.tags, ", "));
    }
  }
  fmt::format_to(it, "\n");
}

/// The table's "Impact" section (docs/impact.md#reports).
void impact_table(std::back_insert_iterator<std::string> it, const impact& im) {
  using detail::dollars_text;
  using detail::group_digits;
  using detail::human_bytes;
  fmt::format_to(it, "\nImpact (USD; {})\n", detail::prices_text(im.prices));
  fmt::format_to(it, "  Bytes freed: {} ({} bytes) in {} image{}\n", human_bytes(im.bytes_freed()),
                 group_digits(im.bytes_freed()), group_digits(im.expired.images),
                 im.expired.images == 1 ? "" : "s");
  fmt::format_to(it, "  Monthly storage cost: {} before, {} after, saving {}\n",
                 dollars_text(im.monthly_cost_before()), dollars_text(im.monthly_cost_after()),
                 dollars_text(im.monthly_saving()));
  if (im.transitioned.images > 0) {
    fmt::format_to(it,
                   "  Archive minimum charge: {} once, for {} transitioned ({} days at the archive "
                   "price, even if deleted or restored sooner)\n",
                   dollars_text(im.archive_minimum_charge()), human_bytes(im.transitioned.bytes),
                   im.prices.archive_minimum_days);
  }
  fmt::format_to(it, "  {:<12}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}\n", "Findings",
                 "Total", "Critical", "High", "Medium", "Low", "Info", "Undefined");
  const auto findings_row = [&](std::string_view label, const finding_counts& f) {
    fmt::format_to(it, "  {:<12}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}\n", label,
                   group_digits(f.total()), group_digits(f.critical), group_digits(f.high),
                   group_digits(f.medium), group_digits(f.low), group_digits(f.informational),
                   group_digits(f.undefined));
  };
  findings_row("  before", im.before.findings);
  findings_row("  after", im.after.findings);
  findings_row("  removed", im.expired.findings);
  fmt::format_to(it, "  {:>8}  {:>9}  {:>10}  {:>12}  {:>10}  {:>14}  {:>16}\n", "Rule", "Expired",
                 "Freed", "Transitioned", "Archived", "Saving a month", "Findings removed");
  for (const rule_impact& r : im.rules) {
    fmt::format_to(it, "  {:>8}  {:>9}  {:>10}  {:>12}  {:>10}  {:>14}  {:>16}\n", r.priority,
                   group_digits(r.expired.images), human_bytes(r.expired.bytes),
                   group_digits(r.transitioned.images), human_bytes(r.transitioned.bytes),
                   dollars_text(r.monthly_saving(im.prices)),
                   group_digits(r.expired.findings.total()));
  }
}

}  // namespace

namespace {

/// The preview document, written by `w`: byte for byte what nlohmann's dump(4) printed for the
/// same tree (tests/perf_report_test.cpp compares both on random documents); a DOM of 100,000
/// results cost more than evaluating them.
void preview_json(json_writer& w, const preview_document& doc) {
  w.begin_object();
  if (!doc.registry_id.empty()) w.key("registryId").string(doc.registry_id);
  if (!doc.repository_name.empty()) w.key("repositoryName").string(doc.repository_name);
  w.key("lifecyclePolicyText").string(doc.policy_text);
  w.key("status").string("COMPLETE");
  const bool with_in_use = doc.has_in_use();
  std::vector<bool> in_use;
  if (with_in_use) {
    // Violations first (issue 7), before AWS's results; an empty array says "none".
    in_use = detail::in_use_flags(doc.images.size(), detail::view_of(doc.in_use),
                                  detail::view_of(doc.violations));
    w.key("ecrlpInUseViolations").begin_array();
    for (const auto& v : detail::view_of(doc.violations)) {
      if (v.image_index < doc.images.size()) violation_json(w, doc, v);
    }
    w.end_array();
  }
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
    w.key("storageClass").string(storage_class_api(img));
    if (with_in_use && in_use[i]) w.key("ecrlpInUse").boolean(true);
    w.end_object();
  }
  w.end_array();
  w.key("summary").begin_object();
  w.key("expiringImageTotalCount").number(doc.result.expiring);
  if (doc.result.transitioning > 0) {
    w.key("transitioningImageTotalCounts").begin_array();
    w.begin_object();
    w.key("targetStorageClass").string("ARCHIVE");
    w.key("imageTotalCount").number(doc.result.transitioning);
    w.end_object();
    w.end_array();
  }
  w.end_object();

  // Everything beyond AWS's shape lives under one key, so AWS-shaped consumers keep working.
  const preview_totals totals = summarize(doc.images, doc.result);
  w.key("ecrlpReport").begin_object();
  w.key("version").string(version_string);
  w.key("now").timestamp(doc.now);
  w.key("rules").begin_array();
  for (const auto& rs : doc.result.rules) {
    const rule* r = find_rule(doc.policy, rs.priority);
    w.begin_object();
    w.key("rulePriority").number(rs.priority);
    if (r != nullptr && !r->description.empty()) w.key("description").string(r->description);
    w.key("identified").number(rs.identified);
    w.key("marked").number(rs.marked);
    w.key("owned").number(rs.owned);
    w.key("kept").number(rs.owned - rs.acted);
    const bool transition = r != nullptr && r->action.type == action_type::transition;
    w.key("expired").number(transition ? std::size_t{0} : rs.acted);
    w.key("transitioned").number(transition ? rs.acted : std::size_t{0});
    w.key("ownedBytes").number(rs.owned_bytes);
    w.key("actedBytes").number(rs.acted_bytes);
    w.end_object();
  }
  w.end_array();
  std::size_t unowned = 0;
  for (const auto& d : doc.result.decisions) unowned += d.owner ? 0U : 1U;
  w.key("unselectedImages").number(unowned);
  w.key("totals").begin_object();
  totals_json(w.key("before"), totals.before);
  totals_json(w.key("expired"), totals.expired);
  totals_json(w.key("transitioned"), totals.transitioned);
  totals_json(w.key("kept"), totals.kept);
  totals_json(w.key("after"), totals.after);
  totals_json(w.key("afterStandard"), totals.after_standard);
  totals_json(w.key("afterArchive"), totals.after_archive);
  w.end_object();
  w.key("warnings").begin_array();
  for (const auto& d : doc.result.warnings) diagnostic_json(w, d);
  w.end_array();
  if (doc.impact != nullptr) impact_json(w.key("impact"), *doc.impact);
  w.end_object();
  w.end_object();
}

}  // namespace

std::string render_preview_json(const preview_document& doc) {
  std::string buffer;
  std::size_t acted = 0;
  for (const auto& dec : doc.result.decisions) acted += dec.action == fate::keep ? 0U : 1U;
  // Generous: pages of the reservation that are never written are never touched, while growing
  // would copy everything written so far.
  buffer.reserve(65536 + doc.policy_text.size() * 6 + acted * 1024);
  support::advise_huge_pages(buffer.data(), buffer.capacity());
  json_writer w(buffer, 4);
  preview_json(w, doc);
  w.finish();
  buffer.push_back('\n');
  return buffer;
}

void write_preview_json(std::ostream& out, const preview_document& doc) {
  json_writer w(out, 4);
  preview_json(w, doc);
  w.finish();
  out.put('\n');
}

std::string render_preview_table(const preview_document& doc, std::size_t max_rows) {
  using detail::group_digits;
  using detail::human_bytes;
  const preview_totals totals = summarize(doc.images, doc.result);
  std::string out;
  auto it = std::back_inserter(out);
  const bool with_in_use = doc.has_in_use();
  std::vector<bool> in_use;
  if (with_in_use) {
    in_use = detail::in_use_flags(doc.images.size(), detail::view_of(doc.in_use),
                                  detail::view_of(doc.violations));
    violations_table(it, doc, in_use);
  }

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
      fmt::format_to(it, "  {:<32}  {:<10}  {:>4}  {:>10}  {:<19}  {}{}\n",
                     format_timestamp(img.pushed_at), action_api(dec.action), *dec.owner,
                     human_bytes(img.size_bytes), digest,
                     img.tags.empty() ? std::string("<untagged>") : join(img.tags, ", "),
                     with_in_use && in_use[i] ? "  [IN USE]" : "");
    }
    if (shown < affected) {
      fmt::format_to(it, "  ... {} more (--max-rows 0 shows all; --format csv lists every image)\n",
                     group_digits(affected - shown));
    }
  }
  if (doc.impact != nullptr) impact_table(it, *doc.impact);
  if (!doc.result.warnings.empty()) {
    fmt::format_to(it, "\n{} warning{} (see stderr)\n", doc.result.warnings.size(),
                   doc.result.warnings.size() == 1 ? "" : "s");
  }
  return out;
}

std::string render_preview_csv(const preview_document& doc) {
  const bool with_in_use = doc.has_in_use();
  std::string out =
      "imageDigest,imageTags,imagePushedAt,referenceTime,imageStatus,imageSizeInBytes,findings,"
      "action,appliedRulePriority,ownerRulePriority";
  out += with_in_use ? ",inUse\r\n" : "\r\n";
  out.reserve(out.size() + doc.result.order.size() * 512);
  support::advise_huge_pages(out.data(), out.capacity());
  std::vector<bool> in_use;
  if (with_in_use) {
    in_use = detail::in_use_flags(doc.images.size(), detail::view_of(doc.in_use),
                                  detail::view_of(doc.violations));
  }
  // Each field is appended in place: a row of temporary strings and a format call per image
  // cost more than parsing the inventory (0.1 s for 100k rows).
  const auto number = [&out](auto v) {
    char digits[24];
    out.append(digits, std::to_chars(std::begin(digits), std::end(digits), v).ptr);
  };
  const auto time = [&out](timestamp t) {
    char text[detail::timestamp_chars];
    out.append(text, detail::format_timestamp_to(t, text));
  };
  const auto row = [&](std::size_t i) {
    const image& img = doc.images[i];
    const auto& dec = doc.result.decisions[i];
    detail::append_csv_field(out, img.digest);
    out.push_back(',');
    detail::append_csv_field(out, img.tags, " ");
    out.push_back(',');
    time(img.pushed_at);
    out.push_back(',');
    time(reference_time(img));
    out.push_back(',');
    out.append(to_string(img.status));
    out.push_back(',');
    number(img.size_bytes);
    out.push_back(',');
    if (img.findings) number(img.findings->total());
    out.push_back(',');
    out.append(dec.action == fate::keep ? std::string_view("KEEP") : action_api(dec.action));
    out.push_back(',');
    if (dec.applied_rule_priority()) number(*dec.owner);
    out.push_back(',');
    if (dec.owner) number(*dec.owner);
    if (with_in_use) out += in_use[i] ? ",true" : ",false";
    out += "\r\n";
  };
  if (!with_in_use) {
    const std::vector<std::size_t>& order = doc.result.order;
    for (std::size_t k = 0; k < order.size(); ++k) {
      prefetch_ahead(doc.images, order, k);
      row(order[k]);
    }
    return out;
  }
  // Violations first, oldest first; then every other image, oldest first.
  std::vector<bool> listed(doc.images.size(), false);
  for (const auto& v : detail::view_of(doc.violations)) {
    if (v.image_index >= doc.images.size() || listed[v.image_index]) continue;
    listed[v.image_index] = true;
    row(v.image_index);
  }
  for (const std::size_t i : doc.result.order) {
    if (!listed[i]) row(i);
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
