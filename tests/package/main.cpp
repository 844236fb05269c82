// SPDX-License-Identifier: MIT
// Uses the installed ecrlp package: parses a policy, loads an inventory from a string, evaluates
// at a fixed instant and checks the result; also touches every compiled part of the library
// (timestamps, renderers, case files) so that a missing dependency fails to link or run.
// Exits 0 when everything matches, 1 (with a message) otherwise.

#include <ecrlp/evaluate.hpp>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/policy_case.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/testing.hpp>
#include <ecrlp/time.hpp>
#include <ecrlp/version.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view policy_json = R"({
  "rules": [
    {"rulePriority": 1, "description": "keep the newest production image",
     "selection": {"tagStatus": "tagged", "tagPatternList": ["prod-*"],
                   "countType": "imageCountMoreThan", "countNumber": 1},
     "action": {"type": "expire"}},
    {"rulePriority": 2, "description": "anything else after 30 days",
     "selection": {"tagStatus": "any", "countType": "sinceImagePushed",
                   "countUnit": "days", "countNumber": 30},
     "action": {"type": "expire"}}
  ]
})";

// `aws ecr describe-images` output (AWS CLI v2 timestamps, one with an offset).
constexpr std::string_view images_json = R"({"imageDetails": [
  {"imageDigest": "sha256:01", "imageTags": ["prod-2"], "imagePushedAt": "2026-11-01T00:00:00+00:00",
   "imageSizeInBytes": 100},
  {"imageDigest": "sha256:02", "imageTags": ["prod-1"], "imagePushedAt": "2026-10-01T02:00:00+02:00",
   "imageSizeInBytes": 200},
  {"imageDigest": "sha256:03", "imagePushedAt": "2026-11-20T00:00:00Z", "imageSizeInBytes": 300},
  {"imageDigest": "sha256:04", "imageTags": ["branch"], "imagePushedAt": "2026-09-01T00:00:00Z",
   "imageSizeInBytes": 400}
]})";

int failures = 0;

void check(bool ok, std::string_view what) {
  if (!ok) {
    std::cerr << "consumer: FAILED: " << what << "\n";
    ++failures;
  }
}

}  // namespace

int main() {
  const auto policy = ecrlp::parse_policy(policy_json, "policy.json");
  const auto inventory = ecrlp::parse_inventory(images_json, "images.json");
  std::cerr << ecrlp::render(ecrlp::diagnostics_document{policy.diagnostics}, ecrlp::output_format::text)
            << ecrlp::render(ecrlp::diagnostics_document{inventory.diagnostics}, ecrlp::output_format::text);
  if (!policy || !inventory) {
    std::cerr << "consumer: FAILED: the policy or the inventory did not parse\n";
    return EXIT_FAILURE;
  }
  const auto now = ecrlp::parse_timestamp("2026-11-28T00:00:00Z");
  check(now.has_value(), "parse_timestamp");
  if (!now) return EXIT_FAILURE;

  const auto& images = inventory.value->images;
  const auto result = ecrlp::evaluate(policy.value->policy, images, {.now = *now});
  // prod-2 newest production: kept; prod-1 past the count of 1: expired by rule 1;
  // the untagged image is 8 days old: kept by rule 2; the branch image is 88 days old: expired.
  check(images.size() == 4, "4 images loaded");
  if (images.size() != 4) return EXIT_FAILURE;
  check(result.decisions[0].action == ecrlp::fate::keep, "sha256:01 kept");
  check(result.decisions[1].applied_rule_priority() == 1, "sha256:02 expired by rule 1");
  check(result.decisions[2].action == ecrlp::fate::keep && result.decisions[2].owner == 2,
        "sha256:03 kept, owned by rule 2");
  check(result.decisions[3].applied_rule_priority() == 2, "sha256:04 expired by rule 2");
  check(result.expiring == 2, "2 images expire");
  check(ecrlp::summarize(images, result).expired.bytes == 600, "600 bytes freed");

  // The renderers (fmt and nlohmann inside the library).
  const ecrlp::preview_document doc{
      policy.value->policy, policy.value->text, images, result, *now, "", ""};
  check(ecrlp::render(doc, ecrlp::output_format::json).find("\"appliedRulePriority\"") != std::string::npos,
        "render_preview_json");

  // Policy unit tests in code, and from a case file.
  ecrlp::testing::repository_builder repo{*now};
  repo.image("old-branch").tags({"feature"}).age("31d");
  const auto run = ecrlp::testing::run(policy.value->policy, repo);
  check(static_cast<bool>(run.expect_expired("old-branch").by_rule(2)), "testing.hpp expectation");
  const auto cases = ecrlp::parse_case_file(R"({"policy": "policy.json",
      "now": "2026-11-28T00:00:00Z", "images": [{"name": "a", "age": "29d"}],
      "expect": [{"image": "a", "fate": "kept", "rule": 2}]})");
  check(cases.ok() && ecrlp::run_case(cases.value->cases.at(0), policy.value->policy).passed(),
        "case file");
  check(!ecrlp::parse_case_file("{").ok(), "a malformed case file gives diagnostics");

  if (failures != 0) return EXIT_FAILURE;
  std::cout << "consumer: ecrlp " << ecrlp::version_string << " from the installed package: ok\n";
  return EXIT_SUCCESS;
}
