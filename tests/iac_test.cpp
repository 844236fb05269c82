// SPDX-License-Identifier: MIT
// Tests of parse_policy_sources / load_policy_sources on the fixtures of tests/data/iac (a
// Terraform plan and state, a CloudFormation template in JSON and in YAML, a cdk.out directory):
// detection, addresses, repositories, plan changes, positions, and the same policy read from every
// source giving the same lifecycle_policy and the same decisions.
// Diagnostics and hostile input: iac_diagnostics_test.cpp.

#include <ecrlp/evaluate.hpp>
#include <ecrlp/iac.hpp>
#include <ecrlp/policy_parser.hpp>

#include "catch.hpp"
#include "parser_test_util.hpp"
#include "test_files.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace fs = std::filesystem;
using ecrlp::found_policy;
using ecrlp::policy_source_format;
using parser_test::dump;

const fs::path iac_dir = fs::path{ECRLP_TEST_DATA} / "iac";

std::string path_of(std::string_view name) { return (iac_dir / name).string(); }

/// The policy at `address` in `doc`; fails the test when there is not exactly one.
const found_policy& at(const ecrlp::policy_document& doc, std::string_view address) {
  const auto found = ecrlp::find_policies(doc, address);
  INFO(address);
  REQUIRE(found.size() == 1);
  return *found.front();
}

ecrlp::policy_document load(std::string_view name) {
  auto r = ecrlp::load_policy_sources(iac_dir / name);
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  return std::move(*r.value);
}

/// Checks that every offset of `p.text` maps to a byte of the file that spells it: the same byte,
/// or (inside a JSON string) the backslash of the escape that encodes it.
void check_spans(const found_policy& p, std::string_view file_text) {
  REQUIRE(!p.spans.empty());
  for (std::size_t o = 0; o < p.text.size(); ++o) {
    const auto at = ecrlp::locate_in_source(p, o);
    INFO(p.address << " offset " << o << " -> byte " << at.byte);
    REQUIRE(at.byte < file_text.size());
    const char c = file_text[at.byte];
    CHECK((c == p.text[o] || c == '\\' || (p.text[o] == '\n' && c == '\r')));
    // line and column agree with the byte
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < at.byte; ++i) {
      if (file_text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    CHECK(at.line == line);
    CHECK(at.column == at.byte - line_start + 1);
    if (o > 200) break;  // the start is enough to see the mapping; the rest repeats it
  }
}

/// Byte offset of the `n`-th (0-based) occurrence of `needle`, after `from`.
std::size_t nth(std::string_view text, std::string_view needle, std::size_t n = 0,
                std::size_t from = 0) {
  std::size_t at = text.find(needle, from);
  for (std::size_t i = 0; i < n && at != std::string_view::npos; ++i) {
    at = text.find(needle, at + 1);
  }
  REQUIRE(at != std::string_view::npos);
  return at;
}

bool same_policy(const ecrlp::lifecycle_policy& a, const ecrlp::lifecycle_policy& b) {
  if (a.rules.size() != b.rules.size()) return false;
  for (std::size_t i = 0; i < a.rules.size(); ++i) {
    const auto& x = a.rules[i];
    const auto& y = b.rules[i];
    if (x.priority != y.priority || x.description != y.description ||
        x.selection.status != y.selection.status ||
        x.selection.list_kind != y.selection.list_kind ||
        x.selection.tag_list != y.selection.tag_list ||
        x.selection.storage != y.selection.storage || x.selection.type != y.selection.type ||
        x.selection.count_number != y.selection.count_number || x.action.type != y.action.type ||
        x.source_index != y.source_index) {
      return false;
    }
  }
  return true;
}

std::vector<ecrlp::image> small_repository() {
  using namespace std::chrono;
  std::vector<ecrlp::image> images;
  const ecrlp::timestamp t0 = ecrlp::timestamp{sys_days{2024y / 1 / 1}};
  for (int i = 0; i < 45; ++i) {
    ecrlp::image img;
    img.digest = "sha256:" + std::string(60, 'a') + std::to_string(1000 + i);
    if (i % 3 != 0) img.tags.push_back("v1." + std::to_string(i));
    if (i % 7 == 0) img.tags.push_back("latest-" + std::to_string(i));
    img.pushed_at = t0 + days{i * 2};
    images.push_back(std::move(img));
  }
  return images;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Detection

TEST_CASE("the format is detected from the content", "[iac]") {
  const auto format_of = [](std::string_view file) {
    const auto r = ecrlp::load_policy_sources(iac_dir / file);
    INFO(file << "\n" << dump(r.diagnostics));
    REQUIRE(r.ok());
    return r.value->format;
  };
  CHECK(format_of("plan.json") == policy_source_format::terraform_plan);
  CHECK(format_of("state.json") == policy_source_format::terraform_state);
  CHECK(format_of("template.json") == policy_source_format::cloudformation);
  CHECK(format_of("template.yaml") == policy_source_format::cloudformation);
  CHECK(format_of("cdk.out") == policy_source_format::cloudformation);
  CHECK(format_of("cdk.out/AppStack.template.json") == policy_source_format::cloudformation);
  CHECK(format_of("policy.json") == policy_source_format::policy);
  CHECK(format_of("../policies/valid/aws-get-lifecycle-policy.json") == policy_source_format::aws);

  SECTION("not from the file name") {
    const test_files::temp_dir dir{"ecrlp-iac-test-"};
    const auto yaml_named_json =
        dir.write("template.json", test_files::read_text(iac_dir / "template.yaml"));
    const auto plan_named_yaml =
        dir.write("plan.yaml", test_files::read_text(iac_dir / "plan.json"));
    CHECK(ecrlp::load_policy_sources(yaml_named_json).value->format ==
          policy_source_format::cloudformation);
    CHECK(ecrlp::load_policy_sources(plan_named_yaml).value->format ==
          policy_source_format::terraform_plan);
  }
  SECTION("anything else is a policy file, handed through whole") {
    for (const std::string_view text :
         {std::string_view{R"({"rules": []})"}, std::string_view{R"({"imageDetails": []})"},
          std::string_view{"[1, 2]"}, std::string_view{"{\"rules\": [ broken"},
          std::string_view{"kind: Pod\nmetadata:\n  name: x\n"}, std::string_view{""},
          std::string_view{"\xE9t\xE9"}}) {
      const auto r = ecrlp::parse_policy_sources(text, "x.json");
      INFO(text << "\n" << dump(r.diagnostics));
      REQUIRE(r.ok());
      CHECK(r.value->format == policy_source_format::policy);
      REQUIRE(r.value->policies.size() == 1);
      CHECK(r.value->policies[0].text == text);
      CHECK(r.value->policies[0].address.empty());
      CHECK(r.value->policies[0].spans.empty());
    }
  }
  SECTION("a forced format") {
    const std::string plan = test_files::read_text(iac_dir / "plan.json");
    CHECK(
        ecrlp::parse_policy_sources(plan, "plan.json", policy_source_format::terraform_plan).ok());
    // A plan forced to be a policy is handed through whole.
    const auto as_policy =
        ecrlp::parse_policy_sources(plan, "plan.json", policy_source_format::policy);
    REQUIRE(as_policy.ok());
    CHECK(as_policy.value->policies[0].text == plan);
    for (const auto wrong : {policy_source_format::terraform_state,
                             policy_source_format::cloudformation, policy_source_format::aws}) {
      const auto r = ecrlp::parse_policy_sources(plan, "plan.json", wrong);
      INFO(to_string(wrong) << "\n" << dump(r.diagnostics));
      CHECK_FALSE(r.value);
      CHECK(parser_test::count_code(r.diagnostics, "iac.format_mismatch") == 1);
    }
    const auto yaml = ecrlp::parse_policy_sources(test_files::read_text(iac_dir / "template.yaml"),
                                                  "t.yaml", policy_source_format::terraform_plan);
    CHECK_FALSE(yaml.value);
  }
}

TEST_CASE("format names", "[iac]") {
  for (const auto f :
       {policy_source_format::automatic, policy_source_format::policy, policy_source_format::aws,
        policy_source_format::terraform_plan, policy_source_format::terraform_state,
        policy_source_format::cloudformation}) {
    CHECK(ecrlp::parse_policy_source_format(ecrlp::to_string(f)) == f);
  }
  CHECK_FALSE(ecrlp::parse_policy_source_format("terraform"));
  CHECK(ecrlp::to_string(ecrlp::change_action::destroy) == "delete");
}

// ---------------------------------------------------------------------------------------------
// Terraform

TEST_CASE("a Terraform plan: every change, its action, both sides, the policies after it",
          "[iac]") {
  const auto doc = load("plan.json");
  CHECK(doc.terraform_version == "1.9.5");
  CHECK(doc.files == std::vector<std::string>{path_of("plan.json")});

  REQUIRE(doc.changes.size() == 6);
  const auto& legacy = doc.changes[0];
  CHECK(legacy.address == "aws_ecr_lifecycle_policy.legacy");
  CHECK(legacy.action == ecrlp::change_action::destroy);
  REQUIRE(legacy.before);
  CHECK_FALSE(legacy.after);
  CHECK(legacy.before->repository == "legacy");

  const auto& main = doc.changes[1];
  CHECK(main.address == "aws_ecr_lifecycle_policy.main");
  CHECK(main.action == ecrlp::change_action::update);
  REQUIRE((main.before && main.after));
  CHECK(main.before->text != main.after->text);
  CHECK(main.before->text.find("\"countNumber\":20") != std::string::npos);
  CHECK(main.after->text.find("\"countNumber\":30") != std::string::npos);

  CHECK(doc.changes[2].address == "aws_ecr_lifecycle_policy.stable");
  CHECK(doc.changes[2].action == ecrlp::change_action::no_op);
  CHECK(doc.changes[2].before->text == doc.changes[2].after->text);

  const auto& tools = doc.changes[3];
  CHECK(tools.action == ecrlp::change_action::replace);
  CHECK(tools.before->repository == "tools-old");
  CHECK(tools.after->repository == "tools");

  const auto& app = doc.changes[4];
  CHECK(app.address == R"(module.ecr["app"].aws_ecr_lifecycle_policy.this[0])");
  CHECK(app.action == ecrlp::change_action::create);
  CHECK_FALSE(app.before);
  REQUIRE(app.after);
  CHECK(app.after->evaluable());
  CHECK(app.after->repository == "app");

  const auto& worker = doc.changes[5];
  CHECK(worker.address == R"(module.ecr["worker"].aws_ecr_lifecycle_policy.this[0])");
  REQUIRE(worker.after);
  CHECK_FALSE(worker.after->evaluable());
  CHECK(worker.after->text.empty());
  CHECK(worker.after->repository == "worker");
  REQUIRE(worker.after->diagnostics.size() == 1);
  const auto& unknown = worker.after->diagnostics[0];
  CHECK(unknown.code == "iac.unknown_value");
  CHECK(unknown.file == path_of("plan.json"));
  CHECK(unknown.pointer == "/resource_changes/8/change/after/policy");
  CHECK(unknown.message.find(worker.address) != std::string::npos);
  CHECK(unknown.line == 1);

  // The policies in effect after the plan: every change but the delete, in the plan's order.
  std::vector<std::string> addresses;
  for (const auto& p : doc.policies) addresses.push_back(p.address);
  CHECK(addresses ==
        std::vector<std::string>{"aws_ecr_lifecycle_policy.main", "aws_ecr_lifecycle_policy.stable",
                                 "aws_ecr_lifecycle_policy.tools",
                                 R"(module.ecr["app"].aws_ecr_lifecycle_policy.this[0])",
                                 R"(module.ecr["worker"].aws_ecr_lifecycle_policy.this[0])"});
  for (const auto& p : doc.policies) {
    CHECK(p.name == p.address);
    CHECK(p.file == path_of("plan.json"));
  }

  const auto all = ecrlp::all_diagnostics(ecrlp::load_policy_sources(iac_dir / "plan.json"));
  REQUIRE(all.size() == 1);
  CHECK(all[0].code == "iac.unknown_value");
}

TEST_CASE("a Terraform plan: where each policy string sits", "[iac]") {
  const std::string text = test_files::read_text(iac_dir / "plan.json");
  const auto doc = load("plan.json");
  // The app module's after value, in resource_changes (its first mention is in planned_values).
  const std::size_t change =
      nth(text, R"("address":"module.ecr[\"app\"].aws_ecr_lifecycle_policy.this[0]")", 1);
  const std::size_t quote = nth(text, R"("policy":")", 0, nth(text, R"("after":{)", 0, change)) + 9;
  const auto& app = *doc.changes[4].after;
  CHECK(app.position.byte == quote);
  CHECK(app.position.line == 1);
  CHECK(app.position.column == quote + 1);
  CHECK(text[quote] == '"');
  check_spans(app, text);
  // The text is the decoded string: jsonencode's compact, sorted JSON.
  CHECK(app.text.starts_with(R"({"rules":[{"action":{"type":"expire"},)"));
  for (const auto& c : doc.changes) {
    if (c.before) check_spans(*c.before, text);
    if (c.after && c.after->evaluable()) check_spans(*c.after, text);
  }
}

TEST_CASE("a Terraform state: modules, count instances, positions", "[iac]") {
  const std::string text = test_files::read_text(iac_dir / "state.json");
  const auto doc = load("state.json");
  CHECK(doc.changes.empty());
  REQUIRE(doc.policies.size() == 2);
  CHECK(doc.policies[0].address == "aws_ecr_lifecycle_policy.main");
  CHECK(doc.policies[0].repository == "main");
  CHECK(doc.policies[1].address == R"(module.ecr["app"].aws_ecr_lifecycle_policy.this[0])");
  CHECK(doc.policies[1].repository == "app");
  const std::size_t quote = nth(text, R"("policy": ")", 1) + 10;
  CHECK(doc.policies[1].position.byte == quote);
  CHECK(doc.policies[1].position.line ==
        1 + static_cast<std::size_t>(
                std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(quote), '\n')));
  for (const auto& p : doc.policies) check_spans(p, text);
}

// ---------------------------------------------------------------------------------------------
// CloudFormation and CDK

TEST_CASE("a CloudFormation template, in JSON and in YAML", "[iac]") {
  for (const std::string_view file : {"template.json", "template.yaml"}) {
    INFO(file);
    const std::string name = path_of(file);
    const std::string text = test_files::read_text(iac_dir / file);
    const auto doc = load(file);
    REQUIRE(doc.policies.size() ==
            3);  // ScratchRepo has no policy, ArtifactBucket is no repository

    const auto& app = at(doc, name + "#AppRepo");
    CHECK(app.name == "AppRepo");
    CHECK(&at(doc, "AppRepo") == &app);
    CHECK(app.repository == "app");
    CHECK(app.evaluable());
    CHECK(app.construct_path.empty());
    check_spans(app, text);

    const auto& worker = at(doc, "WorkerRepo");
    CHECK(worker.repository.empty());  // !Ref WorkerRepositoryName
    REQUIRE(worker.diagnostics.size() == 1);
    const auto& sub = worker.diagnostics[0];
    CHECK(sub.code == "iac.intrinsic");
    CHECK(sub.pointer == "/Resources/WorkerRepo/Properties/LifecyclePolicy/LifecyclePolicyText");
    CHECK(sub.message.find("LifecyclePolicyText of WorkerRepo is built by") == 0);
    CHECK(sub.message.find(file.ends_with(".yaml") ? "!Sub" : "Fn::Sub") != std::string::npos);
    CHECK(sub.file == name);
    CHECK(sub.line > 0);

    const auto& batch = at(doc, "BatchRepo");
    CHECK(batch.repository.empty());  // !Sub "${AWS::StackName}-batch"
    REQUIRE(batch.diagnostics.size() == 1);
    CHECK(batch.diagnostics[0].code == "iac.intrinsic");
    CHECK(batch.diagnostics[0].message.find(file.ends_with(".yaml") ? "!Join" : "Fn::Join") !=
          std::string::npos);
    CHECK(find_policies(doc, "ScratchRepo").empty());
  }
}

TEST_CASE("CloudFormation YAML: the positions of a block scalar", "[iac]") {
  const std::string text = test_files::read_text(iac_dir / "template.yaml");
  const auto doc = load("template.yaml");
  const auto& app = at(doc, "AppRepo");
  // `LifecyclePolicyText: |` on line 24, the JSON from line 25, indented by 10.
  CHECK(app.position.line == 24);
  CHECK(text.substr(app.position.byte, 1) == "|");
  const auto first = ecrlp::locate_in_source(app, 0);
  CHECK(first.line == 25);
  CHECK(first.column == 11);
  const std::size_t count = app.text.find("\"countNumber\": 30");
  const auto at30 = ecrlp::locate_in_source(app, count);
  CHECK(at30.line == 45);
  CHECK(text.substr(at30.byte, 17) == "\"countNumber\": 30");
  // The intrinsic's diagnostic is at its tag.
  const auto& sub = at(doc, "WorkerRepo").diagnostics[0];
  CHECK(text.substr(sub.byte, 4) == "!Sub");
  CHECK(sub.line == 61);
}

TEST_CASE("a cdk.out directory: every template, stages included, in name order", "[iac]") {
  const auto r = ecrlp::load_policy_sources(iac_dir / "cdk.out");
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  const auto& doc = *r.value;
  const fs::path dir = iac_dir / "cdk.out";
  CHECK(doc.files ==
        std::vector<std::string>{
            (dir / "AppStack.template.json").string(),
            (dir / "assembly-Prod" / "ProdWorkerStack4A8C1E3F.template.json").string()});
  REQUIRE(doc.policies.size() == 2);
  const auto& app = doc.policies[0];
  CHECK(app.address == (dir / "AppStack.template.json").string() + "#AppRepo6B5BD0A1");
  CHECK(app.name == "AppRepo6B5BD0A1");
  CHECK(app.construct_path == "AppStack/AppRepo/Resource");
  CHECK(app.repository == "app");
  CHECK(app.file == (dir / "AppStack.template.json").string());
  check_spans(app, test_files::read_text(app.file));
  const auto& worker = doc.policies[1];
  CHECK(worker.name == "WorkerRepoB8F9D7C6");
  CHECK(worker.construct_path == "Prod/WorkerStack/WorkerRepo/Resource");
  CHECK(worker.repository.empty());  // Fn::Join with AWS::Region
  CHECK(worker.evaluable());
}

// ---------------------------------------------------------------------------------------------
// One policy, many sources

TEST_CASE("the same policy from a file, a plan, a state, templates and CDK is the same policy",
          "[iac]") {
  const auto reference = ecrlp::load_policy(iac_dir / "policy.json");
  REQUIRE(reference.ok());

  std::vector<found_policy> sources;
  sources.push_back(load("policy.json").policies.at(0));
  const auto plan = load("plan.json");
  sources.push_back(at(plan, "aws_ecr_lifecycle_policy.main"));
  sources.push_back(at(plan, R"(module.ecr["app"].aws_ecr_lifecycle_policy.this[0])"));
  sources.push_back(at(load("state.json"), "aws_ecr_lifecycle_policy.main"));
  sources.push_back(at(load("template.json"), "AppRepo"));
  sources.push_back(at(load("template.yaml"), "AppRepo"));
  sources.push_back(at(load("cdk.out"), "AppRepo6B5BD0A1"));

  const auto images = small_repository();
  const ecrlp::evaluation_options options{
      .now = ecrlp::timestamp{std::chrono::sys_days{std::chrono::year{2024} / 6 / 1}}};
  const auto expected = ecrlp::evaluate(reference.value->policy, images, options);
  CHECK(expected.expiring > 0);
  for (const auto& s : sources) {
    INFO(s.file << " " << s.address);
    const auto parsed = ecrlp::parse_found_policy(s);
    INFO(dump(parsed.diagnostics));
    REQUIRE(parsed.ok());
    CHECK(same_policy(parsed.value->policy, reference.value->policy));
    CHECK_FALSE(parsed.value->from_aws_response);
    const auto result = ecrlp::evaluate(parsed.value->policy, images, options);
    REQUIRE(result.decisions.size() == expected.decisions.size());
    for (std::size_t i = 0; i < images.size(); ++i) {
      CHECK(result.decisions[i].action == expected.decisions[i].action);
      CHECK(result.decisions[i].applied_rule_priority() ==
            expected.decisions[i].applied_rule_priority());
    }
  }
}

TEST_CASE("a policy file is read exactly as load_policy reads it", "[iac]") {
  std::vector<fs::path> files;
  for (const char* dir : {"policies/valid", "policies/invalid", "hostile/policies"}) {
    for (const auto& e : fs::directory_iterator(fs::path{ECRLP_TEST_DATA} / dir)) {
      if (e.path().extension() == ".json") files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 100);
  for (const auto& f : files) {
    INFO(f.string());
    const auto expected = ecrlp::load_policy(f);
    const auto doc = ecrlp::load_policy_sources(f);
    INFO(dump(doc.diagnostics));
    std::vector<ecrlp::diagnostic> got;
    std::optional<ecrlp::parsed_policy> value;
    if (doc.value) {
      CHECK((doc.value->format == policy_source_format::policy ||
             doc.value->format == policy_source_format::aws));
      REQUIRE(doc.value->policies.size() == 1);
      auto parsed = ecrlp::parse_found_policy(doc.value->policies[0]);
      got = parsed.diagnostics;
      value = parsed.value;
    } else {
      got = doc.diagnostics;  // io.*
    }
    CHECK(value.has_value() == expected.value.has_value());
    REQUIRE(got.size() == expected.diagnostics.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].code == expected.diagnostics[i].code);
      CHECK(got[i].pointer == expected.diagnostics[i].pointer);
      CHECK(got[i].message == expected.diagnostics[i].message);
      CHECK(got[i].aws_message == expected.diagnostics[i].aws_message);
      CHECK(got[i].file == expected.diagnostics[i].file);
      CHECK(got[i].line == expected.diagnostics[i].line);
      CHECK(got[i].column == expected.diagnostics[i].column);
      CHECK(got[i].byte == expected.diagnostics[i].byte);
    }
    if (value && expected.value) {
      CHECK(value->text == expected.value->text);
      CHECK(value->from_aws_response == expected.value->from_aws_response);
      CHECK(value->repository_name == expected.value->repository_name);
    }
  }
}
