// SPDX-License-Identifier: MIT
#pragma once

// The orders an evaluation works in: rules by priority (priority_order), images oldest to newest
// by (reference time, digest, input position) (age_order, a radix sort on the reference time).
// Internal to <ecrlp/evaluate.hpp>.

#include <ecrlp/detail/memory.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/time.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <utility>
#include <vector>

namespace ecrlp::detail {

/// Rule indices sorted by (priority, document position): the order rules are applied in.
[[nodiscard]] inline std::vector<std::size_t> priority_order(const lifecycle_policy& policy) {
  std::vector<std::size_t> idx(policy.rules.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    return policy.rules[a].priority < policy.rules[b].priority;
  });
  return idx;
}

/// Sort key of a reference time: the microsecond count with its sign bit flipped, so that unsigned
/// order is time order.
[[nodiscard]] constexpr std::uint64_t time_key(timestamp t) noexcept {
  return static_cast<std::uint64_t>(t.time_since_epoch().count()) ^ (std::uint64_t{1} << 63);
}

/// An input index with its sort key.
struct keyed_index {
  std::uint64_t key;
  std::uint32_t index;
};

/// Stable LSD radix sort by key (11-bit digits; digits that are equal in every key are skipped):
/// a handful of linear passes instead of n log n comparisons.
inline void radix_sort(large_vector<keyed_index>& items) {
  constexpr unsigned digit_bits = 11;
  constexpr std::size_t buckets = std::size_t{1} << digit_bits;
  constexpr unsigned passes = (64 + digit_bits - 1) / digit_bits;
  const std::size_t n = items.size();
  if (n < 2) return;
  std::vector<std::size_t> counts(passes * buckets, 0);
  for (const auto& it : items) {
    for (unsigned p = 0; p < passes; ++p) {
      ++counts[p * buckets + ((it.key >> (p * digit_bits)) & (buckets - 1))];
    }
  }
  large_vector<keyed_index> scratch(n);
  for (unsigned p = 0; p < passes; ++p) {
    std::size_t* c = counts.data() + p * buckets;
    if (*std::max_element(c, c + buckets) == n) continue;  // one value: nothing to reorder
    std::size_t sum = 0;
    for (std::size_t b = 0; b < buckets; ++b) sum += std::exchange(c[b], sum);
    for (const auto& it : items) scratch[c[(it.key >> (p * digit_bits)) & (buckets - 1)]++] = it;
    items.swap(scratch);
  }
}

/// Input indices ordered oldest -> newest by (reference time, digest, input position) (ecrlp
/// decision 2).
[[nodiscard]] inline std::vector<std::size_t> age_order(std::span<const image> images) {
  const std::size_t n = images.size();
  std::vector<std::size_t> idx(n);
  const auto by_digest = [&](std::size_t a, std::size_t b) {
    const int c = images[a].digest.compare(images[b].digest);
    return c != 0 ? c < 0 : a < b;
  };
  if (n > std::numeric_limits<std::uint32_t>::max()) {
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
      const timestamp ra = reference_time(images[a]);
      const timestamp rb = reference_time(images[b]);
      return ra != rb ? ra < rb : by_digest(a, b);
    });
    return idx;
  }
  large_vector<keyed_index> items(n);
  for (std::size_t i = 0; i < n; ++i) {
    items[i] = keyed_index{time_key(reference_time(images[i])), static_cast<std::uint32_t>(i)};
  }
  radix_sort(items);  // stable: equal times stay in input order
  for (std::size_t k = 0; k < n; ++k) idx[k] = items[k].index;
  // Equal reference times: by digest, then input position.
  for (std::size_t k = 1; k < n;) {
    if (items[k].key != items[k - 1].key) {
      ++k;
      continue;
    }
    std::size_t end = k + 1;
    while (end < n && items[end].key == items[k].key) ++end;
    std::sort(idx.begin() + static_cast<std::ptrdiff_t>(k - 1),
              idx.begin() + static_cast<std::ptrdiff_t>(end), by_digest);
    k = end;
  }
  return idx;
}

}  // namespace ecrlp::detail
