// SPDX-License-Identifier: MIT
#pragma once

// How evaluate() applies a policy to a prepared inventory: the images' relationships (referrers
// and index children, decided outside the rules), then every rule over the bit planes, newest
// images first, and the decisions in input order. This is the definition of the evaluate() that
// <ecrlp/evaluate.hpp> declares, which includes this header at its end: it needs the result types.

#include <ecrlp/evaluate.hpp>

#include <ecrlp/detail/compiled_entry.hpp>
#include <ecrlp/detail/evaluate_age.hpp>
#include <ecrlp/detail/evaluate_order.hpp>
#include <ecrlp/detail/evaluate_planes.hpp>
#include <ecrlp/detail/evaluate_prepare.hpp>
#include <ecrlp/detail/memory.hpp>
#include <ecrlp/detail/tag_signature.hpp>
#include <ecrlp/diagnostic.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace ecrlp {
namespace detail {

/// What a referrer does when its subject chain ends in an image with fate `f` (spec 2.2: "expired
/// or archived within 24 hours of the deletion or archival of the subject"). A transition moves
/// standard images only (spec 2.6), so a referrer already ARCHIVED, or ACTIVATING, stays where it
/// is; an expiry removes it whatever its class.
[[nodiscard]] constexpr fate cascaded_action(fate f, image_status referrer) noexcept {
  return f == fate::transition && referrer != image_status::active ? fate::keep : f;
}

/// The images' relationships (spec 2.2 eligibility, 2.7), by input index.
struct image_relations {
  std::vector<relation> related;          ///< empty when no image is related
  std::vector<std::uint32_t> related_to;  ///< the guarding index or the subject
  std::vector<std::uint32_t> root;        ///< referrers: the image at the end of the subject chain
};

/// Finds referrers whose subject is present (they follow the end of their subject chain) and the
/// images listed by a live index (present and not ARCHIVED), which are guarded. Referrers whose
/// subject is absent, and subject chains that loop, stand alone, with one warning each kind.
[[nodiscard]] inline image_relations relate(std::span<const image> images,
                                            std::span<const index_manifest> indexes,
                                            std::vector<diagnostic>& warnings) {
  const std::size_t n = images.size();
  image_relations rel;
  std::unordered_map<std::string_view, std::uint32_t> by_digest;
  by_digest.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    by_digest.emplace(images[i].digest, static_cast<std::uint32_t>(i));  // first one wins
  }
  rel.related.assign(n, relation::none);
  rel.related_to.assign(n, 0);
  rel.root.assign(n, 0);
  std::size_t orphans = 0;
  std::string first_orphan;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& subject = images[i].subject_digest;
    if (subject.empty()) continue;
    const auto it = by_digest.find(subject);
    if (it == by_digest.end()) {
      if (orphans++ == 0) first_orphan = images[i].digest;
      continue;
    }
    if (it->second == i) continue;  // its own subject: stands alone
    rel.related[i] = relation::referrer;
    rel.related_to[i] = it->second;
  }
  // The end of each subject chain, each image visited once. A chain that never ends (it reaches
  // a loop) leaves its referrers standing alone.
  // state: 0 unvisited, 1 on the current path, 2 resolved, 3 resolved: its chain never ends.
  std::vector<unsigned char> state(n, 0);
  std::vector<std::uint32_t> path;
  std::size_t looped = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (rel.related[i] != relation::referrer || state[i] != 0) continue;
    path.clear();
    auto j = static_cast<std::uint32_t>(i);
    while (rel.related[j] == relation::referrer && state[j] == 0) {
      state[j] = 1;
      path.push_back(j);
      j = rel.related_to[j];
    }
    const bool loop = state[j] == 1 || state[j] == 3;
    const std::uint32_t end = rel.related[j] != relation::referrer ? j : rel.root[j];
    for (const std::uint32_t q : path) {
      state[q] = loop ? 3 : 2;
      rel.root[q] = end;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (state[i] != 3) continue;
    rel.related[i] = relation::none;
    rel.related_to[i] = 0;
    ++looped;
  }
  for (const index_manifest& ix : indexes) {
    const auto it = by_digest.find(ix.digest);
    if (it == by_digest.end() || images[it->second].status == image_status::archived) continue;
    for (const std::string& child : ix.manifests) {
      const auto c = by_digest.find(child);
      if (c == by_digest.end() || c->second == it->second) continue;
      if (rel.related[c->second] != relation::none) continue;  // a referrer, or already guarded
      rel.related[c->second] = relation::index_child;
      rel.related_to[c->second] = it->second;
    }
  }
  if (orphans != 0) {
    diagnostic d;
    d.level = severity::warning;
    d.code = "image.subject_missing";
    d.message = std::to_string(orphans) + " referrer(s) name a subjectManifestDigest that is not in " +
                "the inventory (first: " + first_orphan + "); they are evaluated on their own. " +
                "Export with --filter imageStatus=ANY to include archived subjects";
    warnings.push_back(std::move(d));
  }
  if (looped != 0) {
    diagnostic d;
    d.level = severity::warning;
    d.code = "image.subject_loop";
    d.message = std::to_string(looped) + " referrer(s) form a subjectManifestDigest loop; " +
                "they are evaluated on their own";
    warnings.push_back(std::move(d));
  }
  return rel;
}

/// One rule, ready to be applied (rule_loop::apply).
struct rule_context {
  const selection& sel;
  std::size_t ro;                    ///< its place in priority order
  fate act;                          ///< what it does to the images it marks and owns
  const std::uint64_t* cls;          ///< the bitset of its storage class
  age_threshold age;                 ///< since* limits
  bool count_all;                    ///< imageCountMoreThan below zero (invalid policies): all
  std::uint64_t keep;                ///< imageCountMoreThan
  std::size_t pushed_cut = 0;        ///< sinceImagePushed marks exactly the positions below it
  std::uint64_t ranked = 0;          ///< identified images newer than the current word
};

/// The state of one evaluation over prepared arrays: the owner and fate of every image, by
/// position, each written once, by the rule that owns the image; the images no rule has
/// identified yet; the scratch of the rule being applied.
class rule_loop {
 public:
  rule_loop(const lifecycle_policy& policy, const prepared_arrays& a,
            const evaluation_options& options, evaluation_result& result)
      : policy_{policy}, a_{a}, options_{options}, result_{result},
        rule_order_{priority_order(policy)}, owner_(a.images.size(), none),
        action_(a.images.size(), 0), unowned_(a.words, ~std::uint64_t{0}),
        candidates_(block_words * 64),
        columns_{a.tag_string.data(), a.tag_size.data(), a.tag_w0.data(), a.tag_w1.data(),
                 a.tag_chars.data()} {}

  /// Referrers that follow their subject and children of live indexes are left out of every
  /// rule (excluded, by position), then decided after the rules (decide_related).
  void exclude_related() {
    if (!options_.independent_images && (a_.has_referrers || !options_.indexes.empty())) {
      rel_ = relate(a_.images, options_.indexes, result_.warnings);
    }
    for (std::size_t i = 0; i < rel_.related.size(); ++i) {
      if (rel_.related[i] == relation::none) continue;
      if (excluded_.empty()) excluded_.assign(a_.words, 0);
      const std::size_t k = a_.position[i];
      excluded_[k / 64] |= std::uint64_t{1} << (k % 64);
    }
  }

  /// Applies every rule, in priority order.
  void apply_rules() {
    for (std::size_t ro = 0; ro < rule_order_.size(); ++ro) apply(ro);
  }

  /// Decisions in input order: written one after another, read from the (smaller) position
  /// arrays.
  void write_decisions() {
    for (std::size_t i = 0; i < a_.images.size(); ++i) {
      const std::size_t k = a_.position[i];
      if (owner_[k] == none) continue;
      auto& dec = result_.decisions[i];
      dec.owner = policy_.rules[rule_order_[owner_[k]]].priority;
      dec.action = static_cast<fate>(action_[k]);
    }
  }

  /// Guarded images keep; referrers take the fate of the image at the end of their subject chain
  /// (cascaded_action), counted in that image's owner's `cascaded`.
  void decide_related() {
    for (std::size_t i = 0; i < rel_.related.size(); ++i) {
      const relation r = rel_.related[i];
      if (r == relation::none) continue;
      auto& dec = result_.decisions[i];
      dec.related = r;
      dec.related_to = rel_.related_to[i];
      if (r == relation::index_child) {
        ++result_.guarded;
        continue;
      }
      ++result_.referrers;
      const std::size_t k = a_.position[rel_.root[i]];  // the image whose fate it takes
      if (owner_[k] == none) continue;
      dec.owner = policy_.rules[rule_order_[owner_[k]]].priority;
      dec.action = cascaded_action(static_cast<fate>(action_[k]), a_.images[i].status);
      if (dec.action == fate::keep) continue;
      ++(dec.action == fate::expire ? result_.expiring : result_.transitioning);
      auto& summary = result_.rules[owner_[k]];
      ++summary.cascaded;
      summary.cascaded_bytes += a_.images[i].size_bytes;
    }
  }

 private:
  // 32 bits: a policy of 2^32 - 1 rules would not fit in memory.
  static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::size_t block_words = 16;

  /// Applies rule `ro` of the priority order: its summary is appended to the result.
  void apply(std::size_t ro) {
    const rule& r = policy_.rules[rule_order_[ro]];
    const selection& sel = r.selection;
    rule_summary summary;
    summary.priority = r.priority;
    compile_entries(sel);
    rule_context c{sel,
                   ro,
                   r.action.type == action_type::transition ? fate::transition : fate::expire,
                   sel.storage == storage_class::archive ? a_.archive_bits.data()
                                                         : a_.standard_bits.data(),
                   age_threshold(options_.now, sel.count_number),
                   sel.count_number < 0,
                   static_cast<std::uint64_t>(sel.count_number)};
    if (sel.type == count_type::since_image_pushed) {
      c.pushed_cut = static_cast<std::size_t>(
          std::partition_point(a_.ref.begin(), a_.ref.end(),
                               [&c](std::int64_t t) { return c.age.marks(t); }) -
          a_.ref.begin());
    }
    // Blocks of words, newest first (rank 1 is the newest image). In each block the bit planes
    // come first; then the tags of the remaining candidates are fetched together, so that their
    // cache misses overlap instead of following one another; then each word is ranked.
    for (std::size_t end = a_.words; end > 0;) {
      const std::size_t begin = end > block_words ? end - block_words : 0;
      filter_block(c, begin, end);
      if (!entries_.empty()) test_tags(begin, end);
      for (std::size_t j = end; j-- > begin;) {
        const std::uint64_t w = block_[j - begin];
        if (w != 0) rank_word(c, j, w, summary);
      }
      end = begin;
    }
    result_.rules.push_back(summary);
  }

  /// The rule's tag-list entries (entries_), and the signature planes every image it identifies
  /// must be in (planes_): for each entry with a literal prefix, a tag starting with its first
  /// byte; every byte pair inside a literal run of every entry somewhere. Those planes are ANDed,
  /// 64 images a word, before any tag is read.
  void compile_entries(const selection& sel) {
    entries_.clear();
    if (sel.status == tag_status::tagged) {
      for (const auto& e : sel.tag_list) entries_.emplace_back(sel.list_kind, e);
      // Every entry must match: test first those a literal prefix decides cheaply.
      std::stable_sort(entries_.begin(), entries_.end(),
                       [](const auto& x, const auto& y) { return x.literal > y.literal; });
    }
    signature_row need{};
    for (const auto& e : entries_) {
      if (e.kind == tag_list_kind::none) continue;
      if (e.literal != 0) {
        const auto first = static_cast<unsigned char>(e.text.front());
        need.set(signature_plane::firsts + char_bit_numbers[first]);
      }
      const bool pattern = e.kind == tag_list_kind::pattern;
      for (std::size_t b = 0; b < e.text.size(); ++b) {
        const char ch = e.text[b];
        if (pattern && ch == '*') continue;
        if (b != 0 && !(pattern && e.text[b - 1] == '*')) {
          need.set(signature_plane::bigrams +
                   bigram_hash(static_cast<unsigned char>(e.text[b - 1]),
                               static_cast<unsigned char>(ch)));
        }
      }
    }
    planes_.clear();
    need.for_each([&](std::size_t plane) { planes_.push_back(a_.plane(plane)); });
  }

  /// block_[j - begin]: the images of word j that the rule may identify, from the bitsets alone
  /// (storage class, not excluded, tagged or untagged, the signature planes).
  void filter_block(const rule_context& c, std::size_t begin, std::size_t end) noexcept {
    const std::uint64_t* const skip = excluded_.empty() ? nullptr : excluded_.data();
    const std::uint64_t* const tagged = a_.tagged_bits.data();
    for (std::size_t j = begin; j < end; ++j) {
      std::uint64_t w = c.cls[j];
      if (skip != nullptr) w &= ~skip[j];
      if (c.sel.status == tag_status::tagged) {
        w &= tagged[j];
      } else if (c.sel.status == tag_status::untagged) {
        w &= ~tagged[j];
      }
      for (const std::uint64_t* plane : planes_) {
        if (w == 0) break;
        w &= plane[j];
      }
      block_[j - begin] = w;
    }
  }

  /// Clears from block_ the candidates whose tags do not meet every entry. Their tag records
  /// are prefetched together first, so that the cache misses overlap.
  void test_tags(std::size_t begin, std::size_t end) noexcept {
    std::size_t count = 0;
    for (std::size_t j = begin; j < end; ++j) {
      for (std::uint64_t x = block_[j - begin]; x != 0; x &= x - 1) {
        const std::size_t k = j * 64 + static_cast<std::size_t>(std::countr_zero(x));
        candidates_[count++] = k;
        prefetch(a_.tags_of.data() + k);
      }
    }
    for (std::size_t c = 0; c < count; ++c) {
      prefetch(a_.tag_w0.data() + a_.tags_of[candidates_[c]].begin);
    }
    for (std::size_t c = 0; c < count; ++c) {
      const std::size_t k = candidates_[c];
      if (!identifies_tags(k)) block_[k / 64 - begin] &= ~(std::uint64_t{1} << (k % 64));
    }
  }

  /// Does the image at position k have, for every entry, a tag that matches it?
  [[nodiscard]] bool identifies_tags(std::size_t k) const noexcept {
    const std::size_t tb = a_.tags_of[k].begin;
    const std::size_t te = a_.tags_of[k].end;
    for (const auto& e : entries_) {
      bool any = false;
      for (std::size_t t = tb; t < te && !any; ++t) any = e.matches(columns_, t);
      if (!any) return false;
    }
    return true;
  }

  /// Word j, whose identified images are `w`: counts them, marks those past the limit, and
  /// owns (and acts on) those no higher-priority rule identified.
  void rank_word(rule_context& c, std::size_t j, std::uint64_t w, rule_summary& summary) {
    const auto found = static_cast<std::uint64_t>(std::popcount(w));
    summary.identified += found;
    const std::uint64_t marked = mark_word(c, j, w, found);
    summary.marked += static_cast<std::size_t>(std::popcount(marked));
    const std::uint64_t owned = w & unowned_[j];
    if (owned == 0) return;
    unowned_[j] &= ~w;
    summary.owned += static_cast<std::size_t>(std::popcount(owned));
    for (std::uint64_t x = owned; x != 0; x &= x - 1) {
      const std::size_t k = j * 64 + static_cast<std::size_t>(std::countr_zero(x));
      owner_[k] = static_cast<std::uint32_t>(c.ro);
      summary.owned_bytes += a_.size_bytes[k];
    }
    const std::uint64_t acted = owned & marked;
    const auto acted_count = static_cast<std::size_t>(std::popcount(acted));
    summary.acted += acted_count;
    (c.act == fate::expire ? result_.expiring : result_.transitioning) += acted_count;
    for (std::uint64_t x = acted; x != 0; x &= x - 1) {
      const std::size_t k = j * 64 + static_cast<std::size_t>(std::countr_zero(x));
      action_[k] = static_cast<unsigned char>(c.act);
      summary.acted_bytes += a_.size_bytes[k];
    }
  }

  /// The images of word j (identified: `w`, `found` of them) past the rule's limit.
  [[nodiscard]] std::uint64_t mark_word(rule_context& c, std::size_t j, std::uint64_t w,
                                        std::uint64_t found) {
    std::uint64_t marked = 0;
    switch (c.sel.type) {
      case count_type::image_count_more_than:
        if (c.count_all || c.ranked >= c.keep) {
          marked = w;
        } else if (c.ranked + found > c.keep) {  // the newest keep - ranked of this word stay
          marked = w;
          for (std::uint64_t left = c.keep - c.ranked; left != 0; --left) {
            marked &= ~(std::uint64_t{1} << (63 - std::countl_zero(marked)));
          }
        }
        c.ranked += found;
        break;
      case count_type::since_image_pushed:
        if (j < c.pushed_cut / 64) {
          marked = w;
        } else if (j == c.pushed_cut / 64) {
          marked = w & ((std::uint64_t{1} << (c.pushed_cut % 64)) - 1);
        }
        break;
      case count_type::since_image_pulled:
        for (std::uint64_t x = w; x != 0; x &= x - 1) {
          const int b = std::countr_zero(x);
          if (c.age.marks(a_.pull_ref[j * 64 + static_cast<std::size_t>(b)])) {
            marked |= std::uint64_t{1} << b;
          }
        }
        break;
      case count_type::since_image_transitioned:
        marked = mark_transitioned(c, j, w);
        break;
    }
    return marked;
  }

  /// sinceImageTransitioned: by lastArchivedAt; an ARCHIVED image without one is never marked,
  /// and is reported once (newest first: the order of the warnings).
  [[nodiscard]] std::uint64_t mark_transitioned(const rule_context& c, std::size_t j,
                                                std::uint64_t w) {
    std::uint64_t marked = 0;
    for (std::uint64_t x = w; x != 0;) {
      const int b = 63 - std::countl_zero(x);
      x &= ~(std::uint64_t{1} << b);
      const std::size_t k = j * 64 + static_cast<std::size_t>(b);
      const unsigned m = a_.meta[k];
      if ((m & prepared_arrays::has_archive_time) != 0) {
        if (c.age.marks(a_.archived_at[k])) marked |= std::uint64_t{1} << b;
      } else if ((m & prepared_arrays::status_archived) != 0 &&
                 (warned_.empty() || warned_[k] == 0)) {
        if (warned_.empty()) warned_.assign(a_.images.size(), 0);
        warned_[k] = 1;
        diagnostic d;
        d.level = severity::warning;
        d.code = "image.archived_without_archive_time";
        d.message = "ARCHIVED image " + a_.images[a_.order[k]].digest +
                    " has no lastArchivedAt; it never meets a sinceImageTransitioned limit";
        result_.warnings.push_back(std::move(d));
      }
    }
    return marked;
  }

  const lifecycle_policy& policy_;
  const prepared_arrays& a_;
  const evaluation_options& options_;
  evaluation_result& result_;
  std::vector<std::size_t> rule_order_;
  image_relations rel_;
  large_vector<std::uint64_t> excluded_;  // bitset by position: related images
  large_vector<std::uint32_t> owner_;     // by position: index into rule_order_, or none
  large_vector<unsigned char> action_;    // by position: the fate, as written by the owner
  large_vector<unsigned char> warned_;    // sinceImageTransitioned rules only
  // Bitset by position of the images no rule has identified yet (bits past n stay clear in the
  // class bitsets, so they never matter).
  large_vector<std::uint64_t> unowned_;
  std::vector<compiled_entry> entries_;
  std::vector<const std::uint64_t*> planes_;  // the signature planes a rule's images need
  std::uint64_t block_[block_words] = {};
  std::vector<std::size_t> candidates_;
  compiled_entry::tag_columns columns_;
};

}  // namespace detail

inline evaluation_result evaluate(const lifecycle_policy& policy,
                                  const prepared_inventory& prepared,
                                  const evaluation_options& options) {
  const detail::prepared_arrays& a = prepared.arrays_;
  const std::size_t n = a.images.size();
  evaluation_result result;
  result.decisions.resize(n);
  result.order.assign(a.order.begin(), a.order.end());
  detail::rule_loop loop(policy, a, options, result);
  loop.exclude_related();
  loop.apply_rules();
  loop.write_decisions();
  loop.decide_related();
  return result;
}

}  // namespace ecrlp
