// SPDX-License-Identifier: MIT
// A plan check for a person: in-use images the changes remove first, the limits, a line per
// change, then each evaluated change's diff exactly as `ecrlp diff` writes it (docs/iac.md).

#include <string>

#include "document/phrases.hpp"
#include "document/plan_check.hpp"
#include "render/text/table.hpp"
#include "render/text/text.hpp"

namespace ecrlp::writer::text {
namespace {

using detail::group_digits;
using detail::human_bytes;
using detail::plural_s;

/// "IN USE": every in-use image a change removes, or a line saying there is none.
void in_use_block(output& out, const plan_check_document& doc) {
  if (!doc.in_use_given) return;
  const std::size_t n = doc.violation_count();
  if (n == 0) {
    out.put("In use: no in-use image is expired or transitioned after the changes\n\n");
    return;
  }
  out.format("IN-USE VIOLATIONS: {} running image{} would be removed after the changes\n",
             group_digits(n), plural_s(n));
  table t({{"Change", left, 10, true},
           {"Action", left, 18},
           {"Removed by", left, 11},
           {"Digest", left, 19},
           {"Tags", left, 20},
           {"In use as"}});
  for (const auto& c : doc.changes) {
    for (std::size_t k = 0; k < c.violations.size(); ++k) {
      const auto& v = c.violations[k];
      const image& img = c.images[v.image_index];
      t.row({c.change.address, detail::violation_action_text(v),
             c.already[k] ? "already" : "this change", detail::short_digest(img.digest),
             detail::tags_text(img),
             detail::join(detail::reference_groups(doc.in_use_refs, v.refs, 3), "; ")});
    }
  }
  t.write(out);
  out.put('\n');
}

void changes_table(output& out, const plan_check_document& doc) {
  table t({{"Change", left, 6, true},
           {"Action", left, 7},
           {"Repository", left, 10, true},
           {"Images", right, 8},
           {"Changed", right, 8},
           {"Newly expired", right, 13},
           {"Bytes", right, 10},
           {"In use removed", right, 14}});
  for (const auto& c : doc.changes) {
    if (!c.evaluated) {
      t.row({c.change.address, c.change.action, c.change.repository, "-", "-", "-", "-", "-"});
      t.note("  not evaluated: " + c.change.skipped);
      continue;
    }
    t.row({c.change.address, c.change.action, c.change.repository, group_digits(c.images.size()),
           group_digits(c.diff.changes.size()),
           group_digits(c.removed().images) + " (" + detail::percent_text(c.removed_percent()) + ")",
           human_bytes(c.removed().bytes),
           doc.in_use_given ? group_digits(c.violations.size()) : std::string("-")});
  }
  t.write(out);
}

}  // namespace

void write(output& out, const plan_check_document& doc, const render_options& options) {
  out.format("Plan check of {} at {}\n", doc.source, format_timestamp(doc.now));
  if (!doc.images_source.empty()) out.format("Images: {}\n", doc.images_source);
  out.format("{}\n\n", detail::plan_check_summary(doc));
  in_use_block(out, doc);
  const auto verdicts = detail::limit_verdicts(doc);
  if (!verdicts.empty()) {
    out.put("Limits\n");
    for (const auto& v : verdicts) out.format("  {}\n", v);
    out.put('\n');
  }
  if (doc.changes.empty()) {
    out.put("The plan changes no lifecycle policy.\n");
    return;
  }
  out.put("Changes\n");
  changes_table(out, doc);
  for (const auto& c : doc.changes) {
    if (!c.evaluated) continue;
    out.format("\n== {} ==\n", detail::change_title(c));
    write(out, document_of(c, doc.now), options);
  }
}

}  // namespace ecrlp::writer::text
