// SPDX-License-Identifier: MIT
// A plan check as markdown, for the pull request's comment or job summary: in-use images removed
// first, then the limits, a table of the changes and each change's diff as `ecrlp diff --format
// markdown` writes it, its image list folded.

#include "document/plan_check.hpp"
#include "render/markdown/report.hpp"

namespace ecrlp::writer::markdown {
namespace {

struct violation_ref {
  const policy_change_check* change;
  std::size_t k;
};

void in_use_into(report& r, const plan_check_document& doc) {
  if (!doc.in_use_given) return;
  const std::size_t n = doc.violation_count();
  if (n == 0) {
    r.put("**In use:** no in-use image is expired or transitioned after the changes.\n\n");
    return;
  }
  std::size_t fresh = 0;
  std::vector<violation_ref> rows;
  for (const auto& c : doc.changes) {
    for (std::size_t k = 0; k < c.violations.size(); ++k) {
      rows.push_back({&c, k});
      fresh += c.already[k] ? 0U : 1U;
    }
  }
  r.format("### :warning: IN USE: {} running image{} would be removed ({} by this change)\n\n",
           group_digits(n), plural_s(n), group_digits(fresh));
  r.add({"In-use images removed", false,
         table_head({{"Change"}, {"Removed by"}, {"Action"}, {"Digest"}, {"Tags"}, {"Pushed"},
                     {"In use as"}}),
         rows.size(),
         [&doc, rows](std::size_t k) {
           const auto& [c, i] = rows[k];
           return "| " + code(c->change.address) + " | " + (c->already[i] ? "already" : "**this change**") +
                  " " + violation_row(c->images, c->violations[i], doc.in_use_refs, "");
         },
         "`--format json` lists every violation"});
}

std::string changes_table(const plan_check_document& doc) {
  std::string out = table_head({{"Change"}, {"Action"}, {"Repository"}, {"Images", true},
                                {"Changed", true}, {"Newly expired", true}, {"Bytes", true},
                                {"In use removed", true}});
  for (const auto& c : doc.changes) {
    if (!c.evaluated) {
      out += table_row({code(c.change.address), md(c.change.action), code(c.change.repository),
                        "", "", "", "", "_not evaluated_"});
      continue;
    }
    out += table_row({code(c.change.address), md(c.change.action), code(c.change.repository),
                      group_digits(c.images.size()), group_digits(c.diff.changes.size()),
                      group_digits(c.removed().images) + " (" +
                          detail::percent_text(c.removed_percent()) + ")",
                      human_bytes(c.removed().bytes),
                      doc.in_use_given ? group_digits(c.violations.size()) : "-"});
  }
  return out + "\n";
}

}  // namespace

void write(output& out, const plan_check_document& doc, const render_options& options) {
  report r(options);
  r.format("## Lifecycle policy check of {}\n\n", code(doc.source));
  in_use_into(r, doc);
  const auto verdicts = detail::limit_verdicts(doc);
  for (const auto& v : verdicts) {
    r.format("- {}{}\n", v.find("EXCEEDED") != std::string::npos ? ":x: " : ":white_check_mark: ",
             md(v));
  }
  if (!verdicts.empty()) r.put("\n");
  r.format("At {}, over the images of {}: {}\n\n", format_timestamp(doc.now), code(doc.images_source),
           md(detail::plan_check_summary(doc)));
  if (doc.changes.empty()) {
    r.put("The plan changes no lifecycle policy.\n");
    r.write(out);
    return;
  }
  r.put(changes_table(doc));
  for (const auto& c : doc.changes) {
    const std::string heading =
        fmt::format("### {}: {} of {}", code(c.change.address), md(c.change.action),
                    c.change.repository.empty() ? std::string("an unnamed repository")
                                                : "repository " + code(c.change.repository));
    if (!c.evaluated) {
      r.format("{}\n\nNot evaluated: {}.\n\n", heading, md(c.change.skipped));
      continue;
    }
    diff_into(r, document_of(c, doc.now), heading);
  }
  r.write(out);
}

}  // namespace ecrlp::writer::markdown
