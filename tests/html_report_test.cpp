// SPDX-License-Identifier: MIT
// The preview and diff HTML pages (include/ecrlp/html_report.hpp): the diff page's contents,
// explanations on demand (the same text as `ecrlp explain`), the row cap, escaping, and the
// sortable tables clicked in a real browser (headless Chromium, when installed); the in-use and
// impact panels of a single-repository and of a registry preview, opened in that browser.

#include <ecrlp/diff.hpp>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/explain.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/impact.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/policy_parser.hpp>

#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "html_test_util.hpp"
#include "document/phrases.hpp"
#include "render/html/charts.hpp"
#include "render/html/page.hpp"
#include "test_files.hpp"

#include <ecrlp/registry.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include <unistd.h>

#ifdef ECRLP_HAVE_CLI
#  include "cli_runner.hpp"
#endif

namespace {

using html_test::count;
using html_test::explain_lines;
using html_test::self_contained;
using html_test::xml_problem;

const std::filesystem::path data = std::filesystem::path(ECRLP_TEST_DATA) / "explain";
const ecrlp::timestamp now = *ecrlp::parse_timestamp("2025-01-31T00:00:00Z");

ecrlp::lifecycle_policy load(const std::string& name) {
  auto p = ecrlp::load_policy(data / name);
  REQUIRE(p.ok());
  return std::move(p.value->policy);
}

std::vector<ecrlp::image> load_images() {
  const std::filesystem::path files[] = {data / "images.json"};
  auto inv = ecrlp::load_inventory(files);
  REQUIRE(inv.ok());
  return std::move(inv.value->images);
}

/// The <tr> elements of the table with id `id`.
std::vector<std::string> table_rows(const std::string& html, std::string_view id) {
  const std::size_t start = html.find("id=\"" + std::string(id) + "\"");
  REQUIRE(start != std::string::npos);
  return html_test::tbody_rows(html, start, "<tr>");
}

}  // namespace

TEST_CASE("preview HTML: explanations are made with the evaluation's index manifests", "[html]") {
  // An index guards its child: with the manifests the child is not ranked, so the index is the
  // 2nd newest image and the oldest one the 3rd; without them the oldest would be 4th. The page
  // must explain the fate the evaluation gave, with the same options.
  std::vector<ecrlp::image> images(4);
  const char* digests[] = {"sha256:old", "sha256:child", "sha256:index", "sha256:new"};
  for (std::size_t i = 0; i < images.size(); ++i) {
    images[i].digest = digests[i];
    images[i].pushed_at = now - std::chrono::hours{24 * (40 - static_cast<int>(i))};
    images[i].size_bytes = 1000;
  }
  images[2].manifest = ecrlp::manifest_kind::index;
  const std::vector<ecrlp::index_manifest> indexes{{"sha256:index", {"sha256:child"}}};
  ecrlp::lifecycle_policy policy;
  auto& r = policy.rules.emplace_back();
  r.priority = 1;
  r.selection.status = ecrlp::tag_status::any;
  r.selection.type = ecrlp::count_type::image_count_more_than;
  r.selection.count_number = 2;
  for (const bool independent : {false, true}) {
    const ecrlp::evaluation_options options{
        .now = now, .indexes = indexes, .independent_images = independent};
    const auto result = ecrlp::evaluate(policy, images, options);
    ecrlp::preview_document doc{policy, "", images, result, now, "", ""};
    doc.indexes = indexes;
    doc.independent_images = independent;
    const std::string html = ecrlp::render(doc, ecrlp::output_format::html);
    const ecrlp::explainer ex(policy, images, options);
    REQUIRE(ex.explain(0).action == result.decisions[0].action);
    const auto rows = table_rows(html, "images");
    REQUIRE(rows.size() == (independent ? 2U : 1U));  // the oldest; and the child when on its own
    std::size_t at = 0;
    for (const auto& line : explain_lines(ex, 0)) {
      const std::size_t found = rows[0].find(line, at);
      CHECK(found != std::string::npos);
      if (found != std::string::npos) at = found + line.size();
    }
    // Made without the options, the oldest image's rank would read differently.
    if (!independent) {
      const ecrlp::explainer plain(policy, images, {.now = now, .independent_images = true});
      CHECK(explain_lines(plain, 0) != explain_lines(ex, 0));
    }
  }
}

TEST_CASE("preview HTML: each affected image expands to its explanation", "[html]") {
  const auto policy = load("policy.json");
  const auto images = load_images();
  const auto result = ecrlp::evaluate(policy, images, {.now = now});
  const ecrlp::preview_document doc{policy, "", images, result, now, "", ""};
  const ecrlp::explainer ex(policy, images, now);
  std::vector<std::size_t> affected;
  for (const std::size_t i : result.order) {
    if (result.decisions[i].action != ecrlp::fate::keep) affected.push_back(i);
  }
  REQUIRE(affected.size() >= 3);

  SECTION("all rows") {
    const std::string html = ecrlp::render(doc, ecrlp::output_format::html);
    CHECK(xml_problem(html).empty());
    CHECK(self_contained(html));
    const auto rows = table_rows(html, "images");
    REQUIRE(rows.size() == affected.size());
    CHECK(html.find("All " + std::to_string(affected.size()) +
                    " affected images are listed (at most 1,000 rows") != std::string::npos);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      INFO(rows[k]);
      const std::size_t i = affected[k];
      CHECK(count(rows[k], "<details>") == 1);
      CHECK(rows[k].find("<pre class=\"why\">" + images[i].digest + "\n") != std::string::npos);
      // every line ecrlp explain gives, in order
      std::size_t at = 0;
      for (const auto& line : explain_lines(ex, i)) {
        const std::size_t found = rows[k].find(line, at);
        CHECK(found != std::string::npos);
        if (found != std::string::npos) at = found + line.size();
      }
      CHECK(rows[k].find(result.decisions[i].action == ecrlp::fate::expire ? "expired by rule"
                                                                           : "transitioned to archive by rule") !=
            std::string::npos);
    }
  }
  SECTION("capped: the oldest rows only, and the page says so") {
    const std::string html = ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = 2});
    CHECK(xml_problem(html).empty());
    const auto rows = table_rows(html, "images");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].find(images[affected[0]].digest) != std::string::npos);
    CHECK(rows[1].find(images[affected[1]].digest) != std::string::npos);
    CHECK(count(html, "<details>") == 2);
    CHECK(html.find("The 2 oldest of " + std::to_string(affected.size()) +
                    " affected images are listed (at most 2 rows") != std::string::npos);
  }
  SECTION("no cap") {
    const std::string html = ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = 0});
    CHECK(table_rows(html, "images").size() == affected.size());
    CHECK(html.find("no limit was set") != std::string::npos);
  }
}

TEST_CASE("diff HTML: summaries, charts, kinds of change, changed images", "[html]") {
  const auto before = load("policy.json");
  const auto after = load("policy-new.json");
  const auto images = load_images();
  const auto d = ecrlp::diff(before, after, images, {.now = now});
  REQUIRE(d.changes.size() == 5);
  const ecrlp::diff_document doc{before, after, "old <&> 'a'.json", "new.json", images, d, now};
  const std::string html = ecrlp::render(doc, ecrlp::output_format::html);
  INFO(html);
  CHECK(xml_problem(html).empty());
  CHECK(self_contained(html));
  CHECK(html.find("<code>old &lt;&amp;&gt; &#39;a&#39;.json</code>") != std::string::npos);
  CHECK(html.find("old <&>") == std::string::npos);
  for (const char* id : {"before-after-images", "before-after-bytes", "before-after-findings",
                         "changes", "rules-old", "rules-new"}) {
    CHECK(html.find("<svg class=\"chart\" id=\"" + std::string(id) + "\"") != std::string::npos);
  }
  CHECK(count(html, "<table class=\"sortable\"") == 3);  // kinds, rules, images
  // before/after: now, after the old policy, after the new one
  const auto old_t = ecrlp::summarize(images, d.before);
  const auto new_t = ecrlp::summarize(images, d.after);
  CHECK(html.find(">" + std::to_string(images.size()) + " images</text>") != std::string::npos);
  CHECK(html.find(">" + std::to_string(old_t.after.images) + " images</text>") != std::string::npos);
  CHECK(html.find(">" + std::to_string(new_t.after.images) + " images</text>") != std::string::npos);

  // one row per kind, with the diff's counts and bytes
  const auto kinds = table_rows(html, "change-kinds");
  REQUIRE(kinds.size() == ecrlp::change_kind_count);
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    const auto& t = d.totals[k];
    INFO(kinds[k]);
    CHECK(kinds[k].find(std::string(ecrlp::to_string(ecrlp::all_change_kinds[k]))) != std::string::npos);
    CHECK(kinds[k].find("<td class=\"n\">" + std::to_string(t.images) + "</td>") != std::string::npos);
    CHECK(kinds[k].find("data-v=\"" + std::to_string(t.bytes) + "\"") != std::string::npos);
  }
  // every priority of either policy, once
  CHECK(table_rows(html, "rule-table").size() == 6);
  CHECK(html.find("<td>added</td>") != std::string::npos);

  // changed images, oldest first, each with both explanations
  const ecrlp::explainer old_ex(before, images, now);
  const ecrlp::explainer new_ex(after, images, now);
  const auto rows = table_rows(html, "images");
  REQUIRE(rows.size() == d.changes.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& c = d.changes[k];
    INFO(rows[k]);
    CHECK(rows[k].find(images[c.image_index].digest) != std::string::npos);
    CHECK(rows[k].find(ecrlp::writer::html::html_escape(ecrlp::describe(c.kind))) != std::string::npos);
    const std::string old_head = "\nold policy (old &lt;&amp;&gt; &#39;a&#39;.json): ";
    const std::string new_head = "\nnew policy (new.json): ";
    const std::size_t old_at = rows[k].find(old_head);
    const std::size_t new_at = rows[k].find(new_head);
    REQUIRE(old_at != std::string::npos);
    REQUIRE(new_at > old_at);
    const auto old_lines = explain_lines(old_ex, c.image_index);
    const auto new_lines = explain_lines(new_ex, c.image_index);
    REQUIRE(old_lines.size() > 2);
    REQUIRE(new_lines.size() > 2);
    // the image's facts once, then each side's fate sentence and rule lines
    CHECK(rows[k].find(images[c.image_index].digest + "\n" + old_lines[0] + old_head) !=
          std::string::npos);
    CHECK(count(rows[k], old_lines[0]) == 1);
    CHECK(rows[k].find(old_lines[1], old_at) == old_at + old_head.size());
    CHECK(rows[k].find(new_lines[1], new_at) == new_at + new_head.size());
    for (std::size_t l = 2; l < old_lines.size(); ++l) {
      const std::size_t p = rows[k].find(old_lines[l], old_at);
      CHECK((p != std::string::npos && p < new_at));
    }
    for (std::size_t l = 2; l < new_lines.size(); ++l) {
      CHECK(rows[k].find(new_lines[l], new_at) != std::string::npos);
    }
  }
  // capped
  const std::string capped = ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = 1});
  CHECK(xml_problem(capped).empty());
  CHECK(table_rows(capped, "images").size() == 1);
  CHECK(capped.find("The 1 oldest of 5 changed images are listed (at most 1 rows") != std::string::npos);
}

TEST_CASE("diff HTML of a policy with itself lists no image", "[html]") {
  const auto policy = load("policy.json");
  const auto images = load_images();
  const auto d = ecrlp::diff(policy, policy, images, {.now = now});
  const ecrlp::diff_document doc{policy, policy, "p.json", "p.json", images, d, now};
  const std::string html = ecrlp::render(doc, ecrlp::output_format::html);
  CHECK(xml_problem(html).empty());
  CHECK(table_rows(html, "images").empty());
  CHECK(html.find("<strong>0</strong> change fate") != std::string::npos);
  CHECK(html.find("All 0 changed images are listed") != std::string::npos);
}

#ifdef ECRLP_HAVE_CLI
TEST_CASE("ecrlp diff --format html", "[html]") {
  const std::string old_path = (data / "policy.json").string();
  const std::string new_path = (data / "policy-new.json").string();
  const std::string images_path = (data / "images.json").string();
  const auto run = [&](std::vector<std::string_view> extra, std::string& out, std::string& err) {
    std::vector<std::string_view> args = {"diff",     "--policy", old_path, "--policy", new_path,
                                          "--images", images_path, "--now", "2025-01-31T00:00:00Z"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = cli_runner::run_cli(args);
    out = std::move(r.out);
    err = std::move(r.err);
    return r.status;
  };
  std::string out;
  std::string err;
  REQUIRE(run({"--format", "html"}, out, err) == 0);
  CHECK(err.empty());
  const auto before = load("policy.json");
  const auto after = load("policy-new.json");
  const auto images = load_images();
  const auto d = ecrlp::diff(before, after, images, {.now = now});
  const ecrlp::diff_document doc{before, after, old_path, new_path, images, d, now};
  CHECK(out == ecrlp::render(doc, ecrlp::output_format::html));
  REQUIRE(run({"--format", "html", "--max-rows", "2"}, out, err) == 0);
  CHECK(out == ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = 2}));
  CHECK(run({"--format", "html", "--max-rows", "two"}, out, err) == 2);
  CHECK(out.empty());
  CHECK(err.find("--max-rows takes a whole number") != std::string::npos);
  CHECK(run({"--help"}, out, err) == 0);
  CHECK(out.find("html: one self-contained page") != std::string::npos);
}
#endif

// ---- in a real browser ----------------------------------------------------------------------

namespace {

/// chromium, chromium-browser or google-chrome from PATH; empty when none is installed.
std::string find_chromium() {
  const char* path = std::getenv("PATH");
  if (path == nullptr) return {};
  std::string_view rest(path);
  while (!rest.empty()) {
    const std::size_t colon = rest.find(':');
    const std::filesystem::path dir(std::string(rest.substr(0, colon)));
    rest = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
      const auto candidate = dir / name;
      if (!dir.empty() && ::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    }
  }
  return {};
}

/// A scratch directory, removed at the end of the test.
struct scratch_dir : test_files::temp_dir {
  scratch_dir() : test_files::temp_dir("ecrlp-html-test-") {}
};

using test_files::read_text;

/// The DOM of `page` (written to a file in `dir`) after its scripts ran, as headless Chromium
/// dumps it, opened with `fragment` ("" or "#ecrlp-selftest") in a window of `window_size`
/// ("" = Chromium's default, else "WIDTH,HEIGHT").
std::string browser_dom(const std::string& chromium, const scratch_dir& dir, const std::string& page,
                        std::string_view fragment, std::string_view window_size = "") {
  const auto file = dir.path / "report.html";
  std::ofstream(file, std::ios::binary) << page;
  const auto dom = dir.path / "dom.html";
  const std::string command =
      "timeout 120 '" + chromium + "' --headless --no-sandbox --disable-gpu --no-first-run " +
      "--user-data-dir='" + (dir.path / "profile").string() + "' " +
      (window_size.empty() ? std::string() : "--window-size=" + std::string(window_size) + " ") +
      "--dump-dom 'file://" +
      file.string() + std::string(fragment) + "' > '" + dom.string() + "' 2> '" +
      (dir.path / "stderr.txt").string() + "'";
  const int status = std::system(command.c_str());
  INFO(command << "\n" << read_text(dir.path / "stderr.txt"));
  REQUIRE(status == 0);
  return read_text(dom);
}

/// The JSON text of `<pre id="ID">` in a dumped DOM (text escaped as HTML serializes it).
nlohmann::json pre_json(const std::string& dom, std::string_view id) {
  const std::string open = "<pre id=\"" + std::string(id) + "\">";
  const std::size_t start = dom.find(open);
  REQUIRE(start != std::string::npos);
  const std::size_t end = dom.find("</pre>", start);
  REQUIRE(end != std::string::npos);
  std::string text = dom.substr(start + open.size(), end - start - open.size());
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto entity = [&](std::string_view e) { return std::string_view(text).substr(i).starts_with(e); };
    if (entity("&lt;")) {
      out += '<';
      i += 3;
    } else if (entity("&gt;")) {
      out += '>';
      i += 3;
    } else if (entity("&amp;")) {
      out += '&';
      i += 4;
    } else if (entity("&nbsp;")) {
      out += "\u00a0";
      i += 5;
    } else {
      out += text[i];
    }
  }
  return nlohmann::json::parse(out);
}

/// The self-test's JSON report from a dumped DOM.
nlohmann::json selftest_report(const std::string& dom) { return pre_json(dom, "ecrlp-selftest"); }

bool numeric(const std::vector<std::string>& keys) {
  return std::all_of(keys.begin(), keys.end(), [](const std::string& k) {
    char* end = nullptr;
    std::strtod(k.c_str(), &end);
    return !k.empty() && end == k.c_str() + k.size();
  });
}

/// Checks one page's self-test: every heading of every sortable table was clicked twice, the
/// first click sorted ascending and the second descending, rows were only reordered, and the
/// table `images` sorted by size (column `size_column`) puts `sizes` (the listed images' sizes,
/// computed here from the evaluation) in order (`size_column` npos: the page has no such table).
void check_sorting(const nlohmann::json& report, const std::vector<std::string>& tables,
                   std::size_t size_column, std::vector<std::uint64_t> sizes) {
  std::vector<std::string> seen;
  bool size_checked = false;
  for (const auto& entry : report) {
    const std::string table = entry.at("table");
    const std::size_t column = entry.at("column");
    INFO(table << " column " << column << " (" << entry.at("heading").get<std::string>() << ")");
    if (std::find(seen.begin(), seen.end(), table) == seen.end()) seen.push_back(table);
    CHECK(entry.at("first") == "asc");
    CHECK(entry.at("second") == "desc");
    const auto before = entry.at("before").get<std::vector<std::string>>();
    const auto asc = entry.at("asc").get<std::vector<std::string>>();
    const auto desc = entry.at("desc").get<std::vector<std::string>>();
    CHECK(std::is_permutation(asc.begin(), asc.end(), before.begin(), before.end()));
    CHECK(std::equal(desc.begin(), desc.end(), asc.rbegin(), asc.rend()));
    if (numeric(asc)) {
      CHECK(std::is_sorted(asc.begin(), asc.end(), [](const std::string& a, const std::string& b) {
        return std::strtod(a.c_str(), nullptr) < std::strtod(b.c_str(), nullptr);
      }));
    }
    if (table == "images" && column == size_column) {
      size_checked = true;
      std::sort(sizes.begin(), sizes.end());
      std::vector<std::string> expected;
      for (const auto s : sizes) expected.push_back(std::to_string(s));
      CHECK(asc == expected);
      REQUIRE(!asc.empty());
      // the first row's cell: smallest after the first click, largest after the second
      CHECK(asc.front() == std::to_string(sizes.front()));
      CHECK(desc.front() == std::to_string(sizes.back()));
      CHECK(before != asc);  // the rows were listed oldest first, not by size
    }
  }
  CHECK(seen == tables);
  CHECK(size_checked == (size_column != std::string::npos));
}

}  // namespace

TEST_CASE("sortable tables, clicked in headless Chromium", "[html][chromium]") {
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
    if (html_test::browser_required()) FAIL("chromium not installed, and CI=true");
    WARN("SKIPPED: chromium not installed (apt-get install chromium to run this test)");
    return;
  }
  const auto before = load("policy.json");
  const auto after = load("policy-new.json");
  const auto images = load_images();
  scratch_dir dir;

  SECTION("preview") {
    const auto result = ecrlp::evaluate(before, images, {.now = now});
    const ecrlp::preview_document doc{before, "", images, result, now, "", ""};
    const std::string page = ecrlp::render(doc, ecrlp::output_format::html);
    std::vector<std::uint64_t> sizes;
    for (std::size_t i = 0; i < images.size(); ++i) {
      if (result.decisions[i].action != ecrlp::fate::keep) sizes.push_back(images[i].size_bytes);
    }
    check_sorting(selftest_report(browser_dom(chromium, dir, page, "#ecrlp-selftest")),
                  {"rule-table", "images"}, 3, sizes);
    // Opened normally, the page is as written: no self-test output, no column sorted.
    const std::string dom = browser_dom(chromium, dir, page, "");
    CHECK(dom.find("id=\"ecrlp-selftest\"") == std::string::npos);
    CHECK(dom.find(" data-dir=\"") == std::string::npos);  // on no heading
    CHECK(dom.find("<svg class=\"chart\" id=\"rules\"") != std::string::npos);
  }
  SECTION("diff") {
    const auto d = ecrlp::diff(before, after, images, {.now = now});
    const ecrlp::diff_document doc{before, after, "policy.json", "policy-new.json", images, d, now};
    const std::string page = ecrlp::render(doc, ecrlp::output_format::html);
    std::vector<std::uint64_t> sizes;
    for (const auto& c : d.changes) sizes.push_back(images[c.image_index].size_bytes);
    check_sorting(selftest_report(browser_dom(chromium, dir, page, "#ecrlp-selftest")),
                  {"change-kinds", "rule-table", "images"}, 4, sizes);
    const std::string dom = browser_dom(chromium, dir, page, "");
    CHECK(dom.find("id=\"ecrlp-selftest\"") == std::string::npos);
    CHECK(dom.find(" data-dir=\"") == std::string::npos);  // on no heading
    // the explanations are in the DOM, folded
    CHECK(count(dom, "<details>") == d.changes.size());
    CHECK(dom.find("<details open") == std::string::npos);
  }
}

// ---- in-use and impact panels, in a real browser ---------------------------------------------

namespace {

namespace fs = std::filesystem;
using ecrlp::detail::dollars_text;
using ecrlp::detail::group_digits;
using ecrlp::detail::human_bytes;

const fs::path snapshot_dir = fs::path(ECRLP_TEST_DATA) / "registry" / "snapshot";
const fs::path payments_dir = snapshot_dir / "repositories" / "payments";
const fs::path panels_in_use = fs::path(ECRLP_TEST_DATA) / "html-panels" / "in-use.txt";
const fs::path everywhere_policy = fs::path(ECRLP_TEST_DATA) / "registry-cli" / "everywhere-policy.json";
constexpr std::string_view snapshot_now_text = "2026-11-28T06:00:00Z";
constexpr const char* severity_names[] = {"critical", "high", "medium", "low", "informational", "undefined"};

ecrlp::timestamp snapshot_now() { return *ecrlp::parse_timestamp(snapshot_now_text); }

std::uint64_t severity(const ecrlp::finding_counts& f, std::size_t k) {
  const std::uint64_t all[] = {f.critical, f.high, f.medium, f.low, f.informational, f.undefined};
  return all[k];
}

ecrlp::in_use_list load_panels_in_use() {
  auto l = ecrlp::load_in_use(panels_in_use);
  REQUIRE(l.ok());
  return std::move(*l.value);
}

/// `ecrlp preview --policy P --images (payments' three pages) --in-use tests/data/html-panels/
/// in-use.txt --impact --format html` over the recorded snapshot's repository `payments`, built
/// with the library calls lib/cli/cmd_preview.cpp makes.
struct single_preview {
  ecrlp::parsed_policy policy;
  ecrlp::inventory inv;
  ecrlp::evaluation_result result;
  ecrlp::in_use_list in_use = load_panels_in_use();
  std::vector<ecrlp::in_use_match> matches;
  std::vector<ecrlp::in_use_violation> violations;
  ecrlp::impact effect;
  std::string html;

  single_preview(const fs::path& policy_file, const ecrlp::storage_prices& prices) {
    auto p = ecrlp::load_policy(policy_file);
    REQUIRE(p.ok());
    policy = std::move(*p.value);
    const fs::path pages[] = {payments_dir / "images" / "page-0001.json",
                              payments_dir / "images" / "page-0002.json",
                              payments_dir / "images" / "page-0003.json"};
    auto i = ecrlp::load_inventory(pages);
    REQUIRE(i.ok());
    inv = std::move(*i.value);
    result = ecrlp::evaluate(policy.policy, inv.images, {.now = snapshot_now(), .indexes = inv.indexes});
    const std::string_view repo = policy.repository_name.empty() ? std::string_view(inv.repository_name)
                                                                 : std::string_view(policy.repository_name);
    const std::string_view registry = policy.registry_id.empty() ? std::string_view(inv.registry_id)
                                                                 : std::string_view(policy.registry_id);
    matches = ecrlp::match_in_use(in_use.refs, repo, registry, inv.images, inv.indexes);
    violations = ecrlp::find_violations(matches, result);
    effect = ecrlp::compute_impact(inv.images, result, prices);
    ecrlp::preview_document doc{policy.policy, policy.text, inv.images, result, snapshot_now(),
                                policy.repository_name, policy.registry_id};
    doc.in_use_refs = &in_use.refs;
    doc.in_use = &matches;
    doc.violations = &violations;
    doc.impact = &effect;
    html = ecrlp::render(doc, ecrlp::output_format::html);
  }
  single_preview(const single_preview&) = delete;
  single_preview& operator=(const single_preview&) = delete;
};

/// `ecrlp preview --registry tests/data/registry/snapshot --in-use tests/data/html-panels/in-use.txt
/// --format html` (each repository's own policy, default prices), built as cmd_preview.cpp does.
struct registry_preview {
  ecrlp::registry_snapshot snap;
  ecrlp::registry_result result;
  ecrlp::in_use_list in_use = load_panels_in_use();
  std::vector<ecrlp::repository_outcome> outcomes;
  std::vector<std::size_t> unmatched;
  ecrlp::impact total;
  std::string html;

  registry_preview() {
    auto s = ecrlp::load_registry(snapshot_dir.string(), {.threads = 1});
    REQUIRE(s.ok());
    snap = std::move(*s.value);
    result = ecrlp::evaluate_registry(snap, {.now = snapshot_now(), .threads = 1});
    ecrlp::in_use_coverage coverage(in_use.refs.size());
    for (std::size_t k = 0; k < snap.repositories.size(); ++k) {
      const auto& repo = snap.repositories[k];
      const auto& rr = result.repositories[k];
      ecrlp::repository_outcome o;
      o.name = repo.name;
      if (rr.evaluated) {
        o.images = repo.images.images;
        o.result = &rr.evaluation;
        o.effect = ecrlp::compute_impact(repo.images.images, rr.evaluation);
        o.matches = ecrlp::match_in_use(in_use.refs, repo.name, repo.registry_id, repo.images.images,
                                        repo.images.indexes);
        o.violations = ecrlp::find_violations(o.matches, rr.evaluation);
        coverage.add(o.matches);
        total += o.effect;
      }
      outcomes.push_back(std::move(o));
    }
    unmatched = coverage.unmatched();
    const ecrlp::registry_document doc{snap, result, outcomes, total, snapshot_now(), {},
                                       {true, in_use.refs, unmatched}};
    html = ecrlp::render(doc, ecrlp::output_format::html);
  }
  registry_preview(const registry_preview&) = delete;
  registry_preview& operator=(const registry_preview&) = delete;
};

/// Test-only probe appended to a copy of a page, after the page's own script: it measures what the
/// browser laid out (boxes of the in-use panel, headings, charts and tables; every bar of every
/// chart), clicks every <summary> twice (open, then closed again) noting each time whether the
/// explanation is rendered (checkVisibility(): false inside a closed <details>), and appends the result as JSON in `<pre id="ecrlp-probe">`. The page itself is unchanged.
constexpr std::string_view probe_script = R"(<script>
//<![CDATA[
(function () {
  function box(e) {
    var r = e.getBoundingClientRect();
    return { top: r.top + window.scrollY, bottom: r.bottom + window.scrollY, right: r.right,
             width: r.width, height: r.height };
  }
  var panel = document.getElementById('in-use');
  var table = document.getElementById('in-use-violations');
  var out = { inUse: panel ? box(panel) : null, inUseTable: table ? box(table) : null,
              pageWidth: document.documentElement.scrollWidth, windowWidth: document.documentElement.clientWidth,
              elements: [], charts: [], details: [] };
  document.querySelectorAll('body > *, h2, svg.chart, table').forEach(function (e) {
    if (e.tagName === 'SCRIPT' || e.tagName === 'H1') return;
    var b = box(e);
    out.elements.push({ tag: e.tagName.toLowerCase(), id: e.id, inside: panel !== null && panel.contains(e),
                        top: b.top, height: b.height });
  });
  document.querySelectorAll('svg.chart').forEach(function (svg) {
    var c = { id: svg.id, box: box(svg), bars: [], labels: [] };
    svg.querySelectorAll('rect, polygon').forEach(function (s) {
      var b = s.getBBox();
      var t = s.querySelector('title');
      c.bars.push({ title: t ? t.textContent : '', width: b.width, height: b.height });
    });
    svg.querySelectorAll(':scope > text').forEach(function (t) { c.labels.push(t.textContent); });
    out.charts.push(c);
  });
  document.querySelectorAll('details').forEach(function (d) {
    var pre = d.querySelector('pre');
    var summary = d.querySelector('summary');
    var row = d.closest('tr');
    var e = { row: row ? row.className : '', open: d.open, visibleClosed: pre.checkVisibility() };
    summary.click();
    e.openAfterClick = d.open;
    e.visibleOpen = pre.checkVisibility();
    e.opened = pre.getBoundingClientRect().height;
    e.text = pre.innerText;
    summary.click();
    e.openAfterSecondClick = d.open;
    e.visibleReclosed = pre.checkVisibility();
    out.details.push(e);
  });
  var pre = document.createElement('pre');
  pre.id = 'ecrlp-probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
//]]>
</script>
)";

std::string with_probe(std::string page) {
  const std::size_t end = page.rfind("</body>");
  REQUIRE(end != std::string::npos);
  page.insert(end, probe_script);
  return page;
}

/// Text of an HTML fragment: tags dropped, the entities an HTML serializer writes decoded.
std::string text_of(std::string_view html) {
  std::string out;
  for (std::size_t i = 0; i < html.size(); ++i) {
    if (html[i] == '<') {
      i = html.find('>', i);
      if (i == std::string_view::npos) break;
      continue;
    }
    static constexpr std::pair<std::string_view, std::string_view> entities[] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&nbsp;", "\u00a0"}};
    bool decoded = false;
    for (const auto& [entity, c] : entities) {
      if (html.substr(i).starts_with(entity)) {
        out += c;
        i += entity.size() - 1;
        decoded = true;
        break;
      }
    }
    if (!decoded) out += html[i];
  }
  return out;
}

/// The content of the first element whose opening tag starts with `open` (from the end of that
/// tag up to the next `close`).
std::string element(const std::string& dom, std::string_view open, std::string_view close) {
  const std::size_t start = dom.find(open);
  REQUIRE(start != std::string::npos);
  const std::size_t content = dom.find('>', start + open.size() - 1) + 1;
  const std::size_t end = dom.find(close, content);
  REQUIRE(end != std::string::npos);
  return dom.substr(content, end - content);
}

/// Column `col` of the table `id` as the DOM lists its rows: each cell's sort key (its data-v,
/// else its text), as the sorting script reads it.
std::vector<std::string> column(const std::string& dom, std::string_view id, std::size_t col) {
  std::vector<std::string> out;
  for (const auto& row : table_rows(dom, id)) {
    std::size_t at = 0;
    for (std::size_t k = 0; k <= col; ++k) {
      at = row.find("<td", k == 0 ? 0 : at + 1);
      REQUIRE(at != std::string::npos);
    }
    const std::size_t tag_end = row.find('>', at);
    const std::string tag = row.substr(at, tag_end - at);
    const std::size_t v = tag.find(" data-v=\"");
    if (v != std::string::npos) {
      out.push_back(text_of(tag.substr(v + 9, tag.find('"', v + 9) - v - 9)));
    } else {
      out.push_back(text_of(row.substr(tag_end + 1, row.find("</td>", tag_end) - tag_end - 1)));
    }
  }
  return out;
}

/// The first full "sha256:<64 hex>" in `s`, or "".
std::string first_digest(std::string_view s) {
  for (std::size_t p = s.find("sha256:"); p != std::string_view::npos; p = s.find("sha256:", p + 1)) {
    const std::string_view hex = s.substr(p + 7, 64);
    if (hex.size() == 64 && std::all_of(hex.begin(), hex.end(), [](char c) {
          return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
        })) {
      return std::string(s.substr(p, 71));
    }
  }
  return {};
}

/// The in-use panel is the first panel: in the DOM nothing but the title and a paragraph comes
/// before it (no heading, chart, table, list or explanation), and in the browser's layout every
/// element outside it is below it.
void check_in_use_first(const std::string& dom, const nlohmann::json& probe) {
  const std::size_t body = dom.find("<body");
  const std::size_t panel = dom.find("<div id=\"in-use\"");
  REQUIRE(body != std::string::npos);
  REQUIRE(panel != std::string::npos);
  CHECK(dom.find("</h1>", body) < panel);
  for (const char* tag : {"<h2", "<svg", "<table", "<div", "<details", "<ul", "<pre"}) {
    INFO(tag);
    CHECK(dom.find(tag, body) >= panel);
  }
  REQUIRE(probe.at("inUse").is_object());
  const double panel_top = probe["inUse"].at("top");
  const double panel_bottom = probe["inUse"].at("bottom");
  CHECK(probe["inUse"].at("width").get<double>() > 0);
  CHECK(panel_bottom - panel_top > 0);
  std::size_t below = 0;
  for (const auto& e : probe.at("elements")) {
    INFO(e.dump());
    if (e.at("inside").get<bool>() || e.at("id") == "in-use") continue;
    if (e.at("tag") == "p" && e.at("top").get<double>() < panel_top) {
      CHECK(e.at("id") == "");  // the summary sentence above may precede; nothing else
      continue;
    }
    CHECK(e.at("top").get<double>() >= panel_bottom - 0.5);
    ++below;
  }
  CHECK(below > 3);
}

/// Every chart of the page has a box and at least one visible bar or area.
void check_charts_drawn(const nlohmann::json& probe, const std::vector<std::string>& ids) {
  std::vector<std::string> seen;
  for (const auto& c : probe.at("charts")) {
    INFO(c.dump());
    seen.push_back(c.at("id"));
    CHECK(c.at("box").at("width").get<double>() > 0);
    CHECK(c.at("box").at("height").get<double>() > 0);
    CHECK(std::any_of(c.at("bars").begin(), c.at("bars").end(), [](const nlohmann::json& b) {
      return b.at("width").get<double>() > 0 && b.at("height").get<double>() > 0;
    }));
  }
  for (const auto& id : ids) {
    INFO(id);
    CHECK(std::find(seen.begin(), seen.end(), id) != seen.end());
  }
}

const nlohmann::json& chart(const nlohmann::json& probe, std::string_view id) {
  for (const auto& c : probe.at("charts")) {
    if (c.at("id") == id) return c;
  }
  FAIL("no chart " << id);
  throw std::logic_error("unreachable");
}

/// The severity bars of a findings chart: one row per entry of `rows` (findings counted here from
/// the images), each nonzero severity drawn as a bar titled "high: 12", with the row's total
/// printed after it.
void check_findings_chart(const nlohmann::json& c, const std::vector<ecrlp::finding_counts>& rows) {
  INFO(c.dump());
  std::vector<std::string> expected;
  std::vector<std::string> titles;
  for (const auto& f : rows) {
    for (std::size_t k = 0; k < 6; ++k) {
      if (severity(f, k) > 0) expected.push_back(std::string(severity_names[k]) + ": " + std::to_string(severity(f, k)));
    }
    const auto& labels = c.at("labels");
    CHECK(std::find(labels.begin(), labels.end(), group_digits(f.total()) + " findings") != labels.end());
  }
  for (const auto& b : c.at("bars")) {
    titles.push_back(b.at("title"));
    CHECK(b.at("width").get<double>() > 0);
  }
  CHECK(titles == expected);
}

/// Entries of a self-test report for `table`, by column.
std::vector<nlohmann::json> selftest_columns(const nlohmann::json& report, std::string_view table) {
  std::vector<nlohmann::json> out;
  for (const auto& e : report) {
    if (e.at("table") == table) out.push_back(e);
  }
  return out;
}

template <class T>
std::vector<std::string> strings(const std::vector<T>& v) {
  std::vector<std::string> out;
  for (const auto& x : v) out.push_back(std::to_string(x));
  return out;
}

/// A PNG file's width and height (from its IHDR chunk), or {0, 0}.
std::pair<std::uint32_t, std::uint32_t> png_size(const std::string& png) {
  if (png.size() < 24 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || png.compare(12, 4, "IHDR") != 0) {
    return {0, 0};
  }
  const auto be32 = [&](std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(png[at + k]);
    return v;
  };
  return {be32(16), be32(20)};
}

}  // namespace

#ifdef ECRLP_HAVE_CLI
TEST_CASE("in-use and impact pages: the documents of the browser tests are the CLI's", "[html]") {
  const auto run = [](const std::vector<std::string>& args) {
    auto r = cli_runner::run_cli(args);
    REQUIRE(r.status == 0);
    return std::move(r.out);
  };
  const std::vector<std::string> images = {
      "--images", (payments_dir / "images" / "page-0001.json").string(),
      "--images", (payments_dir / "images" / "page-0002.json").string(),
      "--images", (payments_dir / "images" / "page-0003.json").string()};
  const auto single = [&](const fs::path& policy, std::vector<std::string> more) {
    std::vector<std::string> args = {"preview", "--policy", policy.string(), "--in-use",
                                     panels_in_use.string(), "--now", std::string(snapshot_now_text),
                                     "--format", "html"};
    args.insert(args.end(), images.begin(), images.end());
    args.insert(args.end(), more.begin(), more.end());
    return run(args);
  };
  CHECK(single(payments_dir / "lifecycle-policy.json", {"--impact"}) ==
        single_preview(payments_dir / "lifecycle-policy.json", {}).html);
  CHECK(single(everywhere_policy, {"--price-archive", "0.01"}) ==
        single_preview(everywhere_policy, {.archive_per_gb_month = 0.01}).html);
  CHECK(run({"preview", "--registry", snapshot_dir.string(), "--in-use", panels_in_use.string(),
             "--now", std::string(snapshot_now_text), "--format", "html"}) == registry_preview().html);
}
#endif

TEST_CASE("preview HTML with in-use references and impact, in headless Chromium", "[html][chromium]") {
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
    if (html_test::browser_required()) FAIL("chromium not installed, and CI=true");
    WARN("SKIPPED: chromium not installed (apt-get install chromium to run this test)");
    return;
  }
  struct variant {
    fs::path policy;
    double archive_price;
  };
  const auto v = GENERATE(variant{payments_dir / "lifecycle-policy.json", 0.10},
                          variant{everywhere_policy, 0.01});
  INFO("policy " << v.policy.string() << ", archive at $" << v.archive_price);
  const single_preview p(v.policy, {.archive_per_gb_month = v.archive_price});
  const auto& images = p.inv.images;
  const ecrlp::impact& e = p.effect;
  REQUIRE(p.violations.size() >= 3);  // the data's point: several running images are removed
  scratch_dir dir;
  const std::string dom = browser_dom(chromium, dir, with_probe(p.html), "", "1200,2400");
  const nlohmann::json probe = pre_json(dom, "ecrlp-probe");
  const std::string page_dom = dom.substr(0, dom.find("<script>"));

  // The violations panel: first, red, listing exactly find_violations()'s images, oldest first.
  check_in_use_first(page_dom, probe);
  std::size_t running = 0;
  for (const auto& m : p.matches) {
    if (m.in_use()) ++running;
  }
  CHECK(text_of(element(page_dom, "<h2 style=", "</h2>"))
            .ends_with("IN USE: " + group_digits(p.violations.size()) + " of " + group_digits(running) +
                       " running images would be removed"));
  const auto rows = table_rows(page_dom, "in-use-violations");
  REQUIRE(rows.size() == p.violations.size());
  // its table is laid out inside it, without widening the page (window 1,200 px wide)
  REQUIRE(probe.at("inUseTable").is_object());
  CHECK(probe["inUseTable"].at("height").get<double>() > 0);
  CHECK(probe["inUseTable"].at("right").get<double>() <= probe["inUse"].at("right").get<double>());
  CHECK(probe.at("pageWidth") == probe.at("windowWidth"));
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& viol = p.violations[k];
    INFO(rows[k]);
    CHECK(first_digest(rows[k]) == images[viol.image_index].digest);
    CHECK(text_of(rows[k]).starts_with(viol.action == ecrlp::fate::transition ? "TRANSITION" : "EXPIRE"));
    CHECK(rows[k].find("<td class=\"n\">" + std::to_string(viol.rule_priority) + "</td>") != std::string::npos);
    for (const std::size_t r : viol.refs) CHECK(text_of(rows[k]).find(p.in_use.refs[r].text) != std::string::npos);
  }

  // The impact section: compute_impact()'s figures as the page formats them, and those figures
  // against sums made here from the images and their fates.
  std::uint64_t bytes = 0;
  std::uint64_t freed = 0;
  std::uint64_t moved = 0;
  std::size_t expired = 0;
  ecrlp::finding_counts before;
  ecrlp::finding_counts after;
  ecrlp::finding_counts removed;
  for (std::size_t i = 0; i < images.size(); ++i) {
    const auto action = p.result.decisions[i].action;
    bytes += images[i].size_bytes;
    before += images[i].findings.value_or(ecrlp::finding_counts{});
    if (action == ecrlp::fate::expire) {
      freed += images[i].size_bytes;
      ++expired;
      removed += images[i].findings.value_or(ecrlp::finding_counts{});
    } else {
      after += images[i].findings.value_or(ecrlp::finding_counts{});
      if (action == ecrlp::fate::transition) moved += images[i].size_bytes;
    }
  }
  REQUIRE(e.bytes_freed() == freed);
  REQUIRE(e.expired.images == expired);
  REQUIRE(e.transitioned.bytes == moved);
  constexpr double gib = 1024.0 * 1024.0 * 1024.0;
  CHECK(ecrlp::to_cents(e.monthly_cost_before()) == ecrlp::to_cents(double(bytes) / gib * 0.10));
  CHECK(ecrlp::to_cents(e.monthly_cost_after()) ==
        ecrlp::to_cents(double(bytes - freed - moved) / gib * 0.10 + double(moved) / gib * v.archive_price));
  std::string summary = "Bytes freed: " + human_bytes(freed) + " (" + group_digits(freed) + " bytes, " +
                        group_digits(expired) + " image" + (expired == 1 ? "" : "s") +
                        "). Monthly storage cost: " + dollars_text(e.monthly_cost_before()) + " before, " +
                        dollars_text(e.monthly_cost_after()) + " after, saving " +
                        dollars_text(e.monthly_saving()) + ".";
  if (moved > 0) {
    summary += " Archive minimum charge: " + dollars_text(e.archive_minimum_charge()) + " once, for " +
               human_bytes(moved) + " transitioned (90 days at the archive price, even if deleted or "
               "restored sooner).";
  }
  CHECK(text_of(element(page_dom, "<p id=\"impact-summary\">", "</p>")) == summary);
  check_findings_chart(chart(probe, "impact-findings"), {before, after, removed});
  const auto& cost = chart(probe, "impact-cost");
  CHECK(cost.at("labels").get<std::vector<std::string>>() ==
        std::vector<std::string>{"before", dollars_text(e.monthly_cost_before()), "after",
                                 dollars_text(e.monthly_cost_after())});
  check_charts_drawn(probe, {"before-after-images", "before-after-bytes", "before-after-findings",
                             "impact-cost", "impact-findings", "rules"});

  // Explanations: folded; a click on the summary opens one (and shows it), a second folds it. The
  // in-use rows are the violations, and their explanation names the references.
  std::vector<std::uint64_t> sizes;
  std::vector<std::string> affected;
  for (const std::size_t i : p.result.order) {
    if (p.result.decisions[i].action == ecrlp::fate::keep) continue;
    sizes.push_back(images[i].size_bytes);
    affected.push_back(images[i].digest);
  }
  const auto& details = probe.at("details");
  REQUIRE(details.size() == affected.size());
  std::vector<std::string> in_use_rows;
  for (std::size_t k = 0; k < details.size(); ++k) {
    const auto& d = details[k];
    INFO(d.dump());
    const std::string text = d.at("text");
    CHECK(text.starts_with(affected[k] + "\n"));
    CHECK_FALSE(d.at("open").get<bool>());
    CHECK_FALSE(d.at("visibleClosed").get<bool>());
    CHECK(d.at("openAfterClick").get<bool>());
    CHECK(d.at("visibleOpen").get<bool>());
    CHECK(d.at("opened").get<double>() > 0);
    CHECK_FALSE(d.at("openAfterSecondClick").get<bool>());
    CHECK_FALSE(d.at("visibleReclosed").get<bool>());
    if (d.at("row") == "in-use") in_use_rows.push_back(affected[k]);
  }
  REQUIRE(in_use_rows.size() == p.violations.size());
  for (std::size_t k = 0; k < p.violations.size(); ++k) {
    CHECK(in_use_rows[k] == images[p.violations[k].image_index].digest);
    const auto& d = *std::find_if(details.begin(), details.end(), [&](const nlohmann::json& x) {
      return x.at("text").get<std::string>().starts_with(in_use_rows[k]);
    });
    for (const std::size_t r : p.violations[k].refs) {
      CHECK(d.at("text").get<std::string>().find("in use as " + p.in_use.refs[r].text) != std::string::npos);
    }
  }

  // The self-test: every table, the impact table among them, sorts ascending then descending; the
  // impact table lists compute_impact()'s rules.
  const auto report = selftest_report(browser_dom(chromium, dir, p.html, "#ecrlp-selftest"));
  check_sorting(report, {"in-use-violations", "impact-rules", "rule-table", "images"}, 3, sizes);
  REQUIRE(selftest_columns(report, "impact-rules").size() == 7);
  std::vector<std::int64_t> priorities;
  std::vector<std::uint64_t> rule_freed;
  std::vector<std::int64_t> rule_saving;
  std::vector<std::uint64_t> rule_findings;
  for (const auto& r : e.rules) {
    priorities.push_back(r.priority);
    rule_freed.push_back(r.expired.bytes);
    rule_saving.push_back(ecrlp::to_cents(r.monthly_saving(e.prices)));
    rule_findings.push_back(r.expired.findings.total());
  }
  CHECK(column(page_dom, "impact-rules", 0) == strings(priorities));
  CHECK(column(page_dom, "impact-rules", 2) == strings(rule_freed));
  CHECK(column(page_dom, "impact-rules", 5) == strings(rule_saving));
  CHECK(column(page_dom, "impact-rules", 6) == strings(rule_findings));
}

TEST_CASE("registry preview HTML with in-use references and impact, in headless Chromium",
          "[html][chromium]") {
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
    if (html_test::browser_required()) FAIL("chromium not installed, and CI=true");
    WARN("SKIPPED: chromium not installed (apt-get install chromium to run this test)");
    return;
  }
  const registry_preview p;
  const ecrlp::impact& t = p.total;
  scratch_dir dir;
  const std::string dom = browser_dom(chromium, dir, with_probe(p.html), "", "1200,2400");
  const nlohmann::json probe = pre_json(dom, "ecrlp-probe");
  const std::string page_dom = dom.substr(0, dom.find("<script>"));

  // The violations panel, first: one row per violation of every repository, in repository order.
  check_in_use_first(page_dom, probe);
  std::vector<std::pair<std::string, const ecrlp::in_use_violation*>> expected;
  std::vector<std::string> repos_with_violations;
  for (const auto& o : p.outcomes) {
    for (const auto& v : o.violations) expected.emplace_back(o.images[v.image_index].digest, &v);
    if (!o.violations.empty()) repos_with_violations.emplace_back(o.name);
  }
  REQUIRE(expected.size() >= 5);
  REQUIRE(repos_with_violations.size() >= 4);
  CHECK(text_of(element(page_dom, "<h2 style=", "</h2>")) ==
        "IN USE: " + std::to_string(expected.size()) + " running images would be removed");
  const auto rows = table_rows(page_dom, "in-use-violations");
  REQUIRE(rows.size() == expected.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    INFO(rows[k]);
    CHECK(first_digest(rows[k]) == expected[k].first);
    CHECK(text_of(rows[k]).find(ecrlp::detail::violation_action_text(*expected[k].second)) != std::string::npos);
    for (const std::size_t r : expected[k].second->refs) {
      CHECK(text_of(rows[k]).find(p.in_use.refs[r].text) != std::string::npos);
    }
  }

  // The total impact: the sums of the repositories' compute_impact(), as the page formats them;
  // findings by severity counted here from every evaluated image.
  ecrlp::finding_counts before;
  ecrlp::finding_counts after;
  std::uint64_t freed = 0;
  for (std::size_t k = 0; k < p.snap.repositories.size(); ++k) {
    const auto& rr = p.result.repositories[k];
    if (!rr.evaluated) continue;
    const auto& imgs = p.snap.repositories[k].images.images;
    for (std::size_t i = 0; i < imgs.size(); ++i) {
      before += imgs[i].findings.value_or(ecrlp::finding_counts{});
      if (rr.evaluation.decisions[i].action == ecrlp::fate::expire) {
        freed += imgs[i].size_bytes;
      } else {
        after += imgs[i].findings.value_or(ecrlp::finding_counts{});
      }
    }
  }
  REQUIRE(t.bytes_freed() == freed);
  const std::string total_text = text_of(element(page_dom, "<h2>Total impact</h2>\n<p>", "</p>"));
  INFO(total_text);
  CHECK(total_text.starts_with("Bytes freed: " + human_bytes(t.bytes_freed()) + " in " +
                               std::to_string(t.expired.images) + " image"));
  CHECK(total_text.find("; moved to archive: " + human_bytes(t.transitioned.bytes) + " in " +
                        std::to_string(t.transitioned.images) + " image") != std::string::npos);
  CHECK(total_text.find(". Monthly storage cost " + dollars_text(t.monthly_cost_before()) + " before, " +
                        dollars_text(t.monthly_cost_after()) + " after (" + dollars_text(t.monthly_saving()) +
                        " saved a month; " + ecrlp::detail::prices_text(t.prices) + ").") != std::string::npos);
  CHECK(total_text.ends_with(" Archive minimum charge committed: " + dollars_text(t.archive_minimum_charge()) + "."));
  check_findings_chart(chart(probe, "findings"), {before, after});
  check_charts_drawn(probe, {"repository-bytes", "findings"});
  // The affected images of each repository, in snapshot order, each oldest first: one <details>
  // per row, closed, opened by a click, closed by the next; in-use rows are exactly the violations.
  std::vector<std::string> affected;
  std::vector<std::string> violating;
  std::vector<std::string> image_tables;
  for (std::size_t k = 0; k < p.outcomes.size(); ++k) {
    const auto& o = p.outcomes[k];
    if (o.result == nullptr) continue;
    bool any = false;
    for (const std::size_t i : o.result->order) {
      if (o.result->decisions[i].action == ecrlp::fate::keep) continue;
      affected.push_back(o.images[i].digest);
      any = true;
    }
    for (const auto& v : o.violations) violating.push_back(o.images[v.image_index].digest);
    if (any) image_tables.push_back("images-" + std::to_string(k));
  }
  REQUIRE(affected.size() == t.expired.images + t.transitioned.images);
  const auto& details = probe.at("details");
  REQUIRE(details.size() == affected.size());
  std::vector<std::string> in_use_rows;
  for (std::size_t k = 0; k < details.size(); ++k) {
    const auto& d = details[k];
    INFO(d.dump());
    CHECK(d.at("text").get<std::string>().starts_with(affected[k] + "\n"));
    CHECK_FALSE(d.at("open").get<bool>());
    CHECK(d.at("openAfterClick").get<bool>());
    CHECK(d.at("visibleOpen").get<bool>());
    CHECK_FALSE(d.at("openAfterSecondClick").get<bool>());
    if (d.at("row") == "in-use") in_use_rows.push_back(affected[k]);
  }
  std::sort(in_use_rows.begin(), in_use_rows.end());
  std::sort(violating.begin(), violating.end());
  CHECK(in_use_rows == violating);

  // The self-test: every table sorts ascending then descending; the repositories' costs are their
  // compute_impact() figures (skipped repositories 0).
  const auto report = selftest_report(browser_dom(chromium, dir, p.html, "#ecrlp-selftest"));
  std::vector<std::string> sortable = {"in-use-violations", "repositories"};
  sortable.insert(sortable.end(), image_tables.begin(), image_tables.end());
  check_sorting(report, sortable, std::string::npos, {});
  REQUIRE(selftest_columns(report, "repositories").size() == 11);
  std::vector<std::int64_t> cost_before;
  std::vector<std::int64_t> cost_after;
  std::vector<std::size_t> in_use_removed;
  for (const auto& o : p.outcomes) {
    cost_before.push_back(o.result == nullptr ? 0 : ecrlp::to_cents(o.effect.monthly_cost_before()));
    cost_after.push_back(o.result == nullptr ? 0 : ecrlp::to_cents(o.effect.monthly_cost_after()));
    in_use_removed.push_back(o.violations.size());
  }
  CHECK(column(page_dom, "repositories", 6) == strings(cost_before));
  CHECK(column(page_dom, "repositories", 7) == strings(cost_after));
  CHECK(column(page_dom, "repositories", 10) == strings(in_use_removed));

  // A screenshot, as docs/in-use.md makes docs/preview-report.png: a PNG of the window's size.
  const auto file = dir.path / "registry.html";
  std::ofstream(file, std::ios::binary) << p.html;
  const auto png = dir.path / "shot.png";
  const std::string command =
      "timeout 120 '" + chromium + "' --headless --no-sandbox --disable-gpu --no-first-run " +
      "--hide-scrollbars --user-data-dir='" + (dir.path / "profile").string() + "' --screenshot='" +
      png.string() + "' --window-size=1200,2400 'file://" + file.string() + "' > /dev/null 2> '" +
      (dir.path / "stderr.txt").string() + "'";
  INFO(command << "\n" << read_text(dir.path / "stderr.txt"));
  REQUIRE(std::system(command.c_str()) == 0);
  const std::string shot = read_text(png);
  const auto [width, height] = png_size(shot);
  CHECK(width == 1200);
  CHECK(height == 2400);
  CHECK(shot.size() > 10000);
}
