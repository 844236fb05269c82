// SPDX-License-Identifier: MIT
// The preview for a person: in-use violations first, the rules, the totals before and after, the
// affected images, the impact (docs/cli.md#preview).

#include <algorithm>
#include <string>
#include <vector>

#include "document/phrases.hpp"
#include "render/text/table.hpp"
#include "render/text/text.hpp"

namespace ecrlp::writer::text {
namespace {

using detail::group_digits;
using detail::human_bytes;
using detail::plural_s;

/// The "IN USE" block, first in the report: every violation with its digest, tags, action, rule
/// and references (docs/in-use.md#reports).
void violations(output& out, const preview_document& doc, const std::vector<bool>& in_use) {
  const auto running = static_cast<std::size_t>(std::count(in_use.begin(), in_use.end(), true));
  const auto found = detail::view_of(doc.violations);
  if (found.empty()) {
    out.format("In use: {} running image{}; none is expired or transitioned.\n\n",
               group_digits(running), plural_s(running));
    return;
  }
  out.format("IN USE - would be removed: {} of {} running image{}\n", group_digits(found.size()),
             group_digits(running), plural_s(running));
  for (const auto& v : found) {
    if (v.image_index >= doc.images.size()) continue;
    const image& img = doc.images[v.image_index];
    out.format("  {}: {}\n", detail::violation_action_text(v), img.digest);
    out.format("      tags: {}; pushed {}; {}\n", detail::tags_text(img),
               format_timestamp(img.pushed_at), human_bytes(img.size_bytes));
    const auto groups = detail::reference_groups(detail::view_of(doc.in_use_refs), v.refs, 5);
    if (!groups.empty()) out.format("      in use as: {}\n", detail::join(groups, "; "));
    for (const std::size_t t : v.through) {
      if (t >= doc.images.size()) continue;
      const image& index = doc.images[t];
      out.format("      through index: {}{}{}\n", index.digest, index.tags.empty() ? "" : " ",
                 detail::join(index.tags, ", "));
    }
  }
  out.put("\n");
}

void rules(output& out, const preview_document& doc) {
  out.put("Rules (highest priority first)\n");
  table t({{"Priority", right, 8},
           {"Selection", left, 9, true},
           {"Limit", left, 5, true},
           {"Identified", right, 10},
           {"Owned", right, 8},
           {"Expire", right, 8},
           {"Transition", right, 10},
           {"Kept", right, 8},
           {"Acted on", right, 10}});
  for (const auto& rs : doc.result.rules) {
    const rule* r = detail::find_rule(doc.policy, rs.priority);
    const auto acts = detail::acts_of(r, rs);
    t.row({std::to_string(rs.priority),
           r != nullptr ? detail::describe_selection(r->selection) : "?",
           r != nullptr ? detail::describe_limit(r->selection) : "?", group_digits(rs.identified),
           group_digits(rs.owned), group_digits(acts.expired), group_digits(acts.transitioned),
           group_digits(acts.kept), human_bytes(rs.acted_bytes)});
    if (r != nullptr && !r->description.empty()) {
      t.note(fmt::format("{:>8}  \"{}\"", "", r->description));
    }
  }
  t.write(out);
  std::size_t unowned = 0;
  for (const auto& d : doc.result.decisions) unowned += d.owner ? 0U : 1U;
  out.format("  Selected by no rule: {} image{}\n\n", group_digits(unowned), plural_s(unowned));
}

void totals(output& out, const preview_totals& totals) {
  out.put("Totals\n");
  table t({{"", left, 14},
           {"Images", right, 9},
           {"Size", right, 10},
           {"Findings", right, 9},
           {"Critical", right, 9},
           {"High", right, 9},
           {"Medium", right, 9},
           {"Low", right, 9},
           {"Info", right, 9}});
  const auto row = [&](std::string label, const image_totals& x) {
    t.row({std::move(label), group_digits(x.images), human_bytes(x.bytes),
           group_digits(x.findings.total()), group_digits(x.findings.critical),
           group_digits(x.findings.high), group_digits(x.findings.medium),
           group_digits(x.findings.low), group_digits(x.findings.informational)});
  };
  row("Before", totals.before);
  row("Expire", totals.expired);
  row("Transition", totals.transitioned);
  row("After", totals.after);
  row("  standard", totals.after_standard);
  row("  archive", totals.after_archive);
  t.write(out);
}

/// Affected images, oldest first, at most `max_rows` (0 = all).
void affected(output& out, const preview_document& doc, const std::vector<bool>& in_use,
              std::size_t max_rows) {
  const std::size_t count = doc.result.expiring + doc.result.transitioning;
  if (count == 0) {
    out.put("\nNo image is expired or transitioned.\n");
    return;
  }
  const std::size_t shown = max_rows == 0 ? count : std::min(count, max_rows);
  out.format("\nAffected images, oldest first ({} of {}):\n", group_digits(shown),
             group_digits(count));
  table t({{"Pushed", left, 32},
           {"Action", left, 10},
           {"Rule", right, 4},
           {"Size", right, 10},
           {"Digest", left, 19},
           {"Tags"}});
  std::size_t listed = 0;
  for (const std::size_t i : doc.result.order) {
    const auto& dec = doc.result.decisions[i];
    if (dec.action == fate::keep) continue;
    if (listed == shown) break;
    ++listed;
    const image& img = doc.images[i];
    std::string tags = detail::tags_text(img);
    if (!in_use.empty() && in_use[i]) tags += "  [IN USE]";
    t.row({format_timestamp(img.pushed_at), std::string(detail::action_api(dec.action)),
           std::to_string(*dec.owner), human_bytes(img.size_bytes),
           detail::short_digest(img.digest), std::move(tags)});
  }
  t.write(out);
  if (shown < count) {
    out.format("  ... {} more (--max-rows 0 shows all; --format csv lists every image)\n",
               group_digits(count - shown));
  }
}

/// The "Impact" section (docs/impact.md#reports).
void impact_section(output& out, const impact& im) {
  using detail::dollars_text;
  out.format("\nImpact (USD; {})\n", detail::prices_text(im.prices));
  out.format("  Bytes freed: {} ({} bytes) in {} image{}\n", human_bytes(im.bytes_freed()),
             group_digits(im.bytes_freed()), group_digits(im.expired.images),
             plural_s(im.expired.images));
  out.format("  Monthly storage cost: {} before, {} after, saving {}\n",
             dollars_text(im.monthly_cost_before()), dollars_text(im.monthly_cost_after()),
             dollars_text(im.monthly_saving()));
  if (im.transitioned.images > 0) {
    out.format(
        "  Archive minimum charge: {} once, for {} transitioned ({} days at the archive "
        "price, even if deleted or restored sooner)\n",
        dollars_text(im.archive_minimum_charge()), human_bytes(im.transitioned.bytes),
        im.prices.archive_minimum_days);
  }
  findings_table(out, 12, {{"  before", &im.before.findings},
                                           {"  after", &im.after.findings},
                                           {"  removed", &im.expired.findings}});
  table by_rule({{"Rule", right, 8},
                 {"Expired", right, 9},
                 {"Freed", right, 10},
                 {"Transitioned", right, 12},
                 {"Archived", right, 10},
                 {"Saving a month", right, 14},
                 {"Findings removed", right, 16}});
  for (const rule_impact& r : im.rules) {
    by_rule.row({std::to_string(r.priority), group_digits(r.expired.images),
                 human_bytes(r.expired.bytes), group_digits(r.transitioned.images),
                 human_bytes(r.transitioned.bytes), dollars_text(r.monthly_saving(im.prices)),
                 group_digits(r.expired.findings.total())});
  }
  by_rule.write(out);
}

}  // namespace

void write(output& out, const preview_document& doc, const render_options& options) {
  const preview_totals sums = summarize(doc.images, doc.result);
  std::vector<bool> in_use;
  if (doc.has_in_use()) {
    in_use = detail::in_use_flags(doc.images.size(), detail::view_of(doc.in_use),
                                  detail::view_of(doc.violations));
    violations(out, doc, in_use);
  }
  out.format("Lifecycle policy preview{}{} at {}\n", doc.repository_name.empty() ? "" : " of ",
             doc.repository_name, format_timestamp(doc.now));
  out.format("{} images ({}) evaluated against {} rule{}\n\n", group_digits(sums.before.images),
             human_bytes(sums.before.bytes), doc.policy.rules.size(),
             plural_s(doc.policy.rules.size()));
  rules(out, doc);
  totals(out, sums);
  affected(out, doc, in_use, options.max_rows.value_or(50));
  if (doc.impact != nullptr) impact_section(out, *doc.impact);
  if (!doc.result.warnings.empty()) {
    out.format("\n{} warning{} (see stderr)\n", doc.result.warnings.size(),
               plural_s(doc.result.warnings.size()));
  }
}

}  // namespace ecrlp::writer::text
