// SPDX-License-Identifier: MIT
#pragma once

// Private to lib/render: the one JSON printer of every JSON writer.

#include <ecrlp/time.hpp>

#include <nlohmann/json.hpp>

#include "render/output.hpp"

#include <cassert>
#include <charconv>
#include <cstddef>
#include <cstring>
#include <exception>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace ecrlp::writer {

/// A streaming JSON printer whose output is byte-identical to nlohmann's
/// `dump(indent, ' ', false, error_handler_t::replace)` of the same tree: members and elements
/// on their own lines, `"key": value`, empty containers as `{}` / `[]`, integers in decimal.
/// Strings of printable ASCII without `"` or `\\` (digests, tags, names) are copied as they are;
/// any other string is escaped by nlohmann itself, so escapes and invalid UTF-8 come out exactly
/// as before.
///
/// It writes into a buffer of its own with plain stores (a preview of 100k images is 47 MB of
/// text: a std::string append per token cost a third of `ecrlp preview`'s time) and hands each
/// full buffer on to its output (a string, or a stream), so that a large document never exists
/// whole in memory. finish() hands on the rest.
class json_writer {
 public:
  static constexpr std::size_t chunk_bytes = std::size_t{1} << 16;

  /// Writes the document to `out`, a buffer at a time.
  json_writer(output& out, std::size_t indent)
      : out_{out}, indent_{indent}, buffer_{new char[chunk_bytes]} {}
  json_writer(const json_writer&) = delete;
  json_writer& operator=(const json_writer&) = delete;
  /// Text still buffered here is lost: finish() must have been called (unless an exception is
  /// on its way out).
  ~json_writer() { assert(used_ == 0 || std::uncaught_exceptions() > 0); }

  /// Hands what is buffered on to the output.
  void finish() { drain(); }

  json_writer& begin_object() { return open('{'); }
  json_writer& end_object() { return close('}'); }
  json_writer& begin_array() { return open('['); }
  json_writer& end_array() { return close(']'); }

  /// Starts a member of the current object; its value follows.
  json_writer& key(std::string_view name) {
    element();
    quoted(name, ": ");
    after_key_ = true;
    return *this;
  }

  json_writer& string(std::string_view s) {
    element();
    quoted(s);
    return *this;
  }

  json_writer& timestamp(ecrlp::timestamp t) {
    using detail::format_timestamp_to;
    using detail::timestamp_chars;
    element();
    char* p = room(timestamp_chars + 2);
    *p = '"';
    char* end = format_timestamp_to(t, p + 1);
    *end++ = '"';
    used_ += static_cast<std::size_t>(end - p);
    return *this;
  }

  template <class Int>
  json_writer& number(Int v) {
    element();
    char* p = room(24);  // any 64-bit integer
    const auto [end, ec] = std::to_chars(p, p + 24, v);
    (void)ec;
    used_ += static_cast<std::size_t>(end - p);
    return *this;
  }

  /// A floating-point number as nlohmann prints it (shortest form that reads back; null when
  /// not finite).
  json_writer& real(double v) {
    element();
    put(nlohmann::ordered_json(v).dump());
    return *this;
  }

  json_writer& boolean(bool v) {
    element();
    put(v ? std::string_view{"true"} : std::string_view{"false"});
    return *this;
  }

  json_writer& null() {
    element();
    put("null");
    return *this;
  }

  /// An array of strings (`[]` when empty): a range of std::string or std::string_view.
  template <class Range>
  json_writer& strings(const Range& items) {
    begin_array();
    for (const auto& s : items) string(s);
    return end_array();
  }

 private:
  /// Most bytes room() hands out at once; longer text goes through put().
  static constexpr std::size_t small_bytes = 256;
  /// `,\n` and enough spaces to indent 31 levels by 4: one copy per separator.
  static constexpr std::string_view separator =
      ",\n                                                                "
      "                                                              ";

  [[nodiscard]] static bool plain(std::string_view s) noexcept {
    for (const char c : s) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u >= 0x7F || c == '"' || c == '\\') return false;
    }
    return true;
  }

  /// At least `n` (<= small_bytes) writable bytes at the end of the buffer; the caller adds what
  /// it wrote to used_.
  char* room(std::size_t n) {
    if (chunk_bytes - used_ < n) drain();
    return buffer_.get() + used_;
  }

  void put(std::string_view s) {
    if (s.size() <= chunk_bytes - used_) {
      std::memcpy(buffer_.get() + used_, s.data(), s.size());
      used_ += s.size();
      return;
    }
    drain();
    if (s.size() <= chunk_bytes) {
      std::memcpy(buffer_.get(), s.data(), s.size());
      used_ = s.size();
    } else {
      hand_on(s);
    }
  }

  void drain() {
    hand_on({buffer_.get(), used_});
    used_ = 0;
  }

  void hand_on(std::string_view s) {
    if (!s.empty()) out_.put(s);
  }

  /// Whitespace before a value: nothing after a key, else a separator and the indentation.
  void element() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (depth_ == 0) return;  // the root value
    newline(empty_ ? 1 : 0);
    empty_ = false;
  }

  /// `,\n` (from = 0) or `\n` (from = 1), then the indentation of the current depth.
  void newline(std::size_t from) {
    const std::size_t spaces = depth_ * indent_;
    if (spaces <= separator.size() - 2) {
      put(separator.substr(from, 2 - from + spaces));
    } else {
      put(separator.substr(from, 2 - from));
      put(std::string(spaces, ' '));
    }
  }

  json_writer& open(char bracket) {
    element();
    *room(1) = bracket;
    ++used_;
    ++depth_;
    empty_ = true;
    return *this;
  }

  json_writer& close(char bracket) {
    --depth_;
    if (!empty_) newline(1);
    *room(1) = bracket;
    ++used_;
    empty_ = false;
    return *this;
  }

  /// `s` as a JSON string, then `after` (text that needs no escaping, such as `": "`). Short
  /// plain strings, the common case, are one store run into the buffer.
  void quoted(std::string_view s, std::string_view after = "") {
    if (!plain(s)) {
      put(nlohmann::ordered_json(std::string(s))
              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    } else if (const std::size_t n = s.size() + 2 + after.size(); n <= small_bytes) {
      char* p = room(n);
      *p = '"';
      std::memcpy(p + 1, s.data(), s.size());
      p[s.size() + 1] = '"';
      std::memcpy(p + s.size() + 2, after.data(), after.size());
      used_ += n;
      return;
    } else {
      put("\"");
      put(s);
      put("\"");
    }
    put(after);
  }

  output& out_;
  std::size_t indent_;
  std::unique_ptr<char[]> buffer_;
  std::size_t used_ = 0;
  std::size_t depth_ = 0;
  bool empty_ = true;       // no element yet in the innermost open container
  bool after_key_ = false;  // a key was written; its value comes next, on the same line
};

}  // namespace ecrlp::writer
