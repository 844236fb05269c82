// SPDX-License-Identifier: MIT
#pragma once

// `--policy FILE[#ADDRESS]` and the POLICY arguments: a policy file of its own, or the lifecycle
// policies of infrastructure code (a Terraform plan or state, a CloudFormation template, a
// cdk.out directory; docs/iac.md), one of them picked by its address.

#include <ecrlp/iac.hpp>
#include <ecrlp/policy_parser.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "options.hpp"

namespace ecrlp::cli {

/// `--policy-format auto|policy|aws|terraform-plan|terraform-state|cloudformation`.
inline constexpr std::string_view policy_formats[] = {
    "auto", "policy", "aws", "terraform-plan", "terraform-state", "cloudformation"};
inline constexpr option_def policy_format_option = {
    "policy-format", "FORMAT", value_type::choice,
    "What the policy files are (default auto: detected from their content):\n"
    "policy, aws (get-lifecycle-policy output), terraform-plan (terraform show\n"
    "-json PLAN), terraform-state, cloudformation (a template, JSON or YAML; or a\n"
    "cdk.out directory).",
    false, policy_formats};

/// A policy argument: the file (or directory), and the ADDRESS after '#' when one is given.
struct policy_reference {
  std::string file;
  std::string address;  ///< "" when none
};

/// Splits `FILE#ADDRESS`: the whole argument when it names an existing path (a file name may
/// hold '#'), else at the first '#'.
[[nodiscard]] policy_reference split_policy_reference(std::string_view arg);

/// One policy read from a policy argument.
struct sourced_policy {
  std::string label;       ///< how reports name it: the file, or FILE#ADDRESS
  std::string address;     ///< its address in infrastructure code, "" for a policy file
  std::string repository;  ///< the repository the source names literally, else ""
  parsed_policy policy;
};

/// The --policy-format of `cl` (automatic when absent).
[[nodiscard]] policy_source_format policy_format_of(const command_line& cl);

/// Every policy `arg` names, printing diagnostics to `err` and raising `status`: a policy file's
/// one policy; with an ADDRESS, that policy of infrastructure code; without, each of them (one
/// that cannot be known before deployment, or is invalid, is reported and left out). nullopt
/// when the file cannot be read or an ADDRESS names nothing (the addresses are listed).
[[nodiscard]] std::optional<std::vector<sourced_policy>> load_policies_reporting(
    std::string_view arg, policy_source_format format, std::ostream& err, int& status);

/// The one policy `arg` names, for a command that evaluates one: as load_policies_reporting();
/// a file of several policies without an ADDRESS is a usage error that lists them (`status` =
/// exit_usage).
[[nodiscard]] std::optional<sourced_policy> load_one_policy_reporting(std::string_view arg,
                                                                      policy_source_format format,
                                                                      std::string_view command,
                                                                      std::ostream& err,
                                                                      int& status);

}  // namespace ecrlp::cli
