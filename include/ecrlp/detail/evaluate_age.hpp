// SPDX-License-Identifier: MIT
#pragma once

// Age limits (sinceImagePushed, sinceImagePulled, sinceImageTransitioned): the exact comparison
// of ecrlp decision 1 (older_than), and the same test as one threshold per rule (age_threshold).
// Internal to <ecrlp/evaluate.hpp>.

#include <ecrlp/time.hpp>

#include <cstdint>
#include <limits>

namespace ecrlp::detail {

inline constexpr std::int64_t microseconds_per_day = 86'400'000'000;

/// `now - reference > days x 86400 s` at microsecond precision, strictly (ecrlp decision 1),
/// without overflow for any countNumber.
[[nodiscard]] constexpr bool older_than(timestamp now, timestamp reference,
                                        std::int64_t days) noexcept {
  const std::int64_t age = (now - reference).count();
  constexpr std::int64_t max_days = std::numeric_limits<std::int64_t>::max() / microseconds_per_day;
  if (days > max_days) return false;  // longer than any representable age
  if (days < -max_days) return true;  // (only invalid policies have negative counts)
  return age > days * microseconds_per_day;
}

/// Ages at or past which a since* limit marks an image: `reference < threshold` is exactly
/// older_than(now, reference, days), computed once per rule instead of once per image.
struct age_threshold {
  bool always = false;
  bool never = false;
  std::int64_t threshold = 0;

  age_threshold(timestamp now, std::int64_t days) noexcept {
    constexpr std::int64_t max_days =
        std::numeric_limits<std::int64_t>::max() / microseconds_per_day;
    if (days > max_days) {
      never = true;
      return;
    }
    if (days < -max_days) {
      always = true;
      return;
    }
    // now - reference > days * D  <=>  reference < now - days * D (exact integers). When that
    // difference leaves the int64 range, every reference or none is below it.
    const std::int64_t span = days * microseconds_per_day;
    const std::int64_t t = now.time_since_epoch().count();
    constexpr std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    if (span > 0 && t < lo + span) {
      never = true;
    } else if (span < 0 && t > hi + span) {
      always = true;
    } else {
      threshold = t - span;
    }
  }

  [[nodiscard]] bool marks(std::int64_t reference) const noexcept {
    return always || (!never && reference < threshold);
  }
};

}  // namespace ecrlp::detail
