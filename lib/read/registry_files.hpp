// SPDX-License-Identifier: MIT
#pragma once

// Private: what the registry snapshot loader (lib/read/registry_snapshot.cpp) shares with its
// files (lib/read/registry_files.cpp): diagnostics, the small JSON files of a snapshot, and the
// consistency checks, which read a page or a policy again to point at a mismatch.

#include <ecrlp/diagnostic.hpp>

#include "read/input.hpp"
#include "read/json_reader.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecrlp::read::snapshot {

using detail::json_value;

/// `"text"`, shortened to 80 bytes, for a message.
[[nodiscard]] inline std::string quote(std::string_view s) {
  return '"' + detail::shorten(s, 80) + '"';
}

[[nodiscard]] inline diagnostic make_diag(severity level, std::string code, std::string file,
                                   std::string pointer, std::string message) {
  diagnostic d;
  d.level = level;
  d.code = std::move(code);
  d.file = std::move(file);
  d.pointer = std::move(pointer);
  d.message = std::move(message);
  return d;
}

[[nodiscard]] inline diagnostic make_error(std::string code, std::string file, std::string message,
                                    std::string pointer = {}) {
  return make_diag(severity::error, std::move(code), std::move(file), std::move(pointer),
                   std::move(message));
}

/// A small JSON file read with json_reader, with its text kept for positions.
struct json_file {
  std::string path;
  read::input_text text;
  std::optional<json_value> root;

  /// Gives `d` the file, and the line and column of `v`.
  void place(diagnostic& d, const json_value& v) const {
    const auto pos = detail::position_of(text.view(), v.byte);
    d.file = path;
    d.byte = v.byte;
    d.line = pos.line;
    d.column = pos.column;
  }

  [[nodiscard]] diagnostic error_at(std::string code, std::string pointer, const json_value& v,
                                    std::string message) const {
    diagnostic d = make_error(std::move(code), path, std::move(message), std::move(pointer));
    place(d, v);
    return d;
  }
};

/// Reads and parses `path` (at most `max_bytes`); codes of the json_reader become `syntax_code`.
/// root is unset after an error (added to `diags`).
[[nodiscard]] json_file read_json_file(const std::filesystem::path& path, std::uintmax_t max_bytes,
                                       std::string_view syntax_code,
                                       std::vector<diagnostic>& diags);

/// Finds the first image in `pages` whose string member `key` differs from `expected` and
/// describes it; falls back to a diagnostic on the first page without a pointer.
[[nodiscard]] diagnostic locate_image_mismatch(std::span<const std::filesystem::path> pages,
                                               std::string_view key, std::string_view expected,
                                               std::string code, std::string_view found_value,
                                               std::string_view truth);

/// The same for a member of the policy file (get-lifecycle-policy output).
[[nodiscard]] diagnostic locate_policy_mismatch(const std::filesystem::path& file,
                                                std::string_view key, std::string_view found_value,
                                                std::string_view expected, std::string code,
                                                std::string_view truth);

}  // namespace ecrlp::read::snapshot
