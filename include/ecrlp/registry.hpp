// SPDX-License-Identifier: MIT
#pragma once

/// Registry snapshots (docs/registry-snapshot.md): loading every repository of a snapshot directory
/// written by examples/export-registry.sh, and evaluating them all, in parallel.

#include <cstddef>
#include <cstdint>
#include <ecrlp/diagnostic.hpp>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/report.hpp>
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

/// Inputs of evaluate_registry().
struct registry_options {
  timestamp now{};  ///< the instant every repository is evaluated at (required)
  /// When set, every repository is evaluated with this policy instead of its own (what-if). Must
  /// outlive the call.
  const lifecycle_policy* override_policy = nullptr;
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

/// Adds `b` to `a`, field by field.
constexpr image_totals& operator+=(image_totals& a, const image_totals& b) noexcept {
  a.images += b.images;
  a.bytes += b.bytes;
  a.findings += b.findings;
  return a;
}

/// Adds `b` to `a`, field by field.
constexpr preview_totals& operator+=(preview_totals& a, const preview_totals& b) noexcept {
  a.before += b.before;
  a.expired += b.expired;
  a.transitioned += b.transitioned;
  a.kept += b.kept;
  a.after += b.after;
  a.after_standard += b.after_standard;
  a.after_archive += b.after_archive;
  return a;
}

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
