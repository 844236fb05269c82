// SPDX-License-Identifier: MIT
#pragma once

// Private (lib/read/inventory): one describe-images page, walked once with simdjson On-Demand.
//
// The members are defined by job:
//   page_walk.cpp       the document: encoding and syntax of the text, the root object or array,
//                       the ImageDetail array, and skip_value for every member nobody reads
//   image_detail.cpp    one ImageDetail: its members dispatched to the field readers (digest, tags,
//                       timestamps, size, status, findings, strings), the duplicate-digest check
//   page_reporting.cpp  diagnostics: the error count, positions, and syntax errors explained
//   windows.cpp         windowed parsing of large pages (run_windowed, walk_window)
// The hot path is parse_image and the field readers: JSON access (read_string, read_key) is
// inline here, errors are out of line.

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/time.hpp>

#include "read/inventory/keys.hpp"
#include "read/inventory/limits.hpp"
#include "read/inventory/load_state.hpp"
#include "read/inventory/positions.hpp"
#include "read/inventory/scalars.hpp"
#include "read/inventory/text_source.hpp"
#include "read/inventory/windows.hpp"

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecrlp::read::ingest {

enum class flow : unsigned char { stop, go };

class page_parser {
 public:
  /// A page whose whole text is in memory.
  page_parser(load_state& st, std::string_view file, std::string_view text)
      : st_{st}, file_{file}, text_{text}, own_source_{text}, source_{&own_source_},
        lines_{own_source_} {
    segments_.set(text.data(), text.size(), 0);
  }

  /// A page read window by window from `source` (run_windowed).
  page_parser(load_state& st, std::string_view file, text_source& source)
      : st_{st}, file_{file}, own_source_{{}}, source_{&source}, lines_{source} {}

  /// Parses `text` (which must be followed by SIMDJSON_PADDING readable bytes).
  void run(od::parser& parser) {
    begin_page();
    parse_text(parser);
  }

  /// Parses the page in windows of whole ImageDetails (see windows.cpp). Returns false when the
  /// page must be parsed whole instead; the caller then rewinds the load state (rewind_page) and
  /// calls run() on the whole text, which reports exactly what a whole parse reports.
  bool run_windowed(od::parser& parser, window_buffer& buffer, const window_options& options);

 private:
  enum class mode : unsigned char {
    whole,     ///< the whole page is in text_
    window,    ///< text_ is a window of whole ImageDetails
    skeleton,  ///< text_ is the page without its ImageDetails
  };
  enum class window_step : unsigned char { progress, stalled, closed, fallback };

  // --- the document (page_walk.cpp) ----------------------------------------------------------
  void begin_page() {
    page_ = static_cast<std::uint32_t>(st_.pages.size());
    st_.pages.push_back(page_info{std::string{file_}, {}});
    st_.next_token_warning.reset();
  }
  void parse_text(od::parser& parser);
  /// Sizes the parser for `body`; false after io.too_large.
  bool prepare_parser(od::parser& parser, std::size_t body_size);
  flow parse_root();
  flow parse_root_member(std::string_view key, od::value& v, bool& seen_details);
  flow parse_details(od::array& details);
  void reserve_images(std::size_t text_bytes);
  /// Consumes a value nobody reads, validating it: scalars are checked against the JSON grammar
  /// (On-Demand would skip them unchecked) and nesting is limited. `depth` is the nesting level a
  /// container `v` would have.
  flow skip_value(od::value& v, std::size_t depth);

  // --- windows (windows.cpp) -----------------------------------------------------------------
  window_step walk_window(od::parser& parser, std::size_t& next);
  /// Reads up to `want` bytes from `start` into `buffer`, cut after the last line break, and
  /// points text_ at them as a JSON array (see windows.cpp).
  struct window_read {
    bool ok = false;             ///< false: no memory for the window
    bool at_end = false;         ///< the window reaches the end of the input
    bool no_line_break = false;  ///< nothing read into text_: the bytes hold no line break
  };
  window_read read_window(window_buffer& buffer, std::size_t start, std::size_t want, bool first);
  bool parse_skeleton(od::parser& parser, std::size_t array_open, std::size_t tail);

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
  void rewind_element(const element_mark& m);

  // --- diagnostics (page_reporting.cpp) ------------------------------------------------------
  flow report(severity level, std::string_view code, std::string pointer, std::string message,
              const char* at);
  flow error(std::string_view code, std::string pointer, std::string message, const char* at) {
    return report(severity::error, code, std::move(pointer), std::move(message), at);
  }
  void push(severity level, std::string_view code, std::string pointer, std::string message,
            const char* at) {
    st_.diagnostics.push_back(make(level, code, std::move(pointer), std::move(message), at));
  }
  diagnostic make(severity level, std::string_view code, std::string pointer, std::string message,
                  const char* at);
  /// What simdjson's iterate() refused (encoding, empty, unclosed string, ...), reported.
  void iterate_failed(error_code e);
  /// A structural problem: reported once, and the file is abandoned.
  /// `value_at`: the start of the value that failed (a string with a bad escape), when known;
  /// simdjson's own location is then already past it.
  flow syntax(error_code e, std::string pointer = {}, const char* value_at = nullptr);
  flow syntax_at(std::string message, std::string pointer, const char* at);
  flow too_deep(od::value& v);

  // --- pointers ------------------------------------------------------------------------------
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

  // --- JSON access: the hot path -------------------------------------------------------------
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

  [[nodiscard]] const char* first_token() const noexcept {
    std::size_t i = text_.starts_with("\xEF\xBB\xBF") ? 3 : 0;  // UTF-8 byte order mark
    while (i < text_.size() && is_json_ws(text_[i])) ++i;
    return text_.data() + i;
  }

  [[nodiscard]] static bool is_null_token(od::value& v) noexcept {
    return trim_right(v.raw_json_token()) == "null";
  }

  // --- one ImageDetail (image_detail.cpp) ----------------------------------------------------
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

  flow parse_image(od::value& v, std::uint32_t item);
  flow read_member(image_ctx& c, image_key k, od::value& v, od::json_type t);
  flow image_error(image_ctx& c, std::string_view code, std::string pointer, std::string message,
                   const char* at);
  flow wrong_type(image_ctx& c, od::value& v, od::json_type t, std::string pointer,
                  std::string_view what, std::string_view expected, std::size_t depth);
  flow read_digest(image_ctx& c, od::value& v, od::json_type t);
  flow read_tags(image_ctx& c, od::value& v, od::json_type t);
  flow read_tag(image_ctx& c, od::value& tv, std::uint32_t index);
  void keep_tags(image_ctx& c);
  flow read_time(image_ctx& c, od::value& v, od::json_type t, image_key key,
                 std::optional<timestamp>& out);
  flow read_size(image_ctx& c, od::value& v, od::json_type t);
  flow read_status(image_ctx& c, od::value& v, od::json_type t);
  flow read_findings(image_ctx& c, od::value& v, od::json_type t);
  flow read_text_field(image_ctx& c, od::value& v, od::json_type t, image_key key);
  flow check_same(image_ctx& c, std::string& shared, std::string_view value, image_key key,
                  const char* at);
  flow read_severity_counts(image_ctx& c, od::value& v, od::json_type t, finding_counts& out);
  flow read_severity_count(image_ctx& c, od::value& v, std::string_view key, int severity,
                           finding_counts& out);
  flow finish_image(image_ctx& c);

  load_state& st_;
  std::string_view file_;
  /// The text being parsed: the whole file, a UTF-8 BOM included, or a window or the skeleton
  /// of it; segments_ map pointers into it to offsets in the file.
  std::string_view text_;
  memory_source own_source_;
  text_source* source_;
  line_counter lines_;
  segment_map segments_;
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

}  // namespace ecrlp::read::ingest
