// SPDX-License-Identifier: MIT
// describe-images ingest: fixtures from spec 3.1, pages, every diagnostic code, hostile input.

#include <ecrlp/inventory_parser.hpp>

#include "catch.hpp"
#include "read/inventory/hooks.hpp"
#include "parser_test_util.hpp"
#include "test_files.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <span>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using namespace std::chrono;
using ecrlp::diagnostic;
using ecrlp::timestamp;

const fs::path data_dir = fs::path{ECRLP_TEST_DATA} / "inventories";

timestamp utc(int y, unsigned mo, unsigned d, int h, int mi, int s, std::int64_t us = 0) {
  return timestamp{sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s} +
                   microseconds{us}};
}

using parser_test::count_code;
using parser_test::dump;
using parser_test::find;
using test_files::read_text;

ecrlp::parse_result<ecrlp::inventory> load(std::initializer_list<fs::path> names) {
  std::vector<fs::path> files;
  for (const auto& n : names) files.push_back(n.is_absolute() ? n : data_dir / n);
  return ecrlp::load_inventory(files);
}

/// A one-image document with `extra` members appended to a valid ImageDetail.
std::string one_image(std::string_view extra, std::string_view digest = "\"sha256:ab\"",
                      std::string_view pushed = "1600000000") {
  std::string s = R"({"imageDetails":[{"imageDigest":)";
  s += digest;
  s += R"(,"imagePushedAt":)";
  s += pushed;
  if (!extra.empty()) {
    s += ",";
    s += extra;
  }
  s += "}]}";
  return s;
}

/// `depth` objects nested in each other: {"a":{"a":...1...}}
std::string nested_objects(int depth) {
  std::string s;
  for (int k = 0; k < depth; ++k) s += "{\"a\":";
  s += "1";
  s.append(static_cast<std::size_t>(depth), '}');
  return s;
}

}  // namespace

TEST_CASE("CLI v1 example (spec 3.1) parses to the right values", "[inventory_parser]") {
  const auto r = load({"cli-v1.json"});
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.value->images.size() == 1);
  const auto& i = r.value->images[0];
  CHECK(i.digest == "sha256:4a1c6567c38904384ebc64e35b7eeddd8451110c299e3368d2210066487d97e5");
  CHECK(i.tags == std::vector<std::string>{"v1.13.6"});
  CHECK(i.size_bytes == 48318255);
  CHECK(i.pushed_at == utc(2019, 8, 6, 21, 51, 15));
  CHECK(i.pushed_at.time_since_epoch() == seconds{1565128275});
  CHECK_FALSE(i.last_pulled_at);
  CHECK_FALSE(i.last_archived_at);
  CHECK_FALSE(i.last_activated_at);
  CHECK(i.status == ecrlp::image_status::active);
  CHECK_FALSE(i.findings);

  // The same document on one line, as the spec prints it, through parse_inventory.
  const auto one_line = ecrlp::parse_inventory(
      R"({"imageDetails":[{"registryId":"012345678910","repositoryName":"cluster-autoscaler",
  "imageDigest":"sha256:4a1c6567c38904384ebc64e35b7eeddd8451110c299e3368d2210066487d97e5",
  "imageTags":["v1.13.6"],"imageSizeInBytes":48318255,"imagePushedAt":1565128275.0}]})");
  REQUIRE(one_line.ok());
  CHECK(one_line.value->images[0].pushed_at == i.pushed_at);
}

TEST_CASE("CLI v2 example with offsets and fractions parses to UTC instants",
          "[inventory_parser]") {
  const auto r = load({"cli-v2.json"});
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  REQUIRE(r.value->images.size() == 4);
  const auto& a = r.value->images[0];
  CHECK(a.digest == "sha256:7a64bc9c8843b0a8c8b8a7e4715b7615e4e1b0d8ca3c7e7a76ecEXAMPLE");
  CHECK(a.tags == std::vector<std::string>{"tagtest"});
  CHECK(a.size_bytes == 78447648);
  CHECK(a.pushed_at == utc(2021, 12, 3, 20, 36, 9));
  REQUIRE(a.last_pulled_at);
  CHECK(*a.last_pulled_at == utc(2022, 2, 23, 5, 6, 1, 514000));
  REQUIRE(a.findings);
  CHECK(*a.findings ==
        ecrlp::finding_counts{
            .critical = 0, .high = 4, .medium = 76, .low = 50, .informational = 9, .undefined = 0});

  const auto& b = r.value->images[1];
  CHECK(b.tags == std::vector<std::string>{"prod-1", "latest"});
  CHECK(b.pushed_at == utc(2021, 8, 26, 21, 39, 43));              // -06:00
  CHECK(b.last_pulled_at == utc(2023, 9, 26, 16, 6, 14, 575000));  // .575000+08:00
  CHECK_FALSE(b.findings);

  const auto& c = r.value->images[2];
  CHECK(c.tags.empty());                                       // absent = untagged
  CHECK(c.pushed_at == utc(2026, 3, 17, 22, 29, 36, 777000));  // -04:00

  const auto& d = r.value->images[3];
  CHECK(d.tags.empty());  // [] = untagged
  CHECK(d.size_bytes == 0);
  CHECK(d.pushed_at == utc(2024, 2, 29, 18, 0, 0));             // +0530
  CHECK(d.last_pulled_at == utc(2024, 3, 1, 0, 0, 0, 123456));  // 9 digits, truncated
}

TEST_CASE("archive-era items carry status and archive/restore times", "[inventory_parser]") {
  const auto r = load({"archive-era.json"});
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  REQUIRE(r.value->images.size() == 3);
  const auto& archived = r.value->images[0];
  CHECK(archived.status == ecrlp::image_status::archived);
  CHECK(archived.last_archived_at == utc(2025, 5, 3, 0, 0, 0));
  CHECK(archived.last_pulled_at == utc(2025, 2, 1, 8, 0, 0, 123000));
  CHECK(archived.size_bytes == 31457280);
  CHECK(r.value->images[1].status == ecrlp::image_status::activating);
  const auto& restored = r.value->images[2];
  CHECK(restored.status == ecrlp::image_status::active);
  CHECK(restored.last_activated_at == utc(2025, 3, 10, 14, 20, 0));
  CHECK(ecrlp::reference_time(restored) == utc(2025, 3, 10, 14, 20, 0));
}

TEST_CASE("repository, registry, manifest kind and subject are read", "[inventory_parser]") {
  const std::string doc = R"({"imageDetails":[
    {"registryId":"123456789012","repositoryName":"team-a/api","imageDigest":"sha256:aa",
     "imagePushedAt":1600000000,
     "imageManifestMediaType":"application/vnd.oci.image.index.v1+json"},
    {"registryId":"123456789012","repositoryName":"team-a/api","imageDigest":"sha256:bb",
     "imagePushedAt":1600000001,
     "imageManifestMediaType":"application/vnd.docker.distribution.manifest.list.v2+json"},
    {"imageDigest":"sha256:cc","imagePushedAt":1600000002,
     "imageManifestMediaType":"application/vnd.oci.image.manifest.v1+json",
     "artifactMediaType":"application/vnd.dev.cosign.artifact.sig.v1+json",
     "subjectManifestDigest":"sha256:aa"}]})";
  const auto r = ecrlp::parse_inventory(doc, "p.json");
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  CHECK(r.value->repository_name == "team-a/api");
  CHECK(r.value->registry_id == "123456789012");
  CHECK(r.value->images[0].manifest == ecrlp::manifest_kind::index);
  CHECK(r.value->images[1].manifest == ecrlp::manifest_kind::index);
  CHECK(r.value->images[2].manifest == ecrlp::manifest_kind::image);
  CHECK(r.value->images[0].subject_digest.empty());
  CHECK(r.value->images[2].subject_digest == "sha256:aa");
  CHECK(r.value->indexes.empty());  // manifests come from batch-get-image, not describe-images

  SECTION("pages of two repositories are an error naming both") {
    const auto mixed = ecrlp::parse_inventory(
        R"({"imageDetails":[{"repositoryName":"a","imageDigest":"sha256:aa","imagePushedAt":1},
            {"repositoryName":"b","imageDigest":"sha256:bb","imagePushedAt":1}]})",
        "m.json");
    REQUIRE_FALSE(mixed.ok());
    const auto* d = find(mixed.diagnostics, "inventory.mixed_repositories",
                         "/imageDetails/1/repositoryName");
    REQUIRE(d != nullptr);
    CHECK(d->message.find("\"a\"") != std::string::npos);
    CHECK(d->message.find("image 0 of m.json") != std::string::npos);
  }
}

TEST_CASE("a bare array of ImageDetail objects is accepted", "[inventory_parser]") {
  const auto r = load({"bare-array.json"});
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  REQUIRE(r.value->images.size() == 2);
  CHECK(r.value->images[0].pushed_at == r.value->images[1].pushed_at);  // 1700000000 both ways
  CHECK(r.value->images[1].size_bytes == 7);

  const auto bad = ecrlp::parse_inventory(
      R"([{"imageDigest":"sha256:aa","imagePushedAt":1},{"imageDigest":"sha256:bb"}])", "bare");
  CHECK_FALSE(bad.value);
  const auto* d = find(bad.diagnostics, "image.missing_field", "/1/imagePushedAt");
  REQUIRE(d != nullptr);
  CHECK(d->file == "bare");
  CHECK(d->message.find("image 1") != std::string::npos);
  CHECK(d->message.find("imagePushedAt") != std::string::npos);
}

TEST_CASE("pages are concatenated in the given order", "[inventory_parser]") {
  const auto r = load({"page-1.json", "page-2.json"});
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  CHECK(r.diagnostics.empty());  // the nextToken of page 1 is answered by page 2
  REQUIRE(r.value->images.size() == 3);
  CHECK(r.value->images[0].digest.ends_with("01"));
  CHECK(r.value->images[1].digest.ends_with("02"));
  CHECK(r.value->images[1].pushed_at == timestamp{milliseconds{1600000002500}});
  CHECK(r.value->images[2].digest.ends_with("03"));
  CHECK(r.value->images[2].tags == std::vector<std::string>{"p2-a", "p2-b"});

  const auto reversed = load({"page-2.json", "page-1.json"});
  REQUIRE(reversed.value);
  CHECK(reversed.value->images[0].digest.ends_with("03"));
  CHECK(reversed.value->images[2].digest.ends_with("02"));

  // An empty page is fine and adds nothing.
  const auto with_empty = load({"page-1.json", "empty-page.json", "page-2.json"});
  REQUIRE(with_empty.value);
  CHECK(with_empty.value->images.size() == 3);
  const auto only_empty = load({"empty-page.json"});
  REQUIRE(only_empty.ok());
  CHECK(only_empty.value->images.empty());
}

TEST_CASE("a nextToken on the last page warns that pages are missing", "[inventory_parser]") {
  const auto r = load({"page-1.json"});
  REQUIRE(r.ok());  // a warning, not an error
  REQUIRE(r.value->images.size() == 2);
  const auto* w = find(r.diagnostics, "inventory.next_token", "/nextToken");
  REQUIRE(w != nullptr);
  CHECK(w->level == ecrlp::severity::warning);
  CHECK(w->file == (data_dir / "page-1.json").string());
  CHECK(w->line == 13);
  // Followed by the next page, the token is answered: no warning.
  CHECK(load({"page-1.json", "page-2.json"}).diagnostics.empty());
}

TEST_CASE("duplicate digests are reported with both places", "[inventory_parser]") {
  SECTION("within one page") {
    const auto r = load({"bad-fields.json"});
    CHECK_FALSE(r.value);
    const auto* d = find(r.diagnostics, "image.duplicate_digest", "/imageDetails/5/imageDigest");
    REQUIRE(d != nullptr);
    INFO(d->message);
    CHECK(d->message.find("image 5") != std::string::npos);
    CHECK(d->message.find("/imageDetails/0") != std::string::npos);
    CHECK(d->line == 8);
  }
  SECTION("across pages") {
    const auto r = load({"page-1.json", "page-2.json", "page-2-duplicate.json"});
    CHECK_FALSE(r.value);
    INFO(dump(r.diagnostics));
    CHECK(count_code(r.diagnostics, "image.duplicate_digest") == 2);
    const auto* d = find(r.diagnostics, "image.duplicate_digest", "/imageDetails/0/imageDigest");
    REQUIRE(d != nullptr);
    CHECK(d->file == (data_dir / "page-2-duplicate.json").string());
    CHECK(d->message.find((data_dir / "page-2.json").string()) != std::string::npos);
    CHECK(d->message.find("/imageDetails/0") != std::string::npos);
    const auto* e = find(r.diagnostics, "image.duplicate_digest", "/imageDetails/1/imageDigest");
    REQUIRE(e != nullptr);
    CHECK(e->message.find((data_dir / "page-1.json").string()) != std::string::npos);
    CHECK(e->message.find("/imageDetails/1") != std::string::npos);
  }
  SECTION("the same file given twice") {
    const auto r = load({"cli-v1.json", "cli-v1.json"});
    CHECK_FALSE(r.value);
    CHECK(count_code(r.diagnostics, "image.duplicate_digest") == 1);
  }
}

TEST_CASE("several problems in one file are all reported", "[inventory_parser]") {
  const auto r = load({"bad-fields.json"});
  INFO(dump(r.diagnostics));
  CHECK_FALSE(r.value);
  const auto* ts = find(r.diagnostics, "image.timestamp", "/imageDetails/0/imagePushedAt");
  REQUIRE(ts != nullptr);
  CHECK(ts->line == 3);
  CHECK(ts->message.find("2021-02-30T10:00:00+00:00") != std::string::npos);
  const auto* no_offset = find(r.diagnostics, "image.timestamp", "/imageDetails/1/imagePushedAt");
  REQUIRE(no_offset != nullptr);
  CHECK(no_offset->message.find("no UTC offset") != std::string::npos);
  CHECK(find(r.diagnostics, "image.status", "/imageDetails/1/imageStatus") != nullptr);
  CHECK(find(r.diagnostics, "image.missing_field", "/imageDetails/2/imageDigest") != nullptr);
  CHECK(find(r.diagnostics, "image.size", "/imageDetails/3/imageSizeInBytes") != nullptr);
  CHECK(find(r.diagnostics, "image.type", "/imageDetails/4/imageTags") != nullptr);
  CHECK(find(r.diagnostics, "image.duplicate_digest", "/imageDetails/5/imageDigest") != nullptr);
  CHECK(r.diagnostics.size() == 7);
  for (const auto& d : r.diagnostics) {
    CHECK(d.level == ecrlp::severity::error);
    CHECK(d.file == (data_dir / "bad-fields.json").string());
    CHECK(d.line >= 3);
    CHECK(d.line <= 8);
    CHECK(d.column > 0);
  }
}

TEST_CASE("line, column and byte point at the offending value", "[inventory_parser]") {
  const std::string text =
      "{\n"
      "  \"imageDetails\": [\n"
      "    {\"imageDigest\": \"sha256:aa\", \"imagePushedAt\": 1},\n"
      "    {\"imageDigest\": \"sha256:bb\",\n"
      "     \"imagePushedAt\": \"2021-13-01T00:00:00Z\"}\n"
      "  ]\n"
      "}\n";
  const auto r = ecrlp::parse_inventory(text, "mem.json");
  REQUIRE(r.diagnostics.size() == 1);
  const auto& d = r.diagnostics[0];
  CHECK(d.code == "image.timestamp");
  CHECK(d.pointer == "/imageDetails/1/imagePushedAt");
  CHECK(d.file == "mem.json");
  CHECK(d.line == 5);
  CHECK(d.column == 23);
  CHECK(d.byte == text.find("\"2021-13"));
  CHECK(d.message.find("month") != std::string::npos);
}

TEST_CASE("each diagnostic code is produced at the right pointer", "[inventory_parser]") {
  struct bad_case {
    std::string json;
    std::string code;
    std::string pointer;
  };
  const std::vector<bad_case> cases{
      // required fields
      {R"({"imageDetails":[{"imagePushedAt":1}]})", "image.missing_field",
       "/imageDetails/0/imageDigest"},
      {R"({"imageDetails":[{"imageDigest":"sha256:ab"}]})", "image.missing_field",
       "/imageDetails/0/imagePushedAt"},
      {one_image("", "null"), "image.missing_field", "/imageDetails/0/imageDigest"},
      {one_image("", "\"sha256:ab\"", "null"), "image.missing_field",
       "/imageDetails/0/imagePushedAt"},
      // types
      {R"({"imageDetails":[42]})", "image.type", "/imageDetails/0"},
      {R"({"imageDetails":[{"imageDigest":"sha256:aa","imagePushedAt":1},"x"]})", "image.type",
       "/imageDetails/1"},
      {one_image("", "7"), "image.type", "/imageDetails/0/imageDigest"},
      {one_image("", "\"sha256:ab\"", "true"), "image.type", "/imageDetails/0/imagePushedAt"},
      {one_image("", "\"sha256:ab\"", "{\"$date\":1}"), "image.type",
       "/imageDetails/0/imagePushedAt"},
      {one_image(R"("imageTags":"latest")"), "image.type", "/imageDetails/0/imageTags"},
      {one_image(R"("imageTags":["a",7])"), "image.type", "/imageDetails/0/imageTags/1"},
      {one_image(R"("imageTags":["a",null])"), "image.type", "/imageDetails/0/imageTags/1"},
      {one_image(R"("imageSizeInBytes":"12")"), "image.type", "/imageDetails/0/imageSizeInBytes"},
      {one_image(R"("imageStatus":1)"), "image.type", "/imageDetails/0/imageStatus"},
      {one_image(R"("lastRecordedPullTime":[])"), "image.type",
       "/imageDetails/0/lastRecordedPullTime"},
      {one_image(R"("imageScanFindingsSummary":[])"), "image.type",
       "/imageDetails/0/imageScanFindingsSummary"},
      {one_image(R"("imageScanFindingsSummary":{"findingSeverityCounts":[]})"), "image.type",
       "/imageDetails/0/imageScanFindingsSummary/findingSeverityCounts"},
      {one_image(R"("imageScanFindingsSummary":{"findingSeverityCounts":{"HIGH":"4"}})"),
       "image.type", "/imageDetails/0/imageScanFindingsSummary/findingSeverityCounts/HIGH"},
      // values
      {one_image("", "\"sha256:ab\"", "\"2021-02-30T00:00:00Z\""), "image.timestamp",
       "/imageDetails/0/imagePushedAt"},
      {one_image("", "\"sha256:ab\"", "\"2021-02-03T00:00:00\""), "image.timestamp",
       "/imageDetails/0/imagePushedAt"},
      {one_image("", "\"sha256:ab\"", "-1"), "image.timestamp", "/imageDetails/0/imagePushedAt"},
      {one_image("", "\"sha256:ab\"", "1565128275000"), "image.timestamp",
       "/imageDetails/0/imagePushedAt"},
      {one_image(R"("lastArchivedAt":"2021-01-01T24:00:00Z")"), "image.timestamp",
       "/imageDetails/0/lastArchivedAt"},
      {one_image(R"("lastActivatedAt":"yesterday")"), "image.timestamp",
       "/imageDetails/0/lastActivatedAt"},
      {one_image(R"("imageStatus":"DELETED")"), "image.status", "/imageDetails/0/imageStatus"},
      {one_image(R"("imageStatus":"active")"), "image.status", "/imageDetails/0/imageStatus"},
      {one_image(R"("imageSizeInBytes":-1)"), "image.size", "/imageDetails/0/imageSizeInBytes"},
      {one_image(R"("imageSizeInBytes":1.5)"), "image.size", "/imageDetails/0/imageSizeInBytes"},
      {one_image(R"("imageSizeInBytes":1e3)"), "image.size", "/imageDetails/0/imageSizeInBytes"},
      {one_image(R"("imageSizeInBytes":9223372036854775808)"), "image.size",
       "/imageDetails/0/imageSizeInBytes"},
      {one_image("", "\"\""), "image.digest", "/imageDetails/0/imageDigest"},
      {one_image("", "\"4a1c6567c389\""), "image.digest", "/imageDetails/0/imageDigest"},
      {one_image("", "\"SHA256:ab\""), "image.digest", "/imageDetails/0/imageDigest"},
      {one_image("", "\"sha256:\""), "image.digest", "/imageDetails/0/imageDigest"},
      {one_image(R"("imageTags":["a",""])"), "image.tag", "/imageDetails/0/imageTags/1"},
      {one_image(R"("imageScanFindingsSummary":{"findingSeverityCounts":{"LOW":-2}})"),
       "image.findings", "/imageDetails/0/imageScanFindingsSummary/findingSeverityCounts/LOW"},
      {one_image(R"("imageScanFindingsSummary":{"findingSeverityCounts":{"LOW":0.5}})"),
       "image.findings", "/imageDetails/0/imageScanFindingsSummary/findingSeverityCounts/LOW"},
      {one_image(R"("imageTags":["a"],"imageTags":["b"])"), "image.duplicate_field",
       "/imageDetails/0/imageTags"},
      {one_image(R"("imagePushedAt":2)"), "image.duplicate_field", "/imageDetails/0/imagePushedAt"},
      {one_image(R"("imageScanFindingsSummary":{"findingSeverityCounts":{"LOW":1,"LOW":2}})"),
       "image.duplicate_field",
       "/imageDetails/0/imageScanFindingsSummary/findingSeverityCounts/LOW"},
      {R"({"imageDetails":[{"imageDigest":"sha256:ab","imagePushedAt":1},{"imageDigest":"sha256:ab","imagePushedAt":2}]})",
       "image.duplicate_digest", "/imageDetails/1/imageDigest"},
      // document level
      {"hello", "inventory.syntax", ""},
      {"REPOSITORY TAG IMAGE ID", "inventory.syntax", ""},
      {R"({"imageDetails":[{"imageDigest":"sha256:ab","imagePushedAt":1})", "inventory.syntax", ""},
      {R"({"imageDetails":[{"imageDigest":"sha256:ab","imagePushedAt":1}]}})", "inventory.syntax",
       ""},
      {R"({"imageDetails":[]} {"imageDetails":[]})", "inventory.syntax", ""},
      {R"({"imageDetails":[{"imageDigest":"sha256:ab" "imagePushedAt":1}]})", "inventory.syntax",
       ""},
      {one_image(R"("registryId":tru)"), "inventory.syntax", ""},
      {one_image(R"("artifactMediaType":"a\qb")"), "inventory.syntax", ""},
      {one_image(R"("repositoryName":"a\qb")"), "inventory.syntax",
       "/imageDetails/0/repositoryName"},
      {one_image(R"("repositoryName":7)"), "image.type", "/imageDetails/0/repositoryName"},
      {one_image(R"("subjectManifestDigest":"nope")"), "image.digest",
       "/imageDetails/0/subjectManifestDigest"},
      {one_image(R"("imageManifestMediaType":[])"), "image.type",
       "/imageDetails/0/imageManifestMediaType"},
      {one_image(R"("x":[1,2,-])"), "inventory.syntax", ""},
      {one_image(R"("x":01)"), "inventory.syntax", ""},
      {one_image("", "\"sha256:ab\"", "1.2.3"), "inventory.syntax",
       "/imageDetails/0/imagePushedAt"},
      {one_image("", "\"sha256:\\ud800\""), "inventory.syntax", "/imageDetails/0/imageDigest"},
      {"{\"imageDetails\":[{\"imageDigest\":\"sha256:ab\",\"imagePushedAt\":1,\"x\":\"a\tb\"}]}",
       "inventory.syntax", ""},
      {"[\"abc", "inventory.syntax", ""},
      {std::string{"{\"imageDetails\":[],\"x\":\"caf\xC3\"}"}, "inventory.utf8", ""},
      {std::string{"\xFF\xFE{\0\"\0", 6}, "inventory.utf8", ""},
      {"", "inventory.empty", ""},
      {" \n\t\r\n", "inventory.empty", ""},
      {"42", "inventory.shape", ""},
      {"null", "inventory.shape", ""},
      {R"("sha256:ab")", "inventory.shape", ""},
      {R"({"rules":[]})", "inventory.shape", ""},
      {"{}", "inventory.shape", ""},
      {R"({"imageDetails":{}})", "inventory.shape", "/imageDetails"},
      {R"({"imageDetails":null})", "inventory.shape", "/imageDetails"},
      {R"({"imageDetails":[],"imageDetails":[]})", "inventory.shape", "/imageDetails"},
  };
  for (const auto& c : cases) {
    INFO("json: " << c.json);
    const auto r = ecrlp::parse_inventory(c.json, "case.json");
    INFO(dump(r.diagnostics));
    CHECK_FALSE(r.value);
    CHECK_FALSE(r.ok());
    const auto* d = find(r.diagnostics, c.code, c.pointer);
    REQUIRE(d != nullptr);
    CHECK(d->level == ecrlp::severity::error);
    CHECK(d->file == "case.json");
    CHECK_FALSE(d->message.empty());
    if (c.code.starts_with("image.")) {
      const auto index = c.pointer.substr(std::string_view{"/imageDetails/"}.size(), 1);
      CHECK(d->message.find("image " + index) != std::string::npos);
    }
  }
}

TEST_CASE("optional fields: null, empty and unknown members", "[inventory_parser]") {
  const auto r = ecrlp::parse_inventory(one_image(
      R"("imageTags":null,"imageSizeInBytes":null,"imageStatus":null,"lastRecordedPullTime":null,)"
      R"("lastArchivedAt":null,"lastActivatedAt":null,"imageScanFindingsSummary":null,)"
      R"("registryId":"012345678910","futureField":{"a":[1,2,{"b":null}],"c":-1.5e-3},"e":false)"));
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  const auto& i = r.value->images.at(0);
  CHECK(i.tags.empty());
  CHECK(i.size_bytes == 0);
  CHECK(i.status == ecrlp::image_status::active);
  CHECK_FALSE(i.last_pulled_at);
  CHECK_FALSE(i.last_archived_at);
  CHECK_FALSE(i.last_activated_at);
  CHECK_FALSE(i.findings);

  SECTION("repeated tags are kept once, in first-seen order") {
    const auto t = ecrlp::parse_inventory(one_image(R"("imageTags":["b","a","b","c","a"])"));
    REQUIRE(t.ok());
    CHECK(t.value->images[0].tags == std::vector<std::string>{"b", "a", "c"});
    std::string many = R"("imageTags":[)";
    for (int k = 0; k < 100; ++k) many += "\"t" + std::to_string(k % 40) + "\",";
    many.back() = ']';
    const auto m = ecrlp::parse_inventory(one_image(many));
    REQUIRE(m.ok());
    REQUIRE(m.value->images[0].tags.size() == 40);
    CHECK(m.value->images[0].tags[39] == "t39");
  }
  SECTION("unknown severities are ignored; a summary without counts means zero findings") {
    const auto f = ecrlp::parse_inventory(one_image(
        R"("imageScanFindingsSummary":{"findingSeverityCounts":{"CRITICAL":1,"SEVERE":9,"UNDEFINED":2}})"));
    REQUIRE(f.ok());
    CHECK(*f.value->images[0].findings == ecrlp::finding_counts{.critical = 1, .undefined = 2});
    const auto z = ecrlp::parse_inventory(one_image(
        R"("imageScanFindingsSummary":{"imageScanCompletedAt":"2021-12-03T20:36:14+00:00"})"));
    REQUIRE(z.ok());
    REQUIRE(z.value->images[0].findings);
    CHECK(z.value->images[0].findings->total() == 0);
  }
  SECTION("escaped keys and strings are unescaped") {
    const auto e = ecrlp::parse_inventory(
        R"({"image\u0044etails":[{"imageDigest":"sha256:\u0061b","imag\u0065Tags":["v\u00e9"],"imagePushedAt":"2021-01-01T00:00:00\u002b00:00"}]})");
    INFO(dump(e.diagnostics));
    REQUIRE(e.ok());
    CHECK(e.value->images[0].digest == "sha256:ab");
    CHECK(e.value->images[0].tags == std::vector<std::string>{"v\xC3\xA9"});
    CHECK(e.value->images[0].pushed_at == utc(2021, 1, 1, 0, 0, 0));
  }
  SECTION("timestamps: epoch as number or string, exponent, every ISO offset form") {
    const auto e = ecrlp::parse_inventory(
        R"([{"imageDigest":"sha256:01","imagePushedAt":1.565128275e9},)"
        R"({"imageDigest":"sha256:02","imagePushedAt":"1565128275"},)"
        R"({"imageDigest":"sha256:03","imagePushedAt":1565128275.123456},)"
        R"({"imageDigest":"sha256:04","imagePushedAt":"2019-08-07T03:21:15.123456+0530"},)"
        R"({"imageDigest":"sha256:05","imagePushedAt":"2019-08-06T21:51:15.123456789Z"}])");
    INFO(dump(e.diagnostics));
    REQUIRE(e.ok());
    const auto base = utc(2019, 8, 6, 21, 51, 15);
    CHECK(e.value->images[0].pushed_at == base);
    CHECK(e.value->images[1].pushed_at == base);
    CHECK(e.value->images[2].pushed_at == base + microseconds{123456});
    CHECK(e.value->images[3].pushed_at == base + microseconds{123456});
    CHECK(e.value->images[4].pushed_at == base + microseconds{123456});
  }
  SECTION("a UTF-8 byte order mark is skipped") {
    const auto b = ecrlp::parse_inventory("\xEF\xBB\xBF" + one_image(""));
    INFO(dump(b.diagnostics));
    REQUIRE(b.ok());
    CHECK(b.value->images.size() == 1);
  }
}

TEST_CASE("100,000-deep nesting is an error, quickly and without a crash", "[inventory_parser]") {
  const std::string open(100000, '[');
  const std::string close(100000, ']');
  const std::vector<std::string> docs{
      open + close,
      one_image(R"("x":)" + open + close),
      one_image(R"("imageTags":)" + open + close),
      one_image(R"("x":)" + nested_objects(100000)),
      one_image(R"("x":)" + open),  // unbalanced as well
  };
  for (const auto& doc : docs) {
    const auto start = steady_clock::now();
    const auto r = ecrlp::parse_inventory(doc, "deep.json");
    const auto elapsed = steady_clock::now() - start;
    INFO(dump(r.diagnostics));
    CHECK_FALSE(r.value);
    CHECK(count_code(r.diagnostics, "inventory.depth") == 1);
    CHECK(elapsed < seconds{2});
  }
  // 1,000 levels are still fine.
  const auto ok = ecrlp::parse_inventory(
      one_image(R"("x":)" + std::string(1000, '[') + std::string(1000, ']')));
  INFO(dump(ok.diagnostics));
  CHECK(ok.ok());
}

TEST_CASE("a truncated file is an error at every cut, never a crash", "[inventory_parser]") {
  const auto fixture = load({"truncated.json"});
  CHECK_FALSE(fixture.value);
  REQUIRE(count_code(fixture.diagnostics, "inventory.syntax") == 1);
  CHECK(fixture.diagnostics[0].line == 12);
  CHECK(fixture.diagnostics[0].message.find("never closed") != std::string::npos);

  for (const auto* name : {"cli-v2.json", "archive-era.json", "bare-array.json"}) {
    const std::string text = read_text(data_dir / name);
    std::string_view body = text;
    while (!body.empty() && (body.back() == '\n' || body.back() == ' ')) body.remove_suffix(1);
    for (std::size_t cut = 0; cut < body.size(); ++cut) {
      const auto r = ecrlp::parse_inventory(body.substr(0, cut), name);
      INFO(name << " cut at " << cut);
      REQUIRE_FALSE(r.value);
      REQUIRE(ecrlp::has_errors(r.diagnostics));
      const auto& d = r.diagnostics.back();
      REQUIRE((d.code == "inventory.syntax" || d.code == "inventory.empty"));
    }
  }
}

TEST_CASE("invalid UTF-8 is reported where it is", "[inventory_parser]") {
  const auto r = load({"invalid-utf8.json"});
  CHECK_FALSE(r.value);
  REQUIRE(r.diagnostics.size() == 1);
  const auto& d = r.diagnostics[0];
  CHECK(d.code == "inventory.utf8");
  const std::string text = read_text(data_dir / "invalid-utf8.json");
  CHECK(d.byte == text.find('\xE9'));
  CHECK(d.line == 1);
  CHECK(d.column == d.byte + 1);

  for (const std::string& bad :
       {std::string{"[\"\xC0\xAF\"]"}, std::string{"[\"\xED\xA0\x80\"]"},
        std::string{"[\"\xF4\x90\x80\x80\"]"}, std::string{"[\"\xE2\x82\"]"}}) {
    const auto b = ecrlp::parse_inventory(bad);
    REQUIRE(b.diagnostics.size() == 1);
    CHECK(b.diagnostics[0].code == "inventory.utf8");
    CHECK(b.diagnostics[0].byte == 2);
  }
}

TEST_CASE("fixture files with the wrong content give document-level codes", "[inventory_parser]") {
  const auto check = [](const char* name, std::string_view code) {
    const auto r = load({name});
    INFO(name << "\n" << dump(r.diagnostics));
    CHECK_FALSE(r.value);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == code);
    CHECK(r.diagnostics[0].file == (data_dir / name).string());
  };
  check("not-json.txt", "inventory.syntax");
  check("empty.json", "inventory.empty");
  check("wrong-top.json", "inventory.shape");
  check("policy-not-inventory.json", "inventory.shape");
}

TEST_CASE("errors are capped per file", "[inventory_parser]") {
  std::string doc = "[";
  for (int k = 0; k < 150; ++k) doc += R"({"imagePushedAt":1},)";
  doc.back() = ']';
  const auto r = ecrlp::parse_inventory(doc);
  CHECK_FALSE(r.value);
  CHECK(count_code(r.diagnostics, "image.missing_field") == 100);
  CHECK(count_code(r.diagnostics, "inventory.too_many_errors") == 1);
  CHECK(r.diagnostics.back().code == "inventory.too_many_errors");
  CHECK(r.diagnostics.size() == 101);
}

TEST_CASE("unreadable and oversized files give io codes", "[inventory_parser]") {
  const test_files::temp_dir tmp{"ecrlp-inventory-test-"};
  SECTION("missing file") {
    const auto missing = tmp.path / "does-not-exist.json";
    const auto r = load({missing});
    CHECK_FALSE(r.value);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "io.read");
    CHECK(r.diagnostics[0].file == missing.string());
  }
  SECTION("a directory") {
    const auto r = load({tmp.path});
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "io.read");
  }
  SECTION("a later page still gets read after an unreadable one") {
    const auto r = load({tmp.path / "nope.json", "cli-v1.json"});
    CHECK_FALSE(r.value);
    CHECK(r.diagnostics.size() == 1);
  }
  SECTION("larger than 4 GiB (a sparse file: nothing is written or read)") {
    const auto big = tmp.path / "big.json";
    { std::ofstream{big} << "["; }
    fs::resize_file(big, (std::uintmax_t{1} << 32) + 1);
    const auto start = steady_clock::now();
    const auto r = load({big});
    CHECK(steady_clock::now() - start < seconds{2});
    CHECK_FALSE(r.value);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "io.too_large");
  }
}

TEST_CASE("inventory loading does not depend on the local time zone", "[inventory_parser]") {
  const char* old = std::getenv("TZ");
  const std::string saved = old != nullptr ? old : "";
  std::vector<std::vector<timestamp>> seen;
  for (const char* zone : {"UTC", "Europe/Kyiv", "America/Denver"}) {
    ::setenv("TZ", zone, 1);
    ::tzset();
    const auto r = load({"cli-v2.json"});
    REQUIRE(r.ok());
    std::vector<timestamp> row;
    for (const auto& i : r.value->images) row.push_back(i.pushed_at);
    seen.push_back(row);
  }
  if (old != nullptr) {
    ::setenv("TZ", saved.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
  CHECK(seen[0] == seen[1]);
  CHECK(seen[0] == seen[2]);
}

TEST_CASE("a large generated inventory loads completely", "[inventory_parser]") {
  constexpr int n = 20000;
  std::string doc = "{\n  \"imageDetails\": [\n";
  for (int k = 0; k < n; ++k) {
    doc += "    {\n      \"registryId\": \"012345678910\",\n      \"repositoryName\": \"app\",\n";
    doc += "      \"imageDigest\": \"sha256:" + std::string(58, 'a') + std::to_string(1000000 + k) +
           "\",\n";
    doc += "      \"imageTags\": [\"build-" + std::to_string(k) + "\"],\n";
    doc += "      \"imageSizeInBytes\": " + std::to_string(1000 + k) + ",\n";
    doc += "      \"imagePushedAt\": \"2023-09-27T00:06:14.575000+08:00\",\n";
    doc += "      \"imageScanStatus\": {\"status\": \"COMPLETE\", \"description\": \"ok\"},\n";
    doc += "      \"lastRecordedPullTime\": " + std::to_string(1700000000 + k) + ".5\n";
    doc += k + 1 < n ? "    },\n" : "    }\n";
  }
  doc += "  ],\n  \"nextToken\": null\n}\n";
  const auto r = ecrlp::parse_inventory(doc);
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  REQUIRE(r.value->images.size() == n);
  const auto& last = r.value->images.back();
  CHECK(last.tags == std::vector<std::string>{"build-" + std::to_string(n - 1)});
  CHECK(last.size_bytes == 1000 + n - 1);
  CHECK(last.last_pulled_at == timestamp{seconds{1700000000 + n - 1}} + milliseconds{500});

  // One bad value deep in the file: the line number is exact.
  const auto pos = doc.rfind("\"imageSizeInBytes\": ");
  std::string broken = doc;
  broken.insert(pos + 20, "-");
  const auto b = ecrlp::parse_inventory(broken);
  REQUIRE(b.diagnostics.size() == 1);
  CHECK(b.diagnostics[0].code == "image.size");
  CHECK(b.diagnostics[0].line ==
        static_cast<std::size_t>(
            std::count(doc.begin(), doc.begin() + static_cast<std::ptrdiff_t>(pos), '\n')) +
            1);
  CHECK(b.diagnostics[0].pointer == "/imageDetails/" + std::to_string(n - 1) + "/imageSizeInBytes");
}

// ---------------------------------------------------------------------------------------------
// Windowed parsing: a large page is parsed in windows of whole ImageDetails. The hooks force
// windows of a few bytes, so that window seams fall inside every construct of a small page; the
// result must be exactly that of a whole parse: same diagnostics (code, level, pointer, message,
// line, column, byte) in the same order, same images. The hooks: lib/read/inventory/hooks.hpp.

namespace {

std::string dump_all(const ecrlp::parse_result<ecrlp::inventory>& r) {
  std::string out = r.value ? "ok\n" : "no value\n";
  for (const auto& d : r.diagnostics) {
    out += d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + "@" +
           std::to_string(d.byte) + ": " + d.pointer + ": " + std::string{ecrlp::to_string(d.level)} +
           "[" + d.code + "]: " + d.message + "\n";
  }
  if (r.value) {
    out += "repository " + r.value->repository_name + " registry " + r.value->registry_id + "\n";
    for (const auto& i : r.value->images) {
      out += i.digest + " [";
      for (const auto& t : i.tags) out += "<" + t + ">";
      const auto us = [](const std::optional<timestamp>& t) {
        return t ? std::to_string(t->time_since_epoch().count()) : std::string{"-"};
      };
      out += "] " + std::to_string(i.pushed_at.time_since_epoch().count()) + " " +
             us(i.last_pulled_at) + " " + us(i.last_archived_at) + " " + us(i.last_activated_at) +
             " " + std::to_string(static_cast<int>(i.status)) + " " +
             std::to_string(i.size_bytes) + " " + std::to_string(static_cast<int>(i.manifest)) +
             " " + i.subject_digest;
      if (i.findings) {
        out += " findings " + std::to_string(i.findings->critical) + "," +
               std::to_string(i.findings->high) + "," + std::to_string(i.findings->medium) + "," +
               std::to_string(i.findings->low) + "," + std::to_string(i.findings->informational) +
               "," + std::to_string(i.findings->undefined);
      }
      out += "\n";
    }
  }
  return out;
}

std::string digest_of(int k) {
  std::string hex = std::to_string(k);
  return "sha256:" + std::string(64 - hex.size(), 'a') + hex;
}

// A pretty-printed page (AWS CLI layout) whose ImageDetails hold what a window seam must not
// disturb: tag lists one tag per line, strings with brackets, commas, escaped quotes and
// backslashes, nested unknown members, findings, an image error and a duplicate digest.
std::string seam_page(bool bare, bool with_errors, std::string_view next_token = "") {
  std::string doc = bare ? "[\n" : "{\n    \"imageDetails\": [\n";
  const int n = 7;
  for (int k = 0; k < n; ++k) {
    doc += "        {\n";
    doc += "            \"registryId\": \"123456789012\",\n";
    doc += "            \"repositoryName\": \"team/app\",\n";
    const int digest = with_errors && k == 5 ? 1 : k;  // image 5 repeats image 1's digest
    doc += "            \"imageDigest\": \"" + digest_of(digest) + "\",\n";
    if (k % 3 != 2) {
      doc += "            \"imageTags\": [\n";
      doc += "                \"v1." + std::to_string(k) + "\",\n";
      doc += "                \"release-" + std::to_string(k) + "\",\n";
      doc += "                \"v1." + std::to_string(k) + "\"\n";  // repeated: kept once
      doc += "            ],\n";
    }
    doc += "            \"description\": \"a [string] {with} \\\"quotes\\\", \\\\ and ]},[\",\n";
    doc += "            \"imageScanStatus\": {\"status\": \"COMPLETE\", \"list\": [[1, 2], {\"x\": "
           "[]}]},\n";
    doc += "            \"imageScanFindingsSummary\": {\n";
    doc += "                \"findingSeverityCounts\": {\n";
    doc += "                    \"HIGH\": " + std::to_string(k) + ",\n";
    doc += "                    \"LOW\": 2\n";
    doc += "                }\n";
    doc += "            },\n";
    doc += "            \"imageSizeInBytes\": " + std::to_string(1000 * (k + 1)) + ",\n";
    if (with_errors && k == 3) {
      doc += "            \"imagePushedAt\": \"2023-02-30T00:00:00Z\",\n";  // no such day
    } else {
      doc += "            \"imagePushedAt\": \"2023-09-27T00:06:1" + std::to_string(k) +
             ".575000+08:00\",\n";
    }
    doc += "            \"imageManifestMediaType\": \"application/vnd.oci.image.manifest.v1+json\",\n";
    doc += "            \"lastRecordedPullTime\": " + std::to_string(1700000000 + k) + ".5\n";
    doc += k + 1 < n ? "        },\n" : "        }\n";
  }
  doc += bare ? "]\n" : "    ]";
  if (!bare) {
    if (!next_token.empty()) doc += ",\n    \"nextToken\": \"" + std::string{next_token} + "\"";
    doc += "\n}\n";
  }
  return doc;
}

struct windowed_run {
  ecrlp::parse_result<ecrlp::inventory> result;
  std::size_t windows = 0;
  std::size_t fallbacks = 0;
};

windowed_run parse_windowed(std::string_view doc, std::size_t window) {
  windowed_run w;
  w.result = ecrlp::detail::parse_inventory_windowed(doc, "page.json", window, w.windows,
                                                     w.fallbacks);
  return w;
}

}  // namespace

TEST_CASE("windowed parsing: every window size gives the whole parse's result",
          "[inventory_parser][windowed]") {
  const bool bare = GENERATE(false, true);
  const bool with_errors = GENERATE(false, true);
  const std::string doc = seam_page(bare, with_errors, bare ? "" : "next-page");
  const auto whole = ecrlp::parse_inventory(doc, "page.json");
  const std::string expected = dump_all(whole);
  if (with_errors) {
    REQUIRE(find(whole.diagnostics, "image.timestamp",
                 std::string{bare ? "" : "/imageDetails"} + "/3/imagePushedAt") != nullptr);
    REQUIRE(find(whole.diagnostics, "image.duplicate_digest",
                 std::string{bare ? "" : "/imageDetails"} + "/5/imageDigest") != nullptr);
  } else {
    REQUIRE(whole.value.has_value());
    REQUIRE(whole.value->images.size() == 7);
  }
  if (!bare) REQUIRE(count_code(whole.diagnostics, "inventory.next_token") == 1);
  // Window sizes from 1 byte (every window is stalled and doubled until an ImageDetail fits) to
  // more than the page: the first window's cut falls after every line of the page in turn, so a
  // seam goes through each tag list, each nested member, the string with brackets and escaped
  // quotes, the bad timestamp and the repeated digest.
  std::size_t most_windows = 0;
  for (std::size_t window = 1; window <= doc.size() + 16; window += window < 64 ? 1 : 7) {
    const auto w = parse_windowed(doc, window);
    INFO("window " << window);
    REQUIRE(dump_all(w.result) == expected);
    REQUIRE(w.fallbacks == 0);  // image errors are reported from the windows themselves
    REQUIRE(w.windows >= 1);
    most_windows = std::max(most_windows, w.windows);
  }
  CHECK(most_windows > 7);
}

TEST_CASE("windowed parsing: seams at CRLF line ends, after a BOM, and in long tag lists",
          "[inventory_parser][windowed]") {
  std::string doc = "\xEF\xBB\xBF" + seam_page(false, true);
  std::string crlf;
  for (const char c : doc) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  std::string many_tags = "{\"imageDetails\": [\n";
  for (int k = 0; k < 3; ++k) {
    many_tags += std::string{k == 0 ? "" : ",\n"} + "{\"imageDigest\": \"" + digest_of(k) +
                 "\", \"imagePushedAt\": 1700000000, \"imageTags\": [\n";
    for (int t = 0; t < 1005; ++t) {
      many_tags += std::string{t == 0 ? "" : ",\n"} + "\"t" + std::to_string(t) + "\"";
    }
    many_tags += "]}";
  }
  many_tags += "\n]}\n";
  // Commas at the start of lines: a window cut after an ImageDetail resumes at a `,`.
  std::string comma_first = seam_page(true, true);
  for (std::size_t at = comma_first.find(",\n"); at != std::string::npos;
       at = comma_first.find(",\n", at + 2)) {
    comma_first.replace(at, 2, "\n,");
  }
  for (const std::string* text : {&doc, &crlf, &many_tags, &comma_first}) {
    const std::string expected = dump_all(ecrlp::parse_inventory(*text, "page.json"));
    for (const std::size_t window : {std::size_t{1}, std::size_t{97}, std::size_t{1000},
                                     std::size_t{4096}, std::size_t{20000}}) {
      const auto w = parse_windowed(*text, window);
      INFO("window " << window);
      CHECK(dump_all(w.result) == expected);
      CHECK(w.fallbacks == 0);
    }
  }
}

TEST_CASE("windowed parsing: what a window cannot settle is parsed whole, with the same result",
          "[inventory_parser][windowed]") {
  const std::string page = seam_page(false, true, "token");
  std::vector<std::pair<std::string, std::string>> cases;
  // Truncated inside the last ImageDetail: whole parses report only the truncation.
  cases.emplace_back("truncated", page.substr(0, page.size() * 3 / 4));
  // Invalid UTF-8 after the image errors: a whole parse reports only the UTF-8 error.
  std::string utf8 = page;
  utf8.insert(utf8.rfind("\"team/app\"") + 3, "\xC3\x28");
  cases.emplace_back("utf8", utf8);
  // A raw line break inside a string (not JSON).
  std::string raw_newline = page;
  raw_newline.insert(raw_newline.rfind("a [string]") + 3, "\n");
  cases.emplace_back("raw newline", raw_newline);
  // Garbage after the document, a second imageDetails, a missing comma between ImageDetails.
  cases.emplace_back("trailing", page + "{}\n");
  std::string twice = page;
  twice.insert(twice.rfind('}'), ",\n\"imageDetails\": []\n");
  cases.emplace_back("twice", twice);
  std::string missing_comma = page;
  missing_comma.erase(missing_comma.find("        },\n") + 9, 1);
  cases.emplace_back("missing comma", missing_comma);
  // Nesting deeper than the limit inside an ImageDetail.
  std::string deep = page;
  deep.insert(deep.find("\"imageScanStatus\""),
              "\"deep\": " + std::string(1100, '[') + std::string(1100, ']') + ",\n");
  cases.emplace_back("deep", deep);
  // More than 100 errors.
  std::string errors = "{\"imageDetails\": [\n";
  for (int k = 0; k < 150; ++k) {
    errors += std::string{k == 0 ? "" : ",\n"} + "{\"imageDigest\": \"" + digest_of(k) +
              "\", \"imagePushedAt\": \"yesterday\"}";
  }
  errors += "\n]}\n";
  cases.emplace_back("errors", errors);
  // A page whose first member is not imageDetails, and a minified page (no line break).
  cases.emplace_back("other head", "{\"nextToken\": null, " + page.substr(page.find('"')));
  std::string minified;
  for (const char c : seam_page(false, false)) {
    if (c != '\n') minified += c;
  }
  cases.emplace_back("minified", minified);

  for (const auto& [name, text] : cases) {
    const std::string expected = dump_all(ecrlp::parse_inventory(text, "page.json"));
    for (const std::size_t window : {std::size_t{1}, std::size_t{200}, std::size_t{700},
                                     std::size_t{3000}, std::size_t{100000}}) {
      const auto w = parse_windowed(text, window);
      INFO(name << ", window " << window);
      CHECK(dump_all(w.result) == expected);
    }
  }
}

TEST_CASE("windowed parsing of every fixture file matches the whole parse",
          "[inventory_parser][windowed]") {
  std::vector<fs::path> files;
  for (const auto& dir : {data_dir, fs::path{ECRLP_TEST_DATA} / "hostile" / "inventories"}) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.is_regular_file()) files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 10);
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string text{std::istreambuf_iterator<char>(in), {}};
    if (text.size() > (std::size_t{4} << 20)) continue;
    const std::string expected = dump_all(ecrlp::parse_inventory(text, "page.json"));
    for (const std::size_t window : {std::size_t{1}, std::size_t{50}, std::size_t{333},
                                     std::size_t{4096}}) {
      const auto w = parse_windowed(text, window);
      INFO(file.string() << ", window " << window);
      CHECK(dump_all(w.result) == expected);
    }
  }
}

TEST_CASE("windowed loading of several files matches load_inventory",
          "[inventory_parser][windowed]") {
  const fs::path dir = fs::temp_directory_path() / ("ecrlp-windowed-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir / name, std::ios::binary) << text;
    return dir / name;
  };
  const fs::path a = write("a.json", seam_page(false, false, "more"));
  std::string second = seam_page(false, false);
  // The second page repeats the first page's image 4 (a duplicate across files), and its own
  // first ImageDetail has a bad size.
  second.replace(second.find(digest_of(0)), digest_of(0).size(), digest_of(4));
  second.replace(second.find("\"imageSizeInBytes\": 1000,"), 25, "\"imageSizeInBytes\": -1,");
  const fs::path b = write("b.json", second);
  const fs::path c = write("c.json", seam_page(true, false).substr(0, 900));  // truncated
  const fs::path d = write("d.json", seam_page(true, false));

  for (const std::vector<fs::path>& files :
       {std::vector<fs::path>{a, b}, std::vector<fs::path>{a, c, d}, std::vector<fs::path>{d, a},
        std::vector<fs::path>{a, d, data_dir / "page-1.json", data_dir / "page-2-duplicate.json"}}) {
    const std::string expected = dump_all(ecrlp::load_inventory(files));
    for (const std::size_t window : {std::size_t{1}, std::size_t{100}, std::size_t{1500},
                                     std::size_t{1} << 20}) {
      std::size_t windows = 0;
      std::size_t fallbacks = 0;
      const auto r = ecrlp::detail::load_inventory_windowed(files, window, windows, fallbacks);
      INFO("window " << window);
      CHECK(dump_all(r) == expected);
      CHECK(windows >= files.size() - 1);
    }
  }
  const auto dup = ecrlp::load_inventory(std::vector<fs::path>{a, b});
  CHECK(find(dup.diagnostics, "image.duplicate_digest", "/imageDetails/0/imageDigest") != nullptr);
  CHECK(find(dup.diagnostics, "image.size", "/imageDetails/0/imageSizeInBytes") != nullptr);
  fs::remove_all(dir);
}
