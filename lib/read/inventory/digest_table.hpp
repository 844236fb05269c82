// SPDX-License-Identifier: MIT
#pragma once

// Private (lib/read/inventory): the duplicate-digest check of one load, over all its pages.

#include <ecrlp/image.hpp>

#include "support/memory.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>
#include <vector>

namespace ecrlp::read::ingest {

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

}  // namespace ecrlp::read::ingest
