// SPDX-License-Identifier: MIT
// Example 3: build a policy and a repository in code, evaluate, print each image's fate.
//
// Only headers are needed for this: the model, validate() and evaluate() use no JSON library.
// A tool with its own JSON stack (or its own AWS SDK calls) fills ecrlp::image values and calls
// evaluate() directly.

#include <ecrlp/evaluate.hpp>
#include <ecrlp/explain.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/time.hpp>
#include <ecrlp/validate.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

int main() {
  using std::chrono::days;
  using std::chrono::hours;
  const ecrlp::timestamp now{std::chrono::sys_days{std::chrono::year{2026} / 11 / 28}};

  // The policy: keep the 2 newest release images, expire untagged images after 7 days, and
  // everything else after 90 days.
  ecrlp::lifecycle_policy policy;
  const auto add_rule = [&](std::int64_t priority, std::string description,
                            ecrlp::tag_status status, std::vector<std::string> patterns,
                            ecrlp::count_type type, std::int64_t count) {
    ecrlp::rule r;
    r.priority = priority;
    r.description = std::move(description);
    r.selection.status = status;
    if (!patterns.empty()) r.selection.list_kind = ecrlp::tag_list_kind::pattern;
    r.selection.tag_list = std::move(patterns);
    r.selection.type = type;
    r.selection.count_number = count;  // images to keep, or days
    r.action.type = ecrlp::action_type::expire;
    r.source_index = policy.rules.size();  // for diagnostics' JSON pointers
    policy.rules.push_back(std::move(r));
  };
  add_rule(1, "keep the 2 newest releases", ecrlp::tag_status::tagged, {"v*.*.*"},
           ecrlp::count_type::image_count_more_than, 2);
  add_rule(2, "untagged after 7 days", ecrlp::tag_status::untagged, {},
           ecrlp::count_type::since_image_pushed, 7);
  add_rule(3, "anything else after 90 days", ecrlp::tag_status::any, {},
           ecrlp::count_type::since_image_pushed, 90);

  // Validate it as ECR would (diagnostics point at /rules/<source_index>/...).
  const auto problems = ecrlp::validate(policy);
  for (const auto& d : problems) std::cerr << d.pointer << ": " << d.message << "\n";
  if (ecrlp::has_errors(problems)) return EXIT_FAILURE;

  // The repository: plain values.
  const auto image = [&](std::string digest, std::vector<std::string> tags,
                         ecrlp::timestamp pushed) {
    ecrlp::image i;
    i.digest = std::move(digest);
    i.tags = std::move(tags);
    i.pushed_at = pushed;
    i.size_bytes = 100'000'000;
    return i;
  };
  std::vector<ecrlp::image> images;
  images.push_back(image("sha256:aaa1", {"v1.0.0"}, now - days{300}));
  images.push_back(image("sha256:aaa2", {"v1.1.0"}, now - days{200}));
  images.push_back(image("sha256:aaa3", {"v1.2.0", "latest"}, now - days{100}));
  images.push_back(image("sha256:bbb1", {}, now - days{8}));
  images.push_back(image("sha256:bbb2", {}, now - hours{20}));
  images.push_back(image("sha256:ccc1", {"feature-x"}, now - days{91}));
  images.push_back(image("sha256:ccc2", {"feature-y"}, now - days{30}));
  images.back().last_pulled_at = now - hours{2};

  const auto result = ecrlp::evaluate(policy, images, {.now = now});
  const ecrlp::explainer why(policy, images, now);

  std::cout << "at " << ecrlp::format_timestamp(now) << ":\n";
  for (const std::size_t i : result.order) {  // oldest first
    const auto& img = images[i];
    const auto& decision = result.decisions[i];
    std::cout << "  " << img.digest << " " << (img.tags.empty() ? "<untagged>" : img.tags.front())
              << ": " << ecrlp::to_string(decision.action);
    if (decision.owner) {
      std::cout << " (owner: rule " << *decision.owner << ")";
      const auto facts = why.explain(i);
      if (const auto* owner = facts.owner_rule(); owner != nullptr && owner->limit) {
        const auto& limit = *owner->limit;
        if (limit.type == ecrlp::count_type::image_count_more_than) {
          std::cout << ", number " << limit.rank << " of " << limit.identified << ", keeps "
                    << limit.limit;
        } else {
          std::cout << ", " << static_cast<long long>(limit.age_days()) << " days old, limit "
                    << limit.limit;
        }
      }
    } else {
      std::cout << " (no rule selects it)";
    }
    std::cout << "\n";
  }
  std::cout << result.expiring << " of " << images.size() << " images expire\n";
  return EXIT_SUCCESS;
}
