// SPDX-License-Identifier: MIT
#pragma once

/// Totals of an evaluation: images, bytes and scan findings before and after (header-only).

#include <cstddef>
#include <cstdint>
#include <span>

#include <ecrlp/evaluate.hpp>
#include <ecrlp/image.hpp>

namespace ecrlp {

/// Images, bytes and scan findings of a set of images.
struct image_totals {
  std::size_t images = 0;   ///< number of images
  std::uint64_t bytes = 0;  ///< sum of imageSizeInBytes
  finding_counts findings;  ///< sum of scan findings (unscanned images add none)

  /// Counts one more image.
  constexpr void add(const image& img) noexcept {
    ++images;
    bytes += img.size_bytes;
    if (img.findings) findings += *img.findings;
  }
};

/// Before/after view of an evaluation: what the repository holds now, what leaves, what stays.
struct preview_totals {
  image_totals before;        ///< every image
  image_totals expired;       ///< deleted
  image_totals transitioned;  ///< moved to archive (still in the repository)
  image_totals kept;          ///< untouched
  image_totals after;         ///< kept + transitioned
  image_totals after_standard;  ///< after, in the standard storage class
  image_totals after_archive;   ///< after, in the archive storage class
};

/// Computes preview_totals from an evaluation. `result` must come from evaluate(policy, images, ...).
[[nodiscard]] inline preview_totals summarize(std::span<const image> images,
                                              const evaluation_result& result) {
  preview_totals t;
  for (std::size_t i = 0; i < images.size(); ++i) {
    const image& img = images[i];
    t.before.add(img);
    switch (result.decisions[i].action) {
      case fate::expire:
        t.expired.add(img);
        continue;
      case fate::transition:
        t.transitioned.add(img);
        t.after_archive.add(img);
        break;
      case fate::keep:
        t.kept.add(img);
        if (img.status == image_status::archived) {
          t.after_archive.add(img);
        } else {
          t.after_standard.add(img);
        }
        break;
    }
    t.after.add(img);
  }
  return t;
}

/// Adds `b` to `a`, field by field.
constexpr image_totals& operator+=(image_totals& a, const image_totals& b) noexcept {
  a.images += b.images;
  a.bytes += b.bytes;
  a.findings += b.findings;
  return a;
}

/// Adds `b` to `a`, field by field.
constexpr preview_totals& operator+=(preview_totals& a, const preview_totals& b) noexcept {
  a.before += b.before;
  a.expired += b.expired;
  a.transitioned += b.transitioned;
  a.kept += b.kept;
  a.after += b.after;
  a.after_standard += b.after_standard;
  a.after_archive += b.after_archive;
  return a;
}

}  // namespace ecrlp
