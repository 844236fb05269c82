// SPDX-License-Identifier: MIT
// In-use violations and impact in the single-repository preview reports (table, JSON, CSV, HTML):
// violations first, impact figures equal to compute_impact()'s and to arithmetic done here, and
// every report unchanged by the optional members when they are not set.

// First: lint.hpp (through html_util.hpp) must come before <iomanip> (see lib/report.cpp).
#include "document/phrases.hpp"
#include "render/html/charts.hpp"
#include "render/html/page.hpp"

#include <ecrlp/evaluate.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/impact.hpp>
#include <ecrlp/in_use.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "html_test_util.hpp"

namespace {

using namespace std::chrono_literals;
using nlohmann::ordered_json;

const ecrlp::timestamp now{std::chrono::sys_days{std::chrono::year{2025} / 1 / 31}.time_since_epoch()};
constexpr std::uint64_t gib = std::uint64_t{1} << 30;

std::string digest(char c) { return "sha256:" + std::string(64, c); }

ecrlp::image make_image(char d, std::vector<std::string> tags, std::chrono::hours age,
                        std::uint64_t size, ecrlp::finding_counts findings) {
  ecrlp::image img;
  img.digest = digest(d);
  img.tags = std::move(tags);
  img.pushed_at = now - age;
  img.size_bytes = size;
  img.findings = findings;
  return img;
}

/// Rule 1 archives prod* images older than 30 days; rule 2 keeps the newest other image.
ecrlp::lifecycle_policy make_policy() {
  ecrlp::lifecycle_policy policy;
  ecrlp::rule archive;
  archive.priority = 1;
  archive.selection.status = ecrlp::tag_status::tagged;
  archive.selection.list_kind = ecrlp::tag_list_kind::pattern;
  archive.selection.tag_list = {"prod*"};
  archive.selection.type = ecrlp::count_type::since_image_pushed;
  archive.selection.count_number = 30;
  archive.action.type = ecrlp::action_type::transition;
  ecrlp::rule rest;
  rest.priority = 2;
  rest.selection.status = ecrlp::tag_status::any;
  rest.selection.type = ecrlp::count_type::image_count_more_than;
  rest.selection.count_number = 1;
  policy.rules = {archive, rest};
  return policy;
}

/// Four images: 0 (oldest, not in use) and 2 (in use by digest) expire by rule 2, 1 (in use as
/// app:prod-1) moves to archive by rule 1, 3 (in use as app:dev) stays.
struct fixture {
  ecrlp::lifecycle_policy policy = make_policy();
  std::vector<ecrlp::image> images = {
      make_image('0', {"old"}, 24h * 50, 2 * gib, {.critical = 2, .high = 1}),
      make_image('1', {"prod-1"}, 24h * 40, 10 * gib, {.high = 4}),
      make_image('2', {}, 24h * 20, 3 * gib, {.medium = 3}),
      make_image('3', {"dev"}, 24h * 10, 1 * gib, {.low = 1}),
  };
  ecrlp::evaluation_result result = ecrlp::evaluate(policy, images, {.now = now});
  std::vector<ecrlp::in_use_ref> refs;
  std::vector<ecrlp::in_use_match> matches;
  std::vector<ecrlp::in_use_violation> violations;
  ecrlp::storage_prices prices{.standard_per_gb_month = 0.10, .archive_per_gb_month = 0.07};
  ecrlp::impact im;

  explicit fixture(std::string_view in_use_text =
                       "app:prod-1\n"
                       "# the untagged image, pinned\n"
                       "app@" "sha256:2222222222222222222222222222222222222222222222222222222222222222\n"
                       "app:dev\n"
                       "app:prod-1\n"
                       "ghcr.io/other/app:v9\n") {
    auto list = ecrlp::parse_in_use(in_use_text, "running.txt");
    REQUIRE(list.ok());
    refs = std::move(list.value->refs);
    matches = ecrlp::match_in_use(refs, "app", "", images);
    violations = ecrlp::find_violations(matches, result);
    im = ecrlp::compute_impact(images, result, prices);
  }

  /// The document without any optional part.
  [[nodiscard]] ecrlp::preview_document plain() const {
    return {policy, "{\"rules\":[]}", images, result, now, "app", ""};
  }
  /// With the in-use list and its violations.
  [[nodiscard]] ecrlp::preview_document with_in_use() const {
    ecrlp::preview_document doc = plain();
    doc.in_use_refs = &refs;
    doc.in_use = &matches;
    doc.violations = &violations;
    return doc;
  }
  /// With everything.
  [[nodiscard]] ecrlp::preview_document full() const {
    ecrlp::preview_document doc = with_in_use();
    doc.impact = &im;
    return doc;
  }
};

std::vector<std::string> lines_of(const std::string& text, std::string_view eol = "\n") {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find(eol, at);
    out.push_back(text.substr(at, end - at));
    if (end == std::string::npos) break;
    at = end + eol.size();
  }
  return out;
}

}  // namespace

TEST_CASE("the fixture has the violations the reports are about", "[report][in_use]") {
  const fixture f;
  REQUIRE(f.result.decisions[0].action == ecrlp::fate::expire);
  REQUIRE(f.result.decisions[1].action == ecrlp::fate::transition);
  REQUIRE(f.result.decisions[2].action == ecrlp::fate::expire);
  REQUIRE(f.result.decisions[3].action == ecrlp::fate::keep);
  REQUIRE(f.violations.size() == 2);
  CHECK(f.violations[0].image_index == 1);
  CHECK(f.violations[1].image_index == 2);
  CHECK(f.violations[0].refs == std::vector<std::size_t>{0, 3});
}

TEST_CASE("money and prices print as dollars and cents", "[report][impact]") {
  using ecrlp::detail::dollars_text;
  using ecrlp::detail::price_text;
  CHECK(dollars_text(0) == "$0.00");
  CHECK(dollars_text(0.004) == "$0.00");
  CHECK(dollars_text(0.005) == "$0.01");
  CHECK(dollars_text(1234.5) == "$1,234.50");
  CHECK(dollars_text(-0.3) == "-$0.30");
  CHECK(dollars_text(1e6) == "$1,000,000.00");
  CHECK(price_text(0.1) == "$0.10");
  CHECK(price_text(0.07) == "$0.07");
  CHECK(price_text(0.0125) == "$0.0125");
  CHECK(price_text(2) == "$2.00");
  CHECK(ecrlp::detail::prices_text({.standard_per_gb_month = 0.1, .archive_per_gb_month = 0.07}) ==
        "standard $0.10, archive $0.07 per GB-month (GB = 2^30 bytes)");
  CHECK(ecrlp::detail::prices_text({.bytes_per_gb = 1'000'000'000}) ==
        "standard $0.10, archive $0.10 per GB-month (GB = 1,000,000,000 bytes)");
}

TEST_CASE("references are grouped by text, with their count and first place", "[report][in_use]") {
  auto list = ecrlp::parse_in_use("a:v1\nb:v2\na:v1\nc:v3\n", "f.txt");
  REQUIRE(list.ok());
  const auto& refs = list.value->refs;
  const std::vector<std::size_t> all = {0, 1, 2, 3, 99};  // 99: out of range, skipped
  CHECK(ecrlp::detail::reference_groups(refs, all) ==
        std::vector<std::string>{"a:v1 (2 references, first f.txt:1:1)", "b:v2 (f.txt:2:1)",
                                 "c:v3 (f.txt:4:1)"});
  CHECK(ecrlp::detail::reference_groups(refs, all, 1) ==
        std::vector<std::string>{"a:v1 (2 references, first f.txt:1:1)", "and 2 more"});
}

TEST_CASE("without in-use data or impact the reports are unchanged", "[report][in_use]") {
  const fixture f;
  const auto plain = f.plain();
  for (const std::string& text :
       {ecrlp::render(plain, ecrlp::output_format::text), ecrlp::render(plain, ecrlp::output_format::json),
        ecrlp::render(plain, ecrlp::output_format::csv), ecrlp::render(plain, ecrlp::output_format::html)}) {
    CHECK(text.find("IN USE") == std::string::npos);
    CHECK(text.find("In use") == std::string::npos);
    CHECK(text.find("inUse") == std::string::npos);
    CHECK(text.find("in-use") == std::string::npos);
    CHECK(text.find("mpact") == std::string::npos);
  }
  // The byte-for-byte comparison with the output of earlier versions is the CLI's golden files
  // (tests/golden/tc8-preview.*, ctest -R cli.preview).
}

TEST_CASE("table: the in-use block comes first, every violation with its references",
          "[report][in_use]") {
  const fixture f;
  const std::string plain = ecrlp::render(f.plain(), ecrlp::output_format::text);
  const std::string text = ecrlp::render(f.with_in_use(), ecrlp::output_format::text);
  const auto lines = lines_of(text);
  REQUIRE(lines.size() > 9);
  CHECK(lines[0] == "IN USE - would be removed: 2 of 3 running images");
  CHECK(lines[1] == "  TRANSITION by rule 1: " + digest('1'));
  CHECK(lines[2] == "      tags: prod-1; pushed 2024-12-22T00:00:00+00:00; 10.0 GiB");
  CHECK(lines[3] ==
        "      in use as: app:prod-1 (2 references, first running.txt:1:1)");
  CHECK(lines[4] == "  EXPIRE by rule 2: " + digest('2'));
  CHECK(lines[5] == "      tags: <untagged>; pushed 2025-01-11T00:00:00+00:00; 3.0 GiB");
  CHECK(lines[6] == "      in use as: app@" + digest('2') + " (running.txt:3:1)");
  CHECK(lines[7].empty());
  CHECK(lines[8].starts_with("Lifecycle policy preview of app"));
  // The rest is the report without in-use data, the in-use rows marked.
  std::string rest = text.substr(text.find("Lifecycle policy preview"));
  CHECK(html_test::count(rest, "  [IN USE]\n") == 2);
  for (std::size_t at; (at = rest.find("  [IN USE]")) != std::string::npos;) rest.erase(at, 10);
  CHECK(rest == plain);
  // A row that is not in use is not marked.
  const auto old_row = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
    return l.find("sha256:000000000000") != std::string::npos;
  });
  REQUIRE(old_row != lines.end());
  CHECK(old_row->ends_with("  old"));
}

TEST_CASE("table: an in-use list that nothing violates says so", "[report][in_use]") {
  const fixture f("app:dev\n");
  REQUIRE(f.violations.empty());
  const std::string text = ecrlp::render(f.with_in_use(), ecrlp::output_format::text);
  CHECK(text.starts_with("In use: 1 running image; none is expired or transitioned.\n\n"
                         "Lifecycle policy preview of app"));
  CHECK(text.find("[IN USE]") == std::string::npos);
}

TEST_CASE("table: the impact section has compute_impact's figures", "[report][impact]") {
  const fixture f;
  const std::string plain = ecrlp::render(f.plain(), ecrlp::output_format::text);
  ecrlp::preview_document doc = f.plain();
  doc.impact = &f.im;
  const std::string text = ecrlp::render(doc, ecrlp::output_format::text);
  REQUIRE(text.starts_with(plain));  // no warnings here: the section comes last
  const auto lines = lines_of(text.substr(plain.size()));
  // Independent arithmetic: 16 GiB standard before; after, 1 GiB standard and 10 GiB archive.
  const std::vector<std::string> expected = {
      "",
      "Impact (USD; standard $0.10, archive $0.07 per GB-month (GB = 2^30 bytes))",
      "  Bytes freed: 5.0 GiB (5,368,709,120 bytes) in 2 images",
      "  Monthly storage cost: $1.60 before, $0.80 after, saving $0.80",
      "  Archive minimum charge: $2.10 once, for 10.0 GiB transitioned (90 days at the archive "
      "price, even if deleted or restored sooner)",
      "  Findings          Total   Critical       High     Medium        Low       Info  Undefined",
      "    before             11          2          5          3          1          0          0",
      "    after               5          0          4          0          1          0          0",
      "    removed             6          2          1          3          0          0          0",
      "      Rule    Expired       Freed  Transitioned    Archived  Saving a month  Findings removed",
      "         1          0         0 B             1    10.0 GiB           $0.30                 0",
      "         2          2     5.0 GiB             0         0 B           $0.50                 6",
  };
  CHECK(lines == expected);
  // And the same figures from the library.
  CHECK(f.im.bytes_freed() == 5 * gib);
  CHECK(ecrlp::to_cents(f.im.monthly_cost_before()) == 160);
  CHECK(ecrlp::to_cents(f.im.monthly_cost_after()) == 80);
  CHECK(ecrlp::to_cents(f.im.archive_minimum_charge()) == 210);
}

TEST_CASE("JSON: violations before previewResults: the rest unchanged", "[report][in_use]") {
  const fixture f;
  const auto plain = ordered_json::parse(ecrlp::render(f.plain(), ecrlp::output_format::json));
  auto j = ordered_json::parse(ecrlp::render(f.with_in_use(), ecrlp::output_format::json));
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"repositoryName", "lifecyclePolicyText", "status",
                                         "ecrlpInUseViolations", "previewResults", "summary",
                                         "ecrlpReport"});
  const auto& v = j["ecrlpInUseViolations"];
  REQUIRE(v.size() == 2);
  CHECK(v[0]["imageDigest"] == digest('1'));
  CHECK(v[0]["imageTags"] == ordered_json::array({"prod-1"}));
  CHECK(v[0]["imageSizeInBytes"] == 10 * gib);
  CHECK(v[0]["action"] == ordered_json({{"type", "TRANSITION"}, {"targetStorageClass", "ARCHIVE"}}));
  CHECK(v[0]["appliedRulePriority"] == 1);
  CHECK(v[0]["storageClass"] == "STANDARD");
  CHECK_FALSE(v[0].contains("relation"));
  CHECK_FALSE(v[0].contains("throughIndexes"));
  REQUIRE(v[0]["references"].size() == 2);  // both occurrences of app:prod-1
  CHECK(v[0]["references"][0] == ordered_json({{"reference", "app:prod-1"},
                                               {"source", "running.txt"},
                                               {"line", 1},
                                               {"column", 1}}));
  CHECK(v[0]["references"][1]["line"] == 5);
  CHECK(v[1]["imageDigest"] == digest('2'));
  CHECK_FALSE(v[1].contains("imageTags"));
  CHECK(v[1]["action"] == ordered_json({{"type", "EXPIRE"}}));
  CHECK(v[1]["appliedRulePriority"] == 2);
  CHECK(v[1]["references"][0]["reference"] == "app@" + digest('2'));
  // previewResults: the in-use ones are marked; removing the marks and the violations gives the
  // document without in-use data.
  const auto& results = j["previewResults"];
  REQUIRE(results.size() == 3);
  CHECK_FALSE(results[0].contains("ecrlpInUse"));  // the old image: not in use
  CHECK(results[1]["ecrlpInUse"] == true);
  CHECK(results[2]["ecrlpInUse"] == true);
  for (auto& r : j["previewResults"]) r.erase("ecrlpInUse");
  j.erase("ecrlpInUseViolations");
  CHECK(j == plain);
}

TEST_CASE("JSON: an in-use list with no violation gives an empty array", "[report][in_use]") {
  const fixture f("app:dev\n");
  const auto j = ordered_json::parse(ecrlp::render(f.with_in_use(), ecrlp::output_format::json));
  REQUIRE(j.contains("ecrlpInUseViolations"));
  CHECK(j["ecrlpInUseViolations"].empty());
  for (const auto& r : j["previewResults"]) CHECK_FALSE(r.contains("ecrlpInUse"));
}

TEST_CASE("JSON: ecrlpReport.impact holds compute_impact's figures", "[report][impact]") {
  const fixture f;
  const auto plain = ordered_json::parse(ecrlp::render(f.plain(), ecrlp::output_format::json));
  auto j = ordered_json::parse(ecrlp::render(f.full(), ecrlp::output_format::json));
  const auto& im = j["ecrlpReport"]["impact"];
  CHECK(im["currency"] == "USD");
  CHECK(im["prices"] == ordered_json({{"standardPerGbMonth", 0.10},
                                      {"archivePerGbMonth", 0.07},
                                      {"archiveMinimumDays", 90},
                                      {"bytesPerGb", gib}}));
  CHECK(im["bytesFreed"] == f.im.bytes_freed());
  const auto cents = [](const ordered_json& dollars) {
    return std::llround(dollars.get<double>() * 100.0);
  };
  CHECK(cents(im["monthlyCostBefore"]) == ecrlp::to_cents(f.im.monthly_cost_before()));
  CHECK(cents(im["monthlyCostAfter"]) == ecrlp::to_cents(f.im.monthly_cost_after()));
  CHECK(cents(im["monthlySaving"]) == ecrlp::to_cents(f.im.monthly_saving()));
  CHECK(cents(im["archiveMinimumCharge"]) == ecrlp::to_cents(f.im.archive_minimum_charge()));
  CHECK(im["monthlyCostBefore"] == 1.6);
  CHECK(im["archiveMinimumCharge"] == 2.1);
  CHECK(im["before"]["images"] == 4);
  CHECK(im["before"]["findings"]["total"] == 11);
  CHECK(im["after"]["findings"]["HIGH"] == 4);
  CHECK(im["expired"]["findings"]["CRITICAL"] == 2);
  CHECK(im["beforeBytes"] == ordered_json({{"standard", 16 * gib}, {"archive", 0}}));
  CHECK(im["afterBytes"] == ordered_json({{"standard", 1 * gib}, {"archive", 10 * gib}}));
  REQUIRE(im["rules"].size() == 2);
  CHECK(im["rules"][0]["rulePriority"] == 1);
  CHECK(im["rules"][0]["transitioned"]["bytes"] == 10 * gib);
  CHECK(im["rules"][0]["monthlySaving"] == 0.3);
  CHECK(im["rules"][1]["expired"]["images"] == 2);
  CHECK(im["rules"][1]["expiredBytes"]["standard"] == 5 * gib);
  CHECK(im["rules"][1]["monthlySaving"] == 0.5);
  // The totals agree with summarize()'s, and nothing else changed.
  CHECK(im["after"] == j["ecrlpReport"]["totals"]["after"]);
  CHECK(im["expired"] == j["ecrlpReport"]["totals"]["expired"]);
  j["ecrlpReport"].erase("impact");
  for (auto& r : j["previewResults"]) r.erase("ecrlpInUse");
  j.erase("ecrlpInUseViolations");
  CHECK(j == plain);
}

TEST_CASE("CSV: an inUse column, violations first", "[report][in_use]") {
  const fixture f;
  const auto plain = lines_of(ecrlp::render(f.plain(), ecrlp::output_format::csv), "\r\n");
  const auto rows = lines_of(ecrlp::render(f.with_in_use(), ecrlp::output_format::csv), "\r\n");
  REQUIRE(plain.size() == 5);
  REQUIRE(rows.size() == 5);
  CHECK(rows[0] == plain[0] + ",inUse");
  // plain: oldest first (0, 1, 2, 3); with in-use data: the violations 1 and 2, then 0 and 3.
  CHECK(rows[1] == plain[2] + ",true");
  CHECK(rows[2] == plain[3] + ",true");
  CHECK(rows[3] == plain[1] + ",false");
  CHECK(rows[4] == plain[4] + ",true");  // in use, kept: not a violation
  CHECK(rows[1].starts_with(digest('1')));
  // Impact is not a CSV thing: the same output with it.
  CHECK(ecrlp::render(f.full(), ecrlp::output_format::csv) == ecrlp::render(f.with_in_use(), ecrlp::output_format::csv));
}

TEST_CASE("HTML: the in-use panel first, in-use rows marked, an impact panel", "[report][in_use][html]") {
  const fixture f;
  const std::string page = ecrlp::render(f.full(), ecrlp::output_format::html);
  INFO(page.substr(0, 4000));
  CHECK(html_test::xml_problem(page).empty());
  CHECK(html_test::self_contained(page));
  const auto panel = page.find("<div id=\"in-use\"");
  const auto summary = page.find("<p>At <code>");
  const auto impact = page.find("<h2>Impact</h2>");
  const auto rules = page.find("<h2>Rules</h2>");
  REQUIRE(panel != std::string::npos);
  CHECK(panel < summary);
  CHECK(page.find("IN USE: 2 of 3 running images would be removed") != std::string::npos);
  CHECK(html_test::count(page, "id=\"in-use-violations\"") == 1);
  // The panel's table lists both violations, oldest first.
  const std::string table = page.substr(panel, summary - panel);
  CHECK(html_test::count(table, "<tr><td>") == 2);
  CHECK(table.find(digest('1')) < table.find(digest('2')));
  CHECK(table.find("app:prod-1 (2 references, first running.txt:1:1)") != std::string::npos);
  CHECK(table.find(digest('0')) == std::string::npos);
  // Affected images: the in-use rows marked (2 of 3), with the references in the explanation.
  CHECK(html_test::count(page, "<tr class=\"in-use\"") == 2);
  CHECK(page.find("in use as app:prod-1 (2 references") != std::string::npos);
  // Impact, between the before/after charts and the rules.
  REQUIRE(impact != std::string::npos);
  CHECK(impact < rules);
  for (const char* id : {"id=\"impact-cost\"", "id=\"impact-findings\"", "id=\"impact-rules\"",
                         "id=\"impact-summary\""}) {
    CHECK(html_test::count(page, id) == 1);
  }
  CHECK(page.find("<strong>$1.60</strong> before, <strong>$0.80</strong> after, saving "
                  "<strong>$0.80</strong>") != std::string::npos);
  CHECK(page.find("Archive minimum charge: <strong>$2.10</strong>") != std::string::npos);
  CHECK(page.find(">11 findings</text>") != std::string::npos);
  CHECK(page.find(">5 findings</text>") != std::string::npos);
}

TEST_CASE("HTML: an in-use list with no violation shows a reassuring panel only",
          "[report][in_use][html]") {
  const fixture f("app:dev\n");
  const std::string page = ecrlp::render(f.with_in_use(), ecrlp::output_format::html);
  CHECK(html_test::xml_problem(page).empty());
  CHECK(page.find("<strong>In use:</strong> 1 running image; none is expired or transitioned.") !=
        std::string::npos);
  CHECK(page.find("in-use-violations") == std::string::npos);
  CHECK(page.find("<tr class=\"in-use\"") == std::string::npos);
  CHECK(page.find("<h2>Impact</h2>") == std::string::npos);
}

TEST_CASE("HTML: hostile reference text is escaped", "[report][in_use][html]") {
  // A reference's text is its parsed form; a JSON source name is the file name: both escaped.
  const fixture f;
  std::vector<ecrlp::in_use_ref> refs = f.refs;
  refs[0].source = "<pods & \"more\">.json";
  ecrlp::preview_document doc = f.with_in_use();
  doc.in_use_refs = &refs;
  const std::string page = ecrlp::render(doc, ecrlp::output_format::html);
  CHECK(html_test::xml_problem(page).empty());
  CHECK(page.find("&lt;pods &amp; &quot;more&quot;&gt;.json:1:1") != std::string::npos);
}

TEST_CASE("an image in use through its index: the index is named in every format",
          "[report][in_use]") {
  // Evaluated image by image (--independent-images): rule 2 keeps only the newest image, so the
  // child of the in-use index expires while the index stays.
  ecrlp::lifecycle_policy policy = make_policy();
  std::vector<ecrlp::image> images = {
      make_image('c', {}, 24h * 30, 100, {}),          // the child
      make_image('i', {"v2"}, 24h * 10, 200, {}),      // the index listing it
  };
  images[1].manifest = ecrlp::manifest_kind::index;
  const std::vector<ecrlp::index_manifest> indexes = {{digest('i'), {digest('c')}}};
  const auto result = ecrlp::evaluate(policy, images, {.now = now});
  REQUIRE(result.decisions[0].action == ecrlp::fate::expire);
  REQUIRE(result.decisions[1].action == ecrlp::fate::keep);
  auto list = ecrlp::parse_in_use("app:v2\n", "running.txt");
  REQUIRE(list.ok());
  const auto matches = ecrlp::match_in_use(list.value->refs, "app", "", images, indexes);
  const auto violations = ecrlp::find_violations(matches, result);
  REQUIRE(violations.size() == 1);
  REQUIRE(violations[0].through == std::vector<std::size_t>{1});

  ecrlp::preview_document doc{policy, "{}", images, result, now, "app", ""};
  doc.in_use_refs = &list.value->refs;
  doc.in_use = &matches;
  doc.violations = &violations;

  const auto lines = lines_of(ecrlp::render(doc, ecrlp::output_format::text));
  REQUIRE(lines.size() > 5);
  CHECK(lines[0] == "IN USE - would be removed: 1 of 2 running images");
  CHECK(lines[1] == "  EXPIRE by rule 2: " + digest('c'));
  CHECK(lines[3] == "      in use as: app:v2 (running.txt:1:1)");  // the index's reference
  CHECK(lines[4] == "      through index: " + digest('i') + " v2");

  const auto j = ordered_json::parse(ecrlp::render(doc, ecrlp::output_format::json));
  REQUIRE(j["ecrlpInUseViolations"].size() == 1);
  CHECK(j["ecrlpInUseViolations"][0]["throughIndexes"] ==
        ordered_json::array({{{"imageTags", {"v2"}}, {"imageDigest", digest('i')}}}));
  CHECK(j["ecrlpInUseViolations"][0]["references"][0]["reference"] == "app:v2");

  const std::string page = ecrlp::render(doc, ecrlp::output_format::html);
  CHECK(html_test::xml_problem(page).empty());
  CHECK(page.find("through index <code>" + digest('i') + "</code>") != std::string::npos);
  CHECK(page.find("in use through index " + digest('i')) != std::string::npos);
}
