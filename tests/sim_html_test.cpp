// SPDX-License-Identifier: MIT
// The HTML reports (include/ecrlp/html_report.hpp): well-formed (checked by a small XML
// tokenizer here; tests/cli_tests.cmake also runs xmllint when installed), self-contained (no
// external resource), charts drawn from the data, text escaped.

#include <ecrlp/evaluate.hpp>
#include <ecrlp/explain.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/simulate.hpp>

#include "catch.hpp"
#include "explain_fixtures.hpp"
#include "html_test_util.hpp"
#include "document/phrases.hpp"
#include "render/html/charts.hpp"
#include "render/html/page.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using html_test::count;
using html_test::self_contained;
using html_test::xml_problem;
using ecrlp::timestamp;
using std::chrono::days;

const timestamp t0{std::chrono::sys_days{std::chrono::year{2025} / 3 / 1}};

using explain_fixtures::make_image;

ecrlp::lifecycle_policy policy_with_odd_text() {
  ecrlp::lifecycle_policy p;
  ecrlp::rule a;
  a.priority = 1;
  a.description = "Keep <2> & \"newest\"";
  a.selection.status = ecrlp::tag_status::tagged;
  a.selection.list_kind = ecrlp::tag_list_kind::prefix;
  a.selection.tag_list = {"v"};
  a.selection.type = ecrlp::count_type::image_count_more_than;
  a.selection.count_number = 2;
  ecrlp::rule b;
  b.priority = 2;
  b.selection.status = ecrlp::tag_status::any;
  b.selection.type = ecrlp::count_type::since_image_pushed;
  b.selection.count_number = 10;
  b.action.type = ecrlp::action_type::transition;
  p.rules = {a, b};
  return p;
}

std::vector<ecrlp::image> repository() {
  return {make_image("a1", {"v1"}, t0 - days{40}, 1000), make_image("a2", {"v2<b>"}, t0 - days{30}, 2000),
          make_image("a3", {"v3"}, t0 - days{20}, 3000), make_image("a4", {"v4&x"}, t0 + days{5}, 4000),
          make_image("b1", {}, t0 - days{15}, 500), make_image("b2", {"other"}, t0 + days{12}, 700)};
}

}  // namespace

TEST_CASE("the XML checker of these tests rejects broken markup", "[simulate_html]") {
  CHECK(xml_problem("<a><b/></a>").empty());
  CHECK(xml_problem("<a x=\"1\">t &amp; u</a>").empty());
  CHECK_FALSE(xml_problem("<a><b></a>").empty());
  CHECK_FALSE(xml_problem("<a>x < y</a>").empty());
  CHECK_FALSE(xml_problem("<a>R&D</a>").empty());
  CHECK_FALSE(xml_problem("<a x=1></a>").empty());
  CHECK_FALSE(xml_problem("<a>").empty());
}

TEST_CASE("preview HTML: well-formed, self-contained, charts and escaped text", "[simulate_html]") {
  const auto policy = policy_with_odd_text();
  const auto images = repository();
  const auto result = ecrlp::evaluate(policy, images, {.now = t0 + days{20}});
  const ecrlp::preview_document doc{policy, "", images, result, t0 + days{20}, "my-repo", ""};
  const std::string html = ecrlp::render(doc, ecrlp::output_format::html);
  INFO(html);
  CHECK(xml_problem(html).empty());
  CHECK(self_contained(html));
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(count(html, "<svg ") == 4);  // images, bytes, findings before/after; rules
  CHECK(count(html, "<table class=\"sortable\"") == 2);
  CHECK(html.find("Keep &lt;2&gt; &amp; &quot;newest&quot;") != std::string::npos);
  CHECK(html.find("v2&lt;b&gt;") != std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  // one row per affected image
  const auto totals = ecrlp::summarize(images, result);
  const std::size_t affected = totals.expired.images + totals.transitioned.images;
  REQUIRE(affected > 0);
  const std::size_t start = html.find("<table class=\"sortable\" id=\"images\"");
  REQUIRE(start != std::string::npos);
  CHECK(count(std::string_view(html).substr(start), "<tr>") == affected + 1);
}

TEST_CASE("simulation HTML: stacked areas follow the steps", "[simulate_html]") {
  const auto policy = policy_with_odd_text();
  const auto images = repository();
  const ecrlp::simulation_options options{.from = t0, .to = t0 + days{30}};
  const auto result = ecrlp::simulate(policy, images, options);
  REQUIRE(result.ok());
  const std::vector<ecrlp::simulation_watch> watches = {{"v4&x", ecrlp::find_watched(images, "v4&x")}};
  const ecrlp::simulation_document doc{policy, images, options, result, watches};
  const std::string html = ecrlp::render(doc, ecrlp::output_format::html);
  INFO(html);
  CHECK(xml_problem(html).empty());
  CHECK(self_contained(html));
  CHECK(count(html, "<svg ") == 3);  // images over time, bytes over time, rules
  // three storage classes in each of the two stacked charts, each a polygon of 2 x 31 points
  CHECK(count(html, "<polygon ") == 6);
  const std::size_t poly = html.find("<polygon points=\"");
  REQUIRE(poly != std::string::npos);
  const std::size_t end = html.find('"', poly + 17);
  CHECK(count(std::string_view(html).substr(poly + 17, end - poly - 17), ",") == 2 * 31);
  CHECK(html.find("id=\"images-over-time\"") != std::string::npos);
  CHECK(html.find("id=\"bytes-over-time\"") != std::string::npos);
  CHECK(html.find("<code>v4&amp;x</code>") != std::string::npos);  // the watch
  CHECK(count(html, "<table class=\"sortable\"") == 2);
  // the maximum of the images chart is the largest total after a step
  std::size_t max_images = 0;
  for (const auto& s : result.steps) max_images = std::max(max_images, s.total().images);
  CHECK(html.find("text-anchor=\"end\">" + std::to_string(max_images) + "</text>") != std::string::npos);
}

TEST_CASE("simulation HTML of one step draws bars", "[simulate_html]") {
  const auto policy = policy_with_odd_text();
  const auto images = repository();
  const ecrlp::simulation_options options{.from = t0, .to = t0};
  const auto result = ecrlp::simulate(policy, images, options);
  const ecrlp::simulation_document doc{policy, images, options, result, {}};
  const std::string html = ecrlp::render(doc, ecrlp::output_format::html);
  CHECK(xml_problem(html).empty());
  CHECK(count(html, "<polygon ") == 0);
  CHECK(count(html, "<rect ") >= 2);
}

// ---- Explanations on demand in the simulation page ([sim_html])
// ----------------------------------

namespace {

/// rel-* images go to archive 10 days after their push; archived images expire 5 days after
/// their archiving; of the untagged images only the newest is kept.
ecrlp::lifecycle_policy archive_then_expire_policy() {
  ecrlp::lifecycle_policy p;
  ecrlp::rule archive;
  archive.priority = 1;
  archive.selection.status = ecrlp::tag_status::tagged;
  archive.selection.list_kind = ecrlp::tag_list_kind::prefix;
  archive.selection.tag_list = {"rel"};
  archive.selection.type = ecrlp::count_type::since_image_pushed;
  archive.selection.count_number = 10;
  archive.action.type = ecrlp::action_type::transition;
  ecrlp::rule gone;
  gone.priority = 2;
  gone.selection.status = ecrlp::tag_status::any;
  gone.selection.storage = ecrlp::storage_class::archive;
  gone.selection.type = ecrlp::count_type::since_image_transitioned;
  gone.selection.count_number = 5;
  ecrlp::rule untagged;
  untagged.priority = 3;
  untagged.selection.status = ecrlp::tag_status::untagged;
  untagged.selection.type = ecrlp::count_type::image_count_more_than;
  untagged.selection.count_number = 1;
  p.rules = {archive, gone, untagged};
  return p;
}

/// r2 and u2 are pushed after the first step (replay: they join at steps 2 and 4).
std::vector<ecrlp::image> replay_repository() {
  return {make_image("r1", {"rel-1"}, t0 - days{20}, 100),
          make_image("r2", {"rel-2"}, t0 + days{2}, 200), make_image("u1", {}, t0 - days{3}, 300),
          make_image("u2", {}, t0 + days{4}, 400), make_image("k1", {"keep"}, t0 - days{100}, 500)};
}

/// What `ecrlp explain` prints for image `i` of `images` at `now`, as the page shows it: the
/// digest, then the explanation's lines without the heading, the digest line and two spaces of
/// indentation (HTML-escaped).
std::string expected_why(const ecrlp::lifecycle_policy& policy,
                         const std::vector<ecrlp::image>& images, std::size_t i, timestamp now) {
  const ecrlp::explainer ex(policy, images, now);
  std::ostringstream text;
  const std::size_t which[] = {i};
  ecrlp::render(text, ecrlp::explain_document{ex, which}, ecrlp::output_format::text);
  std::istringstream in(text.str());
  std::string line;
  std::string out = images[i].digest;
  bool body = false;
  while (std::getline(in, line)) {
    if (!body) {  // the heading, a blank line, then the digest line
      body = line == images[i].digest;
      continue;
    }
    out += "\n" + (line.starts_with("  ") ? line.substr(2) : line);
  }
  return ecrlp::writer::html::html_escape(out);
}

/// The unfolded text of the n-th (0-based) row of `table` whose digest cell is `digest`.
std::string shown_why(std::string_view html, std::string_view table, const std::string& digest,
                      std::size_t n) {
  std::size_t at = html.find("id=\"" + std::string(table) + "\"");
  if (at == std::string_view::npos) return "no table " + std::string(table);
  const std::size_t end = html.find("</table>", at);
  const std::string cell = "<td data-v=\"" + digest + "\"><details>";
  for (std::size_t k = 0;; ++k) {
    at = html.find(cell, at + 1);
    if (at == std::string_view::npos || at > end)
      return "no row " + std::to_string(n) + " for " + digest;
    if (k == n) break;
  }
  const std::size_t pre = html.find("<pre class=\"why\">", at) + 17;
  return std::string(html.substr(pre, html.find("</pre>", pre) - pre));
}

}  // namespace

TEST_CASE("simulation HTML: each image's explanation is explain's at the step it leaves",
          "[sim_html][simulate_html]") {
  const auto policy = archive_then_expire_policy();
  const auto images = replay_repository();
  const ecrlp::simulation_options options{.from = t0, .to = t0 + days{30}};
  const auto result = ecrlp::simulate(policy, images, options);
  REQUIRE(result.ok());
  // The story the hand-built states below assume.
  const auto& r1 = result.images[0];
  const auto& r2 = result.images[1];
  REQUIRE(r1.transitioned == 0U);
  REQUIRE(r1.expired == 6U);
  REQUIRE(r2.joined == 2U);
  REQUIRE(r2.transitioned == 13U);
  REQUIRE(r2.expired == 19U);
  REQUIRE(result.images[2].expired == 4U);
  REQUIRE(result.images[3].joined == 4U);
  const ecrlp::simulation_document doc{policy, images, options, result, {}};
  const std::string html = ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = 0});
  INFO(html);
  CHECK(xml_problem(html).empty());
  CHECK(self_contained(html));
  CHECK(count(html, "<pre class=\"why\">") == 5);

  // The repository at each step, rebuilt by hand from the story: present images, archived ones
  // ARCHIVED with lastArchivedAt = the step they were archived at.
  const auto archived = [](ecrlp::image img, timestamp when) {
    img.status = ecrlp::image_status::archived;
    img.last_archived_at = when;
    return img;
  };
  const auto& [i_r1, i_r2, i_u1, i_u2, i_k1] = std::array<std::size_t, 5>{0, 1, 2, 3, 4};
  const auto at = [&](std::size_t k) { return t0 + days{static_cast<int>(k)}; };
  // step 0: r1 is archived (and it is ACTIVE in the state explained)
  const std::vector<ecrlp::image> s0 = {images[i_r1], images[i_u1], images[i_k1]};
  CHECK(shown_why(html, "events", "sha256:r1", 0) == expected_why(policy, s0, 0, at(0)));
  // step 4: u1 expires (u2 joined at this step; r2 at step 2; r1 archived at step 0)
  const std::vector<ecrlp::image> s4 = {archived(images[i_r1], at(0)), images[i_r2], images[i_u1],
                                        images[i_u2], images[i_k1]};
  CHECK(shown_why(html, "events", "sha256:u1", 0) == expected_why(policy, s4, 2, at(4)));
  // step 6: the archived r1 expires (sinceImageTransitioned, from its archiving at step 0)
  const std::vector<ecrlp::image> s6 = {archived(images[i_r1], at(0)), images[i_r2], images[i_u2],
                                        images[i_k1]};
  const std::string r1_gone = shown_why(html, "events", "sha256:r1", 1);
  CHECK(r1_gone == expected_why(policy, s6, 0, at(6)));
  CHECK(r1_gone.find("ARCHIVED") != std::string::npos);
  CHECK(r1_gone.find("expired by rule 2.") != std::string::npos);
  // Not the explanation of the inventory as recorded (r1 ACTIVE, never archived) at that instant.
  CHECK(r1_gone != expected_why(policy, images, 0, at(6)));
  // step 13: r2 is archived; step 19: it expires
  const std::vector<ecrlp::image> s13 = {images[i_r2], images[i_u2], images[i_k1]};
  CHECK(shown_why(html, "events", "sha256:r2", 0) == expected_why(policy, s13, 0, at(13)));
  const std::vector<ecrlp::image> s19 = {archived(images[i_r2], at(13)), images[i_u2],
                                         images[i_k1]};
  CHECK(shown_why(html, "events", "sha256:r2", 1) == expected_why(policy, s19, 0, at(19)));
  CHECK(shown_why(html, "events", "sha256:r2", 0).find("transitioned to archive by rule 1.") !=
        std::string::npos);
}

TEST_CASE("simulation HTML: explanations agree with the simulation's events, forecast included",
          "[sim_html][simulate_html]") {
  // A moving "latest" tag pushed daily: each push leaves the previous image untagged, and the
  // untagged ones expire 2 days after their push; the explanation at the step must see the image
  // untagged (its tag moved), else no rule would expire it.
  ecrlp::lifecycle_policy policy;
  ecrlp::rule untagged;
  untagged.priority = 5;
  untagged.selection.status = ecrlp::tag_status::untagged;
  untagged.selection.type = ecrlp::count_type::since_image_pushed;
  untagged.selection.count_number = 2;
  policy.rules = {untagged};
  const std::vector<ecrlp::image> images = {make_image("l0", {"latest"}, t0 - days{1}, 10),
                                            make_image("x0", {"x"}, t0 - days{9}, 10)};
  ecrlp::simulation_options options{.from = t0, .to = t0 + days{12}};
  options.pushes.push_back({"latest", 1, 10});
  const auto result = ecrlp::simulate(policy, images, options);
  REQUIRE(result.ok());
  const ecrlp::simulation_document doc{policy, images, options, result, {}};
  const std::string html = ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = 0});
  CHECK(xml_problem(html).empty());
  std::size_t rows = 0;
  for (std::size_t i = 0; i < result.images.size(); ++i) {
    const auto& line = result.images[i];
    if (!line.expired) continue;
    const auto& img = i < images.size() ? images[i] : result.synthetic[i - images.size()];
    INFO(img.digest);
    const std::string why = shown_why(html, "events", img.digest, 0);
    CHECK(why.find("expired by rule 5.") != std::string::npos);
    CHECK(why.find("; untagged\n") != std::string::npos);  // its tag moved to a later push
    ++rows;
  }
  CHECK(rows >= 8);  // l0 and most synthetic pushes
  CHECK(count(html, "<pre class=\"why\">") == rows);
}

TEST_CASE("simulation HTML: the row cap is stated and applied", "[sim_html][simulate_html]") {
  const auto policy = archive_then_expire_policy();
  const auto images = replay_repository();
  const ecrlp::simulation_options options{.from = t0, .to = t0 + days{30}};
  const auto result = ecrlp::simulate(policy, images, options);
  const ecrlp::simulation_document doc{policy, images, options, result, {}};
  const auto events_rows = [](const std::string& html) {
    const std::size_t start = html.find("id=\"events\"");
    return count(std::string_view(html).substr(start, html.find("</table>", start) - start), "<tr");
  };
  const std::string capped = ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = 2});
  CHECK(xml_problem(capped).empty());
  CHECK(events_rows(capped) == 1 + 2);
  CHECK(count(capped, "<pre class=\"why\">") == 2);
  CHECK(capped.find("The first 2 of 5 archive and expiry events, in step order, are listed (at "
                    "most 2 rows, each with its explanation)") != std::string::npos);
  // the first two in step order: r1 archived at step 0, u1 expired at step 4
  CHECK(capped.find("<td data-v=\"sha256:r1\"><details>") != std::string::npos);
  CHECK(capped.find("<td data-v=\"sha256:u1\"><details>") != std::string::npos);
  CHECK(capped.find("<td data-v=\"sha256:r2\"><details>") == std::string::npos);
  const std::string all = ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = 0});
  CHECK(events_rows(all) == 1 + 5);
  CHECK(all.find("All 5 archive and expiry events are listed (every row") != std::string::npos);
  // The default lists up to 1,000 rows.
  CHECK(ecrlp::render(doc, ecrlp::output_format::html) ==
        ecrlp::render(doc, ecrlp::output_format::html, {.max_rows = 1000}));
}
