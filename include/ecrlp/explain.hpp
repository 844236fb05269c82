// SPDX-License-Identifier: MIT
#pragma once

/// Why an image is kept, expired or transitioned: the facts behind an evaluation, image by image
/// (`ecrlp explain`). Header-only; needs no JSON library.
///
/// An `explainer` ranks every rule's images once (O(rules x images) after one sort), so that
/// explaining each of N images costs O(rules x list entries x tags), not O(N).

#include <cassert>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <ecrlp/evaluate.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/tag_match.hpp>
#include <ecrlp/time.hpp>

namespace ecrlp {

/// The instant an age limit measures from.
enum class time_reference : unsigned char {
  push,       ///< imagePushedAt
  restore,    ///< lastActivatedAt: restored from archive (and, for pull age, not pulled since)
  last_pull,  ///< lastRecordedPullTime
  archive     ///< lastArchivedAt
};

/// Words for a time reference ("push", "restore", "last pull", "archive").
[[nodiscard]] constexpr std::string_view to_string(time_reference r) noexcept {
  switch (r) {
    case time_reference::push:
      return "push";
    case time_reference::restore:
      return "restore";
    case time_reference::last_pull:
      return "last pull";
    case time_reference::archive:
      return "archive";
  }
  return "?";
}

/// The ImageDetail field a time reference comes from ("imagePushedAt", "lastActivatedAt", ...).
[[nodiscard]] constexpr std::string_view field_name(time_reference r) noexcept {
  switch (r) {
    case time_reference::push:
      return "imagePushedAt";
    case time_reference::restore:
      return "lastActivatedAt";
    case time_reference::last_pull:
      return "lastRecordedPullTime";
    case time_reference::archive:
      return "lastArchivedAt";
  }
  return "?";
}

/// A reference time and where it came from.
struct dated_reference {
  time_reference kind = time_reference::push;
  timestamp at{};
};

/// The time an age limit of type `type` measures `img` from, as the evaluator does: the reference
/// time for sinceImagePushed, the pull reference for sinceImagePulled, lastArchivedAt for
/// sinceImageTransitioned. nullopt for imageCountMoreThan, and for an image without lastArchivedAt
/// under sinceImageTransitioned (ecrlp decision 5: it never meets that limit).
[[nodiscard]] constexpr std::optional<dated_reference> age_reference(count_type type,
                                                                     const image& img) noexcept {
  switch (type) {
    case count_type::image_count_more_than:
      return std::nullopt;
    case count_type::since_image_pushed:
      if (img.last_activated_at)
        return dated_reference{time_reference::restore, *img.last_activated_at};
      return dated_reference{time_reference::push, img.pushed_at};
    case count_type::since_image_pulled:
      if (img.last_activated_at &&
          (!img.last_pulled_at || *img.last_pulled_at < *img.last_activated_at)) {
        return dated_reference{time_reference::restore, *img.last_activated_at};
      }
      if (img.last_pulled_at)
        return dated_reference{time_reference::last_pull, *img.last_pulled_at};
      return dated_reference{time_reference::push, img.pushed_at};
    case count_type::since_image_transitioned:
      if (img.last_archived_at)
        return dated_reference{time_reference::archive, *img.last_archived_at};
      return std::nullopt;
  }
  return std::nullopt;
}

/// How one rule's count or age limit judges one image it identifies.
struct limit_check {
  count_type type = count_type::image_count_more_than;
  std::int64_t limit = 0;      ///< countNumber: images to keep, or days
  bool past_limit = false;     ///< the rule marks the image
  std::size_t identified = 0;  ///< how many images the rule identifies
  /// imageCountMoreThan: the image's position among the images the rule identifies, newest = 1.
  std::size_t rank = 0;
  /// since*: the instant the age is measured from; nullopt for imageCountMoreThan and for an
  /// archived image without lastArchivedAt.
  std::optional<dated_reference> reference;
  std::chrono::microseconds age{};  ///< since*: now - reference

  /// The age in days (fractional).
  [[nodiscard]] double age_days() const noexcept {
    return static_cast<double>(age.count()) / static_cast<double>(detail::microseconds_per_day);
  }
};

/// Why a rule identifies an image, or why not.
enum class selection_outcome : unsigned char {
  selected,             ///< the rule identifies the image
  activating,           ///< the image is ACTIVATING: no rule selects it
  other_storage_class,  ///< the image is in the other storage class
  image_tagged,         ///< an untagged rule, and the image has tags
  image_untagged,       ///< a tagged rule, and the image has no tags
  entry_unmatched,      ///< a tagged rule, and some list entry matches none of the image's tags
  related               ///< a child of a live index, or a referrer: no rule selects it (spec 2.7)
};

[[nodiscard]] constexpr std::string_view to_string(selection_outcome o) noexcept {
  switch (o) {
    case selection_outcome::selected:
      return "selected";
    case selection_outcome::activating:
      return "activating";
    case selection_outcome::other_storage_class:
      return "otherStorageClass";
    case selection_outcome::image_tagged:
      return "imageTagged";
    case selection_outcome::image_untagged:
      return "imageUntagged";
    case selection_outcome::entry_unmatched:
      return "entryUnmatched";
    case selection_outcome::related:
      return "related";
  }
  return "?";
}

/// What part a rule plays for an image.
enum class rule_role : unsigned char {
  owner,         ///< the highest-priority rule identifying the image: its verdict applies
  overridden,    ///< identifies the image and is past its limit, but the owner protects the image
  within_limit,  ///< identifies the image, not past its limit (and not the owner)
  not_selected   ///< does not identify the image
};

[[nodiscard]] constexpr std::string_view to_string(rule_role r) noexcept {
  switch (r) {
    case rule_role::owner:
      return "owner";
    case rule_role::overridden:
      return "overridden";
    case rule_role::within_limit:
      return "withinLimit";
    case rule_role::not_selected:
      return "notSelected";
  }
  return "?";
}

/// One entry of a tag list and the image's tags that satisfy it. Views into the policy and the
/// images the explainer was built from.
struct entry_match {
  std::string_view entry;              ///< the prefix or pattern
  std::vector<std::string_view> tags;  ///< tags satisfying it, in image order; empty: none does
};

/// One rule, as it sees one image.
struct rule_explanation {
  std::size_t rule_index = 0;  ///< index into policy.rules
  std::int64_t priority = 0;
  selection_outcome outcome = selection_outcome::selected;
  rule_role role = rule_role::not_selected;
  /// For a tagged rule of the image's storage class and a tagged image: every list entry with the
  /// tags that satisfy it (the list matches only when every entry has one). Else empty.
  std::vector<entry_match> entries;
  std::optional<limit_check> limit;  ///< set when the rule identifies the image
};

/// Everything that decides one image's fate.
struct image_explanation {
  std::size_t image_index = 0;  ///< index into the images
  fate action = fate::keep;
  std::optional<std::int64_t> owner;  ///< owner's rulePriority; nullopt: no rule selects it
  std::vector<rule_explanation>
      rules;  ///< every rule, in priority order (owner first of those selecting)
  /// index_child: a live index (image `related_to`) guards the image; referrer: it follows its
  /// subject (image `related_to`), and `action`/`owner` are those of the end of its subject chain
  /// (image `chain_end`). No rule selects a related image.
  relation related = relation::none;
  std::size_t related_to = 0;
  std::size_t chain_end = 0;

  /// The owner's explanation, or nullptr.
  [[nodiscard]] const rule_explanation* owner_rule() const noexcept {
    for (const auto& r : rules) {
      if (r.role == rule_role::owner) return &r;
    }
    return nullptr;
  }
};

/// Explains the images of one evaluation. Holds references to `policy` and `images`, which must
/// outlive it. Construction ranks every rule's images once; explain() is then cheap per image.
class explainer {
 public:
  explainer(const lifecycle_policy& policy, std::span<const image> images, timestamp now)
      : explainer(policy, images, evaluation_options{.now = now}) {}

  /// As evaluate(policy, images, options) sees them: with the index manifests and the
  /// independent-images switch of `options` (only `options.indexes` must outlive the call).
  explainer(const lifecycle_policy& policy, std::span<const image> images,
            const evaluation_options& options)
      : policy_(&policy),
        images_(images),
        now_(options.now),
        order_(detail::age_order(images)),
        rule_order_(detail::priority_order(policy)),
        ranks_(rule_order_.size() * images.size(), 0),
        identified_(rule_order_.size(), 0) {
    assert(images.size() < std::numeric_limits<std::uint32_t>::max());
    const std::size_t n = images.size();
    if (!options.independent_images) {
      bool referrers = false;
      for (const auto& img : images) referrers = referrers || !img.subject_digest.empty();
      if (referrers || !options.indexes.empty()) {
        std::vector<diagnostic> warnings;  // the evaluation reports them
        relations_ = detail::relate(images, options.indexes, warnings);
      }
    }
    for (std::size_t k = 0; k < rule_order_.size(); ++k) {
      const rule& r = policy.rules[rule_order_[k]];
      std::uint32_t rank = 0;
      for (std::size_t pos = n; pos-- > 0;) {  // newest first: rank 1 is the newest image
        const std::size_t i = order_[pos];
        if (related(i) != relation::none) continue;
        if (identifies(r, images[i])) ranks_[k * n + i] = ++rank;
      }
      identified_[k] = rank;
    }
  }

  /// The facts behind image `image_index`'s fate.
  [[nodiscard]] image_explanation explain(std::size_t image_index) const {
    const image& img = images_[image_index];
    image_explanation out;
    out.image_index = image_index;
    out.rules.reserve(rule_order_.size());
    if (const relation rel = related(image_index); rel != relation::none) {
      out.related = rel;
      out.related_to = relations_.related_to[image_index];
      for (std::size_t k = 0; k < rule_order_.size(); ++k) {
        rule_explanation& e = out.rules.emplace_back();
        e.rule_index = rule_order_[k];
        e.priority = policy_->rules[rule_order_[k]].priority;
        e.outcome = selection_outcome::related;
      }
      if (rel == relation::referrer) {
        out.chain_end = relations_.root[image_index];
        const image_explanation end = explain(out.chain_end);
        out.action = detail::cascaded_action(end.action, img.status);
        out.owner = end.owner;
      }
      return out;
    }
    const rule_explanation* owner = nullptr;
    for (std::size_t k = 0; k < rule_order_.size(); ++k) {
      const rule& r = policy_->rules[rule_order_[k]];
      rule_explanation& e = out.rules.emplace_back();
      e.rule_index = rule_order_[k];
      e.priority = r.priority;
      e.outcome = select(r, img, e.entries);
      const std::uint32_t rank = ranks_[k * images_.size() + image_index];
      assert((rank != 0) == (e.outcome == selection_outcome::selected));
      if (rank == 0) continue;
      e.limit = check(r.selection, img, rank, identified_[k]);
      if (owner == nullptr) {
        e.role = rule_role::owner;
        owner = &e;
        out.owner = r.priority;
        if (e.limit->past_limit) {
          out.action = r.action.type == action_type::transition ? fate::transition : fate::expire;
        }
      } else {
        e.role = e.limit->past_limit ? rule_role::overridden : rule_role::within_limit;
      }
    }
    return out;
  }

  /// Input indices ordered oldest -> newest by (reference time, digest), as the evaluator orders.
  [[nodiscard]] std::span<const std::size_t> order() const noexcept { return order_; }
  /// Number of images the rule at `rule_index` (into policy.rules) identifies.
  [[nodiscard]] std::size_t identified(std::size_t rule_index) const noexcept {
    for (std::size_t k = 0; k < rule_order_.size(); ++k) {
      if (rule_order_[k] == rule_index) return identified_[k];
    }
    return 0;
  }
  [[nodiscard]] const lifecycle_policy& policy() const noexcept { return *policy_; }
  [[nodiscard]] std::span<const image> images() const noexcept { return images_; }
  [[nodiscard]] timestamp now() const noexcept { return now_; }
  /// How image `image_index` relates to the others (relation::none when it stands alone).
  [[nodiscard]] relation related(std::size_t image_index) const noexcept {
    return relations_.related.empty() ? relation::none : relations_.related[image_index];
  }

 private:
  const lifecycle_policy* policy_;
  std::span<const image> images_;
  timestamp now_;
  std::vector<std::size_t> order_;
  std::vector<std::size_t> rule_order_;  ///< rule indices in priority order
  /// ranks_[k * images + i]: image i's rank (newest = 1) among the images the k-th rule in
  /// priority order identifies; 0 when that rule does not identify it.
  std::vector<std::uint32_t> ranks_;
  std::vector<std::size_t> identified_;  ///< per rule, in priority order
  detail::image_relations relations_;    ///< empty when every image stands alone

  /// Whether `r` identifies `img`, and for tagged rules which tags satisfy which entry.
  [[nodiscard]] static selection_outcome select(const rule& r, const image& img,
                                                std::vector<entry_match>& entries) {
    const auto sc = storage_class_of(img.status);
    if (!sc) return selection_outcome::activating;
    if (*sc != r.selection.storage) return selection_outcome::other_storage_class;
    switch (r.selection.status) {
      case tag_status::any:
        return selection_outcome::selected;
      case tag_status::untagged:
        return img.tags.empty() ? selection_outcome::selected : selection_outcome::image_tagged;
      case tag_status::tagged:
        break;
    }
    if (img.tags.empty()) return selection_outcome::image_untagged;
    bool all = true;
    for (const auto& entry : r.selection.tag_list) {
      entry_match& m = entries.emplace_back();
      m.entry = entry;
      for (const auto& tag : img.tags) {
        if (entry_matches(r.selection.list_kind, entry, tag)) m.tags.push_back(tag);
      }
      all = all && !m.tags.empty();
    }
    return all ? selection_outcome::selected : selection_outcome::entry_unmatched;
  }

  /// How the limit of `sel` judges `img`, given its rank among `identified` images.
  [[nodiscard]] limit_check check(const selection& sel, const image& img, std::size_t rank,
                                  std::size_t identified) const {
    limit_check c;
    c.type = sel.type;
    c.limit = sel.count_number;
    c.identified = identified;
    if (sel.type == count_type::image_count_more_than) {
      c.rank = rank;
      c.past_limit = sel.count_number < 0 || rank > static_cast<std::uint64_t>(sel.count_number);
      return c;
    }
    c.reference = age_reference(sel.type, img);
    if (c.reference) {
      c.age = now_ - c.reference->at;
      c.past_limit = detail::older_than(now_, c.reference->at, sel.count_number);
    }
    return c;
  }
};

/// The images `query` names, as input indices in input order: images whose digest is `query`,
/// starts with it, or whose hex part (after "sha256:") starts with it; and images carrying the tag
/// `query`. Empty when none (or when `query` is empty).
[[nodiscard]] inline std::vector<std::size_t> find_images(std::span<const image> images,
                                                          std::string_view query) {
  std::vector<std::size_t> found;
  if (query.empty()) return found;
  for (std::size_t i = 0; i < images.size(); ++i) {
    const std::string_view digest = images[i].digest;
    const auto colon = digest.find(':');
    const std::string_view hex =
        colon == std::string_view::npos ? digest : digest.substr(colon + 1);
    bool hit = digest.starts_with(query) || hex.starts_with(query);
    for (const auto& t : images[i].tags) hit = hit || t == query;
    if (hit) found.push_back(i);
  }
  return found;
}

}  // namespace ecrlp
