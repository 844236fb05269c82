// SPDX-License-Identifier: MIT
#pragma once

/// A pull-request check (`ecrlp plan-check`; docs/iac.md): every lifecycle-policy change of a
/// Terraform plan (or between two revisions of a CloudFormation template), its old and new policy
/// evaluated over the repository's images and compared exactly as `ecrlp diff` compares two
/// policies; with the in-use images the new policy removes and the limits a CI job gates on.
///
/// The model and the evaluation are here; reading the plan is <ecrlp/iac.hpp>'s, writing the
/// document render()'s (<ecrlp/render.hpp>).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/diff.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/time.hpp>

namespace ecrlp {

/// The policy of a repository without one: no rule, every image kept. What a created policy is
/// compared with, and what a deleted one is replaced by.
[[nodiscard]] inline const lifecycle_policy& no_lifecycle_policy() noexcept {
  static const lifecycle_policy empty;
  return empty;
}

/// One lifecycle-policy change to check.
struct policy_change {
  std::string address;     ///< the Terraform resource address, or TEMPLATE#LogicalId
  std::string action;      ///< "create", "update", "delete" or "replace"
  std::string repository;  ///< the repository, when the source names it literally; else ""
  /// The policy before the change; nullptr: none (a create). Must outlive the check.
  const lifecycle_policy* before = nullptr;
  /// The policy after the change; nullptr: none (a delete). Must outlive the check.
  const lifecycle_policy* after = nullptr;
  std::string before_name;  ///< how reports name the old side ("before", or a template file)
  std::string after_name;   ///< how reports name the new side
  /// Why the change cannot be evaluated ("" when it can): the caller's reason, such as "the new
  /// policy is known only after apply". A change with a reason is reported, never evaluated.
  std::string skipped;
};

/// The images of the repository a change is evaluated over.
struct change_images {
  std::string_view repository;   ///< its name (for matching in-use references)
  std::string_view registry_id;  ///< its registry's account id, or ""
  std::span<const image> images;
  std::span<const index_manifest> indexes;
};

/// How check_policy_change() evaluates.
struct plan_check_options {
  timestamp now{};  ///< the instant both policies are evaluated at (required)
  bool independent_images = false;  ///< evaluation_options::independent_images
  /// The images in use (`--in-use`); empty: none given.
  std::span<const in_use_ref> in_use = {};
};

/// One change, checked.
struct policy_change_check {
  policy_change change;
  bool evaluated = false;  ///< false: change.skipped says why, and the members below are empty
  std::span<const image> images;  ///< the images it was evaluated over (must outlive the check)
  std::span<const index_manifest> indexes;
  policy_diff diff;  ///< diff(before or no policy, after or no policy, images, ...)
  /// In-use images the new policy expires or transitions, oldest first (with plan_check_options
  /// ::in_use); `already[k]` is true when the old policy removed violations[k] too.
  std::vector<in_use_violation> violations;
  std::vector<bool> already;

  [[nodiscard]] const lifecycle_policy& before_policy() const noexcept {
    return change.before != nullptr ? *change.before : no_lifecycle_policy();
  }
  [[nodiscard]] const lifecycle_policy& after_policy() const noexcept {
    return change.after != nullptr ? *change.after : no_lifecycle_policy();
  }
  /// Images the change makes expire that the old policy kept or archived (kept -> expired and
  /// transitioned -> expired): what the PR newly deletes.
  [[nodiscard]] change_total removed() const noexcept {
    const auto& a = diff.total(change_kind::kept_to_expired);
    const auto& b = diff.total(change_kind::transitioned_to_expired);
    return {a.images + b.images, a.bytes + b.bytes};
  }
  /// removed().images as a percentage of the repository's images (0 without images).
  [[nodiscard]] double removed_percent() const noexcept {
    return images.empty() ? 0.0
                          : 100.0 * static_cast<double>(removed().images) /
                                static_cast<double>(images.size());
  }
};

/// Evaluates `change` over `images` (unless it is skipped): both sides as diff() compares them,
/// and the in-use images the new policy removes.
[[nodiscard]] policy_change_check check_policy_change(policy_change change,
                                                      const change_images& images,
                                                      const plan_check_options& options);

/// What a CI job gates on: `ecrlp plan-check` exits 5 when a limit is exceeded.
struct removal_limits {
  /// The most a change may newly expire, in percent of its repository's images.
  std::optional<double> max_removed_percent;
  /// The most bytes the whole plan may newly expire.
  std::optional<std::uint64_t> max_removed_bytes;
};

/// Everything `ecrlp plan-check` reports.
struct plan_check_document {
  std::string source;  ///< the plan file, or "OLD -> NEW" for two templates
  std::string images_source;  ///< the inventory or snapshot the images came from
  timestamp now{};
  std::vector<policy_change_check> changes;  ///< in the plan's order, skipped ones included
  std::size_t unchanged = 0;  ///< lifecycle policies the plan leaves as they are
  bool in_use_given = false;  ///< `--in-use` was given (violations are then known)
  std::span<const in_use_ref> in_use_refs;  ///< what in_use_violation::refs index
  removal_limits limits;
  bool independent_images = false;  ///< plan_check_options::independent_images of the checks

  /// In-use images removed after the changes, over every change.
  [[nodiscard]] std::size_t violation_count() const noexcept {
    std::size_t n = 0;
    for (const auto& c : changes) n += c.violations.size();
    return n;
  }
  /// Images and bytes newly expired, over every change.
  [[nodiscard]] change_total removed() const noexcept {
    change_total t;
    for (const auto& c : changes) {
      t.images += c.removed().images;
      t.bytes += c.removed().bytes;
    }
    return t;
  }
  /// The changes that newly expire more than limits.max_removed_percent of their repository.
  [[nodiscard]] std::vector<std::size_t> over_percent() const {
    std::vector<std::size_t> out;
    if (!limits.max_removed_percent) return out;
    for (std::size_t k = 0; k < changes.size(); ++k) {
      if (changes[k].evaluated && changes[k].removed_percent() > *limits.max_removed_percent) {
        out.push_back(k);
      }
    }
    return out;
  }
  /// True when the plan newly expires more than limits.max_removed_bytes.
  [[nodiscard]] bool over_bytes() const noexcept {
    return limits.max_removed_bytes && removed().bytes > *limits.max_removed_bytes;
  }
  [[nodiscard]] bool exceeds_limits() const { return over_bytes() || !over_percent().empty(); }
  /// Changes that could not be evaluated.
  [[nodiscard]] std::size_t skipped_count() const noexcept {
    std::size_t n = 0;
    for (const auto& c : changes) n += c.evaluated ? 0U : 1U;
    return n;
  }
};

}  // namespace ecrlp
