// SPDX-License-Identifier: MIT
// The preview as CSV: one row per image, oldest first (in-use violations first), with its fate;
// and the registry preview, one row per image of every evaluated repository.

#include <charconv>
#include <iterator>
#include <vector>

#include "document/phrases.hpp"
#include "render/csv/csv.hpp"
#include "render/csv/csv_field.hpp"
#include "render/prefetch.hpp"

namespace ecrlp::writer::csv {
namespace {

/// Appends a number in place.
template <class Number>
void append_number(std::string& out, Number v) {
  char digits[24];
  out.append(digits, std::to_chars(std::begin(digits), std::end(digits), v).ptr);
}

void append_time(std::string& out, timestamp t) {
  char text[detail::timestamp_chars];
  out.append(text, detail::format_timestamp_to(t, text));
}

/// One image's row. Each field is appended in place: a row of temporary strings and a format call
/// per image cost more than parsing the inventory (0.1 s for 100k rows).
void preview_row(std::string& out, const preview_document& doc, std::size_t i,
                 const std::vector<bool>& in_use) {
  const image& img = doc.images[i];
  const auto& dec = doc.result.decisions[i];
  append_csv_field(out, img.digest);
  out.push_back(',');
  append_csv_field(out, img.tags, " ");
  out.push_back(',');
  append_time(out, img.pushed_at);
  out.push_back(',');
  append_time(out, reference_time(img));
  out.push_back(',');
  out.append(to_string(img.status));
  out.push_back(',');
  append_number(out, img.size_bytes);
  out.push_back(',');
  if (img.findings) append_number(out, img.findings->total());
  out.push_back(',');
  out.append(detail::action_api(dec.action));
  out.push_back(',');
  if (dec.applied_rule_priority()) append_number(out, *dec.owner);
  out.push_back(',');
  if (dec.owner) append_number(out, *dec.owner);
  if (!in_use.empty()) out += in_use[i] ? ",true" : ",false";
  out += "\r\n";
}

}  // namespace

void write(output& out, const preview_document& doc, const render_options&) {
  const bool with_in_use = doc.has_in_use();
  out.put(
      "imageDigest,imageTags,imagePushedAt,referenceTime,imageStatus,imageSizeInBytes,findings,"
      "action,appliedRulePriority,ownerRulePriority");
  out.put(with_in_use ? ",inUse\r\n" : "\r\n");
  out.reserve(doc.result.order.size() * 512);
  std::vector<bool> in_use;
  if (with_in_use) {
    in_use = detail::in_use_flags(doc.images.size(), detail::view_of(doc.in_use),
                                  detail::view_of(doc.violations));
  }
  const std::vector<std::size_t>& order = doc.result.order;
  if (!with_in_use) {
    for (std::size_t k = 0; k < order.size(); ++k) {
      prefetch_ahead(doc.images, order, k);
      preview_row(out.buffer(), doc, order[k], in_use);
      out.flush_if_full();
    }
    return;
  }
  // Violations first, oldest first; then every other image, oldest first.
  std::vector<bool> listed(doc.images.size(), false);
  for (const auto& v : detail::view_of(doc.violations)) {
    if (v.image_index >= doc.images.size() || listed[v.image_index]) continue;
    listed[v.image_index] = true;
    preview_row(out.buffer(), doc, v.image_index, in_use);
    out.flush_if_full();
  }
  for (const std::size_t i : order) {
    if (listed[i]) continue;
    preview_row(out.buffer(), doc, i, in_use);
    out.flush_if_full();
  }
}

void write(output& out, const registry_document& doc, const render_options&) {
  out.put(
      "repositoryName,imageDigest,imageTags,imagePushedAt,imageStatus,imageSizeInBytes,findings,"
      "action,appliedRulePriority,inUse,inUseReferences\r\n");
  struct row_ref {
    std::size_t repo;
    std::size_t image;
  };
  std::vector<row_ref> first;
  std::vector<row_ref> rest;
  for (std::size_t k = 0; k < doc.outcomes.size(); ++k) {
    const auto& o = doc.outcomes[k];
    if (o.result == nullptr) continue;
    std::vector<char> violating(o.images.size(), 0);
    for (const auto& v : o.violations) {
      violating[v.image_index] = 1;
      first.push_back({k, v.image_index});
    }
    for (const std::size_t i : o.result->order) {
      if (violating[i] == 0) rest.push_back({k, i});
    }
  }
  const auto write_row = [&](const row_ref& r) {
    const auto& o = doc.outcomes[r.repo];
    const image& img = o.images[r.image];
    const auto& d = o.result->decisions[r.image];
    const bool used = r.image < o.matches.size() && o.matches[r.image].in_use();
    std::vector<std::size_t> refs;
    if (used) {
      refs = o.matches[r.image].refs;
      for (const auto& v : o.violations) {
        if (v.image_index == r.image) refs = v.refs;
      }
    }
    std::string texts;
    for (const std::size_t k : refs) {
      if (k >= doc.in_use.refs.size()) continue;
      if (!texts.empty()) texts += ' ';
      texts += doc.in_use.refs[k].text;
    }
    out.format("{},{},{},{},{},{},{},{},{},{},{}\r\n", csv_field(o.name), csv_field(img.digest),
               csv_field(detail::join(img.tags, " ")), format_timestamp(img.pushed_at),
               to_string(img.status), img.size_bytes,
               img.findings ? std::to_string(img.findings->total()) : std::string(),
               detail::action_api(d.action),
               d.applied_rule_priority() ? std::to_string(*d.owner) : std::string(),
               used ? "true" : "false", csv_field(texts));
  };
  for (const auto& r : first) write_row(r);
  for (const auto& r : rest) write_row(r);
}

}  // namespace ecrlp::writer::csv
