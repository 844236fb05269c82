// SPDX-License-Identifier: MIT
//
// A registry snapshot evaluated repository by repository (docs/registry-snapshot.md).
//
// evaluate_registry  every repository on the work queue (lib/support/work_queue.cpp), largest
//                 first; each result lands at its repository's index, so the output order never
//                 depends on the threads.

#include <ecrlp/registry.hpp>

#include <algorithm>
#include <cstddef>
#include <mutex>
#include <vector>

namespace ecrlp {

namespace detail {

std::vector<std::size_t> image_counts(const registry_snapshot& snapshot) {
  std::vector<std::size_t> counts;
  counts.reserve(snapshot.repositories.size());
  for (const auto& r : snapshot.repositories) counts.push_back(r.images.images.size());
  return counts;
}

}  // namespace detail

registry_result evaluate_registry(const registry_snapshot& snapshot,
                                  const registry_options& options,
                                  const registry_progress& progress) {
  registry_result result;
  const auto& repos = snapshot.repositories;
  result.repositories.resize(repos.size());
  std::size_t jobs = 0;
  for (std::size_t i = 0; i < repos.size(); ++i) {
    result.repositories[i].repository = &repos[i];
    if (repos[i].failed()) {
      ++result.skipped;
    } else {
      ++jobs;
    }
  }

  const lifecycle_policy no_policy;
  std::mutex progress_mutex;
  std::size_t done = 0;
  std::size_t images_done = 0;
  // Largest first: the long evaluations start early instead of finishing last on one thread.
  const auto weights = detail::image_counts(snapshot);
  detail::for_each_repository(repos.size(), weights, options.threads, [&](std::size_t i) {
    const repository_snapshot& repo = repos[i];
    if (repo.failed()) return;
    repository_result& out = result.repositories[i];
    const lifecycle_policy* policy = &no_policy;
    const auto named = std::find_if(
        options.repository_policies.begin(), options.repository_policies.end(),
        [&](const repository_policy& p) { return p.repository == repo.name; });
    if (options.override_policy != nullptr) {
      policy = options.override_policy;
      out.source = policy_source::overridden;
    } else if (named != options.repository_policies.end() && named->policy != nullptr) {
      policy = named->policy;
      out.source = policy_source::overridden;
    } else if (repo.policy) {
      policy = &repo.policy->policy;
      out.source = policy_source::own;
    } else {
      out.source = policy_source::none;
    }
    const std::span<const image> images = repo.images.images;
    out.evaluation = evaluate(*policy, images,
                              {.now = options.now,
                               .indexes = repo.images.indexes,
                               .independent_images = options.independent_images});
    out.totals = summarize(images, out.evaluation);
    out.evaluated = true;
    const std::lock_guard lock(progress_mutex);
    ++done;
    images_done += images.size();
    if (progress) progress(done, jobs, images_done);
  });

  for (const auto& r : result.repositories) {
    if (!r.evaluated) continue;
    ++result.evaluated;
    if (r.source == policy_source::none) ++result.without_policy;
    result.totals += r.totals;
    result.guarded += r.evaluation.guarded;
    result.referrers += r.evaluation.referrers;
  }
  return result;
}

}  // namespace ecrlp
