// SPDX-License-Identifier: MIT
//
// One lifecycle-policy change of a pull request, evaluated (`ecrlp plan-check`; docs/iac.md).

#include <ecrlp/plan_check.hpp>

#include <algorithm>
#include <utility>

namespace ecrlp {

policy_change_check check_policy_change(policy_change change, const change_images& images,
                                        const plan_check_options& options) {
  policy_change_check c;
  c.change = std::move(change);
  if (!c.change.skipped.empty()) return c;
  c.evaluated = true;
  c.images = images.images;
  c.indexes = images.indexes;
  c.diff = diff(c.before_policy(), c.after_policy(), images.images,
                {.now = options.now,
                 .indexes = images.indexes,
                 .independent_images = options.independent_images});
  if (options.in_use.empty()) return c;
  const auto matches = match_in_use(options.in_use, images.repository, images.registry_id,
                                    images.images, images.indexes);
  c.violations = find_violations(matches, c.diff.after);
  const auto before = find_violations(matches, c.diff.before);
  c.already.reserve(c.violations.size());
  for (const auto& v : c.violations) {
    c.already.push_back(std::any_of(before.begin(), before.end(), [&](const in_use_violation& b) {
      return b.image_index == v.image_index;
    }));
  }
  return c;
}

}  // namespace ecrlp
