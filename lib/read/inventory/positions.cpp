// SPDX-License-Identifier: MIT
//
// Locating problems (positions.hpp). Only diagnostics call these: the cost is on the error path.

#include "read/inventory/positions.hpp"

#include <algorithm>
#include <cstring>

namespace ecrlp::read::ingest {

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


void line_counter::locate(std::size_t offset, std::size_t& line, std::size_t& column) {
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

}  // namespace ecrlp::read::ingest
