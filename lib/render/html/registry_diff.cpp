// SPDX-License-Identifier: MIT
// A registry diff as one self-contained page: the kinds of change in total and per repository, a
// sortable table of the repositories, then per changed repository its before/after bars and its
// changed images, each unfolding to its explanations under both policies.

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

using detail::group_digits;
using detail::human_bytes;

std::string_view plural(std::size_t n, std::string_view one, std::string_view many) {
  return n == 1 ? one : many;
}

/// A repository's images by the storage class they are in now, and after each policy: the rows of
/// its before/after chart (bytes by storage class).
std::vector<bar_row> before_after_rows(const repository_diff& r) {
  image_totals standard;
  image_totals archive;
  for (const auto& img : r.images) (img.status == image_status::archived ? archive : standard).add(img);
  const auto row = [](std::string label, const image_totals& s, const image_totals& a) {
    return bar_row{std::move(label),
                           {static_cast<double>(s.bytes), static_cast<double>(a.bytes)},
                           group_digits(s.images + a.images) +
                               std::string(plural(s.images + a.images, " image, ", " images, ")) +
                               human_bytes(s.bytes + a.bytes)};
  };
  const auto old_totals = summarize(r.images, r.diff.before);
  const auto new_totals = summarize(r.images, r.diff.after);
  return {row("now", standard, archive),
          row("after the old policy", old_totals.after_standard, old_totals.after_archive),
          row("after the new policy", new_totals.after_standard, new_totals.after_archive)};
}

/// Bytes of a repository's changes, over every kind.
std::uint64_t changed_bytes(const policy_diff& d) {
  std::uint64_t n = 0;
  for (const auto& t : d.totals) n += t.bytes;
  return n;
}

/// The sentence above the changed images: how many are listed, and the cap.
std::string rows_note(std::size_t max_rows, std::size_t total) {
  const std::string cap =
      max_rows == 0 ? std::string("every row, each with its explanation: no limit was set")
                    : "at most " + group_digits(max_rows) + " rows on the page, each with its "
                      "explanation";
  std::string out = "<p class=\"muted\" id=\"rows-note\">";
  if (max_rows != 0 && max_rows < total) {
    out += fmt::format("The first {} of {} changed images are listed ({}): repositories in name "
                       "order, each oldest first; a repository's section says how many of its "
                       "changes are left out. Sorting reorders the listed rows only. ",
                       group_digits(max_rows), group_digits(total), cap);
  } else {
    out += fmt::format("All {} changed images are listed ({}). ", group_digits(total), cap);
  }
  out += "Click a column heading to sort; click a digest for the explanation of the image's fate "
         "under both policies, as <code>ecrlp explain</code> gives it.</p>\n";
  return out;
}

std::string registry_diff_page(const registry_diff_document& doc, std::size_t max_rows) {
  std::string out = page_start("Registry diff of " + doc.snapshot_directory);
  auto it = std::back_inserter(out);
  std::size_t evaluated = 0;
  std::vector<std::string_view> skipped;
  for (const auto& r : doc.repositories) {
    if (r.evaluated) {
      ++evaluated;
    } else {
      skipped.push_back(r.name);
    }
  }
  const std::size_t changes = doc.change_count();
  fmt::format_to(it,
                 "<p>Snapshot <code>{}</code> at <code>{}</code>: <code>{}</code> -&gt; "
                 "<code>{}</code>. <strong>{}</strong> of {} repositor{} change ({} evaluated, {} "
                 "skipped); <strong>{}</strong> image{} change fate.</p>\n",
                 html_escape(doc.snapshot_directory), html_escape(format_timestamp(doc.now)),
                 html_escape(doc.old_label), html_escape(doc.new_name),
                 group_digits(doc.repositories_changed), group_digits(doc.repositories.size()),
                 plural(doc.repositories.size(), "y", "ies"), group_digits(evaluated),
                 group_digits(skipped.size()), group_digits(changes), plural(changes, "", "s"));
  if (!skipped.empty()) {
    out += "<p id=\"skipped\"><strong>Skipped</strong> (their files have errors; ecrlp names them "
           "on standard error): ";
    for (std::size_t k = 0; k < skipped.size(); ++k) {
      out += (k == 0 ? "" : ", ") + std::string("<code>") + html_escape(skipped[k]) + "</code>";
    }
    out += ".</p>\n";
  }

  // The registry's totals per kind of change.
  out += "<h2>Changes</h2>\n";
  out += change_kinds_chart("changes", "Bytes of the images of each kind of change, all "
                                    "repositories", doc.totals);
  out += "<table class=\"sortable\" id=\"change-kinds\"><thead><tr><th>Kind</th><th>Code</th>"
         "<th class=\"n\">Repositories</th><th class=\"n\">Images</th><th class=\"n\">Bytes</th>"
         "</tr></thead><tbody>\n";
  for (std::size_t k = 0; k < change_kind_count; ++k) {
    const change_kind kind = all_change_kinds[k];
    std::size_t repos = 0;
    for (const auto& r : doc.repositories) repos += r.diff.totals[k].images > 0 ? 1U : 0U;
    fmt::format_to(it,
                   "<tr><td>{}</td><td><code>{}</code></td><td class=\"n\">{}</td>"
                   "<td class=\"n\">{}</td><td class=\"n\" data-v=\"{}\">{}</td></tr>\n",
                   html_escape(describe(kind)), to_string(kind), repos, doc.totals[k].images,
                   doc.totals[k].bytes, human_bytes(doc.totals[k].bytes));
  }
  out += "</tbody></table>\n";

  // Per repository: changed bytes by kind, and a table.
  out += "<h2>Repositories</h2>\n";
  std::vector<bar_row> bars;
  for (const auto& r : doc.repositories) {
    if (r.diff.empty()) continue;
    std::vector<double> segments;
    for (const auto& t : r.diff.totals) segments.push_back(static_cast<double>(t.bytes));
    bars.push_back({std::string(r.name), std::move(segments),
                    group_digits(r.diff.changes.size()) +
                        std::string(plural(r.diff.changes.size(), " image, ", " images, ")) +
                        human_bytes(changed_bytes(r.diff))});
  }
  if (bars.empty()) {
    out += "<p id=\"no-change\">No repository changes: every image has the same fate under both "
           "policies.</p>\n";
  } else {
    std::vector<chart_series> kinds;
    for (const change_kind kind : all_change_kinds) {
      kinds.push_back({std::string(describe(kind)), std::string(change_kind_color(kind)), {}});
    }
    out += bar_chart("repository-changes",
                             "Bytes of the changed images of each repository, by kind of change",
                             bars, kinds);
  }
  out += "<table class=\"sortable\" id=\"repositories\"><thead><tr><th>Repository</th>"
         "<th>Old policy</th><th class=\"n\">Images</th><th class=\"n\">Changed</th>";
  for (const change_kind kind : all_change_kinds) {
    fmt::format_to(it, "<th class=\"n\">{}</th>", html_escape(describe(kind)));
  }
  out += "<th class=\"n\">Bytes changed</th></tr></thead><tbody>\n";
  for (std::size_t k = 0; k < doc.repositories.size(); ++k) {
    const auto& r = doc.repositories[k];
    if (!r.evaluated) {
      fmt::format_to(it, "<tr class=\"skipped\"><td>{}</td><td>skipped: its files have errors</td>",
                     html_escape(r.name));
      for (std::size_t c = 0; c < change_kind_count + 3; ++c) {
        out += "<td class=\"n\" data-v=\"-1\">-</td>";
      }
      out += "</tr>\n";
      continue;
    }
    const std::string name = r.diff.empty() ? html_escape(r.name)
                                            : fmt::format("<a href=\"#repo-{}\">{}</a>", k,
                                                          html_escape(r.name));
    fmt::format_to(it,
                   "<tr><td>{}</td><td><code>{}</code></td><td class=\"n\">{}</td>"
                   "<td class=\"n\">{}</td>",
                   name, html_escape(r.before_name), r.images.size(), r.diff.changes.size());
    for (const auto& t : r.diff.totals) {
      fmt::format_to(it, "<td class=\"n\" data-v=\"{}\">{}</td>", t.images, group_digits(t.images));
    }
    const std::uint64_t bytes = changed_bytes(r.diff);
    fmt::format_to(it, "<td class=\"n\" data-v=\"{}\">{}</td></tr>\n", bytes, human_bytes(bytes));
  }
  out += "</tbody></table>\n";

  // Per changed repository: before/after bars and its changed images.
  out += "<h2>Changed images</h2>\n";
  out += rows_note(max_rows, changes);
  std::size_t budget = max_rows == 0 ? changes : max_rows;
  for (std::size_t k = 0; k < doc.repositories.size(); ++k) {
    const auto& r = doc.repositories[k];
    if (!r.evaluated || r.diff.empty()) continue;
    const auto old_totals = summarize(r.images, r.diff.before);
    const auto new_totals = summarize(r.images, r.diff.after);
    fmt::format_to(it,
                   "<h3 id=\"repo-{}\">{}</h3>\n<p>{} images; <strong>{}</strong> change fate. "
                   "Old: <code>{}</code> ({} expire, {} transition). New: <code>{}</code> ({} "
                   "expire, {} transition).</p>\n",
                   k, html_escape(r.name), group_digits(r.images.size()),
                   group_digits(r.diff.changes.size()), html_escape(r.before_name),
                   group_digits(old_totals.expired.images),
                   group_digits(old_totals.transitioned.images), html_escape(r.after_name),
                   group_digits(new_totals.expired.images),
                   group_digits(new_totals.transitioned.images));
    out += bar_chart(fmt::format("repo-{}-bytes", k),
                             std::string(r.name) + ": bytes now, after the old policy and after "
                                                   "the new one",
                             before_after_rows(r),
                             {{"standard", "#3b6fd8", {}}, {"archive", "#a65fd0", {}}});
    const std::size_t listed = std::min(budget, r.diff.changes.size());
    budget -= listed;
    if (listed < r.diff.changes.size()) {
      fmt::format_to(it,
                     "<p class=\"muted\" id=\"repo-{}-cap\">{} of its {} changed images listed "
                     "(the page lists at most {}).</p>\n",
                     k, group_digits(listed), group_digits(r.diff.changes.size()),
                     group_digits(max_rows));
    }
    out += changed_images_table(document_of(r, doc.now),
                                        {.now = doc.now,
                                         .indexes = r.indexes,
                                         .independent_images = doc.independent_images},
                                        listed, fmt::format("images-{}", k));
  }
  out += page_end();
  return out;
}

}  // namespace

void write(output& out, const registry_diff_document& doc, const render_options& options) {
  out.put(registry_diff_page(doc, options.max_rows.value_or(1000)));
}

}  // namespace ecrlp::writer::html
