// SPDX-License-Identifier: MIT
// `ecrlp diff` as markdown: the changes by kind, the rules that differ, the changed images
// folded; per changed repository with --registry.

#include "render/markdown/report.hpp"

#include <algorithm>

#include "document/explanation.hpp"
#include "document/simulation.hpp"

namespace ecrlp::writer::markdown {

// ---- diff -------------------------------------------------------------------------------------

void diff_into(report& r, const diff_document& doc, std::string_view heading) {
  const policy_diff& d = doc.diff;
  r.format("{} at {}: {} image{}, **{}** change{} fate\n\n", heading, format_timestamp(doc.now),
           group_digits(doc.images.size()), plural_s(doc.images.size()), group_digits(d.changes.size()),
           plural_s(d.changes.size()));
  r.format("- old: {}: {} expire, {} transition\n- new: {}: {} expire, {} transition\n\n",
           code(doc.before_name), group_digits(d.before.expiring), group_digits(d.before.transitioning),
           code(doc.after_name), group_digits(d.after.expiring), group_digits(d.after.transitioning));
  std::string kinds = table_head({{"Change"}, {"Images", true}, {"Size", true}});
  for (const auto k : all_change_kinds) {
    if (d.total(k).images == 0) continue;
    kinds += table_row({md(describe(k)), group_digits(d.total(k).images), human_bytes(d.total(k).bytes)});
  }
  if (!d.changes.empty()) r.put(kinds + "\n");
  std::string differ;
  for (const auto p : detail::all_priorities(doc.before_policy, doc.after_policy)) {
    const rule* a = detail::find_rule(doc.before_policy, p);
    const rule* b = detail::find_rule(doc.after_policy, p);
    if (a != nullptr && b != nullptr && detail::same_rule(*a, *b)) continue;
    differ += table_row({std::to_string(p), md(detail::rule_definition(a, "(none)")),
                         md(detail::rule_definition(b, "(none)"))});
  }
  if (!differ.empty()) {
    r.put("Rules that differ:\n\n" + table_head({{"Priority", true}, {"Old"}, {"New"}}) + differ + "\n");
  }
  if (d.changes.empty()) {
    r.put("No image changes fate.\n\n");
    return;
  }
  r.add({"Changed images, oldest first", true,
         table_head({{"Pushed"}, {"Change"}, {"Old"}, {"New"}, {"Size", true}, {"Digest"}, {"Tags"}}),
         d.changes.size(),
         [doc](std::size_t k) {
           const fate_change& c = doc.diff.changes[k];
           const image& img = doc.images[c.image_index];
           return table_row({format_timestamp(img.pushed_at), md(describe(c.kind)),
                             md(detail::decision_text(c.before)), md(detail::decision_text(c.after)),
                             human_bytes(img.size_bytes), short_digest(img), tags(img)});
         },
         "`--format csv` lists every changed image"});
}

void write(output& out, const diff_document& doc, const render_options& options) {
  report r(options);
  diff_into(r, doc, "## Lifecycle policy diff");
  r.write(out);
}

void write(output& out, const registry_diff_document& doc, const render_options& options) {
  report r(options);
  r.format("## Registry diff of {} at {}: {} &rarr; {}\n\n**{}** of {} repositor{} change; **{}** "
           "image{} change fate.\n\n",
           code(doc.snapshot_directory), format_timestamp(doc.now), code(doc.old_label),
           code(doc.new_name), group_digits(doc.repositories_changed),
           group_digits(doc.repositories.size()), doc.repositories.size() == 1 ? "y" : "ies",
           group_digits(doc.change_count()), plural_s(doc.change_count()));
  std::string kinds = table_head({{"Change"}, {"Images", true}, {"Size", true}});
  for (std::size_t k = 0; k < change_kind_count; ++k) {
    kinds += table_row({md(describe(all_change_kinds[k])), group_digits(doc.totals[k].images),
                        human_bytes(doc.totals[k].bytes)});
  }
  r.put(kinds + "\n");
  for (const auto& repo : doc.repositories) {
    if (!repo.evaluated) {
      r.format("Repository {}: skipped, its files have errors.\n\n", code(repo.name));
    } else if (!repo.diff.empty()) {
      diff_into(r, document_of(repo, doc.now), "### Repository " + code(repo.name));
    }
  }
  std::size_t unchanged = 0;
  for (const auto& repo : doc.repositories) unchanged += repo.evaluated && repo.diff.empty() ? 1U : 0U;
  if (unchanged > 0) r.format("{} other repositor{} do not change.\n", group_digits(unchanged), unchanged == 1 ? "y" : "ies");
  r.write(out);
}

}  // namespace ecrlp::writer::markdown
