// SPDX-License-Identifier: MIT
// Tests of ecrlp::lint (include/ecrlp/lint.hpp): every code on a policy written to trigger it and
// on near misses that must not trigger it, with and without images.

#include <ecrlp/evaluate.hpp>
#include <ecrlp/lint.hpp>

#include "catch.hpp"
#include "explain_fixtures.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace explain_fixtures;
namespace codes = ecrlp::lint_codes;

constexpr auto count = count_type::image_count_more_than;
constexpr auto pushed = count_type::since_image_pushed;

/// Findings with `code`.
std::vector<ecrlp::lint_finding> with_code(const std::vector<ecrlp::lint_finding>& all,
                                           std::string_view code) {
  std::vector<ecrlp::lint_finding> out;
  std::copy_if(all.begin(), all.end(), std::back_inserter(out),
               [&](const ecrlp::lint_finding& f) { return f.diag.code == code; });
  return out;
}

bool has(const std::vector<ecrlp::lint_finding>& all, std::string_view code) {
  return !with_code(all, code).empty();
}

/// The policy with an untagged catch-up rule of the lowest priority added, so that
/// lint.no_untagged_rule stays out of the way of the check under test.
ecrlp::lifecycle_policy with_untagged(std::vector<ecrlp::rule> rules) {
  rules.push_back(untagged(99, pushed, 14));
  return policy_of(std::move(rules));
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("lint: a clean policy has no findings", "[explain][lint]") {
  const auto policy =
      with_untagged({prefixes(1, {"prod"}, count, 10), patterns(2, {"*-rc*"}, pushed, 30)});
  CHECK(ecrlp::lint(policy).empty());
  const std::vector<ecrlp::image> images{make_image("p", {"prod-1"}, days_ago(1)),
                                         make_image("r", {"v1-rc1"}, days_ago(1)),
                                         make_image("u", {}, days_ago(1))};
  CHECK(ecrlp::lint(policy, images, now).empty());
}

TEST_CASE("lint.list_and_semantics", "[explain][lint]") {
  SECTION("two prefixes no single tag can match") {
    const auto f =
        with_code(ecrlp::lint(with_untagged({prefixes(5, {"prod", "staging"}, count, 3)})),
                  codes::list_and_semantics);
    REQUIRE(f.size() == 1);
    CHECK(f[0].diag.level == ecrlp::severity::warning);
    CHECK(f[0].diag.pointer == "/rules/0/selection/tagPrefixList");
    CHECK(f[0].rule_priority == 5);
    CHECK(contains(f[0].diag.message, "AND"));
    CHECK(contains(f[0].diag.message, "\"prod\" and \"staging\""));
    CHECK(contains(f[0].fix, "one rule per entry"));
  }
  SECTION("exact patterns (instantdb's [\"prod\", \"staging\"]) and TC-13's hex prefixes") {
    CHECK(has(ecrlp::lint(with_untagged({patterns(1, {"prod", "staging"}, count, 3)})),
              codes::list_and_semantics));
    std::vector<std::string> hex;
    for (const char c : std::string("0123456789abcdef")) hex.emplace_back(1, c);
    CHECK(has(ecrlp::lint(with_untagged({prefixes(1, hex, count, 3)})), codes::list_and_semantics));
  }
  SECTION("with images: how many the rule selects and each entry alone would") {
    const std::vector<ecrlp::image> images{make_image("p", {"prod-1"}, days_ago(1)),
                                           make_image("s", {"staging-1"}, days_ago(1)),
                                           make_image("q", {"prod-2"}, days_ago(1))};
    const auto f = with_code(
        ecrlp::lint(with_untagged({prefixes(5, {"prod", "staging"}, count, 3)}), images, now),
        codes::list_and_semantics);
    REQUIRE(f.size() == 1);
    CHECK(
        contains(f[0].diag.message, "selects 0 images, while the entries alone would select 2, 1"));
  }
  SECTION("near misses: one entry, or entries one tag can satisfy together") {
    for (const auto& policy : {with_untagged({prefixes(1, {"prod"}, count, 3)}),
                               with_untagged({prefixes(1, {"prod", "prod-eu"}, count, 3)}),
                               with_untagged({patterns(1, {"prod-*", "*-eu"}, count, 3)}),
                               with_untagged({patterns(1, {"*", "v1"}, count, 3)}),
                               with_untagged({patterns(1, {"v*1", "v1*"}, count, 3)})}) {
      CHECK_FALSE(has(ecrlp::lint(policy), codes::list_and_semantics));
    }
  }
}

TEST_CASE("lint: glob overlap is exact and glob coverage sound, by brute force",
          "[explain][lint]") {
  // Every glob over {a, b, *} of up to 4 characters, against every tag over {a, b} of up to 8:
  // two globs that share a tag share one of at most their combined length.
  std::vector<std::string> globs{""};
  std::vector<std::string> tags{""};
  for (std::size_t k = 0; k < globs.size(); ++k) {
    if (globs[k].size() == 4) continue;
    for (const char c : std::string("ab*")) globs.push_back(globs[k] + c);
  }
  for (std::size_t k = 0; k < tags.size(); ++k) {
    if (tags[k].size() == 8) continue;
    for (const char c : std::string("ab")) tags.push_back(tags[k] + c);
  }
  std::vector<std::vector<bool>> matches(globs.size(), std::vector<bool>(tags.size()));
  for (std::size_t g = 0; g < globs.size(); ++g) {
    for (std::size_t t = 0; t < tags.size(); ++t) {
      matches[g][t] = ecrlp::pattern_matches(globs[g], tags[t]);
    }
  }
  std::size_t overlapping = 0;
  std::size_t covering = 0;
  for (std::size_t a = 0; a < globs.size(); ++a) {
    for (std::size_t b = 0; b < globs.size(); ++b) {
      bool shared = false;
      bool included = true;  // every tag b matches, a matches
      for (std::size_t t = 0; t < tags.size(); ++t) {
        shared = shared || (matches[a][t] && matches[b][t]);
        included = included && (!matches[b][t] || matches[a][t]);
      }
      INFO(globs[a] << " / " << globs[b]);
      REQUIRE(ecrlp::detail::globs_overlap(globs[a], globs[b]) == shared);
      if (ecrlp::detail::glob_covers(globs[a], globs[b])) REQUIRE(included);
      overlapping += shared ? 1U : 0U;
      covering += ecrlp::detail::glob_covers(globs[a], globs[b]) ? 1U : 0U;
    }
  }
  CHECK(overlapping > 1000);
  CHECK(covering > 500);
  // Examples the checks rely on.
  CHECK(ecrlp::detail::glob_covers("prod*", "prod-*"));
  CHECK(ecrlp::detail::glob_covers("*eu*", "prod-eu-*"));
  CHECK_FALSE(ecrlp::detail::glob_covers("prod", "prod*"));
  CHECK_FALSE(ecrlp::detail::globs_overlap("a*b", "a*c"));
}

TEST_CASE("lint.prefix_has_star", "[explain][lint]") {
  const auto f = with_code(ecrlp::lint(with_untagged({prefixes(3, {"v1", "release-*"}, count, 3)})),
                           codes::prefix_has_star);
  REQUIRE(f.size() == 1);
  CHECK(f[0].diag.pointer == "/rules/0/selection/tagPrefixList/1");
  CHECK(f[0].rule_priority == 3);
  CHECK(contains(f[0].fix, "tagPatternList"));
  // Near miss: the same entry as a pattern.
  CHECK_FALSE(has(ecrlp::lint(with_untagged({patterns(3, {"release-*"}, count, 3)})),
                  codes::prefix_has_star));
}

TEST_CASE("lint.pattern_without_star", "[explain][lint]") {
  const auto policy = with_untagged({patterns(2, {"latest"}, count, 3)});
  const auto f = with_code(ecrlp::lint(policy), codes::pattern_without_star);
  REQUIRE(f.size() == 1);
  CHECK(f[0].diag.pointer == "/rules/0/selection/tagPatternList/0");
  CHECK(contains(f[0].fix, "\"latest*\""));
  SECTION("with images: exact and starting-with counts") {
    const std::vector<ecrlp::image> images{make_image("a", {"latest"}, days_ago(1)),
                                           make_image("b", {"latest-2"}, days_ago(2))};
    const auto g = with_code(ecrlp::lint(policy, images, now), codes::pattern_without_star);
    REQUIRE(g.size() == 1);
    CHECK(contains(g[0].diag.message, "with exactly this tag: 1; with a tag starting with it: 2"));
  }
  // Near misses: a pattern with `*`, and a prefix without one.
  CHECK_FALSE(has(ecrlp::lint(with_untagged({patterns(2, {"latest*"}, count, 3)})),
                  codes::pattern_without_star));
  CHECK_FALSE(has(ecrlp::lint(with_untagged({prefixes(2, {"latest"}, count, 3)})),
                  codes::pattern_without_star));
}

TEST_CASE("lint.unreachable_rule", "[explain][lint]") {
  const auto unreachable = [](std::vector<ecrlp::rule> rules) {
    return with_code(ecrlp::lint(with_untagged(std::move(rules))), codes::unreachable_rule);
  };
  SECTION("a broader prefix above a narrower one") {
    const auto f =
        unreachable({prefixes(2, {"prod-eu"}, pushed, 30), prefixes(1, {"prod"}, count, 5)});
    REQUIRE(f.size() == 1);
    CHECK(f[0].rule_priority == 2);
    CHECK(f[0].diag.pointer == "/rules/0");
    CHECK(contains(f[0].diag.message, "rule 1"));
  }
  SECTION("a pattern above a prefix it generalises, and above a list with a narrower entry") {
    CHECK(unreachable({patterns(1, {"prod*"}, count, 5), prefixes(2, {"prod-"}, pushed, 30)})
              .size() == 1);
    CHECK(unreachable({prefixes(1, {"v"}, count, 5), patterns(2, {"v1*", "x*"}, pushed, 30)})
              .size() == 1);
    CHECK(unreachable({patterns(1, {"*-eu"}, count, 5), patterns(2, {"prod-eu"}, pushed, 30)})
              .size() == 1);
  }
  SECTION("an untagged rule above an untagged rule, and anything of a class above-covered by any") {
    // (Invalid policies - ECR allows one untagged rule and a last any rule - but provable.)
    const auto f =
        with_code(ecrlp::lint(policy_of({untagged(1, pushed, 1), untagged(2, count, 5)})),
                  codes::unreachable_rule);
    REQUIRE(f.size() == 1);
    CHECK(f[0].rule_priority == 2);
    CHECK(with_code(ecrlp::lint(policy_of({any(1, pushed, 1), prefixes(2, {"a"}, count, 5)})),
                    codes::unreachable_rule)
              .size() == 1);
  }
  SECTION("near misses") {
    // The narrower rule first; a higher list with an entry the lower list does not imply; an
    // exact pattern does not cover a prefix; another storage class; untagged vs tagged.
    CHECK(unreachable({prefixes(1, {"prod-eu"}, pushed, 30), prefixes(2, {"prod"}, count, 5)})
              .empty());
    CHECK(unreachable({prefixes(1, {"prod", "eu"}, count, 5), prefixes(2, {"prod-1"}, pushed, 30)})
              .empty());
    CHECK(
        unreachable({patterns(1, {"prod"}, count, 5), prefixes(2, {"prod"}, pushed, 30)}).empty());
    CHECK(unreachable({any(1, count_type::since_image_transitioned, 90, action_type::expire,
                           storage_class::archive),
                       prefixes(2, {"prod"}, pushed, 30)})
              .empty());
    CHECK(unreachable({patterns(1, {"*"}, count, 5)}).empty());  // does not cover untagged 99
  }
}

TEST_CASE("lint.rule_owns_nothing (with images)", "[explain][lint]") {
  const auto policy =
      with_untagged({prefixes(1, {"prod"}, count, 100), patterns(2, {"*-eu"}, pushed, 30)});
  CHECK_FALSE(has(ecrlp::lint(policy), codes::unreachable_rule));  // not provable from the policy
  const std::vector<ecrlp::image> shadowed{make_image("p", {"prod-eu"}, days_ago(40)),
                                           make_image("u", {}, days_ago(1))};
  const auto f = with_code(ecrlp::lint(policy, shadowed, now), codes::rule_owns_nothing);
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule_priority == 2);
  CHECK(contains(f[0].diag.message, "selects 1 image, but rule 1 owns all of them"));
  // Near miss: one image only rule 2 selects.
  auto owned = shadowed;
  owned.push_back(make_image("d", {"dev-eu"}, days_ago(40)));
  CHECK_FALSE(has(ecrlp::lint(policy, owned, now), codes::rule_owns_nothing));
}

TEST_CASE("lint.any_count_counts_owned", "[explain][lint]") {
  const auto policy = policy_of({prefixes(1, {"keep"}, count, 100), any(2, count, 3)});
  const auto f = with_code(ecrlp::lint(policy), codes::any_count_counts_owned);
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule_priority == 2);
  CHECK(f[0].diag.pointer == "/rules/1/selection/countNumber");
  CHECK(contains(f[0].diag.message, "rule 1 own"));
  SECTION("with images: how many of its own it keeps (TC-15: none)") {
    std::vector<ecrlp::image> images;
    for (int k = 1; k <= 3; ++k) {
      images.push_back(
          make_image("K" + std::to_string(k), {"keep-" + std::to_string(k)}, days_ago(k)));
      images.push_back(make_image("O" + std::to_string(k), {"other"}, days_ago(10 + k)));
    }
    const auto g = with_code(ecrlp::lint(policy, images, now), codes::any_count_counts_owned);
    REQUIRE(g.size() == 1);
    CHECK(contains(g[0].diag.message, "it owns 3 images and keeps 0 of them"));
  }
  SECTION("near misses") {
    CHECK_FALSE(has(ecrlp::lint(policy_of({any(1, count, 3)})), codes::any_count_counts_owned));
    CHECK_FALSE(has(ecrlp::lint(policy_of({prefixes(1, {"keep"}, count, 100), any(2, pushed, 30)})),
                    codes::any_count_counts_owned));
    CHECK_FALSE(has(ecrlp::lint(policy_of({any(1, count_type::since_image_transitioned, 90,
                                               action_type::expire, storage_class::archive),
                                           any(2, count, 3)})),
                    codes::any_count_counts_owned));
    CHECK_FALSE(
        has(ecrlp::lint(policy_of({prefixes(1, {"keep"}, count, 100), untagged(2, count, 3)})),
            codes::any_count_counts_owned));
  }
}

TEST_CASE("lint.no_untagged_rule", "[explain][lint]") {
  const auto policy =
      policy_of({prefixes(1, {"prod"}, count, 10), patterns(2, {"dev*"}, pushed, 7)});
  const auto f = with_code(ecrlp::lint(policy), codes::no_untagged_rule);
  REQUIRE(f.size() == 1);
  CHECK(f[0].diag.pointer == "/rules");
  CHECK_FALSE(f[0].rule_priority);
  CHECK(contains(f[0].diag.message, "standard"));
  SECTION("with images: how many untagged images there are") {
    const std::vector<ecrlp::image> images{make_image("u1", {}, days_ago(1)),
                                           make_image("u2", {}, days_ago(1)),
                                           make_image("p", {"prod"}, days_ago(1))};
    const auto g = with_code(ecrlp::lint(policy, images, now), codes::no_untagged_rule);
    REQUIRE(g.size() == 1);
    CHECK(contains(g[0].diag.message, "the data holds 2 untagged standard images"));
  }
  SECTION("archive class too") {
    auto archived_only = make_rule(1, tag_status::tagged, tag_list_kind::prefix, {"prod"},
                                   count_type::since_image_transitioned, 90, action_type::expire,
                                   storage_class::archive);
    const auto g = with_code(ecrlp::lint(policy_of({archived_only})), codes::no_untagged_rule);
    REQUIRE(g.size() == 1);
    CHECK(contains(g[0].diag.message, "archive"));
  }
  SECTION("near misses: an untagged rule, an any rule, or no tagged rule") {
    CHECK_FALSE(has(ecrlp::lint(with_untagged({prefixes(1, {"prod"}, count, 10)})),
                    codes::no_untagged_rule));
    CHECK_FALSE(has(ecrlp::lint(policy_of({prefixes(1, {"prod"}, count, 10), any(2, pushed, 90)})),
                    codes::no_untagged_rule));
    CHECK_FALSE(has(ecrlp::lint(policy_of({any(1, pushed, 90)})), codes::no_untagged_rule));
  }
}

TEST_CASE("lint.rule_selects_nothing (with images)", "[explain][lint]") {
  const std::vector<ecrlp::image> images{make_image("p", {"prod-1"}, days_ago(1)),
                                         make_image("u", {}, days_ago(1))};
  const auto policy =
      with_untagged({prefixes(1, {"prod"}, count, 10), prefixes(2, {"zzz"}, count, 10)});
  CHECK_FALSE(has(ecrlp::lint(policy), codes::rule_selects_nothing));  // needs images
  const auto f = with_code(ecrlp::lint(policy, images, now), codes::rule_selects_nothing);
  REQUIRE(f.size() == 1);
  CHECK(f[0].rule_priority == 2);
  CHECK(f[0].diag.pointer == "/rules/1/selection");
  CHECK(contains(f[0].diag.message, "selects none of the 2 images"));
  SECTION("an archive rule over an export without archived images says how to export them") {
    const auto g =
        with_code(ecrlp::lint(with_untagged({any(1, count_type::since_image_transitioned, 90,
                                                 action_type::expire, storage_class::archive)}),
                              images, now),
                  codes::rule_selects_nothing);
    REQUIRE(g.size() == 1);
    CHECK(contains(g[0].fix, "imageStatus=ANY"));
  }
  // Near miss: every rule selects something.
  CHECK_FALSE(has(ecrlp::lint(with_untagged({prefixes(1, {"prod"}, count, 10)}), images, now),
                  codes::rule_selects_nothing));
}

TEST_CASE("lint.removes_too_much (with images)", "[explain][lint]") {
  std::vector<ecrlp::image> images;
  for (int k = 1; k <= 4; ++k)
    images.push_back(make_image("i" + std::to_string(k), {}, days_ago(k * 10)));
  SECTION("3 of 4 expired: 75% > 50%, an error") {
    const auto f =
        with_code(ecrlp::lint(policy_of({any(1, count, 1)}), images, now), codes::removes_too_much);
    REQUIRE(f.size() == 1);
    CHECK(f[0].diag.level == ecrlp::severity::error);
    CHECK(f[0].diag.pointer.empty());
    CHECK_FALSE(f[0].rule_priority);
    CHECK(contains(f[0].diag.message, "expire 3 of the 4 images (75.0%, 300 bytes)"));
    CHECK(contains(f[0].diag.message, "allowed 50.0%"));
    CHECK(contains(f[0].fix, "rule 1: 3 images"));
  }
  SECTION("near misses: exactly the share, a higher limit, transitions") {
    CHECK_FALSE(
        has(ecrlp::lint(policy_of({any(1, count, 2)}), images, now), codes::removes_too_much));
    CHECK_FALSE(
        has(ecrlp::lint(policy_of({any(1, count, 1)}), images, now, {.max_remove_percent = 75}),
            codes::removes_too_much));
    CHECK_FALSE(
        has(ecrlp::lint(policy_of({any(1, count, 1, action_type::transition)}), images, now),
            codes::removes_too_much));
    CHECK(has(ecrlp::lint(policy_of({any(1, count, 1)}), images, now, {.max_remove_percent = 74.9}),
              codes::removes_too_much));
  }
}

TEST_CASE("lint: findings are ordered by rule priority, policy-wide last", "[explain][lint]") {
  const auto f =
      ecrlp::lint(policy_of({patterns(7, {"latest"}, count, 1), prefixes(3, {"a*"}, count, 1)}));
  REQUIRE(f.size() == 3);
  CHECK(f[0].rule_priority == 3);
  CHECK(f[1].rule_priority == 7);
  CHECK(f[2].diag.code == codes::no_untagged_rule);
}

TEST_CASE("lint.unreachable_rule is sound: such a rule owns no image of any random repository",
          "[explain][lint][random]") {
  std::size_t reported = 0;
  for (std::uint64_t seed = 1; seed <= 3000; ++seed) {
    random_case c(seed);
    INFO("seed " << seed);
    const auto findings = ecrlp::lint(c.policy);
    const auto with_images = ecrlp::lint(c.policy, c.images, now);
    REQUIRE(with_images.size() >= findings.size());
    const auto result = ecrlp::evaluate(c.policy, c.images, {.now = now});
    for (const auto& f : with_code(findings, codes::unreachable_rule)) {
      ++reported;
      for (const auto& s : result.rules) {
        if (s.priority == f.rule_priority) REQUIRE(s.owned == 0);
      }
    }
  }
  CHECK(reported > 100);
}
