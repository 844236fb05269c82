// SPDX-License-Identifier: MIT
#pragma once

// Private (lib/read/inventory): where the bytes of a page come from. A page is read by file offset
// from a text_source: the whole text in memory (parse_inventory, standard input, a mapped file), or
// an open file read with pread() (windowed parsing keeps only a window of it in memory). What is
// being parsed (a whole page, a window, a skeleton) is mapped back to those offsets by a
// segment_map, so that every diagnostic gives the place in the input.

#include "read/input.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace ecrlp::read::ingest {

/// Random access to the bytes of one input, by file offset.
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

/// A text in memory.
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

/// A regular file, read with pread() through read::input_file.
class file_source final : public text_source {
 public:
  explicit file_source(ecrlp::read::input_file& file) noexcept : file_{&file} {}
  [[nodiscard]] std::size_t size() const noexcept override { return file_->size(); }
  std::size_t read(std::size_t offset, char* out, std::size_t n) noexcept override {
    return file_->read_at(offset, out, n);
  }

 private:
  ecrlp::read::input_file* file_;
};

/// Where the parts of the text being parsed lie in the input: one part for a whole page or a
/// window, two for a skeleton (the page's head, then what follows its ImageDetail array).
class segment_map {
 public:
  /// The text is the input's bytes from `offset` on.
  void set(const char* begin, std::size_t size, std::size_t offset) noexcept {
    segments_[0] = segment{begin, begin + size, offset};
    count_ = 1;
  }
  /// The text is [begin, split) from offset 0, then [split, end) from `tail_offset`.
  void set_two(const char* begin, const char* split, const char* end,
               std::size_t tail_offset) noexcept {
    segments_[0] = segment{begin, split, 0};
    segments_[1] = segment{split, end, tail_offset};
    count_ = 2;
  }
  void clear() noexcept { count_ = 0; }

  /// Where the first part starts (a window's text may start before it, with a made-up `[0`).
  [[nodiscard]] const char* first_begin() const noexcept { return segments_[0].begin; }

  /// The input offset of a pointer into the text, if it points into a part of the input.
  [[nodiscard]] std::optional<std::size_t> input_offset(const char* at) const noexcept {
    for (std::size_t i = count_; i-- > 0;) {
      const segment& s = segments_[i];
      if (at >= s.begin && at <= s.end) return s.offset + static_cast<std::size_t>(at - s.begin);
    }
    return std::nullopt;
  }

 private:
  struct segment {
    const char* begin;
    const char* end;  // inclusive: a pointer just past the last byte maps too
    std::size_t offset;
  };
  std::array<segment, 2> segments_{};
  std::size_t count_ = 0;
};

}  // namespace ecrlp::read::ingest
