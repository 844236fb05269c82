// SPDX-License-Identifier: MIT
#include <ecrlp/evaluate.hpp>

#include <benchmark/benchmark.h>

#include "synthetic_inventory.hpp"

namespace {

// state.range(0): images; state.range(1): rules.
void BM_evaluate(benchmark::State& state) {
  const auto images = ecrlp::bench::synthetic_images(static_cast<std::size_t>(state.range(0)));
  const auto policy = ecrlp::bench::synthetic_policy(static_cast<std::size_t>(state.range(1)));
  for (auto _ : state) {
    auto result = ecrlp::evaluate(policy, images, {.now = ecrlp::bench::bench_now});
    benchmark::DoNotOptimize(result);
  }
  const auto evaluations = state.range(0) * static_cast<std::int64_t>(policy.rules.size());
  state.SetItemsProcessed(state.iterations() * evaluations);
  state.counters["image_rules_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * evaluations), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_evaluate)
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {1, 10, 50}})
    ->Unit(benchmark::kMillisecond);

}  // namespace
