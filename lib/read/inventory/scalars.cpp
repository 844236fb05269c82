// SPDX-License-Identifier: MIT
//
// The message helpers of scalars.hpp: pointers, quoted values, why a timestamp was refused.

#include "read/inventory/scalars.hpp"

#include <chrono>

namespace ecrlp::read::ingest {

void append_token(std::string& pointer, std::string_view name) {
  pointer.push_back('/');
  for (const char c : name) {
    if (c == '~') {
      pointer += "~0";
    } else if (c == '/') {
      pointer += "~1";
    } else {
      pointer.push_back(c);
    }
  }
}

std::string shortened(std::string_view s) {
  constexpr std::size_t limit = 80;
  if (s.size() <= limit) return std::string{s};
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0U) == 0x80U) --cut;
  std::string out{s.substr(0, cut)};
  out += "...";
  return out;
}

std::string quoted(std::string_view s) { return "\"" + shortened(s) + "\""; }

std::string timestamp_problem(std::string_view t) {
  if (t.empty()) return "it is empty";
  const auto digits_at = [&](std::size_t pos, std::size_t count) {
    if (pos + count > t.size()) return false;
    for (std::size_t k = 0; k < count; ++k) {
      if (!is_digit(t[pos + k])) return false;
    }
    return true;
  };
  const auto num = [&](std::size_t pos, std::size_t count) {
    unsigned v = 0;
    for (std::size_t k = 0; k < count; ++k) v = v * 10 + static_cast<unsigned>(t[pos + k] - '0');
    return v;
  };
  if (t.size() > 4 && t[4] == '-') {
    const bool layout = digits_at(0, 4) && t.size() >= 19 && digits_at(5, 2) && t[7] == '-' &&
                        digits_at(8, 2) && digits_at(11, 2) && t[13] == ':' && digits_at(14, 2) &&
                        t[16] == ':' && digits_at(17, 2);
    if (!layout) {
      return "expected ISO-8601 YYYY-MM-DDTHH:MM:SS[.fraction] followed by Z, +hh:mm or +hhmm";
    }
    if (t[10] != 'T') return "the date and the time must be separated by an upper-case 'T'";
    if (num(0, 4) == 0) return "the year must be 0001..9999";
    const unsigned month = num(5, 2);
    if (month < 1 || month > 12) return "the month must be 01..12";
    const std::chrono::year_month_day ymd{std::chrono::year{static_cast<int>(num(0, 4))},
                                          std::chrono::month{month}, std::chrono::day{num(8, 2)}};
    if (!ymd.ok()) return "that day does not exist in that month";
    if (num(11, 2) > 23) return "the hour must be 00..23";
    if (num(14, 2) > 59) return "the minute must be 00..59";
    if (num(17, 2) == 60) return "leap seconds (:60) are not accepted";
    if (num(17, 2) > 59) return "the second must be 00..59";
    std::size_t i = 19;
    if (i < t.size() && t[i] == '.') {
      ++i;
      const std::size_t first = i;
      while (i < t.size() && is_digit(t[i])) ++i;
      if (i == first || i - first > 9) return "the fraction of a second must have 1..9 digits";
    }
    if (i == t.size()) return "it has no UTC offset (add Z or +hh:mm); a local time is ambiguous";
    if (t[i] == '+' || t[i] == '-') {
      const bool colon =
          t.size() - i == 6 && digits_at(i + 1, 2) && t[i + 3] == ':' && digits_at(i + 4, 2);
      if (colon || (t.size() - i == 5 && digits_at(i + 1, 4))) {
        if (num(i + 1, 2) > 23 || num(colon ? i + 4 : i + 3, 2) > 59) {
          return "the UTC offset must be at most 23:59";
        }
        return "with its UTC offset it falls outside the years 0001..9999 in UTC";
      }
    }
    return "the UTC offset must be Z, +hh:mm, -hh:mm, +hhmm or -hhmm";
  }
  if (t[0] == '-') return "negative epoch seconds are not accepted";
  if (is_digit(t[0])) {
    return "epoch seconds must be a decimal number (no sign) no later than 253402300799 "
           "(9999-12-31T23:59:59Z); epoch milliseconds are not accepted";
  }
  return "expected an ISO-8601 date-time with a UTC offset or epoch seconds";
}

}  // namespace ecrlp::read::ingest
