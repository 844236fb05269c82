// SPDX-License-Identifier: MIT
#pragma once

/// Registry snapshots (docs/registry-snapshot.md): loading every repository of a snapshot directory
/// written by examples/export-registry.sh, and evaluating, diffing and simulating them all, in
/// parallel (compiled in lib/read/registry_snapshot.cpp and lib/evaluate/).

#include <cstddef>
#include <cstdint>
#include <array>
#include <ecrlp/diagnostic.hpp>
#include <ecrlp/diff.hpp>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/simulate.hpp>
#include <ecrlp/totals.hpp>
#include <ecrlp/time.hpp>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ecrlp {

/// The `format` member of a snapshot's snapshot.json.
inline constexpr std::string_view registry_snapshot_format = "ecrlp-registry-snapshot";
/// The snapshot layout version this library reads.
inline constexpr std::int64_t registry_snapshot_version = 1;

/// One repository of a snapshot: `repositories/<encoded-name>/`.
struct repository_snapshot {
  /// repositoryName from repository.json; when that cannot be read, the directory name with
  /// every "%2F" decoded to "/".
  std::string name;
  std::string registry_id;          ///< registryId from repository.json ("" when absent)
  std::filesystem::path directory;  ///< the repository's directory in the snapshot
  /// Its images (all describe-images pages, in page order) with repository_name, registry_id and
  /// the index manifests of manifests/ filled in. Empty when the pages could not be loaded.
  inventory images;
  /// Its lifecycle policy (lifecycle-policy.json, `get-lifecycle-policy` output); nullopt when the
  /// repository has none, or when the file is invalid (then `has_policy_file` is true and
  /// `diagnostics` says why).
  std::optional<parsed_policy> policy;
  bool has_policy_file = false;  ///< lifecycle-policy.json exists
  /// Every problem found in the repository's files, errors and warnings, in the order found
  /// (repository.json, policy, pages, manifests, consistency checks).
  std::vector<diagnostic> diagnostics;

  /// True when any diagnostic is an error: the repository's data cannot be trusted and
  /// evaluate_registry() skips it. The other repositories are unaffected.
  [[nodiscard]] bool failed() const noexcept { return has_errors(diagnostics); }
};

/// A loaded registry snapshot.
struct registry_snapshot {
  std::filesystem::path directory;      ///< the snapshot directory, as given
  std::int64_t version = 0;             ///< snapshot.json `version`
  std::optional<timestamp> created_at;  ///< snapshot.json `createdAt`, when present
  std::string region;                   ///< snapshot.json `region` ("" when unknown)
  std::string repository_filter;        ///< snapshot.json `repositoryFilter` ("" for none)
  /// Every repository directory, sorted by name (byte order), failed ones included.
  std::vector<repository_snapshot> repositories;

  /// Repositories whose data has errors.
  [[nodiscard]] std::size_t failed_count() const noexcept {
    std::size_t n = 0;
    for (const auto& r : repositories) n += r.failed() ? std::size_t{1} : std::size_t{0};
    return n;
  }
  /// Images over all repositories.
  [[nodiscard]] std::size_t image_count() const noexcept {
    std::size_t n = 0;
    for (const auto& r : repositories) n += r.images.images.size();
    return n;
  }
};

/// How load_registry() works.
struct registry_load_options {
  unsigned threads =
      0;  ///< repositories loaded in parallel; 0 = std::thread::hardware_concurrency()
};

/// Loads the snapshot in `dir`.
///
/// A missing or unreadable directory (`io.read`), a missing snapshot.json
/// (`registry.not_snapshot`), a wrong `format` or `version` (`registry.format`) or a malformed
/// snapshot.json
/// (`registry.syntax`, `registry.type`, `registry.field`) is a top-level error: no value. Otherwise
/// the value lists every repository directory; a repository whose files are broken keeps its own
/// diagnostics and is marked failed (repository_snapshot::failed()) without hiding the others, so
/// `ok()` is true even when some repositories failed: check failed_count(). Top-level warnings
/// (`registry.unexpected`: entries of repositories/ that are not repository directories) accompany
/// the value.
///
/// Per repository: repository.json must be an object with a valid ECR `repositoryName` whose
/// encoding (every "/" as "%2F") is the directory's name (`registry.name_mismatch`); the pages
/// images/page-NNNN.json must be numbered 0001, 0002, ... without gaps (`registry.numbering`), as
/// must manifests/batch-NNNN.json; the repositoryName/registryId of the images and of the
/// policy must be the repository's (`registry.name_mismatch`, `registry.id_mismatch`). An image
/// index without a manifest in manifests/ gives the warning `registry.index_unknown`.
///
/// Hostile snapshots: symbolic links are followed only when their target lies inside the snapshot
/// directory (after resolving every link); a link leading out of it gives `registry.symlink`, and
/// anything that is not a regular file (a FIFO, a device) gives `io.read`, so a snapshot can make
/// ecrlp read no file outside itself and never blocks on a pipe. snapshot.json and repository.json
/// are limited to 1 MiB, lifecycle-policy.json to 16 MiB, each page to the inventory loader's
/// limits, each manifest batch to 64 MiB (docs/limits.md). Never throws except std::bad_alloc.
[[nodiscard]] parse_result<registry_snapshot> load_registry(
    const std::filesystem::path& dir, const registry_load_options& options = {});

/// Which policy a repository was evaluated with.
enum class policy_source : unsigned char {
  own,         ///< its own lifecycle-policy.json
  overridden,  ///< registry_options::override_policy (what-if: one policy everywhere)
  none         ///< it has no policy: every image is kept
};

/// Name of a policy source ("own", "override", "none").
[[nodiscard]] constexpr std::string_view to_string(policy_source s) noexcept {
  switch (s) {
    case policy_source::own:
      return "own";
    case policy_source::overridden:
      return "override";
    case policy_source::none:
      return "none";
  }
  return "?";
}

/// A policy for one repository, by name (read from infrastructure code, say): it replaces that
/// repository's own policy.
struct repository_policy {
  std::string_view repository;
  const lifecycle_policy* policy = nullptr;  ///< must outlive the evaluation
};

/// Inputs of evaluate_registry().
struct registry_options {
  timestamp now{};  ///< the instant every repository is evaluated at (required)
  /// When set, every repository is evaluated with this policy instead of its own (what-if). Must
  /// outlive the call.
  const lifecycle_policy* override_policy = nullptr;
  /// Without override_policy: the policies of the repositories they name, instead of their own
  /// (policy_source::overridden); the other repositories keep theirs.
  std::span<const repository_policy> repository_policies = {};
  /// evaluation_options::independent_images for every repository.
  bool independent_images = false;
  /// Worker threads; 0 = std::thread::hardware_concurrency(). Results never depend on it.
  unsigned threads = 0;
};

/// The evaluation of one repository.
struct repository_result {
  /// The repository, in the registry_snapshot given to evaluate_registry() (which must outlive
  /// this result).
  const repository_snapshot* repository = nullptr;
  /// False for a failed repository (repository_snapshot::failed()): it was not evaluated and the
  /// members below are empty.
  bool evaluated = false;
  policy_source source = policy_source::none;  ///< the policy used
  /// evaluate(policy, repository->images.images, {.now, .indexes, .independent_images}); with
  /// no policy, the evaluation of an empty policy (every image kept).
  evaluation_result evaluation;
  preview_totals totals;  ///< summarize(repository->images.images, evaluation)
};

/// The evaluation of a whole registry.
struct registry_result {
  /// One entry per repository of the snapshot, at the same index (so in name order), whatever
  /// the number of threads and their timing.
  std::vector<repository_result> repositories;
  preview_totals totals;           ///< summed over the evaluated repositories
  std::size_t evaluated = 0;       ///< repositories evaluated
  std::size_t skipped = 0;         ///< failed repositories, not evaluated
  std::size_t without_policy = 0;  ///< evaluated repositories with policy_source::none
  std::size_t guarded = 0;         ///< evaluation_result::guarded, summed
  std::size_t referrers = 0;       ///< evaluation_result::referrers, summed
};

/// Progress of evaluate_registry(): after each repository, the number of repositories evaluated
/// so far, the number to evaluate (the snapshot's repositories that did not fail) and the images
/// of the repositories evaluated so far. Called from the worker threads (or the calling thread
/// when one thread is used), one call at a time under a mutex, with counts that only grow; the
/// last call has repos_done == repos_total. It must not call evaluate_registry() on the same
/// thread pool and should return quickly (workers wait for it). An exception it throws stops the
/// evaluation and is rethrown by evaluate_registry() after every worker has finished.
using registry_progress =
    std::function<void(std::size_t repos_done, std::size_t repos_total, std::size_t images_done)>;

/// Evaluates every repository of `snapshot` that did not fail: with options.override_policy when
/// set, else with its own policy, else with none (every image kept). Repositories are handed to
/// `options.threads` workers through a queue, largest (most images) first; the result is the same
/// for any number of threads. Never prints, never reads the clock.
[[nodiscard]] registry_result evaluate_registry(const registry_snapshot& snapshot,
                                                const registry_options& options,
                                                const registry_progress& progress = {});

// ---- Two policies over every repository (`ecrlp diff --registry`; docs/diff.md#registry) ------

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
};

/// Two policies compared over every repository of a snapshot: the document of `ecrlp diff
/// --registry`. It refers to the snapshot and the policies it was made from (diff_registry()),
/// which must outlive it.
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

// ---- A policy simulated over every repository (`ecrlp simulate --registry`) -------------------

/// How simulate_registry() simulates the repositories.
struct registry_simulation_options {
  /// When set, every repository is simulated with this policy instead of its own (what-if); it
  /// must outlive the result.
  const lifecycle_policy* override_policy = nullptr;
  /// simulation_options::independent_images of every repository.
  bool independent_images = false;
  /// push_rate::size_bytes of every forecast push; nullopt: each repository's
  /// median_image_size() (0 for a repository without images).
  std::optional<std::uint64_t> push_size;
  /// Repositories simulated in parallel (detail::for_each_repository()); 0 =
  /// std::thread::hardware_concurrency(). The result never depends on it.
  unsigned threads = 0;
};

/// One repository of simulate_registry().
struct repository_simulation {
  /// "own" or "override" (simulated with its own policy or the override); "none" (skipped: no
  /// policy) or "failed" (skipped: its files have errors).
  std::string policy;
  /// The policy simulated; null when skipped.
  const lifecycle_policy* simulated_policy = nullptr;
  /// The shared options with the repository's index manifests, independent_images and push
  /// sizes (only when simulated).
  simulation_options options;
  /// simulate(*simulated_policy, images, options); empty when skipped. Its diagnostics are the
  /// caller's to report (result.ok() is false when the shared options were rejected).
  simulation_result result;

  [[nodiscard]] bool simulated() const noexcept { return simulated_policy != nullptr; }
};

/// Simulates every repository of `snapshot` that has no errors and has a policy (or every one
/// that has no errors, with options.override_policy), with `shared` (range, interval, mode,
/// pushes) and the repository's own index manifests: one entry per repository, at its index in
/// the snapshot, whatever options.threads and the threads' timing. The repositories are handed to
/// the workers largest first; an exception (only std::bad_alloc) is rethrown once every worker
/// has stopped. The result refers to `snapshot` and the policies, which must outlive it. Never
/// prints.
[[nodiscard]] std::vector<repository_simulation> simulate_registry(
    const registry_snapshot& snapshot, const simulation_options& shared,
    const registry_simulation_options& options = {});

/// The median imageSizeInBytes of `images` (the upper median of an even count): the default size
/// of forecast pushes. nullopt when `images` is empty.
[[nodiscard]] std::optional<std::uint64_t> median_image_size(std::span<const image> images);

namespace detail {

/// The number of workers for `jobs` jobs: `requested` (0 = std::thread::hardware_concurrency(),
/// itself 1 when unknown), at most `jobs`, at least 1.
[[nodiscard]] unsigned worker_count(unsigned requested, std::size_t jobs) noexcept;

/// The work queue of load_registry(), evaluate_registry(), diff_registry() and
/// simulate_registry(): calls `fn(i)` once for every i in [0, count), on worker_count(threads,
/// count) threads (the calling thread alone when that is 1). The indices are handed out largest
/// `weights[i]` first (ties: lower index first), so long jobs start early; with `weights` empty, in
/// index order. `weights` must be empty or hold `count` values. `fn` runs concurrently for
/// different indices: it must write only to what belongs to its index (or lock). The first
/// exception `fn` throws stops the workers from taking new indices and is rethrown here once every
/// worker has finished; so is a failure to start a thread.
void for_each_repository(std::size_t count, std::span<const std::size_t> weights, unsigned threads,
                         const std::function<void(std::size_t)>& fn);

/// `weights` for for_each_repository(): every repository's number of images.
[[nodiscard]] std::vector<std::size_t> image_counts(const registry_snapshot& snapshot);

}  // namespace detail

}  // namespace ecrlp
