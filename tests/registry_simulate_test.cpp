// SPDX-License-Identifier: MIT
// `ecrlp simulate --registry` run in-process on the recorded registry
// (tests/data/registry/snapshot): every repository's summary must equal what the single-repository
// `ecrlp simulate` reports when given that repository's own files (pages, policy, manifests), and
// the registry total at every step must be the sum of those single-repository steps.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <ecrlp/render.hpp>
#include <ecrlp/simulate.hpp>

#include "catch.hpp"
#include "cli_runner.hpp"
#include "common.hpp"
#include "html_test_util.hpp"
#include "document/phrases.hpp"
#include "render/html/charts.hpp"
#include "render/html/page.hpp"

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

using cli_runner::run_cli;

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
  CHECK(html.status == 0);
  CHECK(html.out.rfind("<!DOCTYPE html>", 0) == 0);

  const auto both = run_cli({"simulate", "--registry", snapshot_dir, "--images", "x.json",
                             range[0], range[1], range[2], range[3]});
  CHECK(both.status == 2);

  const auto unknown = run_cli({"simulate", "--registry", snapshot_dir, range[0], range[1],
                                range[2], range[3], "--watch", "no-such-tag"});
  CHECK(unknown.status == 1);
  CHECK(unknown.err.find("--watch 'no-such-tag' names no image of any repository") !=
        std::string::npos);
}

// ---- --format html ([registry_simulate])
// ----------------------------------------------------------

namespace {

/// The text between `from` and the next `to` after it ("" when `from` is missing).
std::string_view between(std::string_view html, std::string_view from, std::string_view to) {
  const std::size_t a = html.find(from);
  if (a == std::string_view::npos) return {};
  return html.substr(a, html.find(to, a) - a);
}

}  // namespace

TEST_CASE("simulate --registry --format html: one page, total charts, sections, skipped listed",
          "[registry_simulate]") {
  using html_test::count;
  const auto r = run_cli({"simulate", "--registry", snapshot_dir, range[0], range[1], range[2],
                          range[3], "--format", "html"});
  REQUIRE(r.status == 0);
  const std::string& html = r.out;
  CHECK(html_test::xml_problem(html).empty());
  CHECK(html_test::self_contained(html));
  CHECK(html.find("Snapshot <code>" + snapshot_dir + "</code>.") != std::string::npos);
  CHECK(html.find("From <code>2026-07-01T00:00:00+00:00</code> to <code>2026-12-31T00:00:00+00:00"
                  "</code>, every 1d (184 steps, replay mode)") != std::string::npos);
  CHECK(html.find("id=\"images-over-time\"") != std::string::npos);
  CHECK(html.find("id=\"bytes-over-time\"") != std::string::npos);
  CHECK(html.find("id=\"total-steps\"") != std::string::npos);
  // The repository without a policy is listed as skipped, not given a section.
  CHECK(between(html, "<ul id=\"skipped\">", "</ul>")
            .find("<li><code>batch-jobs</code>: no policy, skipped</li>") !=
        std::string_view::npos);
  const json reg = simulate_registry({});
  std::size_t simulated = 0;
  const auto& repos = reg.at("repositories");
  for (std::size_t k = 0; k < repos.size(); ++k) {
    const std::string name = repos[k].at("repositoryName");
    INFO(name);
    const std::string section =
        "<h2 id=\"repo-" + std::to_string(k) + "\">Repository <code>" + name;
    if (!repos[k].at("simulated").get<bool>()) {
      CHECK(html.find(section) == std::string::npos);
      continue;
    }
    ++simulated;
    CHECK(html.find(section) != std::string::npos);
    const std::string prefix = "repo-" + std::to_string(k) + "-";
    for (const char* id : {"images-over-time", "bytes-over-time", "rules", "steps", "events"}) {
      CHECK(html.find("id=\"" + prefix + id + "\"") != std::string::npos);
    }
    // The summary row links to the section.
    CHECK(html.find("<a href=\"#repo-" + std::to_string(k) + "\">" + name + "</a>") !=
          std::string::npos);
    // One explained row per event, up to the default cap.
    const auto& s = repos[k].at("summary");
    const std::size_t events = s.at("expired").at("images").get<std::size_t>() +
                               s.at("transitioned").at("images").get<std::size_t>();
    const auto table = between(html, "id=\"" + prefix + "events\"", "</table>");
    CHECK(count(table, "<pre class=\"why\">") == std::min<std::size_t>(events, 1000));
  }
  CHECK(simulated >= 4);
  CHECK(count(between(html, "id=\"repositories\"", "</table>"), "<tr>") == simulated + 1);

  // The row cap, per repository, stated in each section.
  const auto capped = run_cli({"simulate", "--registry", snapshot_dir, range[0], range[1], range[2],
                               range[3], "--format", "html", "--max-rows", "1"});
  REQUIRE(capped.status == 0);
  CHECK(html_test::xml_problem(capped.out).empty());
  const std::size_t notes = count(capped.out, "-rows-note\">");
  CHECK(notes == simulated);
  CHECK(count(capped.out, "<pre class=\"why\">") <= simulated);
  CHECK(capped.out.find("(at most 1 rows, each with its explanation)") != std::string::npos);
  CHECK(capped.out.find("The first 1 of ") != std::string::npos);
}

TEST_CASE("simulate --registry --format html: in-use first, failed repositories skipped",
          "[registry_simulate]") {
  const auto r = run_cli({"simulate", "--registry", snapshot_dir, range[0], range[1], range[2],
                          range[3], "--format", "html", "--in-use", data + "in-use.txt"});
  REQUIRE(r.status == 0);
  CHECK(html_test::xml_problem(r.out).empty());
  const std::size_t in_use = r.out.find("IN USE: 1 in-use image is removed; the first at step ");
  REQUIRE(in_use != std::string::npos);
  CHECK(in_use < r.out.find("id=\"images-over-time\""));
  CHECK(between(r.out, "id=\"in-use\"", "</table>").find("<td>payments</td>") !=
        std::string_view::npos);

  const auto broken = run_cli({"simulate", "--registry", data + "broken-snapshot", range[0],
                               range[1], range[2], range[3], "--format", "html"});
  CHECK(broken.status == 1);
  CHECK(html_test::xml_problem(broken.out).empty());
  CHECK(broken.out.find("<li><code>broken</code>: failed (its files have errors), skipped</li>") !=
        std::string::npos);
}

TEST_CASE("registry simulation HTML: the total charts are registry_simulation_total's steps",
          "[registry_simulate]") {
  using ecrlp::timestamp;
  using std::chrono::days;
  const timestamp t0{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};
  const auto img = [&](std::string digest, std::vector<std::string> tags, int pushed_day,
                       std::uint64_t size) {
    ecrlp::image i;
    i.digest = std::move(digest);
    i.tags = std::move(tags);
    i.pushed_at = t0 + days{pushed_day};
    i.size_bytes = size;
    return i;
  };
  ecrlp::lifecycle_policy archive;  // tagged images to archive after 3 days, then gone after 2
  {
    ecrlp::rule a;
    a.priority = 1;
    a.selection.status = ecrlp::tag_status::any;
    a.selection.type = ecrlp::count_type::since_image_pushed;
    a.selection.count_number = 3;
    a.action.type = ecrlp::action_type::transition;
    ecrlp::rule b;
    b.priority = 2;
    b.selection.storage = ecrlp::storage_class::archive;
    b.selection.type = ecrlp::count_type::since_image_transitioned;
    b.selection.count_number = 2;
    archive.rules = {a, b};
  }
  ecrlp::lifecycle_policy keep_two;  // at most two images
  {
    ecrlp::rule a;
    a.priority = 7;
    a.selection.type = ecrlp::count_type::image_count_more_than;
    a.selection.count_number = 2;
    keep_two.rules = {a};
  }
  const std::vector<ecrlp::image> one = {img("sha256:a1", {"x"}, -5, 1000),
                                         img("sha256:a2", {}, 2, 3000),
                                         img("sha256:a3", {"y"}, 6, 5000)};
  const std::vector<ecrlp::image> two = {img("sha256:b1", {}, -9, 70),
                                         img("sha256:b2", {"p"}, -1, 80),
                                         img("sha256:b3", {}, 3, 90), img("sha256:b4", {}, 8, 100)};
  const ecrlp::simulation_options options{.from = t0, .to = t0 + days{12}};
  const auto r1 = ecrlp::simulate(archive, one, options);
  const auto r2 = ecrlp::simulate(keep_two, two, options);
  REQUIRE((r1.ok() && r2.ok()));
  const ecrlp::simulation_document d1{archive, one, options, r1, {}};
  const ecrlp::simulation_document d2{keep_two, two, options, r2, {}};
  const std::vector<ecrlp::registry_simulation_entry> entries = {{"alpha", "own", &d1},
                                                                 {"broken", "failed", nullptr},
                                                                 {"beta", "own", &d2},
                                                                 {"gamma", "none", nullptr}};
  const ecrlp::registry_simulation_document doc{options, entries, "", false, "/snap"};
  const std::string html = ecrlp::render(doc, ecrlp::output_format::html);
  INFO(html);
  CHECK(html_test::xml_problem(html).empty());
  CHECK(html_test::self_contained(html));

  // The charts drawn from the registry total, step by step.
  const auto total = ecrlp::registry_simulation_total(entries);
  REQUIRE(total.size() == 13);
  std::vector<std::string> labels;
  std::vector<ecrlp::writer::html::chart_series> images = {
      {"standard", "#3b6fd8", {}}, {"archive", "#a65fd0", {}}, {"activating", "#5fb49c", {}}};
  auto bytes = images;
  for (std::size_t k = 0; k < total.size(); ++k) {
    const auto& s = total[k];
    // the total is the sum of the two repositories
    CHECK(s.standard ==
          ecrlp::class_totals{r1.steps[k].standard.images + r2.steps[k].standard.images,
                              r1.steps[k].standard.bytes + r2.steps[k].standard.bytes});
    CHECK(s.archive.images == r1.steps[k].archive.images + r2.steps[k].archive.images);
    labels.push_back(ecrlp::format_timestamp(s.at).substr(0, 10));
    images[0].values.push_back(double(s.standard.images));
    images[1].values.push_back(double(s.archive.images));
    images[2].values.push_back(double(s.activating.images));
    bytes[0].values.push_back(double(s.standard.bytes));
    bytes[1].values.push_back(double(s.archive.bytes));
    bytes[2].values.push_back(double(s.activating.bytes));
  }
  const std::string images_chart = ecrlp::writer::html::stacked_area_chart(
      "images-over-time", "Images after each step", labels, images,
      [](double v) { return ecrlp::detail::group_digits(static_cast<std::uint64_t>(v)); });
  const std::string bytes_chart = ecrlp::writer::html::stacked_area_chart(
      "bytes-over-time", "Bytes after each step", labels, bytes,
      [](double v) { return ecrlp::detail::human_bytes(static_cast<std::uint64_t>(v)); });
  CHECK(html.find(images_chart) != std::string::npos);
  CHECK(html.find(bytes_chart) != std::string::npos);
  // Something changes in both classes, so the charts are not flat.
  CHECK(
      std::any_of(total.begin(), total.end(), [](const auto& s) { return s.archive.images != 0; }));

  // The total steps table lists the total's steps with changes.
  for (std::size_t k = 0; k < total.size(); ++k) {
    const auto& s = total[k];
    if (s.added == 0 && s.expired.images == 0 && s.transitioned.images == 0 && k != 0 &&
        k + 1 != total.size())
      continue;
    CHECK(between(html, "id=\"total-steps\"", "</table>")
              .find("<tr><td class=\"n\">" + std::to_string(k) + "</td><td>" +
                    ecrlp::format_timestamp(s.at) + "</td><td class=\"n\">" +
                    std::to_string(s.added) + "</td><td class=\"n\">" +
                    std::to_string(s.expired.images) + "</td><td class=\"n\">" +
                    std::to_string(s.transitioned.images) + "</td>") != std::string_view::npos);
  }
  // Skipped ones listed with the reason; simulated ones have a section each.
  CHECK(html.find("<li><code>broken</code>: failed (its files have errors), skipped</li>") !=
        std::string::npos);
  CHECK(html.find("<li><code>gamma</code>: no policy, skipped</li>") != std::string::npos);
  CHECK(html.find("<h2 id=\"repo-0\">Repository <code>alpha</code></h2>") != std::string::npos);
  CHECK(html.find("<h2 id=\"repo-2\">Repository <code>beta</code></h2>") != std::string::npos);
  CHECK(html.find("Snapshot <code>/snap</code>.") != std::string::npos);

  // A repository's section shows the same explained rows as its own simulation page.
  const std::string single = ecrlp::render(d1, ecrlp::output_format::html, {.max_rows = 1000});
  const auto rows_of = [](std::string_view page, std::string_view id) {
    const std::string_view t =
        between(page, std::string("id=\"") + std::string(id) + "\"", "</table>");
    return std::string(t.substr(t.find("<tbody>")));
  };
  CHECK(rows_of(html, "repo-0-events") == rows_of(single, "events"));
  CHECK(html_test::count(rows_of(html, "repo-0-events"), "<pre class=\"why\">") >= 4);
}
