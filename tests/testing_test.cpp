// SPDX-License-Identifier: MIT
// Tests of include/ecrlp/testing.hpp: ages, the repository builder, expectations and the
// explanation of an image's fate.

#include <ecrlp/testing.hpp>

#include "catch.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

using ecrlp::action_type;
using ecrlp::count_type;
using ecrlp::fate;
using ecrlp::image_status;
using ecrlp::storage_class;
using ecrlp::tag_list_kind;
using ecrlp::tag_status;
using ecrlp::testing::format_age;
using ecrlp::testing::parse_age;
using ecrlp::testing::repository_builder;
using ecrlp::testing::with_tag;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const ecrlp::timestamp now{std::chrono::sys_days{std::chrono::year{2026} / 11 / 28}};

ecrlp::rule make_rule(std::int64_t priority, tag_status status, std::vector<std::string> patterns,
                      count_type type, std::int64_t number,
                      action_type action = action_type::expire,
                      storage_class storage = storage_class::standard) {
  ecrlp::rule r;
  r.priority = priority;
  r.description = "rule " + std::to_string(priority);
  r.selection.status = status;
  r.selection.list_kind = patterns.empty() ? tag_list_kind::none : tag_list_kind::pattern;
  r.selection.tag_list = std::move(patterns);
  r.selection.type = type;
  r.selection.count_number = number;
  r.selection.storage = storage;
  r.action.type = action;
  return r;
}

// The bundled example's shape: production kept by count, dev by age, untagged after 7 days,
// a 90-day catch-all; plus an archive rule and a pull-age transition.
ecrlp::lifecycle_policy story_policy() {
  ecrlp::lifecycle_policy p;
  p.rules.push_back(
      make_rule(1, tag_status::tagged, {"Prod-*"}, count_type::image_count_more_than, 2));
  p.rules.push_back(
      make_rule(3, tag_status::tagged, {"Dev-*"}, count_type::since_image_pushed, 30));
  p.rules.push_back(make_rule(4, tag_status::untagged, {}, count_type::since_image_pushed, 7));
  p.rules.push_back(make_rule(5, tag_status::any, {}, count_type::since_image_pushed, 90));
  return p;
}

}  // namespace

TEST_CASE("parse_age reads whole numbers with units", "[testing]") {
  CHECK(parse_age("10d") == days{10});
  CHECK(parse_age("36h") == hours{36});
  CHECK(parse_age("1d12h") == hours{36});
  CHECK(parse_age("2w") == days{14});
  CHECK(parse_age("90m") == minutes{90});
  CHECK(parse_age("45s") == seconds{45});
  CHECK(parse_age("0d") == microseconds{0});
  CHECK(parse_age("1h30m15s") == seconds{5415});
}

TEST_CASE("parse_age rejects everything else", "[testing]") {
  const auto bad =
      GENERATE(as<std::string>{}, "", "10", "d", "-1d", "+1d", "1.5d", "10 d", "10D", "10y", "10dd",
               "d10", "99999999999999999999d", "300000000w", "2026-11-28T00:00:00Z");
  CAPTURE(bad);
  CHECK_FALSE(parse_age(bad).has_value());
}

TEST_CASE("format_age prints largest units first and round-trips", "[testing]") {
  CHECK(format_age(days{10}) == "10d");
  CHECK(format_age(hours{36}) == "1d 12h");
  CHECK(format_age(minutes{61}) == "1h 1m");
  CHECK(format_age(microseconds{999'999}) == "0s");
  CHECK(format_age(-days{3}) == "-3d");
  CHECK(format_age(microseconds::min()).front() == '-');
  for (const char* text : {"10d", "1d 12h", "3h 5m", "1d 1h 1m 1s"}) {
    std::string compact;
    for (const char c : std::string(text)) {
      if (c != ' ') compact.push_back(c);
    }
    CAPTURE(text);
    REQUIRE(parse_age(compact));
    CHECK(format_age(*parse_age(compact)) == text);
  }
}

TEST_CASE("repository_builder: defaults and setters", "[testing]") {
  repository_builder repo{now};
  repo.image("plain");
  repo.image("full")
      .tags({"Prod-1", "release-1.0"})
      .tag("latest")
      .age("10d")
      .pulled(hours{5})
      .size(1234)
      .findings({.critical = 1, .high = 2});
  repo.image("absolute").pushed_at(now - days{400}).pulled_at(now - days{1}).digest("sha256:abc");
  REQUIRE(repo.errors().empty());
  REQUIRE(repo.images().size() == 3);

  const auto& plain = repo.images()[0];
  CHECK(plain.digest == "plain");
  CHECK(plain.tags.empty());
  CHECK(plain.pushed_at == now);
  CHECK_FALSE(plain.last_pulled_at);
  CHECK(plain.status == image_status::active);

  const auto& full = repo.images()[1];
  CHECK(full.tags == std::vector<std::string>{"Prod-1", "release-1.0", "latest"});
  CHECK(full.pushed_at == now - days{10});
  CHECK(full.last_pulled_at == now - hours{5});
  CHECK(full.size_bytes == 1234);
  REQUIRE(full.findings);
  CHECK(full.findings->total() == 3);

  CHECK(repo.images()[2].digest == "sha256:abc");
  CHECK(repo.names()[2] == "absolute");
  CHECK(repo.find("absolute") == std::size_t{2});
  CHECK_FALSE(repo.find("nope"));
}

TEST_CASE("repository_builder: archive and restore set the status", "[testing]") {
  repository_builder repo{now};
  repo.image("archived").age("200d").archived("100d");
  repo.image("restored").age("200d").archived("100d").restored("10d");
  repo.image("restored-first").age("200d").restored("100d").archived("10d");
  repo.image("activating").age("200d").archived("100d").status(image_status::activating);
  repo.image("explicit-then-archived").status(image_status::active).archived("1d");
  repo.image("untagged-again").tags({"a"}).untagged();
  REQUIRE(repo.errors().empty());
  const auto imgs = repo.images();
  CHECK(imgs[0].status == image_status::archived);
  CHECK(imgs[0].last_archived_at == now - days{100});
  CHECK(imgs[1].status == image_status::active);
  CHECK(imgs[1].last_activated_at == now - days{10});
  CHECK(imgs[2].status == image_status::archived);
  CHECK(imgs[3].status == image_status::activating);
  CHECK(imgs[4].status == image_status::active);  // an explicit status wins
  CHECK(imgs[5].tags.empty());
}

TEST_CASE("repository_builder records mistakes instead of throwing", "[testing]") {
  repository_builder repo{now};
  repo.image("a").tags({"v1"}).age("ten days");
  repo.image("a");
  repo.image("b").tags({"v1"}).pulled("5 hours");
  const auto errors = repo.errors();
  REQUIRE(errors.size() == 4);
  CHECK(errors[0] ==
        "image 'a': age 'ten days' is not an age (write a whole number and a unit: "
        "10d, 36h, 1d12h)");
  CHECK(errors[1] == "image 'a' is added twice");
  CHECK(errors[2].find("pulled '5 hours'") != std::string::npos);
  CHECK(errors[3] == "tag 'v1' is on both 'a' and 'b'; a tag names one image");

  // Every expectation on such a repository fails, naming the errors.
  const auto r = ecrlp::testing::run(story_policy(), repo);
  const auto e = r.expect_kept("b");
  CHECK_FALSE(e);
  CHECK(e.message().find("the repository has errors:\n  image 'a': age 'ten days'") !=
        std::string::npos);
}

TEST_CASE("expectations hold for the fates the evaluator decides", "[testing]") {
  repository_builder repo{now};
  repo.image("prod-new").tags({"Prod-3", "Dev-3"}).age("1d");
  repo.image("prod-mid").tags({"Prod-2", "Dev-2"}).age("50d");
  repo.image("prod-old").tags({"Prod-1", "Dev-1"}).age("100d");
  repo.image("dev-young").tags({"Dev-9"}).age("29d");
  repo.image("dev-old").tags({"Dev-8"}).age("31d");
  repo.image("dangling").age("8d");
  repo.image("branch-young").tags({"feature-x"}).age("89d");
  repo.image("branch-old").tags({"feature-y"}).age("91d");
  repo.image("archived").tags({"release-0.1"}).age("2000d").archived("500d");
  const auto r = ecrlp::testing::run(story_policy(), repo);

  CHECK(r.expect_kept("prod-new").by_rule(1));
  CHECK(r.expect_kept("prod-mid").by_rule(1));
  CHECK(r.expect_expired("prod-old").by_rule(1));
  CHECK(r.expect_kept("dev-young").by_rule(3));
  CHECK(r.expect_expired("dev-old").by_rule(3));
  CHECK(r.expect_expired("dangling").by_rule(4));
  CHECK(r.expect_kept("branch-young").by_rule(5));
  CHECK(r.expect_expired("branch-old").by_rule(5));
  CHECK(r.expect_kept("archived").by_no_rule());
  CHECK(r.expect_kept(with_tag("Prod-3")));
  CHECK(r.expect_expired(with_tag("Dev-1")));
  CHECK(r.expect(ecrlp::testing::named("dev-old"), fate::expire));

  // The opposite expectations fail.
  CHECK_FALSE(r.expect_expired("prod-new"));
  CHECK_FALSE(r.expect_transitioned("prod-old"));
  CHECK_FALSE(r.expect_expired("prod-old").by_rule(3));
  CHECK_FALSE(r.expect_kept("prod-new").by_rule(3));
  CHECK_FALSE(r.expect_kept("prod-new").by_no_rule());
  CHECK_FALSE(r.expect_kept("ghost"));
  CHECK_FALSE(r.expect_kept(with_tag("Prod-99")));

  CHECK(r.decision("dev-old")->applied_rule_priority() == 3);
  CHECK_FALSE(r.decision("ghost"));
  CHECK(r.find(with_tag("feature-y")) == std::size_t{7});
}

TEST_CASE("expectation messages say what was expected, what happened and why", "[testing]") {
  repository_builder repo{now};
  repo.image("prod-new").tags({"Prod-3"}).age("1d");
  repo.image("prod-mid").tags({"Prod-2"}).age("50d");
  repo.image("prod-old").tags({"Prod-1"}).age("100d");
  repo.image("branch").tags({"feature-x"}).age("80d").pulled("2d");
  repo.image("dangling").age("8d");
  const auto r = ecrlp::testing::run(story_policy(), repo);

  SECTION("an age limit not reached") {
    const auto e = r.expect_expired("branch").by_rule(5);
    REQUIRE_FALSE(e);
    const std::string m = e.message();
    CHECK(
        m.starts_with("expected image 'branch' expired by rule priority 5, but it was kept "
                      "(owned by rule priority 5)\n"));
    CHECK(m.find("image 'branch': tags feature-x; pushed 2026-09-09T00:00:00+00:00 (80d ago); "
                 "last pulled 2d ago; ACTIVE\n") != std::string::npos);
    CHECK(m.find("rule priority 1 \"rule 1\" (tagged tagPatternList [\"Prod-*\"], "
                 "imageCountMoreThan 2 -> expire): does not select it: no tag matches "
                 "\"Prod-*\"\n") != std::string::npos);
    CHECK(m.find("rule priority 4 \"rule 4\" (untagged, sinceImagePushed 7 days -> expire): does "
                 "not select it: the rule selects untagged images; this one is tagged\n") !=
          std::string::npos);
    CHECK(m.find("rule priority 5 \"rule 5\" (any, sinceImagePushed 90 days -> expire): owns "
                 "it; pushed 80d ago, not more than 90 days; so it is kept\n") !=
          std::string::npos);
    CHECK(m.ends_with("  outcome: kept by rule priority 5\n"));
  }
  SECTION("a count limit, with the rank and the matching tag") {
    const auto e = r.expect_kept("prod-old");
    REQUIRE_FALSE(e);
    const std::string m = e.message();
    CHECK(m.starts_with("expected image 'prod-old' kept, but it was expired by rule priority 1\n"));
    CHECK(m.find("owns it (tag \"Prod-1\" matches \"Prod-*\"); number 3 of the 3 images the rule "
                 "identifies, newest first; it keeps the newest 2; so it is expired\n") !=
          std::string::npos);
    // The catch-all identifies it too, but cannot act.
    CHECK(m.find("rule priority 5 \"rule 5\" (any, sinceImagePushed 90 days -> expire): also "
                 "selects it but does not own it, so it cannot act on it (pushed 100d ago, more "
                 "than 90 days)\n") != std::string::npos);
  }
  SECTION("a rule the policy does not have") {
    const auto e = r.expect_expired("dangling").by_rule(7);
    REQUIRE_FALSE(e);
    CHECK(e.message().find("; the policy has no rule with priority 7\n") != std::string::npos);
  }
  SECTION("an image that is not there") {
    CHECK(r.expect_kept("ghost").message() ==
          "expected image 'ghost' kept, but the repository has no image named 'ghost'");
    CHECK(r.expect_expired(with_tag("v9")).by_rule(2).message() ==
          "expected the image tagged 'v9' expired by rule priority 2, but no image in the "
          "repository carries tag 'v9'");
    CHECK(r.explain("ghost") == "there is no image named 'ghost'\n");
  }
  SECTION("success and streaming") {
    const auto e = r.expect_expired("dangling").by_rule(4);
    REQUIRE(e);
    CHECK(e.message() == "image 'dangling' expired by rule priority 4, as expected");
    std::ostringstream os;
    os << r.expect_kept("dangling");
    CHECK(
        os.str().starts_with("expected image 'dangling' kept, but it was expired by rule "
                             "priority 4\nimage 'dangling': untagged; pushed "));
    // What Catch2 prints for `CHECK(r.expect_kept("dangling"))`.
    CHECK(Catch::Detail::stringify(r.expect_kept("dangling")) == os.str());
  }
}

TEST_CASE("the explanation covers pull, archive, restore and storage classes", "[testing]") {
  ecrlp::lifecycle_policy p;
  p.rules.push_back(make_rule(1, tag_status::tagged, {"keep-*"}, count_type::since_image_pulled, 30,
                              action_type::transition));
  p.rules.push_back(make_rule(2, tag_status::any, {}, count_type::since_image_transitioned, 90,
                              action_type::expire, storage_class::archive));
  repository_builder repo{now};
  repo.image("never-pulled").tags({"keep-1"}).age("40d");
  repo.image("restored").tags({"keep-2"}).age("400d").archived("200d").restored("10d");
  repo.image("archived").tags({"keep-3"}).age("400d").archived("100d");
  repo.image("archived-no-time").tags({"keep-4"}).age("400d").status(image_status::archived);
  repo.image("activating").tags({"keep-5"}).age("400d").status(image_status::activating);
  const auto r = ecrlp::testing::run(p, repo);

  CHECK(r.expect_transitioned("never-pulled").by_rule(1));
  CHECK(r.explain("never-pulled")
            .find("never pulled, so counted from its push 40d ago, more "
                  "than 30 days; so it is transitioned to archive") != std::string::npos);
  CHECK(r.expect_kept("restored").by_rule(1));
  CHECK(r.explain("restored")
            .find("restored and not pulled since; restored 10d ago, not more "
                  "than 30 days") != std::string::npos);
  CHECK(r.expect_expired("archived").by_rule(2));
  CHECK(r.explain("archived")
            .find("the image is in the archive storage class; the rule sees "
                  "standard images only") != std::string::npos);
  CHECK(r.explain("archived").find("archived 100d ago, more than 90 days; so it is expired") !=
        std::string::npos);
  CHECK(r.expect_kept("archived-no-time").by_rule(2));
  CHECK(r.explain("archived-no-time")
            .find("no archive time (lastArchivedAt), so never past this "
                  "limit; so it is kept") != std::string::npos);
  CHECK(r.expect_kept("activating").by_no_rule());
  CHECK(r.explain("activating").find("ACTIVATING images are selected by no rule") !=
        std::string::npos);
  CHECK(r.explain("activating").ends_with("outcome: kept: no rule selects it\n"));
}

TEST_CASE("the explanation's verdict agrees with the evaluator", "[testing]") {
  // Many images of varied tags and ages: the owner line of every explanation must state the fate
  // the evaluator decided.
  const auto p = story_policy();
  repository_builder repo{now};
  const char* tag_sets[][2] = {{"Prod-", "Dev-"},
                               {"Dev-", nullptr},
                               {"x-", nullptr},
                               {nullptr, nullptr},
                               {"Prod-", nullptr}};
  for (int i = 0; i < 60; ++i) {
    auto b = repo.image("img-" + std::to_string(i));
    for (const char* t : tag_sets[i % 5]) {
      if (t != nullptr) b.tag(std::string(t) + std::to_string(i));
    }
    b.age(hours{(i * 37) % 2600});
  }
  REQUIRE(repo.errors().empty());
  const auto r = ecrlp::testing::run(p, repo);
  for (std::size_t i = 0; i < r.images().size(); ++i) {
    const auto& dec = r.evaluation().decisions[i];
    const std::string text = r.explain(r.names()[i]);
    CAPTURE(text);
    const std::string verdict =
        dec.action == fate::keep ? "; so it is kept\n" : "; so it is expired\n";
    CHECK(text.find(verdict) != std::string::npos);
    CHECK(r.expect(ecrlp::testing::named(r.names()[i]), dec.action).by_rule(*dec.owner));
  }
}

TEST_CASE("run() over plain images names them by digest", "[testing]") {
  std::vector<ecrlp::image> images(2);
  images[0].digest = "sha256:old";
  images[0].pushed_at = now - days{100};
  images[1].digest = "sha256:new";
  images[1].pushed_at = now - days{1};
  const auto r = ecrlp::testing::run(story_policy(), images, now);
  CHECK(r.expect_expired("sha256:old").by_rule(4));
  CHECK(r.expect_kept("sha256:new").by_rule(4));
  CHECK(r.errors().empty());
  CHECK(r.now() == now);
}

TEST_CASE("a run_result outlives its repository and survives copies", "[testing]") {
  std::optional<ecrlp::testing::run_result> kept;
  {
    repository_builder repo{now};
    repo.image("old").age("8d");
    repo.image("new").age("1d");
    const auto r = ecrlp::testing::run(story_policy(), repo);
    kept = r;
  }
  const auto copy = *kept;
  kept.reset();
  CHECK(copy.expect_expired("old").by_rule(4));
  CHECK(copy.expect_kept("new").by_rule(4));
  CHECK(copy.explain("old") ==
        ecrlp::testing::explain_fate(copy.policy(), copy.images(), 0, copy.now(), "old"));
  CHECK(copy.explanations().explain(0).owner == 4);
}
