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

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace {

using ecrlp::timestamp;
using std::chrono::days;

const timestamp t0{std::chrono::sys_days{std::chrono::year{2025} / 3 / 1}};

/// Empty when `doc` is well-formed XML after its doctype (elements nest and close, attributes
/// are quoted, no raw '<' or '&' in text); else what is wrong and where.
std::string xml_problem(std::string_view doc) {
  std::vector<std::string> stack;
  std::size_t i = 0;
  const auto fail = [&](const std::string& what) { return what + " at byte " + std::to_string(i); };
  if (doc.starts_with("<!DOCTYPE html>")) i = doc.find('>') + 1;
  while (i < doc.size()) {
    const char c = doc[i];
    if (c == '&') {
      const std::size_t semi = doc.find(';', i);
      if (semi == std::string_view::npos || semi - i > 8) return fail("bare '&'");
      i = semi + 1;
      continue;
    }
    if (c != '<') {
      if (c == '>') return fail("bare '>'");
      ++i;
      continue;
    }
    if (doc.substr(i).starts_with("<![CDATA[")) {
      const std::size_t end = doc.find("]]>", i);
      if (end == std::string_view::npos) return fail("unterminated CDATA");
      i = end + 3;
      continue;
    }
    if (doc.substr(i).starts_with("<!--")) {
      const std::size_t end = doc.find("-->", i);
      if (end == std::string_view::npos) return fail("unterminated comment");
      i = end + 3;
      continue;
    }
    const bool closing = i + 1 < doc.size() && doc[i + 1] == '/';
    std::size_t j = i + (closing ? 2 : 1);
    const std::size_t name_start = j;
    while (j < doc.size() && (std::isalnum(static_cast<unsigned char>(doc[j])) != 0 || doc[j] == '-' || doc[j] == ':')) ++j;
    const std::string name(doc.substr(name_start, j - name_start));
    if (name.empty()) return fail("bad tag");
    bool self_closing = false;
    // attributes: name="value" or name='value'
    while (j < doc.size() && doc[j] != '>') {
      const char a = doc[j];
      if (a == '"' || a == '\'') {
        const std::size_t end = doc.find(a, j + 1);
        if (end == std::string_view::npos) return fail("unterminated attribute");
        if (doc.substr(j + 1, end - j - 1).find('<') != std::string_view::npos) return fail("'<' in attribute");
        j = end + 1;
        continue;
      }
      if (a == '=') {
        if (j + 1 >= doc.size() || (doc[j + 1] != '"' && doc[j + 1] != '\'')) return fail("unquoted attribute");
      }
      if (a == '/' && j + 1 < doc.size() && doc[j + 1] == '>') self_closing = true;
      if (a == '<') return fail("'<' in tag");
      ++j;
    }
    if (j >= doc.size()) return fail("unterminated tag");
    if (closing) {
      if (stack.empty() || stack.back() != name) {
        return fail("</" + name + "> closes <" + (stack.empty() ? std::string() : stack.back()) + ">");
      }
      stack.pop_back();
    } else if (!self_closing) {
      stack.push_back(name);
    }
    i = j + 1;
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  return {};
}

std::size_t count(std::string_view hay, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

/// No external resource: every "http" is one of the two namespace URIs.
bool self_contained(std::string_view doc) {
  const std::size_t all = count(doc, "http");
  const std::size_t ns = count(doc, "\"http://www.w3.org/2000/svg\"") +
                         count(doc, "\"http://www.w3.org/1999/xhtml\"");
  return all == ns && count(doc, " src=") == 0 && count(doc, "<link") == 0 && count(doc, "@import") == 0;
}

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
