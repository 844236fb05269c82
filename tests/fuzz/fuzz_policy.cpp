// SPDX-License-Identifier: MIT
// libFuzzer target: parse_policy on arbitrary bytes, then (when the policy is valid) evaluate it
// over a small fixed repository. Checks, beyond "no crash, no sanitizer report":
//  * value <=> no error; every error has a code, a position inside the input and a bounded message;
//  * the same input parses to the same diagnostics twice;
//  * a policy parse_policy accepts passes validate() too (model and parser agree).

#include <ecrlp/evaluate.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/validate.hpp>

#include "fuzz_check.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace {

using namespace std::chrono;

std::vector<ecrlp::image> fixed_images() {
  std::vector<ecrlp::image> images;
  const char* tags[][3] = {{"prod-1", "latest", ""},  {"", "", ""},         {"beta", "prod-2", ""},
                           {"release-1.0", "", ""},    {"a*b", "x", "prod"}, {"", "", ""}};
  std::int64_t day = 0;
  for (const auto& t : tags) {
    ecrlp::image img;
    img.digest = "sha256:" + std::to_string(1000 + day);
    for (const char* tag : t) {
      if (*tag != '\0') img.tags.emplace_back(tag);
    }
    img.pushed_at = ecrlp::timestamp{seconds{1'600'000'000 + day * 86'400 * 40}};
    if (day % 2 == 1) img.last_pulled_at = img.pushed_at + hours{24 * 10};
    if (day == 4) {
      img.status = ecrlp::image_status::archived;
      img.last_archived_at = img.pushed_at + hours{24 * 100};
    }
    img.size_bytes = static_cast<std::uint64_t>(day) * 1000;
    images.push_back(std::move(img));
    ++day;
  }
  return images;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using ecrlp::fuzz::require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto r = ecrlp::parse_policy(text, "fuzz.json");
  require(r.value.has_value() == !ecrlp::has_errors(r.diagnostics), "value <=> no error");
  ecrlp::fuzz::check_diagnostics(r.diagnostics, "fuzz.json", size);
  for (const auto& d : r.diagnostics) {
    require(d.line != 0, "a policy diagnostic without a position", d.code);
  }
  ecrlp::fuzz::check_same(r.diagnostics, ecrlp::parse_policy(text, "fuzz.json").diagnostics);
  if (!r.value) return 0;

  require(!ecrlp::has_errors(ecrlp::validate(r.value->policy)),
          "parse_policy accepted a policy that validate() rejects");
  static const std::vector<ecrlp::image> images = fixed_images();
  const auto now = ecrlp::timestamp{seconds{1'600'000'000 + 86'400 * 365}};
  const auto result = ecrlp::evaluate(r.value->policy, images, {.now = now});
  require(result.decisions.size() == images.size(), "one decision per image");
  return 0;
}
