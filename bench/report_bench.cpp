// SPDX-License-Identifier: MIT
//
// Rendering a preview of 100k images (synthetic_inventory.hpp, 10-rule policy), as
// `ecrlp preview --format json|csv` does after evaluating. Counters: items_per_second = images,
// bytes_per_second = bytes of output.

#include <ecrlp/evaluate.hpp>
#include <ecrlp/render.hpp>

#include <benchmark/benchmark.h>

#include <string>

#include "synthetic_inventory.hpp"

namespace {

template <std::string (*Render)(const ecrlp::preview_document&)>
void render(benchmark::State& state) {
  const auto& images = ecrlp::bench::cached_images(static_cast<std::size_t>(state.range(0)));
  const auto policy = ecrlp::bench::synthetic_policy(10);
  const auto result = ecrlp::evaluate(policy, images, {.now = ecrlp::bench::bench_now});
  const ecrlp::preview_document doc{policy, "{}", images, result, ecrlp::bench::bench_now,
                                    "payments-api", "123456789012"};
  std::size_t bytes = 0;
  for (auto _ : state) {
    const std::string out = Render(doc);
    bytes = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(images.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}

std::string render_json(const ecrlp::preview_document& doc) {
  return ecrlp::render(doc, ecrlp::output_format::json);
}
std::string render_csv(const ecrlp::preview_document& doc) {
  return ecrlp::render(doc, ecrlp::output_format::csv);
}

void BM_render_preview_json(benchmark::State& state) { render<render_json>(state); }
BENCHMARK(BM_render_preview_json)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_render_preview_csv(benchmark::State& state) { render<render_csv>(state); }
BENCHMARK(BM_render_preview_csv)->Arg(100'000)->Unit(benchmark::kMillisecond);

}  // namespace
