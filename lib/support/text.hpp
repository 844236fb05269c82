// SPDX-License-Identifier: MIT
#pragma once

// Locale-free text for numbers and lists, used by the readers' messages and by the writers.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ecrlp::detail {

/// The items with `sep` between them.
[[nodiscard]] inline std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += sep;
    out += items[i];
  }
  return out;
}

/// 1234567 -> "1,234,567", independent of the locale.
[[nodiscard]] inline std::string group_digits(std::uint64_t v) {
  std::string digits = std::to_string(v);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

/// Binary-prefixed size with one decimal ("512 B", "41.2 MiB", "1.1 TiB"), locale-free.
[[nodiscard]] inline std::string human_bytes(std::uint64_t bytes) {
  static constexpr std::string_view units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  std::size_t unit = 0;
  // Tenths of the unit, rounded half up, computed in integers.
  std::uint64_t whole = bytes;
  std::uint64_t rem = 0;
  while (whole >= 1024 && unit + 1 < std::size(units)) {
    rem = whole % 1024;
    whole /= 1024;
    ++unit;
  }
  std::uint64_t tenths = (rem * 10 + 512) / 1024;
  if (tenths == 10) {
    ++whole;
    tenths = 0;
  }
  return std::to_string(whole) + "." + std::to_string(tenths) + " " + std::string(units[unit]);
}

}  // namespace ecrlp::detail
