// SPDX-License-Identifier: MIT
// `ecrlp preview` as markdown, for one repository and for a registry: in-use images removed
// first, then the totals, the rules and the affected images folded.

#include "render/markdown/report.hpp"

#include <algorithm>

#include "document/explanation.hpp"
#include "document/simulation.hpp"

namespace ecrlp::writer::markdown {

// ---- preview ----------------------------------------------------------------------------------

void write(output& out, const preview_document& doc, const render_options& options) {
  report r(options);
  const preview_totals t = summarize(doc.images, doc.result);
  r.format("## Lifecycle policy preview{}{}\n\n", doc.repository_name.empty() ? "" : " of ",
           code(doc.repository_name));
  std::vector<bool> in_use;
  if (doc.has_in_use()) {
    in_use = detail::in_use_flags(doc.images.size(), detail::view_of(doc.in_use),
                                  detail::view_of(doc.violations));
    const auto running = static_cast<std::size_t>(std::count(in_use.begin(), in_use.end(), true));
    const auto violations = detail::view_of(doc.violations);
    if (violations.empty()) {
      r.format("**In use:** {} running image{}; none is expired or transitioned.\n\n",
               group_digits(running), plural_s(running));
    } else {
      r.format("### :warning: IN USE: {} of {} running image{} would be removed\n\n",
               group_digits(violations.size()), group_digits(running), plural_s(running));
      const auto refs = detail::view_of(doc.in_use_refs);
      r.add({"In-use images removed", false, violations_head(false), violations.size(),
             [doc, refs, violations](std::size_t k) {
               return violation_row(doc.images, violations[k], refs, "");
             },
             "`--format csv` lists every image"});
    }
  }
  r.format("At {}: **{}** images ({}) evaluated against {} rule{}: **{}** expire ({}), **{}** "
           "move to archive ({}), {} remain.\n\n",
           format_timestamp(doc.now), group_digits(t.before.images), human_bytes(t.before.bytes),
           doc.policy.rules.size(), plural_s(doc.policy.rules.size()), group_digits(t.expired.images),
           human_bytes(t.expired.bytes), group_digits(t.transitioned.images),
           human_bytes(t.transitioned.bytes), group_digits(t.after.images));
  r.put(totals_table({{"Before", &t.before}, {"Expire", &t.expired}, {"Transition", &t.transitioned},
                      {"After", &t.after}}));
  r.put("### Rules\n\n" + rules_table(doc.policy, doc.result));
  if (doc.impact != nullptr) r.put(impact_section(*doc.impact, true));
  const auto affected = affected_images(doc.result);
  if (affected.empty()) {
    r.put("No image is expired or transitioned.\n\n");
  } else {
    r.add({"Affected images, oldest first", true, affected_head(), affected.size(),
           [doc, affected, in_use](std::size_t k) {
             const std::size_t i = affected[k];
             return affected_row(doc.images[i], doc.result.decisions[i], !in_use.empty() && in_use[i]);
           },
           "`--format csv` lists every image"});
  }
  r.write(out);
}


// ---- registry preview -------------------------------------------------------------------------

void write(output& out, const registry_document& doc, const render_options& options) {
  report r(options);
  r.format("## Registry preview of {} at {}\n\n", code(doc.snapshot.directory.string()),
           format_timestamp(doc.now));
  if (doc.in_use.given) {
    const std::size_t n = violation_count(doc.outcomes);
    if (n == 0) {
      r.put("**In use:** no in-use image is expired or transitioned.\n\n");
    } else {
      r.format("### :warning: IN USE: {} running image{} would be removed\n\n", group_digits(n),
               plural_s(n));
      std::vector<std::pair<const repository_outcome*, const in_use_violation*>> rows;
      for (const auto& o : doc.outcomes) {
        for (const auto& v : o.violations) rows.emplace_back(&o, &v);
      }
      r.add({"In-use images removed", false, violations_head(true), rows.size(),
             [&doc, rows](std::size_t k) {
               const auto& [o, v] = rows[k];
               return violation_row(o->images, *v, doc.in_use.refs,
                                    o->name.empty() ? std::string_view("-") : o->name);
             },
             "`--format csv` lists every image"});
    }
  }
  const auto& res = doc.result;
  r.format("{} repositor{} ({} evaluated, {} skipped, {} without a policy); policy: {}. **{}** "
           "images ({}): **{}** expire ({}), **{}** move to archive.\n\n",
           group_digits(doc.snapshot.repositories.size()),
           doc.snapshot.repositories.size() == 1 ? "y" : "ies", group_digits(res.evaluated),
           group_digits(res.skipped), group_digits(res.without_policy),
           doc.override_policy.empty()         ? std::string("each repository's own")
           : doc.repository_policies.empty() ? code(doc.override_policy) + " applied to every repository"
                                             : "those of " + code(doc.override_policy) + " for the repositories it names",
           group_digits(doc.total.before.images), human_bytes(doc.total.before.bytes),
           group_digits(doc.total.expired.images), human_bytes(doc.total.expired.bytes),
           group_digits(doc.total.transitioned.images));
  r.add({"Repositories", false,
         table_head({{"Repository"}, {"Policy"}, {"Images", true}, {"Expire", true},
                     {"Freed", true}, {"Archive", true}, {"Cost/month", true}, {"After", true},
                     {"In use removed", true}}),
         doc.snapshot.repositories.size(),
         [doc](std::size_t k) {
           const auto& rr = doc.result.repositories[k];
           const auto& name = doc.snapshot.repositories[k].name;
           if (!rr.evaluated) return table_row({code(name), "skipped", "", "", "", "", "", "", ""});
           const impact& e = doc.outcomes[k].effect;
           return table_row({code(name), std::string(to_string(rr.source)),
                             group_digits(e.before.images), group_digits(e.expired.images),
                             human_bytes(e.expired.bytes), group_digits(e.transitioned.images),
                             detail::dollars_text(e.monthly_cost_before()),
                             detail::dollars_text(e.monthly_cost_after()),
                             group_digits(doc.outcomes[k].violations.size())});
         },
         "`--format json` lists every repository"});
  r.put(impact_section(doc.total, !doc.override_policy.empty() && doc.repository_policies.empty()));
  std::vector<std::pair<std::size_t, std::size_t>> affected;  // (repository, image)
  for (std::size_t k = 0; k < doc.outcomes.size(); ++k) {
    if (doc.outcomes[k].result == nullptr) continue;
    for (const std::size_t i : affected_images(*doc.outcomes[k].result)) affected.emplace_back(k, i);
  }
  if (!affected.empty()) {
    r.add({"Affected images, by repository, oldest first", true,
           with_first_column(affected_head(), "Repository"),
           affected.size(),
           [&doc, affected](std::size_t k) {
             const auto& [repo, i] = affected[k];
             const auto& o = doc.outcomes[repo];
             const bool used = i < o.matches.size() && o.matches[i].in_use();
             return "| " + code(o.name) + " " + affected_row(o.images[i], o.result->decisions[i], used);
           },
           "`--format csv` lists every image"});
  }
  r.write(out);
}

}  // namespace ecrlp::writer::markdown
