// SPDX-License-Identifier: MIT
// The HTML reports (include/ecrlp/html_report.hpp): well-formed (checked by a small XML
// tokenizer here; tests/cli_tests.cmake also runs xmllint when installed), self-contained (no
// external resource), charts drawn from the data, text escaped.

#include <ecrlp/evaluate.hpp>
#include <ecrlp/html_report.hpp>
#include <ecrlp/report.hpp>
#include <ecrlp/simulate.hpp>
#include <ecrlp/simulate_report.hpp>

#include "catch.hpp"
#include "html_test_util.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
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

ecrlp::image make_image(const std::string& name, std::vector<std::string> tags, timestamp pushed,
                        std::uint64_t size) {
  ecrlp::image i;
  i.digest = "sha256:" + name;
  i.tags = std::move(tags);
  i.pushed_at = pushed;
  i.size_bytes = size;
  return i;
}

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
  const std::string html = ecrlp::render_preview_html(doc);
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
  const std::string html = ecrlp::render_simulation_html(doc);
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
  const std::string html = ecrlp::render_simulation_html(doc);
  CHECK(xml_problem(html).empty());
  CHECK(count(html, "<polygon ") == 0);
  CHECK(count(html, "<rect ") >= 2);
}
