// SPDX-License-Identifier: MIT
#pragma once

// Private (lib/read/inventory): the grammar of the scalars an ImageDetail holds (JSON numbers,
// whole numbers, OCI digests) and the helpers of the messages that quote them.

#include "read/inventory/limits.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ecrlp::read::ingest {

[[nodiscard]] constexpr bool is_json_ws(char c) noexcept {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

[[nodiscard]] constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

[[nodiscard]] constexpr std::string_view trim_right(std::string_view s) noexcept {
  while (!s.empty() && is_json_ws(s.back())) s.remove_suffix(1);
  return s;
}

/// RFC 8259 number grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
[[nodiscard]] constexpr bool is_json_number(std::string_view s) noexcept {
  std::size_t i = 0;
  const std::size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n || !is_digit(s[i])) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (i >= n || !is_digit(s[i])) return false;
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !is_digit(s[i])) return false;
    while (i < n && is_digit(s[i])) ++i;
  }
  return i == n;
}

enum class integer_status : unsigned char { ok, negative, not_integer, too_large };

/// Reads a valid JSON number token as a non-negative integer no larger than `max`.
[[nodiscard]] constexpr integer_status read_integer(std::string_view s, std::uint64_t max,
                                                    std::uint64_t& out) noexcept {
  bool negative = false;
  if (!s.empty() && s[0] == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  std::uint64_t v = 0;
  std::size_t i = 0;
  bool too_large = false;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    const auto d = static_cast<std::uint64_t>(s[i] - '0');
    if (v > (max - d) / 10) too_large = true;
    if (!too_large) v = v * 10 + d;
  }
  if (i != s.size()) return integer_status::not_integer;  // fraction or exponent
  if (negative && (too_large || v != 0)) return integer_status::negative;
  if (too_large) return integer_status::too_large;
  out = v;
  return integer_status::ok;
}

/// Character classes of the OCI digest grammar, one lookup per byte in the hot loop.
enum : unsigned char { digest_lower_digit = 1, digest_separator = 2, digest_encoded = 4 };
inline constexpr auto digest_classes = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    unsigned char v = 0;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) v |= digest_lower_digit | digest_encoded;
    if (c >= 'A' && c <= 'Z') v |= digest_encoded;
    if (c == '+' || c == '.' || c == '_' || c == '-') v |= digest_separator;
    if (c == '=' || c == '_' || c == '-') v |= digest_encoded;
    t[static_cast<std::size_t>(c)] = v;
  }
  return t;
}();

[[nodiscard]] constexpr unsigned char digest_class(char c) noexcept {
  return digest_classes[static_cast<unsigned char>(c)];
}

/// OCI digest grammar: algorithm ":" encoded, algorithm = [a-z0-9]+ ([+._-] [a-z0-9]+)*,
/// encoded = [a-zA-Z0-9=_-]+.
[[nodiscard]] constexpr bool is_digest(std::string_view s) noexcept {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  bool after_separator = true;
  for (std::size_t i = 0; i < colon; ++i) {
    const unsigned char k = digest_class(s[i]);
    if ((k & digest_lower_digit) != 0) {
      after_separator = false;
    } else if ((k & digest_separator) != 0 && !after_separator) {
      after_separator = true;
    } else {
      return false;
    }
  }
  if (after_separator) return false;
  unsigned char all = digest_encoded;
  for (std::size_t i = colon + 1; i < s.size(); ++i) all &= digest_class(s[i]);
  return all != 0;
}

[[nodiscard]] constexpr std::string_view type_name(od::json_type t) noexcept {
  switch (t) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "a value";
}

/// Appends `name` to a JSON pointer, escaping `~` and `/` (RFC 6901).
void append_token(std::string& pointer, std::string_view name);

/// A value for a message: itself, or its first 80 bytes (cut at a UTF-8 character boundary) and
/// "...", so that a 100 MB token does not become a 100 MB message.
[[nodiscard]] std::string shortened(std::string_view s);

/// Quotes a value for a message, shortened when long.
[[nodiscard]] std::string quoted(std::string_view s);

/// Number of code points of valid UTF-8 text.
[[nodiscard]] inline std::size_t code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1U : 0U;
  return n;
}

/// Why a timestamp text was rejected (only called on the error path).
[[nodiscard]] std::string timestamp_problem(std::string_view t);

}  // namespace ecrlp::read::ingest
