// SPDX-License-Identifier: MIT
#pragma once

/// A deliberately simple evaluator written straight from spec section 2.2 (pseudo-code) and the
/// ecrlp decisions, used by the tests as an independent oracle for ecrlp::evaluate.
///
/// It shares only the value types (policy.hpp, image.hpp) and the `fate` enum with the library: the
/// tag matching, the reference times, the age test and the ranking are re-implemented here, by brute
/// force and without any attempt at speed. Do not "optimise" this file: its value is that it is
/// obviously correct.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/evaluate.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/time.hpp>

namespace ecrlp_ref {

/// Anchored glob where only `*` is special (ecrlp decision 4): plain recursion.
[[nodiscard]] inline bool glob(std::string_view pattern, std::string_view tag) {
  if (pattern.empty()) return tag.empty();
  if (pattern.front() == '*') {
    // `*` matches the empty run, or swallows one more character and stays.
    return glob(pattern.substr(1), tag) || (!tag.empty() && glob(pattern, tag.substr(1)));
  }
  return !tag.empty() && pattern.front() == tag.front() && glob(pattern.substr(1), tag.substr(1));
}

/// Literal prefix test, case-sensitive.
[[nodiscard]] inline bool starts_with(std::string_view prefix, std::string_view tag) {
  if (prefix.size() > tag.size()) return false;
  for (std::size_t k = 0; k < prefix.size(); ++k) {
    if (prefix[k] != tag[k]) return false;
  }
  return true;
}

/// Spec 2.2 tagMatch.
[[nodiscard]] inline bool tag_match(const ecrlp::selection& sel, const std::vector<std::string>& tags) {
  if (sel.status == ecrlp::tag_status::any) return true;
  if (sel.status == ecrlp::tag_status::untagged) return tags.empty();
  if (tags.empty()) return false;
  // for all p in list, exists t in tags: match(p, t)
  for (const std::string& p : sel.tag_list) {
    bool found = false;
    for (const std::string& t : tags) {
      const bool m = sel.list_kind == ecrlp::tag_list_kind::prefix    ? starts_with(p, t)
                     : sel.list_kind == ecrlp::tag_list_kind::pattern ? glob(p, t)
                                                                       : false;
      if (m) found = true;
    }
    if (!found) return false;
  }
  return true;
}

/// Spec 2.2 refTime.
[[nodiscard]] inline ecrlp::timestamp ref_time(const ecrlp::image& i) {
  if (i.last_activated_at.has_value()) return i.last_activated_at.value();
  return i.pushed_at;
}

/// Spec 2.2 pullRef.
[[nodiscard]] inline ecrlp::timestamp pull_ref(const ecrlp::image& i) {
  if (i.last_activated_at.has_value() &&
      (!i.last_pulled_at.has_value() || i.last_pulled_at.value() < i.last_activated_at.value())) {
    return i.last_activated_at.value();
  }
  if (i.last_pulled_at.has_value()) return i.last_pulled_at.value();
  return i.pushed_at;
}

__extension__ using wide_int = __int128;

/// ecrlp decision 1: `now - reference > N x 86400 s`, exactly, for any N.
[[nodiscard]] inline bool older(ecrlp::timestamp now, ecrlp::timestamp reference, std::int64_t n) {
  const wide_int age_us = static_cast<wide_int>(now.time_since_epoch().count()) -
                          static_cast<wide_int>(reference.time_since_epoch().count());
  const wide_int limit_us = static_cast<wide_int>(n) * 86400 * 1000000;
  return age_us > limit_us;
}

/// ecrlp decision 3.
[[nodiscard]] inline bool in_class(const ecrlp::image& i, ecrlp::storage_class sc) {
  switch (i.status) {
    case ecrlp::image_status::active:
      return sc == ecrlp::storage_class::standard;
    case ecrlp::image_status::archived:
      return sc == ecrlp::storage_class::archive;
    case ecrlp::image_status::activating:
      return false;
  }
  return false;
}

/// "a is newer than b" by (reference time, digest), ties of equal digests by input position.
[[nodiscard]] inline bool newer(const std::vector<ecrlp::image>& images, std::size_t a,
                                std::size_t b) {
  const auto ta = ref_time(images[a]);
  const auto tb = ref_time(images[b]);
  if (ta != tb) return ta > tb;
  if (images[a].digest != images[b].digest) return images[a].digest > images[b].digest;
  return a > b;
}

struct decision {
  ecrlp::fate action = ecrlp::fate::keep;
  std::optional<std::int64_t> owner;
  std::optional<std::int64_t> applied;
  ecrlp::relation related = ecrlp::relation::none;
  std::size_t related_to = 0;  ///< the guarding index or the subject (input index)
};

/// Input index of the first image with `digest`, if any (linear search).
[[nodiscard]] inline std::optional<std::size_t> find_digest(const std::vector<ecrlp::image>& images,
                                                            const std::string& digest) {
  for (std::size_t i = 0; i < images.size(); ++i) {
    if (images[i].digest == digest) return i;
  }
  return std::nullopt;
}

/// Spec 2.2 eligibility and 2.7, relationship by relationship:
/// * a referrer whose subject is in the repository follows its subject (and so on up the chain of
///   subjects: it takes the fate of the first image of the chain that is not such a referrer); a
///   chain that comes back to an image already on it leaves every referrer on it standing alone;
/// * an image listed by an index that is in the repository and not ARCHIVED ("live"), and that is
///   not such a referrer, is guarded by the first such index of `indexes`.
/// Returns, per image, its relation, the image it relates to, and for referrers the chain's end.
struct relations {
  std::vector<ecrlp::relation> related;
  std::vector<std::size_t> related_to;
  std::vector<std::size_t> chain_end;
};

[[nodiscard]] inline relations relate(const std::vector<ecrlp::image>& images,
                                      const std::vector<ecrlp::index_manifest>& indexes) {
  const std::size_t n = images.size();
  relations rel{std::vector<ecrlp::relation>(n, ecrlp::relation::none),
                std::vector<std::size_t>(n, 0), std::vector<std::size_t>(n, 0)};
  std::vector<std::optional<std::size_t>> subject(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (images[i].subject_digest.empty()) continue;
    const auto s = find_digest(images, images[i].subject_digest);
    if (s && *s != i) subject[i] = *s;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!subject[i]) continue;
    std::set<std::size_t> seen{i};
    std::size_t j = *subject[i];
    bool loop = false;
    while (subject[j]) {
      if (!seen.insert(j).second) {
        loop = true;
        break;
      }
      j = *subject[j];
    }
    // A chain that reaches a loop (i itself on it or not) never ends: i stands alone.
    if (loop) continue;
    rel.related[i] = ecrlp::relation::referrer;
    rel.related_to[i] = *subject[i];
    rel.chain_end[i] = j;
  }
  for (const auto& ix : indexes) {
    const auto parent = find_digest(images, ix.digest);
    if (!parent || images[*parent].status == ecrlp::image_status::archived) continue;
    for (const auto& child_digest : ix.manifests) {
      const auto child = find_digest(images, child_digest);
      if (!child || *child == *parent || rel.related[*child] != ecrlp::relation::none) continue;
      rel.related[*child] = ecrlp::relation::index_child;
      rel.related_to[*child] = *parent;
    }
  }
  return rel;
}

struct rule_totals {
  std::int64_t priority = 0;
  std::size_t identified = 0;
  std::size_t marked = 0;
  std::size_t owned = 0;
  std::size_t acted = 0;
  std::uint64_t owned_bytes = 0;
  std::uint64_t acted_bytes = 0;
  std::size_t cascaded = 0;
  std::uint64_t cascaded_bytes = 0;
};

struct result {
  std::vector<decision> decisions;
  std::vector<std::size_t> order;  ///< oldest -> newest
  std::vector<rule_totals> rules;  ///< priority order
  std::size_t expiring = 0;
  std::size_t transitioning = 0;
  std::size_t guarded = 0;
  std::size_t referrers = 0;
  /// Digests of images a sinceImageTransitioned rule identifies that have no lastArchivedAt
  /// (ecrlp decision 5: the evaluator must warn about each).
  std::set<std::string> archive_time_missing;
};

/// Evaluates with the spec 2.2 algorithm. Priorities are expected to be unique. Unless
/// `independent`, related images (see relate()) are not eligible for any rule.
[[nodiscard]] inline result evaluate(const ecrlp::lifecycle_policy& policy,
                                     const std::vector<ecrlp::image>& images,
                                     ecrlp::timestamp now,
                                     const std::vector<ecrlp::index_manifest>& indexes = {},
                                     bool independent = false) {
  const std::size_t n = images.size();
  const std::size_t rule_count = policy.rules.size();
  const relations rel =
      independent ? relations{std::vector<ecrlp::relation>(n, ecrlp::relation::none),
                              std::vector<std::size_t>(n, 0), std::vector<std::size_t>(n, 0)}
                  : relate(images, indexes);
  const auto eligible = [&](std::size_t i) { return rel.related[i] == ecrlp::relation::none; };

  // Phase 1: S(r) and C(r) for every rule, independently, over the whole repository.
  std::vector<std::set<std::size_t>> identified(rule_count);
  std::vector<std::set<std::size_t>> marked(rule_count);
  result out;
  for (std::size_t r = 0; r < rule_count; ++r) {
    const ecrlp::rule& rule = policy.rules[r];
    std::vector<std::size_t> s;
    for (std::size_t i = 0; i < n; ++i) {
      if (eligible(i) && in_class(images[i], rule.selection.storage) &&
          tag_match(rule.selection, images[i].tags)) {
        s.push_back(i);
      }
    }
    identified[r] = std::set<std::size_t>(s.begin(), s.end());
    const std::int64_t limit = rule.selection.count_number;
    switch (rule.selection.type) {
      case ecrlp::count_type::image_count_more_than: {
        std::sort(s.begin(), s.end(),
                  [&](std::size_t a, std::size_t b) { return newer(images, a, b); });
        for (std::size_t k = 0; k < s.size(); ++k) {
          // "all but the first N"
          if (limit < 0 || static_cast<std::int64_t>(k) >= limit) marked[r].insert(s[k]);
        }
        break;
      }
      case ecrlp::count_type::since_image_pushed:
        for (std::size_t i : s) {
          if (older(now, ref_time(images[i]), limit)) marked[r].insert(i);
        }
        break;
      case ecrlp::count_type::since_image_pulled:
        for (std::size_t i : s) {
          if (older(now, pull_ref(images[i]), limit)) marked[r].insert(i);
        }
        break;
      case ecrlp::count_type::since_image_transitioned:
        for (std::size_t i : s) {
          if (!images[i].last_archived_at.has_value()) {
            out.archive_time_missing.insert(images[i].digest);
          } else if (older(now, images[i].last_archived_at.value(), limit)) {
            marked[r].insert(i);
          }
        }
        break;
    }
  }

  // Phase 2: owner = the lowest rulePriority among rules identifying the image.
  out.decisions.resize(n);
  std::vector<std::optional<std::size_t>> owner_rule(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t r = 0; r < rule_count; ++r) {
      if (identified[r].count(i) == 0) continue;
      if (!owner_rule[i] || policy.rules[r].priority < policy.rules[*owner_rule[i]].priority) {
        owner_rule[i] = r;
      }
    }
    if (!owner_rule[i]) continue;
    const ecrlp::rule& owner = policy.rules[*owner_rule[i]];
    out.decisions[i].owner = owner.priority;
    if (marked[*owner_rule[i]].count(i) != 0) {
      out.decisions[i].action = owner.action.type == ecrlp::action_type::transition
                                    ? ecrlp::fate::transition
                                    : ecrlp::fate::expire;
      out.decisions[i].applied = owner.priority;
      if (out.decisions[i].action == ecrlp::fate::expire) {
        ++out.expiring;
      } else {
        ++out.transitioning;
      }
    }
  }

  // Related images: guarded children stay; referrers take the fate of their chain's end.
  for (std::size_t i = 0; i < n; ++i) {
    auto& d = out.decisions[i];
    d.related = rel.related[i];
    d.related_to = rel.related_to[i];
    if (d.related == ecrlp::relation::index_child) ++out.guarded;
    if (d.related != ecrlp::relation::referrer) continue;
    ++out.referrers;
    const auto& end = out.decisions[rel.chain_end[i]];
    d.owner = end.owner;
    // Archiving moves standard images only: an ARCHIVED or ACTIVATING referrer stays put.
    d.action = end.action == ecrlp::fate::transition &&
                       images[i].status != ecrlp::image_status::active
                   ? ecrlp::fate::keep
                   : end.action;
    d.applied = d.action == ecrlp::fate::keep ? std::nullopt : end.applied;
    if (d.action == ecrlp::fate::expire) ++out.expiring;
    if (d.action == ecrlp::fate::transition) ++out.transitioning;
  }

  // Per-rule totals, in priority order.
  std::vector<std::size_t> by_priority;
  for (std::size_t r = 0; r < rule_count; ++r) by_priority.push_back(r);
  std::sort(by_priority.begin(), by_priority.end(), [&](std::size_t a, std::size_t b) {
    return policy.rules[a].priority < policy.rules[b].priority;
  });
  for (std::size_t r : by_priority) {
    rule_totals t;
    t.priority = policy.rules[r].priority;
    t.identified = identified[r].size();
    t.marked = marked[r].size();
    for (std::size_t i = 0; i < n; ++i) {
      if (rel.related[i] == ecrlp::relation::referrer && out.decisions[i].action != ecrlp::fate::keep &&
          owner_rule[rel.chain_end[i]] == r) {
        ++t.cascaded;
        t.cascaded_bytes += images[i].size_bytes;
      }
      if (owner_rule[i] != r) continue;
      ++t.owned;
      t.owned_bytes += images[i].size_bytes;
      if (out.decisions[i].action != ecrlp::fate::keep) {
        ++t.acted;
        t.acted_bytes += images[i].size_bytes;
      }
    }
    out.rules.push_back(t);
  }

  // previewResults order: oldest -> newest.
  for (std::size_t i = 0; i < n; ++i) out.order.push_back(i);
  std::sort(out.order.begin(), out.order.end(),
            [&](std::size_t a, std::size_t b) { return newer(images, b, a); });
  return out;
}

}  // namespace ecrlp_ref
