// SPDX-License-Identifier: MIT
// libFuzzer target: parse_inventory on arbitrary bytes, then (when it is accepted) evaluate a fixed
// policy over it and render the preview in every format. Checks, beyond "no crash, no sanitizer
// report":
//  * value <=> no error; diagnostics have a code, a file, a place inside the input, a bounded
//    message; the same input gives the same diagnostics twice;
//  * an accepted inventory has non-empty, unique digests and non-empty tags.

#include <ecrlp/evaluate.hpp>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/render.hpp>

#include "fuzz_check.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view policy_text = R"({"rules": [
  {"rulePriority": 1, "selection": {"tagStatus": "tagged", "tagPatternList": ["prod*"],
   "countType": "imageCountMoreThan", "countNumber": 2}, "action": {"type": "expire"}},
  {"rulePriority": 2, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed",
   "countUnit": "days", "countNumber": 1}, "action": {"type": "expire"}},
  {"rulePriority": 3, "selection": {"tagStatus": "any", "countType": "sinceImagePulled",
   "countUnit": "days", "countNumber": 30}, "action": {"type": "transition",
   "targetStorageClass": "archive"}},
  {"rulePriority": 4, "selection": {"tagStatus": "any", "storageClass": "archive",
   "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 90},
   "action": {"type": "expire"}}]})";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using ecrlp::fuzz::require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto r = ecrlp::parse_inventory(text, "fuzz.json");
  require(r.value.has_value() == !ecrlp::has_errors(r.diagnostics), "value <=> no error");
  ecrlp::fuzz::check_diagnostics(r.diagnostics, "fuzz.json", size);
  ecrlp::fuzz::check_same(r.diagnostics, ecrlp::parse_inventory(text, "fuzz.json").diagnostics);
  if (!r.value) return 0;

  std::set<std::string_view> digests;
  for (const auto& img : r.value->images) {
    require(!img.digest.empty(), "an accepted image without a digest");
    require(digests.insert(img.digest).second, "an accepted duplicate digest", img.digest);
    for (const auto& t : img.tags) require(!t.empty(), "an accepted empty tag");
  }

  static const auto policy = ecrlp::parse_policy(policy_text, "policy.json");
  require(policy.ok(), "the fixed policy is valid");
  const auto now = ecrlp::timestamp{std::chrono::seconds{1'700'000'000}};
  const auto& images = r.value->images;
  const auto result = ecrlp::evaluate(policy.value->policy, images, {.now = now});
  require(result.decisions.size() == images.size(), "one decision per image");
  const ecrlp::preview_document doc{policy.value->policy, policy.value->text, images, result, now,
                                    "repo", "123456789012"};
  require(!ecrlp::render(doc, ecrlp::output_format::json).empty(), "json rendering");
  require(!ecrlp::render(doc, ecrlp::output_format::text, {.max_rows = 0}).empty(), "table rendering");
  require(!ecrlp::render(doc, ecrlp::output_format::csv).empty(), "csv rendering");
  return 0;
}
