// SPDX-License-Identifier: MIT
#pragma once

// Where a writer's text goes: appended to a string, or written to a stream 64 KiB at a time, so
// that a large document (a 100k-image preview is 47 MB of JSON, an explanation of every image
// 250 MB) never exists whole in memory. Every writer writes through one of these.

#include <cstddef>
#include <iterator>
#include <ostream>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "support/memory.hpp"

namespace ecrlp::writer {

class output {
 public:
  static constexpr std::size_t chunk_bytes = std::size_t{1} << 16;

  /// Appends to `text`.
  explicit output(std::string& text) : text_{&text} {}
  /// Writes to `stream`, a chunk at a time.
  explicit output(std::ostream& stream) : stream_{&stream} { buffer_.reserve(chunk_bytes); }
  output(const output&) = delete;
  output& operator=(const output&) = delete;
  ~output() { finish(); }

  /// The text written so far and not handed on yet, to append to in place (then call
  /// flush_if_full()). For a string target, the string itself.
  [[nodiscard]] std::string& buffer() noexcept { return text_ != nullptr ? *text_ : buffer_; }

  void put(std::string_view s) {
    if (text_ != nullptr) {
      text_->append(s);
      return;
    }
    if (buffer_.size() + s.size() > chunk_bytes) drain();
    if (buffer_.empty() && s.size() >= chunk_bytes / 2) {
      write(s);  // a large piece (a JSON writer's full buffer) goes on without a copy
      return;
    }
    buffer_.append(s);
  }

  void put(char c) {
    buffer().push_back(c);
    flush_if_full();
  }

  /// fmt::format_to() into the output.
  template <class... T>
  void format(fmt::format_string<T...> f, T&&... args) {
    fmt::format_to(std::back_inserter(buffer()), f, std::forward<T>(args)...);
    flush_if_full();
  }

  /// Room for `bytes` more when writing to a string (a stream target needs none): a large document
  /// is then written into one allocation, its pages backed by huge pages where the system can.
  void reserve(std::size_t bytes) {
    if (text_ == nullptr) return;
    text_->reserve(text_->size() + bytes);
    support::advise_huge_pages(text_->data(), text_->capacity());
  }

  /// Hands what is buffered on when a chunk is full (a no-op for a string target).
  void flush_if_full() {
    if (text_ == nullptr && buffer_.size() >= chunk_bytes) drain();
  }

  /// Hands everything buffered on.
  void finish() {
    if (text_ == nullptr) drain();
  }

 private:
  void drain() {
    write(buffer_);
    buffer_.clear();
  }

  void write(std::string_view s) {
    if (!s.empty()) stream_->write(s.data(), static_cast<std::streamsize>(s.size()));
  }

  std::string* text_ = nullptr;
  std::ostream* stream_ = nullptr;
  std::string buffer_;
};

}  // namespace ecrlp::writer
