// SPDX-License-Identifier: MIT
#pragma once

/// Private: reads a JSON text into a small document model, with nlohmann's SAX interface.
///
/// Why not nlohmann::json itself: we need what its DOM does not keep or check. Every value here
/// remembers the byte offset where it starts (so a diagnostic found later, by JSON pointer, gets a
/// line and column), duplicate object keys are reported instead of silently overwritten, nesting
/// depth and the number of stored values are bounded, and no exception ever leaves the reader.
/// Included by the policy, manifest, in-use and registry snapshot readers of lib/read.

#include <ecrlp/diagnostic.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace ecrlp::detail {

// ---------------------------------------------------------------------------------------------
// The document model
// ---------------------------------------------------------------------------------------------

enum class json_kind : unsigned char {
  null,
  boolean,
  integer,           ///< a negative integer literal that fits std::int64_t
  unsigned_integer,  ///< a non-negative integer literal that fits std::uint64_t
  floating,          ///< any other number; `text` keeps its literal spelling
  string,
  array,
  object
};

struct json_member;

/// One JSON value. Containers below the reader's "shallow" cut keep only kind and position.
struct json_value {
  json_kind kind = json_kind::null;
  bool boolean = false;
  std::int64_t integer = 0;
  std::uint64_t unsigned_integer = 0;
  double floating = 0.0;
  std::string text;                  ///< string contents, or the literal of a floating number
  std::vector<json_value> items;     ///< array elements
  std::vector<json_member> members;  ///< object members in document order (first of duplicates)
  std::size_t byte = 0;              ///< offset of the value's first byte in the text

  /// The member called `key`, or nullptr.
  [[nodiscard]] const json_value* find(std::string_view key) const noexcept;
};

struct json_member {
  std::string key;
  json_value value;
};

inline const json_value* json_value::find(std::string_view key) const noexcept {
  for (const auto& m : members) {
    if (m.key == key) return &m.value;
  }
  return nullptr;
}

/// JSON-Schema name of a value's type ("object", "array", "string", "integer", "number", ...), the
/// word ECR's validator uses in "instance type (...) does not match any allowed primitive type".
[[nodiscard]] constexpr std::string_view schema_type_name(json_kind k) noexcept {
  switch (k) {
    case json_kind::null:
      return "null";
    case json_kind::boolean:
      return "boolean";
    case json_kind::integer:
    case json_kind::unsigned_integer:
      return "integer";
    case json_kind::floating:
      return "number";
    case json_kind::string:
      return "string";
    case json_kind::array:
      return "array";
    case json_kind::object:
      return "object";
  }
  return "?";
}

/// "a string", "an object", ...: how the manifest and registry messages name a value's type.
[[nodiscard]] inline std::string kind_phrase(const json_value& v) {
  switch (v.kind) {
    case json_kind::null:
      return "null";
    case json_kind::boolean:
      return "a boolean";
    case json_kind::integer:
    case json_kind::unsigned_integer:
    case json_kind::floating:
      return "a number";
    case json_kind::string:
      return "a string";
    case json_kind::array:
      return "an array";
    case json_kind::object:
      return "an object";
  }
  return "?";
}

// ---------------------------------------------------------------------------------------------
// JSON pointers (RFC 6901)
// ---------------------------------------------------------------------------------------------

/// `parent` + "/" + `token`, with `~` and `/` escaped as `~0` and `~1`.
[[nodiscard]] inline std::string pointer_append(std::string_view parent, std::string_view token) {
  std::string out;
  out.reserve(parent.size() + token.size() + 1);
  out.append(parent);
  out.push_back('/');
  for (const char c : token) {
    if (c == '~') {
      out.append("~0");
    } else if (c == '/') {
      out.append("~1");
    } else {
      out.push_back(c);
    }
  }
  return out;
}

[[nodiscard]] inline std::string pointer_append(std::string_view parent, std::size_t index) {
  return pointer_append(parent, std::to_string(index));
}

/// The deepest value that `pointer` leads to: the value itself, or its nearest existing ancestor.
[[nodiscard]] inline const json_value& resolve_pointer(const json_value& root,
                                                       std::string_view pointer) {
  const json_value* at = &root;
  while (!pointer.empty() && pointer.front() == '/') {
    pointer.remove_prefix(1);
    const std::size_t end = pointer.find('/');
    const std::string_view raw = pointer.substr(0, end);
    pointer = end == std::string_view::npos ? std::string_view{} : pointer.substr(end);
    std::string token;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '~' && i + 1 < raw.size()) {
        token.push_back(raw[i + 1] == '1' ? '/' : '~');
        ++i;
      } else {
        token.push_back(raw[i]);
      }
    }
    const json_value* next = nullptr;
    if (at->kind == json_kind::object) {
      next = at->find(token);
    } else if (at->kind == json_kind::array && !token.empty() &&
               token.find_first_not_of("0123456789") == std::string::npos && token.size() < 10) {
      std::size_t index = 0;
      for (const char c : token) index = index * 10 + static_cast<std::size_t>(c - '0');
      if (index < at->items.size()) next = &at->items[index];
    }
    if (next == nullptr) break;
    at = next;
  }
  return *at;
}

// ---------------------------------------------------------------------------------------------
// Text positions and UTF-8
// ---------------------------------------------------------------------------------------------

struct text_position {
  std::size_t line = 1;    ///< 1-based
  std::size_t column = 1;  ///< 1-based, in bytes
};

/// Line and column of byte offset `byte` (clamped to the text).
[[nodiscard]] inline text_position position_of(std::string_view text, std::size_t byte) noexcept {
  if (byte > text.size()) byte = text.size();
  text_position pos;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < byte; ++i) {
    if (text[i] == '\n') {
      ++pos.line;
      line_start = i + 1;
    }
  }
  pos.column = byte - line_start + 1;
  return pos;
}

/// Line and column of many byte offsets of one text: the line starts are found once, each look-up
/// is a binary search (position_of scans from the start, which is quadratic over many diagnostics).
class line_index {
 public:
  explicit line_index(std::string_view text) : size_(text.size()) {
    starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts_.push_back(i + 1);
    }
  }

  /// Same result as position_of(text, byte).
  [[nodiscard]] text_position at(std::size_t byte) const noexcept {
    if (byte > size_) byte = size_;
    // The last line start that is <= byte (starts_[0] == 0, so there is one).
    std::size_t lo = 0;
    std::size_t hi = starts_.size();
    while (hi - lo > 1) {
      const std::size_t mid = lo + (hi - lo) / 2;
      if (starts_[mid] <= byte) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return {lo + 1, byte - starts_[lo] + 1};
  }

 private:
  std::size_t size_;
  std::vector<std::size_t> starts_;
};

/// `s` itself when it has at most `max_bytes` bytes; else its first bytes and "...", cut at a
/// UTF-8 character boundary, at most `max_bytes` bytes in all. Messages quote input through this,
/// so that a 10 MB string in a policy does not become a 10 MB message.
[[nodiscard]] inline std::string shorten(std::string_view s, std::size_t max_bytes = 60) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t cut = max_bytes > 3 ? max_bytes - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0U) == 0x80U) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

/// `s` with every byte that is not part of a well-formed UTF-8 sequence written as `\xNN`: for
/// messages that quote bytes a lexer read one at a time (nlohmann's "last read: '\xEF'" of a
/// second byte order mark), so that the message itself is valid UTF-8.
[[nodiscard]] inline std::string printable_utf8(std::string_view s);

/// Result of utf8_scan: the number of code points, or where the first malformed sequence starts.
struct utf8_scan_result {
  bool valid = true;
  std::size_t code_points = 0;
  std::size_t bad_byte = 0;  ///< meaningful when !valid
};

/// Validates UTF-8 strictly (no overlong forms, no surrogates, nothing above U+10FFFF) and counts
/// code points.
[[nodiscard]] inline utf8_scan_result utf8_scan(std::string_view text) noexcept {
  utf8_scan_result r;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    std::size_t len = 0;
    unsigned char lo = 0x80;  // allowed range of the second byte
    unsigned char hi = 0xBF;
    if (b0 < 0x80) {
      len = 1;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3;
      if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
      if (b0 == 0xED) hi = 0x9F;  // no UTF-16 surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4;
      if (b0 == 0xF0) lo = 0x90;  // no overlong forms
      if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return {false, r.code_points, i};
    }
    if (i + len > text.size()) return {false, r.code_points, i};
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      const unsigned char min = k == 1 ? lo : 0x80;
      const unsigned char max = k == 1 ? hi : 0xBF;
      if (b < min || b > max) return {false, r.code_points, i};
    }
    i += len;
    ++r.code_points;
  }
  return r;
}

inline std::string printable_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    const auto scan = utf8_scan(s);
    const std::size_t good = scan.valid ? s.size() : scan.bad_byte;
    out.append(s.substr(0, good));
    if (scan.valid) break;
    constexpr std::string_view hex = "0123456789ABCDEF";
    const auto b = static_cast<unsigned char>(s[good]);
    out += "\\x";
    out += hex[b >> 4U];
    out += hex[b & 0x0FU];
    s.remove_prefix(good + 1);
  }
  return out;
}

/// Maps offsets in the decoded contents of a JSON string literal to the offsets, in the text that
/// holds the literal, of the source characters that produced them. `literal_start` is the offset of
/// the literal's opening quote; the literal must be well-formed (it was accepted by the parser).
/// Successive calls with non-decreasing offsets continue where the previous one stopped, so
/// mapping all the diagnostics of a long string costs one pass over it (sort them first).
class string_offset_map {
 public:
  string_offset_map(std::string_view text, std::size_t literal_start) noexcept
      : text_(text), begin_(literal_start + 1), src_(begin_) {}

  [[nodiscard]] std::size_t operator()(std::size_t decoded_offset) noexcept {
    if (decoded_offset < decoded_) {  // backwards: start again
      src_ = begin_;
      decoded_ = 0;
    }
    while (src_ < text_.size() && text_[src_] != '"') {
      std::size_t src_len = 1;
      std::size_t out_len = 1;
      if (text_[src_] == '\\' && src_ + 1 < text_.size()) {
        src_len = 2;
        if (text_[src_ + 1] == 'u') {
          const unsigned cp = hex4(src_ + 2);
          src_len = 6;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            src_len = 12;  // a surrogate pair: \uD83D\uDE00
            out_len = 4;
          } else {
            out_len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : 3;
          }
        }
      }
      if (decoded_ + out_len > decoded_offset) return src_;
      decoded_ += out_len;
      src_ += src_len;
    }
    return src_ < text_.size() ? src_ : text_.size();
  }

 private:
  [[nodiscard]] unsigned hex4(std::size_t at) const noexcept {
    unsigned v = 0;
    for (std::size_t k = 0; k < 4 && at + k < text_.size(); ++k) {
      const char c = text_[at + k];
      v <<= 4U;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
    }
    return v;
  }

  std::string_view text_;
  std::size_t begin_;
  std::size_t src_;
  std::size_t decoded_ = 0;
};

/// One mapping with string_offset_map.
[[nodiscard]] inline std::size_t map_string_offset(std::string_view text, std::size_t literal_start,
                                                   std::size_t decoded_offset) noexcept {
  string_offset_map map(text, literal_start);
  return map(decoded_offset);
}

// ---------------------------------------------------------------------------------------------
// The reader
// ---------------------------------------------------------------------------------------------

struct json_read_options {
  std::size_t max_depth = 64;        ///< deepest allowed nesting of arrays and objects
  std::size_t max_values = 100'000;  ///< stored values; past this the text is refused
  /// When non-empty and the root is an object, only the root member of this name keeps the
  /// contents of its array/object; other root members that are containers are stored shallow
  /// (kind and position only). An AWS response's `previewResults` is thus never stored.
  std::string_view deep_root_member;
  /// When set, called as each stored array or object closes, with its member name in the parent
  /// object (empty for an array element and for the root) and its depth (0 for the root, 1 for a
  /// root member). Returning false drops the container's contents (its kind and position stay),
  /// and the dropped values stop counting against max_values, which then bounds the values held
  /// at any one time. A reader that needs a few parts of a large document keeps only those:
  /// parse_policy_sources() keeps the aws_ecr_lifecycle_policy resources of a Terraform plan.
  bool (*keep_container)(std::string_view key, const json_value& container,
                         std::size_t depth) = nullptr;
};

/// The outcome of read_json. `root` is set when the text is well-formed JSON within the limits
/// (duplicate keys are reported but do not unset it). Diagnostics carry `byte` (an offset into the
/// text) but no line or column yet: the caller places them, maybe in an enclosing file.
struct json_read_result {
  std::optional<json_value> root;
  std::vector<diagnostic> diagnostics;
};

namespace json_reader_impl {

/// A `const char*` that counts how far nlohmann's lexer has read, so that SAX events (which carry
/// no positions) can be placed in the text.
class counting_iterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  counting_iterator(const char* p, std::size_t* consumed) noexcept : p_(p), consumed_(consumed) {}
  reference operator*() const noexcept { return *p_; }
  counting_iterator& operator++() noexcept {
    ++p_;
    ++*consumed_;
    return *this;
  }
  counting_iterator operator++(int) noexcept {
    counting_iterator old = *this;
    ++*this;
    return old;
  }
  friend bool operator==(const counting_iterator& a, const counting_iterator& b) noexcept {
    return a.p_ == b.p_;
  }

 private:
  const char* p_;
  std::size_t* consumed_;
};

/// The nlohmann SAX handler that builds json_value trees.
class builder {
 public:
  using json = nlohmann::json;

  builder(std::string_view text, const std::size_t* consumed, const json_read_options& options)
      : text_(text), consumed_(consumed), options_(options) {
    // nlohmann skips a UTF-8 byte order mark; so must the position tracking.
    if (text.substr(0, 3) == "\xEF\xBB\xBF") last_end_ = 3;
  }

  [[nodiscard]] std::optional<json_value>& root() noexcept { return root_; }
  [[nodiscard]] std::vector<diagnostic>& diagnostics() noexcept { return diagnostics_; }
  [[nodiscard]] bool failed() const noexcept { return failed_; }

  // --- nlohmann SAX interface -----------------------------------------------------------------
  bool null() { return scalar(json_value{}); }
  bool boolean(bool v) {
    json_value j;
    j.kind = json_kind::boolean;
    j.boolean = v;
    return scalar(std::move(j));
  }
  bool number_integer(json::number_integer_t v) {
    json_value j;
    j.kind = json_kind::integer;
    j.integer = v;
    return scalar(std::move(j));
  }
  bool number_unsigned(json::number_unsigned_t v) {
    json_value j;
    j.kind = json_kind::unsigned_integer;
    j.unsigned_integer = v;
    return scalar(std::move(j));
  }
  bool number_float(json::number_float_t v, const json::string_t& literal) {
    json_value j;
    j.kind = json_kind::floating;
    j.floating = v;
    // nlohmann's lexer writes the C locale's decimal point into the token it hands over (so that
    // strtod reads it): under setlocale(LC_ALL, "de_DE.UTF-8") the literal of `1.0` is "1,0".
    // Spell it as in the JSON text, whatever the locale of the process.
    j.text = literal;
    for (char& c : j.text) {
      if ((c < '0' || c > '9') && c != 'e' && c != 'E' && c != '+' && c != '-') c = '.';
    }
    return scalar(std::move(j));
  }
  bool string(json::string_t& v) {
    json_value j;
    j.kind = json_kind::string;
    j.text = std::move(v);
    return scalar(std::move(j));
  }
  bool binary(json::binary_t& /*unused*/) { return true; }  // never produced by JSON text
  bool start_object(std::size_t /*unused*/) { return open(json_kind::object); }
  bool start_array(std::size_t /*unused*/) { return open(json_kind::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(json::string_t& k) {
    const std::size_t at = value_start();
    frame& f = frames_.back();
    f.key = std::move(k);
    f.drop_value = false;
    if (f.node != nullptr && !f.keys.insert(f.key).second) {
      f.drop_value = true;  // keep the first occurrence, report the second
      // The value of a repeated key is not stored, but it is counted: otherwise a file of
      // `"a":1,"a":1,...` would make millions of diagnostics out of values that cost nothing.
      if (++stored_ > options_.max_values) {
        too_many_values(at);
        return false;
      }
      diagnostic d;
      d.code = "policy.duplicate_key";
      d.pointer = current_pointer();
      d.message =
          "duplicate key \"" + shorten(f.key) + "\"; a JSON object must not repeat a member name";
      d.byte = at;
      diagnostics_.push_back(std::move(d));
    }
    return true;
  }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& e) {
    failed_ = true;
    diagnostic d;
    d.code = "policy.syntax";
    d.byte = position > 0 ? position - 1 : 0;
    if (d.byte > text_.size()) d.byte = text_.size();
    // nlohmann's what(): "[json.exception.parse_error.101] parse error at line 1, column 5:
    // syntax error while parsing value - ..."; keep the part after the position.
    std::string_view what = e.what();
    const std::size_t at = what.find("column ");
    const std::size_t colon = at == std::string_view::npos ? at : what.find(": ", at);
    if (colon != std::string_view::npos) {
      what.remove_prefix(colon + 2);
    } else if (const std::size_t bracket = what.find("] "); bracket != std::string_view::npos) {
      what.remove_prefix(bracket + 2);
    }
    // nlohmann quotes the token it was reading ("...; last read: '<token>'"), which can be a
    // whole unterminated 16 MiB string: keep its start.
    std::string message = printable_utf8(what);
    for (const std::string_view intro :
         {std::string_view{"last read: '"}, std::string_view{"parsing '"}}) {
      const std::size_t lr = message.find(intro);
      if (lr == std::string::npos) continue;
      const std::size_t from = lr + intro.size();
      const std::size_t to = message.rfind('\'');
      if (to != std::string::npos && to >= from) {
        message = message.substr(0, from) +
                  shorten(std::string_view(message).substr(from, to - from)) + message.substr(to);
      }
      break;
    }
    d.message = shorten(message, 400);
    diagnostics_.push_back(std::move(d));
    return false;
  }

 private:
  struct frame {
    json_value* node = nullptr;  ///< nullptr: the contents of this container are not stored
    bool is_object = false;
    std::size_t count = 0;  ///< arrays: elements started so far
    std::string key;        ///< objects: the member being read
    bool drop_value = false;
    std::unordered_set<std::string> keys;
    std::size_t stored_before = 0;  ///< stored_ once the container itself was stored
  };

  /// Offset of the value or key the lexer has just read: the first byte after the previous event
  /// that is not whitespace or a separator. (nlohmann reads one byte past a number; that byte can
  /// only be whitespace, a separator or a closing bracket, so it never hides a value's start.)
  [[nodiscard]] std::size_t value_start() {
    std::size_t i = last_end_;
    while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' ||
                                text_[i] == '\r' || text_[i] == ',' || text_[i] == ':')) {
      ++i;
    }
    last_end_ = *consumed_;
    return i;
  }

  [[nodiscard]] std::string current_pointer() const {
    std::string p;
    for (const frame& f : frames_) {
      p = f.is_object ? pointer_append(p, f.key) : pointer_append(p, f.count - 1);
    }
    return p;
  }

  /// Stores `v` under the current container; returns where, or nullptr when it is not stored.
  json_value* store(json_value v) {
    if (frames_.empty()) {
      root_ = std::move(v);
      ++stored_;
      return &*root_;
    }
    frame& parent = frames_.back();
    if (!parent.is_object) ++parent.count;
    if (parent.node == nullptr || (parent.is_object && parent.drop_value)) return nullptr;
    if (++stored_ > options_.max_values) {
      too_many_values(v.byte);
      return nullptr;
    }
    if (parent.is_object) {
      parent.node->members.push_back(json_member{parent.key, std::move(v)});
      return &parent.node->members.back().value;
    }
    parent.node->items.push_back(std::move(v));
    return &parent.node->items.back();
  }

  void too_many_values(std::size_t at) {
    failed_ = true;
    diagnostic d;
    d.code = "policy.too_many_values";
    d.pointer = current_pointer();
    d.message = "the document holds more than " + std::to_string(options_.max_values) +
                " JSON values; no lifecycle policy within ECR's 30,720-character limit comes close";
    d.byte = at;
    diagnostics_.push_back(std::move(d));
  }

  bool scalar(json_value v) {
    v.byte = value_start();
    store(std::move(v));
    return !failed_;
  }

  bool open(json_kind kind) {
    json_value v;
    v.kind = kind;
    v.byte = value_start();
    const std::size_t at = v.byte;
    // The contents of a root member other than deep_root_member are not needed: store shallow.
    const bool shallow = !options_.deep_root_member.empty() && frames_.size() == 1 &&
                         frames_.front().is_object &&
                         frames_.front().key != options_.deep_root_member;
    json_value* node = store(std::move(v));
    if (failed_) return false;
    frame f;
    f.node = shallow ? nullptr : node;
    f.is_object = kind == json_kind::object;
    f.stored_before = stored_;
    frames_.push_back(std::move(f));
    if (frames_.size() > options_.max_depth) {
      failed_ = true;
      diagnostic d;
      d.code = "policy.too_deep";
      d.pointer = current_pointer_of_container();
      d.message = "arrays and objects are nested more than " + std::to_string(options_.max_depth) +
                  " levels deep";
      d.byte = at;
      diagnostics_.push_back(std::move(d));
      return false;
    }
    return true;
  }

  /// Pointer of the container on top of the stack (current_pointer() minus its own token).
  [[nodiscard]] std::string current_pointer_of_container() const {
    std::string p;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      const frame& f = frames_[i];
      p = f.is_object ? pointer_append(p, f.key) : pointer_append(p, f.count - 1);
    }
    return p;
  }

  bool close() {
    last_end_ = *consumed_;
    const frame& f = frames_.back();
    if (options_.keep_container != nullptr && f.node != nullptr) {
      const std::size_t depth = frames_.size() - 1;
      const frame* parent = depth > 0 ? &frames_[depth - 1] : nullptr;
      const std::string_view key =
          parent != nullptr && parent->is_object ? std::string_view{parent->key} : std::string_view{};
      if (!options_.keep_container(key, *f.node, depth)) {
        stored_ = f.stored_before;
        std::vector<json_value>().swap(f.node->items);
        std::vector<json_member>().swap(f.node->members);
      }
    }
    frames_.pop_back();
    return true;
  }

  std::string_view text_;
  const std::size_t* consumed_;
  json_read_options options_;
  std::size_t last_end_ = 0;
  std::size_t stored_ = 0;
  bool failed_ = false;
  std::optional<json_value> root_;
  std::vector<frame> frames_;
  std::vector<diagnostic> diagnostics_;
};

}  // namespace json_reader_impl

/// Reads `text` (which must already be valid UTF-8) into a json_value tree. Never throws except
/// std::bad_alloc.
[[nodiscard]] inline json_read_result read_json(std::string_view text,
                                                const json_read_options& options = {}) {
  json_read_result result;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    diagnostic d;
    d.code = "policy.syntax";
    d.message = "the document is empty";
    d.byte = text.size();
    result.diagnostics.push_back(std::move(d));
    return result;
  }
  // nlohmann's lexer takes a NUL byte for the end of the input: `{...}\0garbage` would be read as
  // `{...}`. A NUL byte is never valid in JSON text (inside a string it must be written \u0000).
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    diagnostic d;
    d.code = "policy.syntax";
    d.message =
        "a NUL byte is not allowed in JSON text (inside a string write \\u0000; a UTF-16 file "
        "must be saved as UTF-8)";
    d.byte = nul;
    result.diagnostics.push_back(std::move(d));
    return result;
  }
  std::size_t consumed = 0;
  json_reader_impl::builder handler(text, &consumed, options);
  const json_reader_impl::counting_iterator first(text.data(), &consumed);
  const json_reader_impl::counting_iterator last(text.data() + text.size(), &consumed);
  bool ok = false;
  try {
    ok = nlohmann::json::sax_parse(first, last, &handler);
  } catch (const nlohmann::json::exception& e) {
    // sax_parse reports errors through parse_error(); this is only a safety net.
    diagnostic d;
    d.code = "policy.syntax";
    d.message = e.what();
    d.byte = consumed;
    handler.diagnostics().push_back(std::move(d));
    ok = false;
  }
  result.diagnostics = std::move(handler.diagnostics());
  if (ok && !handler.failed()) result.root = std::move(handler.root());
  return result;
}

}  // namespace ecrlp::detail
