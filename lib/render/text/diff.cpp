// SPDX-License-Identifier: MIT
// `ecrlp diff` for a person: totals per kind of change, both policies' rules side by side, the
// rules that differ and the changed images (docs/diff.md); per repository with --registry.

#include <array>
#include <string>
#include <vector>

#include "document/phrases.hpp"
#include "render/text/table.hpp"
#include "render/text/text.hpp"

namespace ecrlp::writer::text {
namespace {

using detail::group_digits;
using detail::human_bytes;

/// Owned, expired, transitioned and kept by one rule; "-" cells when the rule is absent.
std::array<std::string, 4> rule_cells(const lifecycle_policy& p, const evaluation_result& res,
                                      std::int64_t priority) {
  const rule* r = detail::find_rule(p, priority);
  const rule_summary* s = detail::find_summary(res, priority);
  if (r == nullptr || s == nullptr) return {"-", "-", "-", "-"};
  const auto acts = detail::acts_of(r, *s);
  return {group_digits(s->owned), group_digits(acts.expired), group_digits(acts.transitioned),
          group_digits(acts.kept)};
}

void kinds(output& out, const policy_diff& d) {
  out.put("Changes by kind\n");
  table t({{"Kind", left, 24}, {"Images", right, 8}, {"Size", right, 10}});
  for (const auto k : all_change_kinds) {
    t.row({std::string(describe(k)), group_digits(d.total(k).images),
           human_bytes(d.total(k).bytes)});
  }
  t.write(out);
}

void rules(output& out, const diff_document& doc) {
  const policy_diff& d = doc.diff;
  out.put("\nRules (highest priority first; - = not in that policy)\n");
  table t({{"Priority", right, 8},
           {"old owned", right, 9},
           {"expire", right, 7, false, " "},
           {"transition", right, 10, false, " "},
           {"kept", right, 7, false, " "},
           {"new owned", right, 9},
           {"expire", right, 7, false, " "},
           {"transition", right, 10, false, " "},
           {"kept", right, 7, false, " "}});
  std::string redefined;
  for (const auto p : detail::all_priorities(doc.before_policy, doc.after_policy)) {
    const auto o = rule_cells(doc.before_policy, d.before, p);
    const auto n = rule_cells(doc.after_policy, d.after, p);
    t.row({std::to_string(p), o[0], o[1], o[2], o[3], n[0], n[1], n[2], n[3]});
    const rule* before = detail::find_rule(doc.before_policy, p);
    const rule* after = detail::find_rule(doc.after_policy, p);
    if (before == nullptr || after == nullptr || !detail::same_rule(*before, *after)) {
      redefined += fmt::format("  rule {}: old {}\n  {:{}} new {}\n", p,
                               detail::rule_definition(before, "(none)"), "",
                               fmt::formatted_size("rule {}:", p),
                               detail::rule_definition(after, "(none)"));
    }
  }
  t.write(out);
  if (!redefined.empty()) out.format("\nRules that differ\n{}", redefined);
}

void changed_images(output& out, const diff_document& doc) {
  const policy_diff& d = doc.diff;
  out.format("\nChanged images, oldest first ({}):\n", group_digits(d.changes.size()));
  table t({{"Pushed", left, 32},
           {"Change", left, 23},
           {"Old", left, 3, true},
           {"New", left, 3, true},
           {"Size", right, 10},
           {"Digest", left, 19},
           {"Tags"}});
  for (const auto& c : d.changes) {
    const image& img = doc.images[c.image_index];
    t.row({format_timestamp(img.pushed_at), std::string(describe(c.kind)),
           detail::decision_text(c.before), detail::decision_text(c.after),
           human_bytes(img.size_bytes), detail::short_digest(img.digest), detail::tags_text(img)});
  }
  t.write(out);
}

}  // namespace

void write(output& out, const diff_document& doc, const render_options&) {
  const policy_diff& d = doc.diff;
  out.format("Policy diff at {}: {} images, {} change{}\n", format_timestamp(doc.now),
             group_digits(doc.images.size()), group_digits(d.changes.size()),
             detail::plural_s(d.changes.size()));
  out.format("  old: {} ({} expire, {} transition)\n", doc.before_name,
             group_digits(d.before.expiring), group_digits(d.before.transitioning));
  out.format("  new: {} ({} expire, {} transition)\n\n", doc.after_name,
             group_digits(d.after.expiring), group_digits(d.after.transitioning));
  kinds(out, d);
  rules(out, doc);
  if (d.changes.empty()) {
    out.put("\nNo image changes fate.\n");
    return;
  }
  changed_images(out, doc);
}

void write(output& out, const registry_diff_document& doc, const render_options& options) {
  out.format("Registry diff of {} at {}: {} -> {}\n{} of {} repositories change\n\n",
             doc.snapshot_directory, format_timestamp(doc.now), doc.old_label, doc.new_name,
             doc.repositories_changed, doc.repositories.size());
  for (const auto& r : doc.repositories) {
    if (!r.evaluated) {
      out.format("Repository {}: skipped, its files have errors (see stderr)\n\n", r.name);
      continue;
    }
    out.format("Repository {}\n", r.name);
    write(out, document_of(r, doc.now), options);
    out.put("\n");
  }
  out.put("Total\n");
  for (std::size_t k = 0; k < change_kind_count; ++k) {
    out.format("  {}: {} images, {} bytes\n", to_string(all_change_kinds[k]), doc.totals[k].images,
               doc.totals[k].bytes);
  }
}

}  // namespace ecrlp::writer::text
