// SPDX-License-Identifier: MIT
// Timestamp parsing: every accepted form, the rejections, the fast path against the date-based
// reference on generated inputs, and independence from the local time zone.

#include <ecrlp/time.hpp>

#include "catch.hpp"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace ecrlp::detail {
// Internal entry points of lib/read/time.cpp (not in a public header; declared here to test them).
enum class fast_status : unsigned char { parsed, invalid, unrecognised };
[[nodiscard]] fast_status parse_iso_fast(std::string_view text, timestamp& out) noexcept;
[[nodiscard]] std::optional<timestamp> parse_epoch_fast(std::string_view text) noexcept;
[[nodiscard]] std::optional<timestamp> parse_timestamp_reference(std::string_view text);
}  // namespace ecrlp::detail

namespace {

using namespace std::chrono;
using ecrlp::timestamp;

/// Builds the expected instant from civil UTC fields, independently of the parsers.
timestamp utc(int y, unsigned mo, unsigned d, int h, int mi, int s, std::int64_t us = 0) {
  return timestamp{sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s} +
                   microseconds{us}};
}

timestamp epoch_us(std::int64_t us) { return timestamp{microseconds{us}}; }

std::string show(const std::optional<timestamp>& t) {
  return t ? ecrlp::format_timestamp(*t) : std::string{"(rejected)"};
}

}  // namespace

TEST_CASE("every accepted timestamp form gives the right UTC instant", "[time]") {
  struct form {
    std::string_view text;
    timestamp expected;
  };
  const std::vector<form> forms{
      // ISO-8601, the offsets AWS CLI v2 prints (local time of the machine running the CLI)
      {"2019-08-06T21:51:15Z", utc(2019, 8, 6, 21, 51, 15)},
      {"2019-08-06T21:51:15+00:00", utc(2019, 8, 6, 21, 51, 15)},
      {"2019-08-06T21:51:15-00:00", utc(2019, 8, 6, 21, 51, 15)},
      {"2021-08-26T15:39:43-06:00", utc(2021, 8, 26, 21, 39, 43)},
      {"2023-09-27T00:06:14.575000+08:00", utc(2023, 9, 26, 16, 6, 14, 575000)},
      {"2026-03-17T18:29:36.777000-04:00", utc(2026, 3, 17, 22, 29, 36, 777000)},
      {"2022-02-23T05:06:01.514000+00:00", utc(2022, 2, 23, 5, 6, 1, 514000)},
      {"2021-08-26T15:39:43+0530", utc(2021, 8, 26, 10, 9, 43)},
      {"2021-08-26T15:39:43-0600", utc(2021, 8, 26, 21, 39, 43)},
      {"2021-08-26T15:39:43+05:45", utc(2021, 8, 26, 9, 54, 43)},
      {"2021-08-26T15:39:43+23:59", utc(2021, 8, 25, 15, 40, 43)},
      // fractions of 1..9 digits, truncated (never rounded) to microseconds
      {"2021-01-01T00:00:00.5Z", utc(2021, 1, 1, 0, 0, 0, 500000)},
      {"2021-01-01T00:00:00.12Z", utc(2021, 1, 1, 0, 0, 0, 120000)},
      {"2021-01-01T00:00:00.1234567Z", utc(2021, 1, 1, 0, 0, 0, 123456)},
      {"2021-01-01T00:00:00.999999999Z", utc(2021, 1, 1, 0, 0, 0, 999999)},
      {"2021-01-01T00:00:00.000001+01:00", utc(2020, 12, 31, 23, 0, 0, 1)},
      // calendar edges
      {"2024-02-29T12:00:00Z", utc(2024, 2, 29, 12, 0, 0)},
      {"2000-02-29T00:00:00Z", utc(2000, 2, 29, 0, 0, 0)},
      {"1969-12-31T23:59:59Z", epoch_us(-1'000'000)},
      {"0001-01-01T00:00:00Z", utc(1, 1, 1, 0, 0, 0)},
      {"9999-12-31T23:59:59.999999Z", utc(9999, 12, 31, 23, 59, 59, 999999)},
      {"2021-01-01T00:30:00+01:00", utc(2020, 12, 31, 23, 30, 0)},
      // epoch seconds (AWS CLI v1 / the JSON wire), parsed exactly from the decimal text
      {"1565128275", utc(2019, 8, 6, 21, 51, 15)},
      {"1565128275.0", utc(2019, 8, 6, 21, 51, 15)},
      {"1565128275.123456", utc(2019, 8, 6, 21, 51, 15, 123456)},
      {"1565128275.1234569", utc(2019, 8, 6, 21, 51, 15, 123456)},
      {"1565128275.000001", utc(2019, 8, 6, 21, 51, 15, 1)},
      {"1504295007.0", utc(2017, 9, 1, 19, 43, 27)},
      {"1.565128275e9", utc(2019, 8, 6, 21, 51, 15)},
      {"1.565128275123456E+9", utc(2019, 8, 6, 21, 51, 15, 123456)},
      {"15651282750e-1", utc(2019, 8, 6, 21, 51, 15)},
      {"0", epoch_us(0)},
      {"0.5", epoch_us(500000)},
      {"0.0000009", epoch_us(0)},
      {"0e999999999999", epoch_us(0)},
      {"253402300799.999999", utc(9999, 12, 31, 23, 59, 59, 999999)},
  };
  for (const auto& f : forms) {
    INFO("text: " << f.text);
    const auto parsed = ecrlp::parse_timestamp(f.text);
    REQUIRE(parsed.has_value());
    CHECK(*parsed == f.expected);
    CHECK(show(ecrlp::detail::parse_timestamp_reference(f.text)) == show(f.expected));
  }
  // the spec's CLI v1 value
  CHECK(ecrlp::parse_timestamp("1565128275.0")->time_since_epoch() == seconds{1565128275});
}

TEST_CASE("impossible, ambiguous or malformed timestamps are rejected", "[time]") {
  const auto text =
      GENERATE(as<std::string>{},
               // impossible dates and times
               "2021-02-29T10:00:00Z", "2021-02-30T10:00:00Z", "2021-04-31T10:00:00Z",
               "1900-02-29T10:00:00Z", "2021-13-01T10:00:00Z", "2021-00-10T10:00:00Z",
               "2021-01-00T10:00:00Z", "2021-01-32T10:00:00Z", "2021-01-01T24:00:00Z",
               "2021-01-01T25:00:00Z", "2021-01-01T10:60:00Z", "2021-01-01T10:00:60Z",
               "2021-01-01T10:00:61Z", "0000-01-01T00:00:00Z",
               // impossible offsets
               "2021-01-01T10:00:00+24:00", "2021-01-01T10:00:00+05:60", "2021-01-01T10:00:00-2400",
               // no offset: local time of an unknown machine, ambiguous
               "2021-01-01T10:00:00", "2021-01-01T10:00:00.123456",
               // layout variations that are not accepted
               "2021-01-01 10:00:00Z", "2021-01-01t10:00:00Z", "2021-01-01T10:00:00z",
               "2021-01-01T10:00:00 Z", "2021-01-01T10:00:00+05", "2021-01-01T10:00:00+5:00",
               "2021-01-01T10:00:00+05:0", "2021-01-01T10:00:00UTC", "2021-1-01T10:00:00Z",
               "2021-01-01T1:00:00Z", "21-01-01T10:00:00Z", "+2021-01-01T10:00:00Z",
               "2021-01-01T10:00Z", "2021-01-01", "2021-01-01T10:00:00.Z",
               "2021-01-01T10:00:00.1234567890Z", "2021-01-01T10:00:00,5Z", " 2021-01-01T10:00:00Z",
               "2021-01-01T10:00:00Z ", "2021-01-01T10:00:00ZZ", "2021-01-01T10:00:00+00:00Z",
               "\xEF\xBC\x92\x30\x32\x31-01-01T10:00:00Z",
               // epoch seconds
               "", "-1", "-0", "-1565128275.0", "+1565128275", "01565128275", "1.", ".5", "1e",
               "1e+", "1.5e", "0x10", "1_000", "NaN", "Infinity", "1565128275.0Z", "1565128275 ",
               " 1565128275", "1,5",
               "253402300800",   // after 9999-12-31T23:59:59Z
               "1565128275000",  // epoch milliseconds
               "2.534023008e11", "1e400",
               "1565128275.00000000000000000000000000000000000000000000000000000001");
  INFO("text: " << text);
  CHECK_FALSE(ecrlp::parse_timestamp(text).has_value());
  CHECK_FALSE(ecrlp::detail::parse_timestamp_reference(text).has_value());
}

namespace {

/// Generates strings around the ISO layout: mostly well-formed with random (often out-of-range)
/// fields, some with random edits, so that both valid and invalid inputs are frequent.
class iso_generator {
 public:
  explicit iso_generator(std::uint32_t seed) : rng_{seed} {}

  struct sample {
    std::string text;
    bool plausible;  // well-formed layout with in-range fields (an oracle is computable)
    timestamp expected;
  };

  sample next() {
    sample s{};
    const int y = pick(0, 10) == 0 ? pick(0, 9999) : pick(1960, 2100);
    const int mo = pick(0, 10) == 0 ? pick(0, 19) : pick(1, 12);
    const int d = pick(0, 6) == 0 ? pick(0, 39) : pick(1, 31);
    const int h = pick(0, 10) == 0 ? pick(0, 29) : pick(0, 23);
    const int mi = pick(0, 10) == 0 ? pick(0, 69) : pick(0, 59);
    const int se = pick(0, 10) == 0 ? pick(0, 69) : pick(0, 59);
    const int frac_digits = pick(0, 3) == 0 ? 0 : (pick(0, 2) == 0 ? pick(1, 11) : 6);
    std::string frac;
    for (int i = 0; i < frac_digits; ++i) frac.push_back(static_cast<char>('0' + pick(0, 9)));
    const int oform = pick(0, 9);  // 0..3 Z, 4..6 +hh:mm, 7..8 +hhmm, 9 odd
    const bool negative = pick(0, 1) == 1;
    const int oh = pick(0, 12) == 0 ? pick(0, 29) : pick(0, 14);
    const int om = pick(0, 12) == 0 ? pick(0, 69) : (pick(0, 3) == 0 ? 30 : 0);

    s.text = pad(y, 4) + "-" + pad(mo, 2) + "-" + pad(d, 2) + "T" + pad(h, 2) + ":" + pad(mi, 2) +
             ":" + pad(se, 2);
    if (frac_digits > 0) s.text += "." + frac;
    std::string offset;
    bool offset_ok = true;
    int offset_minutes = 0;
    if (oform <= 3) {
      offset = "Z";
    } else if (oform <= 8) {
      offset =
          std::string(negative ? "-" : "+") + pad(oh, 2) + (oform <= 6 ? ":" : "") + pad(om, 2);
      offset_ok = oh <= 23 && om <= 59;
      offset_minutes = (negative ? -1 : 1) * (oh * 60 + om);
    } else {
      static const char* const odd[] = {"", "+05", "z", " Z", "+5:00", "UTC", "+05:3", "+05:300"};
      offset = odd[pick(0, 7)];
      offset_ok = false;
    }
    s.text += offset;

    const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                             day{static_cast<unsigned>(d)}};
    s.plausible =
        offset_ok && y >= 1 && ymd.ok() && h <= 23 && mi <= 59 && se <= 59 && frac_digits <= 9;
    if (s.plausible) {
      std::int64_t us = 0;
      for (int i = 0; i < 6; ++i)
        us = us * 10 + (i < frac_digits ? frac[static_cast<std::size_t>(i)] - '0' : 0);
      s.expected = timestamp{sys_days{ymd} + hours{h} + minutes{mi} + seconds{se} -
                             minutes{offset_minutes} + microseconds{us}};
    }
    // Random edits on a quarter of the samples.
    if (pick(0, 3) == 0) {
      static constexpr std::string_view alphabet = "0123456789-:T.Z+ tz/,";
      const int edits = pick(1, 3);
      for (int e = 0; e < edits && !s.text.empty(); ++e) {
        const auto pos = static_cast<std::size_t>(pick(0, static_cast<int>(s.text.size()) - 1));
        const char c =
            alphabet[static_cast<std::size_t>(pick(0, static_cast<int>(alphabet.size()) - 1))];
        switch (pick(0, 2)) {
          case 0:
            s.text[pos] = c;
            break;
          case 1:
            s.text.erase(pos, 1);
            break;
          default:
            s.text.insert(pos, 1, c);
            break;
        }
      }
      s.plausible = false;  // no oracle for edited text; fast path vs reference still compared
    }
    return s;
  }

 private:
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>{lo, hi}(rng_); }
  static std::string pad(int v, int width) {
    std::string s = std::to_string(v);
    while (static_cast<int>(s.size()) < width) s.insert(s.begin(), '0');
    return s;
  }
  std::mt19937 rng_;
};

}  // namespace

TEST_CASE("ISO fast path agrees with the date-based reference on generated input", "[time]") {
  iso_generator gen{20240229};
  int valid = 0;
  int invalid = 0;
  int fast_handled = 0;
  constexpr int samples = 20000;
  for (int i = 0; i < samples; ++i) {
    const auto s = gen.next();
    INFO("text: \"" << s.text << "\"");
    const auto reference = ecrlp::detail::parse_timestamp_reference(s.text);
    const auto parsed = ecrlp::parse_timestamp(s.text);
    REQUIRE(show(parsed) == show(reference));

    timestamp fast{};
    switch (ecrlp::detail::parse_iso_fast(s.text, fast)) {
      case ecrlp::detail::fast_status::parsed:
        ++fast_handled;
        REQUIRE(reference.has_value());
        REQUIRE(fast == *reference);
        break;
      case ecrlp::detail::fast_status::invalid:
        ++fast_handled;
        REQUIRE_FALSE(reference.has_value());
        break;
      case ecrlp::detail::fast_status::unrecognised:
        // Outside the fixed layout; the reference shares the grammar, so it must reject too.
        REQUIRE_FALSE(reference.has_value());
        break;
    }
    if (s.plausible) {
      REQUIRE(parsed.has_value());
      REQUIRE(*parsed == s.expected);
    }
    (parsed ? valid : invalid)++;
  }
  // The generator must exercise both outcomes substantially.
  CHECK(valid > samples / 5);
  CHECK(invalid > samples / 5);
  CHECK(fast_handled > samples / 2);
}

TEST_CASE("epoch seconds are parsed exactly, never through a double", "[time]") {
  std::mt19937_64 rng{1565128275};
  const auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>{lo, hi}(rng);
  };
  constexpr std::int64_t max_seconds = 253'402'300'799;
  for (int i = 0; i < 20000; ++i) {
    const std::int64_t sec =
        pick(0, 3) == 0 ? pick(0, max_seconds) : pick(1'400'000'000, 1'900'000'000);
    const auto frac_digits = static_cast<int>(pick(0, 12));
    std::string frac;
    for (int k = 0; k < frac_digits; ++k) frac.push_back(static_cast<char>('0' + pick(0, 9)));
    std::int64_t us = 0;
    for (int k = 0; k < 6; ++k) {
      us = us * 10 + (k < frac_digits ? frac[static_cast<std::size_t>(k)] - '0' : 0);
    }
    const timestamp expected{microseconds{sec * 1'000'000 + us}};
    std::string plain = std::to_string(sec);
    if (frac_digits > 0) plain += "." + frac;
    // the same value in scientific notation: d.ddddde+N
    const std::string digits = std::to_string(sec) + frac;
    const auto int_len = std::to_string(sec).size();
    std::string sci = digits.substr(0, 1);
    if (digits.size() > 1) sci += "." + digits.substr(1);
    sci += (pick(0, 1) == 0 ? "e" : "E+") + std::to_string(int_len - 1);
    for (const auto& text : {plain, sci}) {
      INFO("text: " << text);
      const auto parsed = ecrlp::parse_timestamp(text);
      REQUIRE(parsed.has_value());
      REQUIRE(*parsed == expected);
      REQUIRE(ecrlp::detail::parse_epoch_fast(text) == parsed);
      REQUIRE(ecrlp::detail::parse_timestamp_reference(text) == parsed);
    }
    // a double would lose the microseconds of such values; the parser must not
    if (sec > 1'000'000'000 && frac_digits >= 6) {
      const double d = std::stod(plain);
      const auto via_double = static_cast<std::int64_t>(d * 1e6);
      if (via_double != sec * 1'000'000 + us) {
        CHECK(ecrlp::parse_timestamp(plain)->time_since_epoch().count() != via_double);
      }
    }
  }
}

TEST_CASE("parsing does not depend on the local time zone", "[time]") {
  const char* old = std::getenv("TZ");
  const std::string saved = old != nullptr ? old : "";
  const std::vector<std::string_view> texts{"2019-08-06T21:51:15Z", "2021-08-26T15:39:43-06:00",
                                            "2023-09-27T00:06:14.575000+08:00", "1565128275.0",
                                            "2021-03-28T03:30:00+00:00"};  // Kyiv DST change day
  std::vector<std::vector<std::string>> results;
  for (const char* zone :
       {"UTC", "Europe/Kyiv", "America/Denver", "Asia/Kolkata", "Pacific/Chatham"}) {
    ::setenv("TZ", zone, 1);
    ::tzset();
    std::vector<std::string> row;
    for (const auto t : texts) row.push_back(show(ecrlp::parse_timestamp(t)));
    results.push_back(row);
  }
  if (old != nullptr) {
    ::setenv("TZ", saved.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
  for (const auto& row : results) CHECK(row == results.front());
  CHECK(results.front()[0] == "2019-08-06T21:51:15+00:00");
  CHECK(results.front()[1] == "2021-08-26T21:39:43+00:00");
  CHECK(results.front()[2] == "2023-09-26T16:06:14.575000+00:00");
  CHECK(results.front()[3] == "2019-08-06T21:51:15+00:00");
  CHECK(results.front()[4] == "2021-03-28T03:30:00+00:00");
}

TEST_CASE("format_timestamp output parses back to the same instant", "[time]") {
  std::mt19937_64 rng{42};
  for (int i = 0; i < 2000; ++i) {
    const timestamp t{microseconds{std::uniform_int_distribution<std::int64_t>{
        -62'135'596'800'000'000, 253'402'300'799'999'999}(rng)}};
    const auto text = ecrlp::format_timestamp(t);
    INFO(text);
    REQUIRE(ecrlp::parse_timestamp(text) == t);
  }
}

TEST_CASE("format_timestamp writes years outside 0000-9999 in full, with their sign", "[time]") {
  using std::chrono::sys_days;
  using std::chrono::year;
  const auto day = [](int y) { return timestamp{sys_days{year{y} / 3 / 4}.time_since_epoch()}; };
  CHECK(ecrlp::format_timestamp(day(10000)) == "10000-03-04T00:00:00+00:00");
  CHECK(ecrlp::format_timestamp(day(-1)) == "-1-03-04T00:00:00+00:00");
  CHECK(ecrlp::format_timestamp(day(-32767) + microseconds{7}) ==
        "-32767-03-04T00:00:00.000007+00:00");
  // The longest text: the ends of std::chrono::year's range, with microseconds.
  for (const timestamp t : {day(-32767) + microseconds{1}, day(32767) + microseconds{999'999}}) {
    const auto text = ecrlp::format_timestamp(t);
    INFO(text);
    CHECK(text.size() <= ecrlp::detail::timestamp_chars);
    CHECK(text.ends_with("+00:00"));
  }
}
