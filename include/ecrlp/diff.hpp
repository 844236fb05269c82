// SPDX-License-Identifier: MIT
#pragma once

/// What changes when a repository's policy is replaced (`ecrlp diff`): the images whose fate
/// differs between two policies evaluated over the same images at the same instant. Header-only.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <ecrlp/evaluate.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>

namespace ecrlp {

/// How an image's outcome differs from the old policy to the new one.
enum class change_kind : unsigned char {
  kept_to_expired,
  expired_to_kept,
  kept_to_transitioned,
  transitioned_to_kept,
  expired_to_transitioned,
  transitioned_to_expired,
  other_rule  ///< expired (or transitioned) under both, by rules of different priority
};

/// Number of change_kind enumerators.
inline constexpr std::size_t change_kind_count = 7;

/// Every change kind, in declaration order.
inline constexpr std::array<change_kind, change_kind_count> all_change_kinds{
    change_kind::kept_to_expired,
    change_kind::expired_to_kept,
    change_kind::kept_to_transitioned,
    change_kind::transitioned_to_kept,
    change_kind::expired_to_transitioned,
    change_kind::transitioned_to_expired,
    change_kind::other_rule};

/// Stable machine name ("keptToExpired", ..., "otherRule"), used by JSON and CSV.
[[nodiscard]] constexpr std::string_view to_string(change_kind k) noexcept {
  switch (k) {
    case change_kind::kept_to_expired:
      return "keptToExpired";
    case change_kind::expired_to_kept:
      return "expiredToKept";
    case change_kind::kept_to_transitioned:
      return "keptToTransitioned";
    case change_kind::transitioned_to_kept:
      return "transitionedToKept";
    case change_kind::expired_to_transitioned:
      return "expiredToTransitioned";
    case change_kind::transitioned_to_expired:
      return "transitionedToExpired";
    case change_kind::other_rule:
      return "otherRule";
  }
  return "?";
}

/// Words for a person ("kept -> expired", ..., "same fate, other rule").
[[nodiscard]] constexpr std::string_view describe(change_kind k) noexcept {
  switch (k) {
    case change_kind::kept_to_expired:
      return "kept -> expired";
    case change_kind::expired_to_kept:
      return "expired -> kept";
    case change_kind::kept_to_transitioned:
      return "kept -> transitioned";
    case change_kind::transitioned_to_kept:
      return "transitioned -> kept";
    case change_kind::expired_to_transitioned:
      return "expired -> transitioned";
    case change_kind::transitioned_to_expired:
      return "transitioned -> expired";
    case change_kind::other_rule:
      return "same fate, other rule";
  }
  return "?";
}

/// How `before` and `after` differ, or nullopt when they do not. A kept image is a change only
/// when its fate changes: which rule owns a kept image is not an outcome (nothing happens to it).
[[nodiscard]] constexpr std::optional<change_kind> classify(const image_decision& before,
                                                            const image_decision& after) noexcept {
  switch (before.action) {
    case fate::keep:
      if (after.action == fate::expire) return change_kind::kept_to_expired;
      if (after.action == fate::transition) return change_kind::kept_to_transitioned;
      return std::nullopt;
    case fate::expire:
      if (after.action == fate::keep) return change_kind::expired_to_kept;
      if (after.action == fate::transition) return change_kind::expired_to_transitioned;
      break;
    case fate::transition:
      if (after.action == fate::keep) return change_kind::transitioned_to_kept;
      if (after.action == fate::expire) return change_kind::transitioned_to_expired;
      break;
  }
  if (before.owner != after.owner) return change_kind::other_rule;
  return std::nullopt;
}

/// One image whose outcome differs.
struct fate_change {
  std::size_t image_index = 0;
  image_decision before;  ///< under the old policy
  image_decision after;   ///< under the new policy
  change_kind kind = change_kind::other_rule;
};

/// Images and bytes of one kind of change.
struct change_total {
  std::size_t images = 0;
  std::uint64_t bytes = 0;
};

/// Both evaluations and what differs between them.
struct policy_diff {
  evaluation_result before;  ///< the old policy's evaluation (per-rule totals in before.rules)
  evaluation_result after;   ///< the new policy's evaluation
  std::vector<fate_change> changes;                      ///< oldest image first
  std::array<change_total, change_kind_count> totals{};  ///< indexed by change_kind

  [[nodiscard]] bool empty() const noexcept { return changes.empty(); }
  [[nodiscard]] const change_total& total(change_kind k) const noexcept {
    return totals[static_cast<std::size_t>(k)];
  }
};

/// Compares two evaluations of the same `images` (same order, same instant).
[[nodiscard]] inline policy_diff diff(evaluation_result before, evaluation_result after,
                                      std::span<const image> images) {
  policy_diff d;
  d.before = std::move(before);
  d.after = std::move(after);
  for (const std::size_t i : d.before.order) {
    const auto kind = classify(d.before.decisions[i], d.after.decisions[i]);
    if (!kind) continue;
    d.changes.push_back({i, d.before.decisions[i], d.after.decisions[i], *kind});
    auto& t = d.totals[static_cast<std::size_t>(*kind)];
    ++t.images;
    t.bytes += images[i].size_bytes;
  }
  return d;
}

/// Evaluates `old_policy` and `new_policy` over the same images at the same instant and compares.
/// The images are sorted and indexed once (prepared_inventory) for both evaluations.
[[nodiscard]] inline policy_diff diff(const lifecycle_policy& old_policy,
                                      const lifecycle_policy& new_policy,
                                      std::span<const image> images,
                                      const evaluation_options& options) {
  const prepared_inventory prepared(images);
  return diff(evaluate(old_policy, prepared, options), evaluate(new_policy, prepared, options),
              images);
}

}  // namespace ecrlp
