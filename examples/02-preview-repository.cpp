// SPDX-License-Identifier: MIT
// Example 2: preview what a policy would do to a repository at a given instant.
//
//   02-preview-repository POLICY.json IMAGES.json [IMAGES-PAGE-2.json ...] --now
//   2026-11-28T00:00:00Z
//
// IMAGES files are `aws ecr describe-images` output. The library never reads the clock: the
// instant is always an argument. Exit status: 0 done, 1 invalid input, 2 usage.

#include <ecrlp/evaluate.hpp>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/time.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
  std::vector<std::filesystem::path> files;
  std::optional<ecrlp::timestamp> now;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--now" && i + 1 < argc) {
      now = ecrlp::parse_timestamp(argv[++i]);
      if (!now) {
        std::cerr << "--now: not a time: " << argv[i] << "\n";
        return 2;
      }
    } else {
      files.emplace_back(arg);
    }
  }
  if (files.size() < 2 || !now) {
    std::cerr << "usage: 02-preview-repository POLICY.json IMAGES.json... --now TIME\n";
    return 2;
  }

  const auto policy = ecrlp::load_policy(files.front());
  const std::span<const std::filesystem::path> pages(files.begin() + 1, files.end());
  const auto inventory = ecrlp::load_inventory(pages);
  std::cerr << ecrlp::render(ecrlp::diagnostics_document{policy.diagnostics}, ecrlp::output_format::text)
            << ecrlp::render(ecrlp::diagnostics_document{inventory.diagnostics}, ecrlp::output_format::text);
  if (!policy || !inventory) return EXIT_FAILURE;

  const auto& rules = policy.value->policy;
  const auto& images = inventory.value->images;
  const ecrlp::evaluation_result result = ecrlp::evaluate(rules, images, {.now = *now});

  // Per-rule totals, in priority order.
  std::cout << "at " << ecrlp::format_timestamp(*now) << ", over " << images.size() << " images:\n";
  for (const auto& r : result.rules) {
    std::cout << "  rule " << r.priority << ": owns " << r.owned << ", acts on " << r.acted << " ("
              << r.acted_bytes / 1'000'000 << " MB)\n";
  }

  // Per-image decisions, oldest first; show the five newest images that expire.
  std::vector<std::size_t> expiring;
  for (const std::size_t i : result.order) {
    if (result.decisions[i].action == ecrlp::fate::expire) expiring.push_back(i);
  }
  std::cout << "newest images that expire:\n";
  for (std::size_t k = expiring.size() > 5 ? expiring.size() - 5 : 0; k < expiring.size(); ++k) {
    const auto& img = images[expiring[k]];
    std::cout << "  " << img.digest.substr(0, 19) << " pushed "
              << ecrlp::format_timestamp(img.pushed_at) << " by rule "
              << *result.decisions[expiring[k]].applied_rule_priority() << "\n";
  }

  // Before/after totals (report.hpp, header-only).
  const ecrlp::preview_totals t = ecrlp::summarize(images, result);
  const auto gib = [](std::uint64_t bytes) { return (bytes + (1ULL << 29)) >> 30; };  // rounded
  std::cout << result.expiring << " expire, " << result.transitioning << " transition, "
            << t.kept.images << " kept: " << gib(t.before.bytes) << " GiB -> " << gib(t.after.bytes)
            << " GiB, findings " << t.before.findings.total() << " -> " << t.after.findings.total()
            << "\n";
  for (const auto& w : result.warnings) std::cerr << "warning: " << w.message << "\n";
  return EXIT_SUCCESS;
}
