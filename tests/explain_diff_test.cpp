// SPDX-License-Identifier: MIT
// Tests of ecrlp::diff (include/ecrlp/diff.hpp): every kind of change on a fixture where each
// image's old and new fate is known by construction, near misses that are not changes, and random
// policies diffed with themselves (always empty) and with each other (agreeing with evaluate).

#include <ecrlp/diff.hpp>
#include <ecrlp/evaluate.hpp>

#include "catch.hpp"
#include "explain_fixtures.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace explain_fixtures;
using ecrlp::change_kind;
using ecrlp::fate;

constexpr auto pushed = count_type::since_image_pushed;
constexpr auto expire = action_type::expire;
constexpr auto transition = action_type::transition;

// One image per letter, each 40 days old (h: 10 days), sizes 1, 2, 4, ... so byte totals identify
// the images they add up.
std::vector<ecrlp::image> letter_images() {
  std::vector<ecrlp::image> images;
  std::uint64_t size = 1;
  for (const char c : std::string("abcdefghi")) {
    const std::string tag(1, c);
    images.push_back(make_image(tag, {tag + "-1"}, days_ago(c == 'h' ? 10 : 40), size));
    size *= 2;
  }
  images.push_back(make_image("untagged", {}, days_ago(400), 1000));
  return images;
}

const ecrlp::lifecycle_policy old_policy = policy_of({
    prefixes(1, {"a"}, pushed, 60, expire),      // a kept
    prefixes(2, {"b"}, pushed, 30, expire),      // b expired
    prefixes(3, {"c"}, pushed, 60, transition),  // c kept
    prefixes(4, {"d"}, pushed, 30, transition),  // d transitioned
    prefixes(5, {"e"}, pushed, 30, expire),      // e expired
    prefixes(6, {"f"}, pushed, 30, transition),  // f transitioned
    prefixes(7, {"g"}, pushed, 30, expire),      // g expired by 7
    prefixes(8, {"h"}, pushed, 30, expire),      // h (10 days) kept by 8
    prefixes(9, {"i"}, pushed, 30, expire),      // i expired by 9
});

const ecrlp::lifecycle_policy new_policy = policy_of({
    prefixes(1, {"a"}, pushed, 30, expire),      // a: kept -> expired
    prefixes(2, {"b"}, pushed, 60, expire),      // b: expired -> kept
    prefixes(3, {"c"}, pushed, 30, transition),  // c: kept -> transitioned
    prefixes(4, {"d"}, pushed, 60, transition),  // d: transitioned -> kept
    prefixes(5, {"e"}, pushed, 30, transition),  // e: expired -> transitioned
    prefixes(6, {"f"}, pushed, 30, expire),      // f: transitioned -> expired
    prefixes(17, {"g"}, pushed, 30, expire),     // g: expired by another rule
    prefixes(18, {"h"}, pushed, 30, expire),     // h: still kept, by another owner: no change
    prefixes(9, {"i"}, pushed, 30, expire),      // i: same fate, same rule: no change
});

}  // namespace

TEST_CASE("diff: every kind of change, counted with bytes", "[explain][diff]") {
  const auto images = letter_images();
  const auto d = ecrlp::diff(old_policy, new_policy, images, {.now = now});
  REQUIRE(d.changes.size() == 7);
  const auto kind_of = [&](const std::string& name) -> std::optional<change_kind> {
    for (const auto& c : d.changes) {
      if (images[c.image_index].digest == "sha256:" + name) return c.kind;
    }
    return std::nullopt;
  };
  CHECK(kind_of("a") == change_kind::kept_to_expired);
  CHECK(kind_of("b") == change_kind::expired_to_kept);
  CHECK(kind_of("c") == change_kind::kept_to_transitioned);
  CHECK(kind_of("d") == change_kind::transitioned_to_kept);
  CHECK(kind_of("e") == change_kind::expired_to_transitioned);
  CHECK(kind_of("f") == change_kind::transitioned_to_expired);
  CHECK(kind_of("g") == change_kind::other_rule);
  CHECK_FALSE(kind_of("h"));         // kept under both: a different owner is not a change
  CHECK_FALSE(kind_of("i"));         // expired by the same rule under both
  CHECK_FALSE(kind_of("untagged"));  // selected by no rule under both

  // Sizes are powers of two: a=1, b=2, c=4, ... g=64.
  std::uint64_t bit = 1;
  for (const auto k : ecrlp::all_change_kinds) {
    INFO(to_string(k));
    CHECK(d.total(k).images == 1);
    CHECK(d.total(k).bytes == bit);
    bit *= 2;
  }
  // The change records both decisions.
  const auto& g = *std::find_if(d.changes.begin(), d.changes.end(),
                                [](const auto& c) { return c.kind == change_kind::other_rule; });
  CHECK(g.before.owner == 7);
  CHECK(g.after.owner == 17);
  CHECK(g.before.action == fate::expire);
  CHECK(g.after.action == fate::expire);
  // Per-rule totals of both sides, in priority order.
  REQUIRE(d.before.rules.size() == 9);
  REQUIRE(d.after.rules.size() == 9);
  CHECK(d.before.rules[6].priority == 7);
  CHECK(d.before.rules[6].acted == 1);
  CHECK(d.after.rules.back().priority == 18);
  CHECK(d.after.rules.back().owned == 1);
  CHECK(d.after.rules.back().acted == 0);
}

TEST_CASE("diff: changes are listed oldest first", "[explain][diff]") {
  const std::vector<ecrlp::image> images{make_image("new", {}, days_ago(5)),
                                         make_image("old", {}, days_ago(50)),
                                         make_image("mid", {}, days_ago(20))};
  const auto d = ecrlp::diff(policy_of({untagged(1, pushed, 100)}),
                             policy_of({untagged(1, pushed, 1)}), images, {.now = now});
  REQUIRE(d.changes.size() == 3);
  CHECK(d.changes[0].image_index == 1);
  CHECK(d.changes[1].image_index == 2);
  CHECK(d.changes[2].image_index == 0);
}

TEST_CASE("diff: classify pins each pair of decisions", "[explain][diff]") {
  using D = ecrlp::image_decision;
  const D keep1{fate::keep, 1};
  const D keep_none{fate::keep, std::nullopt};
  const D exp1{fate::expire, 1};
  const D exp2{fate::expire, 2};
  const D tr1{fate::transition, 1};
  const D tr2{fate::transition, 2};
  CHECK_FALSE(ecrlp::classify(keep1, keep_none));
  CHECK_FALSE(ecrlp::classify(exp1, exp1));
  CHECK(ecrlp::classify(keep_none, exp1) == change_kind::kept_to_expired);
  CHECK(ecrlp::classify(exp1, keep1) == change_kind::expired_to_kept);
  CHECK(ecrlp::classify(keep1, tr1) == change_kind::kept_to_transitioned);
  CHECK(ecrlp::classify(tr1, keep_none) == change_kind::transitioned_to_kept);
  CHECK(ecrlp::classify(exp1, tr1) == change_kind::expired_to_transitioned);
  CHECK(ecrlp::classify(tr2, exp1) == change_kind::transitioned_to_expired);
  CHECK(ecrlp::classify(exp1, exp2) == change_kind::other_rule);
  CHECK(ecrlp::classify(tr1, tr2) == change_kind::other_rule);
}

TEST_CASE("diff: random policies, with themselves and with each other", "[explain][diff][random]") {
  std::size_t changes = 0;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    random_case c(seed);
    INFO("seed " << seed);
    const auto self = ecrlp::diff(c.policy, c.policy, c.images, {.now = now});
    REQUIRE(self.empty());
    for (const auto k : ecrlp::all_change_kinds) REQUIRE(self.total(k).images == 0);

    const auto other = c.another_policy();
    const auto d = ecrlp::diff(c.policy, other, c.images, {.now = now});
    const auto before = ecrlp::evaluate(c.policy, c.images, {.now = now});
    const auto after = ecrlp::evaluate(other, c.images, {.now = now});
    std::size_t expected = 0;
    for (std::size_t i = 0; i < c.images.size(); ++i) {
      const auto& b = before.decisions[i];
      const auto& a = after.decisions[i];
      const bool differs = b.action != a.action || (b.action != fate::keep && b.owner != a.owner);
      expected += differs ? 1U : 0U;
    }
    REQUIRE(d.changes.size() == expected);
    std::size_t counted = 0;
    for (const auto k : ecrlp::all_change_kinds) counted += d.total(k).images;
    REQUIRE(counted == expected);
    changes += expected;
  }
  CHECK(changes > 1000);
}
