// SPDX-License-Identifier: MIT
//
// write_explain_json streams its output (lib/json_writer.hpp) instead of dumping an
// nlohmann::ordered_json tree per image and indenting it into place. The bytes must be exactly
// what that renderer printed: it is kept below as the oracle, and both run on random
// repositories and policies (explain_fixtures.hpp), some of whose tags and digests need escaping.

#include <ecrlp/explain.hpp>
#include <ecrlp/render.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "explain_fixtures.hpp"

namespace {

using ordered_json = nlohmann::ordered_json;
using namespace ecrlp;

// ---- the renderer before streaming, as the oracle ---------------------------------------------

ordered_json limit_json(const limit_check& c) {
  ordered_json j;
  j["countType"] = to_string(c.type);
  j["countNumber"] = c.limit;
  j["identified"] = c.identified;
  if (c.type == count_type::image_count_more_than) {
    j["rank"] = c.rank;
  } else if (c.reference) {
    j["reference"] = to_string(c.reference->kind);
    j["referenceField"] = field_name(c.reference->kind);
    j["referenceTime"] = format_timestamp(c.reference->at);
    j["ageDays"] = c.age_days();
  } else {
    j["reference"] = nullptr;
  }
  j["pastLimit"] = c.past_limit;
  return j;
}

ordered_json image_json(const explainer& ex, const image_explanation& e) {
  const image& img = ex.images()[e.image_index];
  ordered_json j;
  j["imageDigest"] = img.digest;
  j["imageTags"] = img.tags;
  j["imagePushedAt"] = format_timestamp(img.pushed_at);
  if (img.last_pulled_at) j["lastRecordedPullTime"] = format_timestamp(*img.last_pulled_at);
  if (img.last_activated_at) j["lastActivatedAt"] = format_timestamp(*img.last_activated_at);
  if (img.last_archived_at) j["lastArchivedAt"] = format_timestamp(*img.last_archived_at);
  j["imageStatus"] = to_string(img.status);
  j["imageSizeInBytes"] = img.size_bytes;
  j["fate"] = to_string(e.action);
  j["ownerRulePriority"] = e.owner ? ordered_json(*e.owner) : ordered_json(nullptr);
  if (e.related != relation::none) {
    j["relation"] = to_string(e.related);
    j["relatedTo"] = ex.images()[e.related_to].digest;
    if (e.related == relation::referrer) j["chainEnd"] = ex.images()[e.chain_end].digest;
  }
  ordered_json rules = ordered_json::array();
  for (const auto& re : e.rules) {
    const rule& r = ex.policy().rules[re.rule_index];
    ordered_json jr;
    jr["rulePriority"] = re.priority;
    jr["role"] = to_string(re.role);
    jr["selection"] = to_string(re.outcome);
    jr["action"] = to_string(r.action.type);
    if (!re.entries.empty()) {
      ordered_json matches = ordered_json::array();
      for (const auto& m : re.entries) {
        ordered_json jm;
        jm[r.selection.list_kind == tag_list_kind::prefix ? "prefix" : "pattern"] = m.entry;
        jm["tags"] = m.tags;
        matches.push_back(std::move(jm));
      }
      jr["tagMatches"] = std::move(matches);
    }
    if (re.limit) jr["limit"] = limit_json(*re.limit);
    if (re.role == rule_role::overridden) jr["protectedBy"] = *e.owner;
    rules.push_back(std::move(jr));
  }
  j["rules"] = std::move(rules);
  return j;
}

std::string reference_render(const explainer& ex, const std::vector<std::size_t>& which) {
  std::ostringstream out;
  out << "{\n  \"now\": \"" << format_timestamp(ex.now())
      << "\",\n  \"rules\": " << ex.policy().rules.size() << ",\n  \"images\": [";
  bool first = true;
  for (const std::size_t i : which) {
    const std::string text =
        image_json(ex, ex.explain(i)).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string indented = "    ";
    for (const char c : text) {
      indented += c;
      if (c == '\n') indented += "    ";
    }
    out << (first ? "\n" : ",\n") << indented;
    first = false;
  }
  out << (first ? "]" : "\n  ]") << "\n}\n";
  return out.str();
}

}  // namespace

TEST_CASE("streamed explain JSON is byte-identical to the per-image dump", "[perf][explain]") {
  std::size_t mismatches = 0;
  std::size_t documents = 0;
  std::size_t escaped = 0;
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    explain_fixtures::random_case c(seed);
    // Some tags and digests that JSON must escape (and invalid UTF-8, replaced).
    for (std::size_t i = 0; i < c.images.size(); i += 7) {
      c.images[i].tags.push_back(i % 2 == 0 ? "q\"uote\\" : "bad\xFF\n");
      if (i % 3 == 0) c.images[i].digest += "\t";
    }
    const explainer ex(c.policy, c.images, explain_fixtures::now);
    std::vector<std::size_t> which(c.images.size());
    std::iota(which.begin(), which.end(), std::size_t{0});
    if (seed % 10 == 0) which.clear();  // an empty "images": []
    if (seed % 10 == 1 && which.size() > 1) which.resize(1);
    std::ostringstream got;
    ecrlp::render(got, ecrlp::explain_document{ex, which}, ecrlp::output_format::json);
    const std::string want = reference_render(ex, which);
    ++documents;
    escaped += want.find("\\\"") != std::string::npos ? 1U : 0U;
    if (got.str() != want && ++mismatches <= 3) {
      FAIL_CHECK("seed " << seed << "\n--- got\n" << got.str() << "\n--- want\n" << want);
    }
  }
  CHECK(mismatches == 0);
  CHECK(documents == 300);
  CHECK(escaped > 200);
}
