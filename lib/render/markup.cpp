// SPDX-License-Identifier: MIT
#include "render/markup.hpp"

#include <cstddef>
#include <cstdint>

namespace ecrlp::writer {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD

/// The length of the well-formed UTF-8 sequence XML can hold at s[i] (lead byte >= 0x80), or 0.
std::size_t xml_sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto b0 = static_cast<unsigned char>(s[i]);
  std::size_t len = 0;
  std::uint32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1FU;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0FU;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07U;
  }
  if (len == 0 || i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0U) != 0x80U) return 0;
    cp = (cp << 6U) | (b & 0x3FU);
  }
  const std::uint32_t min_for_len = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
  const bool ok = cp >= min_for_len && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF) &&
                  cp != 0xFFFE && cp != 0xFFFF;
  return ok ? len : 0;
}

}  // namespace

void append_markup(std::string& out, std::string_view s, apostrophe a) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 >= 0x80) {
      const std::size_t len = xml_sequence_length(s, i);
      if (len == 0) {
        out += replacement;
        ++i;
      } else {
        out.append(s.substr(i, len));
        i += len;
      }
      continue;
    }
    switch (b0) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += a == apostrophe::named ? "&apos;" : "&#39;";
        break;
      default:
        if (b0 < 0x20 && b0 != '\t' && b0 != '\n' && b0 != '\r') {
          out += replacement;
        } else {
          out.push_back(static_cast<char>(b0));
        }
    }
    ++i;
  }
}

std::string escape_markup(std::string_view s, apostrophe a) {
  std::string out;
  out.reserve(s.size());
  append_markup(out, s, a);
  return out;
}

}  // namespace ecrlp::writer
