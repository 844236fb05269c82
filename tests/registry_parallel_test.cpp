// SPDX-License-Identifier: MIT
// The registry work queue (detail::for_each_repository in include/ecrlp/registry.hpp) and the
// commands that run on it: diff_registry() and simulate_registry() give the same documents with
// 1, 2 and 7 threads on the recorded registry (tests/data/registry/snapshot), equal to the
// per-repository diff()/simulate() computed here one after another; every index runs exactly
// once, largest first on one thread; an exception thrown in a worker reaches the caller.

#include <ecrlp/diff.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/registry.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/simulate.hpp>

#include "catch.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path data = fs::path(ECRLP_TEST_DATA);
const fs::path snapshot_dir = data / "registry" / "snapshot";

ecrlp::registry_snapshot load_snapshot(const fs::path& dir, unsigned threads = 1) {
  auto r = ecrlp::load_registry(dir, {.threads = threads});
  REQUIRE(r.ok());
  return std::move(*r.value);
}

ecrlp::parsed_policy load_policy_file(const fs::path& p) {
  auto r = ecrlp::load_policy(p.string());
  REQUIRE(r.ok());
  return std::move(*r.value);
}

const ecrlp::timestamp now = *ecrlp::parse_timestamp("2026-11-28T06:00:00Z");

/// Every renderer's output of a registry diff, concatenated.
std::string render_all(const ecrlp::registry_diff_document& doc) {
  return ecrlp::render(doc, ecrlp::output_format::text) + ecrlp::render(doc, ecrlp::output_format::json) +
         ecrlp::render(doc, ecrlp::output_format::csv) + ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = 0});
}

/// The shared options of the registry simulations: half a year, daily, with forecast pushes (so
/// each repository's median image size matters).
ecrlp::simulation_options shared_simulation_options() {
  ecrlp::simulation_options o;
  o.from = *ecrlp::parse_timestamp("2026-07-01T00:00:00Z");
  o.to = *ecrlp::parse_timestamp("2026-12-31T00:00:00Z");
  o.pushes.push_back({.tag_template = "main-{n}", .per_day = 2});
  return o;
}

/// Every renderer's output of a registry simulation, concatenated.
std::string render_all(const ecrlp::simulation_options& shared,
                       const std::vector<ecrlp::repository_simulation>& sims,
                       const ecrlp::registry_snapshot& snap) {
  std::vector<ecrlp::simulation_document> docs;
  docs.reserve(sims.size());
  std::vector<ecrlp::registry_simulation_entry> entries(sims.size());
  for (std::size_t k = 0; k < sims.size(); ++k) {
    entries[k].name = snap.repositories[k].name;
    entries[k].policy = sims[k].policy;
    if (!sims[k].simulated()) continue;
    docs.push_back({*sims[k].simulated_policy, snap.repositories[k].images.images, sims[k].options,
                    sims[k].result, {}});
    entries[k].simulation = &docs.back();
  }
  const ecrlp::registry_simulation_document doc{shared, entries, "", false, "snap"};
  return ecrlp::render(doc, ecrlp::output_format::text) +
         ecrlp::render(doc, ecrlp::output_format::json) + ecrlp::render(doc, ecrlp::output_format::csv) +
         ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = 0});
}

}  // namespace

TEST_CASE("for_each_repository runs every index once, largest first on one thread",
          "[registry_parallel]") {
  const std::vector<std::size_t> weights = {3, 9, 1, 9, 0, 5, 2, 7, 7, 4, 6};
  SECTION("one thread: by weight, ties in index order, on the calling thread") {
    std::vector<std::size_t> order;
    const auto caller = std::this_thread::get_id();
    bool same_thread = true;
    ecrlp::detail::for_each_repository(weights.size(), weights, 1, [&](std::size_t i) {
      order.push_back(i);
      same_thread = same_thread && std::this_thread::get_id() == caller;
    });
    CHECK(order == std::vector<std::size_t>{1, 3, 7, 8, 10, 5, 9, 0, 6, 2, 4});
    CHECK(same_thread);
  }
  SECTION("no weights: index order") {
    std::vector<std::size_t> order;
    ecrlp::detail::for_each_repository(5, {}, 1, [&](std::size_t i) { order.push_back(i); });
    CHECK(order == std::vector<std::size_t>{0, 1, 2, 3, 4});
  }
  SECTION("several threads: each index exactly once") {
    const unsigned threads = GENERATE(2U, 7U, 64U);
    constexpr std::size_t count = 500;
    std::vector<std::atomic<int>> calls(count);
    std::vector<std::size_t> w(count);
    for (std::size_t i = 0; i < count; ++i) w[i] = (i * 37) % 11;
    ecrlp::detail::for_each_repository(count, w, threads, [&](std::size_t i) { ++calls[i]; });
    for (std::size_t i = 0; i < count; ++i) CHECK(calls[i].load() == 1);
  }
  SECTION("nothing to do") {
    int calls = 0;
    ecrlp::detail::for_each_repository(0, {}, 7, [&](std::size_t) { ++calls; });
    CHECK(calls == 0);
  }
  CHECK(ecrlp::detail::worker_count(7, 3) == 3);
  CHECK(ecrlp::detail::worker_count(2, 100) == 2);
  CHECK(ecrlp::detail::worker_count(5, 0) == 1);
  CHECK(ecrlp::detail::worker_count(0, 100) >= 1);
}

TEST_CASE("an exception thrown for one repository reaches the caller after the workers stop",
          "[registry_parallel]") {
  const unsigned threads = GENERATE(1U, 2U, 7U);
  constexpr std::size_t count = 200;
  std::atomic<std::size_t> started{0};
  std::atomic<int> running{0};
  std::atomic<bool> thrown{false};
  REQUIRE_THROWS_WITH(
      ecrlp::detail::for_each_repository(
          count, {}, threads,
          [&](std::size_t i) {
            ++started;
            if (i == 17) {
              thrown = true;
              throw std::runtime_error("repository 17 failed");
            }
            ++running;
            if (i > 17) {
              // The later indices wait for the failure and stay busy a little: the queue must
              // stop long before it runs out, and the caller must wait for them.
              while (!thrown.load()) std::this_thread::yield();
              std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            --running;
          }),
      "repository 17 failed");
  CHECK(running.load() == 0);  // every worker joined before the exception arrived
  if (threads == 1) {
    CHECK(started.load() == 18);  // indices 0..17, then nothing
  } else {
    CHECK(started.load() < count);  // the others took no new index once it failed
  }

  SECTION("the progress callback of evaluate_registry() too") {
    const auto snap = load_snapshot(snapshot_dir);
    int calls = 0;
    REQUIRE_THROWS_WITH(ecrlp::evaluate_registry(snap, {.now = now, .threads = threads},
                                                 [&](std::size_t, std::size_t, std::size_t) {
                                                   if (++calls == 2) {
                                                     throw std::runtime_error("progress stopped");
                                                   }
                                                 }),
                        "progress stopped");
    CHECK(calls >= 2);
  }
}

TEST_CASE("diff_registry is the same with 1, 2 and 7 threads", "[registry_parallel]") {
  const auto snap = load_snapshot(snapshot_dir);
  const auto everywhere = load_policy_file(data / "registry-cli" / "everywhere-policy.json");
  const auto web =
      load_policy_file(snapshot_dir / "repositories" / "web" / "lifecycle-policy.json");
  const bool own = GENERATE(true, false);
  const bool independent = GENERATE(false, true);
  ecrlp::registry_diff_options options{.now = now,
                                       .old_policy = own ? nullptr : &web.policy,
                                       .old_name = own ? "" : "web.json",
                                       .new_policy = &everywhere.policy,
                                       .new_name = "everywhere.json",
                                       .independent_images = independent,
                                       .threads = 1};
  const auto one = ecrlp::diff_registry(snap, options);
  REQUIRE(one.repositories.size() == snap.repositories.size());
  REQUIRE(one.change_count() > 0);  // the comparison below compares something

  // The sequential reference: ecrlp::diff() per repository, in order.
  std::size_t changed = 0;
  for (std::size_t k = 0; k < snap.repositories.size(); ++k) {
    const auto& repo = snap.repositories[k];
    const auto& r = one.repositories[k];
    CHECK(r.name == repo.name);
    CHECK(r.evaluated == !repo.failed());
    if (!r.evaluated) continue;
    static const ecrlp::lifecycle_policy none;
    const ecrlp::lifecycle_policy& before =
        !own ? web.policy : (repo.policy ? repo.policy->policy : none);
    const auto d = ecrlp::diff(before, everywhere.policy, repo.images.images,
                               {.now = now,
                                .indexes = repo.images.indexes,
                                .independent_images = independent});
    CHECK(d.changes.size() == r.diff.changes.size());
    for (std::size_t c = 0; c < ecrlp::change_kind_count; ++c) {
      CHECK(d.totals[c].images == r.diff.totals[c].images);
      CHECK(d.totals[c].bytes == r.diff.totals[c].bytes);
    }
    changed += d.empty() ? 0U : 1U;
  }
  CHECK(one.repositories_changed == changed);

  const std::string expected = render_all(one);
  for (const unsigned threads : {2U, 7U}) {
    options.threads = threads;
    const auto many = ecrlp::diff_registry(snap, options);
    CHECK(many.repositories_changed == one.repositories_changed);
    CHECK(render_all(many) == expected);
  }
}

TEST_CASE("simulate_registry is the same with 1, 2 and 7 threads", "[registry_parallel]") {
  const auto snap = load_snapshot(snapshot_dir);
  const auto everywhere = load_policy_file(data / "registry-cli" / "everywhere-policy.json");
  const bool override_all = GENERATE(false, true);
  const std::optional<std::uint64_t> push_size = GENERATE(std::optional<std::uint64_t>{},
                                                          std::optional<std::uint64_t>{4096});
  const auto shared = shared_simulation_options();
  ecrlp::registry_simulation_options options{
      .override_policy = override_all ? &everywhere.policy : nullptr,
      .independent_images = false,
      .push_size = push_size,
      .threads = 1};
  const auto one = ecrlp::simulate_registry(snap, shared, options);
  REQUIRE(one.size() == snap.repositories.size());

  // The sequential reference: ecrlp::simulate() per repository, in order.
  std::size_t simulated = 0;
  for (std::size_t k = 0; k < snap.repositories.size(); ++k) {
    const auto& repo = snap.repositories[k];
    const auto& s = one[k];
    if (repo.failed()) {
      CHECK(s.policy == "failed");
      CHECK_FALSE(s.simulated());
      continue;
    }
    if (!override_all && !repo.policy) {
      CHECK(s.policy == "none");
      CHECK_FALSE(s.simulated());
      continue;
    }
    CHECK(s.policy == (override_all ? "override" : "own"));
    REQUIRE(s.simulated());
    ++simulated;
    auto opt = shared;
    opt.indexes = repo.images.indexes;
    const auto size = push_size ? push_size : ecrlp::median_image_size(repo.images.images);
    for (auto& p : opt.pushes) p.size_bytes = size.value_or(0);
    const auto& policy = override_all ? everywhere.policy : repo.policy->policy;
    const auto r = ecrlp::simulate(policy, repo.images.images, opt);
    REQUIRE(s.result.ok());
    const ecrlp::simulation_document expected_doc{policy, repo.images.images, opt, r, {}};
    const ecrlp::simulation_document doc{*s.simulated_policy, repo.images.images, s.options,
                                         s.result, {}};
    CHECK(ecrlp::render(doc, ecrlp::output_format::json) == ecrlp::render(expected_doc, ecrlp::output_format::json));
  }
  REQUIRE(simulated >= 2);  // several repositories, so the threads share work

  const std::string expected = render_all(shared, one, snap);
  for (const unsigned threads : {2U, 7U}) {
    options.threads = threads;
    CHECK(render_all(shared, ecrlp::simulate_registry(snap, shared, options), snap) == expected);
  }
}

TEST_CASE("load_registry is the same with 1 and 7 threads", "[registry_parallel]") {
  const auto one = load_snapshot(snapshot_dir, 1);
  const auto many = load_snapshot(snapshot_dir, 7);
  REQUIRE(one.repositories.size() == many.repositories.size());
  for (std::size_t k = 0; k < one.repositories.size(); ++k) {
    CHECK(one.repositories[k].name == many.repositories[k].name);
    CHECK(one.repositories[k].images.images.size() == many.repositories[k].images.images.size());
    CHECK(one.repositories[k].diagnostics.size() == many.repositories[k].diagnostics.size());
    CHECK(one.repositories[k].failed() == many.repositories[k].failed());
  }
}
