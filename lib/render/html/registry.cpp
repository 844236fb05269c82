// SPDX-License-Identifier: MIT
// A registry preview as one self-contained page: in-use violations first, bytes per repository,
// a sortable table of the repositories, the total impact, then per repository its affected
// images, each unfolding to its explanation.

#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "document/phrases.hpp"
#include "render/html/cells.hpp"
#include "render/html/charts.hpp"
#include "render/html/html.hpp"
#include "render/html/page.hpp"
#include "render/html/sections.hpp"

namespace ecrlp::writer::html {
namespace {

using detail::dollars_text;
using detail::group_digits;
using detail::human_bytes;

/// The affected images of every evaluated repository, each with its explanation: one section and
/// one sortable table (`images-K`, K the repository's place in the snapshot) per repository with
/// any, at most max_rows rows over the page.
std::string affected_sections(const registry_document& doc, std::size_t max_rows) {
  std::size_t affected = 0;
  for (const auto& o : doc.outcomes) {
    if (o.result != nullptr) affected += o.result->expiring + o.result->transitioning;
  }
  std::string out = "<h2>Affected images</h2>\n";
  if (max_rows != 0 && max_rows < affected) {
    fmt::format_to(std::back_inserter(out),
                   "<p class=\"muted\" id=\"rows-note\">The first {} of {} affected images are "
                   "listed (repositories in name order, each oldest first), each with its "
                   "explanation; sorting reorders the listed rows only.</p>\n",
                   group_digits(max_rows), group_digits(affected));
  } else {
    fmt::format_to(std::back_inserter(out),
                   "<p class=\"muted\" id=\"rows-note\">All {} affected images are listed, each "
                   "with its explanation (click a digest).</p>\n",
                   group_digits(affected));
  }
  if (affected == 0) return out;
  const lifecycle_policy no_policy;
  std::size_t left = max_rows == 0 ? affected : max_rows;
  for (std::size_t k = 0; k < doc.outcomes.size() && left != 0; ++k) {
    const auto& o = doc.outcomes[k];
    const auto& rr = doc.result.repositories[k];
    if (o.result == nullptr || !rr.evaluated) continue;
    const std::size_t here = o.result->expiring + o.result->transitioning;
    if (here == 0) continue;
    const repository_snapshot& repo = doc.snapshot.repositories[k];
    const auto named = std::find_if(
        doc.repository_policies.begin(), doc.repository_policies.end(),
        [&](const repository_policy& p) { return p.repository == repo.name && p.policy != nullptr; });
    const lifecycle_policy& policy =
        doc.policy_override != nullptr              ? *doc.policy_override
        : named != doc.repository_policies.end() ? *named->policy
                                                 : (repo.policy ? repo.policy->policy : no_policy);
    const explainer ex(policy, o.images,
                       {.now = doc.now,
                        .indexes = repo.images.indexes,
                        .independent_images = doc.independent_images});
    const std::size_t listed = std::min(here, left);
    fmt::format_to(std::back_inserter(out), "<h3 id=\"repo-{}\">{}: {} of {} affected image{}</h3>\n",
                   k, html_escape(o.name), group_digits(listed), group_digits(here),
                   here == 1 ? "" : "s");
    const std::vector<bool> in_use = detail::in_use_flags(o.images.size(), o.matches, o.violations);
    out += affected_images_table("images-" + std::to_string(k), o.images, *o.result, ex,
                                         o.matches, doc.in_use.refs, in_use, listed);
    left -= listed;
  }
  return out;
}

std::string registry_page(const registry_document& doc, std::size_t max_rows) {
  std::string out = page_start("Registry preview of " + doc.snapshot.directory.string());
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
                 : !doc.repository_policies.empty()
                     ? "those of " + html_escape(doc.override_policy) +
                           " for the repositories it names, the others their own"
                     : html_escape(doc.override_policy) + " applied to every repository (what-if)");
  // In-use violations first.
  if (doc.in_use.given) {
    const std::size_t n = violation_count(doc.outcomes);
    if (n == 0) {
      out += in_use_clear_panel("no in-use image is expired or transitioned.");
    } else {
      out += in_use_alert_open(
          fmt::format("IN USE: {} running image{} would be removed", n, n == 1 ? "" : "s"));
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
                         v.rule_priority, short_digest_cell(img.digest),
                         html_escape(detail::join(img.tags, ", ")), as);
        }
      }
      out += "</tbody></table>\n</div>\n";
    }
  }
  // Bytes per repository: kept, archived, freed.
  std::vector<bar_row> bars;
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
  out += bar_chart("repository-bytes", "Bytes per repository after the policy", bars,
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
                   html_escape(dollars_text(e.monthly_cost_before())), to_cents(e.monthly_cost_after()),
                   html_escape(dollars_text(e.monthly_cost_after())), count(e.before.findings.total()),
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
                 html_escape(dollars_text(t.monthly_cost_before())),
                 html_escape(dollars_text(t.monthly_cost_after())),
                 html_escape(dollars_text(t.monthly_saving())), html_escape(detail::prices_text(t.prices)),
                 html_escape(dollars_text(t.archive_minimum_charge())));
  const auto severities = [](const finding_counts& f) {
    return std::vector<double>{static_cast<double>(f.critical), static_cast<double>(f.high),
                               static_cast<double>(f.medium),   static_cast<double>(f.low),
                               static_cast<double>(f.informational),
                               static_cast<double>(f.undefined)};
  };
  out += bar_chart(
      "findings", "Scan findings before and after, by severity",
      {{"before", severities(t.before.findings), group_digits(t.before.findings.total()) + " findings"},
       {"after", severities(t.after.findings), group_digits(t.after.findings.total()) + " findings"}},
      {{"critical", "#b3261e", {}},
       {"high", "#e8711a", {}},
       {"medium", "#e0b400", {}},
       {"low", "#8a9bb0", {}},
       {"informational", "#b8c4d6", {}},
       {"undefined", "#dde3ec", {}}});
  out += affected_sections(doc, max_rows);
  out += page_end();
  return out;
}

}  // namespace

void write(output& out, const registry_document& doc, const render_options& options) {
  out.put(registry_page(doc, options.max_rows.value_or(1000)));
}

}  // namespace ecrlp::writer::html
