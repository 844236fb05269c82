// SPDX-License-Identifier: MIT
//
// describe-images pages -> ecrlp::inventory, in one streaming pass with simdjson On-Demand.
// docs/inventory-format.md describes what is read and every diagnostic code.
//
// Performance notes (a 100,000-image export is ~110 MB pretty-printed):
//  * no DOM: fields are dispatched on their raw (still escaped) key by length, then compared;
//  * strings without backslashes are taken straight from the input buffer (no unescape copy), and
//    each std::string an image keeps is constructed exactly once, in place;
//  * timestamps go through the allocation-free fast path of parse_timestamp;
//  * line/column are computed only when a diagnostic is emitted, incrementally (line_counter);
//  * pages of 4 MiB or more are parsed in windows of whole ImageDetails, so that neither the
//    text nor simdjson's index of it is ever in memory whole ("Windowed parsing" below).
// Ignored members are skipped by walking them, not by simdjson's blind skip, so that their
// scalars are validated like the rest of the document and so that nesting deeper than
// max_nesting is reported (On-Demand itself has no depth limit) instead of being walked forever.

#include <ecrlp/inventory_parser.hpp>

#include "read/inventory_parser_hooks.hpp"  // the test and benchmark hooks defined here

#include <ecrlp/evaluate.hpp>

#include "support/memory.hpp"

#include <simdjson.h>

#if defined(__unix__) || defined(__APPLE__)
#  include <fcntl.h>
#  include <sys/mman.h>
#  include <unistd.h>
#  if defined(MAP_POPULATE)
#    define ECRLP_HAVE_MMAP 1
#  endif
#endif
#ifndef ECRLP_HAVE_MMAP
#  define ECRLP_HAVE_MMAP 0
#endif

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <utility>
#include <vector>

namespace ecrlp {
namespace {

namespace od = simdjson::ondemand;
using simdjson::error_code;

/// Largest document accepted: simdjson's own limit (SIMDJSON_MAXSIZE_BYTES, 4 GiB - 1).
constexpr std::size_t max_input_bytes = simdjson::SIMDJSON_MAXSIZE_BYTES;
/// Deepest nesting of arrays/objects accepted (the root container is depth 1). Same as simdjson's
/// DOM default; real describe-images output never exceeds 5.
constexpr std::size_t max_nesting = 1024;
/// Errors collected per file before one inventory.too_many_errors diagnostic ends the file.
constexpr std::size_t max_errors_per_file = 100;
/// imageSizeInBytes is a `long` in the API model.
constexpr std::uint64_t max_size_bytes = static_cast<std::uint64_t>(INT64_MAX);
/// Most ImageDetails one load accepts, over all pages: 100 times ECR's default quota of images per
/// repository (100,000, adjustable). An image costs about 200 bytes in memory plus its strings.
constexpr std::size_t max_images = 10'000'000;
/// Longest tag: ECR's ImageTag is 1..300 characters.
constexpr std::size_t max_tag_length = 300;
/// Most tags per image: ECR refuses the 1,001st ("exceeds the maximum allowed number of tags per
/// image which is '1000'").
constexpr std::size_t max_tags_per_image = 1'000;
/// Longest digest: sha256 digests have 71 characters, sha512 ones 135.
constexpr std::size_t max_digest_length = 1'024;

/// Windowed parsing (page_parser::run_windowed): bytes read per window. 1 to 16 MiB windows ingest
/// at the same speed (bench/memory.sh); 4 MiB keeps a window and its structural index in the
/// last-level cache of most machines and costs ~10 MiB of memory in all.
constexpr std::size_t default_window_bytes = std::size_t{4} << 20;
/// Inputs smaller than this are parsed whole, in one pass: their text and its index are small.
/// One window's worth: from there on, windows are faster than one pass (a 13 MB page of 10k
/// images: `ecrlp preview` 11% faster), as the window and its index stay in the caches while a
/// whole page's index is fresh memory the kernel must zero first.
constexpr std::size_t window_threshold = std::size_t{4} << 20;
/// A page without a line break in its first 64 KiB is parsed whole (see run_windowed).
constexpr std::size_t minified_probe_bytes = std::size_t{64} << 10;

enum class flow : unsigned char { stop, go };

// ---------------------------------------------------------------------------------------------
// Small text helpers

[[nodiscard]] constexpr bool is_json_ws(char c) noexcept {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

[[nodiscard]] constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

[[nodiscard]] constexpr std::string_view trim_right(std::string_view s) noexcept {
  while (!s.empty() && is_json_ws(s.back())) s.remove_suffix(1);
  return s;
}

/// RFC 8259 number grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
[[nodiscard]] constexpr bool is_json_number(std::string_view s) noexcept {
  std::size_t i = 0;
  const std::size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n || !is_digit(s[i])) return false;
  if (s[i] == '0') {
    ++i;
  } else {
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (i >= n || !is_digit(s[i])) return false;
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !is_digit(s[i])) return false;
    while (i < n && is_digit(s[i])) ++i;
  }
  return i == n;
}

enum class integer_status : unsigned char { ok, negative, not_integer, too_large };

/// Reads a valid JSON number token as a non-negative integer no larger than `max`.
[[nodiscard]] constexpr integer_status read_integer(std::string_view s, std::uint64_t max,
                                                    std::uint64_t& out) noexcept {
  bool negative = false;
  if (!s.empty() && s[0] == '-') {
    negative = true;
    s.remove_prefix(1);
  }
  std::uint64_t v = 0;
  std::size_t i = 0;
  bool too_large = false;
  for (; i < s.size() && is_digit(s[i]); ++i) {
    const auto d = static_cast<std::uint64_t>(s[i] - '0');
    if (v > (max - d) / 10) too_large = true;
    if (!too_large) v = v * 10 + d;
  }
  if (i != s.size()) return integer_status::not_integer;  // fraction or exponent
  if (negative && (too_large || v != 0)) return integer_status::negative;
  if (too_large) return integer_status::too_large;
  out = v;
  return integer_status::ok;
}

/// Character classes of the OCI digest grammar, one lookup per byte in the hot loop.
enum : unsigned char { digest_lower_digit = 1, digest_separator = 2, digest_encoded = 4 };
constexpr auto digest_classes = [] {
  std::array<unsigned char, 256> t{};
  for (int c = 0; c < 256; ++c) {
    unsigned char v = 0;
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) v |= digest_lower_digit | digest_encoded;
    if (c >= 'A' && c <= 'Z') v |= digest_encoded;
    if (c == '+' || c == '.' || c == '_' || c == '-') v |= digest_separator;
    if (c == '=' || c == '_' || c == '-') v |= digest_encoded;
    t[static_cast<std::size_t>(c)] = v;
  }
  return t;
}();

[[nodiscard]] constexpr unsigned char digest_class(char c) noexcept {
  return digest_classes[static_cast<unsigned char>(c)];
}

/// OCI digest grammar: algorithm ":" encoded, algorithm = [a-z0-9]+ ([+._-] [a-z0-9]+)*,
/// encoded = [a-zA-Z0-9=_-]+.
[[nodiscard]] constexpr bool is_digest(std::string_view s) noexcept {
  const auto colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == s.size()) return false;
  bool after_separator = true;
  for (std::size_t i = 0; i < colon; ++i) {
    const unsigned char k = digest_class(s[i]);
    if ((k & digest_lower_digit) != 0) {
      after_separator = false;
    } else if ((k & digest_separator) != 0 && !after_separator) {
      after_separator = true;
    } else {
      return false;
    }
  }
  if (after_separator) return false;
  unsigned char all = digest_encoded;
  for (std::size_t i = colon + 1; i < s.size(); ++i) all &= digest_class(s[i]);
  return all != 0;
}

[[nodiscard]] constexpr std::string_view type_name(od::json_type t) noexcept {
  switch (t) {
    case od::json_type::array:
      return "an array";
    case od::json_type::object:
      return "an object";
    case od::json_type::number:
      return "a number";
    case od::json_type::string:
      return "a string";
    case od::json_type::boolean:
      return "a boolean";
    case od::json_type::null:
      return "null";
  }
  return "a value";
}

/// Appends `name` to a JSON pointer, escaping `~` and `/` (RFC 6901).
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

/// A value for a message: itself, or its first 80 bytes (cut at a UTF-8 character boundary) and
/// "...", so that a 100 MB token does not become a 100 MB message.
std::string shortened(std::string_view s) {
  constexpr std::size_t limit = 80;
  if (s.size() <= limit) return std::string{s};
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0U) == 0x80U) --cut;
  std::string out{s.substr(0, cut)};
  out += "...";
  return out;
}

/// Quotes a value for a message, shortened when long.
std::string quoted(std::string_view s) { return "\"" + shortened(s) + "\""; }

/// Number of code points of valid UTF-8 text.
[[nodiscard]] std::size_t code_points(std::string_view s) noexcept {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1U : 0U;
  return n;
}

/// Why a timestamp text was rejected (only called on the error path).
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

// ---------------------------------------------------------------------------------------------
// Locating problems simdjson reports without a position

/// Byte offset of the first byte that is not part of a valid UTF-8 sequence, or npos.
std::size_t first_invalid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

/// For UNESCAPED_CHARS: the first control character inside a string. For UNCLOSED_STRING: the
/// opening quote of the string that is still open at the end. npos when not found.
std::size_t locate_string_problem(std::string_view s, bool want_unclosed) noexcept {
  bool in_string = false;
  std::size_t opened = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (!in_string) {
      if (c == '"') {
        in_string = true;
        opened = i;
      }
    } else if (c == '\\') {
      ++i;
    } else if (c == '"') {
      in_string = false;
    } else if (!want_unclosed && static_cast<unsigned char>(c) < 0x20) {
      return i;
    }
  }
  if (want_unclosed && in_string) return opened;
  return std::string_view::npos;
}

/// For INCOMPLETE_ARRAY_OR_OBJECT: the first `]` or `}` (outside strings) that closes more than was
/// opened, or npos when the brackets only lack their closing ones (a truncated file).
std::size_t locate_extra_close(std::string_view s) noexcept {
  bool in_string = false;
  std::size_t depth = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      if (depth == 0) return i;
      --depth;
    }
  }
  return std::string_view::npos;
}

/// Random access to the bytes of one input, by file offset: the whole text in memory, or an open
/// file read with pread() (windowed parsing keeps only a window of it in memory).
class text_source {
 public:
  text_source() = default;
  text_source(const text_source&) = delete;
  text_source& operator=(const text_source&) = delete;
  virtual ~text_source() = default;

  /// Number of bytes of the input.
  [[nodiscard]] virtual std::size_t size() const noexcept = 0;
  /// Copies up to `n` bytes from `offset` to `out`; returns how many (0 at the end or on an error).
  virtual std::size_t read(std::size_t offset, char* out, std::size_t n) noexcept = 0;
  /// Up to `n` bytes from `offset`: a view into the input itself or into `scratch`.
  virtual std::string_view view(std::size_t offset, std::size_t n, std::string& scratch) {
    scratch.resize(n);
    scratch.resize(read(offset, scratch.data(), n));
    return scratch;
  }
};

class memory_source final : public text_source {
 public:
  explicit memory_source(std::string_view text) noexcept : text_{text} {}
  [[nodiscard]] std::size_t size() const noexcept override { return text_.size(); }
  std::size_t read(std::size_t offset, char* out, std::size_t n) noexcept override {
    if (offset >= text_.size()) return 0;
    n = std::min(n, text_.size() - offset);
    std::memcpy(out, text_.data() + offset, n);
    return n;
  }
  std::string_view view(std::size_t offset, std::size_t n, std::string&) override {
    if (offset >= text_.size()) return {};
    return text_.substr(offset, n);
  }

 private:
  std::string_view text_;
};

/// Turns byte offsets into 1-based line/column, moving a cursor so that a whole file of
/// diagnostics costs about one pass over the text. Offsets are offsets in the input (the file),
/// whatever part of it is in memory.
class line_counter {
 public:
  explicit line_counter(text_source& source) noexcept : source_{&source} {}

  void locate(std::size_t offset, std::size_t& line, std::size_t& column) {
    offset = std::min(offset, source_->size());
    if (offset >= pos_) {
      std::size_t p = pos_;
      while (p < offset) {
        const std::string_view v = source_->view(p, std::min(chunk, offset - p), scratch_);
        if (v.empty()) break;
        const char* q = v.data();
        const char* end = v.data() + v.size();
        while (q < end) {
          const void* nl = std::memchr(q, '\n', static_cast<std::size_t>(end - q));
          if (nl == nullptr) break;
          q = static_cast<const char*>(nl) + 1;
          ++line_;
          line_start_ = p + static_cast<std::size_t>(q - v.data());
        }
        p += v.size();
      }
      pos_ = offset;
    } else if (offset < line_start_) {
      // Backwards across line breaks: rare (a missing field reported at its object's start).
      std::size_t breaks = 0;
      for (std::size_t p = offset; p < line_start_;) {
        const std::string_view v = source_->view(p, std::min(chunk, line_start_ - p), scratch_);
        if (v.empty()) break;
        breaks += static_cast<std::size_t>(std::count(v.begin(), v.end(), '\n'));
        p += v.size();
      }
      line_ -= breaks;
      std::size_t start = offset;
      while (start > 0) {
        const std::size_t from = start > chunk ? start - chunk : 0;
        const std::string_view v = source_->view(from, start - from, scratch_);
        if (v.size() != start - from) {
          start = 0;
          break;
        }
        const std::size_t nl = v.rfind('\n');
        if (nl != std::string_view::npos) {
          start = from + nl + 1;
          break;
        }
        start = from;
      }
      line_start_ = start;
      pos_ = offset;
    }
    line = line_;
    column = offset - line_start_ + 1;
  }

 private:
  static constexpr std::size_t chunk = std::size_t{1} << 20;
  text_source* source_;
  std::string scratch_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Field names

enum class image_key : unsigned char {
  unknown,
  digest,
  tags,
  pushed_at,
  size,
  pulled_at,
  status,
  archived_at,
  activated_at,
  findings,
  media_type,
  subject,
  repository,
  registry
};

/// Dispatch on length first: one comparison for every known key, usually none for unknown ones.
[[nodiscard]] constexpr image_key classify_image_key(std::string_view k) noexcept {
  switch (k.size()) {
    case 9:
      return k == "imageTags" ? image_key::tags : image_key::unknown;
    case 11:
      if (k[5] == 'D') return k == "imageDigest" ? image_key::digest : image_key::unknown;
      return k == "imageStatus" ? image_key::status : image_key::unknown;
    case 13:
      return k == "imagePushedAt" ? image_key::pushed_at : image_key::unknown;
    case 10:
      return k == "registryId" ? image_key::registry : image_key::unknown;
    case 14:
      if (k[0] == 'r') return k == "repositoryName" ? image_key::repository : image_key::unknown;
      return k == "lastArchivedAt" ? image_key::archived_at : image_key::unknown;
    case 15:
      return k == "lastActivatedAt" ? image_key::activated_at : image_key::unknown;
    case 16:
      return k == "imageSizeInBytes" ? image_key::size : image_key::unknown;
    case 20:
      return k == "lastRecordedPullTime" ? image_key::pulled_at : image_key::unknown;
    case 21:
      return k == "subjectManifestDigest" ? image_key::subject : image_key::unknown;
    case 22:
      return k == "imageManifestMediaType" ? image_key::media_type : image_key::unknown;
    case 24:
      return k == "imageScanFindingsSummary" ? image_key::findings : image_key::unknown;
    default:
      return image_key::unknown;
  }
}

[[nodiscard]] constexpr std::string_view key_name(image_key k) noexcept {
  switch (k) {
    case image_key::digest:
      return "imageDigest";
    case image_key::tags:
      return "imageTags";
    case image_key::pushed_at:
      return "imagePushedAt";
    case image_key::size:
      return "imageSizeInBytes";
    case image_key::pulled_at:
      return "lastRecordedPullTime";
    case image_key::status:
      return "imageStatus";
    case image_key::archived_at:
      return "lastArchivedAt";
    case image_key::activated_at:
      return "lastActivatedAt";
    case image_key::findings:
      return "imageScanFindingsSummary";
    case image_key::media_type:
      return "imageManifestMediaType";
    case image_key::subject:
      return "subjectManifestDigest";
    case image_key::repository:
      return "repositoryName";
    case image_key::registry:
      return "registryId";
    case image_key::unknown:
      break;
  }
  return "?";
}

/// Index (0..5) of a findingSeverityCounts key, or -1 for a severity ecrlp does not know.
[[nodiscard]] constexpr int severity_index(std::string_view k) noexcept {
  switch (k.size()) {
    case 3:
      return k == "LOW" ? 3 : -1;
    case 4:
      return k == "HIGH" ? 1 : -1;
    case 6:
      return k == "MEDIUM" ? 2 : -1;
    case 8:
      return k == "CRITICAL" ? 0 : -1;
    case 9:
      return k == "UNDEFINED" ? 5 : -1;
    case 13:
      return k == "INFORMATIONAL" ? 4 : -1;
    default:
      return -1;
  }
}

[[nodiscard]] constexpr std::uint64_t& severity_slot(finding_counts& c, int index) noexcept {
  switch (index) {
    case 0:
      return c.critical;
    case 1:
      return c.high;
    case 2:
      return c.medium;
    case 3:
      return c.low;
    case 4:
      return c.informational;
    default:
      return c.undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// State shared by all pages of one load

struct image_origin {
  std::uint32_t page;
  std::uint32_t item;
};

struct page_info {
  std::string file;
  std::string_view prefix;  // "/imageDetails" or "" (bare array)
};

/// Open-addressing hash set of indices into an image vector, keyed by the image's digest: one
/// flat allocation instead of a node per image. Indices, not string_views, because the vector
/// reallocates and short strings live inside the std::string object.
class digest_table {
 public:
  /// Inserts images[index]; returns the index of an earlier image with the same digest, or
  /// `index` itself when the digest is new.
  std::uint32_t insert(const std::vector<image>& images, std::uint32_t index) {
    return insert(images, index, hash(images[index].digest));
  }

  /// insert() for a digest whose hash() is known.
  std::uint32_t insert(const std::vector<image>& images, std::uint32_t index, std::size_t h) {
    if ((count_ + 1) * 2 > slots_.size())
      grow(images, std::max<std::size_t>(64, slots_.size() * 2));
    const std::string_view digest = images[index].digest;
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      slot& s = slots_[i];
      if (s.index_plus_one == 0) {
        s = slot{index + 1, tag};
        ++count_;
        return index;
      }
      if (s.tag == tag && images[s.index_plus_one - 1].digest == digest)
        return s.index_plus_one - 1;
    }
  }

  [[nodiscard]] static std::size_t hash(std::string_view digest) noexcept {
    return std::hash<std::string_view>{}(digest);
  }

  /// Starts loading the slot where a digest of hash `h` is looked up first. The table is larger
  /// than the caches at 100k images and up, so a lookup costs a miss to memory; the parser issues
  /// this as soon as it reads an imageDigest and inserts once the rest of the image is read.
  void prefetch(std::size_t h) const noexcept {
    if (!slots_.empty()) support::prefetch(&slots_[h & (slots_.size() - 1)]);
  }

  /// Forgets every index and inserts those of `images` again (after images were removed).
  void rebuild(const std::vector<image>& images) {
    std::fill(slots_.begin(), slots_.end(), slot{});
    count_ = 0;
    for (std::size_t i = 0; i < images.size(); ++i) (void)insert(images, static_cast<std::uint32_t>(i));
  }

  void reserve(const std::vector<image>& images, std::size_t n) {
    std::size_t want = 64;
    while (want < n * 2) want *= 2;
    if (want > slots_.size()) grow(images, want);
  }

 private:
  struct slot {
    std::uint32_t index_plus_one = 0;  // 0 = empty
    std::uint32_t tag = 0;             // high bits of the hash: most mismatches skip the compare
  };

  void grow(const std::vector<image>& images, std::size_t size) {
    std::vector<slot> old = std::exchange(slots_, std::vector<slot>(size));
    count_ = 0;
    for (const slot& s : old) {
      if (s.index_plus_one != 0) (void)insert(images, s.index_plus_one - 1);
    }
  }

  std::vector<slot> slots_;
  std::size_t count_ = 0;
};

struct load_state {
  std::vector<diagnostic> diagnostics;
  std::string repository_name;  ///< repositoryName of the first image that has one
  std::string registry_id;      ///< registryId of the first image that has one
  std::string repository_where; ///< "image N of FILE" that set repository_name
  std::string registry_where;   ///< "image N of FILE" that set registry_id
  std::vector<image> images;
  std::vector<image_origin> origins;  // parallel to images
  std::vector<page_info> pages;
  digest_table digests;
  bool any_error = false;
  std::size_t items = 0;  ///< ImageDetails started so far, over all pages
  std::size_t max_items = max_images;
  /// inventory.next_token for the page read last, if it carries a nextToken.
  std::optional<diagnostic> next_token_warning;
};

// ---------------------------------------------------------------------------------------------
// One page

/// The reusable buffer of windowed parsing (see page_parser::run_windowed).
class window_buffer {
 public:
  /// At least `n` writable bytes, or nullptr when memory is short.
  [[nodiscard]] char* reserve(std::size_t n) noexcept {
    if (n > size_) {
      data_.reset(new (std::nothrow) char[n]);
      size_ = data_ ? n : 0;
      if (data_) support::advise_huge_pages(data_.get(), n);
    }
    return data_.get();
  }

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
};

/// Window sizes and counters of windowed parsing (the tests force small windows).
struct window_options {
  std::size_t window_bytes = default_window_bytes;  ///< bytes read per window
  std::size_t threshold = window_threshold;        ///< smaller inputs are parsed whole
  std::size_t* windows = nullptr;                  ///< windows parsed, when not null
  std::size_t* fallbacks = nullptr;                ///< pages parsed whole after all
};

class page_parser {
 public:
  /// A page whose whole text is in memory.
  page_parser(load_state& st, std::string_view file, std::string_view text)
      : st_{st}, file_{file}, text_{text}, own_source_{text}, source_{&own_source_},
        lines_{own_source_} {
    set_segments(text.data(), text.size(), 0);
  }

  /// A page read window by window from `source` (run_windowed).
  page_parser(load_state& st, std::string_view file, text_source& source)
      : st_{st}, file_{file}, own_source_{{}}, source_{&source}, lines_{source} {}

  /// Parses `text` (which must be followed by SIMDJSON_PADDING readable bytes).
  void run(od::parser& parser) {
    begin_page();
    parse_text(parser);
  }

  /// Parses the page in windows of whole ImageDetails (see "Windowed parsing" below). Returns
  /// false when the page must be parsed whole instead; the caller then rewinds the load state
  /// (rewind_page) and calls run() on the whole text, which reports exactly what a whole parse
  /// reports.
  bool run_windowed(od::parser& parser, window_buffer& buffer, const window_options& options);

 private:
  enum class mode : unsigned char {
    whole,     ///< the whole page is in text_
    window,    ///< text_ is a window of whole ImageDetails
    skeleton,  ///< text_ is the page without its ImageDetails
  };
  enum class window_step : unsigned char { progress, stalled, closed, fallback };

  void begin_page() {
    page_ = static_cast<std::uint32_t>(st_.pages.size());
    st_.pages.push_back(page_info{std::string{file_}, {}});
    st_.next_token_warning.reset();
  }
  void parse_text(od::parser& parser);
  window_step walk_window(od::parser& parser, std::size_t& next);
  void reserve_images(std::size_t text_bytes);

  void set_segments(const char* begin, std::size_t size, std::size_t offset) noexcept {
    segments_[0] = segment{begin, begin + size, offset};
    segment_count_ = 1;
  }

  /// The input offset of a pointer into text_, if it points into a part of the input.
  [[nodiscard]] std::optional<std::size_t> input_offset(const char* at) const noexcept {
    for (std::size_t i = segment_count_; i-- > 0;) {
      const segment& s = segments_[i];
      if (at >= s.begin && at <= s.end) return s.offset + static_cast<std::size_t>(at - s.begin);
    }
    return std::nullopt;
  }

  /// What an ImageDetail of a window may change, to undo it when the window ends inside it.
  struct element_mark {
    std::size_t diagnostics;
    std::size_t errors;
    std::size_t items;
    bool any_error;
    bool repository_unset;
    bool registry_unset;
  };
  [[nodiscard]] element_mark mark_element() const noexcept {
    return {st_.diagnostics.size(), errors_, st_.items, st_.any_error,
            st_.repository_where.empty(), st_.registry_where.empty()};
  }
  void rewind_element(const element_mark& m) {
    st_.diagnostics.resize(m.diagnostics);
    errors_ = m.errors;
    st_.items = m.items;
    st_.any_error = m.any_error;
    if (m.repository_unset) {
      st_.repository_where.clear();
      st_.repository_name.clear();
    }
    if (m.registry_unset) {
      st_.registry_where.clear();
      st_.registry_id.clear();
    }
  }

  // --- diagnostics
  flow report(severity level, std::string_view code, std::string pointer, std::string message,
              const char* at) {
    if (level == severity::error) {
      st_.any_error = true;
      if (errors_ >= max_errors_per_file) {
        final_stop_ = true;
        push(severity::error, "inventory.too_many_errors", "",
             "more than " + std::to_string(max_errors_per_file) +
                 " errors in this file; the rest of it was not checked",
             nullptr);
        return flow::stop;
      }
      ++errors_;
    }
    push(level, code, std::move(pointer), std::move(message), at);
    return flow::go;
  }

  flow error(std::string_view code, std::string pointer, std::string message, const char* at) {
    return report(severity::error, code, std::move(pointer), std::move(message), at);
  }

  void push(severity level, std::string_view code, std::string pointer, std::string message,
            const char* at) {
    st_.diagnostics.push_back(make(level, code, std::move(pointer), std::move(message), at));
  }

  diagnostic make(severity level, std::string_view code, std::string pointer, std::string message,
                  const char* at) {
    diagnostic d;
    d.level = level;
    d.code = std::string{code};
    d.pointer = std::move(pointer);
    d.message = std::move(message);
    d.file = std::string{file_};
    if (at != nullptr) {
      if (const auto offset = input_offset(at)) {
        d.byte = *offset;
        lines_.locate(d.byte, d.line, d.column);
      }
    }
    return d;
  }

  /// A structural problem: reported once, and the file is abandoned.
  /// `value_at`: the start of the value that failed (a string with a bad escape), when known;
  /// simdjson's own location is then already past it.
  flow syntax(error_code e, std::string pointer = {}, const char* value_at = nullptr) {
    if (mode_ != mode::whole) {  // a window cut inside an ImageDetail, or a reason to parse whole
      syntax_failed_ = true;
      return flow::stop;
    }
    const char* at = value_at;
    bool at_end = value_at == nullptr;
    if (value_at == nullptr && doc_ != nullptr && e != simdjson::INCOMPLETE_ARRAY_OR_OBJECT) {
      const char* loc = nullptr;
      if (doc_->current_location().get(loc) == simdjson::SUCCESS && loc != nullptr &&
          loc < text_.data() + text_.size()) {
        at = loc;
        at_end = trim_right(text_.substr(static_cast<std::size_t>(loc - text_.data()))).empty();
      }
    }
    std::size_t extra_close = std::string_view::npos;
    if (e == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) extra_close = locate_extra_close(text_);
    if (extra_close != std::string_view::npos) {
      at = text_.data() + extra_close;
      at_end = false;
    }
    // A NUL byte (outside a string: inside one simdjson says UNESCAPED_CHARS) before the place of
    // the error is the better explanation: a binary or UTF-16 file, or garbage after the document.
    const char* nul = static_cast<const char*>(std::memchr(text_.data(), 0, text_.size()));
    if (nul != nullptr && (at == nullptr || nul <= at || at_end)) {
      (void)error("inventory.syntax", std::move(pointer),
                  "a NUL byte is not allowed in JSON text (a binary file, or garbage after the "
                  "document?) [simdjson: " +
                      std::string{simdjson::error_message(e)} + "]",
                  nul);
      return flow::stop;
    }
    if (at == nullptr) at = text_.data() + trim_right(text_).size();
    std::string message;
    switch (e) {
      case simdjson::STRING_ERROR:
        message = "invalid escape sequence in a string";
        break;
      case simdjson::T_ATOM_ERROR:
      case simdjson::F_ATOM_ERROR:
      case simdjson::N_ATOM_ERROR:
        message = "invalid literal (expected true, false or null)";
        break;
      case simdjson::NUMBER_ERROR:
        message = "invalid number";
        break;
      default:
        message = extra_close != std::string_view::npos
                      ? "a closing bracket without its opening one (an extra ']' or '}'?)"
                  : at_end ? "the document ends too early (truncated file?)"
                           : "malformed JSON (a missing or extra comma, colon, bracket or quote?)";
        break;
    }
    message += " [simdjson: ";
    message += simdjson::error_message(e);
    message += "]";
    (void)error("inventory.syntax", std::move(pointer), std::move(message), at);
    return flow::stop;
  }

  flow syntax_at(std::string message, std::string pointer, const char* at) {
    if (mode_ != mode::whole) {
      syntax_failed_ = true;
      return flow::stop;
    }
    (void)error("inventory.syntax", std::move(pointer), std::move(message), at);
    return flow::stop;
  }

  // --- pointers
  [[nodiscard]] std::string item_pointer(std::uint32_t item) const {
    std::string p{prefix_};
    p.push_back('/');
    p += std::to_string(item);
    return p;
  }
  [[nodiscard]] std::string field_pointer(std::uint32_t item, std::string_view field) const {
    std::string p = item_pointer(item);
    append_token(p, field);
    return p;
  }

  // --- JSON access
  /// The text of a string value: straight from the input when it has no escapes.
  static error_code read_string(od::value& v, std::string_view& out) noexcept {
    const std::string_view raw = trim_right(v.raw_json_token());
    if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
      const std::string_view inner = raw.substr(1, raw.size() - 2);
      if (inner.find('\\') == std::string_view::npos) {
        out = inner;
        return simdjson::SUCCESS;
      }
    }
    return v.get_string().get(out);
  }

  /// The key of a field, unescaped only when it contains a backslash.
  error_code read_key(od::field& f, std::string_view& out) noexcept {
    const char* k = f.key().raw();
    const char* end = text_.data() + text_.size();
    if (k < text_.data() || k >= end) return simdjson::TAPE_ERROR;
    const void* q = std::memchr(k, '"', static_cast<std::size_t>(end - k));
    if (q == nullptr) return simdjson::TAPE_ERROR;
    const std::string_view raw{k, static_cast<std::size_t>(static_cast<const char*>(q) - k)};
    if (raw.find('\\') == std::string_view::npos) {
      out = raw;
      return simdjson::SUCCESS;
    }
    return f.unescaped_key().get(out);
  }

  /// Consumes a value nobody reads, validating it: scalars are checked against the JSON grammar
  /// (On-Demand would skip them unchecked) and nesting is limited. `depth` is the nesting level a
  /// container `v` would have.
  flow skip_value(od::value& v, std::size_t depth) {
    od::json_type t{};
    if (const auto e = v.type().get(t)) return syntax(e);
    switch (t) {
      case od::json_type::array: {
        if (depth > max_nesting) return too_deep(v);
        od::array a;
        if (const auto e = v.get_array().get(a)) return syntax(e);
        for (auto element : a) {
          od::value x;
          if (const auto e = std::move(element).get(x)) return syntax(e);
          if (skip_value(x, depth + 1) == flow::stop) return flow::stop;
        }
        return flow::go;
      }
      case od::json_type::object: {
        if (depth > max_nesting) return too_deep(v);
        od::object o;
        if (const auto e = v.get_object().get(o)) return syntax(e);
        for (auto field : o) {
          od::field f;
          if (const auto e = std::move(field).get(f)) return syntax(e);
          std::string_view key;
          if (const auto e = read_key(f, key)) return syntax(e);
          if (skip_value(f.value(), depth + 1) == flow::stop) return flow::stop;
        }
        return flow::go;
      }
      case od::json_type::string: {
        std::string_view s;
        if (const auto e = read_string(v, s)) return syntax(e, {}, v.raw_json_token().data());
        return flow::go;
      }
      case od::json_type::number: {
        const std::string_view raw = trim_right(v.raw_json_token());
        if (!is_json_number(raw)) {
          return syntax_at("invalid number " + quoted(raw), {}, raw.data());
        }
        return flow::go;
      }
      case od::json_type::boolean:
      case od::json_type::null: {
        const std::string_view raw = trim_right(v.raw_json_token());
        if (raw != "true" && raw != "false" && raw != "null") {
          return syntax_at("invalid literal " + quoted(raw) + " (expected true, false or null)", {},
                           raw.data());
        }
        return flow::go;
      }
    }
    return flow::go;
  }

  flow too_deep(od::value& v) {
    final_stop_ = true;
    (void)error("inventory.depth", {},
                "arrays/objects are nested more than " + std::to_string(max_nesting) +
                    " levels deep; the rest of the file was not read",
                v.raw_json_token().data());
    return flow::stop;
  }

  [[nodiscard]] const char* first_token() const noexcept {
    std::size_t i = text_.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // UTF-8 byte order mark
    while (i < text_.size() && is_json_ws(text_[i])) ++i;
    return text_.data() + i;
  }

  [[nodiscard]] static bool is_null_token(od::value& v) noexcept {
    return trim_right(v.raw_json_token()) == "null";
  }

  // --- the document
  flow parse_root();
  flow parse_details(od::array& details);
  flow parse_image(od::value& v, std::uint32_t item);

  struct image_ctx {
    std::uint32_t item = 0;
    const char* at = nullptr;
    image img;
    const char* digest_at = nullptr;
    std::size_t digest_hash = 0;  ///< digest_table::hash of img.digest, once digest_at is set
    bool has_digest = false;
    bool has_pushed_at = false;
    bool invalid = false;
    unsigned seen = 0;
  };

  flow image_error(image_ctx& c, std::string_view code, std::string pointer, std::string message,
                   const char* at) {
    c.invalid = true;
    return error(code, std::move(pointer), "image " + std::to_string(c.item) + ": " + message, at);
  }

  flow wrong_type(image_ctx& c, od::value& v, od::json_type t, std::string pointer,
                  std::string_view what, std::string_view expected, std::size_t depth) {
    if (image_error(c, "image.type", std::move(pointer),
                    std::string{what} + " must be " + std::string{expected} + ", not " +
                        std::string{type_name(t)},
                    v.raw_json_token().data()) == flow::stop) {
      return flow::stop;
    }
    return skip_value(v, depth);
  }

  flow read_digest(image_ctx& c, od::value& v, od::json_type t);
  flow read_tags(image_ctx& c, od::value& v, od::json_type t);
  flow read_time(image_ctx& c, od::value& v, od::json_type t, image_key key,
                 std::optional<timestamp>& out);
  flow read_size(image_ctx& c, od::value& v, od::json_type t);
  flow read_status(image_ctx& c, od::value& v, od::json_type t);
  flow read_findings(image_ctx& c, od::value& v, od::json_type t);
  flow read_text_field(image_ctx& c, od::value& v, od::json_type t, image_key key);
  flow check_same(image_ctx& c, std::string& shared, std::string_view value, image_key key,
                  const char* at);
  flow read_severity_counts(image_ctx& c, od::value& v, od::json_type t, finding_counts& out);
  flow finish_image(image_ctx& c);

  struct segment {
    const char* begin;
    const char* end;  // inclusive: a pointer just past the last byte maps too
    std::size_t offset;
  };

  load_state& st_;
  std::string_view file_;
  /// The text being parsed: the whole file, a UTF-8 BOM included, or a window or the skeleton
  /// of it; segments_ map pointers into it to offsets in the file.
  std::string_view text_;
  memory_source own_source_;
  text_source* source_;
  line_counter lines_;
  std::array<segment, 2> segments_{};
  std::size_t segment_count_ = 0;
  mode mode_ = mode::whole;
  bool syntax_failed_ = false;  ///< a syntax error in window or skeleton mode (not reported)
  bool final_stop_ = false;     ///< too many errors, or too deep: the rest of the page is not read
  std::uint32_t next_item_ = 0;  ///< window mode: index of the next ImageDetail
  od::document* doc_ = nullptr;
  std::string_view prefix_;
  std::size_t image_depth_ = 3;  // nesting level of an ImageDetail object (root = 1)
  std::uint32_t page_ = 0;
  std::size_t errors_ = 0;
  std::vector<std::string_view> tag_scratch_;  // read_tags: the tags of one image, as read
};

void page_parser::parse_text(od::parser& parser) {
  if (text_.size() > max_input_bytes) {
    (void)error("io.too_large", {},
                "the input is " + std::to_string(text_.size()) + " bytes; at most " +
                    std::to_string(max_input_bytes) + " bytes are accepted",
                nullptr);
    return;
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(text_.data());
  if (text_.size() >= 2 &&
      ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) ||
       bytes[0] == 0 || bytes[1] == 0)) {
    (void)error("inventory.utf8", {},
                "the file looks like UTF-16 (for example PowerShell's `>` redirection); save it as "
                "UTF-8",
                text_.data());
    return;
  }
  std::size_t skip = 0;
  if (text_.size() >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) skip = 3;

  od::document doc;
  const std::string_view body = text_.substr(skip);
  // On-Demand has no depth limit of its own, but with development checks (debug builds) it keeps
  // one slot per level up to max_depth(): leave room above the limit skip_value enforces.
  constexpr std::size_t parser_depth = max_nesting + 8;
  if (parser.capacity() < body.size() || parser.max_depth() < parser_depth) {
    if (const auto e =
            parser.allocate(std::max<std::size_t>(body.size(), parser.capacity()), parser_depth)) {
      (void)error("io.too_large", {},
                  std::string{"cannot parse the file: "} + simdjson::error_message(e), nullptr);
      return;
    }
  }
  // The caller guarantees SIMDJSON_PADDING readable bytes after text_.
  const error_code e =
      parser.iterate(body.data(), body.size(), body.size() + simdjson::SIMDJSON_PADDING).get(doc);
  if (e) {
    switch (e) {
      case simdjson::EMPTY:
        (void)error("inventory.empty", {},
                    "the file is empty (or only whitespace): expected describe-images output",
                    nullptr);
        return;
      case simdjson::UTF8_ERROR: {
        const std::size_t at = first_invalid_utf8(text_);
        (void)error("inventory.utf8", {}, "the file is not valid UTF-8 (first bad byte here)",
                    at == std::string_view::npos ? nullptr : text_.data() + at);
        return;
      }
      case simdjson::UNESCAPED_CHARS:
      case simdjson::UNCLOSED_STRING: {
        const bool unclosed = e == simdjson::UNCLOSED_STRING;
        const std::size_t at = locate_string_problem(text_, unclosed);
        (void)error("inventory.syntax", {},
                    std::string{unclosed ? "a string is never closed (truncated file?)"
                                         : "a control character inside a string must be escaped"} +
                        " [simdjson: " + simdjson::error_message(e) + "]",
                    at == std::string_view::npos ? nullptr : text_.data() + at);
        return;
      }
      case simdjson::CAPACITY:
      case simdjson::MEMALLOC:
        (void)error("io.too_large", {},
                    std::string{"cannot parse the file: "} + simdjson::error_message(e), nullptr);
        return;
      default:
        doc_ = nullptr;
        (void)syntax(e);
        return;
    }
  }
  doc_ = &doc;
  if (parse_root() == flow::stop) return;
  // Anything after the top-level value?
  const char* loc = nullptr;
  if (doc.current_location().get(loc) == simdjson::SUCCESS && loc != nullptr) {
    (void)syntax_at("unexpected content after the end of the JSON document", {}, loc);
  }
}

flow page_parser::parse_root() {
  od::json_type t{};
  if (const auto e = doc_->type().get(t)) {
    (void)error("inventory.syntax", {},
                std::string{"this is not JSON [simdjson: "} + simdjson::error_message(e) + "]",
                first_token());
    return flow::stop;
  }
  if (t == od::json_type::array) {
    prefix_ = "";
    image_depth_ = 2;
    st_.pages[page_].prefix = "";
    od::array details;
    if (const auto e = doc_->get_array().get(details)) return syntax(e);
    return parse_details(details);
  }
  if (t != od::json_type::object) {
    (void)error("inventory.shape", {},
                "the top level is " + std::string{type_name(t)} +
                    "; expected describe-images output: an object with an imageDetails array, "
                    "or an array of ImageDetail objects",
                first_token());
    return flow::stop;
  }
  prefix_ = "/imageDetails";
  image_depth_ = 3;
  st_.pages[page_].prefix = "/imageDetails";
  od::object root;
  if (const auto e = doc_->get_object().get(root)) return syntax(e);
  bool seen_details = false;
  for (auto member : root) {
    od::field f;
    if (const auto e = std::move(member).get(f)) return syntax(e);
    std::string_view key;
    if (const auto e = read_key(f, key)) return syntax(e);
    od::value& v = f.value();
    if (key == "imageDetails") {
      const char* at = v.raw_json_token().data();
      if (seen_details) {
        if (error("inventory.shape", "/imageDetails",
                  "imageDetails appears twice in the top-level object", at) == flow::stop) {
          return flow::stop;
        }
        if (skip_value(v, 2) == flow::stop) return flow::stop;
        continue;
      }
      seen_details = true;
      od::json_type dt{};
      if (const auto e = v.type().get(dt)) return syntax(e);
      if (dt != od::json_type::array) {
        if (error("inventory.shape", "/imageDetails",
                  "imageDetails must be an array, not " + std::string{type_name(dt)},
                  at) == flow::stop) {
          return flow::stop;
        }
        if (skip_value(v, 2) == flow::stop) return flow::stop;
        continue;
      }
      od::array details;
      if (const auto e = v.get_array().get(details)) return syntax(e);
      if (parse_details(details) == flow::stop) return flow::stop;
    } else if (key == "nextToken") {
      od::json_type nt{};
      if (const auto e = v.type().get(nt)) return syntax(e);
      if (nt == od::json_type::string) {
        const char* at = v.raw_json_token().data();
        std::string_view token;
        if (const auto e = read_string(v, token)) return syntax(e, "/nextToken", at);
        if (!token.empty()) {
          st_.next_token_warning =
              make(severity::warning, "inventory.next_token", "/nextToken",
                   "this page has a nextToken, so describe-images has more pages; images missing "
                   "from the inventory change the simulation (pass every page in order, or let "
                   "the AWS CLI paginate automatically)",
                   at);
        }
      } else if (skip_value(v, 2) == flow::stop) {
        return flow::stop;
      }
    } else if (skip_value(v, 2) == flow::stop) {
      return flow::stop;
    }
  }
  if (!seen_details) {
    return error("inventory.shape", "",
                 "the top-level object has no imageDetails member: this is not describe-images "
                 "output",
                 text_.data());
  }
  return flow::go;
}

void page_parser::reserve_images(std::size_t text_bytes) {
  // A rough guess (pretty-printed CLI v2 output is ~1 KB per image) saves most reallocations.
  const std::size_t guess = st_.images.size() + text_bytes / 1024 + 16;
  if (st_.images.capacity() < guess) {
    st_.images.reserve(guess);
    support::advise_huge_pages(st_.images.data(), st_.images.capacity() * sizeof(image));
    st_.origins.reserve(guess);
    st_.digests.reserve(st_.images, guess);
  }
}

flow page_parser::parse_details(od::array& details) {
  if (mode_ == mode::skeleton) {
    // The ImageDetails were parsed window by window; the skeleton's array is empty.
    for (auto element : details) {
      (void)element;
      syntax_failed_ = true;
      return flow::stop;
    }
    return flow::go;
  }
  reserve_images(text_.size());
  std::uint32_t item = 0;
  for (auto element : details) {
    od::value v;
    if (const auto e = std::move(element).get(v)) return syntax(e);
    if (++st_.items > st_.max_items) {
      (void)error("inventory.too_many_images", item_pointer(item),
                  "more than " + std::to_string(st_.max_items) +
                      " ImageDetails (over all pages); the rest was not read",
                  v.raw_json_token().data());
      st_.any_error = true;
      return flow::stop;
    }
    if (parse_image(v, item) == flow::stop) return flow::stop;
    ++item;
  }
  return flow::go;
}

flow page_parser::parse_image(od::value& v, std::uint32_t item) {
  image_ctx c;
  c.item = item;
  c.at = v.raw_json_token().data();
  od::json_type t{};
  if (const auto e = v.type().get(t)) return syntax(e);
  if (t != od::json_type::object) {
    return wrong_type(c, v, t, item_pointer(item), "an ImageDetail", "an object", image_depth_);
  }
  od::object obj;
  if (const auto e = v.get_object().get(obj)) return syntax(e);
  for (auto member : obj) {
    od::field f;
    if (const auto e = std::move(member).get(f)) return syntax(e);
    std::string_view key;
    if (const auto e = read_key(f, key)) return syntax(e);
    od::value& fv = f.value();
    const image_key k = classify_image_key(key);
    if (k == image_key::unknown) {
      if (skip_value(fv, image_depth_ + 1) == flow::stop) return flow::stop;
      continue;
    }
    const unsigned bit = 1U << static_cast<unsigned>(k);
    if ((c.seen & bit) != 0) {
      if (image_error(c, "image.duplicate_field", field_pointer(item, key),
                      std::string{key} + " appears twice in one ImageDetail",
                      fv.raw_json_token().data()) == flow::stop ||
          skip_value(fv, image_depth_ + 1) == flow::stop) {
        return flow::stop;
      }
      continue;
    }
    c.seen |= bit;
    od::json_type ft{};
    if (const auto e = fv.type().get(ft)) return syntax(e);
    flow r = flow::go;
    switch (k) {
      case image_key::digest:
        c.has_digest = true;  // present: any problem with it is reported by read_digest
        r = read_digest(c, fv, ft);
        break;
      case image_key::tags:
        r = read_tags(c, fv, ft);
        break;
      case image_key::pushed_at: {
        std::optional<timestamp> pushed;
        c.has_pushed_at = true;  // present: any problem with it is reported by read_time
        r = read_time(c, fv, ft, k, pushed);
        if (pushed) c.img.pushed_at = *pushed;
        break;
      }
      case image_key::pulled_at:
        r = read_time(c, fv, ft, k, c.img.last_pulled_at);
        break;
      case image_key::archived_at:
        r = read_time(c, fv, ft, k, c.img.last_archived_at);
        break;
      case image_key::activated_at:
        r = read_time(c, fv, ft, k, c.img.last_activated_at);
        break;
      case image_key::size:
        r = read_size(c, fv, ft);
        break;
      case image_key::status:
        r = read_status(c, fv, ft);
        break;
      case image_key::findings:
        r = read_findings(c, fv, ft);
        break;
      case image_key::media_type:
      case image_key::subject:
      case image_key::repository:
      case image_key::registry:
        r = read_text_field(c, fv, ft, k);
        break;
      case image_key::unknown:
        break;
    }
    if (r == flow::stop) return flow::stop;
  }
  return finish_image(c);
}

flow page_parser::read_digest(image_ctx& c, od::value& v, od::json_type t) {
  const char* at = v.raw_json_token().data();
  const auto ptr = [&] { return field_pointer(c.item, "imageDigest"); };
  if (t == od::json_type::null) {
    if (!is_null_token(v)) return skip_value(v, image_depth_ + 1);
    return image_error(c, "image.missing_field", ptr(), "imageDigest is null", at);
  }
  if (t != od::json_type::string)
    return wrong_type(c, v, t, ptr(), "imageDigest", "a string", image_depth_ + 1);
  std::string_view s;
  if (const auto e = read_string(v, s)) return syntax(e, ptr(), at);
  if (s.size() > max_digest_length) {
    return image_error(c, "image.digest", ptr(),
                       "imageDigest " + quoted(s) + " is " + std::to_string(s.size()) +
                           " characters long; digests have at most " +
                           std::to_string(max_digest_length),
                       at);
  }
  if (!is_digest(s)) {
    return image_error(c, "image.digest", ptr(),
                       "imageDigest " + quoted(s) +
                           (s.empty() ? std::string{" is empty"}
                                      : std::string{" is not a digest (algorithm:hex, e.g. "
                                                    "sha256:4a1c65...)"}),
                       at);
  }
  c.img.digest.assign(s);
  c.digest_at = at;
  c.digest_hash = digest_table::hash(s);
  st_.digests.prefetch(c.digest_hash);
  return flow::go;
}

flow page_parser::read_tags(image_ctx& c, od::value& v, od::json_type t) {
  if (t == od::json_type::null)
    return is_null_token(v) ? flow::go : skip_value(v, image_depth_ + 1);
  if (t != od::json_type::array) {
    return wrong_type(c, v, t, field_pointer(c.item, "imageTags"), "imageTags",
                      "an array of strings", image_depth_ + 1);
  }
  od::array tags;
  if (const auto e = v.get_array().get(tags)) return syntax(e);
  std::vector<std::string_view>& scratch = tag_scratch_;
  scratch.clear();
  std::uint32_t index = 0;
  for (auto element : tags) {
    od::value tv;
    if (const auto e = std::move(element).get(tv)) return syntax(e);
    od::json_type tt{};
    if (const auto e = tv.type().get(tt)) return syntax(e);
    const auto ptr = [&] {
      std::string p = field_pointer(c.item, "imageTags");
      p.push_back('/');
      p += std::to_string(index);
      return p;
    };
    if (tt != od::json_type::string) {
      if (wrong_type(c, tv, tt, ptr(), "each tag", "a string", image_depth_ + 2) == flow::stop) {
        return flow::stop;
      }
    } else {
      std::string_view s;
      if (const auto e = read_string(tv, s)) return syntax(e, ptr(), tv.raw_json_token().data());
      if (s.empty()) {
        if (image_error(c, "image.tag", ptr(), "imageTags[" + std::to_string(index) + "] is empty",
                        tv.raw_json_token().data()) == flow::stop) {
          return flow::stop;
        }
      } else if (s.size() > max_tag_length && code_points(s) > max_tag_length) {
        if (image_error(c, "image.tag", ptr(),
                        "imageTags[" + std::to_string(index) + "] " + quoted(s) + " has " +
                            std::to_string(code_points(s)) + " characters; ECR tags have at most " +
                            std::to_string(max_tag_length),
                        tv.raw_json_token().data()) == flow::stop) {
          return flow::stop;
        }
      } else if (index >= max_tags_per_image) {
        if (index == max_tags_per_image &&
            image_error(c, "image.tag", ptr(),
                        "more than " + std::to_string(max_tags_per_image) +
                            " tags; ECR allows at most " + std::to_string(max_tags_per_image) +
                            " per image",
                        tv.raw_json_token().data()) == flow::stop) {
          return flow::stop;
        }
      } else {
        scratch.push_back(s);
      }
    }
    ++index;
  }
  // A tag names one image, so a repeated tag carries no information: keep the first occurrence.
  // The tags are collected as views first so that the image's vector is allocated once, exactly.
  std::size_t kept = scratch.size();
  if (kept > 1) {
    if (kept <= 32) {
      std::size_t out = 0;
      for (std::size_t i = 0; i < scratch.size(); ++i) {
        bool repeated = false;
        for (std::size_t j = 0; j < out && !repeated; ++j) repeated = scratch[j] == scratch[i];
        if (!repeated) scratch[out++] = scratch[i];
      }
      kept = out;
    } else {
      std::unordered_set<std::string_view> unique;
      unique.reserve(scratch.size());
      std::size_t out = 0;
      for (std::size_t i = 0; i < scratch.size(); ++i) {
        if (unique.insert(scratch[i]).second) scratch[out++] = scratch[i];
      }
      kept = out;
    }
  }
  auto& list = c.img.tags;
  list.reserve(list.size() + kept);
  for (std::size_t i = 0; i < kept; ++i) list.emplace_back(scratch[i]);
  return flow::go;
}

flow page_parser::read_time(image_ctx& c, od::value& v, od::json_type t, image_key key,
                            std::optional<timestamp>& out) {
  const std::string_view name = key_name(key);
  const char* at = v.raw_json_token().data();
  std::string_view text;
  switch (t) {
    case od::json_type::null:
      if (!is_null_token(v)) return skip_value(v, image_depth_ + 1);
      if (key == image_key::pushed_at) {
        return image_error(c, "image.missing_field", field_pointer(c.item, name),
                           "imagePushedAt is null", at);
      }
      return flow::go;
    case od::json_type::string:
      if (const auto e = read_string(v, text)) return syntax(e, field_pointer(c.item, name), at);
      break;
    case od::json_type::number:
      text = trim_right(v.raw_json_token());
      if (!is_json_number(text)) {
        return syntax_at("invalid number " + quoted(text), field_pointer(c.item, name), at);
      }
      break;
    default:
      return wrong_type(c, v, t, field_pointer(c.item, name), name,
                        "an ISO-8601 string or epoch seconds", image_depth_ + 1);
  }
  if (const auto parsed = parse_timestamp(text)) {
    out = *parsed;
    return flow::go;
  }
  return image_error(c, "image.timestamp", field_pointer(c.item, name),
                     std::string{name} + " " +
                         (t == od::json_type::string ? quoted(text) : shortened(text)) +
                         " is not a valid timestamp: " + timestamp_problem(text),
                     at);
}

flow page_parser::read_size(image_ctx& c, od::value& v, od::json_type t) {
  if (t == od::json_type::null)
    return is_null_token(v) ? flow::go : skip_value(v, image_depth_ + 1);
  const auto ptr = [&] { return field_pointer(c.item, "imageSizeInBytes"); };
  if (t != od::json_type::number) {
    return wrong_type(c, v, t, ptr(), "imageSizeInBytes", "a number", image_depth_ + 1);
  }
  const std::string_view raw = trim_right(v.raw_json_token());
  if (!is_json_number(raw)) return syntax_at("invalid number " + quoted(raw), ptr(), raw.data());
  std::uint64_t size = 0;
  switch (read_integer(raw, max_size_bytes, size)) {
    case integer_status::ok:
      c.img.size_bytes = size;
      return flow::go;
    case integer_status::negative:
      return image_error(c, "image.size", ptr(),
                         "imageSizeInBytes " + shortened(raw) + " is negative", raw.data());
    case integer_status::not_integer:
      return image_error(c, "image.size", ptr(),
                         "imageSizeInBytes " + shortened(raw) + " is not a whole number of bytes",
                         raw.data());
    case integer_status::too_large:
      return image_error(c, "image.size", ptr(),
                         "imageSizeInBytes " + shortened(raw) + " is larger than 2^63-1",
                         raw.data());
  }
  return flow::go;
}

flow page_parser::read_status(image_ctx& c, od::value& v, od::json_type t) {
  if (t == od::json_type::null)
    return is_null_token(v) ? flow::go : skip_value(v, image_depth_ + 1);
  const auto ptr = [&] { return field_pointer(c.item, "imageStatus"); };
  if (t != od::json_type::string)
    return wrong_type(c, v, t, ptr(), "imageStatus", "a string", image_depth_ + 1);
  const char* at = v.raw_json_token().data();
  std::string_view s;
  if (const auto e = read_string(v, s)) return syntax(e, ptr(), at);
  if (const auto status = parse_image_status(s)) {
    c.img.status = *status;
    return flow::go;
  }
  return image_error(c, "image.status", ptr(),
                     "imageStatus " + quoted(s) + " is not ACTIVE, ARCHIVED or ACTIVATING", at);
}

// imageManifestMediaType, subjectManifestDigest, repositoryName and registryId: strings. The
// images of one inventory must agree on their repository and registry (a policy applies to one).
flow page_parser::read_text_field(image_ctx& c, od::value& v, od::json_type t, image_key key) {
  if (t == od::json_type::null)
    return is_null_token(v) ? flow::go : skip_value(v, image_depth_ + 1);
  const std::string_view name = key_name(key);
  const auto ptr = [&] { return field_pointer(c.item, name); };
  if (t != od::json_type::string)
    return wrong_type(c, v, t, ptr(), name, "a string", image_depth_ + 1);
  const char* at = v.raw_json_token().data();
  std::string_view s;
  if (const auto e = read_string(v, s)) return syntax(e, ptr(), at);
  switch (key) {
    case image_key::media_type:
      c.img.manifest = is_index_media_type(s) ? manifest_kind::index : manifest_kind::image;
      return flow::go;
    case image_key::subject:
      if (s.size() > max_digest_length || !is_digest(s)) {
        return image_error(c, "image.digest", ptr(),
                           "subjectManifestDigest " + quoted(s) +
                               " is not a digest (algorithm:hex, e.g. sha256:4a1c65...)",
                           at);
      }
      c.img.subject_digest.assign(s);
      return flow::go;
    case image_key::repository:
      return check_same(c, st_.repository_name, s, key, at);
    case image_key::registry:
      return check_same(c, st_.registry_id, s, key, at);
    default:
      return flow::go;
  }
}

flow page_parser::check_same(image_ctx& c, std::string& shared, std::string_view value,
                             image_key key, const char* at) {
  std::string& where =
      key == image_key::repository ? st_.repository_where : st_.registry_where;
  if (where.empty()) {
    shared.assign(value);
    where = "image " + std::to_string(c.item) + " of " + std::string{file_};
    return flow::go;
  }
  if (shared == value) return flow::go;
  const std::string_view name = key_name(key);
  return image_error(c, "inventory.mixed_repositories", field_pointer(c.item, name),
                     std::string{name} + " " + quoted(value) + " differs from " +
                         quoted(std::string_view{shared}) + " (" + where +
                         "); a lifecycle policy applies to one repository, so give each " +
                         "repository's pages to a separate run",
                     at);
}

flow page_parser::read_findings(image_ctx& c, od::value& v, od::json_type t) {
  if (t == od::json_type::null)
    return is_null_token(v) ? flow::go : skip_value(v, image_depth_ + 1);
  if (t != od::json_type::object) {
    return wrong_type(c, v, t, field_pointer(c.item, "imageScanFindingsSummary"),
                      "imageScanFindingsSummary", "an object", image_depth_ + 1);
  }
  finding_counts counts;
  od::object summary;
  if (const auto e = v.get_object().get(summary)) return syntax(e);
  bool seen_counts = false;
  for (auto member : summary) {
    od::field f;
    if (const auto e = std::move(member).get(f)) return syntax(e);
    std::string_view key;
    if (const auto e = read_key(f, key)) return syntax(e);
    od::value& fv = f.value();
    if (key != "findingSeverityCounts") {
      if (skip_value(fv, image_depth_ + 2) == flow::stop) return flow::stop;
      continue;
    }
    if (seen_counts) {
      if (image_error(c, "image.duplicate_field",
                      field_pointer(c.item, "imageScanFindingsSummary") + "/findingSeverityCounts",
                      "findingSeverityCounts appears twice in imageScanFindingsSummary",
                      fv.raw_json_token().data()) == flow::stop ||
          skip_value(fv, image_depth_ + 2) == flow::stop) {
        return flow::stop;
      }
      continue;
    }
    seen_counts = true;
    od::json_type ct{};
    if (const auto e = fv.type().get(ct)) return syntax(e);
    if (read_severity_counts(c, fv, ct, counts) == flow::stop) return flow::stop;
  }
  c.img.findings = counts;
  return flow::go;
}

flow page_parser::read_severity_counts(image_ctx& c, od::value& v, od::json_type t,
                                       finding_counts& out) {
  // Pointers are built only when something is wrong.
  const auto base = [&] {
    return field_pointer(c.item, "imageScanFindingsSummary") + "/findingSeverityCounts";
  };
  if (t == od::json_type::null)
    return is_null_token(v) ? flow::go : skip_value(v, image_depth_ + 2);
  if (t != od::json_type::object) {
    return wrong_type(c, v, t, base(), "findingSeverityCounts", "an object", image_depth_ + 2);
  }
  od::object counts;
  if (const auto e = v.get_object().get(counts)) return syntax(e);
  unsigned seen = 0;
  for (auto member : counts) {
    od::field f;
    if (const auto e = std::move(member).get(f)) return syntax(e);
    std::string_view key;
    if (const auto e = read_key(f, key)) return syntax(e);
    od::value& fv = f.value();
    const int severity = severity_index(key);
    if (severity < 0) {  // a severity ECR may add later: ignored
      if (skip_value(fv, image_depth_ + 3) == flow::stop) return flow::stop;
      continue;
    }
    const auto ptr = [&] {
      std::string p = base();
      append_token(p, key);
      return p;
    };
    const unsigned bit = 1U << static_cast<unsigned>(severity);
    if ((seen & bit) != 0) {
      if (image_error(c, "image.duplicate_field", ptr(),
                      "severity " + std::string{key} + " appears twice in findingSeverityCounts",
                      fv.raw_json_token().data()) == flow::stop ||
          skip_value(fv, image_depth_ + 3) == flow::stop) {
        return flow::stop;
      }
      continue;
    }
    seen |= bit;
    od::json_type ct{};
    if (const auto e = fv.type().get(ct)) return syntax(e);
    if (ct != od::json_type::number) {
      if (wrong_type(c, fv, ct, ptr(), "a finding count", "a number", image_depth_ + 3) ==
          flow::stop) {
        return flow::stop;
      }
      continue;
    }
    const std::string_view raw = trim_right(fv.raw_json_token());
    if (!is_json_number(raw)) return syntax_at("invalid number " + quoted(raw), ptr(), raw.data());
    std::uint64_t n = 0;
    if (read_integer(raw, std::numeric_limits<std::uint64_t>::max(), n) == integer_status::ok) {
      severity_slot(out, severity) = n;
    } else if (image_error(c, "image.findings", ptr(),
                           "finding count " + std::string{key} + " = " + shortened(raw) +
                               " is not a non-negative whole number",
                           raw.data()) == flow::stop) {
      return flow::stop;
    }
  }
  return flow::go;
}

flow page_parser::finish_image(image_ctx& c) {
  if (!c.has_digest && image_error(c, "image.missing_field", field_pointer(c.item, "imageDigest"),
                                   "required field imageDigest is missing", c.at) == flow::stop) {
    return flow::stop;
  }
  if (!c.has_pushed_at &&
      image_error(c, "image.missing_field", field_pointer(c.item, "imagePushedAt"),
                  "required field imagePushedAt is missing", c.at) == flow::stop) {
    return flow::stop;
  }
  if (c.digest_at == nullptr) return flow::go;  // no usable digest: nothing to index

  // Index the image by digest; on a clash, name both places.
  const auto index = static_cast<std::uint32_t>(st_.images.size());
  st_.images.push_back(std::move(c.img));
  st_.origins.push_back(image_origin{page_, c.item});
  const std::uint32_t earlier = st_.digests.insert(st_.images, index, c.digest_hash);
  if (earlier == index) return flow::go;
  const image_origin first = st_.origins[earlier];
  const page_info& first_page = st_.pages[first.page];
  std::string where{first_page.prefix};
  where.push_back('/');
  where += std::to_string(first.item);
  std::string digest = std::move(st_.images.back().digest);
  st_.images.pop_back();
  st_.origins.pop_back();
  const std::string other =
      first.page == page_
          ? "image " + std::to_string(first.item) + " (" + where + ")"
          : "image " + std::to_string(first.item) + " (" + where + ") of " + first_page.file;
  return image_error(c, "image.duplicate_digest", field_pointer(c.item, "imageDigest"),
                     "imageDigest " + digest + " already appears as " + other, c.digest_at);
}

// ---------------------------------------------------------------------------------------------
// Windowed parsing
//
// simdjson On-Demand indexes a whole document before walking it: for a 1.3 GB page, the mapped
// text and its structural index alone are 1.7 GiB. A large page is therefore parsed in windows:
//
//  * the head of the page, up to and including the `[` of its ImageDetail array, must be exactly
//    `{ "imageDetails": [` (what the AWS CLI writes) or `[` (a bare array); anything else is
//    parsed whole;
//  * a window is the next ~4 MiB of the input, read into a reusable buffer and cut after its last
//    line break (a raw line break is never inside a JSON string), with a `]` appended. The first
//    window starts at the array's `[`; the next ones start at the `,` or `]` after the last
//    ImageDetail taken, behind a made-up `[0` (a dummy element, skipped);
//  * each window is indexed and walked by the same code as a whole page; an ImageDetail is taken
//    once it is complete, and one the window cuts through (the walk then fails inside it) is
//    undone (rewind_element) and read again at the start of the next window. A window in which
//    not one ImageDetail completes is read again twice as long;
//  * once the array's own `]` is inside a window, the rest of the page (nextToken, other
//    members, what follows the document) is parsed as a "skeleton": the head and that rest with
//    the ImageDetails left out, walked by parse_root as usual.
// Positions are input offsets throughout (segments_ map window pointers to them; line_counter
// reads the input itself), so every diagnostic is the one a whole parse gives. Anything a window
// cannot settle on its own, where a whole parse would look at the whole text first, makes the
// page be parsed whole after all, from a clean state (rewind_page): a syntax error, invalid
// UTF-8, an unclosed string, too deep nesting, too many errors or images, any error in the
// skeleton. Those pages cost a second pass and the whole text in memory, as before.

struct page_head {
  std::size_t array_open = 0;  ///< offset of the `[` of the ImageDetail array
  bool bare = false;           ///< the page is a bare array
};

/// Recognizes `[` or `{ "imageDetails": [` (a UTF-8 BOM and blanks allowed) at the start.
std::optional<page_head> scan_head(std::string_view t) noexcept {
  std::size_t i = t.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  const auto blanks = [&] {
    while (i < t.size() && is_json_ws(t[i])) ++i;
  };
  blanks();
  if (i < t.size() && t[i] == '[') return page_head{i, true};
  if (i >= t.size() || t[i] != '{') return std::nullopt;
  ++i;
  blanks();
  constexpr std::string_view key = "\"imageDetails\"";
  if (t.substr(i, key.size()) != key) return std::nullopt;
  i += key.size();
  blanks();
  if (i >= t.size() || t[i] != ':') return std::nullopt;
  ++i;
  blanks();
  if (i >= t.size() || t[i] != '[') return std::nullopt;
  return page_head{i, false};
}

page_parser::window_step page_parser::walk_window(od::parser& parser, std::size_t& next) {
  od::document doc;
  if (parser.iterate(text_.data(), text_.size(), text_.size() + simdjson::SIMDJSON_PADDING)
          .get(doc) != simdjson::SUCCESS) {
    return window_step::fallback;  // invalid UTF-8, an unclosed string, ...: a whole parse says
  }
  od::array elements;
  if (doc.get_array().get(elements) != simdjson::SUCCESS) return window_step::fallback;
  bool dummy = segments_[0].begin != text_.data();  // the made-up `[0` of a later window
  std::size_t taken = 0;
  bool cut = false;
  for (auto element : elements) {
    od::value v;
    if (std::move(element).get(v) != simdjson::SUCCESS) {
      cut = true;
      break;
    }
    if (dummy) {
      dummy = false;
      continue;
    }
    const element_mark mark = mark_element();
    if (++st_.items > st_.max_items) return window_step::fallback;
    if (parse_image(v, next_item_) == flow::stop) {
      if (final_stop_) return window_step::fallback;
      rewind_element(mark);
      syntax_failed_ = false;
      cut = true;
      break;
    }
    ++next_item_;
    ++taken;
    // Where the element ends: the next token, a `,` or `]`. None means that the element took the
    // window's own `]`: it was cut short (only possible for an element that is not an object).
    const char* loc = nullptr;
    if (doc.current_location().get(loc) != simdjson::SUCCESS) return window_step::fallback;
    const auto offset = input_offset(loc);
    if (!offset) return window_step::fallback;
    next = *offset;
  }
  if (cut) return taken == 0 ? window_step::stalled : window_step::progress;
  // The array ended: at the window's own `]` (nothing follows), or at the page's.
  const char* loc = nullptr;
  const auto e = doc.current_location().get(loc);
  if (e == simdjson::OUT_OF_BOUNDS) return taken == 0 ? window_step::stalled : window_step::progress;
  if (e != simdjson::SUCCESS) return window_step::fallback;
  const char* close = loc;
  while (close > text_.data() && is_json_ws(close[-1])) --close;
  if (close == text_.data() || close[-1] != ']') return window_step::fallback;
  const auto offset = input_offset(close - 1);
  if (!offset) return window_step::fallback;
  next = *offset;
  return window_step::closed;
}

bool page_parser::run_windowed(od::parser& parser, window_buffer& buffer,
                               const window_options& options) {
  const std::size_t size = source_->size();
  std::string scratch;
  const auto head = scan_head(source_->view(0, std::min<std::size_t>(size, 4096), scratch));
  if (!head) return false;
  begin_page();
  mode_ = mode::window;
  prefix_ = head->bare ? "" : "/imageDetails";
  image_depth_ = head->bare ? 2 : 3;
  st_.pages[page_].prefix = prefix_;
  reserve_images(size);

  constexpr std::size_t parser_depth = max_nesting + 8;  // as in parse_text
  constexpr std::size_t front = 2;                        // room for the made-up `[0`
  std::size_t start = head->array_open;
  bool first = true;
  std::size_t want = std::max<std::size_t>(options.window_bytes, 1);
  std::size_t tail = 0;
  for (bool closed = false; !closed;) {
    char* const base = buffer.reserve(front + want + 1 + simdjson::SIMDJSON_PADDING);
    if (base == nullptr) return false;
    char* const data = base + front;
    std::size_t n = 0;
    while (n < want) {
      const std::size_t got = source_->read(start + n, data + n, want - n);
      if (got == 0) break;
      n += got;
    }
    const bool at_end = n < want || start + n >= size;
    if (!at_end) {
      const std::size_t line_break = std::string_view{data, n}.rfind('\n');
      if (line_break == std::string_view::npos) {
        // No line break in the first 64 KiB: minified JSON, parsed whole (in one window it would
        // need a copy of the whole text).
        if (first && want >= minified_probe_bytes) return false;
        want *= 2;
        continue;
      }
      n = line_break + 1;
    }
    data[n] = ']';
    std::memset(data + n + 1, ' ', simdjson::SIMDJSON_PADDING);
    const char* begin = data;
    if (!first) {
      base[0] = '[';
      base[1] = '0';
      begin = base;
    }
    const std::size_t length = static_cast<std::size_t>(data + n + 1 - begin);
    if (parser.capacity() < length || parser.max_depth() < parser_depth) {
      if (parser.allocate(std::max(length, parser.capacity()), parser_depth) != simdjson::SUCCESS)
        return false;
    }
    text_ = {begin, length};
    set_segments(data, n, start);
    if (options.windows != nullptr) ++*options.windows;
    std::size_t next = start;
    const window_step step = walk_window(parser, next);
    doc_ = nullptr;
    switch (step) {
      case window_step::progress:
        start = next;
        first = false;
        want = std::max<std::size_t>(options.window_bytes, 1);
        break;
      case window_step::stalled:
        if (at_end) return false;
        want *= 2;
        break;
      case window_step::closed:
        tail = next;
        closed = true;
        break;
      case window_step::fallback:
        return false;
    }
  }

  // The skeleton: the head up to the array's `[`, then everything from its `]` on.
  const std::size_t head_bytes = head->array_open + 1;
  const std::size_t tail_bytes = size - tail;
  simdjson::padded_string skeleton(head_bytes + tail_bytes);
  if (skeleton.data() == nullptr) return false;
  if (source_->read(0, skeleton.data(), head_bytes) != head_bytes ||
      source_->read(tail, skeleton.data() + head_bytes, tail_bytes) != tail_bytes) {
    return false;
  }
  mode_ = mode::skeleton;
  text_ = {skeleton.data(), skeleton.size()};
  segments_[0] = segment{skeleton.data(), skeleton.data() + head_bytes, 0};
  segments_[1] = segment{skeleton.data() + head_bytes, skeleton.data() + skeleton.size(), tail};
  segment_count_ = 2;
  const std::size_t errors_before = errors_;
  parse_text(parser);
  doc_ = nullptr;
  text_ = {};
  segment_count_ = 0;
  return !syntax_failed_ && !final_stop_ && errors_ == errors_before;
}

/// The load state before a page, to parse the page again from there (a windowed parse that
/// gives up).
struct page_mark {
  std::size_t diagnostics;
  std::size_t images;
  std::size_t pages;
  std::size_t items;
  bool any_error;
  std::string repository_name;
  std::string registry_id;
  std::string repository_where;
  std::string registry_where;
};

page_mark mark_page(const load_state& st) {
  return {st.diagnostics.size(), st.images.size(), st.pages.size(), st.items, st.any_error,
          st.repository_name, st.registry_id, st.repository_where, st.registry_where};
}

void rewind_page(load_state& st, page_mark& m) {
  st.diagnostics.resize(m.diagnostics);
  if (st.images.size() > m.images) {
    st.images.resize(m.images);
    st.origins.resize(m.images);
    st.digests.rebuild(st.images);
  }
  st.pages.resize(m.pages);
  st.items = m.items;
  st.any_error = m.any_error;
  st.repository_name = std::move(m.repository_name);
  st.registry_id = std::move(m.registry_id);
  st.repository_where = std::move(m.repository_where);
  st.registry_where = std::move(m.registry_where);
}

/// Parses one page held in `source` in windows when it is large enough; false when it must be
/// parsed whole (the load state is then as it was before).
bool parse_windowed(load_state& st, od::parser& parser, window_buffer& buffer,
                    std::string_view name, text_source& source, const window_options& options) {
  if (options.window_bytes == 0 || source.size() < options.threshold ||
      source.size() > max_input_bytes) {
    return false;
  }
  page_mark mark = mark_page(st);
  page_parser pp{st, name, source};
  if (pp.run_windowed(parser, buffer, options)) return true;
  rewind_page(st, mark);
  if (options.fallbacks != nullptr) ++*options.fallbacks;
  return false;
}

#if ECRLP_HAVE_MMAP
/// An open file, read with pread().
class file_source final : public text_source {
 public:
  file_source(int fd, std::size_t size) noexcept : fd_{fd}, size_{size} {}
  [[nodiscard]] std::size_t size() const noexcept override { return size_; }
  std::size_t read(std::size_t offset, char* out, std::size_t n) noexcept override {
    if (offset >= size_) return 0;
    n = std::min(n, size_ - offset);
    std::size_t got = 0;
    while (got < n) {
      const ssize_t r = ::pread(fd_, out + got, n - got, static_cast<off_t>(offset + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) break;
      got += static_cast<std::size_t>(r);
    }
    return got;
  }

 private:
  int fd_;
  std::size_t size_;
};

struct fd_closer {
  int fd;
  ~fd_closer() { (void)::close(fd); }
};
#endif

/// parse_windowed for a regular file; false (nothing changed) when it is parsed whole.
bool parse_file_windowed(load_state& st, od::parser& parser, window_buffer& buffer,
                         const std::filesystem::path& path, const window_options& options) {
#if ECRLP_HAVE_MMAP
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec) || ec) return false;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size < options.threshold || size > max_input_bytes || size == 0) return false;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const fd_closer closer{fd};
  file_source source{fd, static_cast<std::size_t>(size)};
  return parse_windowed(st, parser, buffer, path.string(), source, options);
#else
  (void)st;
  (void)parser;
  (void)buffer;
  (void)path;
  (void)options;
  return false;
#endif
}

// ---------------------------------------------------------------------------------------------
// Files

struct file_closer {
  void operator()(std::FILE* f) const noexcept { (void)std::fclose(f); }
};

/// The text of one file: a read-only private mapping of it when possible, else a padded copy.
/// Either way SIMDJSON_PADDING readable bytes follow the text.
///
/// Mapping avoids copying the file and zero-filling as much fresh heap (on a 130 MB page that is
/// most of the time spent before parsing); MAP_POPULATE maps the page cache in one call instead of
/// one fault per page. The padding comes from an anonymous reservation one page longer than the
/// file that the file is mapped over: the page after the file's last page stays mapped (zeros).
/// Caveat of any mapping: a file truncated by another process while it is parsed raises SIGBUS.
class file_text {
 public:
  file_text() = default;
  file_text(const file_text&) = delete;
  file_text& operator=(const file_text&) = delete;
  ~file_text() { unmap(); }

  /// Maps the first `size` bytes of the open file `fd`; false (and nothing mapped) on failure.
  bool map(int fd, std::size_t size) noexcept {
#if ECRLP_HAVE_MMAP
    if (size == 0) return false;
    const long page_size = ::sysconf(_SC_PAGESIZE);
    if (page_size <= 0) return false;
    const auto page = static_cast<std::size_t>(page_size);
    if (simdjson::SIMDJSON_PADDING > page) return false;
    const std::size_t length = (size + page - 1) / page * page + page;
    void* base = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED) return false;
    void* file = ::mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd, 0);
    if (file == MAP_FAILED) {
      (void)::munmap(base, length);
      return false;
    }
    map_ = base;
    map_length_ = length;
    text_ = {static_cast<const char*>(base), size};
    return true;
#else
    (void)fd;
    (void)size;
    return false;
#endif
  }

  /// Takes a padded copy.
  void assign(simdjson::padded_string&& buffer) noexcept {
    unmap();
    buffer_ = std::move(buffer);
    text_ = {buffer_.data(), buffer_.size()};
  }

  [[nodiscard]] std::string_view text() const noexcept { return text_; }

 private:
  void unmap() noexcept {
#if ECRLP_HAVE_MMAP
    if (map_ != nullptr) (void)::munmap(map_, map_length_);
#endif
    map_ = nullptr;
    map_length_ = 0;
  }

  void* map_ = nullptr;
  std::size_t map_length_ = 0;
  simdjson::padded_string buffer_;
  std::string_view text_;
};

/// Reads a whole file (mapped, or into a padded buffer). Returns false after adding an io.*
/// diagnostic.
bool read_file(const std::filesystem::path& path, file_text& out, std::vector<diagnostic>& diags) {
  const auto fail = [&](std::string_view code, std::string message) {
    diagnostic d;
    d.code = std::string{code};
    d.message = std::move(message);
    d.file = path.string();
    diags.push_back(std::move(d));
    return false;
  };
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec) return fail("io.read", "cannot read the file: " + ec.message());
  if (std::filesystem::is_directory(status)) return fail("io.read", "is a directory, not a file");
  std::optional<std::uintmax_t> known_size;
  if (std::filesystem::is_regular_file(status)) {
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) return fail("io.read", "cannot read the file: " + ec.message());
    if (size > max_input_bytes) {
      return fail("io.too_large", "the file is " + std::to_string(size) + " bytes; at most " +
                                      std::to_string(max_input_bytes) + " bytes are accepted");
    }
    known_size = size;
  }
  errno = 0;
  std::unique_ptr<std::FILE, file_closer> file{std::fopen(path.c_str(), "rb")};
  if (!file) {
    const int err = errno;
    return fail("io.read", "cannot open the file: " + std::generic_category().message(err));
  }
#if ECRLP_HAVE_MMAP
  if (known_size && *known_size > 0 &&
      out.map(::fileno(file.get()), static_cast<std::size_t>(*known_size))) {
    return true;
  }
#endif
  const auto read_error = [&] {
    const int err = errno;
    return fail("io.read", "cannot read the file: " + std::generic_category().message(err));
  };
  if (known_size) {
    const auto size = static_cast<std::size_t>(*known_size);
    simdjson::padded_string buffer(size);
    if (buffer.data() == nullptr) {
      return fail("io.too_large", "not enough memory to read " + std::to_string(size) + " bytes");
    }
    std::size_t got = 0;
    while (got < size) {
      const std::size_t n = std::fread(buffer.data() + got, 1, size - got, file.get());
      if (n == 0) break;
      got += n;
    }
    if (std::ferror(file.get()) != 0) return read_error();
    if (got != size) {
      // The file shrank while being read: parse what is there.
      simdjson::padded_string shorter(buffer.data(), got);
      out.assign(std::move(shorter));
    } else {
      out.assign(std::move(buffer));
    }
    return true;
  }
  // A pipe or another stream without a size: read in chunks.
  std::string data;
  char chunk[1 << 16];
  for (;;) {
    const std::size_t n = std::fread(chunk, 1, sizeof chunk, file.get());
    if (n == 0) break;
    if (data.size() + n > max_input_bytes) {
      return fail("io.too_large",
                  "the input is larger than " + std::to_string(max_input_bytes) + " bytes");
    }
    data.append(chunk, n);
  }
  if (std::ferror(file.get()) != 0) return read_error();
  simdjson::padded_string buffer(data.data(), data.size());
  if (buffer.data() == nullptr) {
    return fail("io.too_large",
                "not enough memory to read " + std::to_string(data.size()) + " bytes");
  }
  out.assign(std::move(buffer));
  return true;
}

parse_result<inventory> finish(load_state& st) {
  parse_result<inventory> result;
  // Only the last page's nextToken matters: earlier ones are answered by the pages after them.
  if (st.next_token_warning) st.diagnostics.push_back(std::move(*st.next_token_warning));
  result.diagnostics = std::move(st.diagnostics);
  if (!st.any_error && !has_errors(result.diagnostics)) {
    result.value = inventory{std::move(st.images), std::move(st.repository_name),
                             std::move(st.registry_id), {}};
  }
  return result;
}

}  // namespace

namespace {

parse_result<inventory> parse_text_inventory(std::string_view json, std::string_view source_name,
                                             std::size_t max_items,
                                             const window_options& options) {
  load_state st;
  st.max_items = max_items;
  od::parser parser;
  if (json.size() > max_input_bytes) {
    page_parser{st, source_name, json}.run(parser);  // reports io.too_large without reading
    return finish(st);
  }
  {
    memory_source source{json};
    window_buffer buffer;
    if (parse_windowed(st, parser, buffer, source_name, source, options)) return finish(st);
  }
  const simdjson::padded_string padded(json.data(), json.size());
  if (padded.data() == nullptr && !json.empty()) {
    diagnostic d;
    d.code = "io.too_large";
    d.message = "not enough memory to copy " + std::to_string(json.size()) + " bytes";
    d.file = std::string{source_name};
    st.diagnostics.push_back(std::move(d));
    st.any_error = true;
    return finish(st);
  }
  page_parser{st, source_name, std::string_view{padded.data(), padded.size()}}.run(parser);
  return finish(st);
}

parse_result<inventory> load_files(std::span<const std::filesystem::path> files,
                                   const window_options& options) {
  load_state st;
  od::parser parser;
  window_buffer window;
  for (const auto& path : files) {
    if (parse_file_windowed(st, parser, window, path, options)) continue;
    file_text buffer;
    if (!read_file(path, buffer, st.diagnostics)) {
      st.any_error = true;
      st.next_token_warning.reset();
      st.pages.push_back(page_info{path.string(), {}});
      continue;
    }
    const std::string name = path.string();
    page_parser{st, name, buffer.text()}.run(parser);
  }
  return finish(st);
}

}  // namespace

parse_result<inventory> parse_inventory(std::string_view json, std::string_view source_name) {
  return parse_text_inventory(json, source_name, max_images, window_options{});
}

parse_result<inventory> detail::parse_inventory_limited(std::string_view json,
                                                        std::string_view source_name,
                                                        std::size_t max_items) {
  return parse_text_inventory(json, source_name, max_items, window_options{});
}

parse_result<inventory> detail::parse_inventory_windowed(std::string_view json,
                                                         std::string_view source_name,
                                                         std::size_t window_bytes,
                                                         std::size_t& windows,
                                                         std::size_t& fallbacks) {
  return parse_text_inventory(json, source_name, max_images,
                              window_options{window_bytes, 0, &windows, &fallbacks});
}

parse_result<inventory> load_inventory(std::span<const std::filesystem::path> files) {
  return load_files(files, window_options{});
}

parse_result<inventory> detail::load_inventory_windowed(
    std::span<const std::filesystem::path> files, std::size_t window_bytes, std::size_t& windows,
    std::size_t& fallbacks) {
  return load_files(files, window_options{window_bytes, 0, &windows, &fallbacks});
}

}  // namespace ecrlp
