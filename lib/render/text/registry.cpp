// SPDX-License-Identifier: MIT
// A registry preview for a person: in-use violations first, a line per repository, the total,
// and the total impact (docs/registry-snapshot.md).

#include <algorithm>
#include <string>
#include <vector>

#include "document/phrases.hpp"
#include "render/text/table.hpp"
#include "render/text/text.hpp"

namespace ecrlp::writer::text {
namespace {

using detail::dollars_text;
using detail::group_digits;
using detail::human_bytes;
using detail::plural_s;

/// "payments:v1 (running.txt:3 /items/0)": a reference with its place.
std::string ref_label(const in_use_ref& r) {
  std::string out = r.text + " (" + r.source;
  if (r.line != 0) {  // two appends: ":" + std::to_string() trips GCC 12's -Wrestrict at -O3
    out += ':';
    out += std::to_string(r.line);
  }
  if (!r.pointer.empty()) out += " " + r.pointer;
  return out + ")";
}

/// "In-use images that would be removed": one line per violation, or a line saying there is none.
void in_use_table(output& out, std::span<const repository_outcome> outcomes,
                  const in_use_view& in_use) {
  if (!in_use.given) return;
  const std::size_t n = violation_count(outcomes);
  if (n == 0) {
    out.format("In use: no in-use image is expired or transitioned ({} reference{} read)\n\n",
               group_digits(in_use.refs.size()), plural_s(in_use.refs.size()));
    return;
  }
  out.format("IN-USE VIOLATIONS: {} running image{} would be removed\n", group_digits(n),
             plural_s(n));
  table t({{"Repository", left, 10, true},
           {"Action", left, 10},
           {"Rule", right, 4},
           {"Pushed", left, 32},
           {"Digest", left, 19},
           {"Tags", left, 20},
           {"In use as"}});
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
        for (const std::size_t index : v.through) {
          if (index < o.images.size()) {
            as += ' ';
            as += detail::short_digest(o.images[index].digest);
          }
        }
      }
      std::string rule = std::to_string(v.rule_priority);
      if (v.related == relation::referrer) rule += "*";
      t.row({o.name.empty() ? std::string("-") : std::string(o.name),
             std::string(detail::action_api(v.action)), std::move(rule),
             format_timestamp(img.pushed_at), detail::short_digest(img.digest),
             detail::tags_text(img), std::move(as)});
    }
  }
  t.write(out);
  out.put("\n");
}

/// Bytes freed and transitioned, monthly cost before and after, the archive minimum charge,
/// findings before and after by severity, and (`with_rules`) per-rule bytes.
void impact_table(output& out, const impact& e, bool with_rules) {
  out.format("Impact (prices: {})\n", detail::prices_text(e.prices));
  out.format("  Bytes freed:          {} ({} bytes) by {} expired image{}\n",
             human_bytes(e.bytes_freed()), group_digits(e.bytes_freed()),
             group_digits(e.expired.images), plural_s(e.expired.images));
  out.format("  Moved to archive:     {} ({} bytes) in {} image{}\n",
             human_bytes(e.transitioned.bytes), group_digits(e.transitioned.bytes),
             group_digits(e.transitioned.images), plural_s(e.transitioned.images));
  out.format("  Monthly storage cost: {} before, {} after, {} saved per month\n",
             dollars_text(e.monthly_cost_before()), dollars_text(e.monthly_cost_after()),
             dollars_text(e.monthly_saving()));
  if (e.transitioned.images > 0) {
    out.format("  Archive minimum:      {} committed ({} days at the archive price)\n",
               dollars_text(e.archive_minimum_charge()), e.prices.archive_minimum_days);
  }
  findings_table(out, 20, {{"  before", &e.before.findings},
                                           {"  after", &e.after.findings}});
  if (!with_rules) return;
  table rules({{"Rule", right, 8},
               {"Expired", right, 8},
               {"Freed", right, 10},
               {"Archived", right, 10},
               {"Moved", right, 10},
               {"Saving/month", right, 12}});
  for (const auto& r : e.rules) {
    if (r.expired.images + r.transitioned.images == 0) continue;
    rules.row({std::to_string(r.priority), group_digits(r.expired.images),
               human_bytes(r.expired.bytes), group_digits(r.transitioned.images),
               human_bytes(r.transitioned.bytes), dollars_text(r.monthly_saving(e.prices))});
  }
  if (!rules.empty()) rules.write(out);
}

void repositories(output& out, const registry_document& doc) {
  std::size_t name_w = 10;
  for (const auto& r : doc.snapshot.repositories) name_w = std::max(name_w, r.name.size());
  out.put("Repositories\n");
  table t({{"Repository", left, name_w},
           {"Policy", left, 8},
           {"Images", right, 7},
           {"Size", right, 10},
           {"Expire", right, 7},
           {"Freed", right, 10},
           {"Archive", right, 7},
           {"Moved", right, 10},
           {"Cost/month", right, 11},
           {"After", right, 11},
           {"Findings", right, 9},
           {"After", right, 9},
           {"", left, 0, false, ""}});
  const auto line = [&](std::string name, std::string policy, const impact& e, std::string extra) {
    t.row({std::move(name), std::move(policy), group_digits(e.before.images),
           human_bytes(e.before.bytes), group_digits(e.expired.images),
           human_bytes(e.expired.bytes), group_digits(e.transitioned.images),
           human_bytes(e.transitioned.bytes), dollars_text(e.monthly_cost_before()),
           dollars_text(e.monthly_cost_after()), group_digits(e.before.findings.total()),
           group_digits(e.after.findings.total()), std::move(extra)});
  };
  for (std::size_t k = 0; k < doc.snapshot.repositories.size(); ++k) {
    const auto& repo = doc.snapshot.repositories[k];
    const auto& rr = doc.result.repositories[k];
    if (!rr.evaluated) {
      t.note(fmt::format("{:<{}}  skipped: its files have errors (see stderr)", repo.name, name_w));
      continue;
    }
    std::string extra;
    if (rr.evaluation.guarded + rr.evaluation.referrers > 0) {
      extra = fmt::format("  ({} guarded by an index, {} referrer{} following)",
                          rr.evaluation.guarded, rr.evaluation.referrers,
                          plural_s(rr.evaluation.referrers));
    }
    const auto& o = doc.outcomes[k];
    if (!o.violations.empty()) extra += fmt::format("  {} IN USE", o.violations.size());
    line(repo.name, std::string(to_string(rr.source)), o.effect, std::move(extra));
  }
  line("Total", "", doc.total, "");
  t.write(out);
}

}  // namespace

void write(output& out, const registry_document& doc, const render_options&) {
  const auto& res = doc.result;
  out.format("Registry preview of {} at {}\n", doc.snapshot.directory.string(),
             format_timestamp(doc.now));
  out.format("{} repositor{} ({} evaluated, {} skipped, {} without a policy), {} images ({})\n",
             group_digits(doc.snapshot.repositories.size()),
             doc.snapshot.repositories.size() == 1 ? "y" : "ies", group_digits(res.evaluated),
             group_digits(res.skipped), group_digits(res.without_policy),
             group_digits(doc.total.before.images), human_bytes(doc.total.before.bytes));
  if (doc.override_policy.empty()) {
    out.put("Policy: each repository's own lifecycle policy\n\n");
  } else if (!doc.repository_policies.empty()) {
    out.format("Policy: those of {} for the {} repositor{} it names; the others their own\n\n",
               doc.override_policy, doc.repository_policies.size(),
               doc.repository_policies.size() == 1 ? "y" : "ies");
  } else {
    out.format("Policy: {} applied to every repository (what-if)\n\n", doc.override_policy);
  }
  in_use_table(out, doc.outcomes, doc.in_use);
  repositories(out, doc);
  out.put("\n");
  // Rules merged by priority mean one rule only when one policy was applied everywhere.
  impact_table(out, doc.total, !doc.override_policy.empty() && doc.repository_policies.empty());
}

}  // namespace ecrlp::writer::text
