// SPDX-License-Identifier: MIT
//
// CloudFormation templates (JSON, YAML, `cdk synth` output): every `Resources.<LogicalId>` of
// type AWS::ECR::Repository with `Properties.LifecyclePolicy.LifecyclePolicyText`.
//
// A literal string is the policy text. A value an intrinsic function builds (`Fn::Sub`, `!Sub`,
// `Fn::Join`, `Ref`, `Fn::If`, ... and any unknown `!Tag`) is known only when CloudFormation
// deploys the stack: the policy gets an `iac.intrinsic` error naming the function, never a guess.
// One exception, exact by CloudFormation's definition: `Fn::Sub` of a string without `${` is that
// string. The template is not validated beyond what finding the policies needs.

#include "read/iac/iac_read.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecrlp::detail::iac {
namespace {

constexpr std::string_view repository_type = "AWS::ECR::Repository";

/// The name of the intrinsic function `v` is (`Fn::Join`, `Ref`, `Condition`, `!Sub`, ...): an
/// object with one member so named. nullopt for anything else.
[[nodiscard]] std::optional<std::string> intrinsic_name(const json_value& v) {
  if (v.kind != json_kind::object || v.members.size() != 1) return std::nullopt;
  const std::string& key = v.members.front().key;
  if (key == "Ref" || key == "Condition" || key.starts_with("Fn::") || key.starts_with("!")) {
    return key;
  }
  return std::nullopt;
}

/// The string of `Fn::Sub` / `!Sub` that has no `${` (CloudFormation returns it unchanged), in
/// either form (`"text"`, `["text", {...}]`); nullptr otherwise.
[[nodiscard]] const json_value* plain_sub(const json_value& v, const std::string& function) {
  if (function != "Fn::Sub" && function != "!Sub") return nullptr;
  const json_value* arg = &v.members.front().value;
  if (arg->kind == json_kind::array && !arg->items.empty()) arg = &arg->items.front();
  if (arg->kind != json_kind::string || arg->text.find("${") != std::string::npos) return nullptr;
  return arg;
}

class template_reader {
 public:
  template_reader(const source_file& src, policy_document& doc, std::vector<diagnostic>& errors)
      : src_(src), doc_(doc), errors_(errors) {}

  void read(const json_value& root) {
    if (root.kind != json_kind::object) {
      error(
          "",
          "a CloudFormation template is a mapping of sections, not " + describe(root, src_.yaml()),
          root.byte);
      return;
    }
    const json_value* resources = root.find("Resources");
    if (resources == nullptr) {
      error("", "the template has no Resources section", root.byte);
      return;
    }
    if (resources->kind != json_kind::object) {
      error("/Resources",
            "Resources must be a mapping of logical ids to resources, not " +
                describe(*resources, src_.yaml()),
            resources->byte);
      return;
    }
    for (const auto& m : resources->members) {
      if (too_many_errors(errors_)) return;
      read_resource(m.key, m.value, pointer_append("/Resources", m.key));
    }
  }

 private:
  void read_resource(const std::string& id, const json_value& res, const std::string& pointer) {
    if (res.kind != json_kind::object) {
      error(pointer,
            "resource " + quote(id) + " must be a mapping, not " + describe(res, src_.yaml()),
            res.byte);
      return;
    }
    if (res.members.empty()) return;  // dropped while reading: not a repository
    const json_value* type = res.find("Type");
    if (type == nullptr || type->kind != json_kind::string) {
      error(type == nullptr ? pointer : pointer_append(pointer, "Type"),
            "resource " + quote(id) + " has no Type string",
            type == nullptr ? res.byte : type->byte);
      return;
    }
    if (type->text != repository_type) return;

    found_policy p = new_policy(src_, src_.name() + "#" + id, id);
    p.position = src_.position(res.byte);
    if (const json_value* meta = res.find("Metadata")) {
      if (const std::string* path = string_of(meta->find("aws:cdk:path"))) p.construct_path = *path;
    }
    const json_value* props = res.find("Properties");
    if (props == nullptr) return;  // a repository without a lifecycle policy
    const std::string props_pointer = pointer_append(pointer, "Properties");
    if (!expect_mapping(p, *props, props_pointer, "the Properties of " + quote(id))) {
      doc_.policies.push_back(std::move(p));
      return;
    }
    if (const std::string* name = string_of(props->find("RepositoryName"))) p.repository = *name;
    const json_value* lifecycle = props->find("LifecyclePolicy");
    if (lifecycle == nullptr) return;
    const std::string lifecycle_pointer = pointer_append(props_pointer, "LifecyclePolicy");
    if (!expect_mapping(p, *lifecycle, lifecycle_pointer, "the LifecyclePolicy of " + quote(id))) {
      doc_.policies.push_back(std::move(p));
      return;
    }
    const json_value* text = lifecycle->find("LifecyclePolicyText");
    if (text == nullptr) return;  // a LifecyclePolicy with a RegistryId only
    read_text(p, *text, pointer_append(lifecycle_pointer, "LifecyclePolicyText"), id);
    doc_.policies.push_back(std::move(p));
  }

  /// True when `v` is a mapping; else records on `p` why it cannot be read.
  bool expect_mapping(found_policy& p, const json_value& v, const std::string& pointer,
                      const std::string& what) {
    if (const auto function = intrinsic_name(v)) {
      p.diagnostics.push_back(intrinsic(*function, pointer, what, v.byte));
      return false;
    }
    if (v.kind == json_kind::object) return true;
    p.diagnostics.push_back(src_.make(severity::error, "iac.wrong_type", pointer,
                                      what + " must be a mapping, not " + describe(v, src_.yaml()),
                                      v.byte));
    return false;
  }

  void read_text(found_policy& p, const json_value& v, const std::string& pointer,
                 const std::string& id) {
    const std::string what = "LifecyclePolicyText of " + quote(id);
    if (v.kind == json_kind::string) {
      set_text(p, src_, v);
      return;
    }
    if (const auto function = intrinsic_name(v)) {
      if (const json_value* literal = plain_sub(v, *function)) {
        set_text(p, src_, *literal);
        return;
      }
      p.diagnostics.push_back(intrinsic(*function, pointer, what, v.byte));
      return;
    }
    p.diagnostics.push_back(src_.make(
        severity::error, "iac.wrong_type", pointer,
        what + " must be a string holding the policy JSON, not " + describe(v, src_.yaml()) +
            " (CloudFormation's LifecyclePolicyText is a String; it does not turn a mapping "
            "into JSON)",
        v.byte));
  }

  [[nodiscard]] diagnostic intrinsic(const std::string& function, const std::string& pointer,
                                     const std::string& what, std::size_t byte) const {
    return src_.make(severity::error, "iac.intrinsic", pointer,
                     what + " is built by " + quote(function) +
                         " when CloudFormation deploys the stack; ecrlp cannot evaluate it "
                         "(write the policy as a literal string to check it here)",
                     byte);
  }

  void error(std::string pointer, std::string message, std::size_t byte) {
    add_wrong_type(errors_, src_, std::move(pointer), std::move(message), byte);
  }

  const source_file& src_;
  policy_document& doc_;
  std::vector<diagnostic>& errors_;
};

}  // namespace

void read_cloudformation(const json_value& root, const source_file& src, policy_document& doc,
                         std::vector<diagnostic>& errors) {
  template_reader(src, doc, errors).read(root);
}

}  // namespace ecrlp::detail::iac
