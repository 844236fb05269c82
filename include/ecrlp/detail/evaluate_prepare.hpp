// SPDX-License-Identifier: MIT
#pragma once

// What prepared_inventory holds: per image, in age order, flat arrays of what the rules read
// (reference times, size, storage class, flags, tag ranges), the tags' heads and signatures, and
// bitsets over that order (storage classes, tagged images, the signature planes), and how they
// are built in one pass over the images. Internal to <ecrlp/evaluate.hpp>.

#include <ecrlp/detail/evaluate_order.hpp>
#include <ecrlp/detail/evaluate_planes.hpp>
#include <ecrlp/detail/memory.hpp>
#include <ecrlp/detail/tag_signature.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace ecrlp::detail {

/// Storage-class code per image: 0 standard, 1 archive, 2 selected by no rule (ACTIVATING).
[[nodiscard]] constexpr unsigned char class_code(image_status s) noexcept {
  const auto sc = storage_class_of(s);
  if (!sc) return 2;
  return *sc == storage_class::archive ? 1 : 0;
}

/// Words of the bit planes, or of the images' signature rows, one array per word of a
/// signature_row. Separate arrays rather than one keep every allocation at 8 bytes an image (8 MB
/// at 1M images): under the 32 MiB up to which the ecrlp command serves blocks from its heap in
/// huge pages (lib/cli/main.cpp), where one array of 40 bytes an image would be a fresh mapping
/// faulted in 4 KiB at a time.
using plane_columns = std::array<large_vector<std::uint64_t>, signature_row::size>;

/// The arrays of a prepared_inventory (see there). Built once, then only read.
struct prepared_arrays {
  static constexpr unsigned has_archive_time = 4;  // meta: lastArchivedAt present
  static constexpr unsigned status_archived = 8;   // meta: imageStatus ARCHIVED
  static constexpr unsigned has_tags = 16;         // meta: at least one tag

  struct tag_range {
    std::size_t begin;
    std::size_t end;
  };

  std::span<const image> images;
  std::vector<std::size_t> order;  // input indices oldest -> newest (age_order)
  bool has_referrers = false;
  // Per input index: its position in age order (order[position[i]] == i).
  large_vector<std::size_t> position;
  // Per position in age order (index k <-> images[order[k]]):
  large_vector<std::int64_t> ref;          // reference_time, microseconds
  large_vector<std::int64_t> pull_ref;     // pull_reference_time, microseconds
  large_vector<std::int64_t> archived_at;  // lastArchivedAt (with has_archive_time)
  large_vector<std::uint64_t> size_bytes;  // imageSizeInBytes
  large_vector<unsigned char> meta;        // class_code | has_archive_time | ...
  large_vector<tag_range> tags_of;         // the image's tags in the tag arrays
  // Per tag, the images' tags one after another, in input order. Tags of up to 16 bytes are
  // entirely in tag_w0/tag_w1, so that matching them never reads the images' own memory.
  large_vector<const std::string*> tag_string;
  large_vector<std::size_t> tag_size;
  large_vector<std::uint64_t> tag_w0;     // bytes 0..7, zero-padded
  large_vector<std::uint64_t> tag_w1;     // bytes 8..15, zero-padded
  large_vector<std::uint64_t> tag_chars;  // OR of char_bit over the tag
  // Bitsets by position (bit k % 64 of word k / 64): storage class STANDARD, ARCHIVE; tagged.
  std::size_t words = 0;
  large_vector<std::uint64_t> standard_bits;
  large_vector<std::uint64_t> archive_bits;
  large_vector<std::uint64_t> tagged_bits;
  // signature_plane::count bitsets by position (`words` words each), one array per word of a
  // signature_row (64 planes each), each 8 bytes an image: see plane_columns.
  plane_columns planes;

  /// Sorts and indexes `in` (linear in their number and total tag length, plus the sort).
  explicit prepared_arrays(std::span<const image> in) : images{in}, order{age_order(in)} {
    const std::size_t n = in.size();
    position.resize(n);
    for (std::size_t k = 0; k < n; ++k) position[order[k]] = k;
    const plane_columns rows = scatter();
    words = (n + 63) / 64;
    fill_class_bits();
    fill_planes(rows);
  }

  /// Plane p (signature_plane): `words` words.
  [[nodiscard]] const std::uint64_t* plane(std::size_t p) const noexcept {
    return planes[p / 64].data() + (p % 64) * words;
  }

 private:
  /// One pass over the images, in input order: their tags are copied in that order, one after
  /// another, and everything else is written to their positions in age order. Random writes into
  /// these arrays are much cheaper than random reads of the images, which miss the cache and the
  /// TLB once per image and tag. Returns each image's signature row, by position, a column per
  /// word.
  [[nodiscard]] plane_columns scatter() {
    const std::size_t n = images.size();
    ref.resize(n);
    pull_ref.resize(n);
    archived_at.resize(n);
    size_bytes.resize(n);
    meta.resize(n);
    tags_of.resize(n);
    std::size_t total_tags = 0;
    for (const image& img : images) total_tags += img.tags.size();
    tag_string.resize(total_tags);
    tag_size.resize(total_tags);
    tag_w0.resize(total_tags);
    tag_w1.resize(total_tags);
    tag_chars.resize(total_tags);
    plane_columns rows;
    for (auto& column : rows) column.resize(n);
    std::size_t t = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const image& img = images[i];
      const std::size_t k = position[i];
      ref[k] = reference_time(img).time_since_epoch().count();
      pull_ref[k] = pull_reference_time(img).time_since_epoch().count();
      archived_at[k] = img.last_archived_at ? img.last_archived_at->time_since_epoch().count() : 0;
      size_bytes[k] = img.size_bytes;
      meta[k] = static_cast<unsigned char>(
          class_code(img.status) | (img.last_archived_at ? has_archive_time : 0U) |
          (img.status == image_status::archived ? status_archived : 0U) |
          (img.tags.empty() ? 0U : has_tags));
      has_referrers = has_referrers || !img.subject_digest.empty();
      tags_of[k] = {t, t + img.tags.size()};
      const signature_row row = add_tags(img, t);
      for (std::size_t w = 0; w < signature_row::size; ++w) rows[w][k] = row.words[w];
      t += img.tags.size();
    }
    return rows;
  }

  /// Copies the heads and signatures of `img`'s tags to the tag arrays from `t` on; returns the
  /// image's signature row.
  [[nodiscard]] signature_row add_tags(const image& img, std::size_t t) noexcept {
    std::uint64_t firsts = 0;
    std::uint64_t pairs[4] = {};  // the row's bigram words
    for (const auto& tag : img.tags) {
      const auto head = head_of(tag);
      const auto* bytes = reinterpret_cast<const unsigned char*>(tag.data());
      const std::size_t length = tag.size();
      std::uint64_t chars = 0;
      for (std::size_t b = 0; b < length; ++b) chars |= char_bit(tag[b]);
      for (std::size_t b = 1; b < length; ++b) {
        const unsigned h = bigram_hash(bytes[b - 1], bytes[b]);
        pairs[h / 64] |= std::uint64_t{1} << (h % 64);
      }
      if (length != 0) firsts |= char_bit(tag.front());
      tag_string[t] = &tag;
      tag_size[t] = length;
      tag_w0[t] = head.w0;
      tag_w1[t] = head.w1;
      tag_chars[t] = chars;
      ++t;
    }
    signature_row row{};
    row.words[signature_plane::firsts / 64] = firsts;
    for (std::size_t w = 0; w < 4; ++w) row.words[signature_plane::bigrams / 64 + w] = pairs[w];
    return row;
  }

  /// The storage-class and tagged bitsets, from meta.
  void fill_class_bits() {
    standard_bits.assign(words, 0);
    archive_bits.assign(words, 0);
    tagged_bits.assign(words, 0);
    for (std::size_t k = 0; k < meta.size(); ++k) {
      const std::size_t j = k / 64;
      const std::uint64_t bit = std::uint64_t{1} << (k % 64);
      const unsigned m = meta[k];
      if ((m & 3U) == 0) standard_bits[j] |= bit;
      if ((m & 3U) == 1) archive_bits[j] |= bit;
      if ((m & has_tags) != 0) tagged_bits[j] |= bit;
    }
  }

  /// The rows of 64 images at a time, transposed into the planes: 64 images a word, so that a
  /// rule tests 64 images with one AND.
  void fill_planes(const plane_columns& rows) {
    const std::size_t n = images.size();
    for (std::size_t w = 0; w < signature_row::size; ++w) {
      large_vector<std::uint64_t>& out = planes[w];
      out.resize(64 * words);
      for (std::size_t j = 0; j < words; ++j) {
        const std::size_t rows_here = std::min<std::size_t>(64, n - j * 64);
        std::uint64_t block[64] = {};
        std::copy_n(rows[w].data() + j * 64, rows_here, block);
        transpose_bits(block);
        for (std::size_t b = 0; b < 64; ++b) out[b * words + j] = block[b];
      }
    }
  }
};

}  // namespace ecrlp::detail
