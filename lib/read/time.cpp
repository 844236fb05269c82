// SPDX-License-Identifier: MIT
//
// Timestamp parsing (docs/inventory-format.md, "Timestamps").
//
// Two ISO-8601 parsers live here:
//  * parse_iso_fast: hand-written, allocation-free; recognises the fixed layout
//    `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±hh:mm|±hhmm)` and validates it. This is what the hot ingest
//    loop runs for every timestamp.
//  * parse_timestamp_reference: the reference. A regular expression states the grammar, Howard
//    Hinnant's date (date::parse, year_month_day::ok()) validates the calendar and clock and
//    applies the offset. The tests compare both on many generated inputs.
// parse_timestamp runs the fast path and hands anything it does not recognise to the reference, so
// the reference stays the final word on every input outside the common layout.
//
// Epoch seconds (a JSON-like decimal number) are parsed exactly from their digits, never through a
// double; the reference has its own digit-string implementation.

#include <ecrlp/time.hpp>

// date.h's from_stream leaves a `long double` unset on paths that then fail the stream; GCC 12 at
// -O2 cannot see that and warns (-Wmaybe-uninitialized) inside the inlined library code.
#if defined(__GNUC__) && !defined(__clang__)
#  pragma GCC diagnostic push
#  pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <date/date.h>

#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <locale>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <string_view>

namespace ecrlp {
namespace detail {

/// Result of the fast ISO-8601 path.
enum class fast_status : unsigned char {
  parsed,       ///< the text has the fixed layout and is a valid instant (stored in `out`)
  invalid,      ///< the text has the fixed layout but names an impossible date, time or offset
  unrecognised  ///< the text does not have the fixed layout
};

// These have external linkage so that tests/inventory_time_test.cpp can compare them; they are not
// part of the public API (no header declares them).
[[nodiscard]] fast_status parse_iso_fast(std::string_view text, timestamp& out) noexcept;
[[nodiscard]] std::optional<timestamp> parse_epoch_fast(std::string_view text) noexcept;
[[nodiscard]] std::optional<timestamp> parse_timestamp_reference(std::string_view text);

}  // namespace detail

namespace {

using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

/// Latest instant accepted: 9999-12-31T23:59:59.999999Z, in microseconds since the epoch.
constexpr std::int64_t max_epoch_us = 253'402'300'799'999'999;
/// Earliest instant accepted: 0001-01-01T00:00:00Z. An ISO text with a negative offset can name
/// an instant past 9999 in UTC (`9999-12-31T23:59:59-01:00`), a positive one an instant before
/// year 1 (`0001-01-01T00:00:00+01:00`); both are refused, so that every accepted instant has a
/// four-digit UTC year and format_timestamp's output parses back to it.
constexpr std::int64_t min_epoch_us = -62'135'596'800'000'000;

static_assert(std::chrono::sys_days{std::chrono::year{1} / 1 / 1}.time_since_epoch().count() *
                  86'400'000'000LL ==
              min_epoch_us);
static_assert(std::chrono::sys_days{std::chrono::year{10000} / 1 / 1}.time_since_epoch().count() *
                      86'400'000'000LL -
                  1 ==
              max_epoch_us);

[[nodiscard]] constexpr bool in_range(timestamp t) noexcept {
  const auto us = t.time_since_epoch().count();
  return us >= min_epoch_us && us <= max_epoch_us;
}

/// Longest ISO text of the grammar: 19 + ".fffffffff" (10) + "+hh:mm" (6).
constexpr std::size_t max_iso_length = 35;

/// Longest epoch text accepted (Python prints at most ~25 characters for a float).
constexpr std::size_t max_epoch_length = 64;

[[nodiscard]] constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

[[nodiscard]] constexpr unsigned digit(char c) noexcept { return static_cast<unsigned>(c - '0'); }

[[nodiscard]] constexpr bool two_digits(const char* p) noexcept {
  return is_digit(p[0]) && is_digit(p[1]);
}

[[nodiscard]] constexpr unsigned two(const char* p) noexcept {
  return digit(p[0]) * 10 + digit(p[1]);
}

/// True when the text should be read as ISO-8601 rather than as epoch seconds.
[[nodiscard]] constexpr bool looks_iso(std::string_view text) noexcept {
  return text.size() > 4 && text[4] == '-';
}

}  // namespace

namespace detail {

fast_status parse_iso_fast(std::string_view text, timestamp& out) noexcept {
  // Lexical layout first: any deviation means "not mine".
  const std::size_t n = text.size();
  if (n < 20 || n > max_iso_length) return fast_status::unrecognised;
  const char* p = text.data();
  if (!(is_digit(p[0]) && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) && p[4] == '-' &&
        two_digits(p + 5) && p[7] == '-' && two_digits(p + 8) && p[10] == 'T' &&
        two_digits(p + 11) && p[13] == ':' && two_digits(p + 14) && p[16] == ':' &&
        two_digits(p + 17))) {
    return fast_status::unrecognised;
  }
  std::size_t i = 19;
  std::uint32_t micros = 0;
  if (p[i] == '.') {
    ++i;
    const std::size_t first = i;
    while (i < n && is_digit(p[i])) {
      if (i - first < 6) micros = micros * 10 + digit(p[i]);
      ++i;
    }
    const std::size_t count = i - first;
    if (count == 0 || count > 9) return fast_status::unrecognised;
    for (std::size_t k = count; k < 6; ++k) micros *= 10;
  }
  int offset_minutes = 0;
  if (i + 1 == n && p[i] == 'Z') {
    // UTC
  } else if (i < n && (p[i] == '+' || p[i] == '-')) {
    const bool negative = p[i] == '-';
    const std::size_t rest = n - i - 1;
    const char* o = p + i + 1;
    unsigned oh = 0;
    unsigned om = 0;
    if (rest == 5 && two_digits(o) && o[2] == ':' && two_digits(o + 3)) {
      oh = two(o);
      om = two(o + 3);
    } else if (rest == 4 && two_digits(o) && two_digits(o + 2)) {
      oh = two(o);
      om = two(o + 2);
    } else {
      return fast_status::unrecognised;
    }
    if (oh > 23 || om > 59) return fast_status::invalid;
    offset_minutes = static_cast<int>(oh * 60 + om);
    if (negative) offset_minutes = -offset_minutes;
  } else {
    return fast_status::unrecognised;
  }

  // Semantics: a real calendar date and a clock time without leap seconds.
  const int y = static_cast<int>(digit(p[0]) * 1000 + digit(p[1]) * 100 + two(p + 2));
  const unsigned mo = two(p + 5);
  const unsigned d = two(p + 8);
  const unsigned hh = two(p + 11);
  const unsigned mi = two(p + 14);
  const unsigned ss = two(p + 17);
  if (y < 1 || hh > 23 || mi > 59 || ss > 59) return fast_status::invalid;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{mo},
                                        std::chrono::day{d}};
  if (!ymd.ok()) return fast_status::invalid;
  const auto local =
      std::chrono::sys_days{ymd} + std::chrono::hours{hh} + minutes{mi} + seconds{ss};
  const timestamp t = timestamp{local - minutes{offset_minutes}} + microseconds{micros};
  if (!in_range(t)) return fast_status::invalid;
  out = t;
  return fast_status::parsed;
}

std::optional<timestamp> parse_epoch_fast(std::string_view text) noexcept {
  // Grammar (a JSON number without a sign): int [ "." digits ] [ ("e"|"E") ["+"|"-"] digits ]
  // with int = "0" | [1-9][0-9]*. The value is seconds since 1970-01-01T00:00:00Z.
  const std::size_t n = text.size();
  const char* p = text.data();
  std::size_t i = 0;
  if (n == 0 || n > max_epoch_length) return std::nullopt;
  if (!is_digit(p[0])) return std::nullopt;  // also rejects a leading '-' or '+'
  const std::size_t int_begin = 0;
  if (p[0] == '0') {
    i = 1;
  } else {
    while (i < n && is_digit(p[i])) ++i;
  }
  const std::size_t int_end = i;
  std::size_t frac_begin = i;
  std::size_t frac_end = i;
  if (i < n && p[i] == '.') {
    frac_begin = ++i;
    while (i < n && is_digit(p[i])) ++i;
    frac_end = i;
    if (frac_end == frac_begin) return std::nullopt;
  }
  std::int64_t exponent = 0;
  if (i < n && (p[i] == 'e' || p[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < n && (p[i] == '+' || p[i] == '-')) negative = p[i++] == '-';
    const std::size_t exp_begin = i;
    while (i < n && is_digit(p[i])) {
      if (exponent < 1'000'000) exponent = exponent * 10 + static_cast<std::int64_t>(digit(p[i]));
      ++i;
    }
    if (i == exp_begin) return std::nullopt;
    if (negative) exponent = -exponent;
  }
  if (i != n) return std::nullopt;

  // The digits, read as one sequence with the decimal point after `point` of them; the result is
  // the integer made of the first point + 6 digits (zero-padded), i.e. truncated microseconds.
  const auto int_len = static_cast<std::int64_t>(int_end - int_begin);
  const auto frac_len = static_cast<std::int64_t>(frac_end - frac_begin);
  const std::int64_t wanted = int_len + exponent + 6;
  std::int64_t micros = 0;
  for (std::int64_t k = 0; k < wanted; ++k) {
    unsigned dg = 0;
    if (k < int_len) {
      dg = digit(p[int_begin + static_cast<std::size_t>(k)]);
    } else if (k - int_len < frac_len) {
      dg = digit(p[frac_begin + static_cast<std::size_t>(k - int_len)]);
    } else if (micros == 0) {
      break;  // only zeros left: the value is 0
    }
    micros = micros * 10 + static_cast<std::int64_t>(dg);
    if (micros > max_epoch_us) return std::nullopt;
  }
  return timestamp{microseconds{micros}};
}

namespace {

/// Reference epoch parser: regex grammar, then digit-string arithmetic with std::from_chars.
std::optional<timestamp> parse_epoch_reference(std::string_view text) {
  static const std::regex grammar{R"((0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?)"};
  if (text.size() > max_epoch_length) return std::nullopt;
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(text.begin(), text.end(), m, grammar)) return std::nullopt;
  const std::string int_part = m[1].str();
  const std::string frac_part = m[2].matched ? m[2].str() : std::string{};
  long long exponent = 0;
  if (m[3].matched) {
    std::string e = m[3].str();
    if (!e.empty() && e[0] == '+') e.erase(0, 1);
    const auto [ptr, ec] = std::from_chars(e.data(), e.data() + e.size(), exponent);
    if (ec == std::errc::result_out_of_range) exponent = e[0] == '-' ? -1'000'000 : 1'000'000;
    if (exponent > 1'000'000) exponent = 1'000'000;
    if (exponent < -1'000'000) exponent = -1'000'000;
  }
  std::string digits = int_part + frac_part;
  if (digits.find_first_not_of('0') == std::string::npos) return timestamp{};
  const long long keep = static_cast<long long>(int_part.size()) + exponent + 6;
  if (keep <= 0) return timestamp{};
  if (keep > static_cast<long long>(digits.size()) + 40) return std::nullopt;  // astronomically big
  digits.resize(static_cast<std::size_t>(keep), '0');
  const auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return timestamp{};
  if (digits.size() - first > 18) return std::nullopt;
  std::int64_t micros = 0;
  const auto parsed = std::from_chars(digits.data() + first, digits.data() + digits.size(), micros);
  if (parsed.ec != std::errc{}) return std::nullopt;
  if (micros > max_epoch_us) return std::nullopt;
  return timestamp{microseconds{micros}};
}

/// Reference ISO-8601 parser: the grammar as a regular expression, the calendar, clock and offset
/// arithmetic by date::parse at second precision, the fraction truncated to microseconds.
std::optional<timestamp> parse_iso_reference(std::string_view text) {
  static const std::regex grammar{
      R"(([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2}))"
      R"((?:\.([0-9]{1,9}))?(Z|([+-])([0-9]{2}):?([0-9]{2})))"};
  if (text.size() > max_iso_length) return std::nullopt;
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(text.begin(), text.end(), m, grammar)) return std::nullopt;
  if (m[1].str() == "0000") return std::nullopt;  // years 0001..9999 (Python's datetime range)

  std::string offset = "+0000";
  if (m[8].str() != "Z") {
    // date's %z does not bound the minutes of an offset; RFC 3339 does (and so does Python).
    const int oh = std::stoi(m[10].str());
    const int om = std::stoi(m[11].str());
    if (oh > 23 || om > 59) return std::nullopt;
    offset = m[9].str() + m[10].str() + m[11].str();
  }
  // Nanosecond sys_time covers only 1677..2262, so date parses whole seconds and the fraction is
  // added afterwards.
  std::istringstream in{m[1].str() + "-" + m[2].str() + "-" + m[3].str() + "T" + m[4].str() + ":" +
                        m[5].str() + ":" + m[6].str() + offset};
  in.imbue(std::locale::classic());
  date::sys_seconds tp;
  in >> date::parse("%Y-%m-%dT%H:%M:%S%z", tp);
  if (in.fail()) return std::nullopt;
  if (in.peek() != std::char_traits<char>::eof()) return std::nullopt;
  // date checks the date with year_month_day::ok() inside parse; check it again explicitly so the
  // reference does not depend on that detail.
  const date::year_month_day ymd{date::year{std::stoi(m[1].str())},
                                 date::month{static_cast<unsigned>(std::stoi(m[2].str()))},
                                 date::day{static_cast<unsigned>(std::stoi(m[3].str()))}};
  if (!ymd.ok()) return std::nullopt;

  std::string fraction = m[7].matched ? m[7].str() : std::string{};
  fraction.resize(6, '0');
  const long long us = std::stoll(fraction);
  const timestamp t{std::chrono::time_point_cast<microseconds>(tp) + microseconds{us}};
  if (!in_range(t)) return std::nullopt;
  return t;
}

}  // namespace

std::optional<timestamp> parse_timestamp_reference(std::string_view text) {
  if (looks_iso(text)) return parse_iso_reference(text);
  return parse_epoch_reference(text);
}

}  // namespace detail

std::optional<timestamp> parse_timestamp(std::string_view text) noexcept {
  if (!looks_iso(text)) return detail::parse_epoch_fast(text);
  timestamp t{};
  switch (detail::parse_iso_fast(text, t)) {
    case detail::fast_status::parsed:
      return t;
    case detail::fast_status::invalid:
      return std::nullopt;
    case detail::fast_status::unrecognised:
      break;
  }
  // Outside the common layout: the reference decides (in practice it rejects, since both share the
  // grammar). It allocates; running out of memory here makes the text unparseable, nothing worse.
  try {
    return detail::parse_timestamp_reference(text);
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace ecrlp

#if defined(__GNUC__) && !defined(__clang__)
#  pragma GCC diagnostic pop
#endif
