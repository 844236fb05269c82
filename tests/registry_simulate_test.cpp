// SPDX-License-Identifier: MIT
// `ecrlp simulate --registry` run in-process on the recorded registry
// (tests/data/registry/snapshot): every repository's summary must equal what the single-repository
// `ecrlp simulate` reports when given that repository's own files (pages, policy, manifests), and
// the registry total at every step must be the sum of those single-repository steps.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "app.hpp"
#include "catch.hpp"
#include "common.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct run_output {
  int status;
  std::string out;
  std::string err;
};

run_output run_cli(std::vector<std::string> args) {
  std::vector<std::string_view> views(args.begin(), args.end());
  std::ostringstream out;
  std::ostringstream err;
  const int status = ecrlp::cli::run(views, out, err);
  return {status, out.str(), err.str()};
}

const std::string snapshot_dir = std::string(ECRLP_TEST_DATA) + "/registry/snapshot";
const std::string data = std::string(ECRLP_TEST_DATA) + "/registry-cli/";
const std::vector<std::string> range = {"--from", "2026-07-01T00:00:00Z", "--to",
                                        "2026-12-31T00:00:00Z", "--every", "1d"};

/// The files of one repository directory, in order: page-0001.json, ... (or batch-NNNN.json).
std::vector<std::string> numbered(const fs::path& dir, const char* pattern) {
  std::vector<std::string> files;
  for (int k = 1;; ++k) {
    char name[32];
    std::snprintf(name, sizeof name, pattern, k);
    const fs::path p = dir / name;
    if (!fs::exists(p)) break;
    files.push_back(p.string());
  }
  return files;
}

/// Single-repository `simulate --format json` on the repository's own files.
json simulate_single(const fs::path& repo_dir, const std::string& policy,
                     const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"simulate", "--policy", policy, "--format", "json"};
  for (const auto& p : numbered(repo_dir / "images", "page-%04d.json")) {
    args.push_back("--images");
    args.push_back(p);
  }
  for (const auto& m : numbered(repo_dir / "manifests", "batch-%04d.json")) {
    args.push_back("--manifests");
    args.push_back(m);
  }
  args.insert(args.end(), range.begin(), range.end());
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_cli(args);
  INFO(r.err);
  REQUIRE((r.status == 0 || r.status == 4));
  return json::parse(r.out);
}

json simulate_registry(const std::vector<std::string>& extra, int expected_status = 0) {
  std::vector<std::string> args = {"simulate", "--registry", snapshot_dir, "--format", "json"};
  args.insert(args.end(), range.begin(), range.end());
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_cli(args);
  INFO(r.err);
  REQUIRE(r.status == expected_status);
  return json::parse(r.out);
}

std::string repo_name(const fs::path& repo_dir) {
  std::string name = repo_dir.filename().string();
  for (std::size_t p = name.find("%2F"); p != std::string::npos; p = name.find("%2F")) {
    name.replace(p, 3, "/");
  }
  return name;
}

/// Compares a registry repository entry with the single-repository run's JSON, and adds the
/// single run's steps into `sum` (step index -> field -> value).
void check_against_single(const json& entry, const json& single,
                          std::vector<std::map<std::string, std::uint64_t>>& sum) {
  const auto& steps = single.at("steps");
  REQUIRE_FALSE(steps.empty());
  const auto& s = entry.at("summary");
  CHECK(s.at("steps") == steps.size());
  for (const char* cls : {"standard", "archive", "activating"}) {
    CHECK(s.at("firstStep").at(cls) == steps.front().at(cls));
    CHECK(s.at("lastStep").at(cls) == steps.back().at(cls));
  }
  CHECK(s.at("expired") == single.at("summary").at("expired"));
  CHECK(s.at("transitioned") == single.at("summary").at("transitioned"));
  CHECK(s.at("findingsBefore") == steps.front().at("findings"));
  CHECK(s.at("findingsAfter") == steps.back().at("findings"));
  if (sum.empty()) sum.resize(steps.size());
  REQUIRE(sum.size() == steps.size());
  for (std::size_t k = 0; k < steps.size(); ++k) {
    const auto& st = steps[k];
    auto& t = sum[k];
    t["added"] += st.at("added").get<std::uint64_t>();
    for (const char* cls : {"expired", "transitioned", "standard", "archive", "activating"}) {
      t[std::string(cls) + ".images"] += st.at(cls).at("images").get<std::uint64_t>();
      t[std::string(cls) + ".bytes"] += st.at(cls).at("bytes").get<std::uint64_t>();
    }
    t["findings"] += st.at("findings").at("total").get<std::uint64_t>();
    t["critical"] += st.at("findings").at("critical").get<std::uint64_t>();
  }
}

void check_total(const json& reg, const std::vector<std::map<std::string, std::uint64_t>>& sum) {
  const auto& total = reg.at("total").at("steps");
  REQUIRE(total.size() == sum.size());
  for (std::size_t k = 0; k < sum.size(); ++k) {
    const auto& st = total[k];
    auto t = sum[k];
    INFO("step " << k);
    CHECK(st.at("step") == k);
    CHECK(st.at("added") == t["added"]);
    for (const char* cls : {"expired", "transitioned", "standard", "archive", "activating"}) {
      CHECK(st.at(cls).at("images") == t[std::string(cls) + ".images"]);
      CHECK(st.at(cls).at("bytes") == t[std::string(cls) + ".bytes"]);
    }
    CHECK(st.at("findings").at("total") == t["findings"]);
    CHECK(st.at("findings").at("critical") == t["critical"]);
  }
}

std::vector<fs::path> repository_dirs() {
  std::vector<fs::path> dirs;
  for (const auto& e : fs::directory_iterator(fs::path(snapshot_dir) / "repositories")) {
    dirs.push_back(e.path());
  }
  return dirs;
}

const json* entry_named(const json& reg, const std::string& name) {
  for (const auto& e : reg.at("repositories")) {
    if (e.at("repositoryName") == name) return &e;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("simulate --registry: each repository as its own simulate, total = sum",
          "[registry_simulate]") {
  const json reg = simulate_registry({});
  CHECK(reg.at("overridePolicy").is_null());
  REQUIRE(reg.at("repositories").size() == repository_dirs().size());
  std::vector<std::map<std::string, std::uint64_t>> sum;
  std::size_t simulated = 0;
  bool skipped_seen = false;
  for (const auto& dir : repository_dirs()) {
    const std::string name = repo_name(dir);
    INFO(name);
    const json* entry = entry_named(reg, name);
    REQUIRE(entry != nullptr);
    const fs::path policy = dir / "lifecycle-policy.json";
    if (!fs::exists(policy)) {
      // A repository without a policy is skipped and says so.
      CHECK(entry->at("policy") == "none");
      CHECK(entry->at("simulated") == false);
      CHECK_FALSE(entry->contains("summary"));
      skipped_seen = true;
      continue;
    }
    CHECK(entry->at("policy") == "own");
    REQUIRE(entry->at("simulated") == true);
    check_against_single(*entry, simulate_single(dir, policy.string()), sum);
    ++simulated;
  }
  CHECK(skipped_seen);
  CHECK(simulated >= 4);
  check_total(reg, sum);
  // Something happens over the range, so the comparison is not between zeros.
  std::uint64_t expired = 0;
  for (const auto& st : reg.at("total").at("steps")) {
    expired += st.at("expired").at("images").get<std::uint64_t>();
  }
  CHECK(expired > 0);
}

TEST_CASE("simulate --registry --policy: one policy for every repository", "[registry_simulate]") {
  const std::string policy = data + "everywhere-policy.json";
  const json reg = simulate_registry({"--policy", policy, "--independent-images"});
  CHECK(reg.at("overridePolicy") == policy);
  std::vector<std::map<std::string, std::uint64_t>> sum;
  for (const auto& dir : repository_dirs()) {
    const std::string name = repo_name(dir);
    INFO(name);
    const json* entry = entry_named(reg, name);
    REQUIRE(entry != nullptr);
    // Even the repository without a policy of its own is simulated.
    CHECK(entry->at("policy") == "override");
    REQUIRE(entry->at("simulated") == true);
    check_against_single(*entry, simulate_single(dir, policy, {"--independent-images"}), sum);
  }
  check_total(reg, sum);
}

TEST_CASE("simulate --registry --in-use: removals first, exit 4", "[registry_simulate]") {
  const json reg = simulate_registry(
      {"--in-use", data + "in-use.txt", "--fail-on-in-use", "--watch", "v1.4.2"}, 4);
  const auto& removals = reg.at("inUse").at("removals");
  REQUIRE(removals.size() == 1);
  CHECK(removals[0].at("repositoryName") == "payments");
  CHECK(removals[0].at("imageTags") == json::array({"v1.4.2"}));
  // The same step as the single-repository simulation of payments with the same list.
  const fs::path payments = fs::path(snapshot_dir) / "repositories" / "payments";
  const json single = simulate_single(payments, (payments / "lifecycle-policy.json").string(),
                                      {"--in-use", data + "in-use.txt"});
  CHECK(removals[0].at("step") == single.at("inUse").at("firstRemovalStep"));
  CHECK(reg.at("inUse").at("firstRemovalStep") == removals[0].at("step"));
  const json* entry = entry_named(reg, "payments");
  REQUIRE(entry != nullptr);
  CHECK(entry->at("summary").at("firstInUseRemovalStep") == removals[0].at("step"));
  REQUIRE(entry->contains("watch"));
  CHECK(entry->at("watch")[0].at("images")[0].at("expiredStep") == removals[0].at("step"));
  // The list that the policy does not hit: exit 0 even with --fail-on-in-use.
  const json safe =
      simulate_registry({"--in-use", data + "in-use-safe.txt", "--fail-on-in-use"}, 0);
  CHECK(safe.at("inUse").at("removals").empty());

  // The table starts with the removal.
  const auto table = run_cli({"simulate", "--registry", snapshot_dir, range[0], range[1], range[2],
                              range[3], "--in-use", data + "in-use.txt", "--fail-on-in-use"});
  CHECK(table.status == 4);
  CHECK(table.out.rfind("IN USE: 1 in-use image is removed; the first at step ", 0) == 0);
  CHECK(table.out.find("batch-jobs                    no policy  skipped") != std::string::npos);
}

TEST_CASE("simulate --registry: csv rows, html and usage errors", "[registry_simulate]") {
  const auto csv = run_cli({"simulate", "--registry", snapshot_dir, range[0], range[1], range[2],
                            range[3], "--format", "csv"});
  REQUIRE(csv.status == 0);
  CHECK(csv.out.rfind("scope,repository,policy,step,time,", 0) == 0);
  CHECK(csv.out.find("\r\nskipped,batch-jobs,none,") != std::string::npos);
  CHECK(csv.out.find("\r\nstart,payments,own,0,") != std::string::npos);
  CHECK(csv.out.find("\r\nend,payments,own,183,") != std::string::npos);
  CHECK(csv.out.find("\r\ntotal,,,183,2026-12-31T00:00:00+00:00,") != std::string::npos);

  const auto html = run_cli({"simulate", "--registry", snapshot_dir, range[0], range[1], range[2],
                             range[3], "--format", "html"});
  CHECK(html.status == 2);
  CHECK(html.out.empty());
  CHECK(html.err.find("--format html is not available with --registry yet") != std::string::npos);

  const auto both = run_cli({"simulate", "--registry", snapshot_dir, "--images", "x.json",
                             range[0], range[1], range[2], range[3]});
  CHECK(both.status == 2);

  const auto unknown = run_cli({"simulate", "--registry", snapshot_dir, range[0], range[1],
                                range[2], range[3], "--watch", "no-such-tag"});
  CHECK(unknown.status == 1);
  CHECK(unknown.err.find("--watch 'no-such-tag' names no image of any repository") !=
        std::string::npos);
}
