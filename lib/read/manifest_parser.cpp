// SPDX-License-Identifier: MIT
//
// `aws ecr batch-get-image` outputs -> image indexes (spec 2.7; docs/registry-snapshot.md).
//
// The outer document and each `imageManifest` text are read with the private json_reader (nlohmann
// SAX, positions, duplicate keys, bounded depth and size). Diagnostics found inside an
// `imageManifest` carry a pointer that continues into the embedded text and the position, in the
// file, of the string-literal character that encodes the place (detail::string_offset_map).

#include <ecrlp/manifest_parser.hpp>

#include "read/input.hpp"
#include "read/json_reader.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ecrlp {


namespace {

using detail::json_kind;
using detail::json_value;
using detail::pointer_append;

constexpr std::uintmax_t max_file_bytes = std::uintmax_t{64} * 1024 * 1024;
constexpr std::size_t max_digest_length = 1024;
constexpr std::size_t max_values = 100'000;
constexpr std::size_t max_depth = 64;

/// `"text"`, shortened for a message.
[[nodiscard]] std::string quote(std::string_view s) { return '"' + detail::shorten(s, 80) + '"'; }

/// The OCI digest grammar, as the inventory parser checks it: algorithm ":" encoded, with
/// algorithm = [a-z0-9]+ ([+._-] [a-z0-9]+)* and encoded = [a-zA-Z0-9=_-]+; at most 1,024 bytes.
[[nodiscard]] bool is_digest(std::string_view s) noexcept {
  if (s.size() > max_digest_length) return false;
  const std::size_t colon = s.find(':');
  if (colon == 0 || colon == std::string_view::npos || colon + 1 == s.size()) return false;
  const auto lower_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  bool after_separator = true;
  for (std::size_t i = 0; i < colon; ++i) {
    const char c = s[i];
    if (lower_digit(c)) {
      after_separator = false;
    } else if ((c == '+' || c == '.' || c == '_' || c == '-') && !after_separator) {
      after_separator = true;
    } else {
      return false;
    }
  }
  if (after_separator) return false;
  for (std::size_t i = colon + 1; i < s.size(); ++i) {
    const char c = s[i];
    if (!lower_digit(c) && !(c >= 'A' && c <= 'Z') && c != '=' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

/// Where a digest was first seen (for manifest.duplicate).
struct seen_index {
  std::string where;  ///< "FILE:/images/N"
};

/// Indexes collected so far over one or more files.
struct collect_state {
  std::vector<index_manifest> indexes;
  std::unordered_map<std::string, seen_index> seen;
  std::vector<diagnostic> diagnostics;
};

/// Reads one document. Diagnostics are placed (file, line, column) before they are added.
class batch_reader {
 public:
  batch_reader(collect_state& st, std::string_view text, std::string_view file)
      : st_(st), text_(text), file_(file), lines_(text) {}

  void run() {
    if (const auto utf8 = detail::utf8_scan(text_); !utf8.valid) {
      const bool utf16 = text_.starts_with("\xFF\xFE") || text_.starts_with("\xFE\xFF");
      add(severity::error, "manifest.syntax", "",
          utf16 ? std::string("the document is UTF-16; save it as UTF-8")
                : "the document is not valid UTF-8 (malformed byte sequence at byte " +
                      std::to_string(utf8.bad_byte) + ")",
          utf8.bad_byte);
      return;
    }
    const detail::json_read_options options{
        .max_depth = max_depth, .max_values = max_values, .deep_root_member = {}};
    detail::json_read_result outer = detail::read_json(text_, options);
    for (auto& d : outer.diagnostics) {
      rename_reader_code(d);
      place(d, d.byte);
      st_.diagnostics.push_back(std::move(d));
    }
    if (!outer.root) return;
    read_document(*outer.root);
  }

 private:
  /// The json_reader speaks of policies; give its codes and messages the manifest names.
  static void rename_reader_code(diagnostic& d) {
    if (d.code == "policy.syntax" || d.code == "policy.duplicate_key") {
      d.code = "manifest.syntax";
    } else if (d.code == "policy.too_deep") {
      d.code = "manifest.too_deep";
    } else if (d.code == "policy.too_many_values") {
      d.code = "manifest.too_many_values";
      d.message = "the document holds more than " + std::to_string(max_values) +
                  " JSON values; no batch-get-image output of image indexes comes close";
    }
  }

  void place(diagnostic& d, std::size_t byte) const {
    d.byte = std::min(byte, text_.size());
    const auto pos = lines_.at(d.byte);
    d.line = pos.line;
    d.column = pos.column;
    d.file = std::string(file_);
  }

  void add(severity level, std::string code, std::string pointer, std::string message,
           std::size_t byte) {
    diagnostic d;
    d.level = level;
    d.code = std::move(code);
    d.pointer = std::move(pointer);
    d.message = std::move(message);
    place(d, byte);
    st_.diagnostics.push_back(std::move(d));
  }

  void error(std::string code, std::string pointer, std::string message, std::size_t byte) {
    add(severity::error, std::move(code), std::move(pointer), std::move(message), byte);
  }

  /// `v` must be of kind `want` (described as `what`); else manifest.type.
  bool expect(const json_value& v, json_kind want, const std::string& pointer,
              std::string_view label, std::string_view what) {
    if (v.kind == want) return true;
    error("manifest.type", pointer,
          std::string(label) + " must be " + std::string(what) + ", not " + detail::kind_phrase(v),
          v.byte);
    return false;
  }

  void read_document(const json_value& root) {
    if (!expect(root, json_kind::object, "", "a batch-get-image output",
                "an object with \"images\" and \"failures\"")) {
      return;
    }
    const json_value* images = root.find("images");
    if (images == nullptr) {
      error("manifest.field", "",
            "no \"images\" member: this is not `aws ecr batch-get-image` output", root.byte);
    } else if (expect(*images, json_kind::array, "/images", "\"images\"", "an array")) {
      for (std::size_t i = 0; i < images->items.size(); ++i) {
        read_image(images->items[i], pointer_append("/images", i));
      }
    }
    if (const json_value* failures = root.find("failures"); failures != nullptr) {
      if (expect(*failures, json_kind::array, "/failures", "\"failures\"", "an array")) {
        for (std::size_t i = 0; i < failures->items.size(); ++i) {
          read_failure(failures->items[i], pointer_append("/failures", i));
        }
      }
    }
  }

  /// The string member `key` of `obj`: nullptr (after an error) when absent or not a string.
  const json_value* string_member(const json_value& obj, std::string_view key,
                                  const std::string& obj_pointer, std::string_view who) {
    const json_value* v = obj.find(key);
    const std::string pointer = pointer_append(obj_pointer, key);
    if (v == nullptr) {
      error("manifest.field", obj_pointer,
            std::string(who) + " has no \"" + std::string(key) + "\"", obj.byte);
      return nullptr;
    }
    if (!expect(*v, json_kind::string, pointer, "\"" + std::string(key) + "\"", "a string")) {
      return nullptr;
    }
    return v;
  }

  void read_image(const json_value& entry, const std::string& pointer) {
    if (!expect(entry, json_kind::object, pointer, "an images[] entry", "an object")) return;
    const std::string who = "images[] entry " + pointer.substr(std::string_view("/images/").size());
    std::string digest;
    bool ok = true;
    if (const json_value* id = entry.find("imageId"); id == nullptr) {
      error("manifest.field", pointer, who + " has no \"imageId\"", entry.byte);
      ok = false;
    } else if (expect(*id, json_kind::object, pointer + "/imageId", "\"imageId\"", "an object")) {
      const json_value* d = string_member(*id, "imageDigest", pointer + "/imageId", "\"imageId\"");
      if (d == nullptr) {
        ok = false;
      } else if (!is_digest(d->text)) {
        error("manifest.field", pointer + "/imageId/imageDigest",
              "imageDigest " + quote(d->text) +
                  " is not a digest (algorithm:encoded, e.g. sha256:4a1c65...)",
              d->byte);
        ok = false;
      } else {
        digest = d->text;
      }
    } else {
      ok = false;
    }
    bool declared_index = false;
    if (const json_value* mt = entry.find("imageManifestMediaType"); mt != nullptr) {
      if (expect(*mt, json_kind::string, pointer + "/imageManifestMediaType",
                 "\"imageManifestMediaType\"", "a string")) {
        declared_index = is_index_media_type(mt->text);
      } else {
        ok = false;
      }
    }
    const json_value* manifest = string_member(entry, "imageManifest", pointer, who);
    if (manifest == nullptr) return;
    read_manifest(*manifest, pointer + "/imageManifest", declared_index, ok ? digest : "", pointer,
                  entry.byte);
  }

  /// Reads the JSON text of `literal` (an imageManifest string) and, when it is an index, records
  /// it under `digest` (empty: the entry had errors; check only).
  void read_manifest(const json_value& literal, const std::string& pointer, bool declared_index,
                     const std::string& digest, const std::string& entry_pointer,
                     std::size_t entry_byte) {
    const std::string& text = literal.text;
    detail::string_offset_map to_file(text_, literal.byte);
    // Diagnostics inside the text are collected, sorted by offset (one pass of to_file), placed.
    std::vector<diagnostic> inner;
    const auto inner_error = [&](std::string code, std::string inner_pointer, std::string message,
                                 std::size_t byte) {
      diagnostic d;
      d.code = std::move(code);
      d.pointer = pointer + inner_pointer;
      d.message = std::move(message);
      d.byte = byte;
      inner.push_back(std::move(d));
    };
    const auto flush = [&] {
      std::stable_sort(inner.begin(), inner.end(),
                       [](const diagnostic& a, const diagnostic& b) { return a.byte < b.byte; });
      for (auto& d : inner) {
        place(d, to_file(d.byte));
        st_.diagnostics.push_back(std::move(d));
      }
    };

    const detail::json_read_options options{
        .max_depth = max_depth, .max_values = max_values, .deep_root_member = {}};
    detail::json_read_result parsed = detail::read_json(text, options);
    for (auto& d : parsed.diagnostics) {
      rename_reader_code(d);
      const auto pos = detail::position_of(text, d.byte);
      d.message = "imageManifest: line " + std::to_string(pos.line) + ", column " +
                  std::to_string(pos.column) + " of the text: " + d.message;
      d.pointer = pointer + d.pointer;
      inner.push_back(std::move(d));
    }
    if (!parsed.root) return flush();
    const json_value& root = *parsed.root;
    const auto type_error = [&](const json_value& v, const std::string& inner_pointer,
                                std::string_view label, std::string_view what) {
      inner_error("manifest.type", inner_pointer,
                  "imageManifest: " + std::string(label) + " must be " + std::string(what) +
                      ", not " + detail::kind_phrase(v),
                  v.byte);
    };
    if (root.kind != json_kind::object) {
      type_error(root, "", "the manifest", "an object");
      return flush();
    }
    bool is_index = declared_index;
    const json_value* media_type = root.find("mediaType");
    if (media_type != nullptr) {
      if (media_type->kind != json_kind::string) {
        type_error(*media_type, "/mediaType", "\"mediaType\"", "a string");
        return flush();
      }
      is_index = is_index || is_index_media_type(media_type->text);
    }
    const json_value* manifests = root.find("manifests");
    if (media_type == nullptr && manifests != nullptr && manifests->kind == json_kind::array) {
      is_index = true;  // an index without mediaType (allowed by the OCI image-spec)
    }
    if (!is_index) return flush();

    index_manifest index;
    bool ok = !digest.empty();
    if (manifests == nullptr) {
      inner_error("manifest.field", "", "imageManifest: the image index has no \"manifests\" array",
                  root.byte);
      ok = false;
    } else if (manifests->kind != json_kind::array) {
      type_error(*manifests, "/manifests", "\"manifests\"", "an array");
      ok = false;
    } else {
      index.manifests.reserve(manifests->items.size());
      for (std::size_t i = 0; i < manifests->items.size(); ++i) {
        const json_value& m = manifests->items[i];
        const std::string at = pointer_append("/manifests", i);
        if (m.kind != json_kind::object) {
          type_error(m, at, "a manifests[] entry", "an object");
          ok = false;
          continue;
        }
        const json_value* d = m.find("digest");
        if (d == nullptr) {
          inner_error("manifest.field", at,
                      "imageManifest: manifests[" + std::to_string(i) + "] has no \"digest\"",
                      m.byte);
          ok = false;
        } else if (d->kind != json_kind::string) {
          type_error(*d, at + "/digest", "\"digest\"", "a string");
          ok = false;
        } else if (!is_digest(d->text)) {
          inner_error("manifest.field", at + "/digest",
                      "imageManifest: digest " + quote(d->text) +
                          " is not a digest (algorithm:encoded, e.g. sha256:4a1c65...)",
                      d->byte);
          ok = false;
        } else {
          index.manifests.push_back(d->text);
        }
      }
    }
    flush();
    if (!ok) return;
    const std::string where = std::string(file_) + ":" + entry_pointer;
    if (const auto [it, inserted] = st_.seen.try_emplace(digest, seen_index{where}); !inserted) {
      add(severity::warning, "manifest.duplicate", entry_pointer,
          "image index " + quote(digest) + " was already listed (" + it->second.where +
              "); this listing is ignored",
          entry_byte);
      return;
    }
    index.digest = digest;
    st_.indexes.push_back(std::move(index));
  }

  void read_failure(const json_value& entry, const std::string& pointer) {
    if (!expect(entry, json_kind::object, pointer, "a failures[] entry", "an object")) return;
    const auto text_of = [&](const json_value* v) {
      return v != nullptr && v->kind == json_kind::string ? v->text : std::string();
    };
    std::string image = "an image";
    if (const json_value* id = entry.find("imageId");
        id != nullptr && id->kind == json_kind::object) {
      if (const std::string d = text_of(id->find("imageDigest")); !d.empty()) {
        image = detail::shorten(d, 80);
      } else if (const std::string t = text_of(id->find("imageTag")); !t.empty()) {
        image = "tag " + quote(t);
      }
    }
    const std::string code = text_of(entry.find("failureCode"));
    const std::string reason = text_of(entry.find("failureReason"));
    std::string message =
        "batch-get-image could not return " + image + ": " +
        (code.empty() ? std::string("(no failureCode)") : detail::shorten(code, 80));
    if (!reason.empty()) message += " (" + detail::shorten(reason, 200) + ")";
    message += "; if it is an image index, its children are evaluated on their own";
    add(severity::warning, "manifest.failure", pointer, std::move(message), entry.byte);
  }

  collect_state& st_;
  std::string_view text_;
  std::string_view file_;
  detail::line_index lines_;
};

[[nodiscard]] parse_result<std::vector<index_manifest>> finish(collect_state& st) {
  parse_result<std::vector<index_manifest>> result;
  result.diagnostics = std::move(st.diagnostics);
  if (!has_errors(result.diagnostics)) result.value = std::move(st.indexes);
  return result;
}

}  // namespace

parse_result<std::vector<index_manifest>> parse_index_manifests(std::string_view json,
                                                                std::string_view source_name) {
  collect_state st;
  batch_reader(st, json, source_name).run();
  return finish(st);
}

parse_result<std::vector<index_manifest>> load_index_manifests(
    std::span<const std::filesystem::path> files) {
  collect_state st;
  for (const auto& file : files) {
    read::input_text text;
    if (!read::read_input(file, {.max_bytes = max_file_bytes}, read::the_file_wording, text,
                          st.diagnostics)) {
      continue;
    }
    const std::string name = read::input_name(file);
    batch_reader(st, text.view(), name).run();
  }
  return finish(st);
}

}  // namespace ecrlp
