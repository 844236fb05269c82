// SPDX-License-Identifier: MIT
#pragma once

// Deterministic synthetic repositories for the benchmarks (fixed seed, no files, no downloads).

#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/time.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
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

/// synthetic_images(n), built once per n and kept for the rest of the run (benchmarks of 1M
/// images would otherwise spend most of their set-up generating them again).
inline const std::vector<image>& cached_images(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<const std::vector<image>>> cache;
  auto& slot = cache[n];
  if (!slot) slot = std::make_unique<const std::vector<image>>(synthetic_images(n));
  return *slot;
}

/// synthetic_images(n) as an `aws ecr describe-images` page, pretty-printed with 4 spaces like the
/// AWS CLI, with the fields ECR returns (registryId, repositoryName, scan status and findings,
/// media types) and a realistic mix of timestamp spellings: ISO-8601 in six UTC offsets (CLI v2),
/// with and without a fraction, and epoch seconds (CLI v1) for about one timestamp in four.
inline std::string describe_images_json(std::size_t n, std::uint64_t seed = 42) {
  const auto& images = cached_images(n);
  std::mt19937_64 rng(seed ^ 0x9e3779b97f4a7c15ULL);
  static constexpr std::string_view offsets[] = {"+00:00", "-06:00", "+08:00",
                                                 "-05:00", "+01:00", "+05:30"};
  static constexpr int offset_minutes[] = {0, -360, 480, -300, 60, 330};
  const auto stamp = [&](std::string& out, timestamp t) {
    if (rng() % 4 == 0) {  // CLI v1: epoch seconds with a fraction
      const auto us = t.time_since_epoch().count();
      out += std::to_string(us / 1'000'000);
      out += '.';
      const auto frac = std::to_string(1'000'000 + us % 1'000'000);
      out.append(frac, 1, 3);
      return;
    }
    const auto k = static_cast<std::size_t>(rng() % std::size(offsets));
    std::string local = format_timestamp(t + std::chrono::minutes{offset_minutes[k]});
    local.replace(local.size() - 6, 6, offsets[k]);
    out += '"';
    out += local;
    out += '"';
  };
  std::string out;
  out.reserve(n * 1400 + 64);
  out += "{\n    \"imageDetails\": [";
  for (std::size_t i = 0; i < images.size(); ++i) {
    const image& img = images[i];
    out += i == 0 ? "\n" : ",\n";
    out += "        {\n";
    out += "            \"registryId\": \"123456789012\",\n";
    out += "            \"repositoryName\": \"payments-api\",\n";
    out += "            \"imageDigest\": \"" + img.digest + "\",\n";
    if (!img.tags.empty()) {
      out += "            \"imageTags\": [\n";
      for (std::size_t t = 0; t < img.tags.size(); ++t) {
        out += "                \"" + img.tags[t] + (t + 1 < img.tags.size() ? "\",\n" : "\"\n");
      }
      out += "            ],\n";
    }
    out += "            \"imageSizeInBytes\": " + std::to_string(img.size_bytes) + ",\n";
    out += "            \"imagePushedAt\": ";
    stamp(out, img.pushed_at);
    out += ",\n";
    out += "            \"imageScanStatus\": {\n";
    out += "                \"status\": \"ACTIVE\",\n";
    out += "                \"description\": \"Continuous scan is selected for image.\"\n";
    out += "            },\n";
    out += "            \"imageScanFindingsSummary\": {\n";
    out += "                \"imageScanCompletedAt\": ";
    stamp(out, img.pushed_at + std::chrono::hours{2});
    out += ",\n                \"vulnerabilitySourceUpdatedAt\": ";
    stamp(out, img.pushed_at + std::chrono::hours{1});
    out += ",\n                \"findingSeverityCounts\": {\n";
    out += "                    \"CRITICAL\": " + std::to_string(rng() % 3) + ",\n";
    out += "                    \"HIGH\": " + std::to_string(rng() % 9) + ",\n";
    out += "                    \"MEDIUM\": " + std::to_string(rng() % 20) + ",\n";
    out += "                    \"LOW\": " + std::to_string(rng() % 20) + ",\n";
    out += "                    \"INFORMATIONAL\": " + std::to_string(rng() % 6) + "\n";
    out += "                }\n            },\n";
    out += "            \"imageManifestMediaType\": "
           "\"application/vnd.docker.distribution.manifest.v2+json\",\n";
    out += "            \"artifactMediaType\": "
           "\"application/vnd.docker.container.image.v1+json\",\n";
    if (img.last_pulled_at) {
      out += "            \"lastRecordedPullTime\": ";
      stamp(out, *img.last_pulled_at);
      out += ",\n";
    }
    if (img.last_archived_at) {
      out += "            \"lastArchivedAt\": ";
      stamp(out, *img.last_archived_at);
      out += ",\n";
    }
    out += "            \"imageStatus\": \"";
    out += to_string(img.status);
    out += "\"\n        }";
  }
  out += "\n    ]\n}\n";
  return out;
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
