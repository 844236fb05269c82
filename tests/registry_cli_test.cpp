// SPDX-License-Identifier: MIT
// `ecrlp preview --registry` run in-process on the recorded registry (tests/data/registry/snapshot),
// checked against an independent recomputation: the images' sizes, storage classes and findings
// are read from the snapshot's JSON pages with nlohmann (not ecrlp's loader), the fates come from
// the reference evaluator (tests/reference_evaluator.hpp), and bytes, costs and findings are summed
// here, without ecrlp's summarize() or impact.hpp.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <ecrlp/policy_parser.hpp>
#include <ecrlp/registry.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/time.hpp>

#include "catch.hpp"
#include "cli_runner.hpp"
#include "common.hpp"
#include "reference_evaluator.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

using cli_runner::run_cli;

const std::string snapshot_dir = std::string(ECRLP_TEST_DATA) + "/registry/snapshot";
const std::string data = std::string(ECRLP_TEST_DATA) + "/registry-cli/";
const std::string now_text = "2026-11-28T06:00:00Z";
constexpr std::string_view in_use_digest =
    "sha256:c95f8becb89a56fc20939ff5f6a721012b67ea19f03af2a602bc479fe0293472";

json read_json(const fs::path& p) {
  std::ifstream in(p);
  REQUIRE(in);
  return json::parse(in);
}

// Severity names in the order of the JSON output's findings objects.
constexpr const char* severities[] = {"CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL",
                                      "UNDEFINED"};
constexpr const char* severity_keys[] = {"critical", "high", "medium", "low", "informational",
                                         "undefined"};

struct raw_image {
  std::uint64_t size = 0;
  bool archived = false;
  std::uint64_t findings[6] = {};
};

/// Every repository's images straight from the describe-images pages: repositoryName -> digest ->.
std::map<std::string, std::map<std::string, raw_image>> read_raw(const fs::path& dir) {
  std::map<std::string, std::map<std::string, raw_image>> out;
  for (const auto& entry : fs::directory_iterator(dir / "repositories")) {
    const std::string name = read_json(entry.path() / "repository.json").at("repositoryName");
    auto& images = out[name];
    for (int page = 1;; ++page) {
      char file[32];
      std::snprintf(file, sizeof file, "page-%04d.json", page);
      const fs::path p = entry.path() / "images" / file;
      if (!fs::exists(p)) break;
      const json page_json = read_json(p);
      for (const auto& d : page_json.at("imageDetails")) {
        raw_image img;
        img.size = d.value("imageSizeInBytes", std::uint64_t{0});
        img.archived = d.value("imageStatus", std::string("ACTIVE")) == "ARCHIVED";
        if (d.contains("imageScanFindingsSummary")) {
          const auto& counts = d["imageScanFindingsSummary"].value("findingSeverityCounts", json::object());
          for (int s = 0; s < 6; ++s) img.findings[s] = counts.value(severities[s], std::uint64_t{0});
        }
        images[d.at("imageDigest").get<std::string>()] = img;
      }
    }
  }
  return out;
}

/// Sums kept independently of ecrlp.
struct sums {
  std::uint64_t before = 0, freed = 0, moved = 0, std_before = 0, arch_before = 0, std_after = 0,
                arch_after = 0;
  std::uint64_t findings_before[6] = {}, findings_after[6] = {};
  std::size_t expired = 0, transitioned = 0;
};

std::int64_t cents(long double dollars) { return std::llround(dollars * 100.0L); }
long double gb(std::uint64_t bytes) { return static_cast<long double>(bytes) / 1073741824.0L; }

void check_impact(const json& j, const sums& s, double price_std, double price_arch) {
  CHECK(j.at("bytesBefore").get<std::uint64_t>() == s.before);
  CHECK(j.at("bytesFreed").get<std::uint64_t>() == s.freed);
  CHECK(j.at("bytesTransitioned").get<std::uint64_t>() == s.moved);
  CHECK(j.at("bytesAfter").get<std::uint64_t>() == s.before - s.freed);
  CHECK(j.at("standardBytesAfter").get<std::uint64_t>() == s.std_after);
  CHECK(j.at("archiveBytesAfter").get<std::uint64_t>() == s.arch_after);
  const long double before = gb(s.std_before) * price_std + gb(s.arch_before) * price_arch;
  const long double after = gb(s.std_after) * price_std + gb(s.arch_after) * price_arch;
  CHECK(cents(j.at("monthlyCostBefore").get<double>()) == cents(before));
  CHECK(cents(j.at("monthlyCostAfter").get<double>()) == cents(after));
  CHECK(cents(j.at("archiveMinimumCharge").get<double>()) == cents(gb(s.moved) * price_arch * 3));
  for (int k = 0; k < 6; ++k) {
    INFO(severity_keys[k]);
    CHECK(j.at("findingsBefore").at(severity_keys[k]).get<std::uint64_t>() == s.findings_before[k]);
    CHECK(j.at("findingsAfter").at(severity_keys[k]).get<std::uint64_t>() == s.findings_after[k]);
  }
}

/// Runs the registry preview as JSON and compares every repository and the total with the
/// independent sums. `policy_file` empty: each repository's own policy.
void check_registry_run(const std::string& policy_file, std::vector<std::string> extra,
                        double price_std, double price_arch) {
  std::vector<std::string> args = {"preview", "--registry", snapshot_dir, "--now", now_text,
                                   "--format", "json"};
  if (!policy_file.empty()) {
    args.push_back("--policy");
    args.push_back(policy_file);
  }
  args.insert(args.end(), extra.begin(), extra.end());
  const auto r = run_cli(args);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const json out = json::parse(r.out);

  const auto raw = read_raw(snapshot_dir);
  const auto loaded = ecrlp::load_registry(snapshot_dir);
  REQUIRE(loaded.ok());
  std::optional<ecrlp::parsed_policy> override_policy;
  if (!policy_file.empty()) {
    auto p = ecrlp::load_policy(policy_file);
    REQUIRE(p.ok());
    override_policy = std::move(*p.value);
  }
  const auto now = *ecrlp::parse_timestamp(now_text);

  sums total;
  std::size_t repos_seen = 0;
  for (const auto& repo : loaded.value->repositories) {
    INFO("repository " << repo.name);
    const ecrlp::lifecycle_policy empty_policy;
    const ecrlp::lifecycle_policy& policy =
        override_policy ? override_policy->policy
                        : (repo.policy ? repo.policy->policy : empty_policy);
    const auto ref = ecrlp_ref::evaluate(policy, repo.images.images, now, repo.images.indexes);
    const auto& raw_images = raw.at(repo.name);
    REQUIRE(raw_images.size() == repo.images.images.size());
    sums s;
    for (const auto& [digest, img] : raw_images) {
      s.before += img.size;
      (img.archived ? s.arch_before : s.std_before) += img.size;
      for (int k = 0; k < 6; ++k) s.findings_before[k] += img.findings[k];
    }
    for (std::size_t i = 0; i < repo.images.images.size(); ++i) {
      const raw_image& img = raw_images.at(repo.images.images[i].digest);
      switch (ref.decisions[i].action) {
        case ecrlp::fate::expire:
          s.freed += img.size;
          ++s.expired;
          continue;
        case ecrlp::fate::transition:
          s.moved += img.size;
          s.arch_after += img.size;
          ++s.transitioned;
          break;
        case ecrlp::fate::keep:
          (img.archived ? s.arch_after : s.std_after) += img.size;
          break;
      }
      for (int k = 0; k < 6; ++k) s.findings_after[k] += img.findings[k];
    }
    const json* found = nullptr;
    for (const auto& jr : out.at("repositories")) {
      if (jr.at("repositoryName") == repo.name) found = &jr;
    }
    REQUIRE(found != nullptr);
    ++repos_seen;
    CHECK(found->at("summary").at("expiringImageTotalCount").get<std::size_t>() == s.expired);
    CHECK(found->at("previewResults").size() == s.expired + s.transitioned);
    check_impact(found->at("ecrlpImpact"), s, price_std, price_arch);
    total.before += s.before;
    total.freed += s.freed;
    total.moved += s.moved;
    total.std_before += s.std_before;
    total.arch_before += s.arch_before;
    total.std_after += s.std_after;
    total.arch_after += s.arch_after;
    total.expired += s.expired;
    total.transitioned += s.transitioned;
    for (int k = 0; k < 6; ++k) {
      total.findings_before[k] += s.findings_before[k];
      total.findings_after[k] += s.findings_after[k];
    }
  }
  CHECK(repos_seen == raw.size());
  CHECK(out.at("totals").at("expired").at("images").get<std::size_t>() == total.expired);
  CHECK(out.at("totals").at("transitioned").at("images").get<std::size_t>() == total.transitioned);
  check_impact(out.at("ecrlpImpact"), total, price_std, price_arch);
  // The story of the issue, in this small registry: findings go down.
  std::uint64_t before = 0, after = 0;
  for (int k = 0; k < 6; ++k) {
    before += total.findings_before[k];
    after += total.findings_after[k];
  }
  CHECK(after < before);
}

}  // namespace

TEST_CASE("registry preview: totals match an independent recomputation from the snapshot",
          "[registry_cli]") {
  SECTION("each repository's own policy, default prices") {
    check_registry_run("", {}, 0.10, 0.10);
  }
  SECTION("one policy everywhere (what-if), with transitions and other prices") {
    check_registry_run(data + "everywhere-policy.json",
                       {"--price-standard", "0.12", "--price-archive", "0.0125"}, 0.12, 0.0125);
  }
}

TEST_CASE("registry preview: an in-use image the policy removes is listed first: exit 4",
          "[registry_cli]") {
  struct variant {
    std::string policy;
    std::string action;
    int rule;
  };
  const auto v = GENERATE(variant{"", "EXPIRE", 3},
                          variant{data + "everywhere-policy.json", "TRANSITION", 2});
  INFO("policy: " << (v.policy.empty() ? "own" : v.policy));
  std::vector<std::string> base = {"preview", "--registry", snapshot_dir, "--now", now_text,
                                   "--in-use", data + "in-use.txt"};
  if (!v.policy.empty()) {
    base.push_back("--policy");
    base.push_back(v.policy);
  }
  const auto with = [&](std::vector<std::string> more) {
    auto a = base;
    a.insert(a.end(), more.begin(), more.end());
    return run_cli(a);
  };

  SECTION("json: ecrlpInUseViolations is the first member") {
    const auto r = with({"--format", "json"});
    REQUIRE(r.status == 0);
    CHECK(r.out.rfind("{\n    \"ecrlpInUseViolations\": [", 0) == 0);
    const json j = json::parse(r.out);
    REQUIRE(j.at("ecrlpInUseViolations").size() == 1);
    const auto& viol = j["ecrlpInUseViolations"][0];
    CHECK(viol.at("repositoryName") == "payments");
    CHECK(viol.at("imageDigest") == in_use_digest);
    CHECK(viol.at("action") == v.action);
    CHECK(viol.at("appliedRulePriority") == v.rule);
    CHECK(viol.at("inUseReferences").at(0).at("reference") ==
          "123456789012.dkr.ecr.us-east-1.amazonaws.com/payments:v1.4.2");
    CHECK(j.at("totals").at("inUseViolations") == 1);
    // The unmatched reference is a warning on stderr, not in the report.
    CHECK(r.err.find("in-use reference 'ghcr.io/acme/sidecar:1.0' names no image") !=
          std::string::npos);
  }
  SECTION("table: the violation section comes before the repositories") {
    const auto r = with({});
    REQUIRE(r.status == 0);
    const auto viol = r.out.find("IN-USE VIOLATIONS: 1 running image would be removed");
    REQUIRE(viol != std::string::npos);
    CHECK(viol < r.out.find("Repositories"));
    CHECK(r.out.find("sha256:c95f8becb89a", viol) != std::string::npos);
  }
  SECTION("csv: the violation is the first row") {
    const auto r = with({"--format", "csv"});
    REQUIRE(r.status == 0);
    const auto first_row = r.out.substr(r.out.find("\r\n") + 2);
    CHECK(first_row.rfind("payments," + std::string(in_use_digest) + ",", 0) == 0);
    CHECK(first_row.substr(0, first_row.find("\r\n")).find("," + v.action + "," +
                                                            std::to_string(v.rule) + ",true,") !=
          std::string::npos);
  }
  SECTION("--fail-on-in-use: the full report, then exit 4") {
    const auto r = with({"--fail-on-in-use", "--format", "json"});
    CHECK(r.status == 4);
    CHECK_NOTHROW(json::parse(r.out));
  }
}

TEST_CASE("registry preview: no violation, --fail-on-in-use exits 0", "[registry_cli]") {
  const auto r = run_cli({"preview", "--registry", snapshot_dir, "--now", now_text, "--in-use",
                          data + "in-use-safe.txt", "--fail-on-in-use"});
  CHECK(r.status == 0);
  CHECK(r.out.find("In use: no in-use image is expired or transitioned") != std::string::npos);
}

TEST_CASE("single-repository preview with --in-use and --manifests", "[registry_cli]") {
  const std::string repo = snapshot_dir + "/repositories/payments/images/";
  const std::vector<std::string> base = {
      "preview",  "--policy", snapshot_dir + "/repositories/payments/lifecycle-policy.json",
      "--images", repo + "page-0001.json", "--images", repo + "page-0002.json",
      "--images", repo + "page-0003.json", "--now", now_text, "--in-use", data + "in-use.txt"};
  SECTION("json: violations before previewResults, exit 4 with --fail-on-in-use") {
    auto args = base;
    args.insert(args.end(), {"--format", "json", "--impact", "--fail-on-in-use"});
    const auto r = run_cli(args);
    CHECK(r.status == 4);
    const auto viol = r.out.find("\"ecrlpInUseViolations\"");
    REQUIRE(viol != std::string::npos);
    CHECK(viol < r.out.find("\"previewResults\""));
    const json j = json::parse(r.out);
    CHECK(j.at("ecrlpInUseViolations").at(0).at("imageDigest") == in_use_digest);
    CHECK(j.at("ecrlpReport").contains("impact"));
  }
  SECTION("csv: inUse column, violation first") {
    auto args = base;
    args.insert(args.end(), {"--format", "csv"});
    const auto r = run_cli(args);
    REQUIRE(r.status == 0);
    CHECK(r.out.substr(0, r.out.find("\r\n")).find(",inUse") != std::string::npos);
    const auto first_row = r.out.substr(r.out.find("\r\n") + 2);
    CHECK(first_row.rfind(std::string(in_use_digest) + ",", 0) == 0);
  }
  SECTION("table: the in-use block comes first") {
    const auto r = run_cli(base);
    REQUIRE(r.status == 0);
    CHECK(r.out.find("IN USE") < r.out.find("Rules (highest priority first)"));
  }
  SECTION("web with its index manifests: guarded children are not expired") {
    const std::string web = snapshot_dir + "/repositories/web/";
    const std::vector<std::string> web_args = {
        "preview", "--policy", web + "lifecycle-policy.json", "--images",
        web + "images/page-0001.json", "--images", web + "images/page-0002.json", "--now",
        now_text, "--format", "json"};
    auto with_manifests = web_args;
    with_manifests.insert(with_manifests.end(),
                          {"--manifests", web + "manifests/batch-0001.json"});
    auto independent = with_manifests;
    independent.push_back("--independent-images");
    const auto a = json::parse(run_cli(with_manifests).out);
    const auto b = json::parse(run_cli(independent).out);
    CHECK(a.at("previewResults").size() < b.at("previewResults").size());
  }
}

TEST_CASE("registry options: usage errors", "[registry_cli]") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"preview", "--registry", snapshot_dir, "--images", "x.json"},
           {"preview", "--registry", snapshot_dir, "--manifests", "m.json"},
           {"preview", "--registry", snapshot_dir, "--fail-on-in-use"},
           {"preview", "--registry", snapshot_dir, "--price-standard", "cheap"},
           {"preview", "--registry", snapshot_dir, "--price-archive", "-1"},
           {"preview", "--registry", snapshot_dir, "--independent-images=yes"}}) {
    const auto r = run_cli(args);
    INFO(args.back());
    CHECK(r.status == 2);
    CHECK(r.out.empty());
  }
}

/// A golden file of tests/data/registry-diff-html/ with `@DATA@` replaced by the test data
/// directory (the outputs name the policy files).
std::string diff_golden(const std::string& name) {
  std::ifstream in(std::string(ECRLP_TEST_DATA) + "/registry-diff-html/" + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  std::string text = s.str();
  const std::string data_dir = ECRLP_TEST_DATA;
  for (std::size_t p = text.find("@DATA@"); p != std::string::npos; p = text.find("@DATA@", p)) {
    text.replace(p, 6, data_dir);
    p += data_dir.size();
  }
  return text;
}

// The goldens were written by `ecrlp diff --registry` before the registry diff moved into the
// library (lib/registry_diff_report.cpp): the table, JSON and CSV must not change by a byte.
TEST_CASE("registry diff: table, JSON and CSV unchanged", "[registry_cli][registry_diff_html]") {
  const std::string everywhere = data + "everywhere-policy.json";
  const std::string payments = snapshot_dir + "/repositories/payments/lifecycle-policy.json";
  for (const std::string format : {"table", "json", "csv"}) {
    INFO(format);
    auto r = run_cli({"diff", "--registry", snapshot_dir, "--policy", everywhere, "--now", now_text,
                      "--format", format});
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(r.out == diff_golden("own." + format));
    r = run_cli({"diff", "--registry", data + "broken-snapshot", "--policy", payments, "--policy",
                 everywhere, "--now", now_text, "--format", format});
    CHECK(r.status == 1);
    CHECK(r.err.find("repository 'broken' has errors") != std::string::npos);
    CHECK(r.out == diff_golden("broken." + format));
  }
  const auto r = run_cli({"diff", "--registry", snapshot_dir, "--policy", everywhere, "--now",
                          now_text, "--independent-images", "--format", "json"});
  CHECK(r.status == 0);
  CHECK(r.out == diff_golden("independent.json"));
  CHECK(r.out != diff_golden("own.json"));
}

TEST_CASE("registry diff --format html is the library's page, capped by --max-rows",
          "[registry_cli][registry_diff_html]") {
  const std::string everywhere = data + "everywhere-policy.json";
  auto loaded = ecrlp::load_registry(snapshot_dir);
  REQUIRE(loaded.value.has_value());
  auto policy = ecrlp::load_policy(everywhere);
  REQUIRE(policy.ok());
  const auto doc = ecrlp::diff_registry(*loaded.value, {.now = *ecrlp::parse_timestamp(now_text),
                                                        .new_policy = &policy.value->policy,
                                                        .new_name = everywhere});
  auto r = run_cli({"diff", "--registry", snapshot_dir, "--policy", everywhere, "--now", now_text,
                    "--format", "html"});
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out == ecrlp::render(doc, ecrlp::output_format::html));
  r = run_cli({"diff", "--registry", snapshot_dir, "--policy", everywhere, "--now", now_text,
               "--format", "html", "--max-rows", "2"});
  CHECK(r.status == 0);
  CHECK(r.out == ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = 2}));
  CHECK(r.out != ecrlp::render(doc, ecrlp::output_format::html));
  r = run_cli({"diff", "--help"});
  CHECK(r.status == 0);
  CHECK(r.out.find("With\n") != std::string::npos);
  CHECK(r.out.find(" --registry: the kinds of change in total and per repository") !=
        std::string::npos);
}

TEST_CASE("simulate --in-use: the first removal step agrees with previews around it",
          "[registry_cli]") {
  const std::string repo = snapshot_dir + "/repositories/payments/";
  const std::vector<std::string> inputs = {
      "--policy", repo + "lifecycle-policy.json", "--images", repo + "images/page-0001.json",
      "--images", repo + "images/page-0002.json", "--images", repo + "images/page-0003.json"};
  auto sim = std::vector<std::string>{"simulate"};
  sim.insert(sim.end(), inputs.begin(), inputs.end());
  sim.insert(sim.end(), {"--from", "2026-07-01T00:00:00Z", "--to", "2026-12-31T00:00:00Z",
                         "--in-use", data + "in-use.txt", "--format", "json",
                         "--fail-on-in-use"});
  const auto r = run_cli(sim);
  REQUIRE(r.status == 4);
  CHECK(r.out.rfind("{\n  \"inUse\": {", 0) == 0);
  const json j = json::parse(r.out);
  const auto& removal = j.at("inUse").at("removals").at(0);
  CHECK(removal.at("imageDigest") == in_use_digest);
  CHECK(removal.at("action") == "EXPIRE");
  const std::size_t step = j.at("inUse").at("firstRemovalStep").get<std::size_t>();
  REQUIRE(step > 0);
  const std::string at = removal.at("time");
  const std::string before = j.at("steps").at(step - 1).at("time");
  // One-shot previews at the step and at the step before it.
  const auto preview_at = [&](const std::string& now) {
    auto args = std::vector<std::string>{"preview"};
    args.insert(args.end(), inputs.begin(), inputs.end());
    args.insert(args.end(), {"--now", now, "--in-use", data + "in-use.txt", "--fail-on-in-use",
                             "--format", "json"});
    return run_cli(args).status;
  };
  CHECK(preview_at(at) == 4);
  CHECK(preview_at(before) == 0);
}

TEST_CASE("explain --registry --in-use names the references: JSON has inUse", "[registry_cli]") {
  const auto r = run_cli({"explain", "--registry", snapshot_dir, "--image", "v1.4.2", "--now",
                          now_text, "--in-use", data + "in-use.txt", "--format", "json"});
  REQUIRE(r.status == 0);
  const json j = json::parse(r.out);
  REQUIRE(j.at("repositories").size() == 1);
  const auto& rep = j["repositories"][0];
  CHECK(rep.at("repositoryName") == "payments");
  const auto& img = rep.at("explanation").at("images").at(0);
  CHECK(img.at("imageDigest") == in_use_digest);
  CHECK(img.at("fate") == "expire");
  CHECK(img.at("inUse").at(0).at("reference") ==
        "123456789012.dkr.ecr.us-east-1.amazonaws.com/payments:v1.4.2");
}

TEST_CASE("cli common: flags, --max-rows, prices and image options", "[registry_cli]") {
  using namespace ecrlp::cli;
  const command_def& preview = *find_command("preview");
  const auto parse = [&](std::vector<std::string_view> args, command_line& cl) {
    return parse_command_line(preview, args, cl);
  };
  SECTION("a flag takes no value and is recorded") {
    command_line cl;
    REQUIRE_FALSE(parse({"--independent-images", "--images", "a.json", "--policy", "p"}, cl));
    CHECK(cl.has("independent-images"));
    CHECK(cl.get("images") == "a.json");
    command_line bad;
    CHECK(parse({"--independent-images=yes"}, bad) ==
          std::optional<std::string>("option '--independent-images' takes no value"));
  }
  SECTION("--images and --registry exclude each other; --manifests needs --images") {
    command_line both;
    CHECK(parse({"--images", "a", "--registry", "d"}, both).value_or("").find(
              "cannot be used together") != std::string::npos);
    command_line manifests;
    CHECK(parse({"--registry", "d", "--manifests", "m"}, manifests).value_or("").find(
              "--manifests goes with --images") != std::string::npos);
    command_line alone;
    CHECK(parse({"--policy", "p", "--manifests", "m"}, alone).value_or("").find(
              "--images FILE is required") != std::string::npos);
    command_line none;
    CHECK(parse({}, none) ==
          std::optional<std::string>("--policy FILE is required (or --registry DIR)"));
  }
  SECTION("a choice takes one of its values") {
    command_line cl;
    CHECK(parse({"--format", "xml"}, cl) ==
          std::optional<std::string>(
              "unknown --format 'xml' (expected table, json, csv, html, markdown)"));
  }
  SECTION("--max-rows and prices") {
    std::ostringstream err;
    command_line cl;
    REQUIRE_FALSE(parse({"--registry", "d", "--max-rows", "7", "--price-archive", "0.0125"}, cl));
    bool bad = false;
    CHECK(max_rows_option(cl, "x", bad, err) == std::optional<std::size_t>(7));
    CHECK_FALSE(bad);
    const auto p = prices_option(cl, "x", err);
    REQUIRE(p);
    CHECK(p->archive_per_gb_month == 0.0125);
    CHECK(p->standard_per_gb_month == ecrlp::storage_prices{}.standard_per_gb_month);
    CHECK(err.str().empty());
    for (const auto* wrong : {"-0.5", "1e3x", "", "nan"}) {
      command_line c;
      REQUIRE_FALSE(parse({"--registry", "d", "--price-standard", wrong, "--max-rows", "x"}, c));
      std::ostringstream e;
      CHECK_FALSE(prices_option(c, "x", e));
      bool rows_bad = false;
      CHECK_FALSE(max_rows_option(c, "x", rows_bad, e));
      CHECK(rows_bad);
      CHECK(e.str().find("--price-standard takes a price") != std::string::npos);
    }
  }
}
