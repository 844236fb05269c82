// SPDX-License-Identifier: MIT
#pragma once

/// Semantic validation of a lifecycle policy model: the checks of spec sections 1.5-1.6 and ecrlp
/// decision 6 that need no JSON (the parser adds the shape checks). Header-only.

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/policy.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecrlp {

/// Most rules a policy may hold (DOC-QUOTAS).
inline constexpr std::size_t max_rules = 50;
/// Largest `rulePriority` and `countNumber` ecrlp accepts: Java's int (ecrlp decision; ECR
/// documents no upper bound, but a larger number cannot be mapped by its Java service).
inline constexpr std::int64_t max_policy_integer = 2147483647;
/// Smallest `countNumber` of a `sinceImageTransitioned` rule: archived images must stay 90 days.
inline constexpr std::int64_t min_archive_days = 90;
/// Most `*` wildcards one `tagPatternList` entry may hold (DOC-PARAMS).
inline constexpr std::size_t max_pattern_wildcards = 4;

namespace detail {

/// Which fields of a rule hold a value that was read successfully. Rules built in code know every
/// field; the parser clears the flags of fields it could not read, so that checks needing them
/// are skipped instead of reporting follow-on errors.
struct rule_fields {
  bool priority = true;
  bool tag_status = true;
  bool tag_list = true;  ///< list_kind and tag_list
  bool storage_class = true;
  bool count_type = true;
  bool count_number = true;
  bool action = true;
};

/// "Lifecycle policy validation failure: " + `detail`: the message ECR puts inside
/// `Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: '...'`.
[[nodiscard]] inline std::string aws_validation_failure(std::string_view detail) {
  return "Lifecycle policy validation failure: " + std::string(detail);
}

/// How messages name a rule: "rule 3 (priority 20)", 1-based document position then priority.
[[nodiscard]] inline std::string rule_label(const rule& r, bool priority_known) {
  std::string s = "rule " + std::to_string(r.source_index + 1);
  if (priority_known) s += " (priority " + std::to_string(r.priority) + ")";
  return s;
}

/// "/rules/<source_index>" + `suffix`.
[[nodiscard]] inline std::string rule_pointer(const rule& r, std::string_view suffix = {}) {
  return "/rules/" + std::to_string(r.source_index) + std::string(suffix);
}

/// "/rules/<i>/selection/tagPrefixList" or ".../tagPatternList".
[[nodiscard]] inline std::string list_pointer(const rule& r) {
  return rule_pointer(r, "/selection/") + std::string(to_string(r.selection.list_kind));
}

[[nodiscard]] inline diagnostic make_error(std::string code, std::string pointer,
                                           std::string message, std::string aws_message = {}) {
  diagnostic d;
  d.level = severity::error;
  d.code = std::move(code);
  d.pointer = std::move(pointer);
  d.message = std::move(message);
  d.aws_message = std::move(aws_message);
  return d;
}

/// Checks an integer property against 1..max_policy_integer.
inline void check_policy_integer(const rule& r, bool priority_known, std::int64_t value,
                                 std::string_view property, std::string code, std::string pointer,
                                 std::vector<diagnostic>& out) {
  if (value >= 1 && value <= max_policy_integer) return;
  std::string aws;
  if (value < 1) {
    aws = aws_validation_failure(
        "numeric instance is lower than the required minimum (minimum: 1, found: " +
        std::to_string(value) + ")");
  }
  out.push_back(make_error(
      std::move(code), std::move(pointer),
      rule_label(r, priority_known) + ": " + std::string(property) + " " + std::to_string(value) +
          " is out of range; it must be between 1 and " + std::to_string(max_policy_integer),
      std::move(aws)));
}

/// The checks that concern one rule alone.
inline void check_rule(const rule& r, const rule_fields& known, std::vector<diagnostic>& out) {
  const selection& sel = r.selection;
  const std::string who = rule_label(r, known.priority);
  const std::string one_schema_of_4 =
      aws_validation_failure("instance failed to match exactly one schema (matched 0 out of 4)");

  if (known.priority) {
    check_policy_integer(r, known.priority, r.priority, "rulePriority",
                         "rule.priority.out_of_range", rule_pointer(r, "/rulePriority"), out);
  }
  if (known.count_number) {
    check_policy_integer(r, known.priority, sel.count_number, "countNumber",
                         "selection.count_number.out_of_range",
                         rule_pointer(r, "/selection/countNumber"), out);
  }
  if (known.count_type && known.count_number && sel.type == count_type::since_image_transitioned &&
      sel.count_number >= 1 && sel.count_number < min_archive_days) {
    out.push_back(make_error(
        "selection.count_number.archive_minimum", rule_pointer(r, "/selection/countNumber"),
        who + ": a sinceImageTransitioned rule must have countNumber of at least " +
            std::to_string(min_archive_days) + " (days), found " +
            std::to_string(sel.count_number) +
            "; archived images have a minimum storage duration of 90 days"));
  }

  if (known.count_type && known.storage_class) {
    const bool archive = sel.storage == storage_class::archive;
    const bool transitioned = sel.type == count_type::since_image_transitioned;
    if (archive && !transitioned) {
      out.push_back(make_error("selection.storage_class.mismatch",
                               rule_pointer(r, "/selection/storageClass"),
                               who +
                                   ": storageClass \"archive\" can only be used with countType "
                                   "\"sinceImageTransitioned\", not \"" +
                                   std::string(to_string(sel.type)) + "\"",
                               one_schema_of_4));
    } else if (transitioned && !archive) {
      out.push_back(make_error("selection.storage_class.mismatch",
                               rule_pointer(r, "/selection/countType"),
                               who + ": countType \"sinceImageTransitioned\" requires "
                                     "\"storageClass\": \"archive\"",
                               one_schema_of_4));
    }
  }

  if (known.count_type && known.action) {
    if (sel.type == count_type::since_image_pulled && r.action.type == action_type::expire) {
      out.push_back(make_error("action.type.mismatch", rule_pointer(r, "/action/type"),
                               who + ": countType \"sinceImagePulled\" can only be used with "
                                     "action \"transition\"; ECR never expires images by pull age "
                                     "(archive them, then expire with sinceImageTransitioned)"));
    } else if (sel.type == count_type::since_image_transitioned &&
               r.action.type == action_type::transition) {
      out.push_back(make_error("action.type.mismatch", rule_pointer(r, "/action/type"),
                               who + ": countType \"sinceImageTransitioned\" can only be used "
                                     "with action \"expire\"; archived images cannot be "
                                     "transitioned again"));
    }
  }

  if (known.tag_status && known.tag_list) {
    if (sel.status == tag_status::tagged) {
      if (sel.list_kind == tag_list_kind::none) {
        out.push_back(make_error(
            "selection.tag_list.missing", rule_pointer(r, "/selection"),
            who + ": a rule with tagStatus \"tagged\" needs a tagPrefixList or a tagPatternList",
            aws_validation_failure(
                "Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.")));
      } else if (sel.tag_list.empty()) {
        out.push_back(make_error("selection.tag_list.empty", list_pointer(r),
                                 who + ": " + std::string(to_string(sel.list_kind)) +
                                     " is empty; give at least one entry"));
      }
    } else if (sel.list_kind != tag_list_kind::none) {
      out.push_back(make_error("selection.tag_list.not_allowed", list_pointer(r),
                               who + ": " + std::string(to_string(sel.list_kind)) +
                                   " is only allowed with tagStatus \"tagged\", not \"" +
                                   std::string(to_string(sel.status)) + "\""));
    }
  }

  const bool list_allowed = !known.tag_status || sel.status == tag_status::tagged;
  if (known.tag_list && sel.list_kind == tag_list_kind::pattern && list_allowed) {
    for (std::size_t j = 0; j < sel.tag_list.size(); ++j) {
      const auto stars =
          static_cast<std::size_t>(std::count(sel.tag_list[j].begin(), sel.tag_list[j].end(), '*'));
      if (stars > max_pattern_wildcards) {
        out.push_back(make_error("selection.tag_pattern.too_many_wildcards",
                                 list_pointer(r) + "/" + std::to_string(j),
                                 who + ": pattern \"" + sel.tag_list[j] + "\" has " +
                                     std::to_string(stars) + " wildcards; at most " +
                                     std::to_string(max_pattern_wildcards) + " '*' are allowed"));
      }
    }
  }
}

/// The checks that compare rules with each other.
inline void check_rules_together(std::span<const rule> rules, std::span<const rule_fields> known,
                                 std::vector<diagnostic>& out) {
  if (rules.size() > max_rules) {
    out.push_back(make_error("policy.too_many_rules", "/rules",
                             "the policy has " + std::to_string(rules.size()) +
                                 " rules; ECR allows at most " + std::to_string(max_rules)));
  }

  // Unique priorities: report each repeat, naming the first rule that used the number.
  std::map<std::int64_t, std::size_t> first_with_priority;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (!known[i].priority) continue;
    const auto [it, inserted] = first_with_priority.emplace(rules[i].priority, i);
    if (!inserted) {
      out.push_back(make_error("rule.priority.duplicate", rule_pointer(rules[i], "/rulePriority"),
                               rule_label(rules[i], true) + ": rulePriority " +
                                   std::to_string(rules[i].priority) + " is already used by " +
                                   rule_label(rules[it->second], true) +
                                   "; every rule needs its own priority"));
    }
  }

  const auto in_class = [&](std::size_t i, storage_class sc) {
    return known[i].storage_class && rules[i].selection.storage == sc;
  };
  for (const storage_class sc : {storage_class::standard, storage_class::archive}) {
    const std::string class_name(to_string(sc));

    // An `any` rule must have the highest rulePriority number of its storage class.
    std::optional<std::size_t> last;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (in_class(i, sc) && known[i].priority &&
          (!last || rules[i].priority > rules[*last].priority)) {
        last = i;
      }
    }
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (!in_class(i, sc) || !known[i].priority || !known[i].tag_status ||
          rules[i].selection.status != tag_status::any || !last ||
          rules[i].priority >= rules[*last].priority) {
        continue;
      }
      out.push_back(make_error(
          "policy.any_not_last", rule_pointer(rules[i], "/rulePriority"),
          rule_label(rules[i], true) +
              ": a rule with tagStatus \"any\" must have the highest "
              "rulePriority of the " +
              class_name + " storage class, but " + rule_label(rules[*last], true) +
              " comes after it",
          aws_validation_failure(
              "Rule for tagStatus=ANY must have the lowest priority per storage class")));
    }

    // Only one `untagged` rule per storage class.
    std::optional<std::size_t> first_untagged;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (!in_class(i, sc) || !known[i].tag_status ||
          rules[i].selection.status != tag_status::untagged) {
        continue;
      }
      if (!first_untagged) {
        first_untagged = i;
        continue;
      }
      out.push_back(make_error(
          "policy.untagged_duplicate", rule_pointer(rules[i], "/selection/tagStatus"),
          rule_label(rules[i], known[i].priority) +
              ": only one rule per storage class may select untagged images, and " +
              rule_label(rules[*first_untagged], known[*first_untagged].priority) +
              " already does so in the " + class_name + " class",
          aws_validation_failure("Only one rule can select Untagged images per storage class.")));
    }

    // Each rule of a storage class needs its own set of prefixes (or of patterns).
    std::map<std::pair<tag_list_kind, std::vector<std::string>>, std::size_t> first_with_set;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const selection& sel = rules[i].selection;
      if (!in_class(i, sc) || !known[i].tag_status || !known[i].tag_list ||
          sel.status != tag_status::tagged || sel.list_kind == tag_list_kind::none ||
          sel.tag_list.empty()) {
        continue;
      }
      std::vector<std::string> set = sel.tag_list;
      std::sort(set.begin(), set.end());
      set.erase(std::unique(set.begin(), set.end()), set.end());
      const auto [it, inserted] =
          first_with_set.emplace(std::pair{sel.list_kind, std::move(set)}, i);
      if (!inserted) {
        out.push_back(make_error(
            "policy.tag_list_duplicate", list_pointer(rules[i]),
            rule_label(rules[i], known[i].priority) + ": its " +
                std::string(to_string(sel.list_kind)) + " holds the same set of entries as " +
                rule_label(rules[it->second], known[it->second].priority) + " in the " +
                class_name + " storage class; each rule needs a unique set"));
      }
    }
  }
}

/// validate() for rules whose fields may be partly unknown (see rule_fields). `known` has one
/// entry per rule.
[[nodiscard]] inline std::vector<diagnostic> validate_rules(std::span<const rule> rules,
                                                            std::span<const rule_fields> known) {
  std::vector<diagnostic> out;
  for (std::size_t i = 0; i < rules.size(); ++i) check_rule(rules[i], known[i], out);
  check_rules_together(rules, known, out);
  return out;
}

}  // namespace detail

/// Every semantic check ECR applies to a policy, on the model (no JSON needed): unique
/// priorities in 1..2147483647, countNumber in 1..2147483647 (at least 90 for
/// sinceImageTransitioned), count type vs storage class and action, tag lists (required and
/// non-empty for tagged rules, absent otherwise, at most four `*` per pattern), per storage class
/// the `any` rule last, one `untagged` rule and unique tag-list sets, and at most 50 rules.
///
/// Diagnostics point at `/rules/<source_index>/...`: set rule::source_index when building a policy
/// in code. parse_policy() runs these checks itself. Codes are listed in docs/diagnostics.md.
///
/// @code
/// ecrlp::lifecycle_policy p;
/// ecrlp::rule& r = p.rules.emplace_back();
/// r.priority = 0;  // gives rule.priority.out_of_range at /rules/0/rulePriority
/// for (const auto& d : ecrlp::validate(p)) std::cerr << d.code << ": " << d.message << '\n';
/// @endcode
[[nodiscard]] inline std::vector<diagnostic> validate(const lifecycle_policy& policy) {
  const std::vector<detail::rule_fields> known(policy.rules.size());
  return detail::validate_rules(policy.rules, known);
}

}  // namespace ecrlp
