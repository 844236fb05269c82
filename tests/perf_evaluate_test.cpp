// SPDX-License-Identifier: MIT
//
// The optimised evaluator (radix-sorted age order, prepared per-position arrays, tag heads and
// character signatures) against the straightforward implementation it replaced, kept below
// verbatim in spirit: an unordered_map of tags, a comparison sort, entry_matches on every tag.
// Both the one-shot evaluate(policy, images, options) and evaluate(policy, prepared, options) must
// give the same result, field for field, warnings included, on random repositories whose tags
// and list entries stress the fast paths: entries longer than 8 and 16 bytes, NUL bytes, patterns
// with several `*`, equal reference times, extreme counts.

#include <ecrlp/evaluate.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <numeric>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "catch.hpp"

namespace {

using ecrlp::image;
using ecrlp::image_status;
using ecrlp::storage_class;
using ecrlp::tag_list_kind;
using ecrlp::tag_status;
using ecrlp::timestamp;

// ---- the evaluator before the optimisation, as the oracle ---------------------------------------

ecrlp::evaluation_result baseline_evaluate(const ecrlp::lifecycle_policy& policy,
                                           const std::vector<image>& images, timestamp now) {
  using namespace ecrlp;
  const std::size_t n = images.size();
  evaluation_result result;
  result.decisions.resize(n);
  std::vector<timestamp> ref(n);
  for (std::size_t i = 0; i < n; ++i) ref[i] = reference_time(images[i]);
  result.order.resize(n);
  std::iota(result.order.begin(), result.order.end(), std::size_t{0});
  std::sort(result.order.begin(), result.order.end(), [&](std::size_t a, std::size_t b) {
    if (ref[a] != ref[b]) return ref[a] < ref[b];
    if (images[a].digest != images[b].digest) return images[a].digest < images[b].digest;
    return a < b;
  });
  std::vector<std::size_t> rule_order(policy.rules.size());
  std::iota(rule_order.begin(), rule_order.end(), std::size_t{0});
  std::stable_sort(rule_order.begin(), rule_order.end(), [&](std::size_t a, std::size_t b) {
    return policy.rules[a].priority < policy.rules[b].priority;
  });
  std::vector<unsigned char> owned(n, 0);
  std::vector<unsigned char> warned(n, 0);
  for (const std::size_t ri : rule_order) {
    const rule& r = policy.rules[ri];
    const selection& sel = r.selection;
    rule_summary summary;
    summary.priority = r.priority;
    const fate act = r.action.type == action_type::transition ? fate::transition : fate::expire;
    std::size_t rank = 0;
    for (std::size_t k = n; k-- > 0;) {
      const std::size_t i = result.order[k];
      const image& img = images[i];
      const auto sc = storage_class_of(img.status);
      if (!sc || *sc != sel.storage) continue;
      bool match = false;
      switch (sel.status) {
        case tag_status::any:
          match = true;
          break;
        case tag_status::untagged:
          match = img.tags.empty();
          break;
        case tag_status::tagged:
          match = !img.tags.empty();
          for (const auto& e : sel.tag_list) {
            bool any = false;
            for (const auto& t : img.tags) any = any || entry_matches(sel.list_kind, e, t);
            match = match && any;
          }
          break;
      }
      if (!match) continue;
      ++summary.identified;
      ++rank;
      bool marked = false;
      switch (sel.type) {
        case count_type::image_count_more_than:
          marked = sel.count_number < 0 || rank > static_cast<std::uint64_t>(sel.count_number);
          break;
        case count_type::since_image_pushed:
          marked = detail::older_than(now, reference_time(img), sel.count_number);
          break;
        case count_type::since_image_pulled:
          marked = detail::older_than(now, pull_reference_time(img), sel.count_number);
          break;
        case count_type::since_image_transitioned:
          if (img.last_archived_at) {
            marked = detail::older_than(now, *img.last_archived_at, sel.count_number);
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
        ++(act == fate::expire ? result.expiring : result.transitioning);
      }
    }
    result.rules.push_back(summary);
  }
  return result;
}

// ---- random cases -----------------------------------------------------------------------------

const timestamp now{std::chrono::sys_days{std::chrono::year{2026} / 11 / 28}.time_since_epoch()};

// Tags share long prefixes (so that 8- and 16-byte heads tie and the tail decides), contain
// characters outside the signature's classes, and a NUL byte.
const std::vector<std::string> vocabulary = {
    "prod",
    "prod-1",
    "Prod-1",
    "production",
    "production-eu-west-1",
    "production-eu-west-2",
    "production-eu-central",
    "productionX",
    "staging-2024.05.01",
    "staging-2024.05.02",
    "staging-2024.06.01_rc",
    "v1.2.3",
    "v1.2.3+build.7",
    "release-1.0.0-alpha",
    "release-1.0.0-beta",
    "sha-0123456789abcdef",
    "sha-0123456789abcdee",
    "a",
    "ab",
    "aXbYbZc",
    std::string("nul\0byte", 8),
    std::string("nul\0bytes-and-more-16", 21),
    "\xC3\xA9t\xC3\xA9",
};

class generator {
 public:
  explicit generator(std::uint64_t seed) : rng_(seed) {}

  std::vector<image> images(std::size_t count) {
    std::vector<image> out;
    std::set<std::string> digests;
    std::vector<timestamp> used;
    const auto some_time = [&] {
      if (!used.empty() && chance(0.3)) return used[pick(used.size())];
      const auto t = now - std::chrono::microseconds{between(-86'400'000'000LL, 400LL * 86'400'000'000LL)};
      used.push_back(t);
      return t;
    };
    while (out.size() < count) {
      image img;
      img.digest = "sha256:";
      for (int k = 0; k < 4; ++k) img.digest += "0123456789abcdef"[pick(16)];
      if (!digests.insert(img.digest).second) continue;
      if (!chance(0.25)) {
        const auto n_tags = 1 + pick(4);
        for (std::size_t k = 0; k < n_tags; ++k) {
          std::string t = vocabulary[pick(vocabulary.size())];
          if (chance(0.3)) t += "-" + std::to_string(pick(100));
          img.tags.push_back(std::move(t));
        }
      }
      img.pushed_at = some_time();
      const auto s = pick(20);
      img.status = s < 13 ? image_status::active
                   : s < 18 ? image_status::archived
                            : image_status::activating;
      if (chance(0.25)) img.last_activated_at = some_time();
      if (chance(0.4)) img.last_pulled_at = some_time();
      if (chance(img.status == image_status::archived ? 0.7 : 0.1)) {
        img.last_archived_at = some_time();
      }
      img.size_bytes = static_cast<std::uint64_t>(between(0, 2'000'000'000));
      out.push_back(std::move(img));
    }
    return out;
  }

  std::string entry(tag_list_kind kind) {
    std::string base = vocabulary[pick(vocabulary.size())];
    if (kind == tag_list_kind::prefix) return base.substr(0, pick(base.size() + 1));
    const auto stars = pick(4);
    for (std::size_t k = 0; k < stars; ++k) {
      const auto pos = pick(base.size() + 1);
      base.replace(pos, std::min(pick(4), base.size() - pos), "*");
    }
    if (chance(0.1)) base += "*";
    return base;
  }

  ecrlp::lifecycle_policy policy() {
    constexpr std::int64_t counts[] = {-4'000'000'000'000'000'000LL, -1, 0, 1, 2, 3, 7, 30, 90,
                                       365, 106'751'991, 106'751'992, 4'000'000'000'000'000'000LL};
    ecrlp::lifecycle_policy p;
    const auto n = 1 + pick(8);
    for (std::size_t k = 0; k < n; ++k) {
      ecrlp::rule r;
      r.priority = static_cast<std::int64_t>(pick(12));  // equal priorities too
      r.source_index = k;
      auto& sel = r.selection;
      sel.storage = chance(0.3) ? storage_class::archive : storage_class::standard;
      const auto st = pick(4);
      sel.status = st < 2 ? tag_status::tagged : st == 2 ? tag_status::untagged : tag_status::any;
      if (sel.status == tag_status::tagged || chance(0.1)) {
        const auto kind_roll = pick(10);
        sel.list_kind = kind_roll < 5   ? tag_list_kind::prefix
                        : kind_roll < 9 ? tag_list_kind::pattern
                                        : tag_list_kind::none;
        const auto entries = pick(4);  // 0 entries: an (invalid) empty list
        for (std::size_t e = 0; e < entries; ++e) sel.tag_list.push_back(entry(sel.list_kind));
      }
      sel.type = static_cast<ecrlp::count_type>(pick(4));
      sel.count_number = counts[pick(std::size(counts))];
      r.action.type = chance(0.5) ? ecrlp::action_type::transition : ecrlp::action_type::expire;
      p.rules.push_back(std::move(r));
    }
    return p;
  }

  std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

 private:
  std::int64_t between(std::int64_t lo, std::int64_t hi) {
    return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_);
  }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  std::mt19937_64 rng_;
};

std::string differences(const ecrlp::evaluation_result& got, const ecrlp::evaluation_result& want) {
  std::ostringstream os;
  if (got.order != want.order) os << "order differs\n";
  if (got.decisions.size() != want.decisions.size()) {
    os << "decision count differs\n";
  } else {
    for (std::size_t i = 0; i < got.decisions.size(); ++i) {
      if (got.decisions[i].action != want.decisions[i].action ||
          got.decisions[i].owner != want.decisions[i].owner) {
        os << "decision of image " << i << " differs\n";
      }
    }
  }
  if (got.rules.size() != want.rules.size()) {
    os << "rule summary count differs\n";
  } else {
    for (std::size_t k = 0; k < got.rules.size(); ++k) {
      const auto& g = got.rules[k];
      const auto& w = want.rules[k];
      if (g.priority != w.priority || g.identified != w.identified || g.marked != w.marked ||
          g.owned != w.owned || g.acted != w.acted || g.owned_bytes != w.owned_bytes ||
          g.acted_bytes != w.acted_bytes) {
        os << "rule summary " << k << " differs\n";
      }
    }
  }
  if (got.expiring != want.expiring || got.transitioning != want.transitioning) {
    os << "totals differ\n";
  }
  if (got.warnings.size() != want.warnings.size()) {
    os << "warning count differs\n";
  } else {
    for (std::size_t k = 0; k < got.warnings.size(); ++k) {
      if (got.warnings[k].code != want.warnings[k].code ||
          got.warnings[k].message != want.warnings[k].message ||
          got.warnings[k].level != want.warnings[k].level) {
        os << "warning " << k << " differs\n";
      }
    }
  }
  return os.str();
}

}  // namespace

TEST_CASE("optimised evaluate equals the straightforward one, one-shot and prepared",
          "[perf][evaluate]") {
  const auto first_seed = GENERATE(as<std::uint64_t>{}, 0xbe7c'0000ULL, 0x5ca1'ab1e'0000ULL);
  std::size_t failures = 0;
  std::size_t identified = 0;
  std::size_t acted = 0;
  for (std::uint64_t seed = first_seed; seed < first_seed + 600; ++seed) {
    generator g(seed);
    const auto images = g.images(g.pick(80));
    const ecrlp::prepared_inventory prepared(images);
    const auto want = baseline_evaluate(g.policy(), images, now);
    // The same policy again (the generator is deterministic per seed).
    generator g2(seed);
    (void)g2.images(g2.pick(80));
    const auto policy = g2.policy();
    const auto one_shot = ecrlp::evaluate(policy, images, {.now = now});
    const auto reused = ecrlp::evaluate(policy, prepared, {.now = now});
    const auto again = ecrlp::evaluate(policy, prepared, {.now = now});
    const std::string d1 = differences(one_shot, want);
    const std::string d2 = differences(reused, want);
    const std::string d3 = differences(again, want);
    if (!d1.empty() || !d2.empty() || !d3.empty()) {
      if (++failures <= 3) {
        FAIL_CHECK("seed " << seed << "\none-shot:\n" << d1 << "prepared:\n" << d2 << "again:\n" << d3);
      }
    }
    for (const auto& r : want.rules) identified += r.identified;
    acted += want.expiring + want.transitioning;
  }
  CHECK(failures == 0);
  // The cases must exercise matching and acting, or agreement would mean little.
  CHECK(identified > 5000);
  CHECK(acted > 2000);
}

TEST_CASE("optimised evaluate equals the straightforward one on repositories of many words",
          "[perf][evaluate]") {
  // Up to 1,500 images: the prepared bit planes span many 64-image words, so count limits cut
  // inside a word after several full ones and age limits end at any bit of any word.
  std::size_t failures = 0;
  std::size_t acted = 0;
  for (std::uint64_t seed = 0x6b17'0000ULL; seed < 0x6b17'0000ULL + 60; ++seed) {
    generator g(seed);
    const auto images = g.images(64 + g.pick(1'500));
    const auto policy = g.policy();
    const auto want = baseline_evaluate(policy, images, now);
    const auto got = ecrlp::evaluate(policy, images, {.now = now});
    const std::string d = differences(got, want);
    if (!d.empty() && ++failures <= 3) FAIL_CHECK("seed " << seed << "\n" << d);
    acted += want.expiring + want.transitioning;
  }
  CHECK(failures == 0);
  CHECK(acted > 5000);
}

TEST_CASE("transpose_bits moves bit j of row i to bit i of row j", "[perf][evaluate]") {
  std::mt19937_64 rng(0x7a5e);
  for (int round = 0; round < 20; ++round) {
    std::uint64_t a[64];
    for (auto& w : a) w = round == 0 ? 0 : rng() & rng();  // sparse and dense rows
    if (round == 1) a[5] = ~std::uint64_t{0};
    std::uint64_t t[64];
    std::copy(std::begin(a), std::end(a), std::begin(t));
    ecrlp::detail::transpose_bits(t);
    std::size_t wrong = 0;
    for (unsigned i = 0; i < 64; ++i) {
      for (unsigned j = 0; j < 64; ++j) wrong += ((a[i] >> j) & 1U) != ((t[j] >> i) & 1U);
    }
    CHECK(wrong == 0);
  }
}

TEST_CASE("prepared_inventory exposes the age order and the images", "[perf][evaluate]") {
  generator g(7);
  const auto images = g.images(50);
  const ecrlp::prepared_inventory prepared(images);
  CHECK(prepared.size() == images.size());
  CHECK(prepared.images().data() == images.data());
  CHECK(prepared.order() == ecrlp::detail::age_order(images));
  for (std::size_t k = 1; k < prepared.order().size(); ++k) {
    const auto& a = images[prepared.order()[k - 1]];
    const auto& b = images[prepared.order()[k]];
    CHECK((ecrlp::reference_time(a) < ecrlp::reference_time(b) ||
           (ecrlp::reference_time(a) == ecrlp::reference_time(b) && a.digest < b.digest)));
  }
}

TEST_CASE("age order breaks equal reference times by digest, then input position",
          "[perf][evaluate]") {
  // Many images, few distinct times: the radix sort's runs of equal keys.
  std::vector<image> images(3000);
  std::mt19937_64 rng(11);
  for (std::size_t i = 0; i < images.size(); ++i) {
    images[i].digest = "sha256:" + std::to_string(rng() % 500);  // duplicates on purpose
    images[i].pushed_at = now - std::chrono::seconds{static_cast<std::int64_t>(rng() % 7)} +
                          std::chrono::microseconds{static_cast<std::int64_t>(rng() % 3) - 1};
    if (rng() % 4 == 0) {
      images[i].last_activated_at = now - std::chrono::hours{24 * 365 * 300};  // far in the past
    }
  }
  const auto order = ecrlp::detail::age_order(images);
  std::vector<std::size_t> want(images.size());
  std::iota(want.begin(), want.end(), std::size_t{0});
  std::sort(want.begin(), want.end(), [&](std::size_t a, std::size_t b) {
    const auto ra = ecrlp::reference_time(images[a]);
    const auto rb = ecrlp::reference_time(images[b]);
    if (ra != rb) return ra < rb;
    if (images[a].digest != images[b].digest) return images[a].digest < images[b].digest;
    return a < b;
  });
  CHECK(order == want);
}
