// SPDX-License-Identifier: MIT
#pragma once

// What the evaluator derives from one tag's bytes to test it without reading it: the character
// signature (char_bit), the byte-pair buckets of the bit planes (bigram_hash) and the first 16
// bytes as two words (head_words). Internal to <ecrlp/evaluate.hpp>.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace ecrlp::detail {

/// Bit number of a character in a tag's character signature: one for each of [a-z], [A-Z],
/// [0-9] and '-', 63 for every other byte.
[[nodiscard]] constexpr unsigned char_bit_number(unsigned char u) noexcept {
  if (u >= 'a' && u <= 'z') return u - 'a';
  if (u >= 'A' && u <= 'Z') return 26U + (u - 'A');
  if (u >= '0' && u <= '9') return 52U + (u - '0');
  return u == '-' ? 62U : 63U;
}

/// char_bit_number of every byte: a table lookup instead of four branches per byte of every tag.
inline constexpr auto char_bit_numbers = [] {
  std::array<unsigned char, 256> t{};
  for (unsigned u = 0; u < 256; ++u) {
    t[u] = static_cast<unsigned char>(char_bit_number(static_cast<unsigned char>(u)));
  }
  return t;
}();

/// Bit of a character in a tag's character signature (char_bit_number).
[[nodiscard]] constexpr std::uint64_t char_bit(char c) noexcept {
  return std::uint64_t{1} << char_bit_numbers[static_cast<unsigned char>(c)];
}

/// Bucket (0..255) of the byte pair `a b` in an image's bigram signature.
[[nodiscard]] constexpr unsigned bigram_hash(unsigned char a, unsigned char b) noexcept {
  return ((static_cast<std::uint32_t>(a) << 8 | b) * 0x9E3779B1U) >> 24;
}

/// The first 16 bytes of a string, zero-padded, as two words (memory order).
struct head_words {
  std::uint64_t w0 = 0;
  std::uint64_t w1 = 0;
};

[[nodiscard]] inline head_words head_of(std::string_view s) noexcept {
  unsigned char bytes[16] = {};
  std::memcpy(bytes, s.data(), std::min<std::size_t>(s.size(), 16));
  head_words h;
  std::memcpy(&h.w0, bytes, 8);
  std::memcpy(&h.w1, bytes + 8, 8);
  return h;
}

/// Mask words selecting the first `n` (<= 16) bytes of head_words.
[[nodiscard]] inline head_words head_mask(std::size_t n) noexcept {
  unsigned char bytes[16] = {};
  std::memset(bytes, 0xFF, std::min<std::size_t>(n, 16));
  head_words h;
  std::memcpy(&h.w0, bytes, 8);
  std::memcpy(&h.w1, bytes + 8, 8);
  return h;
}

}  // namespace ecrlp::detail
