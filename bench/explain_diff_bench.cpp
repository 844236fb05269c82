// SPDX-License-Identifier: MIT
//
// explain and diff on 100k images (synthetic_inventory.hpp, 10-rule policy).
//
//   BM_explain_build     explainer(policy, images, now): ranks every rule's images once.
//   BM_explain_all       explain(i) for every image of a built explainer (`ecrlp explain --all`).
//   BM_diff              diff(old, new, images, {.now}): two one-shot evaluations and the
//                        comparison, as ecrlp/diff.hpp does it.
//   BM_diff_prepared     the same two evaluations on one prepared_inventory (built inside the
//                        timing), then diff(before, after, images): what sharing the sort saves.
//
// Counters: items_per_second = images per second.

#include <ecrlp/diff.hpp>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/explain.hpp>

#include <benchmark/benchmark.h>

#include "synthetic_inventory.hpp"

namespace {

/// The 10-rule policy with every limit loosened: a realistic "what if" for diff.
ecrlp::lifecycle_policy loosened(ecrlp::lifecycle_policy p) {
  for (auto& r : p.rules) r.selection.count_number += r.selection.count_number / 2 + 1;
  return p;
}

void BM_explain_build(benchmark::State& state) {
  const auto& images = ecrlp::bench::cached_images(static_cast<std::size_t>(state.range(0)));
  const auto policy = ecrlp::bench::synthetic_policy(10);
  for (auto _ : state) {
    ecrlp::explainer e(policy, images, ecrlp::bench::bench_now);
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(images.size()));
}
BENCHMARK(BM_explain_build)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_explain_all(benchmark::State& state) {
  const auto& images = ecrlp::bench::cached_images(static_cast<std::size_t>(state.range(0)));
  const auto policy = ecrlp::bench::synthetic_policy(10);
  const ecrlp::explainer e(policy, images, ecrlp::bench::bench_now);
  for (auto _ : state) {
    std::size_t owned = 0;
    for (std::size_t i = 0; i < images.size(); ++i) owned += e.explain(i).owner ? 1U : 0U;
    benchmark::DoNotOptimize(owned);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(images.size()));
}
BENCHMARK(BM_explain_all)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_diff(benchmark::State& state) {
  const auto& images = ecrlp::bench::cached_images(static_cast<std::size_t>(state.range(0)));
  const auto before = ecrlp::bench::synthetic_policy(10);
  const auto after = loosened(before);
  for (auto _ : state) {
    auto d = ecrlp::diff(before, after, images, {.now = ecrlp::bench::bench_now});
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(images.size()));
}
BENCHMARK(BM_diff)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_diff_prepared(benchmark::State& state) {
  const auto& images = ecrlp::bench::cached_images(static_cast<std::size_t>(state.range(0)));
  const auto before = ecrlp::bench::synthetic_policy(10);
  const auto after = loosened(before);
  for (auto _ : state) {
    const ecrlp::prepared_inventory prepared(images);
    auto d = ecrlp::diff(ecrlp::evaluate(before, prepared, {.now = ecrlp::bench::bench_now}),
                         ecrlp::evaluate(after, prepared, {.now = ecrlp::bench::bench_now}),
                         images);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(images.size()));
}
BENCHMARK(BM_diff_prepared)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
