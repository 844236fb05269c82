// SPDX-License-Identifier: MIT
// The CLI run in-process: same code path as the binary, without spawning it.
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "cli_runner.hpp"

namespace {

using cli_runner::run_cli;

const std::string data = std::string(ECRLP_TEST_DATA) + "/cli/";

std::vector<std::string> tc8(std::string format) {
  return {"preview",          "--policy",  data + "tc8-policy.json",
          "--images",         data + "tc8-images.json",
          "--images",         data + "tc8-images-page2.json",
          "--now",            "2025-01-31T00:00:00Z",
          "--format",         std::move(format)};
}

}  // namespace

TEST_CASE("cli: usage errors exit 2 and print nothing on stdout", "[cli]") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {},
           {"nope"},
           {"preview"},
           {"preview", "--policy"},
           {"preview", "--policy", "a", "--policy", "b", "--images", "c"},
           {"preview", "--bogus", "1"},
           {"validate"},
           {"validate", "--format", "yaml", "x"},
           {"preview", "--policy", "a", "--images", "b", "--max-rows", "-1"}}) {
    const auto r = run_cli(args);
    INFO("args: " << args.size());
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK_FALSE(r.err.empty());
  }
}

TEST_CASE("cli: preview of TC-8 expires A by rule 1, B by rule 2, D by rule 3", "[cli]") {
  const auto r = run_cli(tc8("csv"));
  REQUIRE(r.status == 0);
  // Rows are oldest first: A, B, C, D, E.
  std::istringstream lines(r.out);
  std::string line;
  std::vector<std::string> rows;
  while (std::getline(lines, line)) rows.push_back(line);
  REQUIRE(rows.size() == 6);
  CHECK(rows[1].starts_with("sha256:aaaa"));
  CHECK(rows[1].find(",EXPIRE,1,1") != std::string::npos);
  CHECK(rows[2].find(",EXPIRE,2,2") != std::string::npos);
  CHECK(rows[3].find(",KEEP,,1") != std::string::npos);
  CHECK(rows[4].find(",EXPIRE,3,3") != std::string::npos);
  CHECK(rows[5].find(",KEEP,,2") != std::string::npos);
}

TEST_CASE("cli: output is the same whatever the order of pages", "[cli]") {
  auto swapped = tc8("json");
  std::swap(swapped[4], swapped[6]);
  const auto a = run_cli(tc8("json"));
  const auto b = run_cli(swapped);
  REQUIRE(a.status == 0);
  REQUIRE(b.status == 0);
  CHECK(a.out == b.out);
}
