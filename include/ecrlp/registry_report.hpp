// SPDX-License-Identifier: MIT
#pragma once

/// Renderers of registry runs (`ecrlp preview --registry`) and of the in-use and impact sections
/// that any preview can carry (compiled in lib/registry_report.cpp; docs/cli.md).

#include <cstddef>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/evaluate.hpp>
#include <ecrlp/explain.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/impact.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/registry.hpp>
#include <ecrlp/time.hpp>

namespace ecrlp {

/// What one repository's evaluation means: its impact and its in-use violations.
struct repository_outcome {
  std::string_view name;                     ///< repositoryName ("" when unknown)
  std::span<const image> images;             ///< the images evaluated
  const evaluation_result* result = nullptr;  ///< their evaluation; nullptr when not evaluated
  impact effect;                             ///< compute_impact(images, *result, prices)
  /// match_in_use() of the in-use references, one per image; empty without `--in-use`.
  std::vector<in_use_match> matches;
  std::vector<in_use_violation> violations;  ///< find_violations(matches, *result)
};

/// An in-use section: the references read and the violations of each repository.
struct in_use_view {
  bool given = false;                   ///< `--in-use` was given (else nothing is rendered)
  std::span<const in_use_ref> refs;     ///< every reference, as in_use_violation::refs index them
  std::span<const std::size_t> unmatched;  ///< references that named no image
};

/// Number of violations over `outcomes`.
[[nodiscard]] std::size_t violation_count(std::span<const repository_outcome> outcomes) noexcept;

/// Table: "In-use images that would be removed" (one line per violation: repository, action,
/// rule, push time, digest, tags and the references that matched), or a line saying there is
/// none. Empty when `in_use.given` is false.
[[nodiscard]] std::string render_in_use_table(std::span<const repository_outcome> outcomes,
                                              const in_use_view& in_use);

/// Table: bytes freed and transitioned, monthly storage cost before and after, the archive
/// minimum charge, findings before and after by severity, and (`with_rules`) per-rule bytes.
[[nodiscard]] std::string render_impact_table(const impact& effect, bool with_rules = true);

/// In-use facts for `ecrlp explain --in-use`: one match per image of the explainer.
struct explain_in_use {
  std::span<const in_use_match> matches;  ///< match_in_use() over the explainer's images
  std::span<const in_use_ref> refs;       ///< the references the matches index
};

/// write_explain_text() (explain_report.hpp) plus, after each in-use image, a line naming the
/// references that make it in use, and saying when removing it is a violation (compiled in
/// lib/explain_report.cpp).
void write_explain_text(std::ostream& out, const explainer& ex, std::span<const std::size_t> which,
                        const explain_in_use& in_use);

/// write_explain_json() plus, per image, `inUse`: the references that make it in use (an empty
/// array when none), and `inUseThroughIndexes` when it runs through an index.
void write_explain_json(std::ostream& out, const explainer& ex, std::span<const std::size_t> which,
                        const explain_in_use& in_use);

/// Everything a registry report shows.
struct registry_document {
  const registry_snapshot& snapshot;
  const registry_result& result;            ///< evaluate_registry(snapshot, ...)
  std::span<const repository_outcome> outcomes;  ///< one per repository, same index
  const impact& total;                      ///< the outcomes' impacts summed
  timestamp now;
  std::string_view override_policy;         ///< the `--policy` file, or "" (own policies)
  in_use_view in_use;
  // For the HTML page's explanations (left at their defaults, the other formats do not use them).
  /// The policy `override_policy` names, as evaluated (nullptr: each repository's own).
  const lifecycle_policy* policy_override = nullptr;
  /// registry_options::independent_images of the evaluation.
  bool independent_images = false;
  /// HTML: affected images listed over all repositories, each with its explanation (0 = all).
  std::size_t max_rows = 1000;
};

/// For a person: in-use violations first (with `--in-use`), then one line per repository (policy,
/// images, expire, transition, bytes freed, monthly cost before/after, findings before/after),
/// a total line, and the total impact.
[[nodiscard]] std::string render_registry_table(const registry_document& doc);

/// `{"ecrlpInUseViolations"?, "format": "ecrlp-registry-preview", "snapshot", "now", "policy",
/// "repositories": [...], "totals", "ecrlpImpact"}`, 4-space indented; each repository carries
/// the AWS preview shape (`previewResults`, `summary`) and its own `ecrlpImpact` (with `rules`);
/// the total `ecrlpImpact` has `rules` only with an override policy (else priorities of
/// different policies would be merged).
[[nodiscard]] std::string render_registry_json(const registry_document& doc);

/// One RFC 4180 row per image of every evaluated repository: the violations first, then every
/// repository's images (name order, oldest first), with the columns `repositoryName`,
/// `imageDigest`, `imageTags`, `imagePushedAt`, `imageStatus`, `imageSizeInBytes`, `findings`,
/// `action`, `appliedRulePriority`, `inUse`, `inUseReferences`.
[[nodiscard]] std::string render_registry_csv(const registry_document& doc);

/// One self-contained HTML page (no network, no external file): in-use violations first, bytes per
/// repository as stacked bars (kept, archived, freed), a sortable table of the repositories, the
/// total impact and the findings before and after by severity, then per repository the sortable
/// table of its affected images, each digest unfolding to its explanation (at most
/// `doc.max_rows` rows over the whole page, repositories in name order, oldest first).
[[nodiscard]] std::string render_registry_html(const registry_document& doc);

}  // namespace ecrlp
