// SPDX-License-Identifier: MIT
#pragma once

/// The lifecycle-policy evaluator (spec section 2.2 and the ecrlp decisions). Header-only; needs no
/// JSON library. `now` is an argument: evaluation never reads the clock.
///
/// This header is the contract: the options, the result types and the functions to call. How
/// the evaluation is done (the age order, the prepared arrays and their bit planes, the rule loop)
/// is in <ecrlp/detail/>, which it includes; see docs/design.md for what each of those holds.

#include <ecrlp/detail/evaluate_prepare.hpp>
#include <ecrlp/diagnostic.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/tag_match.hpp>
#include <ecrlp/time.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace ecrlp {

/// Inputs of an evaluation other than the policy and the images.
struct evaluation_options {
  timestamp now{};  ///< the instant the policy is evaluated at (required)
  /// Manifests of the repository's image indexes (inventory::indexes). An image listed by a live
  /// index (one present and not ARCHIVED) is guarded: no rule selects, counts or acts on it
  /// (spec 2.2 eligibility, 2.7). Empty: indexes are unknown and their children stand alone.
  std::span<const index_manifest> indexes{};
  /// Evaluate every image on its own (`--independent-images`): ignore `indexes` and
  /// subjectManifestDigest, as ECR did before it knew about relationships (ecrlp decision 8).
  bool independent_images = false;
};

/// What happens to an image.
enum class fate : unsigned char {
  keep,       ///< no action
  expire,     ///< deleted (EXPIRE)
  transition  ///< moved to the archive storage class (TRANSITION, targetStorageClass ARCHIVE)
};

/// Lower-case name of a fate ("keep", "expire", "transition").
[[nodiscard]] constexpr std::string_view to_string(fate f) noexcept {
  switch (f) {
    case fate::keep:
      return "keep";
    case fate::expire:
      return "expire";
    case fate::transition:
      return "transition";
  }
  return "?";
}

/// How an image's relationships decided its fate (spec 2.2 eligibility, 2.7).
enum class relation : unsigned char {
  none,         ///< judged by the rules on its own
  index_child,  ///< listed by a live image index: no rule selects, counts or acts on it
  referrer      ///< a referrer whose subject is in the repository: it follows its subject
};

/// Lower-case name of a relation ("none", "index-child", "referrer").
[[nodiscard]] constexpr std::string_view to_string(relation r) noexcept {
  switch (r) {
    case relation::none:
      return "none";
    case relation::index_child:
      return "index-child";
    case relation::referrer:
      return "referrer";
  }
  return "?";
}

/// The outcome for one image.
struct image_decision {
  fate action = fate::keep;
  /// index_child or referrer when a relationship, not the rules, decided the image.
  relation related = relation::none;
  /// Input index of the live index that guards it (index_child) or of its subject (referrer);
  /// 0 when `related` is none.
  std::uint32_t related_to = 0;
  /// rulePriority of the owning rule: the highest-priority rule whose tag requirements and storage
  /// class the image meets. Only the owner may act on the image. nullopt: no rule selects it.
  /// For a referrer, the owner of the subject it follows (the referrer goes when that rule acts
  /// on the subject).
  std::optional<std::int64_t> owner;

  /// A decision: `image_decision{fate::expire, 3}` (24 bytes: one per image of an evaluation).
  constexpr image_decision(fate a = fate::keep, std::optional<std::int64_t> o = std::nullopt,
                           relation r = relation::none, std::uint32_t to = 0) noexcept
      : action{a}, related{r}, related_to{to}, owner{o} {}

  /// appliedRulePriority: the owner's priority when the image is acted on, else nullopt.
  [[nodiscard]] std::optional<std::int64_t> applied_rule_priority() const noexcept {
    return action == fate::keep ? std::nullopt : owner;
  }
};

/// Per-rule totals of an evaluation.
struct rule_summary {
  std::int64_t priority = 0;
  std::size_t identified = 0;  ///< images meeting its storage class and tag requirements
  std::size_t marked = 0;      ///< of those, images past its count or age limit
  std::size_t owned = 0;       ///< images it is the highest-priority match for
  std::size_t acted = 0;       ///< owned and marked: expired or transitioned by this rule
  std::uint64_t owned_bytes = 0;
  std::uint64_t acted_bytes = 0;
  /// Referrers that go with the images this rule acts on (not in `acted`).
  std::size_t cascaded = 0;
  std::uint64_t cascaded_bytes = 0;
};

/// The result of evaluating a policy over a repository's images.
struct evaluation_result {
  /// One decision per input image, at the same index.
  std::vector<image_decision> decisions;
  /// Input indices ordered oldest -> newest by (reference time, imageDigest) (ecrlp decision 2).
  std::vector<std::size_t> order;
  /// One entry per rule, in priority order (lowest rulePriority first).
  std::vector<rule_summary> rules;
  std::size_t expiring = 0;       ///< expiringImageTotalCount (referrers that follow included)
  std::size_t transitioning = 0;  ///< images transitioning to ARCHIVE (referrers included)
  std::size_t guarded = 0;        ///< images guarded by a live index (relation::index_child)
  std::size_t referrers = 0;      ///< referrers following their subject (relation::referrer)
  /// Non-fatal findings about the data (e.g. an ARCHIVED image without lastArchivedAt).
  std::vector<diagnostic> warnings;
};

class prepared_inventory;

/// Evaluates `policy` over prepared images at `options.now`: the same result as
/// evaluate(policy, prepared.images(), options), without redoing the policy-independent work.
[[nodiscard]] inline evaluation_result evaluate(const lifecycle_policy& policy,
                                                const prepared_inventory& prepared,
                                                const evaluation_options& options);

/// What every evaluation of a set of images derives from the images alone, whatever the policy:
/// the age order, and per image, in that order, its storage class, reference times, size and tags
/// (with the first 16 bytes of each tag and a character signature, so that most list entries are
/// decided without reading the tag), and bitsets over that order: the storage classes, the tagged
/// images, and the signature planes (detail::signature_plane), so that a rule rules out 64 images
/// with a few word operations. Build it once and evaluate several policies against it
/// (ecrlp diff, simulations): evaluate(policy, prepared, options) skips the sort and the copying
/// that evaluate(policy, images, options) repeats on each call, and gives the same result.
///
/// It refers to `images` without copying them: they must outlive it and stay unchanged.
/// Thread-safe to share between concurrent evaluations (it is not modified after construction).
class prepared_inventory {
 public:
  /// Sorts and indexes `images` (linear in their number and total tag length, plus the sort).
  explicit prepared_inventory(std::span<const image> images) : arrays_{images} {}

  /// The images, in input order.
  [[nodiscard]] std::span<const image> images() const noexcept { return arrays_.images; }
  /// Input indices oldest -> newest (ecrlp decision 2); evaluation_result::order.
  [[nodiscard]] const std::vector<std::size_t>& order() const noexcept { return arrays_.order; }
  /// Number of images.
  [[nodiscard]] std::size_t size() const noexcept { return arrays_.images.size(); }
  /// Does any image name a subject (subjectManifestDigest)?
  [[nodiscard]] bool has_referrers() const noexcept { return arrays_.has_referrers; }

 private:
  friend evaluation_result evaluate(const lifecycle_policy&, const prepared_inventory&,
                                    const evaluation_options&);

  detail::prepared_arrays arrays_;
};

/// Does `r` identify image `img` (storage class and tag requirements, spec 2.2 S(r))?
[[nodiscard]] inline bool identifies(const rule& r, const image& img) noexcept {
  const auto sc = storage_class_of(img.status);
  return sc && *sc == r.selection.storage && tags_match(r.selection, img.tags);
}

/// Evaluates `policy` over `images` at `options.now` (spec 2.2).
///
/// Phase 1: every rule identifies the images of its storage class that meet its tag requirements,
/// and marks those past its limit; count limits rank all identified images newest first, including
/// images that higher-priority rules also identify. Phase 2: each image's owner is the
/// highest-priority rule identifying it, and only the owner's mark acts on it.
///
/// The policy is expected to be valid (see validate()); any policy is evaluated deterministically.
/// Digests are expected to be unique; equal digests are ordered by input position.
[[nodiscard]] inline evaluation_result evaluate(const lifecycle_policy& policy,
                                                std::span<const image> images,
                                                const evaluation_options& options) {
  return evaluate(policy, prepared_inventory(images), options);
}

}  // namespace ecrlp

// The definition of evaluate(policy, prepared, options): last, since it needs the types above.
#include <ecrlp/detail/evaluate_rules.hpp>
