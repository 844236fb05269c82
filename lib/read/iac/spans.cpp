// SPDX-License-Identifier: MIT
//
// Where the characters of a policy text are spelled in the file: the text_span lists of
// found_policy. A JSON string literal and a one-line quoted YAML scalar spell the text on one line
// with escapes (a span starts at each escape and after it); a literal block scalar (`|`) spells
// it over indented lines (a span per line). Every mapping is checked against the decoded text
// the parser gave; when the source does not spell it exactly so, or is spelled in a way not
// followed here (a folded `>` scalar, a quoted scalar over several lines), every offset maps to
// the value's start.

#include "read/iac/iac_read.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace ecrlp::detail::iac {
namespace {

/// The value of `digits` hexadecimal digits at `at` (0 for a non-digit: the parser accepted the
/// literal, so that never happens for JSON; for YAML the result is checked anyway).
[[nodiscard]] std::uint32_t hex_at(std::string_view s, std::size_t at, std::size_t digits) {
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < digits && at + k < s.size(); ++k) {
    const char c = s[at + k];
    v <<= 4U;
    if (c >= '0' && c <= '9') v |= static_cast<std::uint32_t>(c - '0');
    if (c >= 'a' && c <= 'f') v |= static_cast<std::uint32_t>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') v |= static_cast<std::uint32_t>(c - 'A' + 10);
  }
  return v;
}

[[nodiscard]] std::size_t utf8_length(std::uint32_t cp) noexcept {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/// Every offset at `at`.
[[nodiscard]] std::vector<text_span> inexact(const source_file& src, std::size_t at) {
  return {text_span{0, src.position(at), false}};
}

/// Builds the spans of text spelled on one line, between `first` and a closing delimiter, where
/// escapes take more source bytes than the text bytes they decode to.
class one_line_spans {
 public:
  one_line_spans(const source_file& src, std::size_t first) : start_(src.position(first)) {
    spans_.push_back({0, start_, true});
  }

  /// An escape at source byte `at`, `source_length` bytes long, decoding to `text_length` bytes.
  void escape(std::size_t at, std::size_t source_length, std::size_t text_length) {
    if (spans_.back().offset != decoded_) spans_.push_back({decoded_, here(at), true});
    decoded_ += text_length;
    spans_.push_back({decoded_, here(at + source_length), true});
  }
  /// A byte spelled as itself.
  void plain() noexcept { ++decoded_; }

  [[nodiscard]] std::size_t decoded() const noexcept { return decoded_; }
  [[nodiscard]] std::vector<text_span> take() { return std::move(spans_); }

 private:
  [[nodiscard]] source_position here(std::size_t byte) const noexcept {
    return {byte, start_.line, start_.column + (byte - start_.byte)};
  }

  source_position start_;
  std::vector<text_span> spans_;
  std::size_t decoded_ = 0;
};

/// True when the spans map `decoded` onto bytes of the file that spell it byte for byte, apart
/// from the escapes (which begin spans of their own and are skipped).
[[nodiscard]] bool plain_runs_match(std::string_view text, const std::vector<text_span>& spans,
                                    std::string_view decoded, std::string_view escapes_start) {
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const std::size_t from = spans[i].offset;
    const std::size_t to = i + 1 < spans.size() ? spans[i + 1].offset : decoded.size();
    const std::size_t at = spans[i].at.byte;
    if (from >= to) continue;
    if (escapes_start.find(text[at]) != std::string_view::npos) continue;  // an escape's span
    if (at + (to - from) > text.size() ||
        text.substr(at, to - from) != decoded.substr(from, to - from)) {
      return false;
    }
  }
  return true;
}

/// A YAML double-quoted escape at `at` (the backslash): sets its source and decoded lengths;
/// false for one not followed here.
[[nodiscard]] bool yaml_escape(std::string_view s, std::size_t at, std::size_t& source_length,
                               std::size_t& text_length) {
  if (at + 1 >= s.size()) return false;
  source_length = 2;
  switch (s[at + 1]) {
    case 'x':
      source_length = 4;
      text_length = utf8_length(hex_at(s, at + 2, 2));
      return true;
    case 'u':
      source_length = 6;
      text_length = utf8_length(hex_at(s, at + 2, 4));
      return true;
    case 'U':
      source_length = 10;
      text_length = utf8_length(hex_at(s, at + 2, 8));
      return true;
    case 'N':
    case '_':
      text_length = 2;  // U+0085, U+00A0
      return true;
    case 'L':
    case 'P':
      text_length = 3;  // U+2028, U+2029
      return true;
    default:
      text_length = 1;
      return std::string_view{"0abt\tnvfre \"/\\"}.find(s[at + 1]) != std::string_view::npos;
  }
}

/// A one-line quoted YAML scalar whose opening quote is at `quote`.
[[nodiscard]] std::vector<text_span> yaml_quoted(const source_file& src, std::size_t quote,
                                                 std::string_view decoded) {
  const std::string_view s = src.text();
  const char q = s[quote];
  one_line_spans b(src, quote + 1);
  std::size_t i = quote + 1;
  while (true) {
    if (i >= s.size() || s[i] == '\n' || s[i] == '\r') return inexact(src, quote);
    if (q == '\'' && s[i] == '\'') {
      if (i + 1 < s.size() && s[i + 1] == '\'') {
        b.escape(i, 2, 1);
        i += 2;
        continue;
      }
      break;
    }
    if (q == '"' && s[i] == '"') break;
    if (q == '"' && s[i] == '\\') {
      std::size_t source_length = 0;
      std::size_t text_length = 0;
      if (!yaml_escape(s, i, source_length, text_length)) return inexact(src, quote);
      b.escape(i, source_length, text_length);
      i += source_length;
      continue;
    }
    b.plain();
    ++i;
  }
  if (b.decoded() != decoded.size()) return inexact(src, quote);
  auto spans = b.take();
  const std::string_view escapes = q == '"' ? "\\" : "'";
  if (!plain_runs_match(s, spans, decoded, escapes)) return inexact(src, quote);
  return spans;
}

/// The end of the line that holds `at` (the '\n', or the end of the text), and the end of its
/// contents (before a '\r').
void line_end(std::string_view s, std::size_t at, std::size_t& newline, std::size_t& content_end) {
  newline = s.find('\n', at);
  if (newline == std::string_view::npos) newline = s.size();
  content_end = newline > at && s[newline - 1] == '\r' ? newline - 1 : newline;
}

/// A literal block scalar whose `|` is at `bar`: decoded line k is source line k after the
/// header, after the same indentation on every line that is not blank.
[[nodiscard]] std::vector<text_span> yaml_literal(const source_file& src, std::size_t bar,
                                                  std::string_view decoded) {
  const std::string_view s = src.text();
  std::size_t newline = 0;
  std::size_t content_end = 0;
  line_end(s, bar, newline, content_end);
  std::size_t line_start = newline + 1;  // the first content line
  std::vector<text_span> spans;
  std::size_t indent = std::string_view::npos;
  std::size_t offset = 0;
  while (offset < decoded.size()) {
    std::size_t eol = decoded.find('\n', offset);
    if (eol == std::string_view::npos) eol = decoded.size();
    const std::string_view line = decoded.substr(offset, eol - offset);
    if (line_start > s.size()) return inexact(src, bar);
    line_end(s, line_start, newline, content_end);
    const std::string_view source_line = s.substr(line_start, content_end - line_start);
    if (!line.empty()) {
      if (source_line.size() < line.size() ||
          source_line.substr(source_line.size() - line.size()) != line) {
        return inexact(src, bar);
      }
      const std::size_t prefix = source_line.size() - line.size();
      if (source_line.substr(0, prefix).find_first_not_of(' ') != std::string_view::npos) {
        return inexact(src, bar);
      }
      if (indent == std::string_view::npos) indent = prefix;
      if (prefix != indent) return inexact(src, bar);
      spans.push_back({offset, src.position(line_start + prefix), true});
    } else if (source_line.find_first_not_of(' ') != std::string_view::npos) {
      return inexact(src, bar);
    }
    offset = eol + 1;
    line_start = newline + 1;
  }
  if (spans.empty()) return inexact(src, bar);
  if (spans.front().offset != 0) {  // leading blank lines: at the first line's start
    spans.insert(spans.begin(), text_span{0, spans.front().at, false});
  }
  return spans;
}

}  // namespace

std::vector<text_span> json_string_spans(const source_file& src, std::size_t quote,
                                         std::size_t decoded_size) {
  const std::string_view s = src.text();
  if (decoded_size > max_mapped_text || quote >= s.size() || s[quote] != '"') {
    return inexact(src, quote);
  }
  one_line_spans b(src, quote + 1);
  std::size_t i = quote + 1;
  while (i < s.size() && s[i] != '"') {
    if (s[i] != '\\') {
      b.plain();
      ++i;
      continue;
    }
    std::size_t source_length = 2;
    std::size_t text_length = 1;
    if (i + 1 < s.size() && s[i + 1] == 'u') {
      const std::uint32_t cp = hex_at(s, i + 2, 4);
      source_length = 6;
      text_length = utf8_length(cp);
      if (cp >= 0xD800 && cp <= 0xDBFF) {  // a surrogate pair: \uD83D\uDE00
        source_length = 12;
        text_length = 4;
      }
    }
    b.escape(i, source_length, text_length);
    i += source_length;
  }
  if (b.decoded() != decoded_size) return inexact(src, quote);
  return b.take();
}

std::vector<text_span> yaml_scalar_spans(const source_file& src, std::size_t start,
                                         std::string_view decoded) {
  const std::string_view s = src.text();
  if (decoded.size() > max_mapped_text || start >= s.size()) return inexact(src, start);
  // Skip the node's properties: a tag (`!Sub`, `!!str`, `!<...>`) and an anchor (`&name`).
  std::size_t p = start;
  while (p < s.size() && (s[p] == '!' || s[p] == '&')) {
    while (p < s.size() && s[p] != ' ' && s[p] != '\t' && s[p] != '\n' && s[p] != '\r') ++p;
    while (p < s.size() && (s[p] == ' ' || s[p] == '\t')) ++p;
  }
  if (p >= s.size()) return inexact(src, start);
  switch (s[p]) {
    case '|':
      return yaml_literal(src, p, decoded);
    case '\'':
    case '"':
      return yaml_quoted(src, p, decoded);
    case '>':
      return inexact(src, p);
    default:
      if (s.substr(p, decoded.size()) == decoded) return {text_span{0, src.position(p), true}};
      return inexact(src, p);
  }
}

std::vector<text_span> source_file::spans_of(const json_value& node) const {
  return yaml_ ? yaml_scalar_spans(*this, node.byte, node.text)
               : json_string_spans(*this, node.byte, node.text.size());
}

}  // namespace ecrlp::detail::iac
