// SPDX-License-Identifier: MIT
//
// A policy simulated over every repository of a snapshot (`ecrlp simulate --registry`;
// docs/simulate.md#registry), repository by repository on the work queue.

#include <ecrlp/registry.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ecrlp {

std::optional<std::uint64_t> median_image_size(std::span<const image> images) {
  if (images.empty()) return std::nullopt;
  std::vector<std::uint64_t> sizes;
  sizes.reserve(images.size());
  for (const auto& img : images) sizes.push_back(img.size_bytes);
  const auto mid = sizes.begin() + static_cast<std::ptrdiff_t>(sizes.size() / 2);
  std::nth_element(sizes.begin(), mid, sizes.end());
  return *mid;
}

std::vector<repository_simulation> simulate_registry(const registry_snapshot& snapshot,
                                                     const simulation_options& shared,
                                                     const registry_simulation_options& options) {
  const auto& repos = snapshot.repositories;
  std::vector<repository_simulation> out(repos.size());
  // Each worker writes only its repository's entry.
  detail::for_each_repository(
      repos.size(), detail::image_counts(snapshot), options.threads, [&](std::size_t k) {
        const repository_snapshot& repo = repos[k];
        repository_simulation& r = out[k];
        if (repo.failed()) {
          r.policy = "failed";
          return;
        }
        if (options.override_policy != nullptr) {
          r.simulated_policy = options.override_policy;
          r.policy = std::string(to_string(policy_source::overridden));
        } else if (repo.policy) {
          r.simulated_policy = &repo.policy->policy;
          r.policy = std::string(to_string(policy_source::own));
        } else {
          r.policy = std::string(to_string(policy_source::none));
          return;
        }
        const auto& images = repo.images.images;
        r.options = shared;
        r.options.indexes = repo.images.indexes;
        r.options.independent_images = options.independent_images;
        const auto size = options.push_size ? options.push_size : median_image_size(images);
        for (auto& p : r.options.pushes) p.size_bytes = size.value_or(0);
        r.result = simulate(*r.simulated_policy, images, r.options);
      });
  return out;
}

}  // namespace ecrlp
