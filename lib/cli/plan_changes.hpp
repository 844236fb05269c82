// SPDX-License-Identifier: MIT
#pragma once

// The lifecycle-policy changes `ecrlp plan-check` checks: those of a Terraform plan, or those
// between two revisions of infrastructure code (two CloudFormation templates, two cdk.out
// directories), each with its policies parsed.

#include <ecrlp/iac.hpp>
#include <ecrlp/plan_check.hpp>
#include <ecrlp/policy_parser.hpp>

#include <deque>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "options.hpp"

namespace ecrlp::cli {

/// The changes, and the policies they point to.
struct plan_changes {
  std::vector<policy_change> changes;  ///< in the plan's order; the policies point into `policies`
  std::deque<parsed_policy> policies;  ///< stable addresses
  std::size_t unchanged = 0;           ///< lifecycle policies left as they are
  std::string source;                  ///< how reports name where they come from
};

/// The changes of the Terraform plan at `path` (`terraform show -json PLAN`), diagnostics printed
/// to `err` and `status` raised. A change whose policy cannot be known or is invalid is kept with
/// the reason in policy_change::skipped (and `status` at least exit_invalid). nullopt when the
/// file cannot be read or is no Terraform plan (a usage error that says what to give instead).
[[nodiscard]] std::optional<plan_changes> read_plan_changes(const std::string& path,
                                                            policy_source_format format,
                                                            std::ostream& err, int& status);

/// The changes from the policies of `before` to those of `after` (any infrastructure code that
/// holds policies), matched by their address inside the file (the CloudFormation logical id, the
/// Terraform address): only in `after` is a create, only in `before` a delete, a different text
/// an update; the same text is unchanged.
[[nodiscard]] std::optional<plan_changes> read_revision_changes(const std::string& before,
                                                                const std::string& after,
                                                                policy_source_format format,
                                                                std::ostream& err, int& status);

}  // namespace ecrlp::cli
