// SPDX-License-Identifier: MIT
// First, as in report.cpp: lint.hpp (through html_util.hpp) calls an unqualified quoted() that
// std::quoted wins by ADL once <iomanip> is in (<filesystem>, through in_use.hpp, brings it).
#include "render/html_util.hpp"

#include <ecrlp/registry_report.hpp>

#include <ecrlp/explain.hpp>
#include <ecrlp/html_report.hpp>

#include <ecrlp/report.hpp>
#include <ecrlp/version.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <string>
#include <vector>

#include "render/format_util.hpp"

namespace ecrlp {
namespace {

using detail::csv_field;
using detail::join;

using ordered_json = nlohmann::ordered_json;
using detail::group_digits;
using detail::human_bytes;

std::string_view action_api(fate f) {
  switch (f) {
    case fate::expire:
      return "EXPIRE";
    case fate::transition:
      return "TRANSITION";
    case fate::keep:
      break;
  }
  return "KEEP";
}

std::string_view storage_class_api(const image& img) {
  return img.status == image_status::archived ? "ARCHIVE" : "STANDARD";
}

std::string short_digest(const std::string& d) { return d.size() > 19 ? d.substr(0, 19) : d; }

/// "payments:v1 (running.txt:3)".
std::string ref_label(const in_use_ref& r) {
  std::string out = r.text + " (" + r.source;
  if (r.line != 0) {  // two appends: ":" + std::to_string() trips GCC 12's -Wrestrict at -O3
    out += ':';
    out += std::to_string(r.line);
  }
  if (!r.pointer.empty()) out += " " + r.pointer;
  return out + ")";
}

/// Dollars rounded to whole cents, as a JSON number.
double money(double dollars) { return static_cast<double>(to_cents(dollars)) / 100.0; }

std::string dollars(double d) { return detail::dollars_text(d); }

ordered_json findings_json(const finding_counts& f) {
  ordered_json j = ordered_json::object();
  j["critical"] = f.critical;
  j["high"] = f.high;
  j["medium"] = f.medium;
  j["low"] = f.low;
  j["informational"] = f.informational;
  j["undefined"] = f.undefined;
  j["total"] = f.total();
  return j;
}

ordered_json totals_json(const image_totals& t) {
  ordered_json j = ordered_json::object();
  j["images"] = t.images;
  j["bytes"] = t.bytes;
  j["findings"] = findings_json(t.findings);
  return j;
}

ordered_json impact_object(const impact& e, bool with_rules = true) {
  ordered_json j = ordered_json::object();
  j["prices"] = {{"standardPerGbMonth", e.prices.standard_per_gb_month},
                 {"archivePerGbMonth", e.prices.archive_per_gb_month},
                 {"archiveMinimumDays", e.prices.archive_minimum_days},
                 {"bytesPerGb", e.prices.bytes_per_gb}};
  j["bytesBefore"] = e.before.bytes;
  j["bytesFreed"] = e.bytes_freed();
  j["bytesTransitioned"] = e.transitioned.bytes;
  j["bytesAfter"] = e.after.bytes;
  j["standardBytesBefore"] = e.before_bytes.standard;
  j["archiveBytesBefore"] = e.before_bytes.archive;
  j["standardBytesAfter"] = e.after_bytes.standard;
  j["archiveBytesAfter"] = e.after_bytes.archive;
  j["monthlyCostBefore"] = money(e.monthly_cost_before());
  j["monthlyCostAfter"] = money(e.monthly_cost_after());
  j["monthlySaving"] = money(e.monthly_saving());
  j["archiveMinimumCharge"] = money(e.archive_minimum_charge());
  j["findingsBefore"] = findings_json(e.before.findings);
  j["findingsAfter"] = findings_json(e.after.findings);
  j["findingsRemoved"] = findings_json(e.expired.findings);
  if (!with_rules) return j;
  ordered_json rules = ordered_json::array();
  for (const auto& r : e.rules) {
    rules.push_back({{"rulePriority", r.priority},
                     {"expiredImages", r.expired.images},
                     {"bytesFreed", r.expired.bytes},
                     {"transitionedImages", r.transitioned.images},
                     {"bytesTransitioned", r.transitioned.bytes},
                     {"findingsRemoved", r.expired.findings.total()},
                     {"monthlySaving", money(r.monthly_saving(e.prices))}});
  }
  j["rules"] = std::move(rules);
  return j;
}

ordered_json violation_json(const repository_outcome& o, const in_use_violation& v,
                            const in_use_view& in_use) {
  const image& img = o.images[v.image_index];
  ordered_json j = ordered_json::object();
  if (!o.name.empty()) j["repositoryName"] = std::string(o.name);
  j["imageDigest"] = img.digest;
  if (!img.tags.empty()) j["imageTags"] = img.tags;
  j["imagePushedAt"] = format_timestamp(img.pushed_at);
  j["action"] = std::string(action_api(v.action));
  j["appliedRulePriority"] = v.rule_priority;
  if (v.related == relation::referrer) j["followsSubject"] = true;
  ordered_json refs = ordered_json::array();
  for (const std::size_t k : v.refs) {
    if (k >= in_use.refs.size()) continue;
    const auto& r = in_use.refs[k];
    ordered_json rj = {{"reference", r.text}, {"file", r.source}};
    if (r.line != 0) rj["line"] = r.line;
    if (!r.pointer.empty()) rj["pointer"] = r.pointer;
    refs.push_back(std::move(rj));
  }
  j["inUseReferences"] = std::move(refs);
  if (!v.through.empty()) {
    ordered_json through = ordered_json::array();
    for (const std::size_t t : v.through) {
      if (t < o.images.size()) through.push_back(o.images[t].digest);
    }
    j["throughIndexes"] = std::move(through);
  }
  return j;
}

ordered_json violations_array(std::span<const repository_outcome> outcomes,
                              const in_use_view& in_use) {
  ordered_json arr = ordered_json::array();
  for (const auto& o : outcomes) {
    for (const auto& v : o.violations) arr.push_back(violation_json(o, v, in_use));
  }
  return arr;
}

/// The references of a violation or match, space-separated.
std::string refs_text(std::span<const std::size_t> refs, const in_use_view& in_use) {
  std::string out;
  for (const std::size_t k : refs) {
    if (k >= in_use.refs.size()) continue;
    if (!out.empty()) out += ' ';
    out += in_use.refs[k].text;
  }
  return out;
}

ordered_json preview_results_json(const repository_outcome& o) {
  ordered_json arr = ordered_json::array();
  if (o.result == nullptr) return arr;
  for (const std::size_t i : o.result->order) {
    const auto& d = o.result->decisions[i];
    if (d.action == fate::keep) continue;
    const image& img = o.images[i];
    ordered_json j = ordered_json::object();
    if (!img.tags.empty()) j["imageTags"] = img.tags;
    j["imageDigest"] = img.digest;
    j["imagePushedAt"] = format_timestamp(img.pushed_at);
    ordered_json action = {{"type", std::string(action_api(d.action))}};
    if (d.action == fate::transition) action["targetStorageClass"] = "ARCHIVE";
    j["action"] = std::move(action);
    j["appliedRulePriority"] = d.owner.value_or(0);
    j["storageClass"] = std::string(storage_class_api(img));
    arr.push_back(std::move(j));
  }
  return arr;
}

ordered_json summary_json(const evaluation_result& r) {
  ordered_json j = {{"expiringImageTotalCount", r.expiring}};
  if (r.transitioning > 0) {
    j["transitioningImageTotalCounts"] =
        ordered_json::array({{{"targetStorageClass", "ARCHIVE"}, {"imageTotalCount", r.transitioning}}});
  }
  return j;
}

ordered_json diagnostics_json(std::span<const diagnostic> diags) {
  ordered_json arr = ordered_json::array();
  for (const auto& d : diags) {
    ordered_json j = {{"level", std::string(to_string(d.level))}, {"code", d.code}};
    if (!d.file.empty()) j["file"] = d.file;
    if (!d.pointer.empty()) j["pointer"] = d.pointer;
    if (d.line != 0) {
      j["line"] = d.line;
      j["column"] = d.column;
    }
    j["message"] = d.message;
    arr.push_back(std::move(j));
  }
  return arr;
}

}  // namespace

std::size_t violation_count(std::span<const repository_outcome> outcomes) noexcept {
  std::size_t n = 0;
  for (const auto& o : outcomes) n += o.violations.size();
  return n;
}

std::string render_in_use_table(std::span<const repository_outcome> outcomes,
                                const in_use_view& in_use) {
  if (!in_use.given) return {};
  std::string out;
  auto it = std::back_inserter(out);
  const std::size_t n = violation_count(outcomes);
  if (n == 0) {
    fmt::format_to(it, "In use: no in-use image is expired or transitioned ({} reference{} read)\n\n",
                   group_digits(in_use.refs.size()), in_use.refs.size() == 1 ? "" : "s");
    return out;
  }
  fmt::format_to(it, "IN-USE VIOLATIONS: {} running image{} would be removed\n", group_digits(n),
                 n == 1 ? "" : "s");
  std::size_t repo_w = 10;
  for (const auto& o : outcomes) {
    if (!o.violations.empty()) repo_w = std::max(repo_w, o.name.size());
  }
  fmt::format_to(it, "  {:<{}}  {:<10}  {:>4}  {:<32}  {:<19}  {:<20}  {}\n", "Repository", repo_w,
                 "Action", "Rule", "Pushed", "Digest", "Tags", "In use as");
  for (const auto& o : outcomes) {
    for (const auto& v : o.violations) {
      const image& img = o.images[v.image_index];
      std::string as;
      for (const std::size_t k : v.refs) {
        if (k >= in_use.refs.size()) continue;
        if (!as.empty()) as += ", ";
        as += ref_label(in_use.refs[k]);
      }
      if (!v.through.empty()) {
        as += as.empty() ? "" : " ";
        as += "via index";
        for (const std::size_t t : v.through) {
          if (t < o.images.size()) {
            as += ' ';
            as += short_digest(o.images[t].digest);
          }
        }
      }
      std::string rule = std::to_string(v.rule_priority);
      if (v.related == relation::referrer) rule += "*";
      fmt::format_to(it, "  {:<{}}  {:<10}  {:>4}  {:<32}  {:<19}  {:<20}  {}\n",
                     o.name.empty() ? std::string_view("-") : o.name, repo_w, action_api(v.action),
                     rule, format_timestamp(img.pushed_at), short_digest(img.digest),
                     img.tags.empty() ? std::string("<untagged>") : join(img.tags, ", "), as);
    }
  }
  out += "\n";
  return out;
}

std::string render_impact_table(const impact& e, bool with_rules) {
  std::string out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "Impact (prices: {})\n", detail::prices_text(e.prices));
  fmt::format_to(it, "  Bytes freed:          {} ({} bytes) by {} expired image{}\n",
                 human_bytes(e.bytes_freed()), group_digits(e.bytes_freed()),
                 group_digits(e.expired.images), e.expired.images == 1 ? "" : "s");
  fmt::format_to(it, "  Moved to archive:     {} ({} bytes) in {} image{}\n",
                 human_bytes(e.transitioned.bytes), group_digits(e.transitioned.bytes),
                 group_digits(e.transitioned.images), e.transitioned.images == 1 ? "" : "s");
  fmt::format_to(it, "  Monthly storage cost: {} before, {} after, {} saved per month\n",
                 dollars(e.monthly_cost_before()), dollars(e.monthly_cost_after()),
                 dollars(e.monthly_saving()));
  if (e.transitioned.images > 0) {
    fmt::format_to(it, "  Archive minimum:      {} committed ({} days at the archive price)\n",
                   dollars(e.archive_minimum_charge()), e.prices.archive_minimum_days);
  }
  const auto f = [&](std::string_view label, const finding_counts& c) {
    fmt::format_to(it, "  {:<20}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}\n", label,
                   group_digits(c.total()), group_digits(c.critical), group_digits(c.high),
                   group_digits(c.medium), group_digits(c.low), group_digits(c.informational),
                   group_digits(c.undefined));
  };
  fmt::format_to(it, "  {:<20}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}\n", "Findings",
                 "Total", "Critical", "High", "Medium", "Low", "Info", "Undefined");
  f("  before", e.before.findings);
  f("  after", e.after.findings);
  bool any_rule = false;
  for (const auto& r : e.rules) {
    any_rule = any_rule || (with_rules && r.expired.images + r.transitioned.images > 0);
  }
  if (any_rule) {
    fmt::format_to(it, "  {:>8}  {:>8}  {:>10}  {:>10}  {:>10}  {:>12}\n", "Rule", "Expired",
                   "Freed", "Archived", "Moved", "Saving/month");
    for (const auto& r : e.rules) {
      if (r.expired.images + r.transitioned.images == 0) continue;
      fmt::format_to(it, "  {:>8}  {:>8}  {:>10}  {:>10}  {:>10}  {:>12}\n", r.priority,
                     group_digits(r.expired.images), human_bytes(r.expired.bytes),
                     group_digits(r.transitioned.images), human_bytes(r.transitioned.bytes),
                     dollars(r.monthly_saving(e.prices)));
    }
  }
  return out;
}

std::string render_registry_table(const registry_document& doc) {
  std::string out;
  auto it = std::back_inserter(out);
  const auto& res = doc.result;
  fmt::format_to(it, "Registry preview of {} at {}\n", doc.snapshot.directory.string(),
                 format_timestamp(doc.now));
  fmt::format_to(it, "{} repositor{} ({} evaluated, {} skipped, {} without a policy), {} images ({})\n",
                 group_digits(doc.snapshot.repositories.size()),
                 doc.snapshot.repositories.size() == 1 ? "y" : "ies", group_digits(res.evaluated),
                 group_digits(res.skipped), group_digits(res.without_policy),
                 group_digits(doc.total.before.images), human_bytes(doc.total.before.bytes));
  if (doc.override_policy.empty()) {
    fmt::format_to(it, "Policy: each repository's own lifecycle policy\n\n");
  } else {
    fmt::format_to(it, "Policy: {} applied to every repository (what-if)\n\n", doc.override_policy);
  }
  out += render_in_use_table(doc.outcomes, doc.in_use);

  std::size_t name_w = 10;
  for (const auto& r : doc.snapshot.repositories) name_w = std::max(name_w, r.name.size());
  const auto line = [&](std::string_view name, std::string_view policy, const impact& e,
                        std::string_view extra) {
    fmt::format_to(it, "  {:<{}}  {:<8}  {:>7}  {:>10}  {:>7}  {:>10}  {:>7}  {:>10}  {:>11}  {:>11}  {:>9}  {:>9}{}\n",
                   name, name_w, policy, group_digits(e.before.images), human_bytes(e.before.bytes),
                   group_digits(e.expired.images), human_bytes(e.expired.bytes),
                   group_digits(e.transitioned.images), human_bytes(e.transitioned.bytes),
                   dollars(e.monthly_cost_before()), dollars(e.monthly_cost_after()),
                   group_digits(e.before.findings.total()), group_digits(e.after.findings.total()),
                   extra);
  };
  fmt::format_to(it, "Repositories\n");
  fmt::format_to(it, "  {:<{}}  {:<8}  {:>7}  {:>10}  {:>7}  {:>10}  {:>7}  {:>10}  {:>11}  {:>11}  {:>9}  {:>9}\n",
                 "Repository", name_w, "Policy", "Images", "Size", "Expire", "Freed", "Archive",
                 "Moved", "Cost/month", "After", "Findings", "After");
  for (std::size_t k = 0; k < doc.snapshot.repositories.size(); ++k) {
    const auto& repo = doc.snapshot.repositories[k];
    const auto& rr = res.repositories[k];
    if (!rr.evaluated) {
      fmt::format_to(it, "  {:<{}}  skipped: its files have errors (see stderr)\n", repo.name,
                     name_w);
      continue;
    }
    std::string extra;
    if (rr.evaluation.guarded + rr.evaluation.referrers > 0) {
      extra = fmt::format("  ({} guarded by an index, {} referrer{} following)",
                          rr.evaluation.guarded, rr.evaluation.referrers,
                          rr.evaluation.referrers == 1 ? "" : "s");
    }
    const auto& o = doc.outcomes[k];
    if (!o.violations.empty()) {
      extra += fmt::format("  {} IN USE", o.violations.size());
    }
    line(repo.name, to_string(rr.source), o.effect, extra);
  }
  line("Total", "", doc.total, "");
  out += "\n";
  // Rules merged by priority mean one rule only when one policy was applied everywhere.
  out += render_impact_table(doc.total, !doc.override_policy.empty());
  return out;
}

std::string render_registry_json(const registry_document& doc) {
  ordered_json j = ordered_json::object();
  if (doc.in_use.given) j["ecrlpInUseViolations"] = violations_array(doc.outcomes, doc.in_use);
  j["format"] = "ecrlp-registry-preview";
  j["version"] = std::string(version_string);
  ordered_json snap = {{"directory", doc.snapshot.directory.string()}};
  if (doc.snapshot.created_at) snap["createdAt"] = format_timestamp(*doc.snapshot.created_at);
  snap["region"] = doc.snapshot.region;
  snap["repositoryFilter"] = doc.snapshot.repository_filter;
  j["snapshot"] = std::move(snap);
  j["now"] = format_timestamp(doc.now);
  j["policy"] = doc.override_policy.empty() ? ordered_json("own")
                                            : ordered_json({{"override", doc.override_policy}});
  ordered_json repos = ordered_json::array();
  for (std::size_t k = 0; k < doc.snapshot.repositories.size(); ++k) {
    const auto& repo = doc.snapshot.repositories[k];
    const auto& rr = doc.result.repositories[k];
    const auto& o = doc.outcomes[k];
    ordered_json r = ordered_json::object();
    if (!repo.registry_id.empty()) r["registryId"] = repo.registry_id;
    r["repositoryName"] = repo.name;
    r["evaluated"] = rr.evaluated;
    if (!rr.evaluated) {
      r["errors"] = diagnostics_json(repo.diagnostics);
      repos.push_back(std::move(r));
      continue;
    }
    r["policySource"] = std::string(to_string(rr.source));
    r["previewResults"] = preview_results_json(o);
    r["summary"] = summary_json(rr.evaluation);
    r["guardedByIndex"] = rr.evaluation.guarded;
    r["referrersFollowing"] = rr.evaluation.referrers;
    if (doc.in_use.given) r["inUseViolations"] = o.violations.size();
    r["totals"] = {{"before", totals_json(rr.totals.before)},
                   {"expired", totals_json(rr.totals.expired)},
                   {"transitioned", totals_json(rr.totals.transitioned)},
                   {"after", totals_json(rr.totals.after)}};
    r["ecrlpImpact"] = impact_object(o.effect);
    repos.push_back(std::move(r));
  }
  j["repositories"] = std::move(repos);
  const auto& res = doc.result;
  j["totals"] = {{"repositories", doc.snapshot.repositories.size()},
                 {"evaluated", res.evaluated},
                 {"skipped", res.skipped},
                 {"withoutPolicy", res.without_policy},
                 {"guardedByIndex", res.guarded},
                 {"referrersFollowing", res.referrers},
                 {"inUseViolations", violation_count(doc.outcomes)},
                 {"before", totals_json(res.totals.before)},
                 {"expired", totals_json(res.totals.expired)},
                 {"transitioned", totals_json(res.totals.transitioned)},
                 {"after", totals_json(res.totals.after)}};
  j["ecrlpImpact"] = impact_object(doc.total, !doc.override_policy.empty());
  return j.dump(4, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string render_registry_csv(const registry_document& doc) {
  std::string out =
      "repositoryName,imageDigest,imageTags,imagePushedAt,imageStatus,imageSizeInBytes,findings,"
      "action,appliedRulePriority,inUse,inUseReferences\r\n";
  auto it = std::back_inserter(out);
  struct row_ref {
    std::size_t repo;
    std::size_t image;
  };
  std::vector<row_ref> first;
  std::vector<row_ref> rest;
  for (std::size_t k = 0; k < doc.outcomes.size(); ++k) {
    const auto& o = doc.outcomes[k];
    if (o.result == nullptr) continue;
    std::vector<char> violating(o.images.size(), 0);
    for (const auto& v : o.violations) {
      violating[v.image_index] = 1;
      first.push_back({k, v.image_index});
    }
    for (const std::size_t i : o.result->order) {
      if (violating[i] == 0) rest.push_back({k, i});
    }
  }
  const auto write = [&](const row_ref& r) {
    const auto& o = doc.outcomes[r.repo];
    const image& img = o.images[r.image];
    const auto& d = o.result->decisions[r.image];
    const bool used = r.image < o.matches.size() && o.matches[r.image].in_use();
    std::vector<std::size_t> refs;
    if (used) {
      refs = o.matches[r.image].refs;
      for (const auto& v : o.violations) {
        if (v.image_index == r.image) refs = v.refs;
      }
    }
    fmt::format_to(it, "{},{},{},{},{},{},{},{},{},{},{}\r\n", csv_field(o.name),
                   csv_field(img.digest), csv_field(join(img.tags, " ")),
                   format_timestamp(img.pushed_at), to_string(img.status), img.size_bytes,
                   img.findings ? std::to_string(img.findings->total()) : std::string(),
                   action_api(d.action),
                   d.applied_rule_priority() ? std::to_string(*d.owner) : std::string(),
                   used ? "true" : "false", csv_field(refs_text(refs, doc.in_use)));
  };
  for (const auto& r : first) write(r);
  for (const auto& r : rest) write(r);
  return out;
}

namespace {

/// The affected images of every evaluated repository, each with its explanation: one section and
/// one sortable table (`images-K`, K the repository's place in the snapshot) per repository with
/// any, at most doc.max_rows rows over the page.
std::string affected_sections(const registry_document& doc) {
  std::size_t affected = 0;
  for (const auto& o : doc.outcomes) {
    if (o.result != nullptr) affected += o.result->expiring + o.result->transitioning;
  }
  std::string out = "<h2>Affected images</h2>\n";
  if (doc.max_rows != 0 && doc.max_rows < affected) {
    fmt::format_to(std::back_inserter(out),
                   "<p class=\"muted\" id=\"rows-note\">The first {} of {} affected images are "
                   "listed (repositories in name order, each oldest first), each with its "
                   "explanation; sorting reorders the listed rows only.</p>\n",
                   group_digits(doc.max_rows), group_digits(affected));
  } else {
    fmt::format_to(std::back_inserter(out),
                   "<p class=\"muted\" id=\"rows-note\">All {} affected images are listed, each "
                   "with its explanation (click a digest).</p>\n",
                   group_digits(affected));
  }
  if (affected == 0) return out;
  const lifecycle_policy no_policy;
  std::size_t left = doc.max_rows == 0 ? affected : doc.max_rows;
  for (std::size_t k = 0; k < doc.outcomes.size() && left != 0; ++k) {
    const auto& o = doc.outcomes[k];
    const auto& rr = doc.result.repositories[k];
    if (o.result == nullptr || !rr.evaluated) continue;
    const std::size_t here = o.result->expiring + o.result->transitioning;
    if (here == 0) continue;
    const repository_snapshot& repo = doc.snapshot.repositories[k];
    const lifecycle_policy& policy =
        doc.policy_override != nullptr ? *doc.policy_override
                                       : (repo.policy ? repo.policy->policy : no_policy);
    const explainer ex(policy, o.images,
                       {.now = doc.now,
                        .indexes = repo.images.indexes,
                        .independent_images = doc.independent_images});
    const std::size_t listed = std::min(here, left);
    fmt::format_to(std::back_inserter(out), "<h3 id=\"repo-{}\">{}: {} of {} affected image{}</h3>\n",
                   k, detail::html_escape(o.name), group_digits(listed), group_digits(here),
                   here == 1 ? "" : "s");
    const std::vector<bool> in_use = detail::in_use_flags(o.images.size(), o.matches, o.violations);
    out += detail::affected_images_table("images-" + std::to_string(k), o.images, *o.result, ex,
                                         o.matches, doc.in_use.refs, in_use, listed);
    left -= listed;
  }
  return out;
}

}  // namespace

std::string render_registry_html(const registry_document& doc) {
  using detail::html_escape;
  std::string out = detail::html_page_start("Registry preview of " + doc.snapshot.directory.string());
  auto it = std::back_inserter(out);
  const auto& res = doc.result;
  fmt::format_to(it,
                 "<p>At {}: {} repositories ({} evaluated, {} skipped, {} without a policy), {} "
                 "images ({}). Policy: {}.</p>\n",
                 html_escape(format_timestamp(doc.now)), doc.snapshot.repositories.size(),
                 res.evaluated, res.skipped, res.without_policy,
                 group_digits(doc.total.before.images), human_bytes(doc.total.before.bytes),
                 doc.override_policy.empty()
                     ? std::string("each repository's own lifecycle policy")
                     : html_escape(doc.override_policy) + " applied to every repository (what-if)");
  // In-use violations first.
  if (doc.in_use.given) {
    const std::size_t n = violation_count(doc.outcomes);
    if (n == 0) {
      out += "<div id=\"in-use\" style=\"border:2px solid #2e8b57;background:#eef8f1;"
             "padding:0.3em 1em;margin:1em 0\"><p><strong>In use:</strong> no in-use image is "
             "expired or transitioned.</p></div>\n";
    } else {
      fmt::format_to(it,
                     "<div id=\"in-use\" style=\"border:2px solid #b3261e;background:#fdf0ef;"
                     "padding:0.3em 1em;margin:1em 0\">\n<h2 style=\"margin-top:0.5em;border:none;"
                     "color:#b3261e\">IN USE: {} running image{} would be removed</h2>\n",
                     n, n == 1 ? "" : "s");
      out += "<table class=\"sortable\" id=\"in-use-violations\"><thead><tr><th>Repository</th>"
             "<th>Action</th><th class=\"n\">Rule</th><th>Digest</th><th>Tags</th>"
             "<th>In use as</th></tr></thead><tbody>\n";
      for (const auto& o : doc.outcomes) {
        for (const auto& v : o.violations) {
          const image& img = o.images[v.image_index];
          std::string as;
          for (const auto& g : detail::reference_groups(doc.in_use.refs, v.refs, 10)) {
            as += (as.empty() ? "" : "<br />") + html_escape(g);
          }
          fmt::format_to(it,
                         "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td>{}<td>{}</td>"
                         "<td style=\"word-break:break-all\">{}</td></tr>\n",
                         html_escape(o.name), html_escape(detail::violation_action_text(v)),
                         v.rule_priority, detail::short_digest_cell(img.digest),
                         html_escape(join(img.tags, ", ")), as);
        }
      }
      out += "</tbody></table>\n</div>\n";
    }
  }
  // Bytes per repository: kept, archived, freed.
  std::vector<detail::bar_row> bars;
  for (std::size_t k = 0; k < doc.outcomes.size(); ++k) {
    const auto& o = doc.outcomes[k];
    if (o.result == nullptr) continue;
    const auto& e = o.effect;
    const std::uint64_t kept = e.after.bytes - e.transitioned.bytes;
    bars.push_back({std::string(o.name),
                    {static_cast<double>(kept), static_cast<double>(e.transitioned.bytes),
                     static_cast<double>(e.expired.bytes)},
                    human_bytes(e.before.bytes)});
  }
  out += "<h2>Repositories</h2>\n";
  out += detail::bar_chart("repository-bytes", "Bytes per repository after the policy", bars,
                           {{"kept", "#4a78c2", {}},
                            {"moved to archive", "#9b7ede", {}},
                            {"freed", "#e0e0e0", {}}});
  out += "<table class=\"sortable\" id=\"repositories\"><thead><tr><th>Repository</th>"
         "<th>Policy</th><th class=\"n\">Images</th><th class=\"n\">Expired</th>"
         "<th class=\"n\">Bytes freed</th><th class=\"n\">Transitioned</th>"
         "<th class=\"n\">Cost a month before</th><th class=\"n\">After</th>"
         "<th class=\"n\">Findings before</th><th class=\"n\">After</th>"
         "<th class=\"n\">In use removed</th></tr></thead><tbody>\n";
  for (std::size_t k = 0; k < doc.snapshot.repositories.size(); ++k) {
    const auto& repo = doc.snapshot.repositories[k];
    const auto& rr = res.repositories[k];
    if (!rr.evaluated) {
      fmt::format_to(it,
                     "<tr><td>{}</td><td>skipped</td><td class=\"n\">0</td><td class=\"n\">0</td>"
                     "<td class=\"n\" data-v=\"0\">-</td><td class=\"n\">0</td>"
                     "<td class=\"n\" data-v=\"0\">-</td><td class=\"n\" data-v=\"0\">-</td>"
                     "<td class=\"n\">0</td><td class=\"n\">0</td><td class=\"n\">0</td></tr>\n",
                     html_escape(repo.name));
      continue;
    }
    const auto& e = doc.outcomes[k].effect;
    // Counts are shown grouped ("1,154"); data-v keeps them sortable as numbers.
    const auto count = [](std::uint64_t n) {
      return fmt::format("<td class=\"n\" data-v=\"{}\">{}</td>", n, group_digits(n));
    };
    fmt::format_to(it,
                   "<tr><td>{}</td><td>{}</td>{}{}<td class=\"n\" data-v=\"{}\">{}</td>{}"
                   "<td class=\"n\" data-v=\"{}\">{}</td><td class=\"n\" data-v=\"{}\">{}</td>"
                   "{}{}{}</tr>\n",
                   html_escape(repo.name), to_string(rr.source), count(e.before.images),
                   count(e.expired.images), e.expired.bytes, human_bytes(e.expired.bytes),
                   count(e.transitioned.images), to_cents(e.monthly_cost_before()),
                   html_escape(dollars(e.monthly_cost_before())), to_cents(e.monthly_cost_after()),
                   html_escape(dollars(e.monthly_cost_after())), count(e.before.findings.total()),
                   count(e.after.findings.total()), count(doc.outcomes[k].violations.size()));
  }
  out += "</tbody></table>\n";
  // The total impact.
  const auto& t = doc.total;
  out += "<h2>Total impact</h2>\n";
  fmt::format_to(it,
                 "<p>Bytes freed: {} in {} image{}; moved to archive: {} in {} image{}. Monthly "
                 "storage cost {} before, {} after ({} saved a month; {}). Archive minimum "
                 "charge committed: {}.</p>\n",
                 human_bytes(t.bytes_freed()), group_digits(t.expired.images),
                 t.expired.images == 1 ? "" : "s", human_bytes(t.transitioned.bytes),
                 group_digits(t.transitioned.images), t.transitioned.images == 1 ? "" : "s",
                 html_escape(dollars(t.monthly_cost_before())),
                 html_escape(dollars(t.monthly_cost_after())),
                 html_escape(dollars(t.monthly_saving())), html_escape(detail::prices_text(t.prices)),
                 html_escape(dollars(t.archive_minimum_charge())));
  const auto severities = [](const finding_counts& f) {
    return std::vector<double>{static_cast<double>(f.critical), static_cast<double>(f.high),
                               static_cast<double>(f.medium),   static_cast<double>(f.low),
                               static_cast<double>(f.informational),
                               static_cast<double>(f.undefined)};
  };
  out += detail::bar_chart(
      "findings", "Scan findings before and after, by severity",
      {{"before", severities(t.before.findings), group_digits(t.before.findings.total()) + " findings"},
       {"after", severities(t.after.findings), group_digits(t.after.findings.total()) + " findings"}},
      {{"critical", "#b3261e", {}},
       {"high", "#e8711a", {}},
       {"medium", "#e0b400", {}},
       {"low", "#8a9bb0", {}},
       {"informational", "#b8c4d6", {}},
       {"undefined", "#dde3ec", {}}});
  out += affected_sections(doc);
  out += detail::html_page_end();
  return out;
}

}  // namespace ecrlp
