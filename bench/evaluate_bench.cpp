// SPDX-License-Identifier: MIT
//
// The evaluation core on in-memory inventories (synthetic_inventory.hpp, fixed seed).
//
//   BM_evaluate           evaluate(policy, images, {.now}): everything, as `ecrlp preview` does it
//                         (sort, per-image arrays, then the rules).
//   BM_evaluate_prepared  evaluate(policy, prepared, {.now}) on a prepared_inventory built once
//                         outside the timing: what each further evaluation of the same images
//                         costs (ecrlp diff evaluates two policies, simulations many).
//   BM_prepare            prepared_inventory(images) alone.
//
// Counters: items_per_second = images per second; image_rules_per_s = images x rules per second.
// state.range(0): images; state.range(1): rules (1, 10 or 50).

#include <ecrlp/evaluate.hpp>

#include <benchmark/benchmark.h>

#include "synthetic_inventory.hpp"

namespace {

void set_counters(benchmark::State& state, std::size_t images, std::size_t rules) {
  const auto evaluations = static_cast<double>(images * rules);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(images));
  state.counters["image_rules_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * evaluations, benchmark::Counter::kIsRate);
}

void BM_evaluate(benchmark::State& state) {
  const auto& images = ecrlp::bench::cached_images(static_cast<std::size_t>(state.range(0)));
  const auto policy = ecrlp::bench::synthetic_policy(static_cast<std::size_t>(state.range(1)));
  for (auto _ : state) {
    auto result = ecrlp::evaluate(policy, images, {.now = ecrlp::bench::bench_now});
    benchmark::DoNotOptimize(result);
  }
  set_counters(state, images.size(), policy.rules.size());
}
BENCHMARK(BM_evaluate)
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {1, 10, 50}})
    ->Unit(benchmark::kMillisecond);

void BM_evaluate_prepared(benchmark::State& state) {
  const auto& images = ecrlp::bench::cached_images(static_cast<std::size_t>(state.range(0)));
  const auto policy = ecrlp::bench::synthetic_policy(static_cast<std::size_t>(state.range(1)));
  const ecrlp::prepared_inventory prepared(images);
  for (auto _ : state) {
    auto result = ecrlp::evaluate(policy, prepared, {.now = ecrlp::bench::bench_now});
    benchmark::DoNotOptimize(result);
  }
  set_counters(state, images.size(), policy.rules.size());
}
BENCHMARK(BM_evaluate_prepared)
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {1, 10, 50}})
    ->Unit(benchmark::kMillisecond);

void BM_prepare(benchmark::State& state) {
  const auto& images = ecrlp::bench::cached_images(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    ecrlp::prepared_inventory prepared(images);
    benchmark::DoNotOptimize(prepared);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(images.size()));
}
BENCHMARK(BM_prepare)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
