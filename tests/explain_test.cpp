// SPDX-License-Identifier: MIT
// Tests of ecrlp::explainer (include/ecrlp/explain.hpp): every fact of an explanation on fixtures
// whose answer is known by construction, and agreement with ecrlp::evaluate and the spec-2.2
// reference on random repositories and policies.

#include <ecrlp/evaluate.hpp>
#include <ecrlp/explain.hpp>

#include "catch.hpp"
#include "explain_fixtures.hpp"
#include "reference_evaluator.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace explain_fixtures;
using ecrlp::fate;
using ecrlp::rule_role;
using ecrlp::selection_outcome;
using ecrlp::time_reference;
using std::chrono::days;
using std::chrono::hours;

/// The explanation of the rule with `priority` for one image.
const ecrlp::rule_explanation& rule_of(const ecrlp::image_explanation& e, std::int64_t priority) {
  for (const auto& r : e.rules) {
    if (r.priority == priority) return r;
  }
  FAIL("no rule " << priority);
  return e.rules.front();
}

std::vector<std::string> tags_of(const ecrlp::entry_match& m) {
  return {m.tags.begin(), m.tags.end()};
}

}  // namespace

TEST_CASE("explain: fate, owner, rank and count limit (TC-8)", "[explain]") {
  // Spec 2.10 TC-8: rule 1 alpha* keep 1; rule 2 untagged older than 1 day; rule 3 any keep 1.
  const std::vector<ecrlp::image> images{
      make_image("A", {"alpha-1", "beta-1"}, days_ago(4)), make_image("B", {}, days_ago(3)),
      make_image("C", {"alpha-2"}, days_ago(2)), make_image("D", {"a1b2c3d"}, days_ago(1)),
      make_image("E", {}, days_ago(1) + hours{1})};
  const auto policy = policy_of({any(3, count_type::image_count_more_than, 1),
                                 patterns(1, {"alpha*"}, count_type::image_count_more_than, 1),
                                 untagged(2, count_type::since_image_pushed, 1)});
  const ecrlp::explainer ex(policy, images, now);

  SECTION("A: expired by its owner, rule 1, as rank 2 of 2 > 1") {
    const auto e = ex.explain(index_of(images, "A"));
    CHECK(e.action == fate::expire);
    CHECK(e.owner == 1);
    REQUIRE(e.owner_rule() != nullptr);
    const auto& owner = *e.owner_rule();
    CHECK(owner.priority == 1);
    CHECK(owner.rule_index == 1);
    CHECK(owner.outcome == selection_outcome::selected);
    REQUIRE(owner.limit);
    CHECK(owner.limit->type == count_type::image_count_more_than);
    CHECK(owner.limit->rank == 2);
    CHECK(owner.limit->identified == 2);
    CHECK(owner.limit->limit == 1);
    CHECK(owner.limit->past_limit);
    // Rule 3 (any, keep 1) ranks A 5th of 5 and would expire it too; rule 1 owns it.
    const auto& r3 = rule_of(e, 3);
    CHECK(r3.role == rule_role::overridden);
    REQUIRE(r3.limit);
    CHECK(r3.limit->rank == 5);
    CHECK(r3.limit->identified == 5);
    // Rule 2 does not select a tagged image.
    CHECK(rule_of(e, 2).outcome == selection_outcome::image_tagged);
    CHECK(rule_of(e, 2).role == rule_role::not_selected);
    CHECK_FALSE(rule_of(e, 2).limit);
    // Rules are listed in priority order.
    REQUIRE(e.rules.size() == 3);
    CHECK(e.rules[0].priority == 1);
    CHECK(e.rules[1].priority == 2);
    CHECK(e.rules[2].priority == 3);
  }
  SECTION("C: kept by rule 1 as rank 1; rule 3 would expire it (rank 3 > 1), protected") {
    const auto e = ex.explain(index_of(images, "C"));
    CHECK(e.action == fate::keep);
    CHECK(e.owner == 1);
    CHECK(e.owner_rule()->limit->rank == 1);
    CHECK_FALSE(e.owner_rule()->limit->past_limit);
    CHECK(rule_of(e, 3).role == rule_role::overridden);
    CHECK(rule_of(e, 3).limit->rank == 3);
  }
  SECTION("E: newest image, owned by rule 2 and kept; rule 3 keeps it too (rank 1)") {
    const auto e = ex.explain(index_of(images, "E"));
    CHECK(e.action == fate::keep);
    CHECK(e.owner == 2);
    CHECK(rule_of(e, 3).role == rule_role::within_limit);
    CHECK(rule_of(e, 3).limit->rank == 1);
    CHECK_FALSE(rule_of(e, 3).limit->past_limit);
    CHECK(rule_of(e, 1).outcome == selection_outcome::image_untagged);
  }
  SECTION("D: owned by the catch-all rule 3, which counts images other rules own") {
    const auto e = ex.explain(index_of(images, "D"));
    CHECK(e.action == fate::expire);
    CHECK(e.owner == 3);
    CHECK(e.owner_rule()->limit->rank == 2);
    CHECK(rule_of(e, 1).outcome == selection_outcome::entry_unmatched);
  }
  SECTION("the explainer agrees with evaluate on every image") {
    const auto res = ecrlp::evaluate(policy, images, {.now = now});
    for (std::size_t i = 0; i < images.size(); ++i) {
      const auto e = ex.explain(i);
      CHECK(e.action == res.decisions[i].action);
      CHECK(e.owner == res.decisions[i].owner);
    }
    CHECK(std::vector<std::size_t>(ex.order().begin(), ex.order().end()) == res.order);
    CHECK(ex.identified(0) == 5);  // rule 3 is first in the document
  }
}

TEST_CASE("explain: no rule selects it", "[explain]") {
  const std::vector<ecrlp::image> images{make_image("T", {"v1"}, days_ago(400)),
                                         make_image("U", {}, days_ago(400))};
  const auto policy = policy_of({untagged(1, count_type::since_image_pushed, 30)});
  const ecrlp::explainer ex(policy, images, now);
  const auto e = ex.explain(0);
  CHECK(e.action == fate::keep);
  CHECK_FALSE(e.owner);
  CHECK(e.owner_rule() == nullptr);
  REQUIRE(e.rules.size() == 1);
  CHECK(e.rules[0].role == rule_role::not_selected);
  CHECK(e.rules[0].outcome == selection_outcome::image_tagged);
  CHECK(ex.explain(1).action == fate::expire);
}

TEST_CASE("explain: storage class and ACTIVATING images", "[explain]") {
  auto archived = make_image("X", {"prod-1"}, days_ago(500));
  archived.status = image_status::archived;
  archived.last_archived_at = days_ago(400);
  auto activating = make_image("Y", {"prod-2"}, days_ago(500));
  activating.status = image_status::activating;
  const std::vector<ecrlp::image> images{archived, activating,
                                         make_image("S", {"prod-3"}, days_ago(500))};
  const auto policy = policy_of({prefixes(1, {"prod"}, count_type::since_image_pushed, 30),
                                 any(2, count_type::since_image_transitioned, 365,
                                     action_type::expire, storage_class::archive)});
  const ecrlp::explainer ex(policy, images, now);

  const auto x = ex.explain(0);
  CHECK(rule_of(x, 1).outcome == selection_outcome::other_storage_class);
  CHECK(rule_of(x, 1).entries.empty());  // tags are not matched across storage classes
  CHECK(x.owner == 2);
  CHECK(x.action == fate::expire);

  const auto y = ex.explain(1);
  CHECK_FALSE(y.owner);
  for (const auto& r : y.rules) CHECK(r.outcome == selection_outcome::activating);

  const auto s = ex.explain(2);
  CHECK(s.owner == 1);
  CHECK(rule_of(s, 2).outcome == selection_outcome::other_storage_class);
}

TEST_CASE("explain: age limits name the reference time they used", "[explain]") {
  const auto age_rule = [](count_type type, std::int64_t n) {
    return any(
        1, type, n,
        type == count_type::since_image_pulled ? action_type::transition : action_type::expire);
  };
  SECTION("sinceImagePushed: push time, strictly older than N days") {
    const std::vector<ecrlp::image> images{make_image("old", {}, days_ago(95)),
                                           make_image("exact", {}, days_ago(90)),
                                           make_image("young", {}, days_ago(10) - hours{12})};
    const auto policy = policy_of({age_rule(count_type::since_image_pushed, 90)});
    const ecrlp::explainer ex(policy, images, now);
    const auto old = ex.explain(0).owner_rule()->limit;
    REQUIRE(old->reference);
    CHECK(old->reference->kind == time_reference::push);
    CHECK(old->reference->at == days_ago(95));
    CHECK(old->age_days() == Approx(95.0));
    CHECK(old->limit == 90);
    CHECK(old->past_limit);
    CHECK(old->rank == 0);
    const auto exact = ex.explain(1).owner_rule()->limit;
    CHECK(exact->age_days() == Approx(90.0));
    CHECK_FALSE(exact->past_limit);
    CHECK(ex.explain(1).action == fate::keep);
    CHECK(ex.explain(2).owner_rule()->limit->age_days() == Approx(10.5));
  }
  SECTION("sinceImagePushed after a restore: lastActivatedAt") {
    auto img = make_image("R", {}, days_ago(400));
    img.last_activated_at = days_ago(20);
    const std::vector<ecrlp::image> images{img};
    const auto policy = policy_of({age_rule(count_type::since_image_pushed, 30)});
    const auto limit = ecrlp::explainer(policy, images, now).explain(0).owner_rule()->limit;
    CHECK(limit->reference->kind == time_reference::restore);
    CHECK(limit->reference->at == days_ago(20));
    CHECK_FALSE(limit->past_limit);
  }
  SECTION("sinceImagePulled: last pull, restore when not pulled since, push when never pulled") {
    auto pulled = make_image("P1", {}, days_ago(200));
    pulled.last_pulled_at = days_ago(10);
    auto never = make_image("P2", {}, days_ago(200));
    auto restored = make_image("P3", {}, days_ago(400));
    restored.last_pulled_at = days_ago(300);
    restored.last_activated_at = days_ago(100);
    auto pulled_after_restore = make_image("P4", {}, days_ago(400));
    pulled_after_restore.last_activated_at = days_ago(100);
    pulled_after_restore.last_pulled_at = days_ago(95);
    const std::vector<ecrlp::image> images{pulled, never, restored, pulled_after_restore};
    const auto policy = policy_of({age_rule(count_type::since_image_pulled, 90)});
    const ecrlp::explainer ex(policy, images, now);
    const auto kind = [&](std::size_t i) {
      return ex.explain(i).owner_rule()->limit->reference->kind;
    };
    CHECK(kind(0) == time_reference::last_pull);
    CHECK(kind(1) == time_reference::push);
    CHECK(kind(2) == time_reference::restore);
    CHECK(kind(3) == time_reference::last_pull);
    CHECK(ex.explain(0).action == fate::keep);
    CHECK(ex.explain(1).action == fate::transition);
    CHECK(ex.explain(2).action == fate::transition);
    CHECK(ex.explain(3).owner_rule()->limit->age_days() == Approx(95.0));
  }
  SECTION("sinceImageTransitioned: lastArchivedAt; none recorded, never past the limit") {
    auto with = make_image("A1", {}, days_ago(900));
    with.status = image_status::archived;
    with.last_archived_at = days_ago(400);
    auto without = make_image("A2", {}, days_ago(900));
    without.status = image_status::archived;
    const std::vector<ecrlp::image> images{with, without};
    const auto policy = policy_of({any(1, count_type::since_image_transitioned, 365,
                                       action_type::expire, storage_class::archive)});
    const ecrlp::explainer ex(policy, images, now);
    const auto a1 = ex.explain(0).owner_rule()->limit;
    CHECK(a1->reference->kind == time_reference::archive);
    CHECK(a1->age_days() == Approx(400.0));
    CHECK(a1->past_limit);
    const auto a2 = ex.explain(1);
    CHECK(a2.owner == 1);  // identified, so protected from lower archive rules
    CHECK_FALSE(a2.owner_rule()->limit->reference);
    CHECK_FALSE(a2.owner_rule()->limit->past_limit);
    CHECK(a2.action == fate::keep);
  }
}

TEST_CASE("explain: lower rules that would act are protected by the owner (TC-14)", "[explain]") {
  const std::vector<ecrlp::image> images{make_image("R", {"release-1"}, days_ago(400)),
                                         make_image("O", {"other"}, days_ago(400))};
  const auto policy =
      policy_of({patterns(1, {"release-*"}, count_type::image_count_more_than, 1000),
                 any(2, count_type::since_image_pushed, 30)});
  const ecrlp::explainer ex(policy, images, now);
  const auto r = ex.explain(0);
  CHECK(r.action == fate::keep);
  CHECK(r.owner == 1);
  CHECK(rule_of(r, 1).role == rule_role::owner);
  CHECK(rule_of(r, 2).role == rule_role::overridden);
  CHECK(rule_of(r, 2).limit->past_limit);
  CHECK(rule_of(r, 2).limit->age_days() == Approx(400.0));
  const auto o = ex.explain(1);
  CHECK(o.action == fate::expire);
  CHECK(o.owner == 2);
}

TEST_CASE("explain: which tag satisfied which list entry (AND of entries)", "[explain]") {
  const std::vector<ecrlp::image> images{
      make_image("both", {"prod-1", "v1.2", "prod-eu"}, days_ago(5)),
      make_image("half", {"prod-2"}, days_ago(5))};
  const auto policy =
      policy_of({prefixes(1, {"prod", "v1"}, count_type::since_image_pushed, 1),
                 patterns(2, {"*-eu", "staging*"}, count_type::since_image_pushed, 1)});
  const ecrlp::explainer ex(policy, images, now);

  const auto both = ex.explain(0);
  const auto& r1 = rule_of(both, 1);
  CHECK(r1.outcome == selection_outcome::selected);
  REQUIRE(r1.entries.size() == 2);
  CHECK(r1.entries[0].entry == "prod");
  CHECK(tags_of(r1.entries[0]) == std::vector<std::string>{"prod-1", "prod-eu"});
  CHECK(r1.entries[1].entry == "v1");
  CHECK(tags_of(r1.entries[1]) == std::vector<std::string>{"v1.2"});
  const auto& r2 = rule_of(both, 2);
  CHECK(r2.outcome == selection_outcome::entry_unmatched);
  REQUIRE(r2.entries.size() == 2);
  CHECK(tags_of(r2.entries[0]) == std::vector<std::string>{"prod-eu"});
  CHECK(r2.entries[1].tags.empty());  // no tag satisfies "staging*"

  const auto half = ex.explain(1);
  const auto& h1 = rule_of(half, 1);
  CHECK(h1.outcome == selection_outcome::entry_unmatched);
  CHECK(tags_of(h1.entries[0]) == std::vector<std::string>{"prod-2"});
  CHECK(h1.entries[1].tags.empty());
  CHECK_FALSE(half.owner);
}

TEST_CASE("explain: find_images by digest, digest prefix or tag", "[explain]") {
  const std::vector<ecrlp::image> images{make_image("abc123", {"latest", "v1"}, days_ago(1)),
                                         make_image("abd456", {"v2"}, days_ago(2)),
                                         make_image("ffff", {}, days_ago(3))};
  using V = std::vector<std::size_t>;
  CHECK(ecrlp::find_images(images, "sha256:abc123") == V{0});
  CHECK(ecrlp::find_images(images, "sha256:ab") == V{0, 1});
  CHECK(ecrlp::find_images(images, "abd") == V{1});
  CHECK(ecrlp::find_images(images, "v2") == V{1});
  CHECK(ecrlp::find_images(images, "latest") == V{0});
  CHECK(ecrlp::find_images(images, "lat").empty());  // tags match exactly
  CHECK(ecrlp::find_images(images, "nope").empty());
  CHECK(ecrlp::find_images(images, "").empty());
}

TEST_CASE("explain agrees with evaluate and the reference on random cases", "[explain][random]") {
  std::size_t images_seen = 0;
  std::size_t overridden = 0;
  std::size_t unowned = 0;
  for (std::uint64_t seed = 1; seed <= 1500; ++seed) {
    const random_case c(seed);
    const auto got = ecrlp::evaluate(c.policy, c.images, {.now = now});
    const auto ref = ecrlp_ref::evaluate(c.policy, c.images, now);
    const ecrlp::explainer ex(c.policy, c.images, now);
    for (std::size_t i = 0; i < c.images.size(); ++i) {
      const auto e = ex.explain(i);
      INFO("seed " << seed << ", image " << c.images[i].digest);
      REQUIRE(e.action == got.decisions[i].action);
      REQUIRE(e.owner == got.decisions[i].owner);
      REQUIRE(e.action == ref.decisions[i].action);
      REQUIRE(e.owner == ref.decisions[i].owner);
      ++images_seen;
      unowned += e.owner ? 0U : 1U;
      for (const auto& r : e.rules) {
        const ecrlp::rule& rule = c.policy.rules[r.rule_index];
        REQUIRE(r.priority == rule.priority);
        REQUIRE((r.outcome == selection_outcome::selected) == ecrlp::identifies(rule, c.images[i]));
        REQUIRE(r.limit.has_value() == (r.outcome == selection_outcome::selected));
        if (!r.limit) continue;
        overridden += r.role == rule_role::overridden ? 1U : 0U;
        if (r.limit->type == count_type::image_count_more_than) {
          // Rank by brute force: 1 + identified images newer by (reference time, digest).
          std::size_t rank = 1;
          for (std::size_t j = 0; j < c.images.size(); ++j) {
            if (j != i && ecrlp::identifies(rule, c.images[j]) &&
                ecrlp_ref::newer(c.images, j, i)) {
              ++rank;
            }
          }
          REQUIRE(r.limit->rank == rank);
        } else if (r.limit->reference) {
          const auto want =
              r.limit->type == count_type::since_image_pulled   ? ecrlp_ref::pull_ref(c.images[i])
              : r.limit->type == count_type::since_image_pushed ? ecrlp_ref::ref_time(c.images[i])
                                                                : *c.images[i].last_archived_at;
          REQUIRE(r.limit->reference->at == want);
          REQUIRE(r.limit->past_limit == ecrlp_ref::older(now, want, rule.selection.count_number));
        }
      }
    }
  }
  // The generator must reach the interesting paths.
  CHECK(images_seen > 10000);
  CHECK(overridden > 500);
  CHECK(unowned > 1000);
}

TEST_CASE("explain scales: every image of a large repository", "[explain]") {
  std::vector<ecrlp::image> images;
  constexpr std::size_t n = 30000;
  for (std::size_t k = 0; k < n; ++k) {
    std::vector<std::string> tags;
    if (k % 3 != 0) tags.push_back((k % 3 == 1 ? "prod-" : "dev-") + std::to_string(k));
    images.push_back(make_image(std::to_string(k), std::move(tags),
                                now - std::chrono::minutes{static_cast<std::int64_t>(k) * 7}));
  }
  const auto policy = policy_of({prefixes(1, {"prod"}, count_type::image_count_more_than, 100),
                                 untagged(2, count_type::since_image_pushed, 30),
                                 any(3, count_type::image_count_more_than, 5000)});
  const auto res = ecrlp::evaluate(policy, images, {.now = now});
  const ecrlp::explainer ex(policy, images, now);
  std::size_t expiring = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto e = ex.explain(i);
    expiring += e.action == fate::expire ? 1U : 0U;
    if (e.owner != res.decisions[i].owner) FAIL("owner differs for image " << i);
  }
  CHECK(expiring == res.expiring);
  // The newest prod image is rank 1 of the 10,000 prod images.
  CHECK(ex.explain(1).owner_rule()->limit->rank == 1);
  CHECK(ex.explain(1).owner_rule()->limit->identified == n / 3);
}

#ifdef ECRLP_HAVE_CLI
// The commands end to end, in-process: on random repositories and policies written to files,
// `explain` agrees with `preview` on every image's fate and owner, and `diff` of a policy with
// itself lists no image.

#  include <nlohmann/json.hpp>

#  include <filesystem>
#  include <fstream>
#  include <unistd.h>

#  include <algorithm>
#  include <cctype>
#  include <map>
#  include <sstream>
#  include <utility>

#  include "cli_runner.hpp"

namespace {

nlohmann::json policy_json(const ecrlp::lifecycle_policy& policy) {
  nlohmann::json rules = nlohmann::json::array();
  for (const auto& r : policy.rules) {
    const auto& s = r.selection;
    nlohmann::json sel;
    sel["tagStatus"] = to_string(s.status);
    if (s.status == tag_status::tagged) sel[std::string(to_string(s.list_kind))] = s.tag_list;
    if (s.storage == storage_class::archive) sel["storageClass"] = "archive";
    sel["countType"] = to_string(s.type);
    if (ecrlp::is_age_limit(s.type)) sel["countUnit"] = "days";
    sel["countNumber"] = s.count_number;
    nlohmann::json action;
    action["type"] = to_string(r.action.type);
    if (r.action.type == action_type::transition) action["targetStorageClass"] = "archive";
    rules.push_back({{"rulePriority", r.priority},
                     {"description", "a randomly generated rule, described at some length"},
                     {"selection", sel},
                     {"action", action}});
  }
  return {{"rules", rules}};
}

nlohmann::json images_json(const std::vector<ecrlp::image>& images) {
  nlohmann::json details = nlohmann::json::array();
  for (const auto& img : images) {
    nlohmann::json j;
    j["imageDigest"] = img.digest;
    if (!img.tags.empty()) j["imageTags"] = img.tags;
    j["imagePushedAt"] = ecrlp::format_timestamp(img.pushed_at);
    j["imageStatus"] = to_string(img.status);
    j["imageSizeInBytes"] = img.size_bytes;
    if (img.last_pulled_at)
      j["lastRecordedPullTime"] = ecrlp::format_timestamp(*img.last_pulled_at);
    if (img.last_activated_at)
      j["lastActivatedAt"] = ecrlp::format_timestamp(*img.last_activated_at);
    if (img.last_archived_at) j["lastArchivedAt"] = ecrlp::format_timestamp(*img.last_archived_at);
    details.push_back(std::move(j));
  }
  return {{"imageDetails", details}};
}

using cli_runner::run_cli;

void write_file(const std::filesystem::path& path, const nlohmann::json& j) {
  std::ofstream(path) << j.dump(2);
}

}  // namespace

TEST_CASE("explain agrees with preview, and diff with itself is empty, end to end",
          "[explain][cli][random]") {
  const auto dir =
      std::filesystem::temp_directory_path() / ("ecrlp-explain-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string policy_file = (dir / "policy.json").string();
  const std::string images_file = (dir / "images.json").string();
  const std::string when = ecrlp::format_timestamp(now);
  std::size_t compared = 0;
  std::size_t rejected = 0;
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    const random_case c(seed);
    INFO("seed " << seed);
    write_file(policy_file, policy_json(c.policy));
    write_file(images_file, images_json(c.images));
    const std::vector<std::string> inputs{"--policy",  policy_file, "--images",
                                          images_file, "--now",     when};
    auto args = [&](std::string command, std::vector<std::string> more) {
      std::vector<std::string> a{std::move(command)};
      a.insert(a.end(), inputs.begin(), inputs.end());
      a.insert(a.end(), more.begin(), more.end());
      return a;
    };
    const auto preview = run_cli(args("preview", {"--format", "csv"}));
    if (preview.status == 1) {  // the generator may write a policy ECR rejects (same tag lists)
      ++rejected;
      continue;
    }
    REQUIRE(preview.status == 0);
    const auto explain = run_cli(args("explain", {"--format", "json"}));
    REQUIRE(explain.status == 0);

    // preview CSV: digest -> (action, owner); columns 0, 7 and 9.
    std::map<std::string, std::pair<std::string, std::string>> want;
    std::istringstream rows(preview.out);
    std::string row;
    std::getline(rows, row);  // header
    while (std::getline(rows, row)) {
      if (!row.empty() && row.back() == '\r') row.pop_back();
      std::vector<std::string> cells;
      std::stringstream cs(row);
      for (std::string cell; std::getline(cs, cell, ',');) cells.push_back(cell);
      if (row.back() == ',') cells.emplace_back();
      REQUIRE(cells.size() == 10);
      want[cells[0]] = {cells[7], cells[9]};
    }
    const auto doc = nlohmann::json::parse(explain.out);
    REQUIRE(doc["images"].size() == c.images.size());
    for (const auto& img : doc["images"]) {
      const auto digest = img["imageDigest"].get<std::string>();
      REQUIRE(want.count(digest) == 1);
      std::string action = img["fate"].get<std::string>();
      for (auto& ch : action) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      CHECK(action == want[digest].first);
      const auto& owner = img["ownerRulePriority"];
      CHECK((owner.is_null() ? std::string() : std::to_string(owner.get<std::int64_t>())) ==
            want[digest].second);
      ++compared;
    }

    const auto self = run_cli({"diff", "--policy", policy_file, "--policy", policy_file, "--images",
                               images_file, "--now", when, "--format", "csv"});
    REQUIRE(self.status == 0);
    CHECK(std::count(self.out.begin(), self.out.end(), '\n') == 1);  // the header only
  }
  std::filesystem::remove_all(dir);
  CHECK(rejected < 30);
  CHECK(compared > 1500);
}
#endif

TEST_CASE("explain: index children and referrers say what they follow", "[explain][relations]") {
  auto sig = make_image("SIG", {}, days_ago(40));
  sig.subject_digest = "sha256:OLD";
  auto att = make_image("ATT", {}, days_ago(40));
  att.subject_digest = "sha256:SIG";
  const std::vector<ecrlp::image> images{make_image("OLD", {"v1"}, days_ago(30)), sig, att,
                                         make_image("INDEX", {"v2"}, days_ago(1)),
                                         make_image("CHILD", {}, days_ago(1))};
  const std::vector<ecrlp::index_manifest> indexes{{"sha256:INDEX", {"sha256:CHILD"}}};
  const auto policy = policy_of({any(1, count_type::image_count_more_than, 1)});
  const ecrlp::evaluation_options options{.now = now, .indexes = indexes};
  const ecrlp::explainer ex(policy, images, options);
  const auto res = ecrlp::evaluate(policy, images, options);
  for (std::size_t i = 0; i < images.size(); ++i) {
    INFO("image " << images[i].digest);
    const auto e = ex.explain(i);
    CHECK(e.action == res.decisions[i].action);
    CHECK(e.owner == res.decisions[i].owner);
    CHECK(e.related == res.decisions[i].related);
  }
  const auto child = ex.explain(index_of(images, "CHILD"));
  CHECK(child.related == ecrlp::relation::index_child);
  CHECK(child.related_to == index_of(images, "INDEX"));
  CHECK(child.action == fate::keep);
  CHECK(rule_of(child, 1).outcome == selection_outcome::related);
  const auto a = ex.explain(index_of(images, "ATT"));
  CHECK(a.related == ecrlp::relation::referrer);
  CHECK(a.related_to == index_of(images, "SIG"));
  CHECK(a.chain_end == index_of(images, "OLD"));
  CHECK(a.action == fate::expire);  // OLD is the 2nd newest of OLD and INDEX: expired
  CHECK(a.owner == 1);
  CHECK(ex.identified(0) == 2);
  SECTION("--independent-images") {
    const ecrlp::explainer alone(policy, images,
                                 {.now = now, .indexes = indexes, .independent_images = true});
    CHECK(alone.explain(index_of(images, "CHILD")).related == ecrlp::relation::none);
    CHECK(alone.identified(0) == 5);
  }
}
