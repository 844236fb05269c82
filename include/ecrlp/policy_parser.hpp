// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/policy.hpp>

namespace ecrlp {

/// A policy as read from a document, with where it came from.
struct parsed_policy {
  lifecycle_policy policy;
  /// The policy text itself: the whole document, or the `lifecyclePolicyText` string of an AWS
  /// response. Its length is what ECR's 100..30,720-character limit applies to.
  std::string text;
  /// True when the document was an `aws ecr get-lifecycle-policy` / `get-lifecycle-policy-preview`
  /// response and the policy was taken from its `lifecyclePolicyText`.
  bool from_aws_response = false;
  std::string repository_name;  ///< from the AWS response, when present
  std::string registry_id;      ///< from the AWS response, when present
};

/// Parses and fully validates a policy document (spec sections 1.5-1.6 and ecrlp decision 6).
///
/// Accepts a raw policy (`{"rules": [...]}`) or an AWS response carrying `lifecyclePolicyText`,
/// detected automatically. Every problem is collected in one pass; each diagnostic has a stable
/// code and an RFC 6901 pointer into the policy text. JSON syntax errors carry line and column.
/// `value` is set only when there is no error. Never throws except std::bad_alloc.
[[nodiscard]] parse_result<parsed_policy> parse_policy(std::string_view document,
                                                       std::string_view source_name = "<string>");

/// Reads `path` and parses it as parse_policy() does. A file that cannot be read gives the
/// diagnostic code `io.read` (and `io.too_large` past 16 MiB). `-` reads standard input, named
/// `<stdin>` in diagnostics.
[[nodiscard]] parse_result<parsed_policy> load_policy(const std::filesystem::path& path);

}  // namespace ecrlp
