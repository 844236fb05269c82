// SPDX-License-Identifier: MIT
#pragma once

#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ecrlp {

/// An instant in UTC at microsecond precision (ECR prints microseconds; ranking needs them).
using timestamp = std::chrono::sys_time<std::chrono::microseconds>;

/// Parses an ECR/AWS CLI timestamp: ISO-8601 with `Z` or a `±hh:mm`/`±hhmm` offset and an optional
/// fraction of up to 9 digits (truncated to microseconds), or epoch seconds as a decimal number
/// (`1565128275.0`, AWS CLI v1). Returns nullopt for anything else, including impossible dates
/// such as February 30th. Implemented in lib/ (uses Howard Hinnant's date as the reference parser).
[[nodiscard]] std::optional<timestamp> parse_timestamp(std::string_view text) noexcept;

namespace detail {

/// Room for what format_timestamp_to() writes: a year of up to 5 digits and a sign (the range of
/// std::chrono::year; parse_timestamp accepts 0001 to 9999), `-MM-DDTHH:MM:SS`, `.ffffff` and
/// `+00:00` make 34 characters at most.
inline constexpr std::size_t timestamp_chars = 40;

/// format_timestamp() into `out`, which has room for timestamp_chars characters; returns the end.
inline char* format_timestamp_to(timestamp t, char* out) noexcept {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<microseconds> hms{t - day};
  const auto y = static_cast<int>(ymd.year());
  const auto two = [&out](unsigned v) {
    *out++ = static_cast<char>('0' + (v / 10) % 10);
    *out++ = static_cast<char>('0' + v % 10);
  };
  if (y < 0 || y > 9999) {
    out = std::to_chars(out, out + 8, y).ptr;
  } else {
    const auto uy = static_cast<unsigned>(y);
    two(uy / 100);
    two(uy % 100);
  }
  *out++ = '-';
  two(static_cast<unsigned>(ymd.month()));
  *out++ = '-';
  two(static_cast<unsigned>(ymd.day()));
  *out++ = 'T';
  two(static_cast<unsigned>(hms.hours().count()));
  *out++ = ':';
  two(static_cast<unsigned>(hms.minutes().count()));
  *out++ = ':';
  two(static_cast<unsigned>(hms.seconds().count()));
  if (const auto us = static_cast<std::uint32_t>(hms.subseconds().count()); us != 0) {
    *out++ = '.';
    std::uint32_t div = 100000;
    for (int i = 0; i < 6; ++i, div /= 10) *out++ = static_cast<char>('0' + (us / div) % 10);
  }
  for (const char c : {'+', '0', '0', ':', '0', '0'}) *out++ = c;
  return out;
}

}  // namespace detail

/// Formats an instant as ISO-8601 in UTC the way AWS CLI v2 prints it: `2023-09-04T05:35:37+00:00`,
/// with `.ffffff` only when the microseconds are non-zero. Header-only.
[[nodiscard]] inline std::string format_timestamp(timestamp t) {
  char text[detail::timestamp_chars];
  return {text, detail::format_timestamp_to(t, text)};
}

}  // namespace ecrlp
