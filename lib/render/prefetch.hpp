// SPDX-License-Identifier: MIT
#pragma once

// The writers that list every image in age order (JSON and CSV previews) visit the images out of
// their memory order; this asks for what comes next ahead of its use.

#include <cstddef>
#include <span>
#include <vector>

#include <ecrlp/image.hpp>

#include "support/memory.hpp"

namespace ecrlp::writer {

/// Before writing the image at order[k]: the images 8 places on, then the digest text and the tag
/// array of those 4 places on (tags of up to 15 bytes are inside the array's strings), or every
/// image costs a few misses to memory.
inline void prefetch_ahead(std::span<const image> images, const std::vector<std::size_t>& order,
                           std::size_t k) noexcept {
  if (k + 8 < order.size() && order[k + 8] < images.size()) {
    const auto* ahead = reinterpret_cast<const char*>(&images[order[k + 8]]);
    support::prefetch(ahead);
    support::prefetch(ahead + 64);
  }
  if (k + 4 < order.size() && order[k + 4] < images.size()) {
    const image& ahead = images[order[k + 4]];
    support::prefetch(ahead.digest.data());
    if (!ahead.tags.empty()) support::prefetch(ahead.tags.data());
  }
}

}  // namespace ecrlp::writer
