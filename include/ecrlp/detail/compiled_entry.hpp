// SPDX-License-Identifier: MIT
#pragma once

// A tag-list entry compiled for fast tests against the prepared tags (compiled_entry): a masked
// compare of the literal prefix's first 16 bytes, then the character signature, then the glob.
// Internal to <ecrlp/evaluate.hpp>.

#include <ecrlp/detail/tag_signature.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/tag_match.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace ecrlp::detail {

/// One list entry, prepared for fast tests against prepared tags.
struct compiled_entry {
  tag_list_kind kind = tag_list_kind::none;
  std::string_view text;
  std::size_t literal = 0;  ///< length of the literal prefix (before any `*`)
  head_words value;         ///< the literal prefix's first 16 bytes, zero-padded
  head_words mask;          ///< selects min(literal, 16) bytes
  bool padded_exact = true; ///< literal prefix has no NUL byte: the zero-padded test is exact
  bool whole = false;       ///< the literal prefix decides (prefix list; pattern "lit" or "lit*")
  bool exact_length = false; ///< pattern without `*`: the tag must also be exactly this long
  std::uint64_t chars = 0;  ///< char_bit of every literal character of a pattern

  compiled_entry(tag_list_kind k, std::string_view e) noexcept : kind{k}, text{e} {
    if (kind == tag_list_kind::pattern) {
      const std::size_t star = e.find('*');
      literal = star == std::string_view::npos ? e.size() : star;
      exact_length = star == std::string_view::npos;
      whole = exact_length || e.find_first_not_of('*', star) == std::string_view::npos;
      for (const char c : e) {
        if (c != '*') chars |= char_bit(c);
      }
    } else {
      literal = e.size();
      whole = true;
    }
    const std::string_view lit = e.substr(0, literal);
    value = head_of(lit);
    mask = head_mask(literal);
    padded_exact = lit.find('\0') == std::string_view::npos;
  }

  /// The prepared tags, as compiled_entry::matches reads them.
  struct tag_columns {
    const std::string* const* string;
    const std::size_t* size;
    const std::uint64_t* w0;
    const std::uint64_t* w1;
    const std::uint64_t* chars;
  };

  /// entry_matches(kind, text, tag t).
  [[nodiscard]] bool matches(const tag_columns& c, std::size_t t) const noexcept {
    if (kind == tag_list_kind::none) return false;
    if (!padded_exact) return entry_matches(kind, text, *c.string[t]);
    if ((c.w0[t] & mask.w0) != value.w0) return false;
    // Bytes 8..15 only when the literal reaches them: the load would mostly miss the cache.
    if (literal > 8 && (c.w1[t] & mask.w1) != value.w1) return false;
    if (literal > 16) {
      if (c.size[t] < literal || std::memcmp(c.string[t]->data() + 16, text.data() + 16,
                                             literal - 16) != 0) {
        return false;
      }
    }
    // A prefix (or "lit*") is decided here without reading the tag's size.
    if (whole) return !exact_length || c.size[t] == literal;
    if ((c.chars[t] & chars) != chars) return false;
    const std::size_t size = c.size[t];
    if (size <= 16) {  // the whole tag is in the head words
      char bytes[16];
      std::memcpy(bytes, &c.w0[t], 8);
      std::memcpy(bytes + 8, &c.w1[t], 8);
      return pattern_matches(text, std::string_view(bytes, size));
    }
    return pattern_matches(text, *c.string[t]);
  }
};

}  // namespace ecrlp::detail
