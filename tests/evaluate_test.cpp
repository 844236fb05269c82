// SPDX-License-Identifier: MIT
// Fixture tests of the evaluator (include/ecrlp/evaluate.hpp) against spec 2.10 (TC-1..TC-18) and
// the ecrlp decisions 1-5 and 8. Policies and images are built in code.

#include <ecrlp/evaluate.hpp>

#include "catch.hpp"
#include "reference_evaluator.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace {

using ecrlp::action_type;
using ecrlp::count_type;
using ecrlp::fate;
using ecrlp::image_status;
using ecrlp::storage_class;
using ecrlp::tag_list_kind;
using ecrlp::tag_status;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;

// Spec 2.10: NOW = 2025-01-31T00:00:00Z.
const ecrlp::timestamp now{std::chrono::sys_days{std::chrono::year{2025} / 1 / 31}};

ecrlp::timestamp days_ago(int n) { return now - days{n}; }

ecrlp::image make_image(const std::string& name, std::vector<std::string> tags,
                        ecrlp::timestamp pushed, std::uint64_t size = 1) {
  ecrlp::image i;
  i.digest = "sha256:" + name;
  i.tags = std::move(tags);
  i.pushed_at = pushed;
  i.size_bytes = size;
  return i;
}

ecrlp::image archived_image(const std::string& name, std::vector<std::string> tags,
                            ecrlp::timestamp pushed, std::optional<ecrlp::timestamp> archived_at) {
  ecrlp::image i = make_image(name, std::move(tags), pushed);
  i.status = image_status::archived;
  i.last_archived_at = archived_at;
  return i;
}

ecrlp::rule make_rule(std::int64_t priority, tag_status status, tag_list_kind kind,
                      std::vector<std::string> list, count_type type, std::int64_t number,
                      action_type action = action_type::expire,
                      storage_class storage = storage_class::standard) {
  ecrlp::rule r;
  r.priority = priority;
  r.description = "Rule " + std::to_string(priority);
  r.selection.status = status;
  r.selection.list_kind = kind;
  r.selection.tag_list = std::move(list);
  r.selection.type = type;
  r.selection.count_number = number;
  r.selection.storage = storage;
  r.action.type = action;
  return r;
}

ecrlp::rule tagged(std::int64_t priority, tag_list_kind kind, std::vector<std::string> list,
                   count_type type, std::int64_t number, action_type action = action_type::expire) {
  return make_rule(priority, tag_status::tagged, kind, std::move(list), type, number, action);
}

ecrlp::rule untagged(std::int64_t priority, count_type type, std::int64_t number,
                     action_type action = action_type::expire) {
  return make_rule(priority, tag_status::untagged, tag_list_kind::none, {}, type, number, action);
}

ecrlp::rule any(std::int64_t priority, count_type type, std::int64_t number,
                action_type action = action_type::expire,
                storage_class storage = storage_class::standard) {
  return make_rule(priority, tag_status::any, tag_list_kind::none, {}, type, number, action,
                   storage);
}

ecrlp::lifecycle_policy policy_of(std::vector<ecrlp::rule> rules) {
  for (std::size_t k = 0; k < rules.size(); ++k) rules[k].source_index = k;
  return ecrlp::lifecycle_policy{std::move(rules)};
}

ecrlp::evaluation_result run(const ecrlp::lifecycle_policy& policy,
                             const std::vector<ecrlp::image>& images) {
  return ecrlp::evaluate(policy, images, {.now = now});
}

/// The expected outcome for one image: its fate and its owner (nullopt: no rule selects it).
/// The applied rule priority must be the owner when the image is acted on, else nullopt.
struct expected {
  std::string name;
  fate action;
  std::optional<std::int64_t> owner;
};

std::size_t index_of(const std::vector<ecrlp::image>& images, const std::string& name) {
  for (std::size_t k = 0; k < images.size(); ++k) {
    if (images[k].digest == "sha256:" + name) return k;
  }
  FAIL("no image named " << name);
  return 0;
}

/// Checks every image's fate, owner and applied priority, and that the independent reference
/// evaluator agrees with the same fixture.
void check_fates(const std::vector<ecrlp::image>& images, const ecrlp::evaluation_result& res,
                 const std::vector<expected>& want) {
  REQUIRE(res.decisions.size() == images.size());
  REQUIRE(want.size() == images.size());  // every image of the fixture is pinned
  for (const auto& w : want) {
    INFO("image " << w.name);
    const auto& d = res.decisions[index_of(images, w.name)];
    CHECK(to_string(d.action) == to_string(w.action));
    CHECK(d.owner == w.owner);
    const std::optional<std::int64_t> applied =
        w.action == fate::keep ? std::nullopt : w.owner;
    CHECK(d.applied_rule_priority() == applied);
  }
}

void check_reference(const ecrlp::lifecycle_policy& policy,
                     const std::vector<ecrlp::image>& images, const ecrlp::evaluation_result& res) {
  const auto ref = ecrlp_ref::evaluate(policy, images, now);
  for (std::size_t k = 0; k < images.size(); ++k) {
    INFO("reference check, image " << images[k].digest);
    CHECK(to_string(res.decisions[k].action) == to_string(ref.decisions[k].action));
    CHECK(res.decisions[k].owner == ref.decisions[k].owner);
  }
  CHECK(res.order == ref.order);
}

void check_all(const ecrlp::lifecycle_policy& policy, const std::vector<ecrlp::image>& images,
               const std::vector<expected>& want) {
  const auto res = run(policy, images);
  check_fates(images, res, want);
  check_reference(policy, images, res);
  std::size_t expiring = 0;
  std::size_t transitioning = 0;
  for (const auto& w : want) {
    expiring += w.action == fate::expire ? 1U : 0U;
    transitioning += w.action == fate::transition ? 1U : 0U;
  }
  CHECK(res.expiring == expiring);
  CHECK(res.transitioning == transitioning);
}

std::vector<std::string> list_for(tag_list_kind kind, std::vector<std::string> prefixes) {
  if (kind == tag_list_kind::pattern) {
    for (auto& p : prefixes) p += '*';
  }
  return prefixes;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Spec 2.10 worked examples
// ---------------------------------------------------------------------------------------------

TEST_CASE("TC-1 filtering on image age (derived fixture)", "[evaluate]") {
  const std::vector<ecrlp::image> images{make_image("U1", {}, days_ago(15)),
                                         make_image("U2", {}, days_ago(13)),
                                         make_image("prod-1", {"prod-1"}, days_ago(30))};
  SECTION("DOC-EX-2022: untagged, sinceImagePushed 14 days") {
    check_all(policy_of({untagged(1, count_type::since_image_pushed, 14)}), images,
              {{"U1", fate::expire, 1}, {"U2", fate::keep, 1}, {"prod-1", fate::keep, std::nullopt}});
  }
  SECTION("DOC-EX: tagged prod*, sinceImagePushed 14 days") {
    check_all(policy_of({tagged(1, tag_list_kind::pattern, {"prod*"},
                                count_type::since_image_pushed, 14)}),
              images,
              {{"U1", fate::keep, std::nullopt},
               {"U2", fate::keep, std::nullopt},
               {"prod-1", fate::expire, 1}});
  }
}

TEST_CASE("TC-2 filtering on image count: keep only one untagged image (derived fixture)",
          "[evaluate]") {
  const std::vector<ecrlp::image> images{
      make_image("U1", {}, days_ago(3)), make_image("U2", {}, days_ago(2)),
      make_image("U3", {}, days_ago(1)), make_image("T", {"v1"}, days_ago(5))};
  check_all(policy_of({untagged(1, count_type::image_count_more_than, 1)}), images,
            {{"U1", fate::expire, 1},
             {"U2", fate::expire, 1},
             {"U3", fate::keep, 1},
             {"T", fate::keep, std::nullopt}});
}

TEST_CASE("TC-3 multiple rules, example A (tagPatternList and tagPrefixList)", "[evaluate]") {
  const auto kind = GENERATE(tag_list_kind::pattern, tag_list_kind::prefix);
  const std::string variant{to_string(kind)};
  CAPTURE(variant);
  const std::vector<ecrlp::image> images{
      make_image("A", {"beta-1", "prod-1"}, days_ago(10)),
      make_image("B", {"beta-2", "prod-2"}, days_ago(9)),
      make_image("C", {"beta-3"}, days_ago(8))};
  const auto policy = policy_of(
      {tagged(1, kind, list_for(kind, {"prod"}), count_type::image_count_more_than, 1),
       tagged(2, kind, list_for(kind, {"beta"}), count_type::image_count_more_than, 1)});
  check_all(policy, images, {{"A", fate::expire, 1}, {"B", fate::keep, 1}, {"C", fate::keep, 2}});
  // Rule 2 identifies and marks A and B ("marks both Image A and Image B") but owns only C.
  const auto res = run(policy, images);
  REQUIRE(res.rules.size() == 2);
  CHECK(res.rules[1].identified == 3);
  CHECK(res.rules[1].marked == 2);
  CHECK(res.rules[1].owned == 1);
  CHECK(res.rules[1].acted == 0);
}

TEST_CASE("TC-4 multiple rules, example B (priorities swapped)", "[evaluate]") {
  const auto kind = GENERATE(tag_list_kind::pattern, tag_list_kind::prefix);
  const std::string variant{to_string(kind)};
  CAPTURE(variant);
  const std::vector<ecrlp::image> images{
      make_image("A", {"beta-1", "prod-1"}, days_ago(10)),
      make_image("B", {"beta-2", "prod-2"}, days_ago(9)),
      make_image("C", {"beta-3"}, days_ago(8))};
  const auto policy = policy_of(
      {tagged(1, kind, list_for(kind, {"beta"}), count_type::image_count_more_than, 1),
       tagged(2, kind, list_for(kind, {"prod"}), count_type::image_count_more_than, 1)});
  check_all(policy, images, {{"A", fate::expire, 1}, {"B", fate::expire, 1}, {"C", fate::keep, 1}});
  const auto res = run(policy, images);
  REQUIRE(res.rules.size() == 2);
  CHECK(res.rules[1].owned == 0);  // "Rule 2 would see no images" it could act on
}

TEST_CASE("TC-5 multiple tags in a single rule, example A (tagPatternList and tagPrefixList)",
          "[evaluate]") {
  const auto kind = GENERATE(tag_list_kind::pattern, tag_list_kind::prefix);
  const std::string variant{to_string(kind)};
  CAPTURE(variant);
  const std::vector<ecrlp::image> images{
      make_image("A", {"alpha-1"}, days_ago(12)),
      make_image("B", {"beta-1"}, days_ago(11)),
      make_image("C", {"alpha-2", "beta-2"}, days_ago(10)),
      make_image("D", {"alpha-3"}, days_ago(4)),
      make_image("E", {"beta-3"}, days_ago(3)),
      make_image("F", {"alpha-4", "beta-4"}, days_ago(2))};
  const auto policy = policy_of(
      {tagged(1, kind, list_for(kind, {"alpha", "beta"}), count_type::since_image_pushed, 5)});
  check_all(policy, images,
            {{"A", fate::keep, std::nullopt},
             {"B", fate::keep, std::nullopt},
             {"C", fate::expire, 1},
             {"D", fate::keep, std::nullopt},
             {"E", fate::keep, std::nullopt},
             {"F", fate::keep, 1}});
}

TEST_CASE("TC-6 multiple tags in a single rule, example B (tags are not exclusive)",
          "[evaluate]") {
  const auto kind = GENERATE(tag_list_kind::pattern, tag_list_kind::prefix);
  const std::string variant{to_string(kind)};
  CAPTURE(variant);
  const std::vector<ecrlp::image> images{
      make_image("A", {"alpha-1", "beta-1", "gamma-1"}, days_ago(10)),
      make_image("B", {"alpha-2", "beta-2"}, days_ago(9)),
      make_image("C", {"alpha-3", "beta-3", "gamma-2"}, days_ago(8))};
  check_all(policy_of({tagged(1, kind, list_for(kind, {"alpha", "beta"}),
                              count_type::image_count_more_than, 1)}),
            images, {{"A", fate::expire, 1}, {"B", fate::expire, 1}, {"C", fate::keep, 1}});
}

TEST_CASE("TC-7 filtering on all images, example A", "[evaluate]") {
  const std::vector<ecrlp::image> images{
      make_image("A", {"alpha-1"}, days_ago(4)), make_image("B", {"beta-1"}, days_ago(3)),
      make_image("C", {}, days_ago(2)), make_image("D", {"alpha-2"}, days_ago(1))};
  check_all(policy_of({any(1, count_type::image_count_more_than, 1)}), images,
            {{"A", fate::expire, 1},
             {"B", fate::expire, 1},
             {"C", fate::expire, 1},
             {"D", fate::keep, 1}});
}

namespace {

std::vector<ecrlp::image> tc8_images() {
  return {make_image("A", {"alpha-1", "beta-1"}, days_ago(4), 1),
          make_image("B", {}, days_ago(3), 10),
          make_image("C", {"alpha-2"}, days_ago(2), 100),
          make_image("D", {"a1b2c3d"}, now - hours{24}, 1000),
          make_image("E", {}, now - (hours{23} + minutes{59}), 10000)};
}

std::vector<ecrlp::rule> tc8_rules(tag_list_kind kind, std::int64_t p1, std::int64_t p2,
                                   std::int64_t p3) {
  return {tagged(p1, kind, list_for(kind, {"alpha"}), count_type::image_count_more_than, 1),
          untagged(p2, count_type::since_image_pushed, 1),
          any(p3, count_type::image_count_more_than, 1)};
}

}  // namespace

TEST_CASE("TC-8 filtering on all images, example B (all rule types)", "[evaluate]") {
  const auto kind = GENERATE(tag_list_kind::pattern, tag_list_kind::prefix);
  const std::string variant{to_string(kind)};
  CAPTURE(variant);
  const auto images = tc8_images();
  check_all(policy_of(tc8_rules(kind, 1, 2, 3)), images,
            {{"A", fate::expire, 1},
             {"B", fate::expire, 2},
             {"C", fate::keep, 1},
             {"D", fate::expire, 3},
             {"E", fate::keep, 2}});
}

TEST_CASE("TC-9 archiving images older than a number of days", "[evaluate]") {
  const std::vector<ecrlp::image> images{make_image("prod-1", {"prod-1"}, days_ago(40)),
                                         make_image("prod-2", {"prod-2"}, days_ago(10)),
                                         make_image("dev-1", {"dev-1"}, days_ago(40))};
  check_all(policy_of({tagged(1, tag_list_kind::pattern, {"prod*"}, count_type::since_image_pushed,
                              30, action_type::transition)}),
            images,
            {{"prod-1", fate::transition, 1},
             {"prod-2", fate::keep, 1},
             {"dev-1", fate::keep, std::nullopt}});
}

TEST_CASE("TC-10 archiving images not pulled in 90 days", "[evaluate]") {
  auto p1 = make_image("P1", {"p1"}, days_ago(200));
  p1.last_pulled_at = days_ago(10);
  auto p2 = make_image("P2", {"p2"}, days_ago(200));
  auto p3 = make_image("P3", {"p3"}, days_ago(400));
  p3.last_pulled_at = days_ago(300);
  p3.last_activated_at = days_ago(100);
  auto p4 = make_image("P4", {"p4"}, days_ago(400));
  p4.last_pulled_at = days_ago(300);
  p4.last_activated_at = days_ago(30);
  auto p5 = archived_image("P5", {"p5"}, days_ago(400), days_ago(200));
  const std::vector<ecrlp::image> images{p1, p2, p3, p4, p5};
  check_all(policy_of({any(1, count_type::since_image_pulled, 90, action_type::transition)}),
            images,
            {{"P1", fate::keep, 1},
             {"P2", fate::transition, 1},
             {"P3", fate::transition, 1},
             {"P4", fate::keep, 1},
             {"P5", fate::keep, std::nullopt}});
}

TEST_CASE("TC-11 filtering on archive transition time", "[evaluate]") {
  auto x3 = make_image("X3", {"x3"}, days_ago(1000));
  const std::vector<ecrlp::image> images{
      archived_image("X1", {"x1"}, days_ago(500), days_ago(400)),
      archived_image("X2", {}, days_ago(300), days_ago(100)), x3};
  check_all(policy_of({any(1, count_type::since_image_transitioned, 365, action_type::expire,
                           storage_class::archive)}),
            images,
            {{"X1", fate::expire, 1}, {"X2", fate::keep, 1}, {"X3", fate::keep, std::nullopt}});
}

TEST_CASE("TC-12 combining archive and expire rules", "[evaluate]") {
  const std::vector<ecrlp::image> images{
      make_image("S1", {"s1"}, days_ago(40)), make_image("S2", {}, days_ago(10)),
      archived_image("A1", {"a1"}, days_ago(800), days_ago(400)),
      archived_image("A2", {}, days_ago(800), days_ago(120))};
  const auto policy =
      policy_of({any(1, count_type::since_image_pushed, 30, action_type::transition),
                 any(2, count_type::since_image_transitioned, 365, action_type::expire,
                     storage_class::archive)});
  check_all(policy, images,
            {{"S1", fate::transition, 1},
             {"S2", fate::keep, 1},
             {"A1", fate::expire, 2},
             {"A2", fate::keep, 2}});
  const auto res = run(policy, images);
  CHECK(res.expiring == 1);
  CHECK(res.transitioning == 1);
}

TEST_CASE("TC-13 AND semantics: one prefix per hex digit selects no single-tag image",
          "[evaluate]") {
  std::vector<std::string> prefixes;
  std::vector<std::string> covering_tags;
  for (char c : std::string("0123456789abcdef")) {
    prefixes.emplace_back(1, c);
    covering_tags.push_back(std::string(1, c) + "x");
  }
  const std::vector<ecrlp::image> images{
      make_image("H1", {"3f2a9c1"}, days_ago(10)), make_image("H2", {"a1"}, days_ago(20)),
      make_image("H3", {"ff"}, days_ago(30)), make_image("U", {}, days_ago(40)),
      make_image("ALL", covering_tags, days_ago(50))};
  check_all(policy_of({tagged(1, tag_list_kind::prefix, prefixes, count_type::since_image_pushed,
                              1)}),
            images,
            {{"H1", fate::keep, std::nullopt},
             {"H2", fate::keep, std::nullopt},
             {"H3", fate::keep, std::nullopt},
             {"U", fate::keep, std::nullopt},
             {"ALL", fate::expire, 1}});
}

TEST_CASE("TC-14 protection without action", "[evaluate]") {
  const std::vector<ecrlp::image> images{make_image("release-1", {"release-1"}, days_ago(400)),
                                         make_image("feature-x", {"feature-x"}, days_ago(400)),
                                         make_image("U", {}, days_ago(400))};
  check_all(policy_of({tagged(1, tag_list_kind::pattern, {"release-*"},
                              count_type::image_count_more_than, 1000),
                       any(2, count_type::since_image_pushed, 30)}),
            images,
            {{"release-1", fate::keep, 1}, {"feature-x", fate::expire, 2}, {"U", fate::expire, 2}});
}

TEST_CASE("TC-15 counting includes protected images", "[evaluate]") {
  const std::vector<ecrlp::image> images{
      make_image("K1", {"keep-1"}, days_ago(1)),  make_image("K2", {"keep-2"}, days_ago(2)),
      make_image("K3", {"keep-3"}, days_ago(3)),  make_image("O1", {"other-1"}, days_ago(4)),
      make_image("O2", {"other-2"}, days_ago(5)), make_image("O3", {"other-3"}, days_ago(6))};
  const auto policy =
      policy_of({tagged(1, tag_list_kind::pattern, {"keep*"}, count_type::image_count_more_than,
                        100),
                 any(2, count_type::image_count_more_than, 3)});
  check_all(policy, images,
            {{"K1", fate::keep, 1},
             {"K2", fate::keep, 1},
             {"K3", fate::keep, 1},
             {"O1", fate::expire, 2},
             {"O2", fate::expire, 2},
             {"O3", fate::expire, 2}});
  const auto res = run(policy, images);
  REQUIRE(res.rules.size() == 2);
  CHECK(res.rules[1].identified == 6);
  CHECK(res.rules[1].marked == 3);
  CHECK(res.rules[1].owned == 3);
  CHECK(res.rules[1].acted == 3);
}

TEST_CASE("TC-16 sinceImagePulled with transition is evaluated (validation is the parser's job)",
          "[evaluate]") {
  auto stale = make_image("stale", {"app-1"}, days_ago(100));
  stale.last_pulled_at = days_ago(8);
  auto fresh = make_image("fresh", {"app-2"}, days_ago(100));
  fresh.last_pulled_at = days_ago(6);
  const std::vector<ecrlp::image> images{stale, fresh, make_image("other", {"x"}, days_ago(100))};
  check_all(policy_of({tagged(1, tag_list_kind::prefix, {"app"}, count_type::since_image_pulled, 7,
                              action_type::transition)}),
            images,
            {{"stale", fate::transition, 1},
             {"fresh", fate::keep, 1},
             {"other", fate::keep, std::nullopt}});
}

TEST_CASE("TC-17 storage-class disjointness: a standard any rule ignores ARCHIVED images",
          "[evaluate]") {
  const std::vector<ecrlp::image> images{
      make_image("N1", {"n1"}, days_ago(2)), make_image("N2", {}, days_ago(3)),
      archived_image("R1", {"r1"}, now - hours{12}, now - hours{1}),
      archived_image("R2", {}, days_ago(10), days_ago(5))};
  const auto policy = policy_of({any(1, count_type::image_count_more_than, 1)});
  check_all(policy, images,
            {{"N1", fate::keep, 1},
             {"N2", fate::expire, 1},
             {"R1", fate::keep, std::nullopt},
             {"R2", fate::keep, std::nullopt}});
  CHECK(run(policy, images).rules.at(0).identified == 2);
}

TEST_CASE("TC-18 manifest-list child: an untagged child of a live index is neither expired nor "
          "counted, --independent-images and unknown manifests evaluate it on its own",
          "[evaluate][relations]") {
  // INDEX is a manifest list whose children CHILD-1/CHILD-2 are untagged and older.
  const std::vector<ecrlp::image> images{make_image("INDEX", {"v1"}, days_ago(5)),
                                         make_image("CHILD-1", {}, days_ago(5) - minutes{1}),
                                         make_image("CHILD-2", {}, days_ago(5) - minutes{2}),
                                         make_image("NEW", {"v2"}, days_ago(1))};
  const std::vector<ecrlp::index_manifest> indexes{
      {"sha256:INDEX", {"sha256:CHILD-1", "sha256:CHILD-2", "sha256:not-in-repository"}}};
  const auto eval = [&](const ecrlp::lifecycle_policy& policy, bool independent) {
    const auto res = ecrlp::evaluate(
        policy, images, {.now = now, .indexes = indexes, .independent_images = independent});
    const auto ref = ecrlp_ref::evaluate(policy, images, now, indexes, independent);
    for (std::size_t k = 0; k < images.size(); ++k) {
      INFO("reference check, image " << images[k].digest);
      CHECK(to_string(res.decisions[k].action) == to_string(ref.decisions[k].action));
      CHECK(res.decisions[k].owner == ref.decisions[k].owner);
      CHECK(res.decisions[k].related == ref.decisions[k].related);
    }
    return res;
  };
  SECTION("untagged sinceImagePushed 1 leaves the children of the live index alone") {
    const auto policy = policy_of({untagged(1, count_type::since_image_pushed, 1)});
    const auto res = eval(policy, false);
    check_fates(images, res,
                {{"INDEX", fate::keep, std::nullopt},
                 {"CHILD-1", fate::keep, std::nullopt},
                 {"CHILD-2", fate::keep, std::nullopt},
                 {"NEW", fate::keep, std::nullopt}});
    CHECK(res.decisions[1].related == ecrlp::relation::index_child);
    CHECK(res.decisions[1].related_to == 0);
    CHECK(res.guarded == 2);
    CHECK(res.rules.at(0).identified == 0);
    SECTION("--independent-images: the children expire on their own") {
      const auto alone = eval(policy, true);
      check_fates(images, alone,
                  {{"INDEX", fate::keep, std::nullopt},
                   {"CHILD-1", fate::expire, 1},
                   {"CHILD-2", fate::expire, 1},
                   {"NEW", fate::keep, std::nullopt}});
      CHECK(alone.guarded == 0);
    }
    SECTION("without index manifests (describe-images alone) the children stand alone") {
      check_all(policy, images,
                {{"INDEX", fate::keep, std::nullopt},
                 {"CHILD-1", fate::expire, 1},
                 {"CHILD-2", fate::expire, 1},
                 {"NEW", fate::keep, std::nullopt}});
    }
  }
  SECTION("an any count rule does not count the children") {
    // Only INDEX and NEW are ranked: NEW is kept and INDEX expires; the children are not counted.
    const auto policy = policy_of({any(1, count_type::image_count_more_than, 1)});
    const auto res = eval(policy, false);
    check_fates(images, res,
                {{"INDEX", fate::expire, 1},
                 {"CHILD-1", fate::keep, std::nullopt},
                 {"CHILD-2", fate::keep, std::nullopt},
                 {"NEW", fate::keep, 1}});
    CHECK(res.rules.at(0).identified == 2);
    // The index goes in this run; its children become eligible in a later one (spec 2.7).
  }
  SECTION("an ARCHIVED index guards nothing") {
    auto archived = images;
    archived[0].status = image_status::archived;
    const auto policy = policy_of({untagged(1, count_type::since_image_pushed, 1)});
    const auto res = ecrlp::evaluate(policy, archived, {.now = now, .indexes = indexes});
    CHECK(res.decisions[1].action == fate::expire);
    CHECK(res.decisions[2].action == fate::expire);
    CHECK(res.guarded == 0);
  }
  SECTION("an index that is not in the repository guards nothing") {
    const std::vector<ecrlp::index_manifest> gone{{"sha256:GONE", {"sha256:CHILD-1"}}};
    const auto policy = policy_of({untagged(1, count_type::since_image_pushed, 1)});
    const auto res = ecrlp::evaluate(policy, images, {.now = now, .indexes = gone});
    CHECK(res.decisions[1].action == fate::expire);
  }
}

TEST_CASE("spec 2.2 referrers: excluded from rules, they follow their subject", "[evaluate][relations]") {
  auto sig_old = make_image("SIG-OLD", {}, days_ago(40), 7);
  sig_old.subject_digest = "sha256:OLD";
  auto sig_new = make_image("SIG-NEW", {}, days_ago(2), 11);
  sig_new.subject_digest = "sha256:NEW";
  auto att = make_image("ATT", {}, days_ago(40), 13);  // a referrer of a referrer
  att.subject_digest = "sha256:SIG-OLD";
  auto orphan = make_image("ORPHAN", {}, days_ago(40), 17);
  orphan.subject_digest = "sha256:deleted";
  const std::vector<ecrlp::image> images{make_image("OLD", {"v1"}, days_ago(30)), sig_old,
                                         make_image("NEW", {"v2"}, days_ago(1)), sig_new, att,
                                         orphan};
  SECTION("any count 1: the signature goes with its subject and is not counted") {
    const auto policy = policy_of({any(1, count_type::image_count_more_than, 1)});
    const auto res = ecrlp::evaluate(policy, images, {.now = now});
    check_fates(images, res,
                {{"OLD", fate::expire, 1},
                 {"SIG-OLD", fate::expire, 1},
                 {"NEW", fate::keep, 1},
                 {"SIG-NEW", fate::keep, 1},
                 {"ATT", fate::expire, 1},
                 // Its subject is not in the inventory: it stands alone, oldest of the three.
                 {"ORPHAN", fate::expire, 1}});
    CHECK(res.rules.at(0).identified == 3);
    CHECK(res.rules.at(0).acted == 2);
    CHECK(res.rules.at(0).cascaded == 2);
    CHECK(res.rules.at(0).cascaded_bytes == 7 + 13);
    CHECK(res.expiring == 4);
    CHECK(res.referrers == 3);
    CHECK(res.decisions[4].related == ecrlp::relation::referrer);
    CHECK(res.decisions[4].related_to == 1);
    const bool warned = std::any_of(res.warnings.begin(), res.warnings.end(), [](const auto& w) {
      return w.code == "image.subject_missing" &&
             w.message.find("sha256:ORPHAN") != std::string::npos;
    });
    CHECK(warned);
    const auto ref = ecrlp_ref::evaluate(policy, images, now);
    for (std::size_t k = 0; k < images.size(); ++k) {
      CHECK(res.decisions[k].action == ref.decisions[k].action);
      CHECK(res.decisions[k].owner == ref.decisions[k].owner);
    }
  }
  SECTION("untagged rules never select referrers of a present subject") {
    const auto policy = policy_of({untagged(1, count_type::since_image_pushed, 7)});
    const auto res = ecrlp::evaluate(policy, images, {.now = now});
    CHECK(res.decisions[1].action == fate::keep);  // OLD is not selected: SIG-OLD stays
    CHECK(res.decisions[5].action == fate::expire);
    CHECK(res.rules.at(0).identified == 1);
  }
  SECTION("--independent-images: referrers are ordinary images") {
    const auto policy = policy_of({untagged(1, count_type::since_image_pushed, 7)});
    const auto res = ecrlp::evaluate(policy, images, {.now = now, .independent_images = true});
    CHECK(res.decisions[1].action == fate::expire);
    CHECK(res.decisions[4].action == fate::expire);
    CHECK(res.decisions[3].action == fate::keep);
    CHECK(res.referrers == 0);
    CHECK(res.warnings.empty());
  }
  SECTION("a subject loop stands alone") {
    auto a = make_image("A", {}, days_ago(40));
    a.subject_digest = "sha256:B";
    auto b = make_image("B", {}, days_ago(41));
    b.subject_digest = "sha256:A";
    auto c = make_image("C", {}, days_ago(42));
    c.subject_digest = "sha256:A";
    const std::vector<ecrlp::image> loop{a, b, c};
    const auto policy = policy_of({untagged(1, count_type::since_image_pushed, 7)});
    const auto res = ecrlp::evaluate(policy, loop, {.now = now});
    for (const auto& d : res.decisions) CHECK(d.action == fate::expire);
    CHECK(res.referrers == 0);
  }
}

// ---------------------------------------------------------------------------------------------
// ecrlp decisions
// ---------------------------------------------------------------------------------------------

TEST_CASE("ecrlp decision 1: exactly N days is not expired, N days + 1 microsecond is",
          "[evaluate]") {
  const auto limit = days{10};
  SECTION("sinceImagePushed") {
    const std::vector<ecrlp::image> images{
        make_image("exact", {}, now - limit), make_image("over", {}, now - limit - microseconds{1}),
        make_image("under", {}, now - limit + microseconds{1}),
        make_image("future", {}, now + hours{1})};
    check_all(policy_of({any(1, count_type::since_image_pushed, 10)}), images,
              {{"exact", fate::keep, 1},
               {"over", fate::expire, 1},
               {"under", fate::keep, 1},
               {"future", fate::keep, 1}});
  }
  SECTION("sinceImagePushed on lastActivatedAt") {
    auto exact = make_image("exact", {}, days_ago(400));
    exact.last_activated_at = now - limit;
    auto over = make_image("over", {}, days_ago(400));
    over.last_activated_at = now - limit - microseconds{1};
    check_all(policy_of({any(1, count_type::since_image_pushed, 10)}), {exact, over},
              {{"exact", fate::keep, 1}, {"over", fate::expire, 1}});
  }
  SECTION("sinceImagePulled") {
    auto exact = make_image("exact", {}, days_ago(400));
    exact.last_pulled_at = now - limit;
    auto over = make_image("over", {}, days_ago(400));
    over.last_pulled_at = now - limit - microseconds{1};
    check_all(policy_of({any(1, count_type::since_image_pulled, 10, action_type::transition)}),
              {exact, over}, {{"exact", fate::keep, 1}, {"over", fate::transition, 1}});
  }
  SECTION("sinceImageTransitioned") {
    const std::vector<ecrlp::image> images{
        archived_image("exact", {}, days_ago(400), now - days{90}),
        archived_image("over", {}, days_ago(400), now - days{90} - microseconds{1})};
    check_all(policy_of({any(1, count_type::since_image_transitioned, 90, action_type::expire,
                             storage_class::archive)}),
              images, {{"exact", fate::keep, 1}, {"over", fate::expire, 1}});
  }
  SECTION("1 day: 23h59m is not older, 24h + 1us is") {
    const std::vector<ecrlp::image> images{
        make_image("young", {}, now - hours{23} - minutes{59}),
        make_image("exact", {}, now - hours{24}),
        make_image("over", {}, now - hours{24} - microseconds{1})};
    check_all(policy_of({untagged(1, count_type::since_image_pushed, 1)}), images,
              {{"young", fate::keep, 1}, {"exact", fate::keep, 1}, {"over", fate::expire, 1}});
  }
}

TEST_CASE("ecrlp decision 2: equal reference times rank by digest, smaller digest is older",
          "[evaluate]") {
  const auto t = days_ago(3);
  // Input order deliberately differs from digest order.
  const std::vector<ecrlp::image> images{make_image("bb", {}, t), make_image("aa", {}, t),
                                         make_image("cc", {}, t),
                                         make_image("00", {}, t + microseconds{1})};
  SECTION("result.order is oldest -> newest by (reference time, digest)") {
    const auto res = run(policy_of({any(1, count_type::image_count_more_than, 1)}), images);
    CHECK(res.order == std::vector<std::size_t>{1, 0, 2, 3});
  }
  SECTION("imageCountMoreThan 2 keeps the two newest: 00 (1us later) and cc") {
    check_all(policy_of({any(1, count_type::image_count_more_than, 2)}), images,
              {{"aa", fate::expire, 1},
               {"bb", fate::expire, 1},
               {"cc", fate::keep, 1},
               {"00", fate::keep, 1}});
  }
  SECTION("imageCountMoreThan 3 expires only the smallest digest") {
    check_all(policy_of({any(1, count_type::image_count_more_than, 3)}), images,
              {{"aa", fate::expire, 1},
               {"bb", fate::keep, 1},
               {"cc", fate::keep, 1},
               {"00", fate::keep, 1}});
  }
  SECTION("a restore time equal to another image's push time ties the same way") {
    auto restored = make_image("ab", {}, days_ago(500));
    restored.last_activated_at = t;
    const std::vector<ecrlp::image> tie{make_image("ac", {}, t), restored,
                                        make_image("aa", {}, t)};
    const auto policy = policy_of({any(1, count_type::image_count_more_than, 1)});
    check_all(policy, tie, {{"aa", fate::expire, 1}, {"ab", fate::expire, 1}, {"ac", fate::keep, 1}});
    CHECK(run(policy, tie).order == std::vector<std::size_t>{2, 1, 0});
  }
}

TEST_CASE("ecrlp decision 3: storage class comes from imageStatus: ACTIVATING is selected by no "
          "rule",
          "[evaluate]") {
  auto activating = make_image("ACT", {"v9"}, now - hours{1});
  activating.status = image_status::activating;
  activating.last_archived_at = days_ago(400);
  auto restored = make_image("RESTORED", {"v0"}, days_ago(600));
  restored.last_archived_at = days_ago(400);
  restored.last_activated_at = days_ago(5);
  const std::vector<ecrlp::image> images{
      activating, restored, make_image("N1", {"v1"}, days_ago(2)),
      make_image("N2", {}, days_ago(3)), archived_image("AR", {"v7"}, days_ago(700), days_ago(400))};
  SECTION("standard rules see ACTIVE only, archive rules ARCHIVED only") {
    const auto policy = policy_of({any(1, count_type::image_count_more_than, 1),
                                   any(2, count_type::since_image_transitioned, 90,
                                       action_type::expire, storage_class::archive)});
    // ACT is the newest image but is not counted: N1 fills the kept slot.
    check_all(policy, images,
              {{"ACT", fate::keep, std::nullopt},
               {"RESTORED", fate::expire, 1},
               {"N1", fate::keep, 1},
               {"N2", fate::expire, 1},
               {"AR", fate::expire, 2}});
    const auto res = run(policy, images);
    REQUIRE(res.rules.size() == 2);
    CHECK(res.rules[0].identified == 3);
    CHECK(res.rules[1].identified == 1);
  }
  SECTION("an archive rule ignores ACTIVE images even when they carry an old lastArchivedAt") {
    check_all(policy_of({any(1, count_type::since_image_transitioned, 90, action_type::expire,
                             storage_class::archive)}),
              images,
              {{"ACT", fate::keep, std::nullopt},
               {"RESTORED", fate::keep, std::nullopt},
               {"N1", fate::keep, std::nullopt},
               {"N2", fate::keep, std::nullopt},
               {"AR", fate::expire, 1}});
  }
  SECTION("ACTIVATING is not selected by tagged, untagged or any rules of either class") {
    auto act_untagged = activating;
    act_untagged.digest = "sha256:ACT-U";
    act_untagged.tags.clear();
    const std::vector<ecrlp::image> only{activating, act_untagged};
    const auto policy = policy_of(
        {tagged(1, tag_list_kind::pattern, {"*"}, count_type::since_image_pushed, 0),
         untagged(2, count_type::image_count_more_than, 0),
         any(3, count_type::image_count_more_than, 0),
         any(4, count_type::since_image_transitioned, 1, action_type::expire,
             storage_class::archive)});
    check_all(policy, only,
              {{"ACT", fate::keep, std::nullopt}, {"ACT-U", fate::keep, std::nullopt}});
    for (const auto& r : run(policy, only).rules) CHECK(r.identified == 0);
  }
}

namespace {

/// Does a one-rule policy with this selection select (and, the image being old, expire) an image
/// with these tags?
bool selects(tag_list_kind kind, std::vector<std::string> list, std::vector<std::string> tags) {
  const auto policy = policy_of({tagged(1, kind, std::move(list), count_type::since_image_pushed, 1)});
  const std::vector<ecrlp::image> images{make_image("X", std::move(tags), days_ago(10))};
  const auto res = run(policy, images);
  const bool selected = res.decisions.at(0).owner.has_value();
  CHECK(selected == (res.decisions.at(0).action == fate::expire));
  CHECK(selected == ecrlp_ref::evaluate(policy, images, now).decisions.at(0).owner.has_value());
  return selected;
}

}  // namespace

TEST_CASE("ecrlp decision 4: tag matching semantics in the evaluator", "[evaluate]") {
  using K = tag_list_kind;
  SECTION("case-sensitive") {
    CHECK_FALSE(selects(K::pattern, {"Prod*"}, {"prod-1"}));
    CHECK(selects(K::pattern, {"Prod*"}, {"Prod-1"}));
    CHECK_FALSE(selects(K::prefix, {"prod"}, {"PROD-1"}));
    CHECK_FALSE(selects(K::pattern, {"latest"}, {"LATEST"}));
  }
  SECTION("prefix: the tag starts with it; no wildcards") {
    CHECK(selects(K::prefix, {"prod"}, {"prod"}));
    CHECK(selects(K::prefix, {"prod"}, {"production"}));
    CHECK_FALSE(selects(K::prefix, {"prod"}, {"my-prod"}));
    CHECK_FALSE(selects(K::prefix, {"prod"}, {"pro"}));
    CHECK_FALSE(selects(K::prefix, {"prod*"}, {"production"}));
  }
  SECTION("pattern: `*` matches the empty run") {
    CHECK(selects(K::pattern, {"prod*"}, {"prod"}));
    CHECK(selects(K::pattern, {"*prod"}, {"prod"}));
    CHECK(selects(K::pattern, {"*prod*"}, {"prod"}));
    CHECK(selects(K::pattern, {"v*.*"}, {"v."}));
  }
  SECTION("pattern: anchored at both ends") {
    CHECK(selects(K::pattern, {"prod"}, {"prod"}));
    CHECK_FALSE(selects(K::pattern, {"prod"}, {"prod-1"}));
    CHECK_FALSE(selects(K::pattern, {"prod"}, {"preprod"}));
    CHECK_FALSE(selects(K::pattern, {"*prod"}, {"prod-1"}));
    CHECK_FALSE(selects(K::pattern, {"prod*"}, {"my-prod"}));
    CHECK(selects(K::pattern, {"*prod*"}, {"my-prod-1"}));
  }
  SECTION("a list matches when every entry matches some tag; one tag may satisfy several") {
    CHECK(selects(K::pattern, {"prod*", "*-1"}, {"prod-1"}));
    CHECK(selects(K::prefix, {"p", "prod", "prod-"}, {"prod-2"}));
    CHECK_FALSE(selects(K::pattern, {"prod*", "*-1"}, {"prod-2"}));
    CHECK(selects(K::pattern, {"prod*", "*-1"}, {"prod-2", "x-1"}));
    CHECK_FALSE(selects(K::prefix, {"alpha", "beta"}, {"alpha-1", "gamma"}));
    CHECK(selects(K::prefix, {"alpha", "beta"}, {"gamma", "beta-1", "alpha-1"}));
  }
}

TEST_CASE("ecrlp decision 5: an ARCHIVED image without lastArchivedAt is owned but never expired "
          "by sinceImageTransitioned, with a warning",
          "[evaluate]") {
  const std::vector<ecrlp::image> images{
      archived_image("prod-no-time", {"prod-1"}, days_ago(1000), std::nullopt),
      archived_image("dev-no-time", {"dev-1"}, days_ago(1000), std::nullopt),
      archived_image("prod-old", {"prod-2"}, days_ago(1000), days_ago(500)),
      archived_image("dev-old", {"dev-2"}, days_ago(1000), days_ago(500))};
  // Rule 1 (prod*) keeps archive images 1000 days; rule 2 expires every other after 90 days.
  const auto policy = policy_of({make_rule(1, tag_status::tagged, tag_list_kind::pattern, {"prod*"},
                                           count_type::since_image_transitioned, 1000,
                                           action_type::expire, storage_class::archive),
                                 any(2, count_type::since_image_transitioned, 90,
                                     action_type::expire, storage_class::archive)});
  check_all(policy, images,
            {{"prod-no-time", fate::keep, 1},  // protected from rule 2 by rule 1
             {"dev-no-time", fate::keep, 2},   // owned by rule 2, never meets its age limit
             {"prod-old", fate::keep, 1},
             {"dev-old", fate::expire, 2}});
  const auto res = run(policy, images);
  std::size_t warnings = 0;
  for (const auto& w : res.warnings) {
    if (w.code != "image.archived_without_archive_time") continue;
    ++warnings;
    CHECK(w.level == ecrlp::severity::warning);
    const bool names_image = w.message.find("sha256:prod-no-time") != std::string::npos ||
                             w.message.find("sha256:dev-no-time") != std::string::npos;
    CHECK(names_image);
  }
  CHECK(warnings == 2);  // one per image, though rule 2 identifies prod-no-time too
  CHECK(res.warnings.size() == 2);
  REQUIRE(res.rules.size() == 2);
  CHECK(res.rules[1].identified == 4);
  CHECK(res.rules[1].marked == 2);  // prod-old and dev-old; the images without a time never
}

TEST_CASE("reference times: lastActivatedAt replaces pushedAt for age and ranking", "[evaluate]") {
  SECTION("ranking") {
    auto restored = make_image("restored", {}, days_ago(300));
    restored.last_activated_at = days_ago(1);
    const std::vector<ecrlp::image> images{restored, make_image("newer-push", {}, days_ago(2))};
    const auto policy = policy_of({any(1, count_type::image_count_more_than, 1)});
    check_all(policy, images, {{"restored", fate::keep, 1}, {"newer-push", fate::expire, 1}});
    CHECK(run(policy, images).order == std::vector<std::size_t>{1, 0});
  }
  SECTION("age") {
    auto young = make_image("young", {}, days_ago(300));
    young.last_activated_at = days_ago(5);
    auto old = make_image("old", {}, days_ago(300));
    old.last_activated_at = days_ago(31);
    check_all(policy_of({any(1, count_type::since_image_pushed, 30)}),
              {young, old, make_image("plain", {}, days_ago(40))},
              {{"young", fate::keep, 1}, {"old", fate::expire, 1}, {"plain", fate::expire, 1}});
  }
}

TEST_CASE("reference times: the sinceImagePulled chain (pull, restore, push)", "[evaluate]") {
  std::vector<ecrlp::image> images;
  std::vector<expected> want;
  const auto add = [&](const std::string& name, int pushed, std::optional<int> pulled,
                       std::optional<int> activated, fate f) {
    auto i = make_image(name, {}, days_ago(pushed));
    if (pulled) i.last_pulled_at = days_ago(*pulled);
    if (activated) i.last_activated_at = days_ago(*activated);
    images.push_back(i);
    want.push_back({name, f, 1});
  };
  // Never pulled, never restored: push time.
  add("push-old", 31, std::nullopt, std::nullopt, fate::transition);
  add("push-young", 29, std::nullopt, std::nullopt, fate::keep);
  // Pulled, never restored: last pull, not the push.
  add("pull-young", 300, 29, std::nullopt, fate::keep);
  add("pull-old", 32, 31, std::nullopt, fate::transition);
  // Restored and not pulled since (pull before restore, or never pulled): restore time.
  add("restored-after-pull-young", 400, 100, 10, fate::keep);
  add("restored-after-pull-old", 400, 100, 40, fate::transition);
  add("restored-never-pulled-young", 400, std::nullopt, 20, fate::keep);
  add("restored-never-pulled-old", 400, std::nullopt, 40, fate::transition);
  // Pulled after the restore: last pull.
  add("pulled-after-restore-old", 400, 40, 100, fate::transition);
  add("pulled-after-restore-young", 400, 20, 100, fate::keep);
  check_all(policy_of({any(1, count_type::since_image_pulled, 30, action_type::transition)}),
            images, want);
}

TEST_CASE("rule array order does not matter, only rulePriority", "[evaluate]") {
  const auto images = tc8_images();
  SECTION("TC-8 in every array order") {
    auto rules = tc8_rules(tag_list_kind::pattern, 1, 2, 3);
    std::sort(rules.begin(), rules.end(),
              [](const ecrlp::rule& a, const ecrlp::rule& b) { return a.priority < b.priority; });
    do {
      std::string order;
      for (const auto& r : rules) order += std::to_string(r.priority) + " ";
      CAPTURE(order);
      const auto policy = policy_of(rules);
      check_all(policy, images,
                {{"A", fate::expire, 1},
                 {"B", fate::expire, 2},
                 {"C", fate::keep, 1},
                 {"D", fate::expire, 3},
                 {"E", fate::keep, 2}});
      const auto res = run(policy, images);
      REQUIRE(res.rules.size() == 3);
      CHECK(res.rules[0].priority == 1);
      CHECK(res.rules[1].priority == 2);
      CHECK(res.rules[2].priority == 3);
    } while (std::next_permutation(
        rules.begin(), rules.end(),
        [](const ecrlp::rule& a, const ecrlp::rule& b) { return a.priority < b.priority; }));
  }
  SECTION("non-contiguous priorities, given in descending order") {
    check_all(policy_of({any(300, count_type::image_count_more_than, 1),
                         untagged(20, count_type::since_image_pushed, 1),
                         tagged(7, tag_list_kind::prefix, {"alpha"},
                                count_type::image_count_more_than, 1)}),
              images,
              {{"A", fate::expire, 7},
               {"B", fate::expire, 20},
               {"C", fate::keep, 7},
               {"D", fate::expire, 300},
               {"E", fate::keep, 20}});
  }
}

TEST_CASE("summary counts: per-rule identified/marked/owned/acted/bytes and totals",
          "[evaluate]") {
  SECTION("TC-8") {
    const auto images = tc8_images();  // sizes A=1 B=10 C=100 D=1000 E=10000
    const auto res = run(policy_of(tc8_rules(tag_list_kind::prefix, 1, 2, 3)), images);
    CHECK(res.expiring == 3);
    CHECK(res.transitioning == 0);
    REQUIRE(res.rules.size() == 3);
    const auto& r1 = res.rules[0];
    CHECK(r1.priority == 1);
    CHECK(r1.identified == 2);  // A, C
    CHECK(r1.marked == 1);      // A
    CHECK(r1.owned == 2);
    CHECK(r1.acted == 1);
    CHECK(r1.owned_bytes == 101);
    CHECK(r1.acted_bytes == 1);
    const auto& r2 = res.rules[1];
    CHECK(r2.priority == 2);
    CHECK(r2.identified == 2);  // B, E
    CHECK(r2.marked == 1);      // B
    CHECK(r2.owned == 2);
    CHECK(r2.acted == 1);
    CHECK(r2.owned_bytes == 10010);
    CHECK(r2.acted_bytes == 10);
    const auto& r3 = res.rules[2];
    CHECK(r3.priority == 3);
    CHECK(r3.identified == 5);
    CHECK(r3.marked == 4);  // all but E, the newest
    CHECK(r3.owned == 1);   // D
    CHECK(r3.acted == 1);
    CHECK(r3.owned_bytes == 1000);
    CHECK(r3.acted_bytes == 1000);
    CHECK(res.warnings.empty());
  }
  SECTION("TC-12 with sizes: transitions and expirations are counted apart") {
    auto s1 = make_image("S1", {"s1"}, days_ago(40), 5);
    auto s2 = make_image("S2", {}, days_ago(10), 7);
    auto a1 = archived_image("A1", {"a1"}, days_ago(800), days_ago(400));
    a1.size_bytes = 11;
    auto a2 = archived_image("A2", {}, days_ago(800), days_ago(120));
    a2.size_bytes = 13;
    const auto res = run(policy_of({any(1, count_type::since_image_pushed, 30,
                                        action_type::transition),
                                    any(2, count_type::since_image_transitioned, 365,
                                        action_type::expire, storage_class::archive)}),
                         {s1, s2, a1, a2});
    CHECK(res.expiring == 1);
    CHECK(res.transitioning == 1);
    REQUIRE(res.rules.size() == 2);
    CHECK(res.rules[0].identified == 2);
    CHECK(res.rules[0].marked == 1);
    CHECK(res.rules[0].owned_bytes == 12);
    CHECK(res.rules[0].acted_bytes == 5);
    CHECK(res.rules[1].identified == 2);
    CHECK(res.rules[1].marked == 1);
    CHECK(res.rules[1].owned_bytes == 24);
    CHECK(res.rules[1].acted_bytes == 11);
  }
  SECTION("an empty repository and an empty policy") {
    const auto empty_repo = run(policy_of({any(1, count_type::image_count_more_than, 1)}), {});
    CHECK(empty_repo.decisions.empty());
    CHECK(empty_repo.order.empty());
    REQUIRE(empty_repo.rules.size() == 1);
    CHECK(empty_repo.rules[0].identified == 0);
    const auto no_rules = run(policy_of({}), tc8_images());
    REQUIRE(no_rules.decisions.size() == 5);
    for (const auto& d : no_rules.decisions) {
      CHECK(d.action == fate::keep);
      CHECK_FALSE(d.owner.has_value());
    }
    CHECK(no_rules.rules.empty());
    CHECK(no_rules.expiring == 0);
  }
}
