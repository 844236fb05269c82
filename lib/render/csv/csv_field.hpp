// SPDX-License-Identifier: MIT
#pragma once

// RFC 4180 fields: the one CSV quoting of the CSV writer.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ecrlp::writer {

/// Does `v` hold a character that makes a CSV field quoted (comma, quote, CR, LF)? A plain loop:
/// std::string_view::find_first_of calls memchr once per character of `v`.
[[nodiscard]] inline bool csv_needs_quotes(std::string_view v) noexcept {
  for (const char c : v) {
    if (c == ',' || c == '"' || c == '\r' || c == '\n') return true;
  }
  return false;
}

/// Appends `v` with each `"` doubled: the inside of a quoted CSV field.
inline void append_doubling_quotes(std::string& out, std::string_view v) {
  for (const char c : v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
}

/// Appends the items with `sep` between them as one RFC 4180 CSV field: quoted (with doubled
/// quotes) when the joined text holds a comma, quote or line break. No temporary string: the
/// CSV renderers write one of these per image.
inline void append_csv_field(std::string& out, const std::vector<std::string>& items,
                             std::string_view sep) {
  bool quote = items.size() > 1 && csv_needs_quotes(sep);
  for (std::size_t i = 0; i < items.size() && !quote; ++i) quote = csv_needs_quotes(items[i]);
  const auto put = [&](std::string_view v) {
    if (quote) {
      append_doubling_quotes(out, v);
    } else {
      out.append(v);
    }
  };
  if (quote) out.push_back('"');
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) put(sep);
    put(items[i]);
  }
  if (quote) out.push_back('"');
}

/// Appends `v` as one RFC 4180 CSV field (see above).
inline void append_csv_field(std::string& out, std::string_view v) {
  if (!csv_needs_quotes(v)) {
    out.append(v);
    return;
  }
  out.push_back('"');
  append_doubling_quotes(out, v);
  out.push_back('"');
}

/// One RFC 4180 CSV field: quoted (with doubled quotes) when it holds a comma, quote or line break.
[[nodiscard]] inline std::string csv_field(std::string_view v) {
  std::string out;
  append_csv_field(out, v);
  return out;
}

}  // namespace ecrlp::writer
