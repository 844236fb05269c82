// SPDX-License-Identifier: MIT
#pragma once

/// Documents: what each command says, as data (docs/design.md). A command evaluates, builds one
/// document, and hands it to render() (<ecrlp/render.hpp>), which writes it in the format asked
/// for. Documents refer to the policies, images and results they describe (which must outlive
/// them); they copy nothing, so a document over a million images costs a few pointers.
///
/// The functions declared here are facts derived from documents that callers need besides the
/// rendered text (exit statuses, summaries); they are compiled in lib/document/.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/diff.hpp>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/explain.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/impact.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/lint.hpp>
#include <ecrlp/plan_check.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/registry.hpp>
#include <ecrlp/simulate.hpp>
#include <ecrlp/time.hpp>
#include <ecrlp/totals.hpp>

namespace ecrlp {

// ---- Diagnostics (`ecrlp validate`, and every command's warnings and errors) ------------------

/// Diagnostics as compiler-style lines (text) or an array of objects (JSON).
struct diagnostics_document {
  std::span<const diagnostic> diagnostics;
};

/// One policy file checked by `ecrlp validate`.
struct validated_policy {
  std::string file;        ///< the file as given (or the repository's lifecycle-policy.json)
  std::string repository;  ///< the repository it belongs to with --registry, else ""
  bool valid = false;      ///< no error among `diagnostics`
  std::optional<std::size_t> rules;  ///< the number of rules when the policy could be read
  std::vector<diagnostic> diagnostics;
};

/// What `ecrlp validate` says: every file's verdict and diagnostics.
struct validation_document {
  std::span<const validated_policy> policies;
  /// Repositories of a registry snapshot without a lifecycle-policy.json (with `registry`).
  std::span<const std::string> without_policy;
  bool registry = false;  ///< --registry was given
  bool valid = true;      ///< every policy valid and every file readable
};

// ---- One repository: preview, explain, diff, lint ----------------------------------------------

/// Everything a preview report shows.
struct preview_document {
  const lifecycle_policy& policy;  ///< the policy evaluated
  std::string_view policy_text;  ///< echoed as lifecyclePolicyText
  std::span<const image> images;    ///< the images evaluated
  const evaluation_result& result;  ///< evaluate(policy, images, {.now = now})
  timestamp now;                    ///< the instant of the evaluation
  std::string_view repository_name;  ///< omitted from JSON when empty
  std::string_view registry_id;      ///< omitted from JSON when empty

  // Optional parts (docs/in-use.md#reports, docs/impact.md#reports). Left null, every writer
  // prints exactly what it printed before they existed.

  /// The in-use references (in_use_list::refs), whose text, file and place the violations quote.
  /// Reference indices in `in_use` and `violations` refer to this list.
  const std::vector<in_use_ref>* in_use_refs = nullptr;
  /// match_in_use(*in_use_refs, ..., images, ...): one entry per image. Set means "an in-use
  /// list was given": the reports then say so even when nothing in use is removed (JSON: an
  /// empty `ecrlpInUseViolations`; CSV: the `inUse` column).
  const std::vector<in_use_match>* in_use = nullptr;
  /// find_violations(*in_use, result): the in-use images the evaluation expires or transitions,
  /// oldest first. Every writer lists them before anything else.
  const std::vector<in_use_violation>* violations = nullptr;
  /// compute_impact(images, result, prices): bytes freed per rule, monthly storage cost before
  /// and after at the prices it carries, archive minimum charge, findings before and after
  /// (text, JSON `ecrlpReport.impact`, HTML, markdown; not CSV).
  const ecrlp::impact* impact = nullptr;
  /// The index manifests and `independent_images` the evaluation was made with
  /// (evaluation_options): the explanations of the HTML page are made with the same, so that
  /// they tell the fate `result` gives.
  std::span<const index_manifest> indexes = {};
  bool independent_images = false;

  /// True when an in-use list was given (`in_use` or `violations` set).
  [[nodiscard]] bool has_in_use() const noexcept { return in_use != nullptr || violations != nullptr; }
};

/// In-use facts for `ecrlp explain --in-use`: one match per image of the explainer.
struct explain_in_use {
  std::span<const in_use_match> matches;  ///< match_in_use() over the explainer's images
  std::span<const in_use_ref> refs;       ///< the references the matches index
};

/// Why images are kept, expired or transitioned (`ecrlp explain`): the facts of the images at
/// `images` (input indices, in that order), and with `in_use`, the references that hold each
/// in-use image. Written image by image, so any number of images can be written.
struct explain_document {
  const explainer& explanation;
  std::span<const std::size_t> images;
  const explain_in_use* in_use = nullptr;
};

/// One repository of `ecrlp explain --registry`.
struct repository_explanation {
  std::string_view name;     ///< repositoryName
  explain_document document;
};

/// `ecrlp explain --registry`: one explanation per repository, in snapshot order.
struct registry_explain_document {
  std::span<const repository_explanation> repositories;
};

/// Everything a diff report shows.
struct diff_document {
  const lifecycle_policy& before_policy;
  const lifecycle_policy& after_policy;
  std::string_view before_name;  ///< the old policy's file
  std::string_view after_name;   ///< the new policy's file
  std::span<const image> images;
  const policy_diff& diff;
  timestamp now;
};

/// One repository's diff (registry_diff_document) as a single-repository document. Only for an
/// evaluated repository.
[[nodiscard]] inline diff_document document_of(const repository_diff& r, timestamp now) {
  return {*r.before_policy, *r.after_policy, r.before_name, r.after_name, r.images, r.diff, now};
}

/// One change of a plan check (plan_check_document) as the diff `ecrlp diff` reports. Only for an
/// evaluated change.
[[nodiscard]] inline diff_document document_of(const policy_change_check& c, timestamp now) {
  return {c.before_policy(), c.after_policy(), c.change.before_name, c.change.after_name,
          c.images,         c.diff,           now};
}

/// What `ecrlp lint` says of one policy.
struct lint_document {
  std::span<const lint_finding> findings;
  std::string_view file;  ///< the policy file the findings are about
};

/// One repository of `ecrlp lint --registry`.
struct repository_lint {
  std::string_view name;  ///< repositoryName
  bool has_policy = false;  ///< false: the repository has no policy and was not linted
  std::string file;        ///< the policy file linted
  std::vector<lint_finding> findings;
};

/// `ecrlp lint --registry`: every repository that could be read, in snapshot order; or, with
/// `by_policy`, every policy of infrastructure code (each entry's `name` its address).
struct registry_lint_document {
  std::span<const repository_lint> repositories;
  bool by_policy = false;
};

// ---- Policy unit tests (`ecrlp test`; docs/policy-tests.md) -------------------------------------

/// One test case's result.
struct test_case_result {
  enum class status : unsigned char {
    passed,
    failed,  ///< an expectation does not hold
    error    ///< it could not run: its policy could not be loaded
  };
  std::string name;
  status outcome = status::passed;
  std::string summary;  ///< one line: why it failed ("2 of 5 expectations failed")
  std::string details;  ///< the failed expectations, or the diagnostics of an error; lines
};

/// One case file's results.
struct test_file_result {
  std::string file;
  /// The file itself could not be read or is invalid: `cases` is empty and `summary` and
  /// `details` say why.
  bool unusable = false;
  std::string summary;
  std::string details;
  std::vector<test_case_result> cases;
};

/// What `ecrlp test` says: every case file with its cases (text; JUnit XML for CI tools).
struct test_run_document {
  std::span<const test_file_result> files;
};

// ---- Simulations (`ecrlp simulate`; docs/simulate.md) -------------------------------------------

/// A `--watch` key and the input indices of the images it names (find_watched()).
struct simulation_watch {
  std::string key;
  std::vector<std::size_t> images;
};

/// Everything a simulation report shows.
struct simulation_document {
  const lifecycle_policy& policy;     ///< the policy simulated
  std::span<const image> images;      ///< the inventory, in input order
  const simulation_options& options;  ///< the range, interval and mode
  const simulation_result& result;    ///< simulate(policy, images, options)
  std::span<const simulation_watch> watches;  ///< watched images, in the order asked
  /// `--in-use`: the references (in_use_match::refs index them). Empty with `in_use` empty: no
  /// in-use list was given.
  std::span<const in_use_ref> in_use_refs{};
  /// match_in_use() over `images` (the inventory, not the synthetic pushes): one per image, or
  /// empty when no in-use list was given.
  std::span<const in_use_match> in_use{};
  bool has_in_use = false;  ///< an in-use list was given (even one naming no image)
};

/// An in-use image that the simulation removes (expires or moves to archive).
struct in_use_removal {
  std::size_t image_index = 0;  ///< input index of the image
  std::size_t step = 0;         ///< the first step at which it is expired or transitioned
  fate action = fate::expire;   ///< expire or transition (what happens at `step`)
  std::optional<std::int64_t> rule;  ///< the rulePriority acting
};

/// The in-use images the simulation removes, by step (then input index): the first one is the
/// answer to "when would this policy first remove something that runs?".
[[nodiscard]] std::vector<in_use_removal> in_use_removals(const simulation_document& doc);

/// One simulation's figures at a glance: the first and last step by storage class, what left or
/// moved to archive over the whole run, findings before (after the first step) and after (after
/// the last), and the first in-use removal.
struct simulation_summary {
  std::size_t steps = 0;            ///< number of steps
  class_totals first_standard;      ///< after the first step: ACTIVE images
  class_totals first_archive;       ///< after the first step: ARCHIVED images
  class_totals first_activating;    ///< after the first step: ACTIVATING images
  class_totals last_standard;       ///< after the last step
  class_totals last_archive;        ///< after the last step
  class_totals last_activating;     ///< after the last step
  class_totals expired;             ///< deleted over all steps
  class_totals transitioned;        ///< moved to archive over all steps
  finding_counts findings_before;   ///< findings after the first step
  finding_counts findings_after;    ///< findings after the last step
  std::size_t in_use_removals = 0;  ///< in_use_removals(doc).size()
  std::optional<std::size_t> first_in_use_removal;  ///< its first step; nullopt when none
};

/// The summary of a simulation (all zero for a simulation without steps).
[[nodiscard]] simulation_summary summarize_simulation(const simulation_document& doc);

/// One repository of a registry simulation.
struct registry_simulation_entry {
  std::string name;         ///< the repository's name
  /// "own" or "override" (simulated with its own policy or --policy); "none" (skipped: no
  /// policy) or "failed" (skipped: its files have errors).
  std::string policy;
  /// The repository's simulation; null when skipped. Must outlive the document.
  const simulation_document* simulation = nullptr;
};

/// Everything a registry simulation report shows.
struct registry_simulation_document {
  const simulation_options& options;  ///< shared by every repository (range, interval, mode)
  std::span<const registry_simulation_entry> repositories;  ///< in snapshot order (by name)
  std::string_view override_policy;   ///< the --policy path applied to all, or "" (own policies)
  bool has_in_use = false;            ///< an in-use list was given
  std::string_view snapshot{};        ///< the snapshot directory for the HTML page ("": none)
};

/// The registry total per step: for each step, the sum over the simulated repositories of
/// `added`, `expired`, `transitioned`, the storage classes and findings (`evaluated`: at least
/// one repository was evaluated; `acted_by_rule` empty). Every repository has the same steps
/// (the options are shared); empty when no repository was simulated.
[[nodiscard]] std::vector<simulation_step> registry_simulation_total(
    std::span<const registry_simulation_entry> repositories);

/// "1d", "12h", "90m", "45s" or microseconds ("1500us"): the largest unit that divides `every`.
[[nodiscard]] std::string format_interval(std::chrono::microseconds every);

// ---- A registry preview (`ecrlp preview --registry`) ------------------------------------------

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
  /// registry_options::repository_policies of the evaluation.
  std::span<const repository_policy> repository_policies = {};
  /// registry_options::independent_images of the evaluation.
  bool independent_images = false;
};

}  // namespace ecrlp
