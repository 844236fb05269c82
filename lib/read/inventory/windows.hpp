// SPDX-License-Identifier: MIT
#pragma once

// Private (lib/read/inventory): windowed parsing of large pages (windows.cpp tells how it works).

#include "read/inventory/limits.hpp"
#include "read/inventory/load_state.hpp"
#include "read/inventory/text_source.hpp"

#include "support/memory.hpp"

#include <cstddef>
#include <memory>
#include <new>
#include <string_view>

namespace ecrlp::read::ingest {

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

/// Parses one page held in `source` in windows when it is large enough; false when it must be
/// parsed whole (the load state is then as it was before).
[[nodiscard]] bool parse_windowed(load_state& st, od::parser& parser, window_buffer& buffer,
                                  std::string_view name, text_source& source,
                                  const window_options& options);

}  // namespace ecrlp::read::ingest
