// SPDX-License-Identifier: MIT
#pragma once

/// The lifecycle-policy evaluator (spec section 2.2 and the ecrlp decisions). Header-only; needs no
/// JSON library. `now` is an argument: evaluation never reads the clock.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/tag_match.hpp>
#include <ecrlp/time.hpp>

namespace ecrlp {

/// Inputs of an evaluation other than the policy and the images.
struct evaluation_options {
  timestamp now{};  ///< the instant the policy is evaluated at (required)
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

/// The outcome for one image.
struct image_decision {
  fate action = fate::keep;
  /// rulePriority of the owning rule: the highest-priority rule whose tag requirements and storage
  /// class the image meets. Only the owner may act on the image. nullopt: no rule selects it.
  std::optional<std::int64_t> owner;

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
};

/// The result of evaluating a policy over a repository's images.
struct evaluation_result {
  /// One decision per input image, at the same index.
  std::vector<image_decision> decisions;
  /// Input indices ordered oldest -> newest by (reference time, imageDigest) (ecrlp decision 2).
  std::vector<std::size_t> order;
  /// One entry per rule, in priority order (lowest rulePriority first).
  std::vector<rule_summary> rules;
  std::size_t expiring = 0;       ///< expiringImageTotalCount
  std::size_t transitioning = 0;  ///< images transitioning to ARCHIVE
  /// Non-fatal findings about the data (e.g. an ARCHIVED image without lastArchivedAt).
  std::vector<diagnostic> warnings;
};

namespace detail {

inline constexpr std::int64_t microseconds_per_day = 86'400'000'000;

/// `now - reference > days x 86400 s` at microsecond precision, strictly (ecrlp decision 1),
/// without overflow for any countNumber.
[[nodiscard]] constexpr bool older_than(timestamp now, timestamp reference,
                                        std::int64_t days) noexcept {
  const std::int64_t age = (now - reference).count();
  constexpr std::int64_t max_days = std::numeric_limits<std::int64_t>::max() / microseconds_per_day;
  if (days > max_days) return false;  // longer than any representable age
  if (days < -max_days) return true;  // (only invalid policies have negative counts)
  return age > days * microseconds_per_day;
}

/// Storage-class code per image: 0 standard, 1 archive, 2 selected by no rule (ACTIVATING).
[[nodiscard]] constexpr unsigned char class_code(image_status s) noexcept {
  const auto sc = storage_class_of(s);
  if (!sc) return 2;
  return *sc == storage_class::archive ? 1 : 0;
}

/// Tags of all images interned into dense ids, stored compressed-row (image i owns
/// ids[offsets[i] .. offsets[i+1])). Lets each rule entry be matched once per distinct tag.
struct tag_table {
  std::vector<std::uint32_t> offsets;
  std::vector<std::uint32_t> ids;
  std::vector<std::string_view> distinct;

  explicit tag_table(std::span<const image> images) {
    std::unordered_map<std::string_view, std::uint32_t> index;
    offsets.reserve(images.size() + 1);
    offsets.push_back(0);
    for (const auto& img : images) {
      for (const auto& t : img.tags) {
        auto [it, inserted] = index.try_emplace(t, static_cast<std::uint32_t>(distinct.size()));
        if (inserted) distinct.push_back(t);
        ids.push_back(it->second);
      }
      offsets.push_back(static_cast<std::uint32_t>(ids.size()));
    }
  }
};

/// A tagged rule's list compiled against the distinct tags: hits[e * distinct + id] is true when
/// entry e matches that tag.
struct compiled_list {
  std::size_t entries = 0;
  std::size_t width = 0;
  std::vector<unsigned char> hits;

  compiled_list(const selection& sel, const tag_table& tags)
      : entries(sel.tag_list.size()), width(tags.distinct.size()), hits(entries * width) {
    for (std::size_t e = 0; e < entries; ++e) {
      for (std::size_t id = 0; id < width; ++id) {
        hits[e * width + id] = entry_matches(sel.list_kind, sel.tag_list[e], tags.distinct[id]);
      }
    }
  }

  /// Every entry matched by at least one of the image's tags (spec 2.2: a tagged image and
  /// "for all entries, some tag"; an empty list, which validation rejects, matches every tagged
  /// image).
  [[nodiscard]] bool matches(std::span<const std::uint32_t> image_tags) const noexcept {
    if (image_tags.empty()) return false;
    for (std::size_t e = 0; e < entries; ++e) {
      const unsigned char* row = hits.data() + e * width;
      bool any = false;
      for (const auto id : image_tags) {
        if (row[id] != 0) {
          any = true;
          break;
        }
      }
      if (!any) return false;
    }
    return true;
  }
};

/// Rule indices sorted by (priority, document position): the order rules are applied in.
[[nodiscard]] inline std::vector<std::size_t> priority_order(const lifecycle_policy& policy) {
  std::vector<std::size_t> idx(policy.rules.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    return policy.rules[a].priority < policy.rules[b].priority;
  });
  return idx;
}

/// Input indices ordered oldest -> newest by (reference time, digest) (ecrlp decision 2).
[[nodiscard]] inline std::vector<std::size_t> age_order(std::span<const image> images) {
  std::vector<timestamp> ref(images.size());
  for (std::size_t i = 0; i < images.size(); ++i) ref[i] = reference_time(images[i]);
  std::vector<std::size_t> idx(images.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    if (ref[a] != ref[b]) return ref[a] < ref[b];
    if (images[a].digest != images[b].digest) return images[a].digest < images[b].digest;
    return a < b;
  });
  return idx;
}

}  // namespace detail

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
  const std::size_t n = images.size();
  evaluation_result result;
  result.decisions.resize(n);
  result.order = detail::age_order(images);

  std::vector<unsigned char> cls(n);
  for (std::size_t i = 0; i < n; ++i) cls[i] = detail::class_code(images[i].status);

  const detail::tag_table tags(images);
  const auto rule_order = detail::priority_order(policy);
  std::vector<unsigned char> owned(n, 0);
  std::vector<unsigned char> warned(n, 0);

  for (const std::size_t ri : rule_order) {
    const rule& r = policy.rules[ri];
    const selection& sel = r.selection;
    rule_summary summary;
    summary.priority = r.priority;
    const unsigned char want = sel.storage == storage_class::archive ? 1 : 0;
    std::optional<detail::compiled_list> list;
    if (sel.status == tag_status::tagged) list.emplace(sel, tags);
    const fate act = r.action.type == action_type::transition ? fate::transition : fate::expire;

    std::size_t rank = 0;
    for (std::size_t k = n; k-- > 0;) {  // newest first, so rank 1 is the newest image
      const std::size_t i = result.order[k];
      if (cls[i] != want) continue;
      const std::span<const std::uint32_t> ids(tags.ids.data() + tags.offsets[i],
                                               tags.offsets[i + 1] - tags.offsets[i]);
      bool match = false;
      switch (sel.status) {
        case tag_status::any:
          match = true;
          break;
        case tag_status::untagged:
          match = ids.empty();
          break;
        case tag_status::tagged:
          match = list->matches(ids);
          break;
      }
      if (!match) continue;
      ++summary.identified;
      ++rank;
      const image& img = images[i];
      bool marked = false;
      switch (sel.type) {
        case count_type::image_count_more_than:
          marked = sel.count_number < 0 || rank > static_cast<std::uint64_t>(sel.count_number);
          break;
        case count_type::since_image_pushed:
          marked = detail::older_than(options.now, reference_time(img), sel.count_number);
          break;
        case count_type::since_image_pulled:
          marked = detail::older_than(options.now, pull_reference_time(img), sel.count_number);
          break;
        case count_type::since_image_transitioned:
          if (img.last_archived_at) {
            marked = detail::older_than(options.now, *img.last_archived_at, sel.count_number);
          } else if (img.status == image_status::archived && warned[i] == 0) {
            warned[i] = 1;
            diagnostic d;
            d.level = severity::warning;
            d.code = "image.archived_without_archive_time";
            d.message = "ARCHIVED image " + img.digest +
                        " has no lastArchivedAt; it never meets a sinceImageTransitioned limit";
            result.warnings.push_back(std::move(d));
          }
          break;
      }
      if (marked) ++summary.marked;
      if (owned[i] != 0) continue;
      owned[i] = 1;
      auto& dec = result.decisions[i];
      dec.owner = r.priority;
      ++summary.owned;
      summary.owned_bytes += img.size_bytes;
      if (marked) {
        dec.action = act;
        ++summary.acted;
        summary.acted_bytes += img.size_bytes;
        if (act == fate::expire) {
          ++result.expiring;
        } else {
          ++result.transitioning;
        }
      }
    }
    result.rules.push_back(summary);
  }
  return result;
}

}  // namespace ecrlp
