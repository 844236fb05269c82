// SPDX-License-Identifier: MIT
// Tests of parse_policy / load_policy: the data-driven fixtures in tests/data/policies, the AWS
// response wrapper, JSON-level problems (syntax, encoding, duplicate keys, depth, size) and the
// positions every diagnostic carries.

#include <ecrlp/policy_parser.hpp>

#include "catch.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fs = std::filesystem;

namespace {

const fs::path policies_dir = fs::path(ECRLP_TEST_DATA) / "policies";

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> json_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".json") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// (code, pointer) of every error, sorted.
std::vector<std::pair<std::string, std::string>> errors_of(
    const std::vector<ecrlp::diagnostic>& diags) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& d : diags) {
    if (d.level == ecrlp::severity::error) out.emplace_back(d.code, d.pointer);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string dump(const std::vector<ecrlp::diagnostic>& diags) {
  std::string s;
  for (const auto& d : diags) {
    s += d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " + d.pointer +
         " " + std::string(to_string(d.level)) + "[" + d.code + "] " + d.message + "\n";
  }
  return s;
}

const ecrlp::diagnostic* find_code(const std::vector<ecrlp::diagnostic>& diags,
                                   std::string_view code) {
  for (const auto& d : diags) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

/// tests/data/policies/invalid/expected.txt: file -> sorted (code, pointer) errors.
std::map<std::string, std::vector<std::pair<std::string, std::string>>> expected_errors() {
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> out;
  std::istringstream in(read_file(policies_dir / "invalid" / "expected.txt"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string file;
    std::string code;
    std::string pointer;
    fields >> file >> code >> pointer;
    REQUIRE_FALSE(code.empty());
    out[file].emplace_back(code, pointer);
  }
  for (auto& [file, errors] : out) std::sort(errors.begin(), errors.end());
  return out;
}

/// Codes whose triggers are built in code below rather than stored as fixtures.
const std::set<std::string> codes_tested_in_code = {"io.read", "io.too_large",
                                                    "policy.too_many_values", "policy.rules.empty"};

/// A compact valid rule with the given priority (about 140 characters).
std::string compact_rule(int priority) {
  return R"({"rulePriority":)" + std::to_string(priority) +
         R"(,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}})";
}

/// A JSON string literal holding `text`.
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

// -------------------------------------------------------------------------------------------------
// Data-driven fixtures
// -------------------------------------------------------------------------------------------------

TEST_CASE("every valid fixture parses without error", "[policy_parser]") {
  const auto files = json_files(policies_dir / "valid");
  REQUIRE(files.size() >= 25);
  for (const auto& file : files) {
    INFO(file.filename().string());
    const auto result = ecrlp::load_policy(file);
    INFO(dump(result.diagnostics));
    CHECK(errors_of(result.diagnostics).empty());
    REQUIRE(result.ok());
    for (std::size_t i = 0; i < result.value->policy.rules.size(); ++i) {
      CHECK(result.value->policy.rules[i].source_index == i);
    }
  }
}

TEST_CASE("every invalid fixture yields exactly its expected errors", "[policy_parser]") {
  const auto expected = expected_errors();
  const auto files = json_files(policies_dir / "invalid");
  std::set<std::string> seen;
  for (const auto& file : files) {
    const std::string name = file.filename().string();
    INFO(name);
    const auto it = expected.find(name);
    REQUIRE(it != expected.end());  // every fixture is listed in expected.txt
    seen.insert(name);

    // The file is named after (one of) its code(s): "<code>.json" or "<code>@<variant>.json".
    std::string stem = file.stem().string();
    stem = stem.substr(0, stem.find('@'));
    CHECK(std::any_of(it->second.begin(), it->second.end(),
                      [&](const auto& e) { return e.first == stem; }));

    const auto result = ecrlp::load_policy(file);
    INFO(dump(result.diagnostics));
    CHECK(errors_of(result.diagnostics) == it->second);
    CHECK_FALSE(result.value.has_value());
    CHECK_FALSE(result.ok());
    for (const auto& d : result.diagnostics) {
      CHECK(d.file == file.string());
      CHECK(d.line >= 1);
      CHECK(d.column >= 1);
      CHECK_FALSE(d.message.empty());
    }
  }
  for (const auto& [name, errors] : expected) {
    INFO(name);
    CHECK(seen.count(name) == 1);  // every line of expected.txt names an existing fixture
  }
}

TEST_CASE("every policy code is documented and every documented code is exercised",
          "[policy_parser]") {
  // docs/diagnostics.md has one "### `code`" section per code.
  std::set<std::string> documented;
  std::istringstream doc(read_file(fs::path(ECRLP_SOURCE_DIR) / "docs" / "diagnostics.md"));
  std::string line;
  while (std::getline(doc, line)) {
    if (line.rfind("### `", 0) == 0) {
      const auto end = line.find('`', 5);
      REQUIRE(end != std::string::npos);
      documented.insert(line.substr(5, end - 5));
    }
  }
  std::set<std::string> exercised = codes_tested_in_code;
  for (const auto& [file, errors] : expected_errors()) {
    for (const auto& e : errors) exercised.insert(e.first);
  }
  CHECK(documented == exercised);
}

// -------------------------------------------------------------------------------------------------
// The model
// -------------------------------------------------------------------------------------------------

TEST_CASE("the model keeps document order, fields and tag-list order", "[policy_parser]") {
  SECTION("TC-8: untagged rule in the middle, any rule last") {
    const auto result =
        ecrlp::load_policy(policies_dir / "valid" / "tc08-all-images-b-patterns.json");
    REQUIRE(result.ok());
    CHECK_FALSE(result.value->from_aws_response);
    const auto& rules = result.value->policy.rules;
    REQUIRE(rules.size() == 3);
    CHECK(rules[0].priority == 1);
    CHECK(rules[0].description == "Rule 1");
    CHECK(rules[0].selection.status == ecrlp::tag_status::tagged);
    CHECK(rules[0].selection.list_kind == ecrlp::tag_list_kind::pattern);
    CHECK(rules[0].selection.tag_list == std::vector<std::string>{"alpha*"});
    CHECK(rules[0].selection.type == ecrlp::count_type::image_count_more_than);
    CHECK(rules[0].selection.count_number == 1);
    CHECK(rules[1].selection.status == ecrlp::tag_status::untagged);
    CHECK(rules[1].selection.list_kind == ecrlp::tag_list_kind::none);
    CHECK(rules[1].selection.type == ecrlp::count_type::since_image_pushed);
    CHECK(rules[2].selection.status == ecrlp::tag_status::any);
    CHECK(rules[2].priority == 3);
    CHECK(rules[2].action.type == ecrlp::action_type::expire);
  }
  SECTION("rules stay in document order even when priorities are not") {
    const auto result =
        ecrlp::load_policy(policies_dir / "valid" / "rules-out-of-order-and-sparse.json");
    REQUIRE(result.ok());
    const auto& rules = result.value->policy.rules;
    REQUIRE(rules.size() == 3);
    CHECK(rules[0].priority == 900);
    CHECK(rules[1].priority == 5);
    CHECK(rules[1].selection.list_kind == ecrlp::tag_list_kind::prefix);
    CHECK(rules[2].priority == 2147483647);
    CHECK(rules[2].selection.count_number == 2147483647);
  }
  SECTION("TC-12: archive rules") {
    const auto result =
        ecrlp::load_policy(policies_dir / "valid" / "tc12-archive-then-expire.json");
    REQUIRE(result.ok());
    const auto& rules = result.value->policy.rules;
    REQUIRE(rules.size() == 2);
    CHECK(rules[0].selection.storage == ecrlp::storage_class::standard);
    CHECK(rules[0].action.type == ecrlp::action_type::transition);
    CHECK(rules[1].selection.storage == ecrlp::storage_class::archive);
    CHECK(rules[1].selection.type == ecrlp::count_type::since_image_transitioned);
    CHECK(rules[1].selection.count_number == 365);
    CHECK(rules[1].action.type == ecrlp::action_type::expire);
  }
  SECTION("TC-13: sixteen prefixes in their order") {
    const auto result =
        ecrlp::load_policy(policies_dir / "valid" / "tc13-and-of-sixteen-prefixes.json");
    REQUIRE(result.ok());
    const auto& list = result.value->policy.rules.at(0).selection.tag_list;
    REQUIRE(list.size() == 16);
    CHECK(list.front() == "0");
    CHECK(list[10] == "a");
    CHECK(list.back() == "f");
  }
  SECTION("the text is the document itself") {
    const fs::path file = policies_dir / "valid" / "tc07-all-images-a.json";
    const auto result = ecrlp::load_policy(file);
    REQUIRE(result.ok());
    CHECK(result.value->text == read_file(file));
    CHECK(result.value->repository_name.empty());
  }
}

TEST_CASE("TC-16: sinceImagePulled is invalid with expire, valid with transition",
          "[policy_parser]") {
  const auto with_expire =
      ecrlp::load_policy(policies_dir / "invalid" / "action.type.mismatch.json");
  CHECK(errors_of(with_expire.diagnostics) ==
        std::vector<std::pair<std::string, std::string>>{
            {"action.type.mismatch", "/rules/0/action/type"}});
  const auto with_transition =
      ecrlp::load_policy(policies_dir / "valid" / "tc16-pulled-with-transition.json");
  CHECK(with_transition.ok());
}

TEST_CASE("warnings accompany a value", "[policy_parser]") {
  const auto result = ecrlp::load_policy(policies_dir / "valid" / "rules-empty.json");
  REQUIRE(result.ok());
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].level == ecrlp::severity::warning);
  CHECK(result.diagnostics[0].code == "policy.rules.empty");
  CHECK(result.diagnostics[0].pointer == "/rules");
  CHECK(result.value->policy.rules.empty());
}

// -------------------------------------------------------------------------------------------------
// Collecting every problem
// -------------------------------------------------------------------------------------------------

TEST_CASE("all problems are collected in one pass", "[policy_parser]") {
  const auto result = ecrlp::load_policy(policies_dir / "multiple-errors.json");
  INFO(dump(result.diagnostics));
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"action.type.mismatch", "/rules/4/action/type"},
      {"action.type.unknown", "/rules/1/action/type"},
      {"policy.any_not_last", "/rules/1/rulePriority"},
      {"rule.not_object", "/rules/3"},
      {"rule.priority.duplicate", "/rules/4/rulePriority"},
      {"rule.unknown_property", "/rules/2/comment"},
      {"selection.count_number.out_of_range", "/rules/1/selection/countNumber"},
      {"selection.count_unit.forbidden", "/rules/2/selection/countUnit"},
      {"selection.count_unit.missing", "/rules/1/selection"},
      {"selection.tag_pattern.too_many_wildcards", "/rules/4/selection/tagPatternList/0"},
  };
  CHECK(errors_of(result.diagnostics) == expected);
  CHECK_FALSE(result.value.has_value());

  SECTION("in document order, each at its own line") {
    for (std::size_t i = 1; i < result.diagnostics.size(); ++i) {
      CHECK(result.diagnostics[i - 1].byte <= result.diagnostics[i].byte);
    }
  }
  SECTION("rules are named by position and priority") {
    const auto* d = find_code(result.diagnostics, "rule.priority.duplicate");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("rule 5 (priority 3)") == 0);
    CHECK(d->message.find("rule 3 (priority 3)") != std::string::npos);
    const auto* not_object = find_code(result.diagnostics, "rule.not_object");
    REQUIRE(not_object != nullptr);
    CHECK(not_object->message.find("rule 4:") == 0);
  }
}

TEST_CASE("a broken field does not cause follow-on errors", "[policy_parser]") {
  const auto rule_with = [](std::string_view selection, std::string_view action) {
    return R"({"rules":[{"rulePriority":1,"selection":)" + std::string(selection) +
           R"(,"action":)" + std::string(action) + "}]}";
  };
  const auto codes = [](const std::string& doc) {
    std::vector<std::string> out;
    for (const auto& d : ecrlp::parse_policy(doc).diagnostics) {
      if (d.level == ecrlp::severity::error) out.push_back(d.code);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  using v = std::vector<std::string>;
  // An unknown tagStatus: no verdict on the tag list.
  CHECK(
      codes(rule_with(
          R"({"tagStatus":"TAGGED","tagPrefixList":["a"],"countType":"imageCountMoreThan","countNumber":1})",
          R"({"type":"expire"})")) == v{"selection.tag_status.unknown"});
  CHECK(codes(rule_with(R"({"tagStatus":7,"countType":"imageCountMoreThan","countNumber":1})",
                        R"({"type":"expire"})")) == v{"selection.tag_status.unknown"});
  // An unknown countType: no verdict on countUnit, storage class or action.
  CHECK(
      codes(rule_with(
          R"({"tagStatus":"any","countType":"sinceImageCreated","countUnit":"days","countNumber":1})",
          R"({"type":"expire"})")) == v{"selection.count_type.unknown"});
  CHECK(codes(rule_with(
            R"({"tagStatus":"any","storageClass":"archive","countType":"x","countNumber":1})",
            R"({"type":"expire"})")) == v{"selection.count_type.unknown"});
  // An unknown action type: no verdict on targetStorageClass.
  CHECK(codes(rule_with(R"({"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1})",
                        R"({"type":"archive","targetStorageClass":"archive"})")) ==
        v{"action.type.unknown"});
  // A malformed list: no "missing list" or "empty list" on top.
  CHECK(
      codes(rule_with(
          R"({"tagStatus":"tagged","tagPrefixList":"x","countType":"imageCountMoreThan","countNumber":1})",
          R"({"type":"expire"})")) == v{"selection.tag_list.type"});
  // countNumber 0 on an archive rule is out of range, not also below the 90-day minimum.
  CHECK(
      codes(rule_with(
          R"({"tagStatus":"any","storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":0})",
          R"({"type":"expire"})")) == v{"selection.count_number.out_of_range"});
  // A missing selection or action: only the missing property.
  CHECK(codes(R"({"rules":[{"rulePriority":1,"action":{"type":"expire"}}]})" +
              std::string(60, ' ')) == v{"rule.missing_property"});
  // A rule with an invalid priority still takes part in the other checks.
  CHECK(
      codes(
          R"({"rules":[{"rulePriority":"1","selection":{"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}},)" +
          compact_rule(2).replace(compact_rule(2).find("sinceImagePushed"), 16,
                                  "imageCountMoreThan") +
          "]}") ==
      v{"policy.untagged_duplicate", "rule.priority.type", "selection.count_unit.forbidden"});
}

// -------------------------------------------------------------------------------------------------
// AWS responses
// -------------------------------------------------------------------------------------------------

TEST_CASE("an aws ecr get-lifecycle-policy response is unwrapped", "[policy_parser]") {
  const fs::path file = policies_dir / "valid" / "aws-get-lifecycle-policy.json";
  const auto result = ecrlp::load_policy(file);
  REQUIRE(result.ok());
  const auto& p = *result.value;
  CHECK(p.from_aws_response);
  CHECK(p.repository_name == "project-a/amazon-ecs-sample");
  CHECK(p.registry_id == "<aws_account_id>");
  // The policy text is the decoded lifecyclePolicyText (spec 3.2): 210 characters, above the
  // 100-character minimum although it is compact.
  CHECK(p.text.size() == 210);
  CHECK(p.text.rfind(R"({"rules":[{"rulePriority":1,"description":"Expire images older)", 0) == 0);
  REQUIRE(p.policy.rules.size() == 1);
  CHECK(p.policy.rules[0].description == "Expire images older than 14 days");
  CHECK(p.policy.rules[0].selection.status == ecrlp::tag_status::untagged);
  CHECK(p.policy.rules[0].selection.count_number == 14);
}

TEST_CASE("preview responses are unwrapped, previewResults are ignored", "[policy_parser]") {
  SECTION("start-lifecycle-policy-preview (pretty-printed text)") {
    const auto result =
        ecrlp::load_policy(policies_dir / "valid" / "aws-start-lifecycle-policy-preview.json");
    REQUIRE(result.ok());
    CHECK(result.value->from_aws_response);
    CHECK(result.value->text.find("\n    \"rules\": [\n") != std::string::npos);
    CHECK(result.value->policy.rules.size() == 1);
  }
  SECTION("get-lifecycle-policy-preview with results") {
    const auto result =
        ecrlp::load_policy(policies_dir / "valid" / "aws-get-lifecycle-policy-preview.json");
    REQUIRE(result.ok());
    CHECK(result.value->repository_name == "app");
    CHECK(result.value->registry_id == "123456789012");
    REQUIRE(result.value->policy.rules.size() == 2);
    CHECK(result.value->policy.rules[1].selection.storage == ecrlp::storage_class::archive);
  }
  SECTION("a large previewResults array is not stored, so no value limit applies to it") {
    std::string doc = R"({"repositoryName":"big","lifecyclePolicyText":)" +
                      json_string("{\"rules\":[" + compact_rule(1) + "]}") +
                      R"(,"previewResults":[)";
    for (int i = 0; i < 150'000; ++i) doc += i == 0 ? "{\"a\":1}" : ",{\"a\":1}";
    doc += "]}";
    const auto result = ecrlp::parse_policy(doc);
    INFO(dump(result.diagnostics));
    CHECK(result.ok());
  }
}

TEST_CASE("problems inside lifecyclePolicyText point into the policy text", "[policy_parser]") {
  const std::string policy = "{\n  \"rules\": [" + compact_rule(1) + ",\n" +
                             compact_rule(1).replace(compact_rule(1).find("14"), 2, "0") + "]}";
  const std::string doc =
      "{\n  \"repositoryName\": \"repo\",\n  \"lifecyclePolicyText\": " + json_string(policy) +
      "\n}\n";
  const auto result = ecrlp::parse_policy(doc, "response.json");
  INFO(dump(result.diagnostics));
  CHECK_FALSE(result.value.has_value());
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"policy.untagged_duplicate", "/rules/1/selection/tagStatus"},
      {"rule.priority.duplicate", "/rules/1/rulePriority"},
      {"selection.count_number.out_of_range", "/rules/1/selection/countNumber"},
  };
  CHECK(errors_of(result.diagnostics) == expected);
  for (const auto& d : result.diagnostics) {
    CHECK(d.file == "response.json");
    CHECK(d.message.rfind("lifecyclePolicyText: ", 0) == 0);
    CHECK(d.line == 3);  // the line of the lifecyclePolicyText member in the file
  }
  // Positions are mapped through the string's escapes to the right spot of the file.
  const auto* d = find_code(result.diagnostics, "selection.count_number.out_of_range");
  REQUIRE(d != nullptr);
  CHECK(doc.substr(d->byte, 3) == "0},");
  const auto* prio = find_code(result.diagnostics, "rule.priority.duplicate");
  REQUIRE(prio != nullptr);
  CHECK(doc.substr(prio->byte, 2) == "1,");
  CHECK(doc.substr(prio->byte - 17, 17) == "\\\"rulePriority\\\":");
}

TEST_CASE("AWS response edge cases", "[policy_parser]") {
  SECTION("a syntax error inside lifecyclePolicyText gives its line and column there") {
    const std::string doc = R"({"lifecyclePolicyText": "{\n  \"rules\": [\n    {,\n  ]\n}"})";
    const auto result = ecrlp::parse_policy(doc);
    REQUIRE(result.diagnostics.size() == 1);
    const auto& d = result.diagnostics[0];
    CHECK(d.code == "policy.syntax");
    CHECK(d.message.rfind("lifecyclePolicyText: line 3, column 6 of the text: ", 0) == 0);
    CHECK(d.line == 1);
    CHECK(doc.substr(d.byte, 1) == ",");
  }
  SECTION("a short lifecyclePolicyText is too short even if the response is long") {
    const std::string doc =
        R"({"registryId": "123456789012", "repositoryName": "a-repository-with-a-long-name", "lifecyclePolicyText": "{\"rules\": []}"})";
    const auto result = ecrlp::parse_policy(doc);
    INFO(dump(result.diagnostics));
    const auto* d = find_code(result.diagnostics, "policy.text_length");
    REQUIRE(d != nullptr);
    CHECK(d->pointer.empty());
    CHECK(d->message.find("lifecyclePolicyText") != std::string::npos);
    CHECK(d->message.find("13 characters") != std::string::npos);
    CHECK(d->aws_message ==
          "Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: 'Member must "
          "have length greater than or equal to 100'");
  }
  SECTION("a document with both rules and lifecyclePolicyText is a policy") {
    const std::string doc = R"({"rules":[)" + compact_rule(1) + R"(],"lifecyclePolicyText":"{}"})";
    const auto result = ecrlp::parse_policy(doc);
    CHECK(errors_of(result.diagnostics) ==
          std::vector<std::pair<std::string, std::string>>{
              {"policy.unknown_property", "/lifecyclePolicyText"}});
  }
  SECTION("a non-string lifecyclePolicyText does not make a response") {
    const std::string doc = R"({"lifecyclePolicyText": {"rules": []}})" + std::string(70, ' ');
    const auto result = ecrlp::parse_policy(doc);
    CHECK(
        errors_of(result.diagnostics) ==
        std::vector<std::pair<std::string, std::string>>{
            {"policy.missing_property", ""}, {"policy.unknown_property", "/lifecyclePolicyText"}});
  }
  SECTION("a duplicate key in the response itself") {
    const std::string text = json_string("{\"rules\":[" + compact_rule(1) + "]}");
    const std::string doc =
        R"({"lifecyclePolicyText": )" + text + R"(, "lifecyclePolicyText": "x"})";
    const auto result = ecrlp::parse_policy(doc);
    CHECK(errors_of(result.diagnostics) == std::vector<std::pair<std::string, std::string>>{
                                               {"policy.duplicate_key", "/lifecyclePolicyText"}});
    CHECK_FALSE(result.value.has_value());
  }
}

// -------------------------------------------------------------------------------------------------
// JSON-level problems
// -------------------------------------------------------------------------------------------------

TEST_CASE("syntax errors carry line and column", "[policy_parser]") {
  SECTION("an unexpected character") {
    const std::string doc = "{\n  \"rules\": [\n    {\"rulePriority\": 1,, }\n  ]\n}\n";
    const auto result = ecrlp::parse_policy(doc, "p.json");
    REQUIRE(result.diagnostics.size() == 1);
    const auto& d = result.diagnostics[0];
    CHECK(d.code == "policy.syntax");
    CHECK(d.file == "p.json");
    CHECK(d.line == 3);
    CHECK(d.column == 24);
    CHECK(doc[d.byte] == ',');
    CHECK(d.message.find("unexpected ','") != std::string::npos);
    CHECK_FALSE(result.value.has_value());
  }
  SECTION("a truncated file: the error is at the end") {
    const std::string full = read_file(policies_dir / "valid" / "tc08-all-images-b-patterns.json");
    const std::string doc = full.substr(0, full.find("\"Rule 2\""));
    const auto result = ecrlp::parse_policy(doc);
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].code == "policy.syntax");
    CHECK(result.diagnostics[0].byte == doc.size());
    CHECK(result.diagnostics[0].message.find("end of input") != std::string::npos);
  }
  SECTION("an empty file") {
    for (const std::string doc : {"", "  \n\t\n"}) {
      const auto result = ecrlp::parse_policy(doc);
      REQUIRE(result.diagnostics.size() == 1);
      CHECK(result.diagnostics[0].code == "policy.syntax");
      CHECK(result.diagnostics[0].message == "the document is empty");
      CHECK_FALSE(result.value.has_value());
    }
  }
  SECTION("trailing content") {
    const auto result = ecrlp::parse_policy(R"({"rules":[]} {"rules":[]})");
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].code == "policy.syntax");
    CHECK(result.diagnostics[0].column == 14);
  }
  SECTION("a number too large for a double") {
    const auto result = ecrlp::parse_policy(R"({"rules":[{"rulePriority":1e400}]})");
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].code == "policy.syntax");
  }
  SECTION("a byte order mark is skipped and positions stay right") {
    const std::string doc = "\xEF\xBB\xBF{\"rules\": 5}" + std::string(90, ' ');
    const auto result = ecrlp::parse_policy(doc);
    REQUIRE(errors_of(result.diagnostics) ==
            std::vector<std::pair<std::string, std::string>>{{"policy.rules.not_array", "/rules"}});
    const auto* d = find_code(result.diagnostics, "policy.rules.not_array");
    CHECK(doc[d->byte] == '5');
  }
}

TEST_CASE("duplicate keys are errors with the position of the repeat", "[policy_parser]") {
  const std::string doc =
      "{\"rules\": [" + compact_rule(1) + "],\n \"a/b~c\": 1, \"a/b~c\": 2}" + std::string(10, ' ');
  const auto result = ecrlp::parse_policy(doc);
  INFO(dump(result.diagnostics));
  const auto* d = find_code(result.diagnostics, "policy.duplicate_key");
  REQUIRE(d != nullptr);
  CHECK(d->pointer == "/a~1b~0c");  // RFC 6901 escaping
  CHECK(d->line == 2);
  CHECK(doc.substr(d->byte, 8) == "\"a/b~c\":");
  CHECK(d->byte > doc.find("\"a/b~c\""));  // the second occurrence
  CHECK_FALSE(result.value.has_value());
  // The first occurrence is kept, so it is reported once as an unknown property.
  CHECK(errors_of(result.diagnostics) ==
        std::vector<std::pair<std::string, std::string>>{{"policy.duplicate_key", "/a~1b~0c"},
                                                         {"policy.unknown_property", "/a~1b~0c"}});
}

TEST_CASE("explicit nulls are errors with ECR's oneOf message", "[policy_parser]") {
  SECTION("in selection") {
    const auto result = ecrlp::load_policy(policies_dir / "invalid" / "policy.null_value.json");
    const auto* d = find_code(result.diagnostics, "policy.null_value");
    REQUIRE(d != nullptr);
    CHECK(d->aws_message ==
          "Lifecycle policy validation failure: instance failed to match exactly one schema "
          "(matched 0 out of 4)");
  }
  SECTION("in action") {
    const auto result = ecrlp::load_policy(policies_dir / "invalid" /
                                           "policy.null_value@target-storage-class.json");
    const auto* d = find_code(result.diagnostics, "policy.null_value");
    REQUIRE(d != nullptr);
    CHECK(d->aws_message ==
          "Lifecycle policy validation failure: instance failed to match exactly one schema "
          "(matched 0 out of 2)");
  }
  SECTION("the whole document") {
    const auto result = ecrlp::parse_policy("null" + std::string(100, ' '));
    CHECK(errors_of(result.diagnostics) ==
          std::vector<std::pair<std::string, std::string>>{{"policy.null_value", ""}});
  }
}

TEST_CASE("deep nesting is refused quickly", "[policy_parser]") {
  const auto start = std::chrono::steady_clock::now();
  SECTION("100,000 nested arrays") {
    const auto result = ecrlp::parse_policy(std::string(100'000, '['));
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].code == "policy.too_deep");
    CHECK(result.diagnostics[0].byte == 64);  // the 65th bracket
    CHECK(result.diagnostics[0].pointer.size() == std::size_t{64} * 2);
  }
  SECTION("100,000 nested objects inside a rule") {
    std::string doc = R"({"rules":[{"rulePriority":)";
    for (int i = 0; i < 100'000; ++i) doc += R"({"a":)";
    const auto result = ecrlp::parse_policy(doc);
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].code == "policy.too_deep");
    CHECK(result.diagnostics[0].pointer.rfind("/rules/0/rulePriority/a/a/", 0) == 0);
  }
  SECTION("64 levels are fine") {
    const std::string doc =
        R"({"rules":)" + std::string(63, '[') + std::string(63, ']') + "}" + std::string(10, ' ');
    const auto result = ecrlp::parse_policy(doc);
    CHECK(errors_of(result.diagnostics) ==
          std::vector<std::pair<std::string, std::string>>{{"rule.not_object", "/rules/0"}});
  }
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(elapsed < std::chrono::seconds(2));
}

TEST_CASE("a document with too many values is refused", "[policy_parser]") {
  std::string doc = R"({"rules":[)";
  for (int i = 0; i < 120'000; ++i) doc += i == 0 ? "0" : ",0";
  doc += "]}";
  const auto result = ecrlp::parse_policy(doc);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].code == "policy.too_many_values");
  CHECK(result.diagnostics[0].pointer.rfind("/rules/", 0) == 0);
  CHECK_FALSE(result.value.has_value());
}

TEST_CASE("invalid UTF-8 is a clear error", "[policy_parser]") {
  const std::string valid =
      read_file(policies_dir / "valid" / "tc01-untagged-older-than-14-days.json");
  const std::size_t at = valid.find("Expire") + 2;
  const std::string bad_sequence = GENERATE(std::string("\xFF"), std::string("\x80"),
                                            std::string("\xC0\xAF"),          // overlong '/'
                                            std::string("\xED\xA0\x80"),      // UTF-16 surrogate
                                            std::string("\xF4\x90\x80\x80"),  // above U+10FFFF
                                            std::string("\xE2\x82"));         // truncated
  const std::string doc = valid.substr(0, at) + bad_sequence + valid.substr(at);
  const auto result = ecrlp::parse_policy(doc);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].code == "policy.encoding");
  CHECK(result.diagnostics[0].byte == at);
  CHECK(result.diagnostics[0].message.find("UTF-8") != std::string::npos);
  CHECK_FALSE(result.value.has_value());

  SECTION("truncated at the very end") {
    const auto r = ecrlp::parse_policy(valid + "\xF0\x9F\xA7");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "policy.encoding");
  }
}

TEST_CASE("the text length counts characters: 100 to 30,720", "[policy_parser]") {
  const auto length_errors = [](const std::string& doc) {
    std::vector<std::string> out;
    for (const auto& d : ecrlp::parse_policy(doc).diagnostics) {
      if (d.code == "policy.text_length") out.push_back(d.aws_message);
    }
    return out;
  };
  const std::string empty_rules = R"({"rules":[]})";
  CHECK(length_errors(empty_rules + std::string(100 - empty_rules.size(), ' ')).empty());
  CHECK(length_errors(empty_rules + std::string(99 - empty_rules.size(), ' ')) ==
        std::vector<std::string>{
            "Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: 'Member must "
            "have length greater than or equal to 100'"});

  const std::string policy = R"({"rules":[)" + compact_rule(1) + "]}";
  CHECK(length_errors(policy + std::string(30'720 - policy.size(), ' ')).empty());
  CHECK(length_errors(policy + std::string(30'721 - policy.size(), ' ')) ==
        std::vector<std::string>{
            "Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: 'Member must "
            "have length less than or equal to 30720'"});

  // 10,500 three-byte characters: 31,500 bytes more, but only 10,500 characters more.
  std::string wide;
  for (int i = 0; i < 10'500; ++i) wide += "\xE2\x82\xAC";  // U+20AC EURO SIGN
  const std::string with_description =
      R"({"rules":[{"rulePriority":1,"description":")" + wide +
      R"(","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]})";
  CHECK(with_description.size() > 30'720);
  const auto result = ecrlp::parse_policy(with_description);
  CHECK(result.ok());
  CHECK(result.value->policy.rules.at(0).description == wide);
}

TEST_CASE("integers must be integer literals within range", "[policy_parser]") {
  const auto priority_codes = [](std::string_view literal) {
    const std::string doc =
        R"({"rules":[{"rulePriority":)" + std::string(literal) +
        R"(,"selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]})";
    std::vector<std::string> out;
    for (const auto& d : ecrlp::parse_policy(doc).diagnostics) out.push_back(d.code);
    return out;
  };
  using v = std::vector<std::string>;
  CHECK(priority_codes("1").empty());
  CHECK(priority_codes("2147483647").empty());
  CHECK(priority_codes("1.0") == v{"rule.priority.type"});
  CHECK(priority_codes("1e0") == v{"rule.priority.type"});
  CHECK(priority_codes("\"1\"") == v{"rule.priority.type"});
  CHECK(priority_codes("true") == v{"rule.priority.type"});
  CHECK(priority_codes("[1]") == v{"rule.priority.type"});
  CHECK(priority_codes("0") == v{"rule.priority.out_of_range"});
  CHECK(priority_codes("-0") == v{"rule.priority.out_of_range"});
  CHECK(priority_codes("-5") == v{"rule.priority.out_of_range"});
  CHECK(priority_codes("2147483648") == v{"rule.priority.out_of_range"});
  CHECK(priority_codes("9223372036854775807") == v{"rule.priority.out_of_range"});
  CHECK(priority_codes("18446744073709551615") == v{"rule.priority.out_of_range"});
  CHECK(priority_codes("-99999999999999999999") == v{"rule.priority.out_of_range"});
}

TEST_CASE("ECR's messages accompany schema errors", "[policy_parser]") {
  const auto aws_of = [](const std::string& file, std::string_view code) {
    const auto result = ecrlp::load_policy(policies_dir / "invalid" / file);
    const auto* d = find_code(result.diagnostics, code);
    REQUIRE(d != nullptr);
    return d->aws_message;
  };
  const std::string prefix = "Lifecycle policy validation failure: ";
  CHECK(aws_of("rule.missing_property@all.json", "rule.missing_property") ==
        prefix +
            R"(object has missing required properties (["action","rulePriority","selection"]))");
  CHECK(aws_of("rule.unknown_property.json", "rule.unknown_property") ==
        prefix +
            R"(object instance has properties which are not allowed by the schema: (["enabled"]))");
  CHECK(
      aws_of("action.type.unknown.json", "action.type.unknown") ==
      prefix +
          R"(instance value (keep) not found in enum :(possible values: ["expire","transition"]))");
  CHECK(aws_of("selection.count_number.out_of_range.json", "selection.count_number.out_of_range") ==
        prefix + "numeric instance is lower than the required minimum (minimum: 1, found: 0)");
  CHECK(
      aws_of("rule.not_object.json", "rule.not_object") ==
      prefix +
          R"(instance type (string) does not match any allowed primitive type (allowed: ["object"]))");
  CHECK(aws_of("selection.count_unit.forbidden.json", "selection.count_unit.forbidden") ==
        prefix + "instance failed to match exactly one schema (matched 0 out of 4)");
  CHECK(aws_of("action.target_storage_class.missing.json", "action.target_storage_class.missing") ==
        prefix + "instance failed to match exactly one schema (matched 0 out of 2)");
  CHECK(aws_of("policy.syntax.json", "policy.syntax") ==
        prefix + "Could not map policyString into LifecyclePolicy.");
  CHECK(aws_of("policy.encoding.json", "policy.encoding").empty());
  CHECK(aws_of("policy.missing_property.json", "policy.missing_property") ==
        prefix + R"(object has missing required properties (["rules"]))");
  CHECK(aws_of("selection.tag_list.missing.json", "selection.tag_list.missing") ==
        prefix + "Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.");
  CHECK(aws_of("policy.any_not_last.json", "policy.any_not_last") ==
        prefix + "Rule for tagStatus=ANY must have the lowest priority per storage class");
  CHECK(aws_of("policy.untagged_duplicate.json", "policy.untagged_duplicate") ==
        prefix + "Only one rule can select Untagged images per storage class.");
}

TEST_CASE("diagnostics found on the model are placed at their value", "[policy_parser]") {
  const fs::path file =
      policies_dir / "invalid" / "selection.count_number.out_of_range@too-large.json";
  const std::string doc = read_file(file);
  const auto result = ecrlp::parse_policy(doc, "x.json");
  REQUIRE(result.diagnostics.size() == 1);
  const auto& d = result.diagnostics[0];
  CHECK(d.file == "x.json");
  CHECK(doc.substr(d.byte, 10) == "4294967296");
  // line and column agree with byte
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < d.byte; ++i) {
    if (doc[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  CHECK(d.line == line);
  CHECK(d.column == d.byte - line_start + 1);
  CHECK(d.message.find("rule 1 (priority 1)") == 0);
}

// -------------------------------------------------------------------------------------------------
// Files
// -------------------------------------------------------------------------------------------------

TEST_CASE("load_policy reports unreadable and oversized files", "[policy_parser]") {
  SECTION("a missing file") {
    const fs::path missing = policies_dir / "no-such-policy.json";
    const auto result = ecrlp::load_policy(missing);
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].code == "io.read");
    CHECK(result.diagnostics[0].file == missing.string());
    CHECK_FALSE(result.value.has_value());
  }
  SECTION("a directory") {
    const auto result = ecrlp::load_policy(policies_dir);
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].code == "io.read");
  }
  SECTION("more than 16 MiB") {
    const fs::path big = fs::temp_directory_path() / "ecrlp-policy-parser-test-big.json";
    {
      std::ofstream out(big, std::ios::binary);
      const std::string chunk(std::size_t{1024} * 1024, ' ');
      for (int i = 0; i < 16; ++i) out << chunk;
      out << "{}";
    }
    const auto result = ecrlp::load_policy(big);
    fs::remove(big);
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(result.diagnostics[0].code == "io.too_large");
    CHECK_FALSE(result.value.has_value());
  }
}
