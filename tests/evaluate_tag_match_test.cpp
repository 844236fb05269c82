// SPDX-License-Identifier: MIT
// Unit tests of include/ecrlp/tag_match.hpp (spec 1.3, ecrlp decision 4).

#include <ecrlp/tag_match.hpp>

#include "catch.hpp"
#include "reference_evaluator.hpp"

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Compile-time checks: the matchers are constexpr.
static_assert(ecrlp::prefix_matches("prod", "production"));
static_assert(ecrlp::prefix_matches("", "x"));
static_assert(!ecrlp::prefix_matches("prod", "pro"));
static_assert(ecrlp::pattern_matches("prod*", "prod"));
static_assert(ecrlp::pattern_matches("*prod*", "repo-production"));
static_assert(!ecrlp::pattern_matches("prod", "prod-1"));
static_assert(ecrlp::pattern_matches("a*b*c", "aXbYbZc"));
static_assert(ecrlp::pattern_matches("*", ""));
static_assert(!ecrlp::pattern_matches("", "a"));
static_assert(ecrlp::entry_matches(ecrlp::tag_list_kind::prefix, "v1", "v1.2"));
static_assert(!ecrlp::entry_matches(ecrlp::tag_list_kind::pattern, "v1", "v1.2"));
static_assert(!ecrlp::entry_matches(ecrlp::tag_list_kind::none, "", ""));

std::vector<std::string> all_strings(std::string_view alphabet, std::size_t max_len) {
  std::vector<std::string> out{""};
  std::size_t begin = 0;
  for (std::size_t len = 1; len <= max_len; ++len) {
    const std::size_t end = out.size();
    for (std::size_t k = begin; k < end; ++k) {
      for (char c : alphabet) out.push_back(out[k] + c);
    }
    begin = end;
  }
  return out;
}

}  // namespace

TEST_CASE("prefix_matches: literal, case-sensitive, starts-with", "[evaluate][tag_match]") {
  CHECK(ecrlp::prefix_matches("prod", "prod"));
  CHECK(ecrlp::prefix_matches("prod", "prod1"));
  CHECK(ecrlp::prefix_matches("prod", "production-team1"));
  CHECK_FALSE(ecrlp::prefix_matches("prod", "pro"));
  CHECK_FALSE(ecrlp::prefix_matches("prod", "repo-prod"));
  CHECK_FALSE(ecrlp::prefix_matches("prod", "Prod"));
  CHECK_FALSE(ecrlp::prefix_matches("Prod", "prod"));
  CHECK_FALSE(ecrlp::prefix_matches("prod", ""));
  CHECK(ecrlp::prefix_matches("", ""));
  CHECK(ecrlp::prefix_matches("", "anything"));
  // `*` is not special in a prefix.
  CHECK_FALSE(ecrlp::prefix_matches("prod*", "prod"));
  CHECK_FALSE(ecrlp::prefix_matches("prod*", "production"));
  CHECK(ecrlp::prefix_matches("prod*", "prod*x"));
  CHECK_FALSE(ecrlp::prefix_matches("*", "a"));
}

TEST_CASE("pattern_matches: documented wildcard examples", "[evaluate][tag_match]") {
  // DOC-LP: `prod*` matches prod, prod1, production-team1; `*prod*` matches repo-production, prod-team.
  CHECK(ecrlp::pattern_matches("prod*", "prod"));
  CHECK(ecrlp::pattern_matches("prod*", "prod1"));
  CHECK(ecrlp::pattern_matches("prod*", "production-team1"));
  CHECK(ecrlp::pattern_matches("*prod*", "repo-production"));
  CHECK(ecrlp::pattern_matches("*prod*", "prod-team"));
  CHECK_FALSE(ecrlp::pattern_matches("prod*", "repo-prod"));
  CHECK_FALSE(ecrlp::pattern_matches("*prod*", "pro-d"));
  // DOC-PARAMS examples of four-star patterns.
  CHECK(ecrlp::pattern_matches("*test*1*2*3", "mytest-1-2-3"));
  CHECK(ecrlp::pattern_matches("test*1*2*3*", "test123"));
  CHECK_FALSE(ecrlp::pattern_matches("test*1*2*3*", "test132"));
}

TEST_CASE("pattern_matches: anchoring and case", "[evaluate][tag_match]") {
  CHECK(ecrlp::pattern_matches("latest", "latest"));
  CHECK_FALSE(ecrlp::pattern_matches("latest", "latest-1"));
  CHECK_FALSE(ecrlp::pattern_matches("latest", "my-latest"));
  CHECK_FALSE(ecrlp::pattern_matches("latest", "Latest"));
  CHECK_FALSE(ecrlp::pattern_matches("*prod", "prod-1"));
  CHECK(ecrlp::pattern_matches("*prod", "my-prod"));
  CHECK_FALSE(ecrlp::pattern_matches("Prod*", "prod-1"));
  CHECK_FALSE(ecrlp::pattern_matches("prod*", "PROD-1"));
  CHECK(ecrlp::pattern_matches("", ""));
  CHECK_FALSE(ecrlp::pattern_matches("", "x"));
  CHECK_FALSE(ecrlp::pattern_matches("x", ""));
}

TEST_CASE("pattern_matches: stars, empty runs and backtracking", "[evaluate][tag_match]") {
  CHECK(ecrlp::pattern_matches("*", ""));
  CHECK(ecrlp::pattern_matches("*", "anything"));
  CHECK(ecrlp::pattern_matches("**", ""));
  CHECK(ecrlp::pattern_matches("**", "ab"));
  CHECK(ecrlp::pattern_matches("****", "x"));
  CHECK(ecrlp::pattern_matches("a*", "a"));
  CHECK(ecrlp::pattern_matches("*a", "a"));
  CHECK(ecrlp::pattern_matches("a**b", "ab"));
  CHECK(ecrlp::pattern_matches("a*b*c", "abc"));
  CHECK(ecrlp::pattern_matches("a*b*c", "aXbYbZc"));
  CHECK(ecrlp::pattern_matches("a*b*c", "abbbcbc"));
  CHECK_FALSE(ecrlp::pattern_matches("a*b*c", "aXbYbZ"));
  CHECK_FALSE(ecrlp::pattern_matches("a*b*c", "acb"));
  CHECK(ecrlp::pattern_matches("*ab", "aab"));
  CHECK(ecrlp::pattern_matches("*ab", "abab"));
  CHECK_FALSE(ecrlp::pattern_matches("*ab", "aba"));
  CHECK(ecrlp::pattern_matches("*aab", "aaab"));
  CHECK(ecrlp::pattern_matches("*a*ab", "aaab"));
  CHECK_FALSE(ecrlp::pattern_matches("*a*ab", "aab2"));
  CHECK(ecrlp::pattern_matches("v*-*-rc*", "v1-2-rc3"));
  CHECK(ecrlp::pattern_matches("v*-*-rc*", "v1-2-3-rc"));
  CHECK_FALSE(ecrlp::pattern_matches("v*-*-rc*", "v1-rc3"));
  // Patterns longer than the tag.
  CHECK_FALSE(ecrlp::pattern_matches("abcd", "abc"));
  CHECK_FALSE(ecrlp::pattern_matches("abc*d", "abc"));
  CHECK_FALSE(ecrlp::pattern_matches("a*b*c*d*e", "abcd"));
  CHECK(ecrlp::pattern_matches("a*b*c*d*", "abcd"));
  // A `*` in the tag is an ordinary character.
  CHECK(ecrlp::pattern_matches("a*", "a*"));
  CHECK_FALSE(ecrlp::pattern_matches("a", "*"));
}

TEST_CASE("list_matches and tags_match: AND over entries, one tag may satisfy several",
          "[evaluate][tag_match]") {
  using ecrlp::tag_list_kind;
  const std::vector<std::string> one{"prod-1"};
  const std::vector<std::string> two{"alpha-1", "beta-1"};
  const std::vector<std::string> none;

  CHECK(ecrlp::list_matches(tag_list_kind::pattern, std::vector<std::string>{"prod*", "*-1"}, one));
  CHECK(ecrlp::list_matches(tag_list_kind::prefix, std::vector<std::string>{"p", "pr", "prod-"}, one));
  CHECK(ecrlp::list_matches(tag_list_kind::prefix, std::vector<std::string>{"alpha", "beta"}, two));
  CHECK_FALSE(
      ecrlp::list_matches(tag_list_kind::prefix, std::vector<std::string>{"alpha", "gamma"}, two));
  CHECK_FALSE(ecrlp::list_matches(tag_list_kind::pattern, std::vector<std::string>{"*"}, none));

  ecrlp::selection sel;
  sel.status = ecrlp::tag_status::tagged;
  sel.list_kind = tag_list_kind::pattern;
  sel.tag_list = {"*"};
  CHECK(ecrlp::tags_match(sel, one));
  CHECK_FALSE(ecrlp::tags_match(sel, none));
  sel.status = ecrlp::tag_status::untagged;
  CHECK(ecrlp::tags_match(sel, none));
  CHECK_FALSE(ecrlp::tags_match(sel, one));
  sel.status = ecrlp::tag_status::any;
  CHECK(ecrlp::tags_match(sel, none));
  CHECK(ecrlp::tags_match(sel, one));
}

TEST_CASE("pattern_matches agrees with a recursive reference: exhaustive over {a,b,*}",
          "[evaluate][tag_match]") {
  const auto patterns = all_strings("ab*", 6);
  const auto tags = all_strings("ab*", 5);
  std::size_t mismatches = 0;
  for (const auto& p : patterns) {
    for (const auto& t : tags) {
      if (ecrlp::pattern_matches(p, t) != ecrlp_ref::glob(p, t)) {
        if (++mismatches <= 5) {
          FAIL_CHECK("pattern '" << p << "' tag '" << t << "': ecrlp says "
                                 << ecrlp::pattern_matches(p, t));
        }
      }
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("pattern_matches agrees with a recursive reference: random longer strings",
          "[evaluate][tag_match]") {
  std::mt19937_64 rng(0x7a6d'a7c4ULL);
  const auto random_string = [&](std::size_t max_len, std::string_view alphabet) {
    std::uniform_int_distribution<std::size_t> len_dist(0, max_len);
    std::uniform_int_distribution<std::size_t> char_dist(0, alphabet.size() - 1);
    std::string s(len_dist(rng), 'a');
    for (char& c : s) c = alphabet[char_dist(rng)];
    return s;
  };
  std::size_t mismatches = 0;
  std::size_t matches = 0;
  for (int k = 0; k < 20000; ++k) {
    // Patterns weighted towards letters so that a fair share of the pairs match.
    const std::string p = random_string(9, "aab*");
    const std::string t = random_string(14, k % 3 == 0 ? "ab*" : "ab");
    const bool got = ecrlp::pattern_matches(p, t);
    const bool want = ecrlp_ref::glob(p, t);
    matches += want ? 1U : 0U;
    if (got != want && ++mismatches <= 5) {
      FAIL_CHECK("pattern '" << p << "' tag '" << t << "': ecrlp says " << got);
    }
  }
  CHECK(mismatches == 0);
  CHECK(matches > 500);  // the sample exercises matching pairs, not only failures
}

TEST_CASE("prefix_matches agrees with a reference: exhaustive over {a,b,*}",
          "[evaluate][tag_match]") {
  const auto strings = all_strings("ab*", 5);
  std::size_t mismatches = 0;
  for (const auto& p : strings) {
    for (const auto& t : strings) {
      if (ecrlp::prefix_matches(p, t) != ecrlp_ref::starts_with(p, t) && ++mismatches <= 5) {
        FAIL_CHECK("prefix '" << p << "' tag '" << t << "'");
      }
    }
  }
  CHECK(mismatches == 0);
}
