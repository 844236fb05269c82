// SPDX-License-Identifier: MIT
#pragma once

// Fixtures shared by the explain, diff and lint tests: images and rules built in code, and a
// seeded generator of random repositories and valid policies.

#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/time.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace explain_fixtures {

using ecrlp::action_type;
using ecrlp::count_type;
using ecrlp::image_status;
using ecrlp::storage_class;
using ecrlp::tag_list_kind;
using ecrlp::tag_status;

inline const ecrlp::timestamp now{std::chrono::sys_days{std::chrono::year{2025} / 1 / 31}};

inline ecrlp::timestamp days_ago(int n) { return now - std::chrono::days{n}; }

/// An ACTIVE image "sha256:<name>" with the given tags, pushed at `pushed`.
inline ecrlp::image make_image(const std::string& name, std::vector<std::string> tags,
                               ecrlp::timestamp pushed, std::uint64_t size = 100) {
  ecrlp::image i;
  i.digest = "sha256:" + name;
  i.tags = std::move(tags);
  i.pushed_at = pushed;
  i.size_bytes = size;
  return i;
}

inline ecrlp::rule make_rule(std::int64_t priority, tag_status status, tag_list_kind kind,
                             std::vector<std::string> list, count_type type, std::int64_t number,
                             action_type action = action_type::expire,
                             storage_class storage = storage_class::standard) {
  ecrlp::rule r;
  r.priority = priority;
  r.selection.status = status;
  r.selection.list_kind = kind;
  r.selection.tag_list = std::move(list);
  r.selection.type = type;
  r.selection.count_number = number;
  r.selection.storage = storage;
  r.action.type = action;
  return r;
}

inline ecrlp::rule prefixes(std::int64_t priority, std::vector<std::string> list, count_type type,
                            std::int64_t number, action_type action = action_type::expire) {
  return make_rule(priority, tag_status::tagged, tag_list_kind::prefix, std::move(list), type,
                   number, action);
}

inline ecrlp::rule patterns(std::int64_t priority, std::vector<std::string> list, count_type type,
                            std::int64_t number, action_type action = action_type::expire) {
  return make_rule(priority, tag_status::tagged, tag_list_kind::pattern, std::move(list), type,
                   number, action);
}

inline ecrlp::rule untagged(std::int64_t priority, count_type type, std::int64_t number,
                            action_type action = action_type::expire) {
  return make_rule(priority, tag_status::untagged, tag_list_kind::none, {}, type, number, action);
}

inline ecrlp::rule any(std::int64_t priority, count_type type, std::int64_t number,
                       action_type action = action_type::expire,
                       storage_class storage = storage_class::standard) {
  return make_rule(priority, tag_status::any, tag_list_kind::none, {}, type, number, action,
                   storage);
}

/// Numbers the rules' source_index in the given (document) order.
inline ecrlp::lifecycle_policy policy_of(std::vector<ecrlp::rule> rules) {
  for (std::size_t k = 0; k < rules.size(); ++k) rules[k].source_index = k;
  return ecrlp::lifecycle_policy{std::move(rules)};
}

/// Index of the image "sha256:<name>" (images.size() when absent).
inline std::size_t index_of(const std::vector<ecrlp::image>& images, const std::string& name) {
  const auto it = std::find_if(images.begin(), images.end(),
                               [&](const ecrlp::image& i) { return i.digest == "sha256:" + name; });
  return static_cast<std::size_t>(it - images.begin());
}

/// Random repositories and valid policies from a seed: tags from a small vocabulary with shared
/// prefixes, times clustered around the rules' day limits, every storage class and time field.
class random_case {
 public:
  explicit random_case(std::uint64_t seed) : rng_(seed) {
    images = make_images();
    policy = make_policy();
  }

  std::vector<ecrlp::image> images;
  ecrlp::lifecycle_policy policy;

  /// Another valid policy from the same stream (for diffs).
  ecrlp::lifecycle_policy another_policy() { return make_policy(); }

 private:
  std::mt19937_64 rng_;
  static constexpr std::string_view vocabulary_[] = {"prod",   "prod-1", "prod-2", "production",
                                                     "beta",   "beta-1", "v1",     "v1.2",
                                                     "latest", "a",      "ab"};
  static constexpr std::int64_t limits_[] = {1, 5, 14, 30, 90, 100, 365};

  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <class T, std::size_t N>
  const T& one_of(const T (&arr)[N]) {
    return arr[pick(N)];
  }

  ecrlp::timestamp some_time() {
    const auto base = now - std::chrono::days{one_of(limits_)};
    const std::chrono::hours jitter{static_cast<std::int64_t>(pick(97)) - 48};
    return chance(0.2) ? base : base + jitter;
  }

  std::vector<ecrlp::image> make_images() {
    std::vector<ecrlp::image> out;
    std::set<std::string> digests;
    const std::size_t count = pick(41);
    while (out.size() < count) {
      ecrlp::image img;
      img.digest = "sha256:" + std::to_string(pick(1'000'000));
      if (!digests.insert(img.digest).second) continue;
      if (chance(0.7)) {
        for (std::size_t k = 0, n = 1 + pick(3); k < n; ++k) {
          img.tags.emplace_back(one_of(vocabulary_));
        }
      }
      img.pushed_at = some_time();
      const auto s = pick(10);
      img.status = s < 7   ? image_status::active
                   : s < 9 ? image_status::archived
                           : image_status::activating;
      if (chance(0.2)) img.last_activated_at = some_time();
      if (chance(0.4)) img.last_pulled_at = some_time();
      if (chance(img.status == image_status::archived ? 0.8 : 0.1)) {
        img.last_archived_at = some_time();
      }
      img.size_bytes = pick(1'000'000);
      out.push_back(std::move(img));
    }
    return out;
  }

  std::vector<std::string> make_list(tag_list_kind kind) {
    std::vector<std::string> list;
    for (std::size_t k = 0, n = 1 + pick(2); k < n; ++k) {
      std::string e(one_of(vocabulary_));
      e.resize(1 + pick(e.size()));
      if (kind == tag_list_kind::pattern && chance(0.7)) e.insert(pick(e.size() + 1), "*");
      list.push_back(std::move(e));
    }
    return list;
  }

  ecrlp::lifecycle_policy make_policy() {
    const std::size_t n = 1 + pick(6);
    std::vector<std::int64_t> priorities(30);
    std::iota(priorities.begin(), priorities.end(), std::int64_t{1});
    std::shuffle(priorities.begin(), priorities.end(), rng_);
    std::vector<ecrlp::rule> rules;
    bool untagged_used[2] = {false, false};
    for (std::size_t k = 0; k < n; ++k) {
      const bool archive = chance(0.25);
      const std::size_t cls = archive ? 1 : 0;
      ecrlp::rule r;
      r.priority = priorities[k];
      r.selection.storage = archive ? storage_class::archive : storage_class::standard;
      const auto roll = pick(8);
      if (roll == 0 && !untagged_used[cls]) {
        r.selection.status = tag_status::untagged;
        untagged_used[cls] = true;
      } else if (roll == 1) {
        r.selection.status = tag_status::any;
      } else {
        r.selection.status = tag_status::tagged;
        r.selection.list_kind = chance(0.5) ? tag_list_kind::prefix : tag_list_kind::pattern;
        r.selection.tag_list = make_list(r.selection.list_kind);
      }
      if (archive) {
        r.selection.type = count_type::since_image_transitioned;
        r.selection.count_number = std::max<std::int64_t>(90, one_of(limits_));
      } else {
        r.selection.type = static_cast<count_type>(pick(3));
        r.selection.count_number = r.selection.type == count_type::image_count_more_than
                                       ? 1 + static_cast<std::int64_t>(pick(8))
                                       : one_of(limits_);
        if (r.selection.type == count_type::since_image_pulled || chance(0.3)) {
          r.action.type = action_type::transition;
        }
      }
      rules.push_back(std::move(r));
    }
    // At most one `any` per class, and it comes last (ECR's rule); drop the others.
    std::sort(rules.begin(), rules.end(),
              [](const ecrlp::rule& a, const ecrlp::rule& b) { return a.priority < b.priority; });
    bool any_seen[2] = {false, false};
    std::vector<ecrlp::rule> kept;
    for (auto& r : rules) {
      const std::size_t cls = r.selection.storage == storage_class::archive ? 1 : 0;
      if (any_seen[cls]) continue;
      any_seen[cls] = r.selection.status == tag_status::any;
      kept.push_back(std::move(r));
    }
    std::shuffle(kept.begin(), kept.end(), rng_);  // document order differs from priority order
    return policy_of(std::move(kept));
  }
};

}  // namespace explain_fixtures
