// SPDX-License-Identifier: MIT
//
// render_preview_json streams its output by hand (lib/report.cpp, json_writer) instead of building
// an nlohmann::ordered_json tree. The bytes must be exactly what the tree's dump(4) printed: the
// tree-building renderer is kept below as the oracle and both run on random documents whose
// strings need escaping (quotes, backslashes, control characters, DEL, non-ASCII and invalid
// UTF-8), with and without registry/repository names, transitions and warnings.

#include <ecrlp/evaluate.hpp>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/version.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"

namespace {

using ordered_json = nlohmann::ordered_json;

// ---- the renderer before the optimisation, as the oracle ---------------------------------------

ordered_json totals_json(const ecrlp::image_totals& t) {
  ordered_json f;
  f["CRITICAL"] = t.findings.critical;
  f["HIGH"] = t.findings.high;
  f["MEDIUM"] = t.findings.medium;
  f["LOW"] = t.findings.low;
  f["INFORMATIONAL"] = t.findings.informational;
  f["UNDEFINED"] = t.findings.undefined;
  f["total"] = t.findings.total();
  ordered_json j;
  j["images"] = t.images;
  j["bytes"] = t.bytes;
  j["findings"] = std::move(f);
  return j;
}

std::string reference_render(const ecrlp::preview_document& doc) {
  using namespace ecrlp;
  const auto find_rule = [&](std::int64_t priority) -> const rule* {
    for (const auto& r : doc.policy.rules) {
      if (r.priority == priority) return &r;
    }
    return nullptr;
  };
  const auto action_api = [](fate f) { return f == fate::transition ? "TRANSITION" : "EXPIRE"; };
  ordered_json out;
  if (!doc.registry_id.empty()) out["registryId"] = doc.registry_id;
  if (!doc.repository_name.empty()) out["repositoryName"] = doc.repository_name;
  out["lifecyclePolicyText"] = doc.policy_text;
  out["status"] = "COMPLETE";
  ordered_json results = ordered_json::array();
  for (const std::size_t i : doc.result.order) {
    const auto& dec = doc.result.decisions[i];
    if (dec.action == fate::keep) continue;
    const image& img = doc.images[i];
    ordered_json item;
    if (!img.tags.empty()) item["imageTags"] = img.tags;
    item["imageDigest"] = img.digest;
    item["imagePushedAt"] = format_timestamp(img.pushed_at);
    ordered_json action;
    action["type"] = action_api(dec.action);
    if (dec.action == fate::transition) action["targetStorageClass"] = "ARCHIVE";
    item["action"] = std::move(action);
    item["appliedRulePriority"] = *dec.owner;
    item["storageClass"] = img.status == image_status::archived ? "ARCHIVE" : "STANDARD";
    results.push_back(std::move(item));
  }
  out["previewResults"] = std::move(results);
  ordered_json summary;
  summary["expiringImageTotalCount"] = doc.result.expiring;
  if (doc.result.transitioning > 0) {
    ordered_json t;
    t["targetStorageClass"] = "ARCHIVE";
    t["imageTotalCount"] = doc.result.transitioning;
    summary["transitioningImageTotalCounts"] = ordered_json::array({t});
  }
  out["summary"] = std::move(summary);
  const preview_totals totals = summarize(doc.images, doc.result);
  ordered_json extra;
  extra["version"] = version_string;
  extra["now"] = format_timestamp(doc.now);
  ordered_json rules = ordered_json::array();
  for (const auto& rs : doc.result.rules) {
    const rule* r = find_rule(rs.priority);
    ordered_json j;
    j["rulePriority"] = rs.priority;
    if (r != nullptr && !r->description.empty()) j["description"] = r->description;
    j["identified"] = rs.identified;
    j["marked"] = rs.marked;
    j["owned"] = rs.owned;
    j["kept"] = rs.owned - rs.acted;
    const bool transition = r != nullptr && r->action.type == action_type::transition;
    j["expired"] = transition ? 0 : rs.acted;
    j["transitioned"] = transition ? rs.acted : 0;
    j["ownedBytes"] = rs.owned_bytes;
    j["actedBytes"] = rs.acted_bytes;
    rules.push_back(std::move(j));
  }
  extra["rules"] = std::move(rules);
  std::size_t unowned = 0;
  for (const auto& d : doc.result.decisions) unowned += d.owner ? 0U : 1U;
  extra["unselectedImages"] = unowned;
  ordered_json t;
  t["before"] = totals_json(totals.before);
  t["expired"] = totals_json(totals.expired);
  t["transitioned"] = totals_json(totals.transitioned);
  t["kept"] = totals_json(totals.kept);
  t["after"] = totals_json(totals.after);
  t["afterStandard"] = totals_json(totals.after_standard);
  t["afterArchive"] = totals_json(totals.after_archive);
  extra["totals"] = std::move(t);
  ordered_json warnings = ordered_json::array();
  for (const auto& d : doc.result.warnings) {
    ordered_json j;
    j["level"] = std::string(to_string(d.level));
    j["code"] = d.code;
    if (!d.file.empty()) j["file"] = d.file;
    j["pointer"] = d.pointer;
    if (d.line != 0) {
      j["line"] = d.line;
      j["column"] = d.column;
    }
    j["message"] = d.message;
    if (!d.aws_message.empty()) j["awsMessage"] = d.aws_message;
    warnings.push_back(std::move(j));
  }
  extra["warnings"] = std::move(warnings);
  out["ecrlpReport"] = std::move(extra);
  return out.dump(4, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// ---- random documents --------------------------------------------------------------------------

const ecrlp::timestamp now{
    std::chrono::sys_days{std::chrono::year{2026} / 11 / 28}.time_since_epoch()};

class generator {
 public:
  explicit generator(std::uint64_t seed) : rng_(seed) {}

  /// Mostly plain text; sometimes characters JSON must escape, non-ASCII, or invalid UTF-8.
  std::string text(std::size_t max_len) {
    static const std::string specials[] = {
        "\"", "\\", "\n", "\r", "\t", "\b", "\f", std::string(1, '\0'), "\x01", "\x1f", "\x7f",
        "/", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x90\xB3", "\xFF", "\xC3", "\xE2\x82",
        "\xED\xA0\x80", "\xC0\xAF"};
    std::string s;
    const auto len = pick(max_len + 1);
    const bool nasty = pick(4) == 0;
    for (std::size_t k = 0; k < len; ++k) {
      if (nasty && pick(5) == 0) {
        s += specials[pick(std::size(specials))];
      } else {
        s += "abcXYZ019-._:+ "[pick(15)];
      }
    }
    return s;
  }

  std::size_t pick(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }

 private:
  std::mt19937_64 rng_;
};

/// Sizes of a random document.
struct shape {
  std::size_t images = 40;       ///< at most this many images
  std::size_t tag_length = 12;   ///< tags of at most this many bytes
  std::size_t policy_text = 200; ///< a policy text of at most this many bytes
};

/// A random preview document and everything it refers to.
struct random_document {
  std::vector<ecrlp::image> images;
  ecrlp::lifecycle_policy policy;
  ecrlp::evaluation_result result;
  std::string policy_text;
  std::string repository;
  std::string registry;

  random_document(generator& g, std::uint64_t seed, const shape& size) {
    images.resize(g.pick(size.images));
    for (std::size_t i = 0; i < images.size(); ++i) {
      auto& img = images[i];
      img.digest = g.pick(3) == 0 ? g.text(20) : "sha256:" + std::to_string(seed * 100 + i);
      for (std::size_t t = g.pick(4); t > 0; --t) img.tags.push_back(g.text(size.tag_length));
      img.pushed_at = now - std::chrono::microseconds{
                                static_cast<std::int64_t>(g.pick(400'000'000) * 100'000)};
      const auto s = g.pick(10);
      img.status = s < 6   ? ecrlp::image_status::active
                   : s < 9 ? ecrlp::image_status::archived
                           : ecrlp::image_status::activating;
      if (g.pick(3) == 0) img.last_archived_at = img.pushed_at + std::chrono::hours{48};
      img.size_bytes = g.pick(3'000'000'000);
      if (g.pick(2) == 0) {
        img.findings = ecrlp::finding_counts{g.pick(5), g.pick(9), g.pick(20), 1, 0, g.pick(2)};
      }
    }
    for (std::size_t r = 0, n = 1 + g.pick(4); r < n; ++r) {
      ecrlp::rule rule;
      rule.priority = static_cast<std::int64_t>(r) * 3 - 2;  // a negative priority too
      rule.description = g.pick(2) == 0 ? std::string() : g.text(30);
      rule.selection.status = g.pick(2) == 0 ? ecrlp::tag_status::any : ecrlp::tag_status::untagged;
      rule.selection.storage =
          g.pick(3) == 0 ? ecrlp::storage_class::archive : ecrlp::storage_class::standard;
      rule.selection.type = static_cast<ecrlp::count_type>(g.pick(4));
      rule.selection.count_number = static_cast<std::int64_t>(g.pick(5));
      rule.action.type =
          g.pick(2) == 0 ? ecrlp::action_type::transition : ecrlp::action_type::expire;
      policy.rules.push_back(std::move(rule));
    }
    result = ecrlp::evaluate(policy, images, {.now = now});
    if (g.pick(3) == 0) {
      ecrlp::diagnostic d;
      d.level = ecrlp::severity::warning;
      d.code = "test.code";
      d.file = g.text(10);
      d.pointer = g.text(10);
      d.line = g.pick(3);
      d.column = g.pick(80);
      d.message = g.text(40);
      d.aws_message = g.pick(2) == 0 ? std::string() : g.text(20);
      result.warnings.push_back(std::move(d));
    }
    policy_text = g.text(size.policy_text);
    repository = g.pick(2) == 0 ? std::string() : g.text(10);
    registry = g.pick(2) == 0 ? std::string() : "123456789012";
  }

  [[nodiscard]] ecrlp::preview_document document() const {
    return {policy, policy_text, images, result, now, repository, registry};
  }
};

/// Renders random documents of `size` three ways (render_preview_json, write_preview_json and
/// the oracle) and counts the documents where they differ; `escaped` counts those that needed
/// escapes.
std::size_t count_mismatches(std::uint64_t first_seed, std::size_t seeds, const shape& size,
                             std::size_t& escaped, std::size_t& largest) {
  std::size_t mismatches = 0;
  for (std::uint64_t seed = first_seed; seed < first_seed + seeds; ++seed) {
    generator g(seed);
    const random_document r(g, seed, size);
    const ecrlp::preview_document doc = r.document();
    const std::string got = ecrlp::render(doc, ecrlp::output_format::json);
    const std::string want = reference_render(doc);
    std::ostringstream streamed;
    ecrlp::render(streamed, doc, ecrlp::output_format::json);
    if (streamed.str() != got && ++mismatches <= 3) {
      FAIL_CHECK("seed " << seed << ": write_preview_json differs from render_preview_json");
    }
    escaped += want.find("\\u") != std::string::npos ||
               want.find("\xEF\xBF\xBD") != std::string::npos;
    largest = std::max(largest, want.size());
    if (got != want && ++mismatches <= 3) {
      if (want.size() < 20'000) {
        FAIL_CHECK("seed " << seed << "\n--- got\n" << got << "\n--- want\n" << want);
      } else {
        std::size_t at = 0;
        while (at < got.size() && at < want.size() && got[at] == want[at]) ++at;
        FAIL_CHECK("seed " << seed << ": first difference at byte " << at << " of " << want.size());
      }
    }
  }
  return mismatches;
}

}  // namespace

TEST_CASE("streamed preview JSON is byte-identical to nlohmann's dump", "[perf][report]") {
  const auto first_seed = GENERATE(as<std::uint64_t>{}, 0x7e5700ULL, 0xd0c5'0000'0000ULL);
  std::size_t escaped = 0;
  std::size_t largest = 0;
  CHECK(count_mismatches(first_seed, 250, shape{}, escaped, largest) == 0);
  CHECK(escaped > 20);  // the escaping paths were exercised
}

TEST_CASE("preview JSON larger than the writer's buffer, with long strings, matches the dump",
          "[perf][report]") {
  // The writer hands its 64 KiB buffer on when full: mid-token, before a string longer than the
  // buffer (a policy text of up to 200 kB), before keys and strings longer than its 256-byte
  // fast path (tags of up to 3,000 bytes). Every such seam must come out as the dump has it.
  std::size_t escaped = 0;
  std::size_t largest = 0;
  CHECK(count_mismatches(0x5ea3, 12, shape{600, 3'000, 200'000}, escaped, largest) == 0);
  CHECK(escaped > 3);
  CHECK(largest > 3 * 65'536);  // several buffers' worth
}

TEST_CASE("write_preview_json streams many chunks, byte-identical to render_preview_json",
          "[perf][report]") {
  // The story example: about 2,100 results, 600 kB of JSON, so the 64 KiB chunks are crossed
  // many times, in the middle of results as well as between them.
  const std::filesystem::path story = std::filesystem::path(ECRLP_SOURCE_DIR) / "examples/story";
  const auto policy = ecrlp::load_policy(story / "policy.json");
  REQUIRE(policy.ok());
  const std::filesystem::path files[] = {story / "images.json"};
  const auto inv = ecrlp::load_inventory(files);
  REQUIRE(inv.ok());
  const auto now = *ecrlp::parse_timestamp("2026-11-28T00:00:00Z");
  const auto result = ecrlp::evaluate(policy.value->policy, inv.value->images, {.now = now});
  REQUIRE(result.expiring > 1000);
  const ecrlp::preview_document doc{policy.value->policy, policy.value->text, inv.value->images,
                                    result, now, "story", ""};
  const std::string whole = ecrlp::render(doc, ecrlp::output_format::json);
  REQUIRE(whole.size() > 8 * 65536);

  /// Counts the writes it receives, so the test knows the output really came in chunks.
  class counting_buf : public std::stringbuf {
   public:
    std::size_t writes = 0;

   protected:
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      ++writes;
      return std::stringbuf::xsputn(s, n);
    }
  };
  counting_buf buf;
  std::ostream out(&buf);
  ecrlp::render(out, doc, ecrlp::output_format::json);
  CHECK(out.good());
  CHECK(buf.str() == whole);
  CHECK(buf.writes >= whole.size() / (2 * 65536));
  CHECK(buf.writes <= whole.size() / 65536 + 1);
}
