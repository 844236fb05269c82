// SPDX-License-Identifier: MIT
// The preview and diff HTML pages (include/ecrlp/html_report.hpp): the diff page's contents,
// explanations on demand (the same text as `ecrlp explain`), the row cap, escaping, and the
// sortable tables clicked in a real browser (headless Chromium, when installed).

#include <ecrlp/diff.hpp>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/explain.hpp>
#include <ecrlp/explain_report.hpp>
#include <ecrlp/html_report.hpp>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/report.hpp>

#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "html_test_util.hpp"
#include "html_util.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#ifdef ECRLP_HAVE_CLI
#  include "app.hpp"
#endif

namespace {

using html_test::count;
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

/// What `ecrlp explain` writes for image `i`, one string per line (heading and digest dropped,
/// indentation kept), each line HTML-escaped as the page must show it.
std::vector<std::string> explain_lines(const ecrlp::explainer& ex, std::size_t i) {
  std::ostringstream text;
  const std::size_t which[] = {i};
  ecrlp::write_explain_text(text, ex, which);
  std::vector<std::string> lines;
  std::istringstream in(text.str());
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    if (n++ >= 3) lines.push_back(ecrlp::detail::html_escape(line.substr(line.find_first_not_of(' '))));
  }
  return lines;
}

/// The <tr> elements of the table with id `id`.
std::vector<std::string> table_rows(const std::string& html, std::string_view id) {
  const std::size_t start = html.find("id=\"" + std::string(id) + "\"");
  REQUIRE(start != std::string::npos);
  const std::size_t body = html.find("<tbody>", start);
  const std::size_t end = html.find("</tbody>", body);
  std::vector<std::string> rows;
  for (std::size_t p = html.find("<tr>", body); p != std::string::npos && p < end;
       p = html.find("<tr>", p + 1)) {
    rows.push_back(html.substr(p, html.find("</tr>", p) - p));
  }
  return rows;
}

}  // namespace

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
    const std::string html = ecrlp::render_preview_html(doc);
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
    const std::string html = ecrlp::render_preview_html(doc, 2);
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
    const std::string html = ecrlp::render_preview_html(doc, 0);
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
  const std::string html = ecrlp::render_diff_html(doc);
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
    CHECK(rows[k].find(ecrlp::detail::html_escape(ecrlp::describe(c.kind))) != std::string::npos);
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
  const std::string capped = ecrlp::render_diff_html(doc, 1);
  CHECK(xml_problem(capped).empty());
  CHECK(table_rows(capped, "images").size() == 1);
  CHECK(capped.find("The 1 oldest of 5 changed images are listed (at most 1 rows") != std::string::npos);
}

TEST_CASE("diff HTML of a policy with itself lists no image", "[html]") {
  const auto policy = load("policy.json");
  const auto images = load_images();
  const auto d = ecrlp::diff(policy, policy, images, {.now = now});
  const ecrlp::diff_document doc{policy, policy, "p.json", "p.json", images, d, now};
  const std::string html = ecrlp::render_diff_html(doc);
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
    std::ostringstream o;
    std::ostringstream e;
    const int status = ecrlp::cli::run(args, o, e);
    out = o.str();
    err = e.str();
    return status;
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
  CHECK(out == ecrlp::render_diff_html(doc));
  REQUIRE(run({"--format", "html", "--max-rows", "2"}, out, err) == 0);
  CHECK(out == ecrlp::render_diff_html(doc, 2));
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
struct scratch_dir {
  std::filesystem::path path;
  scratch_dir() {
    static int n = 0;
    path = std::filesystem::temp_directory_path() /
           ("ecrlp-html-test-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
  ~scratch_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The DOM of `page` (written to a file in `dir`) after its scripts ran, as headless Chromium
/// dumps it, opened with `fragment` ("" or "#ecrlp-selftest").
std::string browser_dom(const std::string& chromium, const scratch_dir& dir, const std::string& page,
                        std::string_view fragment) {
  const auto file = dir.path / "report.html";
  std::ofstream(file, std::ios::binary) << page;
  const auto dom = dir.path / "dom.html";
  const std::string command =
      "timeout 120 '" + chromium + "' --headless --no-sandbox --disable-gpu --no-first-run " +
      "--user-data-dir='" + (dir.path / "profile").string() + "' --dump-dom 'file://" +
      file.string() + std::string(fragment) + "' > '" + dom.string() + "' 2> '" +
      (dir.path / "stderr.txt").string() + "'";
  const int status = std::system(command.c_str());
  INFO(command << "\n" << read_all(dir.path / "stderr.txt"));
  REQUIRE(status == 0);
  return read_all(dom);
}

/// The self-test's JSON report from a dumped DOM (text escaped as HTML serializes it).
nlohmann::json selftest_report(const std::string& dom) {
  const std::string open = "<pre id=\"ecrlp-selftest\">";
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
/// computed here from the evaluation) in order.
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
  CHECK(size_checked);
}

}  // namespace

TEST_CASE("sortable tables, clicked in headless Chromium", "[html][chromium]") {
  const std::string chromium = find_chromium();
  if (chromium.empty()) {
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
    const std::string page = ecrlp::render_preview_html(doc);
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
    const std::string page = ecrlp::render_diff_html(doc);
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
