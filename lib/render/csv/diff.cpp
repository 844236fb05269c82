// SPDX-License-Identifier: MIT
// `ecrlp diff` as CSV: one row per changed image, oldest first; with --registry a leading
// repositoryName column.

#include <string>

#include "document/phrases.hpp"
#include "render/csv/csv.hpp"
#include "render/csv/csv_field.hpp"

namespace ecrlp::writer::csv {

const std::string_view diff_header =
    "imageDigest,imageTags,imagePushedAt,imageSizeInBytes,change,oldAction,"
    "oldOwnerRulePriority,newAction,newOwnerRulePriority\r\n";

namespace {

std::string owner_text(const image_decision& d) {
  return d.owner ? std::to_string(*d.owner) : std::string();
}

}  // namespace

void diff_rows(output& out, const diff_document& doc, std::string_view lead) {
  for (const auto& c : doc.diff.changes) {
    const image& img = doc.images[c.image_index];
    out.format("{}{},{},{},{},{},{},{},{},{}\r\n", lead, csv_field(img.digest),
               csv_field(detail::join(img.tags, " ")), format_timestamp(img.pushed_at),
               img.size_bytes, to_string(c.kind), detail::action_api(c.before.action),
               owner_text(c.before), detail::action_api(c.after.action), owner_text(c.after));
  }
}

void write(output& out, const diff_document& doc, const render_options&) {
  out.put(diff_header);
  diff_rows(out, doc, "");
}

void write(output& out, const registry_diff_document& doc, const render_options&) {
  bool any = false;
  for (const auto& r : doc.repositories) any = any || r.evaluated;
  out.put(any ? "repositoryName," : "repositoryName\r\n");
  if (any) out.put(diff_header);
  for (const auto& r : doc.repositories) {
    if (r.evaluated) diff_rows(out, document_of(r, doc.now), csv_field(r.name) + ",");
  }
}

}  // namespace ecrlp::writer::csv
