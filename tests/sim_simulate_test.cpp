// SPDX-License-Identifier: MIT
// Tests of the simulator (include/ecrlp/simulate.hpp): one step equals a preview; a replay equals
// step-by-step evaluations of a repository maintained by hand in the test; skipping evaluations
// changes nothing; archive transitions followed by sinceImageTransitioned expiry; --watch keys.

#include <ecrlp/evaluate.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/simulate.hpp>

#include "catch.hpp"
#include "explain_fixtures.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace {

using ecrlp::action_type;
using ecrlp::count_type;
using ecrlp::fate;
using ecrlp::image;
using ecrlp::image_status;
using ecrlp::storage_class;
using ecrlp::tag_list_kind;
using ecrlp::tag_status;
using ecrlp::timestamp;
using std::chrono::days;
using std::chrono::hours;

const timestamp t0{std::chrono::sys_days{std::chrono::year{2025} / 1 / 1}};

using explain_fixtures::make_image;

ecrlp::rule make_rule(std::int64_t priority, tag_status status, std::vector<std::string> prefixes,
                      count_type type, std::int64_t number,
                      action_type action = action_type::expire,
                      storage_class storage = storage_class::standard) {
  ecrlp::rule r;
  r.priority = priority;
  r.selection.status = status;
  r.selection.list_kind = prefixes.empty() ? tag_list_kind::none : tag_list_kind::prefix;
  r.selection.tag_list = std::move(prefixes);
  r.selection.type = type;
  r.selection.count_number = number;
  r.selection.storage = storage;
  r.action.type = action;
  return r;
}

// A policy exercising every kind of limit, both storage classes and both actions.
ecrlp::lifecycle_policy mixed_policy() {
  ecrlp::lifecycle_policy p;
  p.rules.push_back(make_rule(1, tag_status::tagged, {"prod"}, count_type::image_count_more_than, 5));
  p.rules.push_back(make_rule(2, tag_status::untagged, {}, count_type::since_image_pushed, 3));
  p.rules.push_back(make_rule(3, tag_status::tagged, {"rel"}, count_type::since_image_pushed, 20,
                              action_type::transition));
  p.rules.push_back(make_rule(4, tag_status::tagged, {"feat"}, count_type::since_image_pulled, 10,
                              action_type::transition));
  p.rules.push_back(make_rule(5, tag_status::any, {}, count_type::image_count_more_than, 30));
  p.rules.push_back(make_rule(6, tag_status::tagged, {"rel"}, count_type::image_count_more_than, 4,
                              action_type::expire, storage_class::archive));
  p.rules.push_back(make_rule(7, tag_status::any, {}, count_type::since_image_transitioned, 90,
                              action_type::expire, storage_class::archive));
  return p;
}

// A random repository: pushes spread over [start, start + span_days], a few archived and
// activating images, pulls, findings.
std::vector<image> random_repository(std::uint32_t seed, std::size_t n, timestamp start,
                                     int span_days) {
  std::mt19937 rng(seed);
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  static const char* const families[] = {"prod", "rel", "feat", "dev"};
  std::vector<image> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::string> tags;
    if (pick(0, 4) != 0) {
      tags.push_back(std::string(families[pick(0, 3)]) + "-" + std::to_string(i));
      if (pick(0, 5) == 0) tags.push_back("prod-extra-" + std::to_string(i));
    }
    const timestamp pushed = start + hours{pick(0, span_days * 24)};
    image img = make_image("img" + std::to_string(1000 + i), std::move(tags), pushed,
                           static_cast<std::uint64_t>(pick(1, 1000)));
    if (pick(0, 2) == 0) img.last_pulled_at = pushed + hours{pick(0, 200)};
    if (pick(0, 9) == 0) {
      img.status = image_status::archived;
      if (pick(0, 3) != 0) img.last_archived_at = pushed + hours{pick(0, 48)};
    } else if (pick(0, 40) == 0) {
      img.status = image_status::activating;
    }
    if (pick(0, 1) == 0) {
      ecrlp::finding_counts f;
      f.critical = static_cast<std::uint64_t>(pick(0, 3));
      f.high = static_cast<std::uint64_t>(pick(0, 10));
      f.low = static_cast<std::uint64_t>(pick(0, 20));
      img.findings = f;
    }
    out.push_back(std::move(img));
  }
  return out;
}

ecrlp::class_totals totals_of(const std::vector<image>& images, image_status s) {
  ecrlp::class_totals t;
  for (const auto& img : images) {
    if (img.status != s) continue;
    ++t.images;
    t.bytes += img.size_bytes;
  }
  return t;
}

}  // namespace

TEST_CASE("one step equals a preview", "[simulate]") {
  const auto policy = mixed_policy();
  const auto images = random_repository(GENERATE(1u, 2u, 3u), 400, t0, 120);
  const timestamp at = t0 + days{130};
  const auto sim = ecrlp::simulate(policy, images, {.from = at, .to = at});
  REQUIRE(sim.ok());
  REQUIRE(sim.steps.size() == 1);
  const auto ev = ecrlp::evaluate(policy, images, {.now = at});
  const auto totals = ecrlp::summarize(images, ev);
  const auto& step = sim.steps[0];
  CHECK(step.at == at);
  CHECK(step.evaluated);
  CHECK(step.added == 0);
  CHECK(sim.initial.images == images.size());
  CHECK(step.expired.images == ev.expiring);
  CHECK(step.expired.bytes == totals.expired.bytes);
  CHECK(step.transitioned.images == ev.transitioning);
  CHECK(step.transitioned.bytes == totals.transitioned.bytes);
  CHECK(step.archive.images == totals.after_archive.images);
  CHECK(step.archive.bytes == totals.after_archive.bytes);
  // preview counts ACTIVATING images with the standard ones
  CHECK(step.standard.images + step.activating.images == totals.after_standard.images);
  CHECK(step.standard.bytes + step.activating.bytes == totals.after_standard.bytes);
  CHECK(step.findings == totals.after.findings);
  REQUIRE(step.acted_by_rule.size() == ev.rules.size());
  for (std::size_t r = 0; r < ev.rules.size(); ++r) {
    CHECK(sim.rule_priorities[r] == ev.rules[r].priority);
    CHECK(step.acted_by_rule[r] == ev.rules[r].acted);
  }
  for (std::size_t i = 0; i < images.size(); ++i) {
    const auto& d = ev.decisions[i];
    const auto& line = sim.images[i];
    CHECK(line.joined == std::optional<std::size_t>{0});
    CHECK(line.expired.has_value() == (d.action == fate::expire));
    CHECK(line.transitioned.has_value() == (d.action == fate::transition));
    if (d.action == fate::expire) CHECK(line.expire_rule == d.owner);
    if (d.action == fate::transition) CHECK(line.transition_rule == d.owner);
  }
  CHECK(sim.evaluations == 1);
}

TEST_CASE("a replay equals step-by-step evaluations of a hand-kept repository", "[simulate]") {
  const auto policy = mixed_policy();
  const std::uint32_t seed = GENERATE(11u, 12u, 13u, 14u);
  const auto images = random_repository(seed, 300, t0, 200);
  const timestamp from = t0 + days{60};
  const timestamp to = t0 + days{330};
  const auto every = GENERATE(std::chrono::microseconds{days{1}},
                              std::chrono::microseconds{hours{60}});
  const bool every_step = GENERATE(false, true);
  const auto sim = ecrlp::simulate(
      policy, images,
      {.from = from, .to = to, .every = every, .evaluate_every_step = every_step});
  REQUIRE(sim.ok());

  // The hand-kept repository: (input index, current state), re-evaluated from scratch each step.
  std::vector<std::size_t> idx;
  std::vector<image> state;
  std::vector<bool> joined(images.size(), false);
  std::vector<std::optional<std::size_t>> expired_at(images.size());
  std::vector<std::optional<std::size_t>> archived_at(images.size());
  std::size_t k = 0;
  for (timestamp t = from; t <= to; t += every, ++k) {
    REQUIRE(k < sim.steps.size());
    const auto& step = sim.steps[k];
    CHECK(step.at == t);
    std::size_t added = 0;
    for (std::size_t i = 0; i < images.size(); ++i) {
      if (joined[i] || images[i].pushed_at > t) continue;
      joined[i] = true;
      idx.push_back(i);
      state.push_back(images[i]);
      if (k != 0) ++added;
      CHECK(sim.images[i].joined == std::optional<std::size_t>{k});
    }
    CHECK(step.added == added);
    const auto ev = ecrlp::evaluate(policy, state, {.now = t});
    CHECK(step.expired.images == ev.expiring);
    CHECK(step.transitioned.images == ev.transitioning);
    std::vector<image> next_state;
    std::vector<std::size_t> next_idx;
    for (std::size_t j = 0; j < state.size(); ++j) {
      if (ev.decisions[j].action == fate::expire) {
        expired_at[idx[j]] = k;
        continue;
      }
      image img = state[j];
      if (ev.decisions[j].action == fate::transition) {
        img.status = image_status::archived;
        img.last_archived_at = t;
        archived_at[idx[j]] = k;
      }
      next_state.push_back(std::move(img));
      next_idx.push_back(idx[j]);
    }
    state = std::move(next_state);
    idx = std::move(next_idx);
    CHECK(step.standard == totals_of(state, image_status::active));
    CHECK(step.archive == totals_of(state, image_status::archived));
    CHECK(step.activating == totals_of(state, image_status::activating));
  }
  CHECK(sim.steps.size() == k);
  for (std::size_t i = 0; i < images.size(); ++i) {
    CHECK(sim.images[i].expired == expired_at[i]);
    CHECK(sim.images[i].transitioned == archived_at[i]);
    if (!joined[i]) CHECK_FALSE(sim.images[i].joined.has_value());
  }
  if (every_step) {
    CHECK(sim.evaluations == sim.steps.size());
  } else {
    CHECK(sim.evaluations < sim.steps.size());  // no pushes after day 200: steps were skipped
  }
}

TEST_CASE("replay off: every image is present from the first step", "[simulate]") {
  const auto policy = mixed_policy();
  const auto images = random_repository(5, 200, t0, 100);
  const auto sim = ecrlp::simulate(policy, images,
                                   {.from = t0, .to = t0 + days{10}, .replay = false});
  REQUIRE(sim.ok());
  CHECK(sim.initial.images == images.size());
  for (const auto& line : sim.images) CHECK(line.joined == std::optional<std::size_t>{0});
  const auto replayed = ecrlp::simulate(policy, images, {.from = t0, .to = t0 + days{10}});
  CHECK(replayed.initial.images < images.size());
}

TEST_CASE("steps without change are skipped, with the same results", "[simulate]") {
  // No pushes after the start and a since* limit that is crossed once: only a few evaluations.
  ecrlp::lifecycle_policy policy;
  policy.rules.push_back(make_rule(1, tag_status::any, {}, count_type::since_image_pushed, 30));
  std::vector<image> images = {make_image("a", {"x"}, t0),
                               make_image("b", {"y"}, t0 + days{10}),
                               make_image("c", {}, t0 + days{10} + hours{1})};
  const auto fast = ecrlp::simulate(policy, images, {.from = t0 + days{10} + hours{1},
                                                     .to = t0 + days{100}});
  const auto slow = ecrlp::simulate(policy, images, {.from = t0 + days{10} + hours{1},
                                                     .to = t0 + days{100},
                                                     .evaluate_every_step = true});
  REQUIRE(fast.steps.size() == slow.steps.size());
  CHECK(slow.evaluations == slow.steps.size());
  // Evaluated: the first step; day 30 01:00 (a is past 30 days: expired); the step after an
  // action; day 40 01:00 (b); day 41 01:00 (c is exactly 30 days old at day 40 01:00, which is
  // not older than 30 days: decision 1); the step after that: 6 evaluations.
  CHECK(fast.evaluations == 6);
  for (std::size_t k = 0; k < fast.steps.size(); ++k) {
    CHECK(fast.steps[k].expired == slow.steps[k].expired);
    CHECK(fast.steps[k].standard == slow.steps[k].standard);
  }
  for (std::size_t i = 0; i < images.size(); ++i) CHECK(fast.images[i].expired == slow.images[i].expired);
  REQUIRE(fast.images[0].expired.has_value());
  CHECK(fast.steps[*fast.images[0].expired].at == t0 + days{30} + hours{1});
  CHECK(fast.steps[*fast.images[1].expired].at == t0 + days{40} + hours{1});
  CHECK(fast.steps[*fast.images[2].expired].at == t0 + days{41} + hours{1});
}

TEST_CASE("archived images expire sinceImageTransitioned days after the simulated transition",
          "[simulate]") {
  ecrlp::lifecycle_policy policy;
  policy.rules.push_back(make_rule(1, tag_status::any, {}, count_type::since_image_pushed, 30,
                                   action_type::transition));
  policy.rules.push_back(make_rule(2, tag_status::any, {}, count_type::since_image_transitioned, 90,
                                   action_type::expire, storage_class::archive));
  std::vector<image> images = {make_image("a", {"v1"}, t0, 1000),
                               make_image("b", {"v2"}, t0 + days{50}, 500)};
  const auto sim = ecrlp::simulate(policy, images, {.from = t0, .to = t0 + days{300}});
  REQUIRE(sim.ok());
  REQUIRE(sim.steps.size() == 301);
  // a: joined at step 0, transitioned when now - pushed > 30 days: day 31; lastArchivedAt = day 31;
  // expired when now - lastArchivedAt > 90 days: day 122.
  CHECK(sim.images[0].joined == std::optional<std::size_t>{0});
  CHECK(sim.images[0].transitioned == std::optional<std::size_t>{31});
  CHECK(sim.images[0].transition_rule == std::optional<std::int64_t>{1});
  CHECK(sim.images[0].expired == std::optional<std::size_t>{122});
  CHECK(sim.images[0].expire_rule == std::optional<std::int64_t>{2});
  // b: pushed at day 50 (replay), transitioned day 81, expired day 172.
  CHECK(sim.images[1].joined == std::optional<std::size_t>{50});
  CHECK(sim.images[1].transitioned == std::optional<std::size_t>{81});
  CHECK(sim.images[1].expired == std::optional<std::size_t>{172});
  CHECK(sim.steps[49].standard.images == 0);
  CHECK(sim.steps[49].archive == ecrlp::class_totals{1, 1000});
  CHECK(sim.steps[50].added == 1);
  CHECK(sim.steps[50].standard == ecrlp::class_totals{1, 500});
  CHECK(sim.steps[81].transitioned == ecrlp::class_totals{1, 500});
  CHECK(sim.steps[81].archive == ecrlp::class_totals{2, 1500});
  CHECK(sim.steps[121].archive.images == 2);
  CHECK(sim.steps[122].expired == ecrlp::class_totals{1, 1000});
  CHECK(sim.steps[122].acted_by_rule == std::vector<std::size_t>{0, 1});
  CHECK(sim.steps[300].total().images == 0);
}

TEST_CASE("evaluator warnings are reported once", "[simulate]") {
  ecrlp::lifecycle_policy policy;
  policy.rules.push_back(make_rule(1, tag_status::any, {}, count_type::since_image_transitioned, 90,
                                   action_type::expire, storage_class::archive));
  image a = make_image("a", {}, t0);
  a.status = image_status::archived;
  std::vector<image> images = {a, make_image("b", {}, t0 + days{3})};
  const auto sim = ecrlp::simulate(policy, images, {.from = t0, .to = t0 + days{5}});
  REQUIRE(sim.ok());
  CHECK(std::count_if(sim.diagnostics.begin(), sim.diagnostics.end(), [](const auto& d) {
          return d.code == "image.archived_without_archive_time";
        }) == 1);
}

TEST_CASE("bad simulation ranges are errors", "[simulate]") {
  const auto policy = mixed_policy();
  const std::vector<image> images = {make_image("a", {}, t0)};
  const auto code_of = [](const ecrlp::simulation_result& r) {
    REQUIRE_FALSE(r.ok());
    CHECK(r.steps.empty());
    return r.diagnostics.front().code;
  };
  CHECK(code_of(ecrlp::simulate(policy, images, {.from = t0, .to = t0 - days{1}})) ==
        "simulate.bad_range");
  CHECK(code_of(ecrlp::simulate(policy, images,
                                {.from = t0, .to = t0, .every = std::chrono::microseconds{0}})) ==
        "simulate.bad_interval");
  CHECK(code_of(ecrlp::simulate(policy, images,
                                {.from = t0, .to = t0 + days{3650}, .every = hours{1},
                                 .max_steps = 1000})) == "simulate.too_many_steps");
}

TEST_CASE("watch keys: digest, tag, digest prefix", "[simulate]") {
  const std::vector<image> images = {make_image("aaaa1111bbbb", {"v1", "latest"}, t0),
                                     make_image("aaaa2222cccc", {"v2"}, t0),
                                     make_image("dddd3333eeee", {}, t0)};
  using V = std::vector<std::size_t>;
  CHECK(ecrlp::find_watched(images, "sha256:aaaa2222cccc") == V{1});
  CHECK(ecrlp::find_watched(images, "latest") == V{0});
  CHECK(ecrlp::find_watched(images, "dddd3333") == V{2});
  CHECK(ecrlp::find_watched(images, "sha256:dddd33") == V{2});
  CHECK(ecrlp::find_watched(images, "aaaa").empty());      // too short for a prefix
  CHECK(ecrlp::find_watched(images, "aaaa1111").size() == 1);
  CHECK(ecrlp::find_watched(images, "sha256:aaaa").empty());  // ambiguous
  CHECK(ecrlp::find_watched(images, "nope").empty());
}

TEST_CASE("a year of daily steps over 100,000 images", "[.][simulate_perf]") {
  const auto policy = mixed_policy();
  const auto images = random_repository(99, 100'000, t0, 730);
  const auto start = std::chrono::steady_clock::now();
  const auto sim = ecrlp::simulate(policy, images, {.from = t0 + days{365}, .to = t0 + days{730}});
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  WARN("365 steps, " << sim.evaluations << " evaluations: " << ms << " ms");
  CHECK(sim.steps.size() == 366);
}

TEST_CASE("forecast pushes: spacing, numbering, moving tags", "[simulate]") {
  ecrlp::lifecycle_policy policy;
  policy.rules.push_back(make_rule(1, tag_status::tagged, {"main-"}, count_type::image_count_more_than, 2));
  policy.rules.push_back(make_rule(2, tag_status::untagged, {}, count_type::since_image_pushed, 3));
  std::vector<image> images = {make_image("m7", {"main-7"}, t0 - days{5}),
                               make_image("m3", {"main-3", "latest"}, t0 - days{4})};
  ecrlp::simulation_options opt{.from = t0, .to = t0 + days{10}};
  opt.pushes.push_back({"main-{n}", 0.5, 1000});  // every 2 days: days 2, 4, 6, 8, 10
  opt.pushes.push_back({"latest", 1.0 / 3.0, 10});  // every 3 days: days 3, 6, 9
  const auto sim = ecrlp::simulate(policy, images, opt);
  REQUIRE(sim.ok());
  REQUIRE(sim.synthetic.size() == 8);
  REQUIRE(sim.images.size() == 10);
  std::vector<std::string> tags;
  for (const auto& img : sim.synthetic) tags.push_back(img.tags.empty() ? "" : img.tags[0]);
  // push order; equal times keep rate order (day 6: main, then latest)
  CHECK(tags == std::vector<std::string>{"main-8", "latest", "main-9", "main-10", "latest",
                                         "main-11", "latest", "main-12"});
  CHECK(sim.synthetic[0].pushed_at == t0 + days{2});
  CHECK(sim.synthetic[0].size_bytes == 1000);
  CHECK(sim.synthetic[0].digest ==
        "sha256:f0f000000001" + std::string(52, '0'));
  CHECK(sim.synthetic[0].digest.size() == 7 + 64);
  CHECK(sim.images[2].joined == std::optional<std::size_t>{2});
  // main-*: keep newest 2. Day 2: main-8 joins, main-7 (oldest of 3) goes.
  CHECK(sim.images[0].expired == std::optional<std::size_t>{2});
  CHECK(sim.images[1].expired == std::optional<std::size_t>{4});
  // The first synthetic `latest` (day 3) takes the tag from m3. The second (day 6) takes it from
  // the first, which is then untagged; pushed on day 3, it is exactly 3 days old on day 6 (not
  // older: decision 1) and goes on day 7. The third (day 9) untags the second: it goes on day 10.
  CHECK(images[1].tags == std::vector<std::string>{"main-3", "latest"});  // input untouched
  CHECK(sim.images[3].expired == std::optional<std::size_t>{7});
  CHECK(sim.images[3].expire_rule == std::optional<std::int64_t>{2});
  CHECK(sim.images[6].expired == std::optional<std::size_t>{10});
  CHECK_FALSE(sim.images[8].expired.has_value());  // the last `latest` keeps its tag
}

TEST_CASE("bad push rates are errors", "[simulate]") {
  ecrlp::lifecycle_policy policy = mixed_policy();
  std::vector<image> images = {make_image("a", {}, t0)};
  ecrlp::simulation_options opt{.from = t0, .to = t0 + days{10}};
  opt.pushes.push_back({"x-{n}", 0, 1});
  auto sim = ecrlp::simulate(policy, images, opt);
  REQUIRE_FALSE(sim.ok());
  CHECK(sim.diagnostics.front().code == "simulate.bad_push_rate");
  opt.pushes = {{"x-{n}", 1000, 1}};
  opt.max_pushes = 5000;
  sim = ecrlp::simulate(policy, images, opt);
  REQUIRE_FALSE(sim.ok());
  CHECK(sim.diagnostics.front().code == "simulate.too_many_pushes");
  CHECK(sim.synthetic.empty());
}

TEST_CASE("a live index guards its children until it is expired: they go at the next step",
          "[simulate][relations]") {
  // INDEX is pushed on day 0 with two untagged children; NEW (day 5) replaces it under the any
  // count rule (keep 1). Untagged images older than 1 day expire, but not while INDEX lives.
  const std::vector<image> images{make_image("INDEX", {"v1"}, t0), make_image("C1", {}, t0),
                                  make_image("C2", {}, t0),
                                  make_image("NEW", {"v2"}, t0 + days{5})};
  ecrlp::lifecycle_policy policy;
  policy.rules.push_back(make_rule(1, tag_status::untagged, {}, count_type::since_image_pushed, 1));
  policy.rules.push_back(make_rule(2, tag_status::any, {}, count_type::image_count_more_than, 1));
  const std::vector<ecrlp::index_manifest> indexes{{"sha256:INDEX", {"sha256:C1", "sha256:C2"}}};
  const auto sim = ecrlp::simulate(
      policy, images, {.from = t0, .to = t0 + days{8}, .indexes = indexes});
  REQUIRE(sim.ok());
  REQUIRE(sim.images[0].expired);
  CHECK(*sim.images[0].expired == 5);  // NEW joins on day 5: INDEX is the second newest
  CHECK(*sim.images[1].expired == 6);  // eligible once the index is gone
  CHECK(*sim.images[2].expired == 6);
  CHECK_FALSE(sim.images[3].expired);
  SECTION("--independent-images: the children go as soon as they are a day old") {
    const auto alone = ecrlp::simulate(
        policy, images,
        {.from = t0, .to = t0 + days{8}, .indexes = indexes, .independent_images = true});
    REQUIRE(alone.ok());
    CHECK(*alone.images[1].expired == 2);
  }
}
