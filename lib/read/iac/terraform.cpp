// SPDX-License-Identifier: MIT
//
// Terraform's JSON (`terraform show -json`, format_version 1.x): every aws_ecr_lifecycle_policy
// resource of a plan or a state, in the root module and in child modules, each instance by the
// address Terraform writes (`module.ecr["app"].aws_ecr_lifecycle_policy.this[0]`).
//
// A plan is read from `resource_changes` (the before and after values and the actions of each
// change); `planned_values` adds the resources a plan lists there only. A state is read from
// `values.root_module`. The `policy` attribute is a JSON string (jsonencode's output); a value
// Terraform knows only after apply (`after_unknown.policy`) is an `iac.unknown_value` error of that
// policy, never a guess. Format versions other than 1.x are refused, as Terraform asks of readers.

#include "read/iac/iac_read.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace ecrlp::detail::iac {
namespace {

constexpr std::string_view policy_type = "aws_ecr_lifecycle_policy";

/// An aws_ecr_lifecycle_policy managed resource (a resource change, or a resource of a module).
[[nodiscard]] bool is_policy_resource(const json_value& r) {
  const std::string* type = string_of(r.find("type"));
  if (type == nullptr || *type != policy_type) return false;
  const std::string* mode = string_of(r.find("mode"));
  return mode == nullptr || *mode == "managed";
}

/// The action a `change.actions` list names, or nullopt for a list ecrlp does not know.
[[nodiscard]] std::optional<change_action> action_of(const json_value& actions) {
  if (actions.kind != json_kind::array) return std::nullopt;
  std::vector<std::string_view> words;
  for (const auto& a : actions.items) {
    if (a.kind != json_kind::string) return std::nullopt;
    words.emplace_back(a.text);
  }
  if (words.size() == 2 && ((words[0] == "delete" && words[1] == "create") ||
                            (words[0] == "create" && words[1] == "delete"))) {
    return change_action::replace;
  }
  if (words.size() != 1) return std::nullopt;
  for (const auto a : {change_action::no_op, change_action::create, change_action::read,
                       change_action::update, change_action::destroy, change_action::forget}) {
    if (words[0] == to_string(a)) return a;
  }
  return std::nullopt;
}

/// True when `unknown` (an `after_unknown` value) says that member `name` is unknown.
[[nodiscard]] bool marked_unknown(const json_value* unknown, std::string_view name) {
  if (unknown == nullptr) return false;
  if (unknown->kind == json_kind::boolean) return unknown->boolean;  // the whole object
  const json_value* u = unknown->find(name);
  return u != nullptr && u->kind == json_kind::boolean && u->boolean;
}

class terraform_reader {
 public:
  terraform_reader(const source_file& src, policy_document& doc, std::vector<diagnostic>& errors)
      : src_(src), doc_(doc), errors_(errors) {}

  void read(const json_value& root, bool plan) {
    if (!check_version(root)) return;
    if (const std::string* version = string_of(root.find("terraform_version"))) {
      doc_.terraform_version = *version;
    }
    if (!plan) {
      if (const json_value* values = root.find("values")) {
        if (expect_object(*values, "/values", "values")) {
          if (const json_value* m = values->find("root_module")) {
            read_modules(*m, "/values/root_module", false);
          }
        }
      }
      return;
    }
    if (const json_value* changes = root.find("resource_changes")) {
      if (changes->kind != json_kind::array) {
        error("/resource_changes", "resource_changes must be an array, not " + describe(*changes),
              changes->byte);
      } else {
        for (std::size_t i = 0; i < changes->items.size() && !too_many_errors(errors_); ++i) {
          read_change(changes->items[i], pointer_append("/resource_changes", i));
        }
      }
    }
    if (const json_value* planned = root.find("planned_values")) {
      if (expect_object(*planned, "/planned_values", "planned_values")) {
        if (const json_value* m = planned->find("root_module")) {
          read_modules(*m, "/planned_values/root_module", true);
        }
      }
    }
  }

 private:
  /// format_version "1.x"; false (after an error) for another major version.
  bool check_version(const json_value& root) {
    const json_value* v = root.find("format_version");
    if (v == nullptr) return true;
    if (v->kind != json_kind::string) {
      error("/format_version", "format_version must be a string, not " + describe(*v), v->byte);
      return false;
    }
    if (v->text == "1" || v->text.starts_with("1.")) return true;
    errors_.push_back(src_.make(severity::error, "iac.format_version", "/format_version",
                                "Terraform JSON format_version \"" + quote(v->text) +
                                    "\" is not one ecrlp reads (1.x); Terraform changes the "
                                    "major version only for changes readers cannot ignore",
                                v->byte));
    return false;
  }

  void read_change(const json_value& rc, const std::string& pointer) {
    if (rc.kind != json_kind::object) {
      error(pointer, "a resource change must be an object, not " + describe(rc), rc.byte);
      return;
    }
    if (!is_policy_resource(rc)) return;
    const std::string* address = string_of(rc.find("address"));
    if (address == nullptr) {
      error(pointer, "an aws_ecr_lifecycle_policy change has no address string", rc.byte);
      return;
    }
    const json_value* change = rc.find("change");
    if (change == nullptr || change->kind != json_kind::object) {
      error(pointer_append(pointer, "change"),
            "the change of " + quote(*address, 200) + " must be an object",
            change == nullptr ? rc.byte : change->byte);
      return;
    }
    seen_.insert(*address);
    plan_change pc;
    pc.address = *address;
    if (const std::string* deposed = string_of(rc.find("deposed"))) pc.deposed = *deposed;
    const json_value* actions = change->find("actions");
    const auto action = actions == nullptr ? std::nullopt : action_of(*actions);
    pc.action = action.value_or(change_action::unknown);
    if (!action) {
      pc.diagnostics.push_back(src_.make(
          severity::error, "iac.unknown_action",
          pointer_append(pointer_append(pointer, "change"), "actions"),
          "the actions of " + quote(*address, 200) +
              " are not a list ecrlp knows (no-op, create, read, update, delete, delete+create, "
              "create+delete, forget)",
          actions == nullptr ? change->byte : actions->byte));
    }
    const std::string change_pointer = pointer_append(pointer, "change");
    const json_value* before = change->find("before");
    if (pc.action != change_action::create && before != nullptr &&
        before->kind != json_kind::null) {
      pc.before = side(*address, before, nullptr, pointer_append(change_pointer, "before"), false);
    }
    const bool leaves_policy =
        pc.action != change_action::destroy && pc.action != change_action::forget;
    const json_value* after = change->find("after");
    if (leaves_policy && (after != nullptr || pc.action != change_action::unknown)) {
      const json_value* unknown = change->find("after_unknown");
      pc.after = side(*address, after, unknown, pointer_append(change_pointer, "after"), false);
      doc_.policies.push_back(*pc.after);
    }
    doc_.changes.push_back(std::move(pc));
  }

  /// The policy of one side of a resource: `values` (the attributes), `unknown` (its
  /// `after_unknown`, for an after value). `absent_is_unknown`: planned_values, which leaves
  /// out the values known only after apply.
  found_policy side(const std::string& address, const json_value* values, const json_value* unknown,
                    const std::string& pointer, bool absent_is_unknown) {
    found_policy p = new_policy(src_, address, address);
    const std::size_t at = values != nullptr ? values->byte : 0;
    p.position = src_.position(at);
    if (values == nullptr || values->kind != json_kind::object) {
      if (marked_unknown(unknown, "policy")) {
        p.diagnostics.push_back(unknown_value(address, pointer, at));
      } else {
        p.diagnostics.push_back(
            src_.make(severity::error, "iac.wrong_type", pointer,
                      "the value of " + quote(address, 200) + " must be an object, not " +
                          (values == nullptr ? std::string("absent") : describe(*values)),
                      at));
      }
      return p;
    }
    if (const std::string* repository = string_of(values->find("repository"))) {
      p.repository = *repository;
    }
    const json_value* policy = values->find("policy");
    const std::string policy_pointer = pointer_append(pointer, "policy");
    if (policy != nullptr && policy->kind == json_kind::string) {
      set_text(p, src_, *policy);
    } else if ((policy == nullptr || policy->kind == json_kind::null) &&
               (absent_is_unknown || marked_unknown(unknown, "policy"))) {
      const json_value* u = unknown != nullptr ? unknown->find("policy") : nullptr;
      p.diagnostics.push_back(
          unknown_value(address, policy_pointer, u != nullptr ? u->byte : values->byte));
    } else {
      p.diagnostics.push_back(src_.make(
          severity::error, "iac.wrong_type", policy_pointer,
          "the policy of " + quote(address, 200) + " must be a string (jsonencode's output), not " +
              (policy == nullptr ? std::string("absent") : describe(*policy)),
          policy == nullptr ? values->byte : policy->byte));
    }
    return p;
  }

  [[nodiscard]] diagnostic unknown_value(const std::string& address, const std::string& pointer,
                                         std::size_t byte) const {
    return src_.make(severity::error, "iac.unknown_value", pointer,
                     "the policy of " + quote(address, 200) +
                         " is known only after apply (it depends on a value that does not exist "
                         "yet); ecrlp cannot evaluate it",
                     byte);
  }

  /// Reads the aws_ecr_lifecycle_policy resources of a module and its child modules, depth
  /// first in document order (without recursion).
  void read_modules(const json_value& root_module, std::string pointer, bool planned) {
    std::vector<std::pair<const json_value*, std::string>> stack;
    stack.emplace_back(&root_module, std::move(pointer));
    while (!stack.empty() && !too_many_errors(errors_)) {
      auto [module, at] = std::move(stack.back());
      stack.pop_back();
      if (!expect_object(*module, at, "a module")) continue;
      if (const json_value* resources = module->find("resources")) {
        const std::string list = pointer_append(at, "resources");
        if (expect_array(*resources, list, "resources")) {
          for (std::size_t i = 0; i < resources->items.size() && !too_many_errors(errors_); ++i) {
            read_resource(resources->items[i], pointer_append(list, i), planned);
          }
        }
      }
      if (const json_value* children = module->find("child_modules")) {
        const std::string list = pointer_append(at, "child_modules");
        if (expect_array(*children, list, "child_modules")) {
          for (std::size_t i = children->items.size(); i-- > 0;) {
            stack.emplace_back(&children->items[i], pointer_append(list, i));
          }
        }
      }
    }
  }

  void read_resource(const json_value& r, const std::string& pointer, bool planned) {
    if (!expect_object(r, pointer, "a resource")) return;
    if (!is_policy_resource(r) || r.find("deposed_key") != nullptr) return;
    const std::string* address = string_of(r.find("address"));
    if (address == nullptr) {
      error(pointer, "an aws_ecr_lifecycle_policy resource has no address string", r.byte);
      return;
    }
    if (planned && seen_.contains(*address)) return;  // read from resource_changes
    doc_.policies.push_back(
        side(*address, r.find("values"), nullptr, pointer_append(pointer, "values"), planned));
  }

  bool expect_object(const json_value& v, const std::string& pointer, std::string_view what) {
    if (v.kind == json_kind::object) return true;
    error(pointer, std::string(what) + " must be an object, not " + describe(v), v.byte);
    return false;
  }

  bool expect_array(const json_value& v, const std::string& pointer, std::string_view what) {
    if (v.kind == json_kind::array) return true;
    error(pointer, std::string(what) + " must be an array, not " + describe(v), v.byte);
    return false;
  }

  void error(std::string pointer, std::string message, std::size_t byte) {
    add_wrong_type(errors_, src_, std::move(pointer), std::move(message), byte);
  }

  const source_file& src_;
  policy_document& doc_;
  std::vector<diagnostic>& errors_;
  std::unordered_set<std::string> seen_;  ///< addresses read from resource_changes
};

}  // namespace

void read_terraform(const json_value& root, const source_file& src, bool plan, policy_document& doc,
                    std::vector<diagnostic>& errors) {
  terraform_reader(src, doc, errors).read(root, plan);
}

}  // namespace ecrlp::detail::iac
