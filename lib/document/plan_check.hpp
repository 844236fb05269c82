// SPDX-License-Identifier: MIT
#pragma once

// What every writer of a plan check (`ecrlp plan-check`) states the same way, as plain text: the
// change's title, the summary sentence, the verdict on each limit.

#include <string>
#include <vector>

#include <ecrlp/plan_check.hpp>

namespace ecrlp::detail {

/// "aws_ecr_lifecycle_policy.this: update of repository app" ("of an unnamed repository" when
/// the plan does not say which).
[[nodiscard]] std::string change_title(const policy_change_check& c);

/// "3 lifecycle-policy changes: 2 evaluated, 1 not; 4 policies unchanged. 12 images (1.2 GiB)
/// newly expire."
[[nodiscard]] std::string plan_check_summary(const plan_check_document& doc);

/// A percentage with one decimal: "25.0%".
[[nodiscard]] std::string percent_text(double percent);

/// One line per limit given: "--max-removed 10%: EXCEEDED by module.a (25.0% of 40 images)" or
/// "--max-removed 10%: within (at most 2.5%)"; likewise --max-removed-bytes.
[[nodiscard]] std::vector<std::string> limit_verdicts(const plan_check_document& doc);

}  // namespace ecrlp::detail
