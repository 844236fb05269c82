// SPDX-License-Identifier: MIT
#pragma once

// Invariant checks shared by the fuzz targets: a violated invariant aborts, so libFuzzer keeps the
// input as a crash just as it does for a sanitizer report.

#include <ecrlp/diagnostic.hpp>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace ecrlp::fuzz {

[[noreturn]] inline void fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz invariant violated: %s %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

inline void require(bool ok, const char* what, std::string_view detail = {}) {
  if (!ok) fail(what, detail);
}

/// Strict UTF-8: messages are printed to terminals and embedded in JSON.
inline bool valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (b < 0x80) {
      len = 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if (c < (k == 1 ? lo : 0x80) || c > (k == 1 ? hi : 0xBF)) return false;
    }
    i += len;
  }
  return true;
}

/// What every diagnostic of a document of `size` bytes named `file` must satisfy.
inline void check_diagnostics(const std::vector<diagnostic>& diags, std::string_view file,
                              std::size_t size) {
  for (const auto& d : diags) {
    require(!d.code.empty(), "diagnostic without a code", d.message);
    require(!d.message.empty(), "diagnostic without a message", d.code);
    require(d.file == file, "diagnostic names another file", d.file);
    require(d.pointer.empty() || d.pointer.front() == '/', "pointer is not RFC 6901", d.pointer);
    require(d.byte <= size, "diagnostic byte beyond the end of the input", d.code);
    if (d.line != 0) require(d.column != 0, "line without a column", d.code);
    // A message is for a person: bounded, whatever the size of the input. (validate.hpp quotes
    // a tag pattern with too many wildcards whole; a pattern is part of a valid-length policy.)
    const std::size_t bound =
        d.code == "selection.tag_pattern.too_many_wildcards" ? 4096 + size : 4096;
    require(d.message.size() <= bound, "message longer than 4096 bytes", d.code);
    require(valid_utf8(d.message), "message is not valid UTF-8", d.code);
  }
}

/// Two runs over the same input give the same diagnostics.
inline void check_same(const std::vector<diagnostic>& a, const std::vector<diagnostic>& b) {
  require(a.size() == b.size(), "a second parse gave another number of diagnostics");
  for (std::size_t i = 0; i < a.size(); ++i) {
    require(a[i].code == b[i].code && a[i].pointer == b[i].pointer && a[i].byte == b[i].byte &&
                a[i].line == b[i].line && a[i].column == b[i].column &&
                a[i].message == b[i].message && a[i].level == b[i].level,
            "a second parse gave other diagnostics", a[i].code);
  }
}

}  // namespace ecrlp::fuzz
