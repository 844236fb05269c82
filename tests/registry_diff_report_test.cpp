// SPDX-License-Identifier: MIT
// The registry diff page (include/ecrlp/registry_diff_report.hpp, `ecrlp diff --registry --format
// html`) on the recorded registry (tests/data/registry/snapshot): well-formed and self-contained,
// the totals per kind equal to the sum of per-repository diffs computed here with ecrlp::diff(),
// failed repositories listed as skipped, the page-wide row cap, the explanations equal to what
// write_explain_text() writes, and the sortable tables clicked in headless Chromium when installed.

#include <ecrlp/diff.hpp>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/explain.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/registry.hpp>

#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "html_test_util.hpp"
#include "document/phrases.hpp"
#include "render/html/charts.hpp"
#include "render/html/page.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using html_test::count;
using html_test::explain_lines;
using html_test::self_contained;
using html_test::xml_problem;

const fs::path data = fs::path(ECRLP_TEST_DATA);
const ecrlp::timestamp now = *ecrlp::parse_timestamp("2026-11-28T06:00:00Z");
const std::string everywhere = (data / "registry-cli" / "everywhere-policy.json").string();

ecrlp::registry_snapshot load_snapshot(const fs::path& dir) {
  auto r = ecrlp::load_registry(dir, {.threads = 1});
  REQUIRE(r.value.has_value());
  return std::move(*r.value);
}

ecrlp::lifecycle_policy load_policy(const std::string& path) {
  auto p = ecrlp::load_policy(path);
  REQUIRE(p.ok());
  return std::move(p.value->policy);
}

/// The <tr ...> elements of the table with id `id` (empty when there is no such table).
std::vector<std::string> table_rows(const std::string& html, std::string_view id) {
  const std::size_t start = html.find("<table class=\"sortable\" id=\"" + std::string(id) + "\"");
  if (start == std::string::npos) return {};
  return html_test::tbody_rows(html, start, "<tr");
}

/// The cells (<td ...>...</td>, tags included) of a row.
std::vector<std::string> cells(const std::string& row) {
  std::vector<std::string> out;
  for (std::size_t p = row.find("<td"); p != std::string::npos; p = row.find("<td", p + 1)) {
    const std::size_t end = row.find("</td>", p);
    out.push_back(row.substr(p, end - p));
    p = end;
  }
  return out;
}

/// Per change kind, the sum over the snapshot's usable repositories of ecrlp::diff() of
/// `old_policy` (nullptr: the repository's own, or none) and `new_policy`.
std::array<ecrlp::change_total, ecrlp::change_kind_count> summed_diffs(
    const ecrlp::registry_snapshot& snap, const ecrlp::lifecycle_policy* old_policy,
    const ecrlp::lifecycle_policy& new_policy) {
  std::array<ecrlp::change_total, ecrlp::change_kind_count> sum{};
  const ecrlp::lifecycle_policy none;
  for (const auto& repo : snap.repositories) {
    if (repo.failed()) continue;
    const ecrlp::lifecycle_policy& before =
        old_policy != nullptr ? *old_policy : repo.policy ? repo.policy->policy : none;
    const auto d = ecrlp::diff(before, new_policy, repo.images.images,
                               {.now = now, .indexes = repo.images.indexes});
    for (std::size_t k = 0; k < ecrlp::change_kind_count; ++k) {
      sum[k].images += d.totals[k].images;
      sum[k].bytes += d.totals[k].bytes;
    }
  }
  return sum;
}

}  // namespace

TEST_CASE("registry diff HTML: well-formed, self-contained, totals per kind and repository",
          "[registry_diff_html]") {
  const auto snap = load_snapshot(data / "registry" / "snapshot");
  const auto after = load_policy(everywhere);
  const auto doc = ecrlp::diff_registry(snap, {.now = now, .new_policy = &after, .new_name = everywhere});
  REQUIRE(doc.repositories.size() == snap.repositories.size());
  const std::string html = ecrlp::render(doc, ecrlp::output_format::html);
  INFO(html);
  CHECK(xml_problem(html).empty());
  CHECK(self_contained(html));
  CHECK(html.find("<h1>Registry diff of " + snap.directory.string() + "</h1>") != std::string::npos);
  CHECK(html.find("<code>2026-11-28T06:00:00+00:00</code>: <code>(own policies)</code> -&gt; <code>" +
                  everywhere + "</code>") != std::string::npos);
  CHECK(html.find("<svg class=\"chart\" id=\"changes\"") != std::string::npos);
  CHECK(html.find("<svg class=\"chart\" id=\"repository-changes\"") != std::string::npos);
  CHECK(html.find("id=\"skipped\"") == std::string::npos);  // every repository was evaluated

  // The registry's totals: the sum of the repositories' diffs, computed here.
  const auto sum = summed_diffs(snap, nullptr, after);
  std::size_t all_changes = 0;
  for (std::size_t k = 0; k < ecrlp::change_kind_count; ++k) {
    CHECK(doc.totals[k].images == sum[k].images);
    CHECK(doc.totals[k].bytes == sum[k].bytes);
    all_changes += sum[k].images;
  }
  REQUIRE(all_changes > 3);
  CHECK(doc.change_count() == all_changes);
  const auto kinds = table_rows(html, "change-kinds");
  REQUIRE(kinds.size() == ecrlp::change_kind_count);
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    INFO(kinds[k]);
    const auto c = cells(kinds[k]);
    REQUIRE(c.size() == 5);
    CHECK(c[1].find(std::string(ecrlp::to_string(ecrlp::all_change_kinds[k]))) != std::string::npos);
    CHECK(c[3] == "<td class=\"n\">" + std::to_string(sum[k].images));
    CHECK(c[4].starts_with("<td class=\"n\" data-v=\"" + std::to_string(sum[k].bytes) + "\">"));
  }

  // One row per repository, its changes per kind; a section per changed repository with its
  // before/after bars and one table row per change.
  const auto repos = table_rows(html, "repositories");
  REQUIRE(repos.size() == snap.repositories.size());
  std::size_t changed = 0;
  std::size_t listed = 0;
  const ecrlp::lifecycle_policy none;
  for (std::size_t r = 0; r < repos.size(); ++r) {
    const auto& repo = snap.repositories[r];
    INFO(repos[r]);
    const auto c = cells(repos[r]);
    REQUIRE(c.size() == 4 + ecrlp::change_kind_count + 1);
    CHECK(c[0].find(ecrlp::writer::html::html_escape(repo.name)) != std::string::npos);
    const auto d = ecrlp::diff(repo.policy ? repo.policy->policy : none, after, repo.images.images,
                               {.now = now, .indexes = repo.images.indexes});
    CHECK(c[3] == "<td class=\"n\">" + std::to_string(d.changes.size()));
    std::uint64_t bytes = 0;
    for (std::size_t k = 0; k < ecrlp::change_kind_count; ++k) {
      CHECK(c[4 + k].starts_with("<td class=\"n\" data-v=\"" + std::to_string(d.totals[k].images) + "\">"));
      bytes += d.totals[k].bytes;
    }
    CHECK(c.back().starts_with("<td class=\"n\" data-v=\"" + std::to_string(bytes) + "\">"));
    const std::string section = "<h3 id=\"repo-" + std::to_string(r) + "\">";
    const auto rows = table_rows(html, "images-" + std::to_string(r));
    if (d.empty()) {
      CHECK(html.find(section) == std::string::npos);
      CHECK(rows.empty());
      continue;
    }
    ++changed;
    CHECK(c[0].find("<a href=\"#repo-" + std::to_string(r) + "\">") != std::string::npos);
    CHECK(html.find(section + ecrlp::writer::html::html_escape(repo.name) + "</h3>") != std::string::npos);
    CHECK(html.find("<svg class=\"chart\" id=\"repo-" + std::to_string(r) + "-bytes\"") != std::string::npos);
    REQUIRE(rows.size() == d.changes.size());
    for (std::size_t k = 0; k < rows.size(); ++k) {
      CHECK(rows[k].find(repo.images.images[d.changes[k].image_index].digest) != std::string::npos);
    }
    listed += rows.size();
  }
  CHECK(changed == doc.repositories_changed);
  CHECK(changed >= 2);
  CHECK(listed == all_changes);
  CHECK(count(html, "<details>") == all_changes);
  CHECK(html.find("All " + std::to_string(all_changes) + " changed images are listed") != std::string::npos);
}

TEST_CASE("registry diff HTML: each changed image unfolds to both explanations",
          "[registry_diff_html]") {
  const auto snap = load_snapshot(data / "registry" / "snapshot");
  const auto after = load_policy(everywhere);
  for (const bool independent : {false, true}) {
    INFO("independent images: " << independent);
    const auto doc = ecrlp::diff_registry(
        snap, {.now = now, .new_policy = &after, .new_name = everywhere, .independent_images = independent});
    const std::string html = ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = 0});
    CHECK(xml_problem(html).empty());
    std::size_t checked = 0;
    for (std::size_t r = 0; r < snap.repositories.size(); ++r) {
      const auto& repo = snap.repositories[r];
      const auto& rd = doc.repositories[r];
      REQUIRE(rd.evaluated);
      const auto rows = table_rows(html, "images-" + std::to_string(r));
      REQUIRE(rows.size() == rd.diff.changes.size());
      // Explained as the diff evaluated: with the repository's index manifests.
      const ecrlp::evaluation_options options{
          .now = now, .indexes = repo.images.indexes, .independent_images = independent};
      const ecrlp::explainer old_ex(*rd.before_policy, repo.images.images, options);
      const ecrlp::explainer new_ex(after, repo.images.images, options);
      const std::string old_head =
          "\nold policy (" +
          ecrlp::writer::html::html_escape(repo.policy ? (repo.directory / "lifecycle-policy.json").string()
                                                 : std::string("(no policy)")) +
          "): ";
      const std::string new_head = "\nnew policy (" + ecrlp::writer::html::html_escape(everywhere) + "): ";
      for (std::size_t k = 0; k < rows.size(); ++k) {
        const auto& c = rd.diff.changes[k];
        INFO(rows[k]);
        CHECK(rows[k].find(ecrlp::writer::html::html_escape(ecrlp::describe(c.kind))) != std::string::npos);
        const std::size_t old_at = rows[k].find(old_head);
        const std::size_t new_at = rows[k].find(new_head);
        REQUIRE(old_at != std::string::npos);
        REQUIRE(new_at != std::string::npos);
        REQUIRE(new_at > old_at);
        const auto old_lines = explain_lines(old_ex, c.image_index);
        const auto new_lines = explain_lines(new_ex, c.image_index);
        REQUIRE(old_lines.size() > 1);
        REQUIRE(new_lines.size() > 1);
        const std::string& digest = repo.images.images[c.image_index].digest;
        CHECK(rows[k].find(digest + "\n" + old_lines[0] + old_head) != std::string::npos);
        CHECK(rows[k].find(old_lines[1], old_at) == old_at + old_head.size());
        CHECK(rows[k].find(new_lines[1], new_at) == new_at + new_head.size());
        for (std::size_t l = 2; l < old_lines.size(); ++l) {
          const std::size_t p = rows[k].find(old_lines[l], old_at);
          CHECK((p != std::string::npos && p < new_at));
        }
        for (std::size_t l = 2; l < new_lines.size(); ++l) {
          CHECK(rows[k].find(new_lines[l], new_at) != std::string::npos);
        }
        ++checked;
      }
    }
    CHECK(checked == doc.change_count());
    CHECK(checked > 3);
  }
}

TEST_CASE("registry diff HTML: a failed repository is listed as skipped", "[registry_diff_html]") {
  const auto snap = load_snapshot(data / "registry-cli" / "broken-snapshot");
  REQUIRE(snap.failed_count() == 1);
  const auto old_policy =
      load_policy((data / "registry" / "snapshot" / "repositories" / "payments" / "lifecycle-policy.json").string());
  const auto after = load_policy(everywhere);
  const auto doc = ecrlp::diff_registry(snap, {.now = now,
                                               .old_policy = &old_policy,
                                               .old_name = "old <policy>.json",
                                               .new_policy = &after,
                                               .new_name = everywhere});
  const std::string html = ecrlp::render(doc, ecrlp::output_format::html);
  INFO(html);
  CHECK(xml_problem(html).empty());
  CHECK(self_contained(html));
  CHECK(html.find("old <policy>") == std::string::npos);
  CHECK(html.find("<code>old &lt;policy&gt;.json</code>") != std::string::npos);
  CHECK(html.find("(1 evaluated, 1 skipped)") != std::string::npos);
  CHECK(html.find("<p id=\"skipped\"><strong>Skipped</strong>") != std::string::npos);
  CHECK(html.find("<code>broken</code>.</p>") != std::string::npos);
  const auto repos = table_rows(html, "repositories");
  REQUIRE(repos.size() == 2);
  std::size_t skipped_rows = 0;
  for (std::size_t r = 0; r < repos.size(); ++r) {
    const bool failed = snap.repositories[r].failed();
    INFO(repos[r]);
    CHECK(doc.repositories[r].evaluated == !failed);
    if (failed) {
      ++skipped_rows;
      CHECK(repos[r].starts_with("<tr class=\"skipped\"><td>broken</td><td>skipped"));
      CHECK(html.find("id=\"repo-" + std::to_string(r) + "\"") == std::string::npos);
      CHECK(doc.repositories[r].diff.empty());
    }
  }
  CHECK(skipped_rows == 1);
  const auto sum = summed_diffs(snap, &old_policy, after);
  for (std::size_t k = 0; k < ecrlp::change_kind_count; ++k) {
    CHECK(doc.totals[k].images == sum[k].images);
    CHECK(doc.totals[k].bytes == sum[k].bytes);
  }
}

TEST_CASE("registry diff HTML: --max-rows caps the whole page and says so", "[registry_diff_html]") {
  const auto snap = load_snapshot(data / "registry" / "snapshot");
  const auto after = load_policy(everywhere);
  const auto doc = ecrlp::diff_registry(snap, {.now = now, .new_policy = &after, .new_name = everywhere});
  const std::size_t total = doc.change_count();
  REQUIRE(total > 3);
  const auto listed_rows = [&](const std::string& html) {
    std::size_t n = 0;
    for (std::size_t r = 0; r < doc.repositories.size(); ++r) {
      n += table_rows(html, "images-" + std::to_string(r)).size();
    }
    return n;
  };
  for (const std::size_t cap : {std::size_t{1}, std::size_t{3}, total - 1}) {
    INFO("max rows " << cap);
    const std::string html = ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = cap});
    CHECK(xml_problem(html).empty());
    CHECK(listed_rows(html) == cap);
    CHECK(count(html, "<details>") == cap);
    CHECK(html.find("The first " + std::to_string(cap) + " of " + std::to_string(total) +
                    " changed images are listed (at most " + std::to_string(cap) + " rows on the page") !=
          std::string::npos);
    // The first repositories in name order are listed in full, then one in part, then none.
    std::size_t budget = cap;
    for (std::size_t r = 0; r < doc.repositories.size(); ++r) {
      const std::size_t n = doc.repositories[r].diff.changes.size();
      if (n == 0) continue;
      const std::size_t expected = std::min(budget, n);
      budget -= expected;
      CHECK(table_rows(html, "images-" + std::to_string(r)).size() == expected);
      const bool capped = html.find("id=\"repo-" + std::to_string(r) + "-cap\"") != std::string::npos;
      CHECK(capped == (expected < n));
    }
  }
  for (const std::size_t cap : {std::size_t{0}, total, total + 5}) {
    const std::string html = ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = cap});
    CHECK(listed_rows(html) == total);
    CHECK(html.find("All " + std::to_string(total) + " changed images are listed") != std::string::npos);
    CHECK(html.find("-cap\"") == std::string::npos);
  }
}

TEST_CASE("registry diff HTML: a policy diffed with itself changes nothing", "[registry_diff_html]") {
  const auto snap = load_snapshot(data / "registry" / "snapshot");
  const auto policy = load_policy(everywhere);
  const auto doc = ecrlp::diff_registry(snap, {.now = now,
                                               .old_policy = &policy,
                                               .old_name = everywhere,
                                               .new_policy = &policy,
                                               .new_name = everywhere});
  CHECK(doc.repositories_changed == 0);
  const std::string html = ecrlp::render(doc, ecrlp::output_format::html);
  CHECK(xml_problem(html).empty());
  CHECK(html.find("id=\"no-change\"") != std::string::npos);
  CHECK(html.find("id=\"repository-changes\"") == std::string::npos);
  CHECK(count(html, "<h3") == 0);
  CHECK(table_rows(html, "repositories").size() == snap.repositories.size());
  CHECK(html.find("All 0 changed images are listed") != std::string::npos);
}

namespace {

std::string find_chromium() {
  for (const char* c : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    if (fs::exists(c)) return c;
  }
  return {};
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("registry diff HTML: sortable tables, clicked in headless Chromium",
          "[registry_diff_html][chromium]") {
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
    if (html_test::browser_required()) FAIL("chromium not installed, and CI=true");
    WARN("SKIPPED: chromium not installed (apt-get install chromium to run this test)");
    return;
  }
  const auto snap = load_snapshot(data / "registry-cli" / "broken-snapshot");
  const auto after = load_policy(everywhere);
  const auto doc = ecrlp::diff_registry(snap, {.now = now, .new_policy = &after, .new_name = everywhere});
  const fs::path dir = fs::temp_directory_path() / ("ecrlp-registry-diff-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "report.html", std::ios::binary) << ecrlp::render(doc, ecrlp::output_format::html);
  const std::string command = "timeout 120 '" + chromium +
                              "' --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir='" +
                              (dir / "profile").string() + "' --dump-dom 'file://" +
                              (dir / "report.html").string() + "#ecrlp-selftest' > '" +
                              (dir / "dom.html").string() + "' 2> /dev/null";
  const int status = std::system(command.c_str());
  const std::string dom = read_all(dir / "dom.html");
  fs::remove_all(dir);
  REQUIRE(status == 0);
  const std::size_t start = dom.find("<pre id=\"ecrlp-selftest\">");
  REQUIRE(start != std::string::npos);
  const std::size_t text = dom.find('>', start) + 1;
  std::string json = dom.substr(text, dom.find("</pre>", text) - text);
  for (std::size_t p = json.find("&amp;"); p != std::string::npos; p = json.find("&amp;", p + 1)) {
    json.replace(p, 5, "&");
  }
  for (std::size_t p = json.find("&gt;"); p != std::string::npos; p = json.find("&gt;", p + 1)) {
    json.replace(p, 4, ">");
  }
  for (std::size_t p = json.find("&lt;"); p != std::string::npos; p = json.find("&lt;", p + 1)) {
    json.replace(p, 4, "<");
  }
  const auto report = nlohmann::json::parse(json);
  std::vector<std::string> tables;
  bool changed_checked = false;
  for (const auto& entry : report) {
    const std::string table = entry.at("table");
    INFO(table << " column " << entry.at("column"));
    if (std::find(tables.begin(), tables.end(), table) == tables.end()) tables.push_back(table);
    CHECK(entry.at("first") == "asc");
    CHECK(entry.at("second") == "desc");
    auto before = entry.at("before").get<std::vector<std::string>>();
    auto asc = entry.at("asc").get<std::vector<std::string>>();
    auto desc = entry.at("desc").get<std::vector<std::string>>();
    std::reverse(desc.begin(), desc.end());
    CHECK(std::is_permutation(before.begin(), before.end(), asc.begin(), asc.end()));
    if (table == "repositories" && entry.at("column") == 3) {  // Changed; skipped: -1
      changed_checked = true;
      std::vector<double> values;
      for (const auto& k : asc) values.push_back(std::stod(k));
      CHECK(values.size() == 2);
      CHECK(std::is_sorted(values.begin(), values.end()));
      CHECK(values.front() == -1.0);
      CHECK(asc == desc);  // reversed above
    }
  }
  std::vector<std::string> expected = {"change-kinds", "repositories"};
  for (std::size_t r = 0; r < doc.repositories.size(); ++r) {
    if (!doc.repositories[r].diff.empty()) expected.push_back("images-" + std::to_string(r));
  }
  CHECK(tables == expected);
  CHECK(changed_checked);
}
