// SPDX-License-Identifier: MIT
#include <ecrlp/render.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "catch.hpp"
#include "document/phrases.hpp"
#include "render/csv/csv_field.hpp"

namespace {

using namespace std::chrono_literals;
using ecrlp::timestamp;

const timestamp now{std::chrono::sys_days{std::chrono::year{2025} / 1 / 31}.time_since_epoch()};

ecrlp::image make_image(std::string digest, std::vector<std::string> tags, std::chrono::hours age,
                        std::uint64_t size) {
  ecrlp::image img;
  img.digest = std::move(digest);
  img.tags = std::move(tags);
  img.pushed_at = now - age;
  img.size_bytes = size;
  return img;
}

/// `tagStatus: any`, keep the newest `count`: a rule that owns every image.
ecrlp::rule keep_newest(std::int64_t priority, std::int64_t count) {
  ecrlp::rule r;
  r.priority = priority;
  r.selection.status = ecrlp::tag_status::any;
  r.selection.type = ecrlp::count_type::image_count_more_than;
  r.selection.count_number = count;
  return r;
}

}  // namespace

TEST_CASE("group_digits inserts a comma every three digits from the right", "[report]") {
  using ecrlp::detail::group_digits;
  CHECK(group_digits(0) == "0");
  CHECK(group_digits(10) == "10");
  CHECK(group_digits(999) == "999");
  CHECK(group_digits(1000) == "1,000");
  CHECK(group_digits(33012) == "33,012");
  CHECK(group_digits(1234567) == "1,234,567");
  CHECK(group_digits(18446744073709551615ULL) == "18,446,744,073,709,551,615");
}

TEST_CASE("human_bytes rounds to one decimal of a binary unit", "[report]") {
  using ecrlp::detail::human_bytes;
  CHECK(human_bytes(0) == "0 B");
  CHECK(human_bytes(1023) == "1023 B");
  CHECK(human_bytes(1024) == "1.0 KiB");
  CHECK(human_bytes(1536) == "1.5 KiB");
  CHECK(human_bytes(1024 * 1024 - 1) == "1024.0 KiB");
  CHECK(human_bytes(5ULL * 1024 * 1024 * 1024) == "5.0 GiB");
}

TEST_CASE("preview JSON keeps AWS's shape and puts ecrlp's totals under one key", "[report]") {
  ecrlp::lifecycle_policy policy;
  ecrlp::rule archive;
  archive.priority = 1;
  archive.selection.status = ecrlp::tag_status::tagged;
  archive.selection.list_kind = ecrlp::tag_list_kind::pattern;
  archive.selection.tag_list = {"prod*"};
  archive.selection.type = ecrlp::count_type::since_image_pushed;
  archive.selection.count_number = 30;
  archive.action.type = ecrlp::action_type::transition;
  policy.rules = {archive, keep_newest(2, 1)};

  std::vector<ecrlp::image> images = {
      make_image("sha256:01", {"prod-1"}, 24h * 40, 100),
      make_image("sha256:02", {}, 24h * 20, 200),
      make_image("sha256:03", {"dev"}, 24h * 10, 300),
  };
  images[1].findings = ecrlp::finding_counts{.critical = 1, .high = 2};
  const auto result = ecrlp::evaluate(policy, images, {.now = now});
  const ecrlp::preview_document doc{policy, "{\"rules\":[]}", images, result, now, "app", ""};
  const auto j = nlohmann::ordered_json::parse(ecrlp::render(doc, ecrlp::output_format::json));

  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"repositoryName", "lifecyclePolicyText", "status",
                                         "previewResults", "summary", "ecrlpReport"});
  REQUIRE(j["previewResults"].size() == 2);
  const auto& first = j["previewResults"][0];
  CHECK(first["imageDigest"] == "sha256:01");
  CHECK(first["imageTags"] == nlohmann::json::array({"prod-1"}));
  CHECK(first["action"] ==
        nlohmann::ordered_json({{"type", "TRANSITION"}, {"targetStorageClass", "ARCHIVE"}}));
  CHECK(first["appliedRulePriority"] == 1);
  CHECK(first["storageClass"] == "STANDARD");
  const auto& second = j["previewResults"][1];
  CHECK_FALSE(second.contains("imageTags"));  // untagged: omitted, as AWS does
  CHECK(second["action"] == nlohmann::ordered_json({{"type", "EXPIRE"}}));
  CHECK(second["appliedRulePriority"] == 2);
  CHECK(j["summary"]["expiringImageTotalCount"] == 1);
  CHECK(j["summary"]["transitioningImageTotalCounts"] ==
        nlohmann::ordered_json::array({{{"targetStorageClass", "ARCHIVE"}, {"imageTotalCount", 1}}}));
  const auto& totals = j["ecrlpReport"]["totals"];
  CHECK(totals["before"]["images"] == 3);
  CHECK(totals["before"]["bytes"] == 600);
  CHECK(totals["expired"]["findings"]["total"] == 3);
  CHECK(totals["after"]["images"] == 2);
  CHECK(totals["afterArchive"]["bytes"] == 100);
  CHECK(totals["afterStandard"]["bytes"] == 300);
}

TEST_CASE("summary omits transitioningImageTotalCounts when nothing transitions", "[report]") {
  ecrlp::lifecycle_policy policy;
  const std::vector<ecrlp::image> images = {make_image("sha256:01", {}, 1h, 1)};
  const auto result = ecrlp::evaluate(policy, images, {.now = now});
  const ecrlp::preview_document doc{policy, "{}", images, result, now, "", ""};
  const auto j = nlohmann::json::parse(ecrlp::render(doc, ecrlp::output_format::json));
  CHECK(j["previewResults"].empty());
  CHECK(j["summary"] == nlohmann::json({{"expiringImageTotalCount", 0}}));
  CHECK_FALSE(j.contains("registryId"));
  CHECK_FALSE(j.contains("repositoryName"));
}

TEST_CASE("diagnostics text is file:line:col: level[code] at pointer: message", "[report]") {
  ecrlp::diagnostic d;
  d.code = "selection.count_number.range";
  d.file = "p.json";
  d.pointer = "/rules/0/selection/countNumber";
  d.message = "too small";
  d.aws_message = "numeric instance is lower than the required minimum";
  d.line = 7;
  d.column = 28;
  const std::vector<ecrlp::diagnostic> diags{d};
  CHECK(ecrlp::render(ecrlp::diagnostics_document{diags}, ecrlp::output_format::text) ==
        "p.json:7:28: error[selection.count_number.range] at /rules/0/selection/countNumber: too "
        "small\n    ECR says: numeric instance is lower than the required minimum\n");
}

TEST_CASE("preview CSV: one row per image, fields quoted only when they must be", "[report]") {
  ecrlp::lifecycle_policy policy;
  policy.rules = {keep_newest(3, 1)};
  std::vector<ecrlp::image> images = {
      make_image("sha256:01", {"a,b", "say \"hi\""}, 24h * 2, 100),
      make_image("sha256:02", {"v1", "latest"}, 24h, 200),
  };
  images[0].pushed_at += std::chrono::microseconds{250};
  images[0].findings = ecrlp::finding_counts{.critical = 1, .high = 2};
  const auto result = ecrlp::evaluate(policy, images, {.now = now});
  const ecrlp::preview_document doc{policy, "{}", images, result, now, "", ""};
  const std::string csv = ecrlp::render(doc, ecrlp::output_format::csv);
  const std::string header =
      "imageDigest,imageTags,imagePushedAt,referenceTime,imageStatus,imageSizeInBytes,findings,"
      "action,appliedRulePriority,ownerRulePriority\r\n";
  CHECK(csv == header +
                   "sha256:01,\"a,b say \"\"hi\"\"\",2025-01-29T00:00:00.000250+00:00,"
                   "2025-01-29T00:00:00.000250+00:00,ACTIVE,100,3,EXPIRE,3,3\r\n"
                   "sha256:02,v1 latest,2025-01-30T00:00:00+00:00,2025-01-30T00:00:00+00:00,"
                   "ACTIVE,200,,KEEP,,3\r\n");
}

TEST_CASE("append_csv_field quotes a joined field when the separator needs it", "[report]") {
  using ecrlp::writer::append_csv_field;
  std::string out;
  append_csv_field(out, std::vector<std::string>{"x", "y"}, ",");
  CHECK(out == "\"x,y\"");
  out.clear();
  append_csv_field(out, std::vector<std::string>{"x"}, ",");  // one item: no separator written
  CHECK(out == "x");
  out.clear();
  append_csv_field(out, std::vector<std::string>{}, " ");
  CHECK(out.empty());
  CHECK(ecrlp::writer::csv_field("line\nbreak") == "\"line\nbreak\"");
  CHECK(ecrlp::writer::csv_field("plain") == "plain");
}
