// SPDX-License-Identifier: MIT
#pragma once

// Deterministic synthetic repositories for the benchmarks (fixed seed, no files, no downloads).

#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace ecrlp::bench {

inline constexpr timestamp bench_now =
    timestamp{std::chrono::sys_days{std::chrono::year{2026} / 11 / 28}.time_since_epoch()};

/// `n` images pushed over five years: build tags, git-sha tags, environment-prefixed promotion
/// tags (Dev-, Staging-, Prod-), ~10% untagged, a few archived.
inline std::vector<image> synthetic_images(std::size_t n, std::uint64_t seed = 42) {
  std::mt19937_64 rng(seed);
  std::vector<image> images;
  images.reserve(n);
  const auto span_us = std::int64_t{5} * 365 * 86'400'000'000;
  static constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < n; ++i) {
    image img;
    img.digest = "sha256:";
    for (int k = 0; k < 64; ++k) img.digest.push_back(hex[rng() % 16]);
    const auto age = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(span_us));
    img.pushed_at = bench_now - std::chrono::microseconds{age};
    const auto kind = rng() % 100;
    if (kind >= 10) {
      img.tags.push_back("build-" + std::to_string(i));
      std::string sha = "sha-";
      for (int k = 0; k < 7; ++k) sha.push_back(hex[rng() % 16]);
      img.tags.push_back(std::move(sha));
      if (kind >= 60) img.tags.push_back("Dev-" + std::to_string(i));
      if (kind >= 85) img.tags.push_back("Staging-" + std::to_string(i));
      if (kind >= 95) img.tags.push_back("Prod-" + std::to_string(i));
    }
    if (rng() % 3 == 0) img.last_pulled_at = img.pushed_at + std::chrono::hours{rng() % 2000};
    if (rng() % 50 == 0) {
      img.status = image_status::archived;
      img.last_archived_at = img.pushed_at + std::chrono::hours{24 * 100};
    }
    img.size_bytes = 50'000'000 + rng() % 850'000'000;
    images.push_back(std::move(img));
  }
  return images;
}

inline rule make_rule(std::int64_t priority, tag_status status, tag_list_kind kind,
                      std::vector<std::string> list, count_type type, std::int64_t number,
                      action_type action = action_type::expire,
                      storage_class storage = storage_class::standard) {
  rule r;
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

/// A policy of `rules` rules (1, 10 or 50 in the benchmarks): environment rules with prefixes and
/// multi-star patterns, count and age limits, an archive rule, an untagged rule, an `any` catch-all.
inline lifecycle_policy synthetic_policy(std::size_t rules) {
  lifecycle_policy p;
  if (rules == 1) {
    p.rules.push_back(make_rule(1, tag_status::any, tag_list_kind::none, {},
                                count_type::since_image_pushed, 90));
    return p;
  }
  std::int64_t prio = 1;
  p.rules.push_back(make_rule(prio++, tag_status::tagged, tag_list_kind::pattern, {"Prod-*"},
                              count_type::image_count_more_than, 50));
  p.rules.push_back(make_rule(prio++, tag_status::tagged, tag_list_kind::prefix, {"Staging-"},
                              count_type::image_count_more_than, 15));
  while (p.rules.size() + 3 < rules) {
    const auto k = p.rules.size();
    if (k % 2 == 0) {
      p.rules.push_back(make_rule(prio++, tag_status::tagged, tag_list_kind::pattern,
                                  {"*v" + std::to_string(k) + "*-*1*", "build-*"},
                                  count_type::since_image_pushed, static_cast<std::int64_t>(30 + k)));
    } else {
      p.rules.push_back(make_rule(prio++, tag_status::tagged, tag_list_kind::prefix,
                                  {"Dev-" + std::to_string(k)}, count_type::since_image_pulled,
                                  static_cast<std::int64_t>(60 + k), action_type::transition));
    }
  }
  p.rules.push_back(make_rule(prio++, tag_status::untagged, tag_list_kind::none, {},
                              count_type::since_image_pushed, 7));
  p.rules.push_back(make_rule(prio++, tag_status::any, tag_list_kind::none, {},
                              count_type::since_image_pushed, 90));
  p.rules.push_back(make_rule(prio++, tag_status::any, tag_list_kind::none, {},
                              count_type::since_image_transitioned, 365, action_type::expire,
                              storage_class::archive));
  return p;
}

}  // namespace ecrlp::bench
