// SPDX-License-Identifier: MIT
// Tests of validate(): the semantic checks on policies built in code, without any JSON.

#include <ecrlp/validate.hpp>

#include "catch.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace {

using ecrlp::action_type;
using ecrlp::count_type;
using ecrlp::storage_class;
using ecrlp::tag_list_kind;
using ecrlp::tag_status;

/// A rule at document position `index` with priority `priority`, by default `any` /
/// imageCountMoreThan 1 / expire.
ecrlp::rule make_rule(std::size_t index, std::int64_t priority) {
  ecrlp::rule r;
  r.source_index = index;
  r.priority = priority;
  r.selection.status = tag_status::any;
  r.selection.type = count_type::image_count_more_than;
  r.selection.count_number = 1;
  r.action.type = action_type::expire;
  return r;
}

ecrlp::rule tagged(ecrlp::rule r, tag_list_kind kind, std::vector<std::string> list) {
  r.selection.status = tag_status::tagged;
  r.selection.list_kind = kind;
  r.selection.tag_list = std::move(list);
  return r;
}

ecrlp::rule untagged(ecrlp::rule r) {
  r.selection.status = tag_status::untagged;
  return r;
}

ecrlp::rule archive_expire(ecrlp::rule r, std::int64_t days) {
  r.selection.storage = storage_class::archive;
  r.selection.type = count_type::since_image_transitioned;
  r.selection.count_number = days;
  return r;
}

ecrlp::rule transition(ecrlp::rule r) {
  r.action.type = action_type::transition;
  return r;
}

ecrlp::lifecycle_policy policy_of(std::initializer_list<ecrlp::rule> rules) {
  ecrlp::lifecycle_policy p;
  p.rules = rules;
  return p;
}

/// (code, pointer) of every diagnostic, sorted.
std::vector<std::pair<std::string, std::string>> check(const ecrlp::lifecycle_policy& p) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& d : ecrlp::validate(p)) {
    CHECK(d.level == ecrlp::severity::error);
    CHECK_FALSE(d.message.empty());
    out.emplace_back(d.code, d.pointer);
  }
  std::sort(out.begin(), out.end());
  return out;
}

using found = std::vector<std::pair<std::string, std::string>>;

}  // namespace

TEST_CASE("the documentation's policies are valid when built in code", "[validate]") {
  SECTION("TC-8: tagged, untagged (not last) and any rules") {
    CHECK(check(policy_of({tagged(make_rule(0, 1), tag_list_kind::pattern, {"alpha*"}),
                           untagged(make_rule(1, 2)), make_rule(2, 3)}))
              .empty());
  }
  SECTION("TC-12: two any rules in different storage classes") {
    auto first = make_rule(0, 1);
    first.selection.type = count_type::since_image_pushed;
    first.selection.count_number = 30;
    CHECK(check(policy_of({transition(first), archive_expire(make_rule(1, 2), 365)})).empty());
  }
  SECTION("TC-10 / TC-16: sinceImagePulled with transition") {
    auto r = make_rule(0, 1);
    r.selection.type = count_type::since_image_pulled;
    r.selection.count_number = 90;
    CHECK(check(policy_of({transition(r)})).empty());
  }
  SECTION("an empty policy") { CHECK(check(ecrlp::lifecycle_policy{}).empty()); }
}

TEST_CASE("priorities: unique, 1..2147483647", "[validate]") {
  CHECK(check(policy_of({tagged(make_rule(0, 5), tag_list_kind::prefix, {"a"}),
                         tagged(make_rule(1, 5), tag_list_kind::prefix, {"b"}),
                         tagged(make_rule(2, 5), tag_list_kind::prefix, {"c"})})) ==
        found{{"rule.priority.duplicate", "/rules/1/rulePriority"},
              {"rule.priority.duplicate", "/rules/2/rulePriority"}});
  CHECK(check(policy_of({make_rule(0, 0)})) ==
        found{{"rule.priority.out_of_range", "/rules/0/rulePriority"}});
  CHECK(check(policy_of({make_rule(0, -3)})) ==
        found{{"rule.priority.out_of_range", "/rules/0/rulePriority"}});
  CHECK(check(policy_of({make_rule(0, ecrlp::max_policy_integer)})).empty());
  CHECK(check(policy_of({make_rule(0, ecrlp::max_policy_integer + 1)})) ==
        found{{"rule.priority.out_of_range", "/rules/0/rulePriority"}});

  const auto diags = ecrlp::validate(policy_of({make_rule(0, 0)}));
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].aws_message ==
        "Lifecycle policy validation failure: numeric instance is lower than the required minimum "
        "(minimum: 1, found: 0)");
}

TEST_CASE("countNumber: 1..2147483647, at least 90 for sinceImageTransitioned", "[validate]") {
  auto r = make_rule(0, 1);
  r.selection.count_number = 0;
  CHECK(check(policy_of({r})) ==
        found{{"selection.count_number.out_of_range", "/rules/0/selection/countNumber"}});
  r.selection.count_number = ecrlp::max_policy_integer + 1;
  CHECK(check(policy_of({r})) ==
        found{{"selection.count_number.out_of_range", "/rules/0/selection/countNumber"}});

  CHECK(check(policy_of({archive_expire(make_rule(0, 1), 90)})).empty());
  CHECK(check(policy_of({archive_expire(make_rule(0, 1), 89)})) ==
        found{{"selection.count_number.archive_minimum", "/rules/0/selection/countNumber"}});
  // 0 is out of range; saying it is also below 90 would be noise.
  CHECK(check(policy_of({archive_expire(make_rule(0, 1), 0)})) ==
        found{{"selection.count_number.out_of_range", "/rules/0/selection/countNumber"}});
}

TEST_CASE("count type, storage class and action must fit together", "[validate]") {
  SECTION("archive only with sinceImageTransitioned") {
    auto r = make_rule(0, 1);
    r.selection.storage = storage_class::archive;
    CHECK(check(policy_of({r})) ==
          found{{"selection.storage_class.mismatch", "/rules/0/selection/storageClass"}});
  }
  SECTION("sinceImageTransitioned requires archive") {
    auto r = archive_expire(make_rule(0, 1), 365);
    r.selection.storage = storage_class::standard;
    const auto diags = ecrlp::validate(policy_of({r}));
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].code == "selection.storage_class.mismatch");
    CHECK(diags[0].pointer == "/rules/0/selection/countType");
    CHECK(diags[0].aws_message ==
          "Lifecycle policy validation failure: instance failed to match exactly one schema "
          "(matched 0 out of 4)");
  }
  SECTION("sinceImagePulled cannot expire (TC-16)") {
    auto r = make_rule(0, 1);
    r.selection.type = count_type::since_image_pulled;
    CHECK(check(policy_of({r})) == found{{"action.type.mismatch", "/rules/0/action/type"}});
  }
  SECTION("sinceImageTransitioned cannot transition") {
    CHECK(check(policy_of({transition(archive_expire(make_rule(0, 1), 365))})) ==
          found{{"action.type.mismatch", "/rules/0/action/type"}});
  }
  SECTION("imageCountMoreThan and sinceImagePushed may expire or transition") {
    for (const auto type : {count_type::image_count_more_than, count_type::since_image_pushed}) {
      auto r = make_rule(0, 1);
      r.selection.type = type;
      CHECK(check(policy_of({r})).empty());
      CHECK(check(policy_of({transition(r)})).empty());
    }
  }
}

TEST_CASE("tag lists", "[validate]") {
  SECTION("a tagged rule needs a list") {
    auto r = make_rule(0, 1);
    r.selection.status = tag_status::tagged;
    const auto diags = ecrlp::validate(policy_of({r}));
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].code == "selection.tag_list.missing");
    CHECK(diags[0].pointer == "/rules/0/selection");
    CHECK(diags[0].aws_message ==
          "Lifecycle policy validation failure: Must specify tagPrefixList or tagPatternList when "
          "tagStatus=TAGGED.");
  }
  SECTION("an empty list") {
    CHECK(check(policy_of({tagged(make_rule(0, 1), tag_list_kind::prefix, {})})) ==
          found{{"selection.tag_list.empty", "/rules/0/selection/tagPrefixList"}});
  }
  SECTION("lists only on tagged rules") {
    auto any_rule = make_rule(0, 1);
    any_rule.selection.list_kind = tag_list_kind::pattern;
    any_rule.selection.tag_list = {"x*"};
    CHECK(check(policy_of({any_rule})) ==
          found{{"selection.tag_list.not_allowed", "/rules/0/selection/tagPatternList"}});
    auto untagged_rule = untagged(make_rule(0, 1));
    untagged_rule.selection.list_kind = tag_list_kind::prefix;
    CHECK(check(policy_of({untagged_rule})) ==
          found{{"selection.tag_list.not_allowed", "/rules/0/selection/tagPrefixList"}});
  }
  SECTION("at most four wildcards per pattern") {
    CHECK(check(policy_of({tagged(make_rule(0, 1), tag_list_kind::pattern,
                                  {"*test*1*2*3", "test*1*2*3*"})}))
              .empty());
    CHECK(
        check(policy_of({tagged(make_rule(3, 1), tag_list_kind::pattern,
                                {"ok*", "test*1*2*3*4*5*6", "*****"})})) ==
        found{{"selection.tag_pattern.too_many_wildcards", "/rules/3/selection/tagPatternList/1"},
              {"selection.tag_pattern.too_many_wildcards", "/rules/3/selection/tagPatternList/2"}});
    // `*` is literal in a prefix.
    CHECK(check(policy_of({tagged(make_rule(0, 1), tag_list_kind::prefix, {"*****"})})).empty());
  }
}

TEST_CASE("an any rule must be last in its storage class", "[validate]") {
  SECTION("an any rule before a tagged rule") {
    const auto diags = ecrlp::validate(
        policy_of({tagged(make_rule(0, 30), tag_list_kind::prefix, {"a"}), make_rule(1, 10)}));
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].code == "policy.any_not_last");
    CHECK(diags[0].pointer == "/rules/1/rulePriority");
    CHECK(diags[0].message.find("rule 2 (priority 10)") == 0);
    CHECK(diags[0].message.find("rule 1 (priority 30)") != std::string::npos);
    CHECK(diags[0].aws_message ==
          "Lifecycle policy validation failure: Rule for tagStatus=ANY must have the lowest "
          "priority per storage class");
  }
  SECTION("two any rules in one storage class: the first is not last") {
    CHECK(check(policy_of({make_rule(0, 2), make_rule(1, 1)})) ==
          found{{"policy.any_not_last", "/rules/1/rulePriority"}});
  }
  SECTION("rules of the other storage class do not count") {
    auto standard_any = make_rule(0, 1);
    standard_any.selection.type = count_type::since_image_pushed;
    standard_any.selection.count_number = 30;
    auto archive_tagged =
        tagged(archive_expire(make_rule(1, 5), 365), tag_list_kind::prefix, {"a"});
    CHECK(check(policy_of({transition(standard_any), archive_tagged})).empty());
    // ... but within the archive class the order matters.
    CHECK(check(policy_of({archive_expire(make_rule(0, 1), 365), archive_tagged})) ==
          found{{"policy.any_not_last", "/rules/0/rulePriority"}});
  }
}

TEST_CASE("one untagged rule per storage class", "[validate]") {
  const auto diags =
      ecrlp::validate(policy_of({untagged(make_rule(0, 1)), untagged(make_rule(1, 2))}));
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].code == "policy.untagged_duplicate");
  CHECK(diags[0].pointer == "/rules/1/selection/tagStatus");
  CHECK(diags[0].aws_message ==
        "Lifecycle policy validation failure: Only one rule can select Untagged images per "
        "storage class.");
  // One in each class is fine.
  CHECK(check(policy_of({untagged(make_rule(0, 1)), untagged(archive_expire(make_rule(1, 2), 90))}))
            .empty());
  // An any rule does not count as selecting untagged images.
  CHECK(check(policy_of({untagged(make_rule(0, 1)), make_rule(1, 2)})).empty());
}

TEST_CASE("tag-list sets are unique per storage class and list kind", "[validate]") {
  SECTION("same prefixes in another order, with a repeat") {
    CHECK(check(policy_of(
              {tagged(make_rule(0, 1), tag_list_kind::prefix, {"prod", "web"}),
               tagged(make_rule(1, 2), tag_list_kind::prefix, {"web", "prod", "web"})})) ==
          found{{"policy.tag_list_duplicate", "/rules/1/selection/tagPrefixList"}});
  }
  SECTION("same patterns") {
    CHECK(check(policy_of({tagged(make_rule(0, 1), tag_list_kind::pattern, {"v*"}),
                           tagged(make_rule(1, 2), tag_list_kind::pattern, {"v*"})})) ==
          found{{"policy.tag_list_duplicate", "/rules/1/selection/tagPatternList"}});
  }
  SECTION("a subset, a prefix list vs a pattern list, other storage classes: all fine") {
    CHECK(check(policy_of(
                    {tagged(make_rule(0, 1), tag_list_kind::prefix, {"prod", "web"}),
                     tagged(make_rule(1, 2), tag_list_kind::prefix, {"prod"}),
                     tagged(make_rule(2, 3), tag_list_kind::pattern, {"prod"}),
                     tagged(archive_expire(make_rule(3, 4), 90), tag_list_kind::prefix, {"prod"})}))
              .empty());
  }
}

TEST_CASE("at most 50 rules", "[validate]") {
  ecrlp::lifecycle_policy p;
  for (std::size_t i = 0; i < 50; ++i) {
    p.rules.push_back(tagged(make_rule(i, static_cast<std::int64_t>(i) + 1), tag_list_kind::prefix,
                             {"team-" + std::to_string(i)}));
  }
  CHECK(check(p).empty());
  p.rules.push_back(tagged(make_rule(50, 51), tag_list_kind::prefix, {"team-50"}));
  CHECK(check(p) == found{{"policy.too_many_rules", "/rules"}});
}

TEST_CASE("pointers come from source_index, messages name the priority", "[validate]") {
  auto r = make_rule(7, 20);
  r.selection.count_number = 0;
  const auto diags = ecrlp::validate(policy_of({r}));
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].pointer == "/rules/7/selection/countNumber");
  CHECK(diags[0].message.find("rule 8 (priority 20): ") == 0);
  CHECK(diags[0].line == 0);  // a model has no positions
}

TEST_CASE("checks needing an unknown field are skipped", "[validate]") {
  // What the parser does for a rule whose fields it could not read.
  auto r = make_rule(0, 0);
  r.selection.status = tag_status::tagged;  // as if tagStatus were read, but no list
  r.selection.storage = storage_class::archive;
  ecrlp::detail::rule_fields known;
  known.priority = false;
  known.tag_list = false;
  known.count_type = false;
  const std::vector<ecrlp::rule> rules{r};
  const std::vector<ecrlp::detail::rule_fields> fields{known};
  CHECK(ecrlp::detail::validate_rules(rules, fields).empty());

  known = {};
  const std::vector<ecrlp::detail::rule_fields> all_known{known};
  CHECK(ecrlp::detail::validate_rules(rules, all_known).size() == 3);  // priority, list, storage
}
