// SPDX-License-Identifier: MIT
// The `iac.*` diagnostics of parse_policy_sources / load_policy_sources (docs/diagnostics.md), the
// limits (docs/limits.md) on generated hostile input, and parse_found_policy placing a policy's
// own diagnostics where the policy is spelled in the plan or template.

#include <ecrlp/iac.hpp>
#include <ecrlp/policy_parser.hpp>

#include "catch.hpp"
#include "parser_test_util.hpp"
#include "test_files.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;
using ecrlp::diagnostic;
using ecrlp::policy_source_format;
using parser_test::count_code;
using parser_test::dump;

constexpr std::string_view valid_policy =
    R"({"rules":[{"rulePriority":1,"description":"Expire untagged images older than 14 days",)"
    R"("selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days",)"
    R"("countNumber":14},"action":{"type":"expire"}}]})";

/// `s` as a JSON string literal (quotes and backslashes escaped).
std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

/// A plan with one aws_ecr_lifecycle_policy change whose `after` is `after` (JSON text) and whose
/// after_unknown is `unknown`.
std::string plan_with(std::string_view after, std::string_view unknown = "{}",
                      std::string_view actions = R"(["create"])") {
  return R"({"format_version":"1.2","terraform_version":"1.9.5","resource_changes":[)"
         R"({"address":"aws_ecr_lifecycle_policy.x","mode":"managed",)"
         R"("type":"aws_ecr_lifecycle_policy","name":"x","change":{"actions":)" +
         std::string(actions) + R"(,"before":null,"after":)" + std::string(after) +
         R"(,"after_unknown":)" + std::string(unknown) + "}}]}";
}

/// A YAML template with one repository whose LifecyclePolicy is `lifecycle` (indented by 6).
std::string template_with(std::string_view lifecycle) {
  return "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Repo:\n"
         "    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: repo\n" +
         std::string(lifecycle);
}

/// Every diagnostic of `text` read as `format`: the document's and its policies'.
std::vector<diagnostic> diagnostics_of(
    std::string_view text, policy_source_format format = policy_source_format::automatic) {
  return ecrlp::all_diagnostics(ecrlp::parse_policy_sources(text, "in.txt", format));
}

/// The one diagnostic of `diags` with `code` (a copy: `diags` is often a temporary); fails the
/// test otherwise.
diagnostic only(const std::vector<diagnostic>& diags, std::string_view code) {
  INFO(dump(diags));
  REQUIRE(count_code(diags, code) == 1);
  for (const auto& d : diags) {
    if (d.code == code) return d;
  }
  return {};
}

/// Checks what every diagnostic of a refused input must satisfy.
void check_bounded(const std::vector<diagnostic>& diags, std::size_t size) {
  REQUIRE(ecrlp::has_errors(diags));
  for (const auto& d : diags) {
    INFO(d.code << ": " << d.message.substr(0, 200));
    CHECK(d.code.starts_with("iac."));
    CHECK(d.file == "in.txt");
    CHECK(d.byte <= size);
    CHECK(d.line != 0);
    CHECK(d.message.size() < 1024);
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Policies that cannot be known before deployment

TEST_CASE("iac.unknown_value: a policy known only after apply", "[iac][iac_diagnostics]") {
  const std::string plan = plan_with(R"({"repository":"x"})", R"({"id":true,"policy":true})");
  const auto r = ecrlp::parse_policy_sources(plan, "in.txt");
  REQUIRE(r.ok());
  REQUIRE(r.value->policies.size() == 1);
  const auto& p = r.value->policies[0];
  CHECK_FALSE(p.evaluable());
  CHECK(p.repository == "x");
  const diagnostic d = only(p.diagnostics, "iac.unknown_value");
  CHECK(d.pointer == "/resource_changes/0/change/after/policy");
  CHECK(d.message.find("aws_ecr_lifecycle_policy.x") != std::string::npos);
  CHECK(plan.substr(d.byte, 4) == "true");  // after_unknown.policy
  // parse_found_policy gives the same reason, no value.
  const auto parsed = ecrlp::parse_found_policy(p);
  CHECK_FALSE(parsed.value);
  CHECK(count_code(parsed.diagnostics, "iac.unknown_value") == 1);

  SECTION("a whole after value unknown") {
    CHECK(count_code(diagnostics_of(plan_with("null", "true")), "iac.unknown_value") == 1);
  }
  SECTION("planned_values leaves unknown values out") {
    const std::string planned =
        R"({"format_version":"1.2","planned_values":{"root_module":{"child_modules":[)"
        R"({"address":"module.m","resources":[{"address":"module.m.aws_ecr_lifecycle_policy.p",)"
        R"("mode":"managed","type":"aws_ecr_lifecycle_policy","name":"p",)"
        R"("values":{"repository":"r"}}]}]}}})";
    const auto diags = diagnostics_of(planned);
    CHECK(only(diags, "iac.unknown_value").message.find("module.m.aws_ecr_lifecycle_policy.p") !=
          std::string::npos);
  }
}

TEST_CASE("iac.intrinsic: a policy CloudFormation builds", "[iac][iac_diagnostics]") {
  for (const std::string_view lifecycle :
       {"      LifecyclePolicy: !If [Prod, {LifecyclePolicyText: x}, !Ref AWS::NoValue]\n",
        "      LifecyclePolicy:\n        LifecyclePolicyText: !GetAtt Other.Text\n",
        "      LifecyclePolicy:\n        LifecyclePolicyText: !ImportValue shared-policy\n",
        "      LifecyclePolicy:\n        LifecyclePolicyText: !Unknown {a: 1}\n",
        "      LifecyclePolicy:\n        LifecyclePolicyText:\n          Fn::FindInMap: [M, a, "
        "b]\n",
        "      LifecyclePolicy:\n        LifecyclePolicyText: {Ref: PolicyParameter}\n"}) {
    INFO(lifecycle);
    const auto diags = diagnostics_of(template_with(lifecycle));
    const diagnostic d = only(diags, "iac.intrinsic");
    CHECK(d.message.find(" of Repo is built by ") != std::string::npos);
    CHECK(d.line >= 7);
  }
  SECTION("Properties built by Fn::If") {
    const std::string t =
        "Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n"
        "    Properties: !If [Prod, {RepositoryName: a}, {RepositoryName: b}]\n";
    CHECK(only(diagnostics_of(t), "iac.intrinsic").message.find("!If") != std::string::npos);
  }
  SECTION("Fn::Sub of a string without ${ is that string") {
    const std::string yaml =
        template_with("      LifecyclePolicy:\n        LifecyclePolicyText: !Sub '" +
                      std::string(valid_policy) + "'\n");
    const std::string json = R"({"Resources":{"Repo":{"Type":"AWS::ECR::Repository","Properties":)"
                             R"({"LifecyclePolicy":{"LifecyclePolicyText":{"Fn::Sub":[)" +
                             json_string(valid_policy) + ",{}]}}}}}}";
    for (const auto& t : {yaml, json}) {
      const auto r = ecrlp::parse_policy_sources(t, "in.txt");
      INFO(dump(ecrlp::all_diagnostics(r)));
      REQUIRE(r.ok());
      REQUIRE(r.value->policies.size() == 1);
      CHECK(r.value->policies[0].text == valid_policy);
      CHECK(ecrlp::parse_found_policy(r.value->policies[0]).ok());
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Wrong shapes

TEST_CASE("iac.wrong_type", "[iac][iac_diagnostics]") {
  SECTION("a Terraform policy that is not a string") {
    const diagnostic d =
        only(diagnostics_of(plan_with(R"({"policy":42,"repository":"x"})")), "iac.wrong_type");
    CHECK(d.pointer == "/resource_changes/0/change/after/policy");
    CHECK(d.message.find("aws_ecr_lifecycle_policy.x") != std::string::npos);
  }
  SECTION("a Terraform policy that is null and not unknown") {
    CHECK(count_code(diagnostics_of(plan_with(R"({"policy":null})")), "iac.wrong_type") == 1);
  }
  SECTION("resource_changes that is not an array") {
    const auto r = ecrlp::parse_policy_sources(
        R"({"format_version":"1.2","resource_changes":{"a":1}})", "in.txt");
    CHECK_FALSE(r.value);
    CHECK(only(r.diagnostics, "iac.wrong_type").pointer == "/resource_changes");
  }
  SECTION("a state module whose resources are not an array") {
    const auto r = ecrlp::parse_policy_sources(
        R"({"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{"resources":7}}})",
        "in.txt");
    CHECK_FALSE(r.value);
    CHECK(only(r.diagnostics, "iac.wrong_type").pointer == "/values/root_module/resources");
  }
  SECTION("Resources that is a list") {
    const auto r = ecrlp::parse_policy_sources("Resources:\n  - a\n  - b\n", "in.txt");
    CHECK_FALSE(r.value);
    const diagnostic d = only(r.diagnostics, "iac.wrong_type");
    CHECK(d.pointer == "/Resources");
    CHECK(d.line == 2);
  }
  SECTION("a LifecyclePolicyText that is a mapping, a number, null") {
    for (const std::string_view text : {"{rules: []}", "42", "~", "[]"}) {
      const auto diags = diagnostics_of(template_with(
          "      LifecyclePolicy:\n        LifecyclePolicyText: " + std::string(text) + "\n"));
      INFO(text);
      const bool is_number = text == "42";  // a YAML scalar: a string "42" to parse_policy
      CHECK(count_code(diags, "iac.wrong_type") == (is_number ? 0 : 1));
    }
  }
  SECTION("a resource without Type") {
    const auto r =
        ecrlp::parse_policy_sources("Resources:\n  Repo:\n    Properties: {}\n", "in.txt");
    CHECK(only(r.diagnostics, "iac.wrong_type").pointer == "/Resources/Repo");
  }
}

TEST_CASE("iac.format_version and iac.unknown_action", "[iac][iac_diagnostics]") {
  const auto r = ecrlp::parse_policy_sources(
      R"({"format_version":"2.0","terraform_version":"9.0.0","values":{}})", "in.txt");
  CHECK_FALSE(r.value);
  CHECK(only(r.diagnostics, "iac.format_version").pointer == "/format_version");

  const auto plan = ecrlp::parse_policy_sources(
      plan_with(R"({"policy":"x"})", "{}", R"(["create","teleport"])"), "in.txt");
  REQUIRE(plan.ok());
  REQUIRE(plan.value->changes.size() == 1);
  CHECK(plan.value->changes[0].action == ecrlp::change_action::unknown);
  CHECK(only(plan.value->changes[0].diagnostics, "iac.unknown_action").pointer ==
        "/resource_changes/0/change/actions");
  CHECK(count_code(ecrlp::all_diagnostics(plan), "iac.unknown_action") == 1);

  for (const auto& [actions, action] : std::vector<std::pair<std::string, ecrlp::change_action>>{
           {R"(["create","delete"])", ecrlp::change_action::replace},
           {R"(["forget"])", ecrlp::change_action::forget},
           {R"(["read"])", ecrlp::change_action::read}}) {
    const auto c = ecrlp::parse_policy_sources(plan_with(R"({"policy":"x"})", "{}", actions), "in");
    REQUIRE(c.ok());
    CHECK(c.value->changes.at(0).action == action);
  }
}

TEST_CASE("iac.duplicate_key, in JSON and in YAML", "[iac][iac_diagnostics]") {
  const std::string json =
      R"({"Resources":{"Repo":{"Type":"AWS::ECR::Repository"},"Repo":{"Type":"AWS::S3::Bucket"}}})";
  const auto j = ecrlp::parse_policy_sources(json, "in.txt");
  CHECK_FALSE(j.value);
  const diagnostic dj = only(j.diagnostics, "iac.duplicate_key");
  CHECK(dj.pointer == "/Resources/Repo");
  CHECK(dj.column == json.rfind("\"Repo\"") + 1);

  const std::string yaml =
      "Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n  Repo:\n"
      "    Type: AWS::S3::Bucket\n";
  const auto y = ecrlp::parse_policy_sources(yaml, "in.txt");
  CHECK_FALSE(y.value);
  const diagnostic dy = only(y.diagnostics, "iac.duplicate_key");
  CHECK(dy.pointer == "/Resources/Repo");
  CHECK(dy.line == 4);
  CHECK(dy.column == 3);
}

TEST_CASE("iac.yaml_unsupported: aliases, merge keys, complex keys, documents",
          "[iac][iac_diagnostics]") {
  for (const std::string_view yaml :
       {"Resources:\n  A: &a {Type: AWS::S3::Bucket}\n  B: *a\n",
        "Resources:\n  A: &a {Type: AWS::S3::Bucket}\n  B:\n    <<: *a\n",
        "Resources:\n  ? [a, b]\n  : 1\n", "Resources: {}\n---\nResources: {}\n"}) {
    INFO(yaml);
    const auto r = ecrlp::parse_policy_sources(yaml, "in.txt");
    CHECK_FALSE(r.value);
    const diagnostic d = only(r.diagnostics, "iac.yaml_unsupported");
    CHECK(d.line > 1);
  }
  SECTION("billion laughs: refused at the first alias, at once") {
    std::string yaml = "Resources: {}\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (int i = 1; i < 30; ++i) {
      const std::string prev = "*a" + std::to_string(i - 1);
      yaml += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
      for (int k = 0; k < 8; ++k) yaml += ", " + prev;
      yaml += "]\n";
    }
    const auto start = std::chrono::steady_clock::now();
    const auto r = ecrlp::parse_policy_sources(yaml, "in.txt");
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds{2});
    CHECK(only(r.diagnostics, "iac.yaml_unsupported").line == 3);
  }
}

// ---------------------------------------------------------------------------------------------
// Limits and broken text

TEST_CASE("iac.too_deep, without recursion", "[iac][iac_diagnostics]") {
  const std::string open(100000, '[');
  const std::string close(100000, ']');
  const std::string plan = R"({"format_version":"1.2","resource_changes":)" + open + close + "}";
  const auto j = diagnostics_of(plan);
  check_bounded(j, plan.size());
  CHECK(count_code(j, "iac.too_deep") == 1);

  const std::string flow = "Resources:\n  A: " + open + close + "\n";
  const auto f = diagnostics_of(flow);
  check_bounded(f, flow.size());
  CHECK(count_code(f, "iac.too_deep") == 1);

  std::string block = "Resources:\n";
  for (int i = 1; i < 300; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "a:\n";
  const auto b = diagnostics_of(block);
  check_bounded(b, block.size());
  CHECK(count_code(b, "iac.too_deep") == 1);
}

TEST_CASE("iac.too_many_values, and what is dropped does not count", "[iac][iac_diagnostics]") {
  SECTION("a plan of a million values in resources of no interest is read") {
    std::string plan = R"({"format_version":"1.2","resource_changes":[)";
    for (int i = 0; i < 100000; ++i) {
      plan +=
          R"({"address":"aws_s3_bucket.b)" + std::to_string(i) +
          R"(","mode":"managed","type":"aws_s3_bucket","name":"b","change":{"actions":["no-op"],)"
          R"("before":{"tags":[1,2,3]},"after":{"tags":[1,2,3]}}},)";
    }
    plan += R"({"address":"aws_ecr_lifecycle_policy.x","mode":"managed",)"
            R"("type":"aws_ecr_lifecycle_policy","name":"x","change":{"actions":["create"],)"
            R"("before":null,"after":{"policy":"x"},"after_unknown":{}}}]})";
    const auto r = ecrlp::parse_policy_sources(plan, "in.txt");
    INFO(dump(r.diagnostics));
    REQUIRE(r.ok());
    CHECK(r.value->changes.size() == 1);
  }
  SECTION("but not a million values in one repository") {
    std::string big = "[0";
    for (int i = 0; i < 600000; ++i) big += ",0";
    big += "]";
    const std::string plan = plan_with(R"({"policy":"x","extra":)" + big + "}");
    const auto diags = diagnostics_of(plan);
    check_bounded(diags, plan.size());
    CHECK(count_code(diags, "iac.too_many_values") == 1);

    std::string yaml = "Resources:\n  Repo:\n    Type: AWS::ECR::Repository\n    Extra: [0";
    for (int i = 0; i < 250000; ++i) yaml += ",0";
    yaml += "]\n";
    const auto ydiags = diagnostics_of(yaml);
    check_bounded(ydiags, yaml.size());
    CHECK(count_code(ydiags, "iac.too_many_values") == 1);
  }
}

TEST_CASE("iac.too_many_errors: a hundred, then one more and no more", "[iac][iac_diagnostics]") {
  std::string yaml = "Resources:\n";
  for (int i = 0; i < 5000; ++i) yaml += "  R" + std::to_string(i) + ": {Properties: {}}\n";
  std::string json = R"({"format_version":"1.2","resource_changes":[)";
  for (int i = 0; i < 5000; ++i) json += "1,";
  json += "1]}";
  std::string duplicates = "Resources:\n  R:\n";
  for (int i = 0; i < 5000; ++i) duplicates += "    k: v\n";
  for (const auto& doc : {yaml, json, duplicates}) {
    const auto r = ecrlp::parse_policy_sources(doc, "in.txt");
    CHECK_FALSE(r.value);
    CHECK(r.diagnostics.size() == 101);
    CHECK(only(r.diagnostics, "iac.too_many_errors").byte > doc.size() / 100);
  }
}

TEST_CASE("iac.syntax, iac.encoding, iac.too_large", "[iac][iac_diagnostics]") {
  SECTION("a truncated plan") {
    const std::string plan = plan_with(R"({"policy":"x"})");
    const std::string cut = plan.substr(0, plan.size() / 2);
    const auto diags = diagnostics_of(cut);
    check_bounded(diags, cut.size());
    CHECK(only(diags, "iac.syntax").line == 1);
  }
  SECTION("a broken YAML template") {
    const std::string yaml = "AWSTemplateFormatVersion: 2010-09-09\nResources:\n\tRepo: {}\n";
    const diagnostic d = only(diagnostics_of(yaml), "iac.syntax");
    CHECK(d.line == 3);
    CHECK(d.message.starts_with("YAML: "));
  }
  SECTION("a NUL byte in a YAML template") {
    const std::string yaml = std::string("Resources:\n  A: b\0c\n", 20);
    CHECK(only(diagnostics_of(yaml), "iac.syntax").column == 7);
  }
  SECTION("an empty YAML template") {
    CHECK(count_code(diagnostics_of("# Resources: none\n", policy_source_format::cloudformation),
                     "iac.syntax") == 1);
  }
  SECTION("a byte that is not UTF-8") {
    const std::string plan = plan_with(R"({"policy":"caf)" + std::string("\xE9") + "\"}");
    const diagnostic d = only(diagnostics_of(plan), "iac.encoding");
    CHECK(d.byte == plan.find('\xE9'));
  }
  SECTION("above 64 MiB, above 1 MiB of YAML") {
    std::string plan = plan_with(R"({"policy":"x"})");
    plan.append(std::size_t{64} * 1024 * 1024, ' ');
    CHECK(count_code(diagnostics_of(plan), "iac.too_large") == 1);
    std::string yaml = "Resources: {}\n";
    yaml.append(std::size_t{1024} * 1024, '#');
    CHECK(count_code(diagnostics_of(yaml), "iac.too_large") == 1);
  }
}

TEST_CASE("iac.not_policy: an AWS response where a policy belongs", "[iac][iac_diagnostics]") {
  const std::string wrapped =
      R"({"registryId":"123456789012","repositoryName":"x","lifecyclePolicyText":)" +
      json_string(valid_policy) + "}";
  const auto r =
      ecrlp::parse_policy_sources(plan_with(R"({"policy":)" + json_string(wrapped) + "}"), "in");
  REQUIRE(r.ok());
  const auto parsed = ecrlp::parse_found_policy(r.value->policies.at(0));
  CHECK_FALSE(parsed.value);
  CHECK(count_code(parsed.diagnostics, "iac.not_policy") == 1);
}

TEST_CASE("files and directories", "[iac][iac_diagnostics]") {
  const test_files::temp_dir dir{"ecrlp-iac-diag-"};
  const auto missing = ecrlp::load_policy_sources(dir.path / "missing.json");
  CHECK(only(missing.diagnostics, "io.read").line == 0);

  fs::create_directories(dir.path / "empty");
  const auto empty = ecrlp::load_policy_sources(dir.path / "empty");
  CHECK(only(empty.diagnostics, "iac.no_templates").file == (dir.path / "empty").string());
  // A directory forced to be a policy: what load_policy says of it.
  const auto as_policy =
      ecrlp::load_policy_sources(dir.path / "empty", policy_source_format::policy);
  const auto expected = ecrlp::load_policy(dir.path / "empty");
  CHECK(only(as_policy.diagnostics, "io.read").message == expected.diagnostics.at(0).message);

  SECTION("a policy file above 16 MiB: load_policy's io.too_large") {
    const auto big = dir.write("big.json", std::string(std::size_t{16} * 1024 * 1024 + 1, ' '));
    const auto r = ecrlp::load_policy_sources(big);
    const auto e = ecrlp::load_policy(big);
    CHECK(only(r.diagnostics, "io.too_large").message == e.diagnostics.at(0).message);
  }
  SECTION("a plan above 64 MiB: this reader's io.too_large") {
    std::string plan = plan_with(R"({"policy":"x"})");
    plan.append(std::size_t{64} * 1024 * 1024, ' ');
    const auto r = ecrlp::load_policy_sources(dir.write("plan.json", plan));
    CHECK(only(r.diagnostics, "io.too_large").message.find("64 MiB") != std::string::npos);
  }
  SECTION("a template that is broken in a cdk.out directory") {
    fs::create_directories(dir.path / "cdk.out");
    (void)dir.write("cdk.out/A.template.json", R"({"Resources":{}})");
    (void)dir.write("cdk.out/B.template.json", R"({"Resources": [}})");
    const auto r = ecrlp::load_policy_sources(dir.path / "cdk.out");
    CHECK_FALSE(r.value);
    CHECK(only(r.diagnostics, "iac.syntax").file ==
          (dir.path / "cdk.out" / "B.template.json").string());
  }
}

// ---------------------------------------------------------------------------------------------
// A policy's own diagnostics, where the policy is spelled

TEST_CASE("parse_found_policy places a policy's diagnostics in the plan or template",
          "[iac][iac_diagnostics]") {
  // countNumber 0 is out of range: its diagnostic points at the 0.
  const std::string bad =
      R"({"rules": [{"rulePriority": 1, "description": "caf\u00e9 \ud83d\ude00 it's",)"
      R"( "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan",)"
      R"( "countNumber": 0}, "action": {"type": "expire"}}]})";
  const auto check = [](std::string_view source, std::string_view label, std::size_t expected_line,
                        std::string_view after) {
    INFO(label << "\n" << source);
    const auto r = ecrlp::parse_policy_sources(source, "in.txt");
    INFO(dump(ecrlp::all_diagnostics(r)));
    REQUIRE(r.ok());
    REQUIRE(r.value->policies.size() == 1);
    const auto parsed = ecrlp::parse_found_policy(r.value->policies[0]);
    const diagnostic d = only(parsed.diagnostics, "selection.count_number.out_of_range");
    CHECK(d.pointer == "/rules/0/selection/countNumber");
    CHECK(d.file == "in.txt");
    if (expected_line != 0) CHECK(d.line == expected_line);
    CHECK(source.substr(d.byte, after.size()) == after);
  };
  check(plan_with(R"({"policy":)" + json_string(bad) + "}"), "plan", 1, "0}");
  check(template_with("      LifecyclePolicy:\n        LifecyclePolicyText: |\n          " +
                      std::string(bad) + "\n"),
        "literal block", 9, "0}");
  std::string pretty = bad;
  for (std::size_t at = pretty.find(", \""); at != std::string::npos;
       at = pretty.find(", \"", at)) {
    pretty.replace(at, 2, ",\n            ");
  }
  check(template_with("      LifecyclePolicy:\n        LifecyclePolicyText: |-\n          " +
                      pretty + "\n"),
        "literal block over lines", 0, "0}");
  std::string crlf = template_with(
      "      LifecyclePolicy:\n        LifecyclePolicyText: |\n          " + pretty + "\n");
  for (std::size_t at = crlf.find('\n'); at != std::string::npos; at = crlf.find('\n', at + 2)) {
    crlf.insert(at, "\r");
  }
  check(crlf, "literal block with CRLF", 0, "0}");
  std::string single = bad;
  single.replace(single.find("it's"), 4, "it''s");
  check(template_with("      LifecyclePolicy:\n        LifecyclePolicyText: '" + single + "'\n"),
        "single-quoted", 8, "0}");
  std::string dq = json_string(bad);
  check(template_with("      LifecyclePolicy:\n        LifecyclePolicyText: " + dq + "\n"),
        "double-quoted", 8, "0}");
  check(template_with("      LifecyclePolicy:\n        LifecyclePolicyText: >\n          " +
                      pretty + "\n"),
        "folded: at the scalar", 8, ">");
}

TEST_CASE("locate_in_source through escapes", "[iac][iac_diagnostics]") {
  // In the plan's string, "é" is \u00e9 (6 bytes for 2), the emoji a surrogate pair (12 bytes for
  // 4), the backslash and quote before z `\\\"` (4 bytes for 2).
  const std::string literal = R"("{\"rules\":[],\"x\":\"\u00e9\ud83d\ude00\\\"z\"}")";
  const std::string doc = plan_with(R"({"policy":)" + literal + "}");
  const auto r = ecrlp::parse_policy_sources(doc, "in.txt");
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  const auto& p = r.value->policies.at(0);
  CHECK(p.text == "{\"rules\":[],\"x\":\"\xC3\xA9\xF0\x9F\x98\x80\\\"z\"}");
  const std::size_t quote = doc.find(literal);
  CHECK(p.position.byte == quote);
  CHECK(doc[ecrlp::locate_in_source(p, 0).byte] == '{');
  CHECK(doc.substr(ecrlp::locate_in_source(p, p.text.find('\xC3')).byte, 6) == "\\u00e9");
  CHECK(doc.substr(ecrlp::locate_in_source(p, p.text.find('\xF0')).byte, 6) == "\\ud83d");
  const auto z = ecrlp::locate_in_source(p, p.text.find('z'));
  CHECK(doc[z.byte] == 'z');
  CHECK(z.column == z.byte + 1);
}

TEST_CASE("every iac code is documented, and tested here", "[iac][iac_diagnostics]") {
  // docs/diagnostics.md has one "#### `iac.<code>`" section per code.
  const std::set<std::string> tested = {
      "iac.too_large",       "iac.encoding",      "iac.syntax",           "iac.too_deep",
      "iac.too_many_values", "iac.duplicate_key", "iac.yaml_unsupported", "iac.format_mismatch",
      "iac.format_version",  "iac.wrong_type",    "iac.unknown_value",    "iac.intrinsic",
      "iac.unknown_action",  "iac.not_policy",    "iac.too_many_errors",  "iac.no_templates"};
  std::set<std::string> documented;
  std::ifstream doc(fs::path(ECRLP_SOURCE_DIR) / "docs" / "diagnostics.md");
  std::string line;
  while (std::getline(doc, line)) {
    if (line.rfind("#### `iac.", 0) == 0) documented.insert(line.substr(6, line.find('`', 6) - 6));
  }
  CHECK(documented == tested);
}
