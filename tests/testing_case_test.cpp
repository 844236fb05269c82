// SPDX-License-Identifier: MIT
// Tests of case files (include/ecrlp/policy_case.hpp, lib/read/policy_case.cpp) and, in-process, of
// `ecrlp test` (lib/cli/cmd_test.cpp). Fixtures: tests/data/policy-tests/.

#include <ecrlp/policy_case.hpp>
#include <ecrlp/policy_parser.hpp>

#include "catch.hpp"

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#ifdef ECRLP_HAVE_CLI
#  include "cli_runner.hpp"
#endif

namespace {

using ecrlp::fate;
using ecrlp::image_status;
using ecrlp::timestamp;
using requirement = ecrlp::testing::expectation::rule_requirement;
using std::chrono::days;
using std::chrono::hours;

const std::filesystem::path data = std::filesystem::path(ECRLP_TEST_DATA) / "policy-tests";

timestamp at(std::string_view text) {
  const auto t = ecrlp::parse_timestamp(text);
  REQUIRE(t);
  return *t;
}

std::string codes_and_pointers(const std::vector<ecrlp::diagnostic>& diags) {
  std::string s;
  for (const auto& d : diags) {
    s += std::string(ecrlp::to_string(d.level)) + " " + d.code + " " + d.pointer + "\n";
  }
  return s;
}

/// A minimal valid case with one member replaced or added (`member` is a JSON member, or empty).
std::string one_case(std::string_view images, std::string_view expect,
                     std::string_view extra = {}) {
  return R"({"policy": "p.json", "now": "2026-11-28T00:00:00Z", "cases": [{"name": "c", "images": )" +
         std::string(images) + R"(, "expect": )" + std::string(expect) +
         (extra.empty() ? "" : ", " + std::string(extra)) + "}]}";
}

}  // namespace

TEST_CASE("case file: a suite with every field", "[policy_case]") {
  const auto loaded = ecrlp::load_case_file(data / "suite.json");
  INFO(codes_and_pointers(loaded.diagnostics));
  REQUIRE(loaded.ok());
  CHECK(loaded.diagnostics.empty());
  const auto& file = *loaded.value;
  CHECK(file.file == (data / "suite.json").string());
  REQUIRE(file.cases.size() == 2);

  const auto& c0 = file.cases[0];
  CHECK(c0.name == "releases: the two newest stay");
  CHECK(c0.pointer == "/cases/0");
  CHECK(c0.policy_text == "policy.json");
  CHECK(c0.policy == (data / "policy.json").lexically_normal());
  const timestamp now0 = at("2026-11-28T00:00:00Z");
  CHECK(c0.repository.now() == now0);
  const auto imgs = c0.repository.images();
  REQUIRE(imgs.size() == 3);
  CHECK(imgs[0].digest == "r3");
  CHECK(imgs[0].tags == std::vector<std::string>{"release-3"});
  CHECK(imgs[0].pushed_at == now0 - days{1});
  CHECK(imgs[0].last_pulled_at == now0 - hours{1});
  CHECK(imgs[0].size_bytes == 1000);
  CHECK(imgs[1].last_pulled_at == at("2026-11-27T10:00:00Z"));
  CHECK(imgs[2].pushed_at == at("2026-01-01T00:00:00Z"));
  CHECK(imgs[2].digest == "sha256:0001");
  CHECK(c0.repository.names()[2] == "r1");

  // An entry naming several images becomes one expectation per image.
  REQUIRE(c0.expectations.size() == 3);
  CHECK(c0.expectations[0].subject.value == "r3");
  CHECK(c0.expectations[0].pointer == "/cases/0/expect/0/images/0");
  CHECK(c0.expectations[1].subject.value == "r2");
  CHECK(c0.expectations[1].expected == fate::keep);
  CHECK(c0.expectations[1].rule == requirement::priority);
  CHECK(c0.expectations[1].rule_priority == 1);
  CHECK(c0.expectations[2].subject.by == ecrlp::testing::image_ref::kind::tag);
  CHECK(c0.expectations[2].subject.value == "release-1");
  CHECK(c0.expectations[2].expected == fate::expire);
  CHECK(c0.expectations[2].pointer == "/cases/0/expect/1/tag");

  // The second case overrides `now`; statuses follow archive, restore and explicit status.
  const auto& c1 = file.cases[1];
  const timestamp now1 = at("2027-01-01T00:00:00Z");
  CHECK(c1.repository.now() == now1);
  const auto& repo = c1.repository;
  const auto img = [&](std::string_view name) { return repo.images()[*repo.find(name)]; };
  CHECK(img("warm").last_pulled_at == now1 - days{7});
  CHECK(img("archived-long").status == image_status::archived);
  CHECK(img("archived-long").last_archived_at == now1 - days{91});
  CHECK(img("restoring").status == image_status::activating);
  CHECK(img("restored").status == image_status::active);
  CHECK(img("restored").last_activated_at == now1 - days{1});
  CHECK(img("dangling").pushed_at == now1 - hours{36});
  CHECK(img("dangling").tags.empty());
  const auto none = std::find_if(c1.expectations.begin(), c1.expectations.end(),
                                 [](const auto& e) { return e.subject.value == "restoring"; });
  REQUIRE(none != c1.expectations.end());
  CHECK(none->rule == requirement::none);
}

TEST_CASE("case file: run_case passes and fails as the policy decides", "[policy_case]") {
  const auto policy = ecrlp::load_policy(data / "policy.json");
  REQUIRE(policy.ok());

  SECTION("every expectation of the suite holds") {
    const auto loaded = ecrlp::load_case_file(data / "suite.json");
    REQUIRE(loaded.ok());
    for (const auto& c : loaded.value->cases) {
      const auto outcome = ecrlp::run_case(c, policy.value->policy);
      INFO(c.name);
      CHECK(outcome.passed());
      CHECK(outcome.checked == c.expectations.size());
    }
  }
  SECTION("failures name the expectation and explain the fate") {
    const auto loaded = ecrlp::load_case_file(data / "failing.json");
    REQUIRE(loaded.ok());
    REQUIRE(loaded.value->cases.size() == 2);
    CHECK(ecrlp::run_case(loaded.value->cases[0], policy.value->policy).passed());
    const auto& c = loaded.value->cases[1];
    const auto outcome = ecrlp::run_case(c, policy.value->policy);
    CHECK_FALSE(outcome.passed());
    CHECK(outcome.checked == 3);
    REQUIRE(outcome.failures.size() == 2);
    CHECK(outcome.failures[0].index == 0);
    CHECK(c.expectations[outcome.failures[0].index].pointer == "/cases/1/expect/0/image");
    const std::string m0 = outcome.failures[0].check.message();
    CHECK(
        m0.starts_with("expected image 'young' expired by rule priority 3, but it was kept "
                       "(owned by rule priority 3)\n"));
    CHECK(m0.find("owns it; pushed 6d ago, not more than 7 days; so it is kept") !=
          std::string::npos);
    CHECK(outcome.failures[1].index == 2);
    CHECK(outcome.failures[1].check.message().find(
              "also selects it (tag \"release-9\" matches \"*\") but does not own it") !=
          std::string::npos);
  }
  SECTION("a single-case file is named after the file") {
    const auto loaded = ecrlp::load_case_file(data / "single.json");
    REQUIRE(loaded.ok());
    REQUIRE(loaded.value->cases.size() == 1);
    CHECK(loaded.value->cases[0].name == "single");
    CHECK(loaded.value->cases[0].pointer.empty());
    CHECK(loaded.value->cases[0].expectations[0].pointer == "/expect/0/image");
    CHECK(ecrlp::run_case(loaded.value->cases[0], policy.value->policy).passed());
  }
}

TEST_CASE("case file: a file with several mistakes reports each with a pointer", "[policy_case]") {
  const auto loaded = ecrlp::load_case_file(data / "malformed.json");
  CHECK_FALSE(loaded.ok());
  CHECK_FALSE(loaded.value);
  CHECK(codes_and_pointers(loaded.diagnostics) ==
        "error case.time /cases/0/images/0/age\n"
        "error case.unknown_key /cases/0/images/1/sise\n"
        "error case.duplicate_tag /cases/0/images/1/tags/0\n"
        "error case.unknown_image /cases/0/expect/0/image\n"
        "error case.value /cases/0/expect/1/fate\n");
  for (const auto& d : loaded.diagnostics) CHECK(d.file == (data / "malformed.json").string());
  CHECK(loaded.diagnostics[1].message == "unknown member \"sise\"; did you mean \"size\"?");
  CHECK(loaded.diagnostics[2].message ==
        "tag \"v1\" is already on image \"a\"; in ECR a tag names one image");
}

TEST_CASE("case file: a JSON syntax error has a line and column", "[policy_case]") {
  const auto loaded = ecrlp::load_case_file(data / "syntax-error.json");
  REQUIRE(loaded.diagnostics.size() == 1);
  const auto& d = loaded.diagnostics[0];
  CHECK(d.code == "case.syntax");
  CHECK(d.line == 5);
  CHECK(d.column == 20);
  CHECK(d.message.find("unexpected '}'") != std::string::npos);
  CHECK(d.message.find("json.exception") == std::string::npos);

  const auto empty = ecrlp::parse_case_file("", "e.json");
  REQUIRE(empty.diagnostics.size() == 1);
  CHECK(empty.diagnostics[0].code == "case.syntax");
  CHECK(empty.diagnostics[0].file == "e.json");

  const auto bad_utf8 = ecrlp::parse_case_file("{\"now\": \"\xff\"}", "u.json");
  REQUIRE(bad_utf8.diagnostics.size() == 1);
  CHECK(bad_utf8.diagnostics[0].code == "case.syntax");
  CHECK(bad_utf8.diagnostics[0].line == 1);
}

TEST_CASE("case file: unreadable files", "[policy_case]") {
  const auto missing = ecrlp::load_case_file(data / "does-not-exist.json");
  REQUIRE(missing.diagnostics.size() == 1);
  CHECK(missing.diagnostics[0].code == "io.read");
  CHECK(missing.diagnostics[0].file == (data / "does-not-exist.json").string());
  const auto directory = ecrlp::load_case_file(data);
  REQUIRE(directory.diagnostics.size() == 1);
  CHECK(directory.diagnostics[0].code == "io.read");
  CHECK(directory.diagnostics[0].message.ends_with("it is a directory"));
}

TEST_CASE("case file: malformed documents give a code at a pointer", "[policy_case]") {
  struct bad_case {
    std::string text;
    std::string code;
    std::string pointer;
  };
  const std::string ok_images = R"([{"name": "a", "tags": ["v1"], "age": "1d"}])";
  const std::string ok_expect = R"([{"image": "a", "fate": "kept"}])";
  const auto bad = GENERATE_COPY(values<bad_case>({
      {"[]", "case.type", ""},
      {R"({"cases": {}})", "case.type", "/cases"},
      {R"({"policy": "p.json", "now": "2026-11-28T00:00:00Z", "cases": []})", "case.empty",
       "/cases"},
      {R"({"policy": "p.json", "now": "2026-11-28T00:00:00Z", "cases": [7]})", "case.type",
       "/cases/0"},
      {R"({"policy": "p.json", "now": "2026-11-28T00:00:00Z", "cases": [{"images": [], "expect": []}]})",
       "case.missing", "/cases/0"},
      {R"({"now": "2026-11-28T00:00:00Z", "cases": [{"name": "c", "images": [{"name": "a", "age": "1d"}], "expect": [{"image": "a", "fate": "kept"}]}]})",
       "case.missing", "/cases/0"},
      {R"({"policy": "", "now": "2026-11-28T00:00:00Z", "cases": [{"name": "c", "images": [{"name": "a", "age": "1d"}], "expect": [{"image": "a", "fate": "kept"}]}]})",
       "case.value", "/policy"},
      {R"({"policy": "p.json", "cases": [{"name": "c", "images": [{"name": "a", "age": "1d"}], "expect": [{"image": "a", "fate": "kept"}]}]})",
       "case.missing", "/cases/0"},
      {R"({"policy": "p.json", "now": "10d", "cases": [{"name": "c", "images": [{"name": "a", "age": "1d"}], "expect": [{"image": "a", "fate": "kept"}]}]})",
       "case.time", "/now"},
      {R"({"policy": 3, "now": "2026-11-28T00:00:00Z", "cases": [{"name": "c", "images": [{"name": "a", "age": "1d"}], "expect": [{"image": "a", "fate": "kept"}]}]})",
       "case.type", "/policy"},
      {R"({"polcy": "p.json", "policy": "p.json", "now": "2026-11-28T00:00:00Z", "cases": [{"name": "c", "images": [{"name": "a", "age": "1d"}], "expect": [{"image": "a", "fate": "kept"}]}]})",
       "case.unknown_key", "/polcy"},
      {R"({"policy": "p.json", "now": "2026-11-28T00:00:00Z", "cases": [{"name": "c", "name": "d", "images": [{"name": "a", "age": "1d"}], "expect": [{"image": "a", "fate": "kept"}]}]})",
       "case.duplicate_key", "/cases/0/name"},
      {R"({"policy": "p.json", "now": "2026-11-28T00:00:00Z", "cases": [{"name": "c", "images": [{"name": "a", "age": "1d"}], "expect": [{"image": "a", "fate": "kept"}]}, {"name": "c", "images": [{"name": "a", "age": "1d"}], "expect": [{"image": "a", "fate": "kept"}]}]})",
       "case.duplicate_case", "/cases/1/name"},
      {one_case("{}", ok_expect), "case.type", "/cases/0/images"},
      {one_case("[3]", ok_expect), "case.type", "/cases/0/images/0"},
      {one_case(R"([{"age": "1d"}])", ok_expect), "case.missing", "/cases/0/images/0"},
      {one_case(R"([{"name": "", "age": "1d"}])", ok_expect), "case.value",
       "/cases/0/images/0/name"},
      {one_case(R"([{"name": "a", "age": "1d"}, {"name": "a", "age": "2d"}])", ok_expect),
       "case.duplicate_image", "/cases/0/images/1/name"},
      {one_case(R"([{"name": "a"}])", ok_expect), "case.missing", "/cases/0/images/0"},
      {one_case(R"([{"name": "a", "age": "1d", "pushed": "1d"}])", ok_expect), "case.conflict",
       "/cases/0/images/0/pushed"},
      {one_case(R"([{"name": "a", "age": 10}])", ok_expect), "case.type", "/cases/0/images/0/age"},
      {one_case(R"([{"name": "a", "age": "1d", "pulled": "yesterday"}])", ok_expect), "case.time",
       "/cases/0/images/0/pulled"},
      {one_case(R"([{"name": "a", "age": "1d", "archived": "1.5d"}])", ok_expect), "case.time",
       "/cases/0/images/0/archived"},
      {one_case(R"([{"name": "a", "age": "1d", "restored": "-1d"}])", ok_expect), "case.time",
       "/cases/0/images/0/restored"},
      {one_case(R"([{"name": "a", "age": "1d", "status": "archived"}])", ok_expect), "case.value",
       "/cases/0/images/0/status"},
      {one_case(R"([{"name": "a", "age": "1d", "size": -1}])", ok_expect), "case.value",
       "/cases/0/images/0/size"},
      {one_case(R"([{"name": "a", "age": "1d", "size": "1MB"}])", ok_expect), "case.type",
       "/cases/0/images/0/size"},
      {one_case(R"([{"name": "a", "age": "1d", "tags": "v1"}])", ok_expect), "case.type",
       "/cases/0/images/0/tags"},
      {one_case(R"([{"name": "a", "age": "1d", "tags": [1]}])", ok_expect), "case.type",
       "/cases/0/images/0/tags/0"},
      {one_case(R"([{"name": "a", "age": "1d", "tags": [""]}])", ok_expect), "case.value",
       "/cases/0/images/0/tags/0"},
      {one_case(R"([{"name": "a", "age": "1d", "tags": ["x", "x"]}])", ok_expect),
       "case.duplicate_tag", "/cases/0/images/0/tags/1"},
      {one_case(ok_images, "[]"), "case.empty", "/cases/0/expect"},
      {one_case(ok_images, R"({"image": "a"})"), "case.type", "/cases/0/expect"},
      {one_case(ok_images, R"(["a"])"), "case.type", "/cases/0/expect/0"},
      {one_case(ok_images, R"([{"fate": "kept"}])"), "case.missing", "/cases/0/expect/0"},
      {one_case(ok_images, R"([{"image": "a", "tag": "v1", "fate": "kept"}])"), "case.conflict",
       "/cases/0/expect/0"},
      {one_case(ok_images, R"([{"image": "a"}])"), "case.missing", "/cases/0/expect/0"},
      {one_case(ok_images, R"([{"image": "a", "fate": "keep"}])"), "case.value",
       "/cases/0/expect/0/fate"},
      {one_case(ok_images, R"([{"image": "b", "fate": "kept"}])"), "case.unknown_image",
       "/cases/0/expect/0/image"},
      {one_case(ok_images, R"([{"images": ["a", "b"], "fate": "kept"}])"), "case.unknown_image",
       "/cases/0/expect/0/images/1"},
      {one_case(ok_images, R"([{"images": [], "fate": "kept"}])"), "case.empty",
       "/cases/0/expect/0/images"},
      {one_case(ok_images, R"([{"tag": "v2", "fate": "kept"}])"), "case.unknown_tag",
       "/cases/0/expect/0/tag"},
      {one_case(ok_images, R"([{"tags": ["v1", 2], "fate": "kept"}])"), "case.type",
       "/cases/0/expect/0/tags/1"},
      {one_case(ok_images, R"([{"image": "a", "fate": "kept", "rule": 0}])"), "case.value",
       "/cases/0/expect/0/rule"},
      {one_case(ok_images, R"([{"image": "a", "fate": "kept", "rule": "5"}])"), "case.value",
       "/cases/0/expect/0/rule"},
      {one_case(ok_images, R"([{"image": "a", "fate": "expired", "rule": "none"}])"), "case.value",
       "/cases/0/expect/0/rule"},
      {one_case(ok_images, R"([{"image": "a", "fate": "kept", "why": "x"}])"), "case.unknown_key",
       "/cases/0/expect/0/why"},
      {one_case(ok_images, ok_expect, R"("now": "2026-13-01T00:00:00Z")"), "case.time",
       "/cases/0/now"},
      {one_case(ok_images, ok_expect, R"("now": "1764288000")"), "case.time", "/cases/0/now"},
      {one_case(R"([{"name": "a", "age": "10"}])", ok_expect), "case.time",
       "/cases/0/images/0/age"},
      {one_case(R"([{"name": "a", "pushed": "1764288000"}])", ok_expect), "case.time",
       "/cases/0/images/0/pushed"},
  }));
  const auto parsed = ecrlp::parse_case_file(bad.text, "t.json");
  INFO(bad.text);
  INFO(codes_and_pointers(parsed.diagnostics));
  CHECK_FALSE(parsed.ok());
  REQUIRE_FALSE(parsed.diagnostics.empty());
  CHECK(parsed.diagnostics.front().code == bad.code);
  CHECK(parsed.diagnostics.front().pointer == bad.pointer);
  CHECK(parsed.diagnostics.front().file == "t.json");
  CHECK_FALSE(parsed.diagnostics.front().message.empty());
}

TEST_CASE("case file: lenient where it can be, with warnings", "[policy_case]") {
  // A push time after `now` is allowed (with a warning); a case may override the policy.
  const auto parsed = ecrlp::parse_case_file(
      one_case(R"([{"name": "a", "pushed": "2027-01-01T00:00:00Z"}])",
               R"([{"image": "a", "fate": "kept"}])", R"("policy": "sub/other.json")"),
      "t.json", "base");
  INFO(codes_and_pointers(parsed.diagnostics));
  REQUIRE(parsed.ok());
  CHECK(codes_and_pointers(parsed.diagnostics) ==
        "warning case.future_time /cases/0/images/0/pushed\n");
  CHECK(parsed.value->cases[0].policy == std::filesystem::path("base/sub/other.json"));
  CHECK(parsed.value->cases[0].expectations[0].rule == requirement::any);
}

#ifdef ECRLP_HAVE_CLI

namespace {

cli_runner::cli_output run_test_command(std::vector<std::string> args) {
  args.insert(args.begin(), "test");
  return cli_runner::run_cli(args);
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("ecrlp test: passing, failing and broken case files", "[policy_case]") {
  const std::string suite = (data / "suite.json").string();
  const std::string failing = (data / "failing.json").string();

  SECTION("all pass: exit 0") {
    const auto r = run_test_command({suite, (data / "single.json").string()});
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(r.out.find("  PASS  releases: the two newest stay\n") != std::string::npos);
    CHECK(r.out.ends_with("\n3 passed, 0 failed\n"));
  }
  SECTION("a failure: exit 1, with the location and the explanation") {
    const auto r = run_test_command({suite, failing});
    CHECK(r.status == 1);
    CHECK(r.out.find("  FAIL  odd <name> & \"quotes\" 'too' (2 of 3 expectations failed)\n") !=
          std::string::npos);
    CHECK(r.out.find("        " + failing +
                     ":/cases/1/expect/0/image: expected image 'young' expired by rule priority "
                     "3, but it was kept (owned by rule priority 3)\n") != std::string::npos);
    CHECK(r.out.find("          outcome: kept by rule priority 3\n") != std::string::npos);
    CHECK(r.out.ends_with("\n3 passed, 1 failed\n"));
  }
  SECTION("a malformed file counts as one failure: exit 1, diagnostics on stderr") {
    const auto r = run_test_command({suite, (data / "malformed.json").string()});
    CHECK(r.status == 1);
    CHECK(r.err.find("error[case.unknown_image]") != std::string::npos);
    CHECK(r.err.find("/cases/0/expect/0/image") != std::string::npos);
    CHECK(r.out.ends_with("\n2 passed, 1 failed\n"));
  }
  SECTION("an unreadable policy: exit 3; an invalid one: exit 1") {
    const auto missing = run_test_command({(data / "missing-policy.json").string()});
    CHECK(missing.status == 3);
    CHECK(missing.err.find("io.read") != std::string::npos);
    CHECK(missing.out.ends_with("\n0 passed, 1 failed\n"));
    const auto invalid = run_test_command({(data / "invalid-policy.json").string()});
    CHECK(invalid.status == 1);
    CHECK(invalid.out.find("could not be loaded") != std::string::npos);
  }
  SECTION("an unreadable case file: exit 3") {
    const auto r = run_test_command({(data / "nope.json").string()});
    CHECK(r.status == 3);
    CHECK(r.out.ends_with("\n0 passed, 1 failed\n"));
  }
  SECTION("usage errors: exit 2, nothing on stdout") {
    for (const auto& args : std::vector<std::vector<std::string>>{{},
                                                                  {"--format", "json", suite},
                                                                  {"--junit"},
                                                                  {"--junit", "", suite},
                                                                  {"--bogus", suite}}) {
      const auto r = run_test_command(args);
      CHECK(r.status == 2);
      CHECK(r.out.empty());
    }
    const auto help = run_test_command({"--help"});
    CHECK(help.status == 0);
    CHECK(help.out.starts_with("Usage: ecrlp test [--junit FILE] [--format text] CASE..."));
  }
}

TEST_CASE("ecrlp test --junit writes escaped JUnit XML", "[policy_case]") {
  const auto dir = std::filesystem::temp_directory_path() / "ecrlp-testing-case-test";
  std::filesystem::create_directories(dir);
  const auto xml_path = dir / "junit.xml";
  std::filesystem::remove(xml_path);
  const auto r =
      run_test_command({"--junit", xml_path.string(), (data / "suite.json").string(),
                        (data / "failing.json").string(), (data / "malformed.json").string()});
  CHECK(r.status == 1);
  const std::string xml = read_file(xml_path);
  CHECK(xml.starts_with(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites name=\"ecrlp test\" tests=\"5\" failures=\"1\" errors=\"1\">\n"));
  CHECK(xml.find("<testcase classname=\"suite\" name=\"releases: the two newest stay\"/>") !=
        std::string::npos);
  CHECK(xml.find("name=\"odd &lt;name&gt; &amp; &quot;quotes&quot; &apos;too&apos;\">") !=
        std::string::npos);
  CHECK(xml.find("<failure message=\"2 of 3 expectations failed\" type=\"expectation\">") !=
        std::string::npos);
  CHECK(xml.find("expected image &apos;young&apos; expired") != std::string::npos);
  CHECK(xml.find("<error message=\"the case file is invalid\" type=\"unusable input\">") !=
        std::string::npos);
  CHECK(xml.ends_with("</testsuites>\n"));
  // Nothing unescaped: every '<' starts a tag we wrote.
  for (std::size_t i = xml.find('<'); i != std::string::npos; i = xml.find('<', i + 1)) {
    const auto rest = std::string_view(xml).substr(i + 1);
    const bool tag = rest.starts_with("?xml") || rest.starts_with("testsuite") ||
                     rest.starts_with("/testsuite") || rest.starts_with("testcase") ||
                     rest.starts_with("/testcase") || rest.starts_with("failure") ||
                     rest.starts_with("/failure") || rest.starts_with("error") ||
                     rest.starts_with("/error");
    CHECK(tag);
  }

  SECTION("control characters, which XML cannot hold, become U+FFFD") {
    const auto cases = dir / "control.json";
    {
      std::ofstream out(cases, std::ios::binary);
      out << R"({"policy": ")" << (data / "policy.json").generic_string()
          << R"(", "now": "2026-11-28T00:00:00Z", "cases": [{"name": "bell\u0007 tab\t", )"
          << R"("images": [{"name": "a", "age": "1d"}], "expect": [{"image": "a", "fate": "expired"}]}]})";
    }
    const auto c = run_test_command({"--junit", xml_path.string(), cases.string()});
    CHECK(c.status == 1);
    CHECK(read_file(xml_path).find("name=\"bell\xEF\xBF\xBD tab\t\">") != std::string::npos);
  }
  SECTION("an unwritable report: exit 3") {
    const auto bad = run_test_command(
        {"--junit", (dir / "no-such-dir" / "x.xml").string(), (data / "single.json").string()});
    CHECK(bad.status == 3);
    CHECK(bad.err.find("cannot write the JUnit report") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

#endif
