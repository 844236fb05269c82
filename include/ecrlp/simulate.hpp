// SPDX-License-Identifier: MIT
#pragma once

/// Time travel: applies a lifecycle policy at a series of instants, the way ECR's daily runs do,
/// so that each run sees what the earlier runs left (docs/simulate.md). Header-only; needs no JSON
/// library and never reads the clock: every instant is an argument.
///
/// Each step evaluates the policy with ecrlp::evaluate at the step's instant, deletes the images it
/// expires and moves the ones it transitions to the archive storage class (imageStatus ARCHIVED,
/// lastArchivedAt = the step's instant). In replay mode an image that was pushed after the first
/// step joins the repository at the first step at or after its push time.

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/tag_match.hpp>
#include <ecrlp/time.hpp>

namespace ecrlp {

/// Synthetic future pushes (forecast): `per_day` images a day, evenly spaced, the k-th at
/// `from + k x (1 day / per_day)` (k = 1, 2, ...), while not later than `to`.
struct push_rate {
  /// Tags of each pushed image: "{n}" is replaced by a sequence number (1 + the highest number
  /// the inventory already uses in tags of this form, then counting up). Without "{n}" the tag
  /// moves to each new image, as a push of an existing tag does in ECR (an image left without tags
  /// becomes untagged). Empty: the images are untagged.
  std::string tag_template;
  double per_day = 1;             ///< pushes per day (> 0)
  std::uint64_t size_bytes = 0;   ///< imageSizeInBytes of each pushed image
};

/// Inputs of a simulation other than the policy and the images.
struct simulation_options {
  timestamp from{};  ///< the first step's instant
  timestamp to{};    ///< no step is later than this
  std::chrono::microseconds every = std::chrono::days{1};  ///< the time between steps
  /// Replay: images pushed after `from` join at the first step at or after their push time.
  /// Off: every image is in the repository from the first step on, whatever its push time.
  bool replay = true;
  /// Evaluate at every step. Off (the default), a step is skipped when nothing can have changed
  /// since the last evaluation: no image joined or left, the last evaluation acted on nothing, and
  /// no `since*` limit can have been crossed. The results are the same either way.
  bool evaluate_every_step = false;
  /// More steps than this is an error (simulate.too_many_steps), not a very long computation.
  std::size_t max_steps = 100'000;
  /// Synthetic pushes (forecast mode); they join like replayed images.
  std::vector<push_rate> pushes{};
  /// More synthetic pushes than this is an error (simulate.too_many_pushes).
  std::size_t max_pushes = 10'000'000;
  /// Manifests of the repository's image indexes (inventory::indexes), as for evaluate(): a live
  /// index guards its children; once the index is expired, they are eligible from the next step.
  std::vector<index_manifest> indexes{};
  /// Evaluate every image on its own (evaluation_options::independent_images).
  bool independent_images = false;
};

/// Number and total size of a set of images.
struct class_totals {
  std::size_t images = 0;
  std::uint64_t bytes = 0;

  friend constexpr bool operator==(const class_totals&, const class_totals&) = default;
};

/// What happened at one step and what the repository holds afterwards.
struct simulation_step {
  timestamp at{};               ///< the step's instant (the evaluation's `now`)
  std::size_t added = 0;        ///< images that joined at this step (replay)
  class_totals expired;         ///< deleted at this step
  class_totals transitioned;    ///< moved to archive at this step
  /// Images acted on at this step per rule, aligned with simulation_result::rule_priorities.
  std::vector<std::size_t> acted_by_rule;
  class_totals standard;        ///< after the step: ACTIVE images
  class_totals archive;         ///< after the step: ARCHIVED images
  class_totals activating;      ///< after the step: ACTIVATING images (selected by no rule)
  finding_counts findings;      ///< after the step: scan findings of the images left
  bool evaluated = false;       ///< the policy was evaluated at this step (see evaluate_every_step)

  /// Every image in the repository after the step.
  [[nodiscard]] constexpr class_totals total() const noexcept {
    return {standard.images + archive.images + activating.images,
            standard.bytes + archive.bytes + activating.bytes};
  }
};

/// What happened to one input image over the simulation. Steps are indices into
/// simulation_result::steps.
struct image_timeline {
  std::optional<std::size_t> joined;        ///< step it joined at; nullopt: pushed after `to`
  std::optional<std::size_t> transitioned;  ///< step it moved to archive at
  std::optional<std::int64_t> transition_rule;  ///< the rulePriority that moved it
  std::optional<std::size_t> expired;       ///< step it was deleted at
  std::optional<std::int64_t> expire_rule;  ///< the rulePriority that deleted it
};

/// The result of a simulation.
struct simulation_result {
  std::vector<simulation_step> steps;
  /// One per input image, at the same index, then one per synthetic image (synthetic[i] at
  /// index input size + i).
  std::vector<image_timeline> images;
  /// The images simulation_options::pushes created, in push order, as pushed (digests
  /// "sha256:f0f0", the serial number 1, 2, ... in 8 hex digits, then zeros: 64 hex digits).
  std::vector<image> synthetic;
  std::vector<std::int64_t> rule_priorities;   ///< rules in priority order (lowest first)
  class_totals initial;                        ///< the images present before the first step runs
  std::size_t evaluations = 0;                 ///< steps at which the policy was evaluated
  /// Errors (bad options: nothing simulated) and warnings (e.g. evaluator warnings, once each).
  std::vector<diagnostic> diagnostics;

  /// No error diagnostic.
  [[nodiscard]] bool ok() const noexcept {
    return std::none_of(diagnostics.begin(), diagnostics.end(),
                        [](const diagnostic& d) { return d.level == severity::error; });
  }
};

namespace detail {

[[nodiscard]] inline diagnostic simulate_diagnostic(severity level, std::string code,
                                                    std::string message) {
  diagnostic d;
  d.level = level;
  d.code = std::move(code);
  d.message = std::move(message);
  return d;
}

constexpr void subtract(finding_counts& a, const finding_counts& b) noexcept {
  a.critical -= b.critical;
  a.high -= b.high;
  a.medium -= b.medium;
  a.low -= b.low;
  a.informational -= b.informational;
  a.undefined -= b.undefined;
}

/// The reference instant a `since*` rule measures for `img`, or nullopt when it never marks it.
[[nodiscard]] constexpr std::optional<timestamp> since_reference(count_type type,
                                                                 const image& img) noexcept {
  switch (type) {
    case count_type::since_image_pushed:
      return reference_time(img);
    case count_type::since_image_pulled:
      return pull_reference_time(img);
    case count_type::since_image_transitioned:
      return img.last_archived_at;
    case count_type::image_count_more_than:
      return std::nullopt;
  }
  return std::nullopt;
}

/// The latest instant up to which an evaluation at any later `now` marks exactly the images an
/// evaluation at `now` marks, ignoring count limits (which do not depend on `now`): the earliest
/// `reference + countNumber days` over the images each since* rule identifies that are not yet
/// past that limit. timestamp::max() when no limit can be crossed.
[[nodiscard]] inline timestamp next_crossing(const lifecycle_policy& policy,
                                             std::span<const image> images, timestamp now) {
  constexpr std::int64_t max_days = std::numeric_limits<std::int64_t>::max() / microseconds_per_day;
  std::int64_t wake = std::numeric_limits<std::int64_t>::max();
  for (const rule& r : policy.rules) {
    const selection& sel = r.selection;
    if (sel.type == count_type::image_count_more_than) continue;
    if (sel.count_number > max_days) continue;  // never crossed
    if (sel.count_number < 0) continue;         // marks every image at every instant
    const std::int64_t span = sel.count_number * microseconds_per_day;
    for (const image& img : images) {
      const auto sc = storage_class_of(img.status);
      if (!sc || *sc != sel.storage || !tags_match(sel, img.tags)) continue;
      const auto ref = since_reference(sel.type, img);
      if (!ref || older_than(now, *ref, sel.count_number)) continue;
      const std::int64_t v = ref->time_since_epoch().count();
      if (v > std::numeric_limits<std::int64_t>::max() - span) continue;
      wake = std::min(wake, v + span);
    }
  }
  return timestamp{std::chrono::microseconds{wake}};
}

/// The sequence number of `tag` if it has the form of `tmpl` (which contains "{n}").
[[nodiscard]] inline std::optional<std::uint64_t> template_number(std::string_view tmpl,
                                                                  std::string_view tag) noexcept {
  const std::size_t at = tmpl.find("{n}");
  const std::string_view pre = tmpl.substr(0, at);
  const std::string_view post = tmpl.substr(at + 3);
  if (tag.size() <= pre.size() + post.size() || !tag.starts_with(pre) || !tag.ends_with(post)) {
    return std::nullopt;
  }
  const std::string_view digits = tag.substr(pre.size(), tag.size() - pre.size() - post.size());
  if (digits.size() > 18) return std::nullopt;
  std::uint64_t n = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

/// The images `rates` push between `from` (exclusive) and `to` (inclusive), in push order; false
/// when there would be more than `limit`.
[[nodiscard]] inline bool synthetic_pushes(std::span<const push_rate> rates,
                                           std::span<const image> inventory, timestamp from,
                                           timestamp to, std::size_t limit,
                                           std::vector<image>& out) {
  static constexpr char hex[] = "0123456789abcdef";
  const double span_days = static_cast<double>((to - from).count()) / microseconds_per_day;
  double total = 0;
  for (const auto& r : rates) total += r.per_day * span_days;
  // (at most 2^32 - 1 pushes: the serial numbers in the digests stay unique)
  if (!(total <= static_cast<double>(std::min<std::size_t>(limit, 0xFFFF'FFFF)))) return false;
  std::uint64_t serial = 0;
  for (const auto& r : rates) {
    const auto interval = static_cast<std::int64_t>(static_cast<double>(microseconds_per_day) /
                                                    r.per_day);
    if (interval <= 0) return false;
    const bool numbered = r.tag_template.find("{n}") != std::string::npos;
    std::uint64_t next = 1;
    if (numbered) {
      for (const auto& img : inventory) {
        for (const auto& t : img.tags) {
          if (const auto n = template_number(r.tag_template, t); n && *n >= next) next = *n + 1;
        }
      }
    }
    for (std::int64_t k = 1;; ++k) {
      if (k > (to - from).count() / interval) break;
      image img;
      ++serial;
      img.digest = "sha256:f0f0";  // then the serial number in 8 hex digits, then zeros
      for (int shift = 28; shift >= 0; shift -= 4) img.digest.push_back(hex[(serial >> shift) & 15U]);
      img.digest.append(52, '0');
      img.pushed_at = from + std::chrono::microseconds{k * interval};
      img.size_bytes = r.size_bytes;
      if (!r.tag_template.empty()) {
        std::string tag = r.tag_template;
        if (numbered) tag.replace(tag.find("{n}"), 3, std::to_string(next++));
        img.tags.push_back(std::move(tag));
      }
      out.push_back(std::move(img));
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const image& a, const image& b) { return a.pushed_at < b.pushed_at; });
  return true;
}

}  // namespace detail

/// Applies `policy` at `options.from`, `from + every`, ... up to and including `options.to`.
/// `images` are the repository's images as recorded (input order is kept for evaluation); they are
/// copied once into the simulated repository, never modified.
[[nodiscard]] inline simulation_result simulate(const lifecycle_policy& policy,
                                                std::span<const image> images,
                                                const simulation_options& options) {
  using detail::simulate_diagnostic;
  simulation_result result;
  if (options.every.count() <= 0) {
    result.diagnostics.push_back(simulate_diagnostic(
        severity::error, "simulate.bad_interval", "the interval between steps must be positive"));
    return result;
  }
  if (options.to < options.from) {
    result.diagnostics.push_back(simulate_diagnostic(
        severity::error, "simulate.bad_range",
        "the last instant (" + format_timestamp(options.to) + ") is before the first (" +
            format_timestamp(options.from) + ")"));
    return result;
  }
  const auto span_count = (options.to - options.from).count();
  const std::uint64_t step_count =
      static_cast<std::uint64_t>(span_count / options.every.count()) + 1;
  if (step_count > options.max_steps) {
    result.diagnostics.push_back(simulate_diagnostic(
        severity::error, "simulate.too_many_steps",
        std::to_string(step_count) + " steps exceed the limit of " +
            std::to_string(options.max_steps) + "; use a longer interval or a shorter range"));
    return result;
  }

  for (const std::size_t ri : detail::priority_order(policy)) {
    result.rule_priorities.push_back(policy.rules[ri].priority);
  }
  const std::size_t rule_count = result.rule_priorities.size();
  const auto rule_slot = [&](std::int64_t priority) {
    // Priorities are unique in valid policies; the first slot with this priority otherwise.
    const auto it = std::find(result.rule_priorities.begin(), result.rule_priorities.end(), priority);
    return static_cast<std::size_t>(it - result.rule_priorities.begin());
  };

  for (const auto& r : options.pushes) {
    if (!(r.per_day > 0) || r.per_day > 1e9) {
      result.diagnostics.push_back(simulate_diagnostic(
          severity::error, "simulate.bad_push_rate",
          "the push rate of '" + r.tag_template + "' must be a positive number of pushes a day"));
      return result;
    }
  }
  if (!detail::synthetic_pushes(options.pushes, images, options.from, options.to,
                                options.max_pushes, result.synthetic)) {
    result.diagnostics.push_back(simulate_diagnostic(
        severity::error, "simulate.too_many_pushes",
        "the push rates would create more than " + std::to_string(options.max_pushes) +
            " images"));
    result.synthetic.clear();
    return result;
  }
  const auto source_image = [&](std::size_t i) -> const image& {
    return i < images.size() ? images[i] : result.synthetic[i - images.size()];
  };

  // Images joining after the first step, in push order (stable for equal push times).
  std::vector<std::size_t> pending;
  result.images.resize(images.size() + result.synthetic.size());
  std::vector<image> live;
  std::vector<std::size_t> source;  // input index of live[i]
  live.reserve(images.size());
  source.reserve(images.size());
  class_totals standard;
  class_totals archive;
  class_totals activating;
  finding_counts findings;
  const auto totals_of = [&](image_status s) -> class_totals& {
    switch (s) {
      case image_status::active:
        return standard;
      case image_status::archived:
        return archive;
      case image_status::activating:
        return activating;
    }
    return standard;
  };
  const auto join = [&](std::size_t i, std::size_t step) {
    const image& img = source_image(i);
    if (i >= images.size()) {
      // A pushed tag moves: no other image keeps it.
      for (const auto& tag : img.tags) {
        for (auto& other : live) {
          const auto it = std::find(other.tags.begin(), other.tags.end(), tag);
          if (it != other.tags.end()) other.tags.erase(it);
        }
      }
    }
    live.push_back(img);
    source.push_back(i);
    result.images[i].joined = step;
    auto& t = totals_of(img.status);
    ++t.images;
    t.bytes += img.size_bytes;
    if (img.findings) findings += *img.findings;
  };
  std::size_t later_fields = 0;
  for (std::size_t i = 0; i < images.size(); ++i) {
    const image& img = images[i];
    if (options.replay && img.pushed_at > options.from) {
      pending.push_back(i);
      continue;
    }
    join(i, 0);
    if ((img.last_pulled_at && *img.last_pulled_at > options.from) ||
        (img.last_archived_at && *img.last_archived_at > options.from) ||
        (img.last_activated_at && *img.last_activated_at > options.from)) {
      ++later_fields;
    }
  }
  result.initial = {live.size(), standard.bytes + archive.bytes + activating.bytes};
  if (later_fields != 0) {
    result.diagnostics.push_back(simulate_diagnostic(
        severity::warning, "simulate.recorded_after_start",
        std::to_string(later_fields) +
            " image(s) present at the first step have a lastRecordedPullTime, lastArchivedAt or "
            "lastActivatedAt after it; the recorded values are used as they are"));
  }
  for (std::size_t i = 0; i < result.synthetic.size(); ++i) pending.push_back(images.size() + i);
  std::stable_sort(pending.begin(), pending.end(), [&](std::size_t a, std::size_t b) {
    return source_image(a).pushed_at < source_image(b).pushed_at;
  });

  std::set<std::pair<std::string, std::string>> seen_warnings;
  std::size_t next_pending = 0;
  bool dirty = true;  // the repository changed since the last evaluation
  timestamp wake = timestamp::max();
  std::vector<unsigned char> remove;
  result.steps.reserve(static_cast<std::size_t>(step_count));
  for (std::uint64_t k = 0; k < step_count; ++k) {
    simulation_step step;
    step.at = options.from + options.every * static_cast<std::int64_t>(k);
    step.acted_by_rule.assign(rule_count, 0);
    const auto index = static_cast<std::size_t>(k);
    while (next_pending < pending.size() &&
           source_image(pending[next_pending]).pushed_at <= step.at) {
      join(pending[next_pending++], index);
      ++step.added;
      dirty = true;
    }
    if (dirty || options.evaluate_every_step || step.at > wake) {
      step.evaluated = true;
      ++result.evaluations;
      const evaluation_result ev =
          evaluate(policy, std::span<const image>(live),
                   {.now = step.at,
                    .indexes = options.indexes,
                    .independent_images = options.independent_images});
      for (const auto& w : ev.warnings) {
        if (seen_warnings.emplace(w.code, w.message).second) result.diagnostics.push_back(w);
      }
      remove.assign(live.size(), 0);
      bool acted = false;
      for (std::size_t i = 0; i < live.size(); ++i) {
        const image_decision& d = ev.decisions[i];
        if (d.action == fate::keep) continue;
        acted = true;
        image& img = live[i];
        image_timeline& line = result.images[source[i]];
        auto& from_class = totals_of(img.status);
        if (d.owner) ++step.acted_by_rule[rule_slot(*d.owner)];
        if (d.action == fate::expire) {
          ++step.expired.images;
          step.expired.bytes += img.size_bytes;
          --from_class.images;
          from_class.bytes -= img.size_bytes;
          if (img.findings) detail::subtract(findings, *img.findings);
          line.expired = index;
          line.expire_rule = d.owner;
          remove[i] = 1;
        } else {
          ++step.transitioned.images;
          step.transitioned.bytes += img.size_bytes;
          --from_class.images;
          from_class.bytes -= img.size_bytes;
          ++archive.images;
          archive.bytes += img.size_bytes;
          img.status = image_status::archived;
          img.last_archived_at = step.at;
          line.transitioned = index;
          line.transition_rule = d.owner;
        }
      }
      if (step.expired.images != 0) {
        std::size_t w = 0;
        for (std::size_t i = 0; i < live.size(); ++i) {
          if (remove[i] != 0) continue;
          if (w != i) {
            live[w] = std::move(live[i]);
            source[w] = source[i];
          }
          ++w;
        }
        live.resize(w);
        source.resize(w);
      }
      dirty = acted;
      wake = acted ? timestamp::max() : detail::next_crossing(policy, live, step.at);
    }
    step.standard = standard;
    step.archive = archive;
    step.activating = activating;
    step.findings = findings;
    result.steps.push_back(std::move(step));
  }
  return result;
}

/// Input indices of the images a `--watch` key names: the image with that exact digest; else the
/// image carrying that exact tag; else the one image whose digest starts with the key (with or
/// without "sha256:"), when the key has at least 8 characters. Empty when none matches (or a
/// digest prefix is ambiguous).
[[nodiscard]] inline std::vector<std::size_t> find_watched(std::span<const image> images,
                                                           std::string_view key) {
  std::vector<std::size_t> found;
  for (std::size_t i = 0; i < images.size(); ++i) {
    if (images[i].digest == key) found.push_back(i);
  }
  if (!found.empty()) return found;
  for (std::size_t i = 0; i < images.size(); ++i) {
    const auto& tags = images[i].tags;
    if (std::find(tags.begin(), tags.end(), key) != tags.end()) found.push_back(i);
  }
  if (!found.empty() || key.size() < 8) return found;
  for (std::size_t i = 0; i < images.size(); ++i) {
    std::string_view d = images[i].digest;
    if (d.starts_with(key) ||
        (!key.starts_with("sha256:") && d.starts_with("sha256:") && d.substr(7).starts_with(key))) {
      found.push_back(i);
    }
  }
  if (found.size() > 1) found.clear();
  return found;
}

}  // namespace ecrlp
