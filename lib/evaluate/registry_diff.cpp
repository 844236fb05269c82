// SPDX-License-Identifier: MIT
//
// Two policies compared over every repository of a snapshot (`ecrlp diff --registry`;
// docs/diff.md#registry), repository by repository on the work queue.

#include <ecrlp/registry.hpp>

#include <cstddef>
#include <string>

namespace ecrlp {
namespace {

/// The old policy of a repository that has none: every image is kept.
const lifecycle_policy& no_policy() {
  static const lifecycle_policy empty;
  return empty;
}

}  // namespace

registry_diff_document diff_registry(const registry_snapshot& snapshot,
                                     const registry_diff_options& options) {
  registry_diff_document doc;
  doc.snapshot_directory = snapshot.directory.string();
  doc.now = options.now;
  doc.old_label = options.old_policy != nullptr ? std::string(options.old_name)
                                                : std::string("(own policies)");
  doc.new_name = std::string(options.new_name);
  doc.independent_images = options.independent_images;
  const auto& repos = snapshot.repositories;
  doc.repositories.resize(repos.size());
  for (std::size_t i = 0; i < repos.size(); ++i) doc.repositories[i].name = repos[i].name;
  // Each worker fills only its repository's entry; the totals are summed afterwards, in order.
  detail::for_each_repository(
      repos.size(), detail::image_counts(snapshot), options.threads, [&](std::size_t i) {
        const repository_snapshot& repo = repos[i];
        if (repo.failed() || options.new_policy == nullptr) return;
        repository_diff& r = doc.repositories[i];
        r.evaluated = true;
        if (options.old_policy != nullptr) {
          r.before_policy = options.old_policy;
          r.before_name = std::string(options.old_name);
        } else if (repo.policy) {
          r.before_policy = &repo.policy->policy;
          r.before_name = (repo.directory / "lifecycle-policy.json").string();
        } else {
          r.before_policy = &no_policy();
          r.before_name = "(no policy)";
        }
        r.after_policy = options.new_policy;
        r.after_name = options.new_name;
        r.images = repo.images.images;
        r.indexes = repo.images.indexes;
        r.diff = diff(*r.before_policy, *r.after_policy, r.images,
                      {.now = options.now,
                       .indexes = r.indexes,
                       .independent_images = options.independent_images});
      });
  for (const auto& r : doc.repositories) {
    if (!r.evaluated) continue;
    for (std::size_t k = 0; k < change_kind_count; ++k) {
      doc.totals[k].images += r.diff.totals[k].images;
      doc.totals[k].bytes += r.diff.totals[k].bytes;
    }
    doc.repositories_changed += r.diff.empty() ? 0U : 1U;
  }
  return doc;
}

}  // namespace ecrlp
