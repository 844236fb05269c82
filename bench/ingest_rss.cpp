// SPDX-License-Identifier: MIT
//
// bench/ingest_rss: loads describe-images files with load_inventory and prints, on one line, the
// images loaded, wall and CPU time, and the process's peak RSS (bench/memory.sh runs it).
//
//   ingest_rss [--whole | --window BYTES] FILE...
//     (default)       load_inventory, as the CLI reads its --images files (windowed parsing for
//                     pages above the threshold, docs/performance.md)
//     --whole         every page parsed whole, in one simdjson pass (the path before windows),
//                     so that both can be compared in one run
//     --window BYTES  windows of BYTES bytes whatever the page's size

#include <ecrlp/inventory_parser.hpp>

#include "read/inventory/hooks.hpp"  // lib/: load_inventory_windowed

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> files;
  enum class how { cli, whole, window } mode = how::cli;
  std::size_t window = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--whole") {
      mode = how::whole;
    } else if (a == "--window" && i + 1 < argc) {
      mode = how::window;
      window = std::strtoull(argv[++i], nullptr, 10);
    } else {
      files.emplace_back(a);
    }
  }
  if (files.empty()) {
    std::fprintf(stderr, "usage: ingest_rss [--whole | --window BYTES] FILE...\n");
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  std::size_t windows = 0;
  std::size_t fallbacks = 0;
  const auto result =
      mode == how::cli ? ecrlp::load_inventory(files)
                       : ecrlp::detail::load_inventory_windowed(
                             files, mode == how::whole ? 0 : window, windows, fallbacks);
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
  rusage usage{};
  (void)getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  if (!result.ok()) {
    std::fprintf(stderr, "ingest_rss: the files did not load (%zu diagnostics)\n",
                 result.diagnostics.size());
    return 1;
  }
  // A checksum of what was loaded, to check that both paths load the same images.
  std::uint64_t sum = 1469598103934665603ULL;
  const auto mix = [&](std::string_view s) {
    for (const char c : s) sum = (sum ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    sum = (sum ^ 0xFFU) * 1099511628211ULL;
  };
  for (const auto& i : result.value->images) {
    mix(i.digest);
    for (const auto& t : i.tags) mix(t);
    mix(std::to_string(i.pushed_at.time_since_epoch().count()));
    mix(std::to_string(i.last_pulled_at ? i.last_pulled_at->time_since_epoch().count() : -1));
    mix(std::to_string(i.size_bytes));
  }
  std::printf("images %zu wall %.3f cpu %.3f rss_mib %.1f windows %zu fallbacks %zu checksum %016llx\n",
              result.value->images.size(), wall.count(),
              seconds(usage.ru_utime) + seconds(usage.ru_stime),
              static_cast<double>(usage.ru_maxrss) / 1024.0, windows, fallbacks,
              static_cast<unsigned long long>(sum));
  return 0;
}
