// SPDX-License-Identifier: MIT
//
// One ImageDetail (page_parser.hpp): its members dispatched on their key to the field readers,
// which check each value and fill the image; then finish_image checks the required members and
// indexes the digest. The hot path of ingest: strings without backslashes are taken straight from
// the input (no unescape copy), each std::string an image keeps is constructed exactly once, in
// place, and timestamps go through the allocation-free fast path of parse_timestamp.

#include "read/inventory/page_parser.hpp"

#include <limits>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>

namespace ecrlp::read::ingest {

flow page_parser::parse_image(od::value& v, std::uint32_t item) {
  image_ctx c;
  c.item = item;
  c.at = v.raw_json_token().data();
  od::json_type t{};
  if (const auto e = v.type().get(t)) return syntax(e);
  if (t != od::json_type::object) {
    return wrong_type(c, v, t, item_pointer(item), "an ImageDetail", "an object", image_depth_);
  }
  od::object obj;
  if (const auto e = v.get_object().get(obj)) return syntax(e);
  for (auto member : obj) {
    od::field f;
    if (const auto e = std::move(member).get(f)) return syntax(e);
    std::string_view key;
    if (const auto e = read_key(f, key)) return syntax(e);
    od::value& fv = f.value();
    const image_key k = classify_image_key(key);
    if (k == image_key::unknown) {
      if (skip_value(fv, image_depth_ + 1) == flow::stop) return flow::stop;
      continue;
    }
    const unsigned bit = 1U << static_cast<unsigned>(k);
    if ((c.seen & bit) != 0) {
      if (image_error(c, "image.duplicate_field", field_pointer(item, key),
                      std::string{key} + " appears twice in one ImageDetail",
                      fv.raw_json_token().data()) == flow::stop ||
          skip_value(fv, image_depth_ + 1) == flow::stop) {
        return flow::stop;
      }
      continue;
    }
    c.seen |= bit;
    od::json_type ft{};
    if (const auto e = fv.type().get(ft)) return syntax(e);
    if (read_member(c, k, fv, ft) == flow::stop) return flow::stop;
  }
  return finish_image(c);
}

/// A known member of an ImageDetail, met for the first time, to its reader.
flow page_parser::read_member(image_ctx& c, image_key k, od::value& fv, od::json_type ft) {
  switch (k) {
    case image_key::digest:
      c.has_digest = true;  // present: any problem with it is reported by read_digest
      return read_digest(c, fv, ft);
    case image_key::tags:
      return read_tags(c, fv, ft);
    case image_key::pushed_at: {
      std::optional<timestamp> pushed;
      c.has_pushed_at = true;  // present: any problem with it is reported by read_time
      const flow r = read_time(c, fv, ft, k, pushed);
      if (pushed) c.img.pushed_at = *pushed;
      return r;
    }
    case image_key::pulled_at:
      return read_time(c, fv, ft, k, c.img.last_pulled_at);
    case image_key::archived_at:
      return read_time(c, fv, ft, k, c.img.last_archived_at);
    case image_key::activated_at:
      return read_time(c, fv, ft, k, c.img.last_activated_at);
    case image_key::size:
      return read_size(c, fv, ft);
    case image_key::status:
      return read_status(c, fv, ft);
    case image_key::findings:
      return read_findings(c, fv, ft);
    case image_key::media_type:
    case image_key::subject:
    case image_key::repository:
    case image_key::registry:
      return read_text_field(c, fv, ft, k);
    case image_key::unknown:
      break;
  }
  return flow::go;
}

flow page_parser::read_digest(image_ctx& c, od::value& v, od::json_type t) {
  const char* at = v.raw_json_token().data();
  const auto ptr = [&] { return field_pointer(c.item, "imageDigest"); };
  if (t == od::json_type::null) {
    if (!is_null_token(v)) return skip_value(v, image_depth_ + 1);
    return image_error(c, "image.missing_field", ptr(), "imageDigest is null", at);
  }
  if (t != od::json_type::string)
    return wrong_type(c, v, t, ptr(), "imageDigest", "a string", image_depth_ + 1);
  std::string_view s;
  if (const auto e = read_string(v, s)) return syntax(e, ptr(), at);
  if (s.size() > max_digest_length) {
    return image_error(c, "image.digest", ptr(),
                       "imageDigest " + quoted(s) + " is " + std::to_string(s.size()) +
                           " characters long; digests have at most " +
                           std::to_string(max_digest_length),
                       at);
  }
  if (!is_digest(s)) {
    return image_error(c, "image.digest", ptr(),
                       "imageDigest " + quoted(s) +
                           (s.empty() ? std::string{" is empty"}
                                      : std::string{" is not a digest (algorithm:hex, e.g. "
                                                    "sha256:4a1c65...)"}),
                       at);
  }
  c.img.digest.assign(s);
  c.digest_at = at;
  c.digest_hash = digest_table::hash(s);
  st_.digests.prefetch(c.digest_hash);
  return flow::go;
}

flow page_parser::read_tags(image_ctx& c, od::value& v, od::json_type t) {
  if (t == od::json_type::null)
    return is_null_token(v) ? flow::go : skip_value(v, image_depth_ + 1);
  if (t != od::json_type::array) {
    return wrong_type(c, v, t, field_pointer(c.item, "imageTags"), "imageTags",
                      "an array of strings", image_depth_ + 1);
  }
  od::array tags;
  if (const auto e = v.get_array().get(tags)) return syntax(e);
  tag_scratch_.clear();
  std::uint32_t index = 0;
  for (auto element : tags) {
    od::value tv;
    if (const auto e = std::move(element).get(tv)) return syntax(e);
    if (read_tag(c, tv, index) == flow::stop) return flow::stop;
    ++index;
  }
  keep_tags(c);
  return flow::go;
}

/// Element `index` of imageTags: a tag ECR can hold goes to tag_scratch_, anything else is
/// reported.
flow page_parser::read_tag(image_ctx& c, od::value& tv, std::uint32_t index) {
  od::json_type tt{};
  if (const auto e = tv.type().get(tt)) return syntax(e);
  const auto ptr = [&] {
    std::string p = field_pointer(c.item, "imageTags");
    p.push_back('/');
    p += std::to_string(index);
    return p;
  };
  if (tt != od::json_type::string) {
    return wrong_type(c, tv, tt, ptr(), "each tag", "a string", image_depth_ + 2);
  }
  std::string_view s;
  if (const auto e = read_string(tv, s)) return syntax(e, ptr(), tv.raw_json_token().data());
  if (s.empty()) {
    return image_error(c, "image.tag", ptr(), "imageTags[" + std::to_string(index) + "] is empty",
                       tv.raw_json_token().data());
  }
  if (s.size() > max_tag_length && code_points(s) > max_tag_length) {
    return image_error(c, "image.tag", ptr(),
                       "imageTags[" + std::to_string(index) + "] " + quoted(s) + " has " +
                           std::to_string(code_points(s)) + " characters; ECR tags have at most " +
                           std::to_string(max_tag_length),
                       tv.raw_json_token().data());
  }
  if (index >= max_tags_per_image) {
    if (index != max_tags_per_image) return flow::go;  // reported once, at the 1,001st
    return image_error(c, "image.tag", ptr(),
                       "more than " + std::to_string(max_tags_per_image) +
                           " tags; ECR allows at most " + std::to_string(max_tags_per_image) +
                           " per image",
                       tv.raw_json_token().data());
  }
  tag_scratch_.push_back(s);
  return flow::go;
}

/// The tags read into tag_scratch_, each kept once (first-seen order), into the image.
void page_parser::keep_tags(image_ctx& c) {
  std::vector<std::string_view>& scratch = tag_scratch_;
  // A tag names one image, so a repeated tag carries no information: keep the first occurrence.
  // The tags are collected as views first so that the image's vector is allocated once, exactly.
  std::size_t kept = scratch.size();
  if (kept > 1) {
    if (kept <= 32) {
      std::size_t out = 0;
      for (std::size_t i = 0; i < scratch.size(); ++i) {
        bool repeated = false;
        for (std::size_t j = 0; j < out && !repeated; ++j) repeated = scratch[j] == scratch[i];
        if (!repeated) scratch[out++] = scratch[i];
      }
      kept = out;
    } else {
      std::unordered_set<std::string_view> unique;
      unique.reserve(scratch.size());
      std::size_t out = 0;
      for (std::size_t i = 0; i < scratch.size(); ++i) {
        if (unique.insert(scratch[i]).second) scratch[out++] = scratch[i];
      }
      kept = out;
    }
  }
  auto& list = c.img.tags;
  list.reserve(list.size() + kept);
  for (std::size_t i = 0; i < kept; ++i) list.emplace_back(scratch[i]);
}

flow page_parser::read_time(image_ctx& c, od::value& v, od::json_type t, image_key key,
                            std::optional<timestamp>& out) {
  const std::string_view name = key_name(key);
  const char* at = v.raw_json_token().data();
  std::string_view text;
  switch (t) {
    case od::json_type::null:
      if (!is_null_token(v)) return skip_value(v, image_depth_ + 1);
      if (key == image_key::pushed_at) {
        return image_error(c, "image.missing_field", field_pointer(c.item, name),
                           "imagePushedAt is null", at);
      }
      return flow::go;
    case od::json_type::string:
      if (const auto e = read_string(v, text)) return syntax(e, field_pointer(c.item, name), at);
      break;
    case od::json_type::number:
      text = trim_right(v.raw_json_token());
      if (!is_json_number(text)) {
        return syntax_at("invalid number " + quoted(text), field_pointer(c.item, name), at);
      }
      break;
    default:
      return wrong_type(c, v, t, field_pointer(c.item, name), name,
                        "an ISO-8601 string or epoch seconds", image_depth_ + 1);
  }
  if (const auto parsed = parse_timestamp(text)) {
    out = *parsed;
    return flow::go;
  }
  return image_error(c, "image.timestamp", field_pointer(c.item, name),
                     std::string{name} + " " +
                         (t == od::json_type::string ? quoted(text) : shortened(text)) +
                         " is not a valid timestamp: " + timestamp_problem(text),
                     at);
}

flow page_parser::read_size(image_ctx& c, od::value& v, od::json_type t) {
  if (t == od::json_type::null)
    return is_null_token(v) ? flow::go : skip_value(v, image_depth_ + 1);
  const auto ptr = [&] { return field_pointer(c.item, "imageSizeInBytes"); };
  if (t != od::json_type::number) {
    return wrong_type(c, v, t, ptr(), "imageSizeInBytes", "a number", image_depth_ + 1);
  }
  const std::string_view raw = trim_right(v.raw_json_token());
  if (!is_json_number(raw)) return syntax_at("invalid number " + quoted(raw), ptr(), raw.data());
  std::uint64_t size = 0;
  switch (read_integer(raw, max_size_bytes, size)) {
    case integer_status::ok:
      c.img.size_bytes = size;
      return flow::go;
    case integer_status::negative:
      return image_error(c, "image.size", ptr(),
                         "imageSizeInBytes " + shortened(raw) + " is negative", raw.data());
    case integer_status::not_integer:
      return image_error(c, "image.size", ptr(),
                         "imageSizeInBytes " + shortened(raw) + " is not a whole number of bytes",
                         raw.data());
    case integer_status::too_large:
      return image_error(c, "image.size", ptr(),
                         "imageSizeInBytes " + shortened(raw) + " is larger than 2^63-1",
                         raw.data());
  }
  return flow::go;
}

flow page_parser::read_status(image_ctx& c, od::value& v, od::json_type t) {
  if (t == od::json_type::null)
    return is_null_token(v) ? flow::go : skip_value(v, image_depth_ + 1);
  const auto ptr = [&] { return field_pointer(c.item, "imageStatus"); };
  if (t != od::json_type::string)
    return wrong_type(c, v, t, ptr(), "imageStatus", "a string", image_depth_ + 1);
  const char* at = v.raw_json_token().data();
  std::string_view s;
  if (const auto e = read_string(v, s)) return syntax(e, ptr(), at);
  if (const auto status = parse_image_status(s)) {
    c.img.status = *status;
    return flow::go;
  }
  return image_error(c, "image.status", ptr(),
                     "imageStatus " + quoted(s) + " is not ACTIVE, ARCHIVED or ACTIVATING", at);
}

// imageManifestMediaType, subjectManifestDigest, repositoryName and registryId: strings. The
// images of one inventory must agree on their repository and registry (a policy applies to one).
flow page_parser::read_text_field(image_ctx& c, od::value& v, od::json_type t, image_key key) {
  if (t == od::json_type::null)
    return is_null_token(v) ? flow::go : skip_value(v, image_depth_ + 1);
  const std::string_view name = key_name(key);
  const auto ptr = [&] { return field_pointer(c.item, name); };
  if (t != od::json_type::string)
    return wrong_type(c, v, t, ptr(), name, "a string", image_depth_ + 1);
  const char* at = v.raw_json_token().data();
  std::string_view s;
  if (const auto e = read_string(v, s)) return syntax(e, ptr(), at);
  switch (key) {
    case image_key::media_type:
      c.img.manifest = is_index_media_type(s) ? manifest_kind::index : manifest_kind::image;
      return flow::go;
    case image_key::subject:
      if (s.size() > max_digest_length || !is_digest(s)) {
        return image_error(c, "image.digest", ptr(),
                           "subjectManifestDigest " + quoted(s) +
                               " is not a digest (algorithm:hex, e.g. sha256:4a1c65...)",
                           at);
      }
      c.img.subject_digest.assign(s);
      return flow::go;
    case image_key::repository:
      return check_same(c, st_.repository_name, s, key, at);
    case image_key::registry:
      return check_same(c, st_.registry_id, s, key, at);
    default:
      return flow::go;
  }
}

flow page_parser::check_same(image_ctx& c, std::string& shared, std::string_view value,
                             image_key key, const char* at) {
  std::string& where =
      key == image_key::repository ? st_.repository_where : st_.registry_where;
  if (where.empty()) {
    shared.assign(value);
    where = "image " + std::to_string(c.item) + " of " + std::string{file_};
    return flow::go;
  }
  if (shared == value) return flow::go;
  const std::string_view name = key_name(key);
  return image_error(c, "inventory.mixed_repositories", field_pointer(c.item, name),
                     std::string{name} + " " + quoted(value) + " differs from " +
                         quoted(std::string_view{shared}) + " (" + where +
                         "); a lifecycle policy applies to one repository, so give each " +
                         "repository's pages to a separate run",
                     at);
}

flow page_parser::read_findings(image_ctx& c, od::value& v, od::json_type t) {
  if (t == od::json_type::null)
    return is_null_token(v) ? flow::go : skip_value(v, image_depth_ + 1);
  if (t != od::json_type::object) {
    return wrong_type(c, v, t, field_pointer(c.item, "imageScanFindingsSummary"),
                      "imageScanFindingsSummary", "an object", image_depth_ + 1);
  }
  finding_counts counts;
  od::object summary;
  if (const auto e = v.get_object().get(summary)) return syntax(e);
  bool seen_counts = false;
  for (auto member : summary) {
    od::field f;
    if (const auto e = std::move(member).get(f)) return syntax(e);
    std::string_view key;
    if (const auto e = read_key(f, key)) return syntax(e);
    od::value& fv = f.value();
    if (key != "findingSeverityCounts") {
      if (skip_value(fv, image_depth_ + 2) == flow::stop) return flow::stop;
      continue;
    }
    if (seen_counts) {
      if (image_error(c, "image.duplicate_field",
                      field_pointer(c.item, "imageScanFindingsSummary") + "/findingSeverityCounts",
                      "findingSeverityCounts appears twice in imageScanFindingsSummary",
                      fv.raw_json_token().data()) == flow::stop ||
          skip_value(fv, image_depth_ + 2) == flow::stop) {
        return flow::stop;
      }
      continue;
    }
    seen_counts = true;
    od::json_type ct{};
    if (const auto e = fv.type().get(ct)) return syntax(e);
    if (read_severity_counts(c, fv, ct, counts) == flow::stop) return flow::stop;
  }
  c.img.findings = counts;
  return flow::go;
}

flow page_parser::read_severity_counts(image_ctx& c, od::value& v, od::json_type t,
                                       finding_counts& out) {
  // Pointers are built only when something is wrong.
  const auto base = [&] {
    return field_pointer(c.item, "imageScanFindingsSummary") + "/findingSeverityCounts";
  };
  if (t == od::json_type::null)
    return is_null_token(v) ? flow::go : skip_value(v, image_depth_ + 2);
  if (t != od::json_type::object) {
    return wrong_type(c, v, t, base(), "findingSeverityCounts", "an object", image_depth_ + 2);
  }
  od::object counts;
  if (const auto e = v.get_object().get(counts)) return syntax(e);
  unsigned seen = 0;
  for (auto member : counts) {
    od::field f;
    if (const auto e = std::move(member).get(f)) return syntax(e);
    std::string_view key;
    if (const auto e = read_key(f, key)) return syntax(e);
    od::value& fv = f.value();
    const int severity = severity_index(key);
    if (severity < 0) {  // a severity ECR may add later: ignored
      if (skip_value(fv, image_depth_ + 3) == flow::stop) return flow::stop;
      continue;
    }
    const auto ptr = [&] {
      std::string p = base();
      append_token(p, key);
      return p;
    };
    const unsigned bit = 1U << static_cast<unsigned>(severity);
    if ((seen & bit) != 0) {
      if (image_error(c, "image.duplicate_field", ptr(),
                      "severity " + std::string{key} + " appears twice in findingSeverityCounts",
                      fv.raw_json_token().data()) == flow::stop ||
          skip_value(fv, image_depth_ + 3) == flow::stop) {
        return flow::stop;
      }
      continue;
    }
    seen |= bit;
    if (read_severity_count(c, fv, key, severity, out) == flow::stop) return flow::stop;
  }
  return flow::go;
}

/// One count of findingSeverityCounts: a whole number 0..2^64-1.
flow page_parser::read_severity_count(image_ctx& c, od::value& fv, std::string_view key,
                                      int severity, finding_counts& out) {
  const auto ptr = [&] {
    std::string p =
        field_pointer(c.item, "imageScanFindingsSummary") + "/findingSeverityCounts";
    append_token(p, key);
    return p;
  };
  od::json_type ct{};
  if (const auto e = fv.type().get(ct)) return syntax(e);
  if (ct != od::json_type::number) {
    return wrong_type(c, fv, ct, ptr(), "a finding count", "a number", image_depth_ + 3);
  }
  const std::string_view raw = trim_right(fv.raw_json_token());
  if (!is_json_number(raw)) return syntax_at("invalid number " + quoted(raw), ptr(), raw.data());
  std::uint64_t n = 0;
  if (read_integer(raw, std::numeric_limits<std::uint64_t>::max(), n) == integer_status::ok) {
    severity_slot(out, severity) = n;
    return flow::go;
  }
  return image_error(c, "image.findings", ptr(),
                     "finding count " + std::string{key} + " = " + shortened(raw) +
                         " is not a non-negative whole number",
                     raw.data());
}

flow page_parser::finish_image(image_ctx& c) {
  if (!c.has_digest && image_error(c, "image.missing_field", field_pointer(c.item, "imageDigest"),
                                   "required field imageDigest is missing", c.at) == flow::stop) {
    return flow::stop;
  }
  if (!c.has_pushed_at &&
      image_error(c, "image.missing_field", field_pointer(c.item, "imagePushedAt"),
                  "required field imagePushedAt is missing", c.at) == flow::stop) {
    return flow::stop;
  }
  if (c.digest_at == nullptr) return flow::go;  // no usable digest: nothing to index

  // Index the image by digest; on a clash, name both places.
  const auto index = static_cast<std::uint32_t>(st_.images.size());
  st_.images.push_back(std::move(c.img));
  st_.origins.push_back(image_origin{page_, c.item});
  const std::uint32_t earlier = st_.digests.insert(st_.images, index, c.digest_hash);
  if (earlier == index) return flow::go;
  const image_origin first = st_.origins[earlier];
  const page_info& first_page = st_.pages[first.page];
  std::string where{first_page.prefix};
  where.push_back('/');
  where += std::to_string(first.item);
  std::string digest = std::move(st_.images.back().digest);
  st_.images.pop_back();
  st_.origins.pop_back();
  const std::string other =
      first.page == page_
          ? "image " + std::to_string(first.item) + " (" + where + ")"
          : "image " + std::to_string(first.item) + " (" + where + ") of " + first_page.file;
  return image_error(c, "image.duplicate_digest", field_pointer(c.item, "imageDigest"),
                     "imageDigest " + digest + " already appears as " + other, c.digest_at);
}

}  // namespace ecrlp::read::ingest
