// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include <ecrlp/policy.hpp>

namespace ecrlp {

/// True when `tag` starts with `prefix` (case-sensitive; prefixes are literal, `*` included).
[[nodiscard]] constexpr bool prefix_matches(std::string_view prefix, std::string_view tag) noexcept {
  return tag.substr(0, prefix.size()) == prefix;
}

/// True when `tag` matches the anchored glob `pattern`, in which only `*` is special and matches
/// any run of characters, the empty run included (ecrlp decision 4). Linear time: greedy matching
/// with a single backtrack point is exact for globs that have only `*`.
[[nodiscard]] constexpr bool pattern_matches(std::string_view pattern, std::string_view tag) noexcept {
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star = std::string_view::npos;
  std::size_t resume = 0;
  while (t < tag.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = t;
    } else if (p < pattern.size() && pattern[p] == tag[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

/// One list entry against one tag, by list kind. `none` never matches.
[[nodiscard]] constexpr bool entry_matches(tag_list_kind kind, std::string_view entry,
                                           std::string_view tag) noexcept {
  switch (kind) {
    case tag_list_kind::prefix:
      return prefix_matches(entry, tag);
    case tag_list_kind::pattern:
      return pattern_matches(entry, tag);
    case tag_list_kind::none:
      return false;
  }
  return false;
}

/// A tag list against an image's tags: every entry must match at least one tag (AND of entries;
/// one tag may satisfy several entries). An empty list is vacuously matched; validation rejects it.
[[nodiscard]] inline bool list_matches(tag_list_kind kind, std::span<const std::string> entries,
                                       std::span<const std::string> tags) noexcept {
  for (const auto& e : entries) {
    bool any = false;
    for (const auto& t : tags) {
      if (entry_matches(kind, e, t)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

/// The tag requirements of a selection against an image's tags (spec 2.2 tagMatch).
[[nodiscard]] inline bool tags_match(const selection& sel, std::span<const std::string> tags) noexcept {
  switch (sel.status) {
    case tag_status::any:
      return true;
    case tag_status::untagged:
      return tags.empty();
    case tag_status::tagged:
      return !tags.empty() && list_matches(sel.list_kind, sel.tag_list, tags);
  }
  return false;
}

}  // namespace ecrlp
