// SPDX-License-Identifier: MIT
#pragma once

// The layout of the bit planes of a prepared inventory (signature_plane), one image's row of them
// (signature_row), and the 64 x 64 bit transposition that turns rows into planes.
// Internal to <ecrlp/evaluate.hpp>.

#include <bit>
#include <cstddef>
#include <cstdint>

namespace ecrlp::detail {

/// The bit planes of a prepared inventory. Plane p holds, for every image, whether its tags
/// have property p: some tag starts with a character of char_bit p (firsts), or some tag
/// contains a byte pair of bigram_hash p - bigrams. A list entry needs some of these properties
/// in any image it identifies, so ANDing those planes rules out 64 images a word before any tag
/// is read. (256 bigram buckets: with 128, the multi-star patterns of the benchmark let about
/// twice as many images through to the tag test.)
struct signature_plane {
  static constexpr std::size_t firsts = 0;
  static constexpr std::size_t bigrams = 64;
  static constexpr std::size_t count = 64 + 256;
};
static_assert(signature_plane::firsts == 0 && signature_plane::bigrams == 64 &&
                  signature_plane::count == 64 + 256,
              "prepared_inventory fills the words of a signature_row one by one");

/// One image's signature: bit p of the row is its bit in plane p. Zero it with `{}`.
struct signature_row {
  static constexpr std::size_t size = signature_plane::count / 64;
  std::uint64_t words[size];

  void set(std::size_t plane) noexcept { words[plane / 64] |= std::uint64_t{1} << (plane % 64); }
  /// Calls f(plane) for every plane set, in increasing order.
  template <class F>
  void for_each(F f) const {
    for (std::size_t w = 0; w < size; ++w) {
      for (std::uint64_t x = words[w]; x != 0; x &= x - 1) {
        f(w * 64 + static_cast<std::size_t>(std::countr_zero(x)));
      }
    }
  }
};

/// Transposes a 64 x 64 bit matrix in place: bit j of a[i] becomes bit i of a[j]. Swaps ever
/// smaller blocks (32, 16, ... 1 bits): 6 x 32 word operations instead of one per set bit.
inline void transpose_bits(std::uint64_t (&a)[64]) noexcept {
  constexpr std::uint64_t masks[] = {0x00000000FFFFFFFFULL, 0x0000FFFF0000FFFFULL,
                                     0x00FF00FF00FF00FFULL, 0x0F0F0F0F0F0F0F0FULL,
                                     0x3333333333333333ULL, 0x5555555555555555ULL};
  unsigned s = 32;
  for (const std::uint64_t m : masks) {
    for (unsigned i = 0; i < 64; i = (i + s + 1) & ~s) {  // rows i with bit s clear
      const std::uint64_t t = ((a[i] >> s) ^ a[i + s]) & m;
      a[i + s] ^= t;
      a[i] ^= t << s;
    }
    s /= 2;
  }
}

}  // namespace ecrlp::detail
