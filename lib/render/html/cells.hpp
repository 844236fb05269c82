// SPDX-License-Identifier: MIT
#pragma once

// Table cells and notes the HTML pages share: an image's push time, size, tags and digest (which
// unfolds to an explanation), and the sentence that states how many rows a table lists.

#include <cstddef>
#include <string>
#include <string_view>

#include <ecrlp/image.hpp>

namespace ecrlp::writer::html {

/// The sentence above a table of images that lists at most `max_rows` of `total` (0 = all),
/// stating the cap: "The 1,000 oldest of 4,321 affected images are listed (at most 1,000 rows, each
/// with its explanation) ..." or "All 12 affected images are listed (at most 1,000 rows ...) ...".
[[nodiscard]] std::string listed_rows_note(std::size_t max_rows, std::size_t total,
                                                  std::string_view noun);

/// A table cell showing `digest` shortened to its first 19 characters ("sha256:" and 12 hex
/// digits, then an ellipsis), the whole digest as its tooltip and sort key.
[[nodiscard]] std::string short_digest_cell(std::string_view digest);

/// A table cell showing `digest` (its first 19 characters, "sha256:" and 12 hex digits) that
/// expands (a <details> element) to the full digest and `explanation` (text, escaped here). The
/// cell sorts by the full digest.
[[nodiscard]] std::string explained_digest_cell(std::string_view digest,
                                                       std::string_view explanation);

/// The push time as text, sorting by its instant.
[[nodiscard]] std::string pushed_cell(const image& img);

[[nodiscard]] std::string size_cell(const image& img);

[[nodiscard]] std::string tags_cell(const image& img);

}  // namespace ecrlp::writer::html
