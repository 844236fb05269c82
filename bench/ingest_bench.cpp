// SPDX-License-Identifier: MIT
//
// Ingest of describe-images pages of 10k, 100k and 1M images (describe_images_json: the AWS CLI's
// layout and field mix, mixed timestamp spellings, fixed seed), into an ecrlp::inventory.
//
//   BM_ingest_parse  parse_inventory(text): from a string in memory (copied into a padded buffer
//                    on each call, as the string API must).
//   BM_ingest_file   load_inventory({file}): from a file, as the CLI reads it (mapped).
//
// Counters: items_per_second = images per second, bytes_per_second = JSON bytes per second.

#include <ecrlp/inventory_parser.hpp>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <unistd.h>

#include "synthetic_inventory.hpp"

namespace {

const std::string& page_text(std::size_t n) {
  static std::map<std::size_t, std::string> cache;
  auto& slot = cache[n];
  if (slot.empty()) slot = ecrlp::bench::describe_images_json(n);
  return slot;
}

/// The page written to a temporary file, removed at exit.
const std::filesystem::path& page_file(std::size_t n) {
  struct temp_file {
    std::filesystem::path path;
    ~temp_file() {
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
  };
  static std::map<std::size_t, temp_file> cache;
  auto& slot = cache[n];
  if (slot.path.empty()) {
    slot.path = std::filesystem::temp_directory_path() /
                ("ecrlp-bench-" + std::to_string(::getpid()) + "-" + std::to_string(n) + ".json");
    std::ofstream(slot.path, std::ios::binary) << page_text(n);
  }
  return slot.path;
}

void BM_ingest_parse(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const std::string& text = page_text(n);
  for (auto _ : state) {
    auto inv = ecrlp::parse_inventory(text);
    if (!inv.ok()) state.SkipWithError("the synthetic page did not parse");
    benchmark::DoNotOptimize(inv);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_ingest_parse)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);

void BM_ingest_file(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& file = page_file(n);
  const auto bytes = static_cast<std::int64_t>(std::filesystem::file_size(file));
  for (auto _ : state) {
    auto inv = ecrlp::load_inventory(std::span(&file, 1));
    if (!inv.ok()) state.SkipWithError("the synthetic page did not load");
    benchmark::DoNotOptimize(inv);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
  state.SetBytesProcessed(state.iterations() * bytes);
}
BENCHMARK(BM_ingest_file)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
