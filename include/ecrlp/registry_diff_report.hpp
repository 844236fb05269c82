// SPDX-License-Identifier: MIT
#pragma once

/// Registry diffs (`ecrlp diff --registry`): two policies compared over every repository of a
/// snapshot, per repository and in total, and their renderers (compiled in
/// lib/registry_diff_report.cpp; docs/diff.md#registry).

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/diff.hpp>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/explain_report.hpp>
#include <ecrlp/html_report.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/registry.hpp>
#include <ecrlp/time.hpp>

namespace ecrlp {

/// One repository of a registry diff.
struct repository_diff {
  std::string_view name;  ///< repositoryName
  /// False when the repository's files have errors (repository_snapshot::failed()): it was
  /// skipped, and the members below are empty.
  bool evaluated = false;
  const lifecycle_policy* before_policy = nullptr;  ///< the old policy (never null when evaluated)
  const lifecycle_policy* after_policy = nullptr;   ///< the new policy (never null when evaluated)
  /// The old policy's file: the `--policy OLD` given, the repository's lifecycle-policy.json, or
  /// "(no policy)".
  std::string before_name;
  std::string_view after_name;                  ///< the new policy's file
  std::span<const image> images;                ///< the repository's images
  std::span<const index_manifest> indexes;      ///< its index manifests, as the diff saw them
  policy_diff diff;                             ///< diff(*before_policy, *after_policy, images, ...)

  /// The repository's diff as the single-repository renderers take it (render_diff_table(), ...).
  /// Only for an evaluated repository.
  [[nodiscard]] diff_document document(timestamp now) const {
    return {*before_policy, *after_policy, before_name, after_name, images, diff, now};
  }
};

/// Everything a registry diff report shows. It refers to the snapshot and the policies it was
/// made from (diff_registry()), which must outlive it.
struct registry_diff_document {
  std::string snapshot_directory;  ///< the snapshot directory, as given
  timestamp now{};
  std::string old_label;  ///< the `--policy OLD` file, or "(own policies)"
  std::string new_name;   ///< the `--policy NEW` file
  bool independent_images = false;  ///< evaluation_options::independent_images of every diff
  std::vector<repository_diff> repositories;  ///< one per repository of the snapshot, same order
  /// Per change_kind: the images and bytes of every evaluated repository's diff, summed.
  std::array<change_total, change_kind_count> totals{};
  std::size_t repositories_changed = 0;  ///< evaluated repositories with at least one change

  /// Changed images over every repository.
  [[nodiscard]] std::size_t change_count() const noexcept {
    std::size_t n = 0;
    for (const auto& r : repositories) n += r.diff.changes.size();
    return n;
  }
};

/// What diff_registry() compares.
struct registry_diff_options {
  timestamp now{};  ///< the instant both policies are evaluated at (required)
  /// The old policy of every repository; nullptr: each repository's own policy (none: an empty
  /// policy, every image kept). Must outlive the document.
  const lifecycle_policy* old_policy = nullptr;
  std::string_view old_name{};  ///< the old policy's file (with `old_policy`)
  const lifecycle_policy* new_policy = nullptr;  ///< the new policy (required; must outlive it)
  std::string_view new_name{};                  ///< the new policy's file
  bool independent_images = false;               ///< evaluation_options::independent_images
  /// Repositories diffed in parallel (detail::for_each_repository()); 0 =
  /// std::thread::hardware_concurrency(). The document never depends on it.
  unsigned threads = 0;
};

/// Diffs every repository of `snapshot` that has no errors (failed ones are listed, not
/// evaluated), each with its own index manifests, at `options.now`, and sums the totals. The
/// repositories are diffed on `options.threads` workers, largest first; an exception (only
/// std::bad_alloc) is rethrown once they have all stopped. Never prints.
[[nodiscard]] registry_diff_document diff_registry(const registry_snapshot& snapshot,
                                                   const registry_diff_options& options);

/// For a person: "Registry diff of DIR at NOW: OLD -> NEW", how many repositories change, then
/// per repository its render_diff_table() (or that it was skipped), then a `Total` per kind.
[[nodiscard]] std::string render_registry_diff_table(const registry_diff_document& doc);

/// `{"now", "old", "new", "repositories": [{"repositoryName", "evaluated", "diff"?}], "totals":
/// {"repositoriesChanged", "changes"}}`, 2-space indented; each `diff` is render_diff_json().
[[nodiscard]] std::string render_registry_diff_json(const registry_diff_document& doc);

/// render_diff_csv() of every evaluated repository with a leading `repositoryName` column, one
/// header row.
[[nodiscard]] std::string render_registry_diff_csv(const registry_diff_document& doc);

/// One self-contained HTML page (no network, no external file): the totals per kind of change as
/// bars and a table, changed bytes per repository as bars, a sortable table of the repositories
/// (changed images per kind, bytes; skipped ones listed as such), then per changed repository its
/// before/after bars and a sortable table of its changed images, each unfolding to its
/// explanations under both policies. At most `max_rows` changed images are listed on the whole
/// page (0 = all; repositories in name order, each oldest first); the page states the cap.
[[nodiscard]] std::string render_registry_diff_html(const registry_diff_document& doc,
                                                    std::size_t max_rows = html_default_max_rows);

}  // namespace ecrlp
