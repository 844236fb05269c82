// SPDX-License-Identifier: MIT
// The markdown writer (lib/render/markdown/), run as the command runs it: every command and
// registry run that speaks markdown gives well-formed GitHub tables and <details> blocks, puts
// in-use problems first, and keeps under --max-chars by cutting lists, never totals.

#include <ecrlp/render.hpp>

#include <string>
#include <vector>

#include "catch.hpp"
#include "cli_runner.hpp"
#include "markdown_check.hpp"

namespace {

const std::string data = ECRLP_TEST_DATA;
const std::string story = std::string(ECRLP_SOURCE_DIR) + "/examples/story";
const std::string snapshot = data + "/registry/snapshot";

std::vector<std::string> story_args(std::string command) {
  return {std::move(command), "--policy", story + "/policy.json", "--images",
          story + "/images.json", "--now", "2026-11-28T00:00:00Z"};
}

cli_runner::cli_output markdown(std::vector<std::string> args) {
  args.push_back("--format");
  args.push_back("markdown");
  return cli_runner::run_cli(args);
}

void check_well_formed(const cli_runner::cli_output& r) {
  INFO(r.err);
  INFO(r.out.substr(0, 2000));
  CHECK(!r.out.empty());
  CHECK(markdown_check::problems(r.out) == std::vector<std::string>{});
  CHECK(r.out.size() <= 65536);
}

}  // namespace

TEST_CASE("every markdown report is well-formed and under 65,536 characters", "[markdown]") {
  const std::string in_use = data + "/registry-cli/in-use.txt";
  const std::string everywhere = data + "/registry-cli/everywhere-policy.json";
  std::vector<std::vector<std::string>> runs = {
      story_args("preview"),
      {"preview", "--registry", snapshot, "--now", "2026-11-28T06:00:00Z"},
      {"preview", "--registry", snapshot, "--now", "2026-11-28T06:00:00Z", "--policy", everywhere,
       "--in-use", in_use},
      story_args("explain"),
      {"explain", "--registry", snapshot, "--now", "2026-11-28T06:00:00Z", "--image", "latest"},
      {"diff", "--policy", data + "/explain/policy.json", "--policy", story + "/policy.json",
       "--images", story + "/images.json", "--now", "2026-11-28T00:00:00Z"},
      {"diff", "--policy", everywhere, "--registry", snapshot, "--now", "2026-11-28T06:00:00Z"},
      {"lint", story + "/policy.json", "--images", story + "/images.json", "--now",
       "2026-11-28T00:00:00Z"},
      {"lint", "--registry", snapshot, "--now", "2026-11-28T06:00:00Z"},
      {"simulate", "--policy", story + "/policy.json", "--images", story + "/images.json",
       "--from", "2026-06-01T00:00:00Z", "--to", "2026-12-01T00:00:00Z", "--every", "7d"},
      {"simulate", "--registry", snapshot, "--from", "2026-11-01T00:00:00Z", "--to",
       "2027-02-01T00:00:00Z", "--every", "7d", "--policy", everywhere, "--in-use", in_use},
      {"plan-check", data + "/plan-check/plan.json", "--registry", snapshot, "--now",
       "2026-11-28T06:00:00Z", "--in-use", data + "/plan-check/in-use.txt"},
      {"plan-check", story + "/../ci/plan.json", "--images", story + "/images.json", "--now",
       "2026-11-28T00:00:00Z"},
  };
  for (const auto& args : runs) {
    INFO(args[0] << " " << args[1] << " " << args[2]);
    const auto r = markdown(args);
    CHECK((r.status == 0 || (args[0] == "lint" && r.status == 1)));
    check_well_formed(r);
  }
}

TEST_CASE("markdown cuts lists, never totals, and says what it cut", "[markdown]") {
  auto args = story_args("preview");
  args.insert(args.end(), {"--max-chars", "8000"});
  const auto r = markdown(args);
  REQUIRE(r.status == 0);
  check_well_formed(r);
  CHECK(r.out.size() <= 8000);
  // The totals and every rule are there; the affected images are cut, and the report says so.
  CHECK(r.out.find("| Before | 2,200 |") != std::string::npos);
  CHECK(r.out.find("| After | 94 |") != std::string::npos);
  CHECK(r.out.find("| 5 | Catch-all") != std::string::npos);
  CHECK(r.out.find("more not listed: the report is cut to 8,000 characters (--max-chars)") !=
        std::string::npos);

  SECTION("--max-rows cuts too, and says that") {
    args.insert(args.end(), {"--max-rows", "3"});
    const auto rows = markdown(args);
    CHECK(rows.out.find("(3 of 2,106)") != std::string::npos);
    CHECK(rows.out.find("2,103 more not listed: at most 3 rows (--max-rows)") != std::string::npos);
  }
  SECTION("a cap below 1024 characters is a usage error") {
    auto small = story_args("preview");
    small.insert(small.end(), {"--max-chars", "100"});
    const auto bad = markdown(small);
    CHECK(bad.status == 2);
    CHECK(bad.err.find("--max-chars takes a whole number of at least 1024") != std::string::npos);
  }
}

TEST_CASE("markdown puts in-use images removed before the totals", "[markdown]") {
  const auto r = markdown({"preview", "--registry", snapshot, "--now", "2026-11-28T06:00:00Z",
                           "--policy", data + "/registry-cli/everywhere-policy.json", "--in-use",
                           data + "/registry-cli/in-use.txt"});
  REQUIRE(r.status == 0);
  const auto in_use = r.out.find("IN USE:");
  const auto totals = r.out.find("repositories (");
  REQUIRE(in_use != std::string::npos);
  REQUIRE(totals != std::string::npos);
  CHECK(in_use < totals);
  CHECK(markdown_check::tables(r.out) >= 3);
}

TEST_CASE("markdown escapes what would break a table or inject markup", "[markdown]") {
  ecrlp::lifecycle_policy policy;
  ecrlp::rule r;
  r.priority = 1;
  r.description = "keep | the <b>newest</b> `five` *images*\nnow";
  r.selection.status = ecrlp::tag_status::any;
  r.selection.type = ecrlp::count_type::image_count_more_than;
  r.selection.count_number = 5;
  policy.rules.push_back(r);
  std::vector<ecrlp::image> images(7);
  for (std::size_t i = 0; i < images.size(); ++i) {
    images[i].digest = "sha256:" + std::string(64, static_cast<char>('a' + i));
    images[i].tags = {"v|" + std::to_string(i)};
    images[i].pushed_at = ecrlp::timestamp{std::chrono::hours(24 * static_cast<int>(i))};
  }
  const ecrlp::timestamp now{std::chrono::hours(24 * 400)};
  const auto result = ecrlp::evaluate(policy, images, {.now = now});
  const ecrlp::preview_document doc{policy, "{}", images, result, now, "repo|name", ""};
  const std::string md = ecrlp::render(doc, ecrlp::output_format::markdown);
  CHECK(markdown_check::problems(md) == std::vector<std::string>{});
  CHECK(md.find("<b>") == std::string::npos);
  CHECK(md.find("keep \\| the &lt;b&gt;newest&lt;/b&gt; \\`five\\` \\*images\\* now") !=
        std::string::npos);
  CHECK(md.find("`v\\|0`") != std::string::npos);
  CHECK(ecrlp::supports<ecrlp::preview_document>(ecrlp::output_format::markdown));
  CHECK_FALSE(ecrlp::supports<ecrlp::validation_document>(ecrlp::output_format::markdown));
}
