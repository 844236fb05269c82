// SPDX-License-Identifier: MIT
//
// Policy parsing (docs/diagnostics.md lists every code this file reports).
//
// The pipeline, one stage per function:
//   parse_policy   UTF-8 check -> read_json (syntax, duplicate keys, depth) -> AWS response?
//                  -> the same for lifecyclePolicyText -> length -> policy_reader -> validate
//   policy_reader  the shape checks of ECR's JSON schema, one member function per object level
//                  (document, rule, selection, action); it builds the lifecycle_policy model and
//                  records which fields of each rule could be read (detail::rule_fields)
//   validate       the semantic checks, on the model (include/ecrlp/validate.hpp)
// Diagnostics are collected, never thrown. Those found on the model carry only a JSON pointer;
// place_all() gives every diagnostic its byte, line and column in the file, mapping positions
// inside an AWS response's lifecyclePolicyText string back to the file.

#include <ecrlp/policy_parser.hpp>
#include <ecrlp/validate.hpp>

#include "read/input.hpp"
#include "read/json_reader.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecrlp {
namespace {

using detail::json_kind;
using detail::json_value;
using detail::pointer_append;
using detail::rule_fields;

constexpr std::uintmax_t max_file_bytes = std::uintmax_t{16} * 1024 * 1024;
constexpr std::size_t min_text_length = 100;
constexpr std::size_t max_text_length = 30'720;
constexpr std::string_view aws_response_member = "lifecyclePolicyText";

// ---------------------------------------------------------------------------------------------
// Message helpers
// ---------------------------------------------------------------------------------------------

/// Most names json_name_list writes out; the rest are summed up as `...` (a message per unknown
/// property, each listing all of them, would grow with the square of their number).
constexpr std::size_t max_listed_names = 20;

/// `["a","b"]`, sorted: how ECR's validator lists property names and enum values. Past
/// max_listed_names names, or for names longer than 60 bytes, the list is shortened.
[[nodiscard]] std::string json_name_list(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  std::string out = "[";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i != 0) out += ',';
    if (i == max_listed_names) {
      out += "... (" + std::to_string(names.size() - i) + " more)";
      break;
    }
    out += '"';
    for (const char c : detail::shorten(names[i])) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "]";
}

/// A value as a message shows it: `"1"`, `1.0`, `true`, `an array`.
[[nodiscard]] std::string describe(const json_value& v) {
  switch (v.kind) {
    case json_kind::null:
      return "null";
    case json_kind::boolean:
      return v.boolean ? "true" : "false";
    case json_kind::integer:
      return std::to_string(v.integer);
    case json_kind::unsigned_integer:
      return std::to_string(v.unsigned_integer);
    case json_kind::floating:
      return v.text;
    case json_kind::string:
      return "\"" + detail::shorten(v.text) + "\"";
    case json_kind::array:
      return "an array";
    case json_kind::object:
      return "an object";
  }
  return "?";
}

/// `instance type (string) does not match any allowed primitive type (allowed: ["integer"])`.
[[nodiscard]] std::string aws_type_mismatch(json_kind found, std::string_view expected) {
  return detail::aws_validation_failure(
      "instance type (" + std::string(detail::schema_type_name(found)) +
      ") does not match any allowed primitive type (allowed: [\"" + std::string(expected) + "\"])");
}

/// `instance failed to match exactly one schema (matched 0 out of N)`: what ECR reports for any
/// shape problem inside `selection` (4 branches, one per countType) and `action` (2 branches).
[[nodiscard]] std::string aws_one_of(int branches) {
  return detail::aws_validation_failure(
      "instance failed to match exactly one schema (matched 0 out of " + std::to_string(branches) +
      ")");
}

[[nodiscard]] std::string quoted_values(std::initializer_list<std::string_view> values) {
  std::string out;
  for (const auto v : values) {
    if (!out.empty()) out += ", ";
    out += '"';
    out += v;
    out += '"';
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The shape checks: one function per object level
// ---------------------------------------------------------------------------------------------

/// Where in the document a reader function is, and how its messages name it.
struct object_context {
  std::string pointer;  ///< of the object being read
  std::string who;      ///< message prefix: "rule 3 (priority 20)" or "the policy"
  std::string level;    ///< code prefix: "policy", "rule", "selection", "action"
  /// ECR's message for a wrong type or null inside this object; empty: the plain type message.
  std::string mismatch_aws;
};

class policy_reader {
 public:
  explicit policy_reader(std::vector<diagnostic>& out) : out_(out) {}

  lifecycle_policy policy;
  std::vector<rule_fields> known;  ///< one per rule of `policy`

  void read_document(const json_value& root) {
    const object_context ctx{
        "", "the policy", "policy",
        detail::aws_validation_failure("Could not map policyString into LifecyclePolicy.")};
    if (reject_null(root, ctx, "the policy document", "object")) return;
    if (root.kind != json_kind::object) {
      error("policy.not_object", "",
            "the policy must be a JSON object {\"rules\": [...]}, not " + describe(root),
            ctx.mismatch_aws);
      return;
    }
    check_members(root, ctx, {"rules"}, {"rules"});
    const json_value* rules = root.find("rules");
    if (rules == nullptr) return;
    if (reject_null(*rules, ctx, "rules", "array", aws_type_mismatch(json_kind::null, "array"))) {
      return;
    }
    if (rules->kind != json_kind::array) {
      error("policy.rules.not_array", "/rules",
            "\"rules\" must be an array of rule objects, not " + describe(*rules),
            aws_type_mismatch(rules->kind, "array"));
      return;
    }
    if (rules->items.empty()) {
      diagnostic d = detail::make_error("policy.rules.empty", "/rules",
                                        "the policy has no rules; it selects no image");
      d.level = severity::warning;
      out_.push_back(std::move(d));
    }
    for (std::size_t i = 0; i < rules->items.size(); ++i) read_rule(rules->items[i], i);
  }

 private:
  void read_rule(const json_value& v, std::size_t index) {
    rule r;
    r.source_index = index;
    rule_fields f{false, false, false, false, false, false, false};
    object_context ctx{pointer_append("/rules", index), detail::rule_label(r, false), "rule", {}};
    if (reject_null(v, ctx, "the rule", "object")) return;
    if (v.kind != json_kind::object) {
      error("rule.not_object", ctx.pointer,
            ctx.who + ": a rule must be a JSON object, not " + describe(v),
            aws_type_mismatch(v.kind, "object"));
      return;
    }
    if (const json_value* p = v.find("rulePriority")) {
      if (auto value = read_integer(*p, ctx, "rulePriority", "rule.priority")) {
        r.priority = *value;
        f.priority = true;
        ctx.who = detail::rule_label(r, true);
      }
    }
    check_members(v, ctx, {"rulePriority", "description", "selection", "action"},
                  {"rulePriority", "selection", "action"});
    if (const json_value* d = v.find("description")) {
      if (!reject_null(*d, ctx, "description", "string")) {
        if (d->kind == json_kind::string) {
          r.description = d->text;
        } else {
          error("rule.description.type", pointer_append(ctx.pointer, "description"),
                ctx.who + ": description must be a string, not " + describe(*d),
                aws_type_mismatch(d->kind, "string"));
        }
      }
    }
    if (const json_value* s = v.find("selection")) read_selection(*s, ctx, r, f);
    if (const json_value* a = v.find("action")) read_action(*a, ctx, r, f);
    policy.rules.push_back(std::move(r));
    known.push_back(f);
  }

  void read_selection(const json_value& v, const object_context& rule_ctx, rule& r,
                      rule_fields& f) {
    const object_context ctx{pointer_append(rule_ctx.pointer, "selection"), rule_ctx.who,
                             "selection", aws_one_of(4)};
    if (reject_null(v, rule_ctx, "selection", "object", ctx.mismatch_aws)) return;
    if (v.kind != json_kind::object) {
      error("selection.not_object", ctx.pointer,
            ctx.who + ": selection must be a JSON object, not " + describe(v), ctx.mismatch_aws);
      return;
    }
    check_members(v, ctx,
                  {"tagStatus", "tagPatternList", "tagPrefixList", "storageClass", "countType",
                   "countUnit", "countNumber"},
                  {"tagStatus", "countType", "countNumber"});
    selection& sel = r.selection;

    if (const json_value* s = v.find("tagStatus")) {
      if (auto value = read_enum(*s, ctx, "tagStatus", "selection.tag_status", parse_tag_status,
                                 {"tagged", "untagged", "any"}, true)) {
        sel.status = *value;
        f.tag_status = true;
      }
    }

    read_tag_lists(v, ctx, sel, f);

    sel.storage = storage_class::standard;  // omitted: standard
    f.storage_class = true;
    if (const json_value* s = v.find("storageClass")) {
      const auto value = read_enum(*s, ctx, "storageClass", "selection.storage_class",
                                   parse_storage_class, {"standard", "archive"}, true);
      f.storage_class = value.has_value();
      if (value) sel.storage = *value;
    }

    if (const json_value* t = v.find("countType")) {
      if (auto value = read_enum(*t, ctx, "countType", "selection.count_type", parse_count_type,
                                 {"imageCountMoreThan", "sinceImagePushed", "sinceImagePulled",
                                  "sinceImageTransitioned"},
                                 false)) {
        sel.type = *value;
        f.count_type = true;
      }
    }

    const json_value* unit = v.find("countUnit");
    const std::string unit_pointer = pointer_append(ctx.pointer, "countUnit");
    if (unit != nullptr && !reject_null(*unit, ctx, "countUnit", "string")) {
      if (f.count_type && !is_age_limit(sel.type)) {
        error("selection.count_unit.forbidden", unit_pointer,
              ctx.who + ": countUnit must be omitted when countType is \"imageCountMoreThan\"",
              ctx.mismatch_aws);
      } else if (unit->kind != json_kind::string || unit->text != "days") {
        error("selection.count_unit.unknown", unit_pointer,
              ctx.who + ": countUnit must be \"days\", not " + describe(*unit),
              unit->kind == json_kind::string
                  ? detail::aws_validation_failure("instance value (" + unit->text +
                                                   ") not found in enum :(possible values: "
                                                   "[\"days\"])")
                  : ctx.mismatch_aws);
      }
    } else if (unit == nullptr && f.count_type && is_age_limit(sel.type)) {
      error("selection.count_unit.missing", ctx.pointer,
            ctx.who + ": countType \"" + std::string(to_string(sel.type)) +
                "\" requires \"countUnit\": \"days\"",
            ctx.mismatch_aws);
    }

    if (const json_value* n = v.find("countNumber")) {
      if (auto value = read_integer(*n, ctx, "countNumber", "selection.count_number")) {
        sel.count_number = *value;
        f.count_number = true;
      }
    }
  }

  /// tagPrefixList / tagPatternList: arrays of strings, at most one of them.
  void read_tag_lists(const json_value& v, const object_context& ctx, selection& sel,
                      rule_fields& f) {
    const json_value* prefixes = v.find("tagPrefixList");
    const json_value* patterns = v.find("tagPatternList");
    auto prefix_list = prefixes ? read_string_list(*prefixes, ctx, "tagPrefixList") : std::nullopt;
    auto pattern_list =
        patterns ? read_string_list(*patterns, ctx, "tagPatternList") : std::nullopt;
    if (prefixes != nullptr && patterns != nullptr) {
      error("selection.tag_list.both", ctx.pointer,
            ctx.who + ": a rule may have a tagPrefixList or a tagPatternList, not both");
      return;
    }
    if (prefixes == nullptr && patterns == nullptr) {
      sel.list_kind = tag_list_kind::none;
      f.tag_list = true;
    } else if (prefix_list) {
      sel.list_kind = tag_list_kind::prefix;
      sel.tag_list = std::move(*prefix_list);
      f.tag_list = true;
    } else if (pattern_list) {
      sel.list_kind = tag_list_kind::pattern;
      sel.tag_list = std::move(*pattern_list);
      f.tag_list = true;
    }
  }

  void read_action(const json_value& v, const object_context& rule_ctx, rule& r, rule_fields& f) {
    const object_context ctx{pointer_append(rule_ctx.pointer, "action"), rule_ctx.who, "action",
                             aws_one_of(2)};
    if (reject_null(v, rule_ctx, "action", "object", ctx.mismatch_aws)) return;
    if (v.kind != json_kind::object) {
      error("action.not_object", ctx.pointer,
            ctx.who + ": action must be a JSON object, not " + describe(v), ctx.mismatch_aws);
      return;
    }
    check_members(v, ctx, {"type", "targetStorageClass"}, {"type"});
    if (const json_value* t = v.find("type")) {
      if (auto value = read_enum(*t, ctx, "type", "action.type", parse_action_type,
                                 {"expire", "transition"}, true)) {
        r.action.type = *value;
        f.action = true;
      }
    }
    const json_value* target = v.find("targetStorageClass");
    const std::string target_pointer = pointer_append(ctx.pointer, "targetStorageClass");
    if (target != nullptr && !reject_null(*target, ctx, "targetStorageClass", "string")) {
      if (f.action && r.action.type == action_type::expire) {
        error("action.target_storage_class.forbidden", target_pointer,
              ctx.who + ": targetStorageClass must be omitted when the action is \"expire\"",
              ctx.mismatch_aws);
      } else if (target->kind != json_kind::string || target->text != "archive") {
        error("action.target_storage_class.unknown", target_pointer,
              ctx.who +
                  ": targetStorageClass must be \"archive\" (the only class images can "
                  "transition to), not " +
                  describe(*target),
              ctx.mismatch_aws);
      }
    } else if (target == nullptr && f.action && r.action.type == action_type::transition) {
      error("action.target_storage_class.missing", ctx.pointer,
            ctx.who + ": a \"transition\" action requires \"targetStorageClass\": \"archive\"",
            ctx.mismatch_aws);
    }
  }

  // --- helpers ----------------------------------------------------------------------------------

  void error(std::string code, std::string pointer, std::string message,
             std::string aws_message = {}) {
    out_.push_back(detail::make_error(std::move(code), std::move(pointer), std::move(message),
                                      std::move(aws_message)));
  }

  /// Reports `<level>.unknown_property` for each member not in `allowed` and one
  /// `<level>.missing_property` naming every absent member of `required`.
  void check_members(const json_value& obj, const object_context& ctx,
                     std::initializer_list<std::string_view> allowed,
                     std::initializer_list<std::string_view> required) {
    std::vector<std::string> unknown;
    for (const auto& m : obj.members) {
      if (std::find(allowed.begin(), allowed.end(), m.key) == allowed.end())
        unknown.push_back(m.key);
    }
    const std::string where = ctx.level == "policy" ? "at the top level" : "in " + ctx.level;
    const std::string allowed_text = quoted_values(allowed);
    const std::string aws =
        unknown.empty() ? std::string()
                        : detail::aws_validation_failure(
                              "object instance has properties which are not allowed by the "
                              "schema: (" +
                              json_name_list(unknown) + ")");
    for (const auto& name : unknown) {
      error(ctx.level + ".unknown_property", pointer_append(ctx.pointer, name),
            (ctx.level == "policy" ? "" : ctx.who + ": ") + "property \"" +
                detail::shorten(name) + "\" is not allowed " + where + " (allowed: " +
                allowed_text + ")",
            aws);
    }
    std::vector<std::string> missing;
    for (const auto name : required) {
      if (obj.find(name) == nullptr) missing.emplace_back(name);
    }
    if (!missing.empty()) {
      std::string names;
      for (std::size_t i = 0; i < missing.size(); ++i) {
        names += (i == 0 ? "\"" : i + 1 == missing.size() ? " and \"" : ", \"") + missing[i] + "\"";
      }
      const std::string subject = ctx.level == "policy" ? "the policy"
                                  : ctx.level == "rule" ? ctx.who
                                                        : ctx.who + ": " + ctx.level;
      error(ctx.level + ".missing_property", ctx.pointer,
            subject +
                (missing.size() == 1 ? " lacks the required property "
                                     : " lacks the required properties ") +
                names,
            detail::aws_validation_failure("object has missing required properties (" +
                                           json_name_list(missing) + ")"));
    }
  }

  /// Reports `policy.null_value` when `v` is an explicit null. `what` names the value: a member
  /// name (the pointer is then the member's) or a phrase such as "the rule" (the object itself).
  bool reject_null(const json_value& v, const object_context& ctx, std::string_view what,
                   std::string_view expected_type, std::string aws_message = {}) {
    if (v.kind != json_kind::null) return false;
    const bool is_member = what.find(' ') == std::string_view::npos;
    if (aws_message.empty()) aws_message = ctx.mismatch_aws;
    if (aws_message.empty()) aws_message = aws_type_mismatch(json_kind::null, expected_type);
    const std::string article =
        expected_type.front() == 'a' || expected_type.front() == 'o' ? "an " : "a ";
    error("policy.null_value", is_member ? pointer_append(ctx.pointer, what) : ctx.pointer,
          (ctx.level == "policy" ? std::string() : ctx.who + ": ") + std::string(what) +
              " is null, but ECR rejects explicit JSON nulls; expected " + article +
              std::string(expected_type),
          std::move(aws_message));
    return true;
  }

  /// An integer in std::int64_t, or nullopt after reporting `<code_base>.type` (not an integer
  /// literal: "1", 1.0, true) or `<code_base>.out_of_range` (an integer beyond 64 bits). The
  /// 1..2147483647 range itself is validate()'s check.
  std::optional<std::int64_t> read_integer(const json_value& v, const object_context& ctx,
                                           std::string_view property, std::string_view code_base) {
    if (reject_null(v, ctx, property, "integer")) return std::nullopt;
    const std::string pointer = pointer_append(ctx.pointer, property);
    const std::string prefix = ctx.who + ": " + std::string(property);
    constexpr auto int64_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    switch (v.kind) {
      case json_kind::integer:
        return v.integer;
      case json_kind::unsigned_integer:
        if (v.unsigned_integer <= int64_max) return static_cast<std::int64_t>(v.unsigned_integer);
        break;
      case json_kind::floating:
        if (v.text.find_first_of(".eE") != std::string::npos) {
          error(std::string(code_base) + ".type", pointer,
                prefix + " must be an integer, not the number " + v.text,
                ctx.mismatch_aws.empty() ? aws_type_mismatch(v.kind, "integer") : ctx.mismatch_aws);
          return std::nullopt;
        }
        break;  // an integer literal too large even for a double's exact range
      default:
        error(std::string(code_base) + ".type", pointer,
              prefix + " must be an integer, not " + describe(v),
              ctx.mismatch_aws.empty() ? aws_type_mismatch(v.kind, "integer") : ctx.mismatch_aws);
        return std::nullopt;
    }
    error(std::string(code_base) + ".out_of_range", pointer,
          prefix + " " + describe(v) + " is out of range; it must be between 1 and " +
              std::to_string(max_policy_integer));
    return std::nullopt;
  }

  /// One of `values` (case-sensitive), or nullopt after reporting `<code_base>.unknown`.
  /// `enum_message`: ECR reports an unknown string with its enum message (else, as for a wrong
  /// type, with the object's mismatch message).
  template <class Parse>
  auto read_enum(const json_value& v, const object_context& ctx, std::string_view property,
                 std::string_view code_base, Parse parse,
                 std::initializer_list<std::string_view> values, bool enum_message)
      -> decltype(parse(std::string_view{})) {
    if (reject_null(v, ctx, property, "string")) return std::nullopt;
    if (v.kind == json_kind::string) {
      if (auto value = parse(v.text)) return value;
    }
    std::string aws =
        ctx.mismatch_aws.empty() ? aws_type_mismatch(v.kind, "string") : ctx.mismatch_aws;
    if (v.kind == json_kind::string && enum_message) {
      std::vector<std::string> names(values.begin(), values.end());
      aws = detail::aws_validation_failure(
          "instance value (" + v.text +
          ") not found in enum :(possible values: " + json_name_list(std::move(names)) + ")");
    }
    error(std::string(code_base) + ".unknown", pointer_append(ctx.pointer, property),
          ctx.who + ": " + std::string(property) + " must be one of " + quoted_values(values) +
              " (case-sensitive), not " + describe(v),
          std::move(aws));
    return std::nullopt;
  }

  /// An array of strings, or nullopt after reporting what is wrong with it.
  std::optional<std::vector<std::string>> read_string_list(const json_value& v,
                                                           const object_context& ctx,
                                                           std::string_view property) {
    if (reject_null(v, ctx, property, "array")) return std::nullopt;
    const std::string pointer = pointer_append(ctx.pointer, property);
    if (v.kind != json_kind::array) {
      error("selection.tag_list.type", pointer,
            ctx.who + ": " + std::string(property) + " must be an array of strings, not " +
                describe(v),
            ctx.mismatch_aws);
      return std::nullopt;
    }
    std::vector<std::string> out;
    bool ok = true;
    for (std::size_t j = 0; j < v.items.size(); ++j) {
      const json_value& item = v.items[j];
      const std::string item_pointer = pointer_append(pointer, j);
      if (item.kind == json_kind::string) {
        out.push_back(item.text);
        continue;
      }
      ok = false;
      if (item.kind == json_kind::null) {
        error("policy.null_value", item_pointer,
              ctx.who + ": entry " + std::to_string(j + 1) + " of " + std::string(property) +
                  " is null; the entries must be strings",
              ctx.mismatch_aws);
      } else {
        error("selection.tag_list.type", item_pointer,
              ctx.who + ": entry " + std::to_string(j + 1) + " of " + std::string(property) +
                  " must be a string, not " + describe(item),
              ctx.mismatch_aws);
      }
    }
    if (!ok) return std::nullopt;
    return out;
  }

  std::vector<diagnostic>& out_;
};

// ---------------------------------------------------------------------------------------------
// The pipeline
// ---------------------------------------------------------------------------------------------

/// The `lifecyclePolicyText` string of an AWS response (an object with that string member and no
/// `rules`), or nullptr when `root` is a policy document itself.
[[nodiscard]] const json_value* aws_policy_text(const json_value& root) {
  if (root.kind != json_kind::object || root.find("rules") != nullptr) return nullptr;
  const json_value* text = root.find(aws_response_member);
  return text != nullptr && text->kind == json_kind::string ? text : nullptr;
}

[[nodiscard]] std::string string_member(const json_value& root, std::string_view name) {
  const json_value* v = root.find(name);
  return v != nullptr && v->kind == json_kind::string ? v->text : std::string();
}

/// Checks the 100..30,720-character limit of `lifecyclePolicyText` (code points).
void check_text_length(std::string_view text, std::vector<diagnostic>& out) {
  const std::size_t length = detail::utf8_scan(text).code_points;
  if (length >= min_text_length && length <= max_text_length) return;
  const bool too_short = length < min_text_length;
  out.push_back(detail::make_error(
      "policy.text_length", "",
      "the policy text is " + std::to_string(length) + " characters long; ECR accepts " +
          std::to_string(min_text_length) + " to 30,720 characters",
      std::string("Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: "
                  "'Member must have length ") +
          (too_short ? "greater than or equal to 100'" : "less than or equal to 30720'")));
}

/// Gives each diagnostic its file, byte, line and column. `byte_in_file` maps the diagnostic's
/// `byte` (an offset in the text it was found in) to an offset in `file_text`.
template <class Map>
void place_all(std::vector<diagnostic>& diags, std::string_view file_text, std::string_view file,
               Map byte_in_file) {
  if (diags.empty()) return;
  const detail::line_index lines(file_text);
  for (auto& d : diags) {
    d.byte = byte_in_file(d.byte);
    const auto pos = lines.at(d.byte);
    d.line = pos.line;
    d.column = pos.column;
    d.file = std::string(file);
  }
}

/// ECR's (moto-modelled) answer to text that is not JSON.
void add_syntax_aws_message(std::vector<diagnostic>& diags) {
  for (auto& d : diags) {
    if (d.code == "policy.syntax") {
      d.aws_message =
          detail::aws_validation_failure("Could not map policyString into LifecyclePolicy.");
    }
  }
}

void append(std::vector<diagnostic>& to, std::vector<diagnostic>&& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

/// The io.* messages of load_policy, which name the file in the message too.
[[nodiscard]] std::string policy_io_wording(const read::input_failure& f, std::string_view name) {
  return read::named_file_wording(
      f, name, " is larger than 16 MiB; no lifecycle policy document is that big");
}

}  // namespace

parse_result<parsed_policy> parse_policy(std::string_view document, std::string_view source_name) {
  parse_result<parsed_policy> result;
  std::vector<diagnostic>& diags = result.diagnostics;
  const auto identity = [](std::size_t b) { return b; };

  if (const auto utf8 = detail::utf8_scan(document); !utf8.valid) {
    const bool utf16_bom =
        document.starts_with("\xFF\xFE") || document.starts_with("\xFE\xFF");
    diags.push_back(detail::make_error(
        "policy.encoding", "",
        utf16_bom ? std::string("the document is UTF-16 (it starts with a UTF-16 byte order mark, "
                                "as PowerShell's `>` writes); save it as UTF-8")
                  : "the document is not valid UTF-8 (malformed byte sequence at byte " +
                        std::to_string(utf8.bad_byte) + ")"));
    diags.back().byte = utf8.bad_byte;
    place_all(diags, document, source_name, identity);
    return result;
  }

  const detail::json_read_options options{.deep_root_member = "rules"};
  detail::json_read_result outer = detail::read_json(document, options);
  std::vector<diagnostic> outer_diags = std::move(outer.diagnostics);
  add_syntax_aws_message(outer_diags);
  place_all(outer_diags, document, source_name, identity);
  append(diags, std::move(outer_diags));
  if (!outer.root) return result;

  parsed_policy parsed;
  const json_value* root = &*outer.root;
  const json_value* wrapped_text = aws_policy_text(*root);
  detail::json_read_result inner;
  std::vector<diagnostic> policy_diags;  // positions relative to the policy text
  if (wrapped_text != nullptr) {
    parsed.from_aws_response = true;
    parsed.repository_name = string_member(*root, "repositoryName");
    parsed.registry_id = string_member(*root, "registryId");
    parsed.text = wrapped_text->text;
    inner = detail::read_json(parsed.text, options);
    policy_diags = std::move(inner.diagnostics);
    add_syntax_aws_message(policy_diags);
    root = inner.root ? &*inner.root : nullptr;
  } else {
    parsed.text = std::string(document);
  }

  if (root != nullptr) {
    std::vector<diagnostic> model_diags;  // found by pointer; positions resolved below
    check_text_length(parsed.text, model_diags);
    policy_reader reader(model_diags);
    reader.read_document(*root);
    append(model_diags, detail::validate_rules(reader.policy.rules, reader.known));
    for (auto& d : model_diags) d.byte = detail::resolve_pointer(*root, d.pointer).byte;
    append(policy_diags, std::move(model_diags));
    parsed.policy = std::move(reader.policy);
  }

  if (wrapped_text != nullptr) {
    const std::size_t literal = wrapped_text->byte;
    for (auto& d : policy_diags) {
      if (d.code == "policy.syntax") {
        const auto pos = detail::position_of(parsed.text, d.byte);
        d.message = "line " + std::to_string(pos.line) + ", column " + std::to_string(pos.column) +
                    " of the text: " + d.message;
      }
      d.message = std::string(aws_response_member) + ": " + d.message;
    }
    // Offsets inside the string map to the file in one pass when visited in order.
    std::stable_sort(policy_diags.begin(), policy_diags.end(),
                     [](const diagnostic& a, const diagnostic& b) { return a.byte < b.byte; });
    detail::string_offset_map to_file(document, literal);
    place_all(policy_diags, document, source_name, [&](std::size_t b) { return to_file(b); });
  } else {
    place_all(policy_diags, document, source_name, identity);
  }
  std::stable_sort(policy_diags.begin(), policy_diags.end(),
                   [](const diagnostic& a, const diagnostic& b) { return a.byte < b.byte; });
  append(diags, std::move(policy_diags));

  if (root != nullptr && !has_errors(diags)) result.value = std::move(parsed);
  return result;
}

parse_result<parsed_policy> load_policy(const std::filesystem::path& path) {
  read::input_text text;
  std::vector<diagnostic> io;
  if (!read::read_input(path, {.max_bytes = max_file_bytes}, policy_io_wording, text, io)) {
    parse_result<parsed_policy> result;
    result.diagnostics = std::move(io);
    return result;
  }
  return parse_policy(text.view(), read::input_name(path));
}

}  // namespace ecrlp
