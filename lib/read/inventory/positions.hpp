// SPDX-License-Identifier: MIT
#pragma once

// Private (lib/read/inventory): where a problem is. Byte offsets become line and column
// (line_counter), and the problems simdjson reports without a position are located in the text.

#include "read/inventory/text_source.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace ecrlp::read::ingest {

/// Byte offset of the first byte that is not part of a valid UTF-8 sequence, or npos.
[[nodiscard]] std::size_t first_invalid_utf8(std::string_view s) noexcept;

/// For UNESCAPED_CHARS: the first control character inside a string. For UNCLOSED_STRING: the
/// opening quote of the string that is still open at the end. npos when not found.
[[nodiscard]] std::size_t locate_string_problem(std::string_view s, bool want_unclosed) noexcept;

/// For INCOMPLETE_ARRAY_OR_OBJECT: the first `]` or `}` (outside strings) that closes more than was
/// opened, or npos when the brackets only lack their closing ones (a truncated file).
[[nodiscard]] std::size_t locate_extra_close(std::string_view s) noexcept;

/// Turns byte offsets into 1-based line/column, moving a cursor so that a whole file of
/// diagnostics costs about one pass over the text. Offsets are offsets in the input (the file),
/// whatever part of it is in memory.
class line_counter {
 public:
  explicit line_counter(text_source& source) noexcept : source_{&source} {}

  /// Line and column (1-based, the column in bytes) of input offset `offset`.
  void locate(std::size_t offset, std::size_t& line, std::size_t& column);

 private:
  static constexpr std::size_t chunk = std::size_t{1} << 20;
  text_source* source_;
  std::string scratch_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
};

}  // namespace ecrlp::read::ingest
