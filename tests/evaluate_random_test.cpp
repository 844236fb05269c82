// SPDX-License-Identifier: MIT
// Randomized agreement of ecrlp::evaluate with the spec-2.2 reference in reference_evaluator.hpp.
//
// Every case is generated from its own seed (std::mt19937_64), so a failure prints the seed and a
// dump of the policy and images; `make_case(seed)` rebuilds exactly that case.

#include <ecrlp/evaluate.hpp>

#include "catch.hpp"
#include "reference_evaluator.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using ecrlp::action_type;
using ecrlp::count_type;
using ecrlp::image_status;
using ecrlp::storage_class;
using ecrlp::tag_list_kind;
using ecrlp::tag_status;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;

const ecrlp::timestamp now{std::chrono::sys_days{std::chrono::year{2025} / 1 / 31}};

// A small vocabulary so that prefixes and patterns hit often, with shared prefixes and case twins.
constexpr std::string_view vocabulary[] = {
    "prod",   "prod-1",  "prod-2",  "production", "Prod-1",  "beta",     "beta-1",
    "alpha-1", "latest", "v1",      "v1.2",       "v1.2.3",  "v2.0",     "release-1",
    "a",      "ab",      "abc",     "aXbYbZc",    "sha-abc", "sha-abd",  "feature-x"};

// Day limits the rules use; ages cluster around them.
constexpr std::int64_t limits[] = {1, 2, 5, 14, 30, 90, 100, 365};

struct test_case {
  std::uint64_t seed = 0;
  bool valid = true;
  ecrlp::lifecycle_policy policy;
  std::vector<ecrlp::image> images;
  std::vector<ecrlp::index_manifest> indexes;  ///< index manifests (spec 2.7)
  bool independent = false;                    ///< --independent-images
};

class generator {
 public:
  explicit generator(std::uint64_t seed) : rng_(seed) {}

  test_case make(std::uint64_t seed) {
    test_case c;
    c.seed = seed;
    c.valid = chance(0.8);
    c.images = make_images();
    c.policy = c.valid ? make_valid_policy() : make_arbitrary_policy();
    if (chance(0.4)) add_relations(c);
    return c;
  }

 private:
  std::mt19937_64 rng_;

  std::size_t pick(std::size_t n) {  // 0 .. n-1
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
  }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <class T, std::size_t N>
  const T& one_of(const T (&arr)[N]) {
    return arr[pick(N)];
  }

  /// An instant `limit days` ago, give or take a little: exact, +-1us, +-1h, +-1d, or anywhere.
  ecrlp::timestamp around_limit() {
    const auto base = now - days{one_of(limits)};
    switch (pick(8)) {
      case 0:
        return base;
      case 1:
        return base - microseconds{1};
      case 2:
        return base + microseconds{1};
      case 3:
        return base - hours{1};
      case 4:
        return base + hours{1};
      case 5:
        return base - days{1};
      case 6:
        return base + days{1};
      default:
        return now - microseconds{between(-86'400'000'000LL, 500LL * 86'400'000'000LL)};
    }
  }

  std::vector<ecrlp::image> make_images() {
    const auto count = static_cast<std::size_t>(between(0, 60));
    std::vector<ecrlp::image> images;
    std::set<std::string> digests;
    std::vector<ecrlp::timestamp> used;  // for ties
    const auto some_time = [&] {
      if (!used.empty() && chance(0.2)) return used[pick(used.size())];
      const auto t = around_limit();
      used.push_back(t);
      return t;
    };
    while (images.size() < count) {
      ecrlp::image img;
      static constexpr char hex[] = "0123456789abcdef";
      img.digest = "sha256:";
      for (int k = 0; k < 6; ++k) img.digest += hex[pick(16)];
      if (!digests.insert(img.digest).second) continue;
      if (!chance(0.3)) {
        const auto n_tags = 1 + pick(3);
        for (std::size_t k = 0; k < n_tags; ++k) img.tags.emplace_back(one_of(vocabulary));
      }
      img.pushed_at = some_time();
      const auto s = pick(20);
      img.status = s < 13 ? image_status::active
                   : s < 18 ? image_status::archived
                            : image_status::activating;
      if (chance(0.25)) img.last_activated_at = some_time();
      if (chance(0.4)) {
        // Before, equal to, or after the restore (if any), or anywhere.
        if (img.last_activated_at && chance(0.6)) {
          const auto k = pick(3);
          img.last_pulled_at = k == 0   ? *img.last_activated_at - hours{between(1, 2000)}
                               : k == 1 ? *img.last_activated_at
                                        : *img.last_activated_at + hours{between(1, 2000)};
        } else {
          img.last_pulled_at = some_time();
        }
      }
      const double archived_p = img.status == image_status::archived ? 0.8 : 0.15;
      if (chance(archived_p)) img.last_archived_at = some_time();
      img.size_bytes = static_cast<std::uint64_t>(between(0, 2'000'000'000));
      images.push_back(std::move(img));
    }
    return images;
  }

  /// Referrers (a subject in the repository, absent, themselves, or another referrer, loops
  /// included) and index manifests (live, archived or absent indexes; children present or not,
  /// shared between indexes, referrers among them).
  void add_relations(test_case& c) {
    auto& images = c.images;
    if (images.empty()) return;
    for (auto& img : images) {
      if (!chance(0.2)) continue;
      img.subject_digest = chance(0.85) ? images[pick(images.size())].digest : "sha256:absent";
    }
    const auto n_indexes = pick(4);
    for (std::size_t k = 0; k < n_indexes; ++k) {
      ecrlp::index_manifest ix;
      ix.digest = chance(0.85) ? images[pick(images.size())].digest : "sha256:gone";
      const auto n_children = 1 + pick(4);
      for (std::size_t m = 0; m < n_children; ++m) {
        ix.manifests.push_back(chance(0.9) ? images[pick(images.size())].digest
                                           : "sha256:elsewhere");
      }
      c.indexes.push_back(std::move(ix));
    }
    c.independent = chance(0.15);
  }

  std::string make_prefix() {
    const std::string_view tag = one_of(vocabulary);
    std::string p(tag.substr(0, pick(tag.size() + 1)));
    if (p.empty() && chance(0.8)) p = std::string(tag.substr(0, 1));
    return p;
  }

  /// A pattern derived from a vocabulary tag (so it usually matches something): 0..4 stars, each
  /// replacing a run of 0..3 characters, sometimes with a character changed or its case flipped.
  std::string make_pattern() {
    std::string p(one_of(vocabulary));
    const auto stars = pick(5);
    for (std::size_t k = 0; k < stars; ++k) {
      const auto pos = pick(p.size() + 1);
      const auto len = std::min(pick(4), p.size() - pos);
      p.replace(pos, len, "*");
    }
    if (chance(0.1) && !p.empty()) {
      const auto pos = pick(p.size());
      if (p[pos] != '*') p[pos] = chance(0.5) ? 'P' : 'x';
    }
    return p;
  }

  void set_list(ecrlp::rule& r, tag_list_kind kind) {
    r.selection.list_kind = kind;
    const auto n = 1 + pick(3);
    for (std::size_t k = 0; k < n; ++k) {
      r.selection.tag_list.push_back(kind == tag_list_kind::prefix ? make_prefix() : make_pattern());
    }
  }

  std::vector<std::int64_t> unique_priorities(std::size_t n) {
    std::vector<std::int64_t> all(40);
    std::iota(all.begin(), all.end(), std::int64_t{1});
    std::shuffle(all.begin(), all.end(), rng_);
    all.resize(n);
    return all;
  }

  ecrlp::lifecycle_policy make_valid_policy() {
    const auto n = 1 + pick(8);
    const auto priorities = unique_priorities(n);
    std::vector<ecrlp::rule> rules;
    bool untagged_used[2] = {false, false};
    bool any_used[2] = {false, false};
    for (std::size_t k = 0; k < n; ++k) {
      ecrlp::rule r;
      r.priority = priorities[k];
      const bool archive = chance(0.25);
      auto& sel = r.selection;
      sel.storage = archive ? storage_class::archive : storage_class::standard;
      const std::size_t cls = archive ? 1 : 0;
      const auto status_roll = pick(10);
      if (status_roll == 0 && !untagged_used[cls]) {
        sel.status = tag_status::untagged;
        untagged_used[cls] = true;
      } else if (status_roll == 1 && !any_used[cls]) {
        sel.status = tag_status::any;
        any_used[cls] = true;
      } else {
        sel.status = tag_status::tagged;
        set_list(r, chance(0.5) ? tag_list_kind::prefix : tag_list_kind::pattern);
      }
      if (archive) {
        sel.type = count_type::since_image_transitioned;
        sel.count_number = std::max<std::int64_t>(90, one_of(limits));
        r.action.type = action_type::expire;
      } else {
        const auto t = pick(3);
        sel.type = t == 0   ? count_type::image_count_more_than
                   : t == 1 ? count_type::since_image_pushed
                            : count_type::since_image_pulled;
        sel.count_number = sel.type == count_type::image_count_more_than
                               ? between(1, 12)
                               : one_of(limits);
        r.action.type = sel.type == count_type::since_image_pulled || chance(0.3)
                            ? action_type::transition
                            : action_type::expire;
      }
      rules.push_back(std::move(r));
    }
    // `any` must be the last rule of its class: give it the class's largest priority number.
    for (const auto sc : {storage_class::standard, storage_class::archive}) {
      ecrlp::rule* any_rule = nullptr;
      ecrlp::rule* last = nullptr;
      for (auto& r : rules) {
        if (r.selection.storage != sc) continue;
        if (r.selection.status == tag_status::any) any_rule = &r;
        if (last == nullptr || r.priority > last->priority) last = &r;
      }
      if (any_rule != nullptr && last != any_rule) std::swap(any_rule->priority, last->priority);
    }
    for (std::size_t k = 0; k < rules.size(); ++k) rules[k].source_index = k;
    return ecrlp::lifecycle_policy{std::move(rules)};
  }

  ecrlp::lifecycle_policy make_arbitrary_policy() {
    const auto n = 1 + pick(8);
    const auto priorities = unique_priorities(n);
    // Invalid counts too (zero, negative, huge): the evaluator follows the spec's formulas for
    // any policy, even one validation would reject.
    constexpr std::int64_t odd_counts[] = {-4'000'000'000'000'000'000LL, -3, -1, 0, 1, 2, 3, 5,
                                           30, 90, 365, 1'000'000, 4'000'000'000'000'000'000LL};
    std::vector<ecrlp::rule> rules;
    for (std::size_t k = 0; k < n; ++k) {
      ecrlp::rule r;
      r.priority = priorities[k];
      r.source_index = k;
      auto& sel = r.selection;
      sel.storage = chance(0.4) ? storage_class::archive : storage_class::standard;
      const auto s = pick(3);
      sel.status = s == 0 ? tag_status::tagged : s == 1 ? tag_status::untagged : tag_status::any;
      // Lists on untagged/any rules (invalid) must be ignored.
      if (sel.status == tag_status::tagged || chance(0.2)) {
        set_list(r, chance(0.5) ? tag_list_kind::prefix : tag_list_kind::pattern);
        if (chance(0.1)) sel.tag_list.clear();  // an empty list (invalid): vacuously matched
      }
      sel.type = static_cast<count_type>(pick(4));
      sel.count_number = chance(0.5) ? one_of(limits) : one_of(odd_counts);
      r.action.type = chance(0.5) ? action_type::transition : action_type::expire;
      rules.push_back(std::move(r));
    }
    return ecrlp::lifecycle_policy{std::move(rules)};
  }
};

test_case make_case(std::uint64_t seed) { return generator(seed).make(seed); }

std::string opt_time(const std::optional<ecrlp::timestamp>& t) {
  return t ? ecrlp::format_timestamp(*t) : std::string("-");
}

std::string dump(const test_case& c) {
  std::ostringstream os;
  os << "seed " << c.seed << (c.valid ? " (valid policy)" : " (arbitrary policy)")
     << ", now " << ecrlp::format_timestamp(now) << "\nrules (array order):\n";
  for (const auto& r : c.policy.rules) {
    const auto& s = r.selection;
    os << "  priority " << r.priority << ": " << to_string(s.status) << ' '
       << to_string(s.list_kind) << " [";
    for (const auto& e : s.tag_list) os << '"' << e << "\" ";
    os << "] " << to_string(s.storage) << ' ' << to_string(s.type) << ' ' << s.count_number
       << " -> " << to_string(r.action.type) << '\n';
  }
  os << "images (input order):\n";
  for (std::size_t k = 0; k < c.images.size(); ++k) {
    const auto& i = c.images[k];
    os << "  [" << k << "] " << i.digest << ' ' << to_string(i.status) << " tags [";
    for (const auto& t : i.tags) os << t << ' ';
    os << "] pushed " << ecrlp::format_timestamp(i.pushed_at) << " pulled "
       << opt_time(i.last_pulled_at) << " activated " << opt_time(i.last_activated_at)
       << " archived " << opt_time(i.last_archived_at) << " size " << i.size_bytes;
    if (!i.subject_digest.empty()) os << " subject " << i.subject_digest;
    os << '\n';
  }
  for (const auto& ix : c.indexes) {
    os << "  index " << ix.digest << " lists";
    for (const auto& m : ix.manifests) os << ' ' << m;
    os << '\n';
  }
  if (c.independent) os << "  (independent images)\n";
  return os.str();
}

std::string opt_str(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : std::string("none");
}

/// Empty when ecrlp::evaluate and the reference agree; else a description of the differences.
std::string compare(const test_case& c, const ecrlp::evaluation_result& got,
                    const ecrlp_ref::result& want) {
  std::ostringstream os;
  if (got.decisions.size() != c.images.size()) {
    os << "decisions: " << got.decisions.size() << " for " << c.images.size() << " images\n";
    return os.str();
  }
  for (std::size_t k = 0; k < c.images.size(); ++k) {
    const auto& g = got.decisions[k];
    const auto& w = want.decisions[k];
    if (g.related != w.related || (g.related != ecrlp::relation::none &&
                                   g.related_to != w.related_to)) {
      os << "image [" << k << "] " << c.images[k].digest << ": got relation "
         << to_string(g.related) << " to " << g.related_to << "; want " << to_string(w.related)
         << " to " << w.related_to << '\n';
    }
    if (g.action != w.action || g.owner != w.owner || g.applied_rule_priority() != w.applied) {
      os << "image [" << k << "] " << c.images[k].digest << ": got " << to_string(g.action)
         << " owner " << opt_str(g.owner) << " applied " << opt_str(g.applied_rule_priority())
         << "; want " << to_string(w.action) << " owner " << opt_str(w.owner) << " applied "
         << opt_str(w.applied) << '\n';
    }
  }
  if (got.order != want.order) {
    os << "order differs: got";
    for (auto k : got.order) os << ' ' << k;
    os << "; want";
    for (auto k : want.order) os << ' ' << k;
    os << '\n';
  }
  if (got.guarded != want.guarded || got.referrers != want.referrers) {
    os << "relations: got guarded " << got.guarded << " referrers " << got.referrers << "; want "
       << want.guarded << ' ' << want.referrers << '\n';
  }
  if (got.expiring != want.expiring || got.transitioning != want.transitioning) {
    os << "totals: got expiring " << got.expiring << " transitioning " << got.transitioning
       << "; want " << want.expiring << ' ' << want.transitioning << '\n';
  }
  if (got.rules.size() != want.rules.size()) {
    os << "rule summaries: got " << got.rules.size() << ", want " << want.rules.size() << '\n';
  } else {
    for (std::size_t k = 0; k < got.rules.size(); ++k) {
      const auto& g = got.rules[k];
      const auto& w = want.rules[k];
      if (g.priority != w.priority || g.identified != w.identified || g.marked != w.marked ||
          g.owned != w.owned || g.acted != w.acted || g.owned_bytes != w.owned_bytes ||
          g.acted_bytes != w.acted_bytes || g.cascaded != w.cascaded ||
          g.cascaded_bytes != w.cascaded_bytes) {
        os << "rule summary #" << k << ": got p" << g.priority << " id " << g.identified
           << " marked " << g.marked << " owned " << g.owned << " acted " << g.acted << " bytes "
           << g.owned_bytes << '/' << g.acted_bytes << "; want p" << w.priority << " id "
           << w.identified << " marked " << w.marked << " owned " << w.owned << " acted "
           << w.acted << " bytes " << w.owned_bytes << '/' << w.acted_bytes << " cascaded "
           << g.cascaded << '/' << w.cascaded << '\n';
      }
    }
  }
  // ecrlp decision 5: every ARCHIVED image a valid sinceImageTransitioned rule identifies without a
  // lastArchivedAt is named by a warning. (Warnings for invalid policies are not pinned.)
  if (c.valid) {
    for (const auto& digest : want.archive_time_missing) {
      const bool warned = std::any_of(got.warnings.begin(), got.warnings.end(), [&](const auto& w) {
        return w.code == "image.archived_without_archive_time" &&
               w.message.find(digest) != std::string::npos;
      });
      if (!warned) os << "no image.archived_without_archive_time warning for " << digest << '\n';
    }
  }
  return os.str();
}

struct run_stats {
  std::size_t cases = 0;
  std::size_t failures = 0;
  std::size_t images = 0;
  std::size_t acted = 0;
  std::size_t owned = 0;
  std::size_t unowned = 0;
  std::size_t ties = 0;
  std::size_t guarded = 0;
  std::size_t referrers = 0;
  std::size_t cascaded = 0;
};

run_stats run_cases(std::uint64_t first_seed, std::size_t count) {
  run_stats stats;
  for (std::uint64_t seed = first_seed; seed < first_seed + count; ++seed) {
    const test_case c = make_case(seed);
    const auto got = ecrlp::evaluate(
        c.policy, c.images,
        {.now = now, .indexes = c.indexes, .independent_images = c.independent});
    const auto want = ecrlp_ref::evaluate(c.policy, c.images, now, c.indexes, c.independent);
    const std::string diff = compare(c, got, want);
    ++stats.cases;
    stats.images += c.images.size();
    stats.guarded += want.guarded;
    stats.referrers += want.referrers;
    for (const auto& d : want.decisions) {
      stats.cascaded +=
          d.related == ecrlp::relation::referrer && d.action != ecrlp::fate::keep ? 1U : 0U;
      stats.acted += d.action != ecrlp::fate::keep ? 1U : 0U;
      stats.owned += d.owner ? 1U : 0U;
      stats.unowned += d.owner ? 0U : 1U;
    }
    for (std::size_t k = 1; k < want.order.size(); ++k) {
      const auto& a = c.images[want.order[k - 1]];
      const auto& b = c.images[want.order[k]];
      stats.ties += ecrlp_ref::ref_time(a) == ecrlp_ref::ref_time(b) ? 1U : 0U;
    }
    if (!diff.empty()) {
      if (++stats.failures <= 3) {
        INFO(dump(c));
        FAIL_CHECK("ecrlp::evaluate disagrees with the reference, seed "
                   << seed << " (rebuild it with make_case(" << seed << ")):\n"
                   << diff);
      }
    }
  }
  return stats;
}

}  // namespace

TEST_CASE("evaluate agrees with the spec-2.2 reference on random repositories and policies",
          "[evaluate][random]") {
  const auto first_seed =
      GENERATE(as<std::uint64_t>{}, 0x5eed'0000ULL, 0xecf1'0000'0000ULL, 0xfeed'beef'0000ULL);
  CAPTURE(first_seed);
  const auto stats = run_cases(first_seed, 2000);
  CHECK(stats.failures == 0);
  // The generator must exercise the interesting paths, or agreement would mean little.
  CHECK(stats.images > 20 * stats.cases);  // 0..60 images, 30 on average
  CHECK(stats.acted > stats.images / 10);
  CHECK(stats.owned > stats.images / 5);
  CHECK(stats.unowned > stats.images / 20);
  CHECK(stats.ties > stats.cases);
  CHECK(stats.guarded > stats.cases / 4);
  CHECK(stats.referrers > stats.cases / 2);
  CHECK(stats.cascaded > stats.cases / 10);
}

TEST_CASE("random case generation is deterministic", "[evaluate][random]") {
  const auto a = make_case(42);
  const auto b = make_case(42);
  CHECK(dump(a) == dump(b));
  CHECK(dump(make_case(43)) != dump(a));
}
