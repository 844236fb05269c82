// SPDX-License-Identifier: MIT
//
// What callers do with found policies: parse one with its diagnostics placed in the source file,
// pick one by address, collect every diagnostic; and the small helpers the readers share.

#include <ecrlp/iac.hpp>

#include "read/iac/iac_read.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecrlp {

namespace detail::iac {

found_policy new_policy(const source_file& src, std::string address, std::string name) {
  found_policy p;
  p.address = std::move(address);
  p.name = std::move(name);
  p.file = src.name();
  return p;
}

void set_text(found_policy& p, const source_file& src, const json_value& node) {
  p.text = node.text;
  p.position = src.position(node.byte);
  p.spans = src.spans_of(node);
}

std::string describe(const json_value& v, bool yaml) {
  // As the other readers name a value's type (kind_phrase), but a boolean by its value and YAML's
  // collections by YAML's words.
  if (v.kind == json_kind::boolean) return v.boolean ? "true" : "false";
  if (yaml && v.kind == json_kind::array) return "a sequence";
  if (yaml && v.kind == json_kind::object) return "a mapping";
  return kind_phrase(v);
}

}  // namespace detail::iac

namespace {

/// An `iac.not_policy` error when `found.text` is an AWS response (`{"lifecyclePolicyText":
/// "..."}`) rather than a policy: parse_policy() would read the policy inside it, but ECR,
/// handed this text by Terraform or CloudFormation, refuses it.
[[nodiscard]] std::optional<diagnostic> aws_response_text(const found_policy& found) {
  if (found.text.find("lifecyclePolicyText") == std::string::npos) return std::nullopt;
  const auto read = detail::read_json(found.text);
  if (!read.root || read.root->kind != detail::json_kind::object ||
      read.root->find("rules") != nullptr ||
      detail::iac::string_of(read.root->find("lifecyclePolicyText")) == nullptr) {
    return std::nullopt;
  }
  diagnostic d;
  d.code = "iac.not_policy";
  d.message = "the policy of " + detail::iac::quote(found.address, 200) +
              " is an `aws ecr get-lifecycle-policy` response, not a policy document; ECR "
              "expects {\"rules\": [...]} here";
  d.file = found.file;
  d.byte = found.position.byte;
  d.line = found.position.line;
  d.column = found.position.column;
  return d;
}

void append(std::vector<diagnostic>& to, const std::vector<diagnostic>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

}  // namespace

parse_result<parsed_policy> parse_found_policy(const found_policy& found) {
  if (!found.evaluable()) {
    parse_result<parsed_policy> result;
    result.diagnostics = found.diagnostics;
    return result;
  }
  if (found.spans.empty()) return parse_policy(found.text, found.file);
  if (auto d = aws_response_text(found)) {
    parse_result<parsed_policy> result;
    result.diagnostics.push_back(std::move(*d));
    return result;
  }
  parse_result<parsed_policy> result = parse_policy(found.text, found.file);
  for (auto& d : result.diagnostics) {
    const source_position at = locate_in_source(found, d.byte);
    d.byte = at.byte;
    d.line = at.line;
    d.column = at.column;
    d.address = found.address;
  }
  if (!found.diagnostics.empty()) {  // warnings and notes of the source come first
    result.diagnostics.insert(result.diagnostics.begin(), found.diagnostics.begin(),
                              found.diagnostics.end());
  }
  return result;
}

std::vector<const found_policy*> find_policies(const policy_document& doc,
                                               std::string_view selector) {
  std::vector<const found_policy*> out;
  for (const auto& p : doc.policies) {
    if (p.address == selector || p.name == selector) out.push_back(&p);
  }
  return out;
}

std::vector<diagnostic> all_diagnostics(const parse_result<policy_document>& result) {
  std::vector<diagnostic> out = result.diagnostics;
  if (!result.value) return out;
  // A plan's policies are the after sides of its changes: each is listed once.
  for (const auto& p : result.value->policies) append(out, p.diagnostics);
  for (const auto& c : result.value->changes) {
    append(out, c.diagnostics);
    if (c.before) append(out, c.before->diagnostics);
  }
  return out;
}

}  // namespace ecrlp
