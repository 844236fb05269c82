// SPDX-License-Identifier: MIT
// batch-get-image outputs -> image indexes: indexes and manifest lists, non-index entries,
// failures, malformed embedded manifests, wrong types, positions, several files.

#include <algorithm>
#include <ecrlp/manifest_parser.hpp>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "parser_test_util.hpp"

namespace {

namespace fs = std::filesystem;
using ecrlp::diagnostic;
using ecrlp::parse_index_manifests;

const fs::path data_dir = fs::path{ECRLP_TEST_DATA} / "registry-lib" / "manifests";

const std::string d1 = "sha256:" + std::string(64, '1');
const std::string d2 = "sha256:" + std::string(64, '2');
const std::string d3 = "sha256:" + std::string(64, '3');
const std::string d4 = "sha256:" + std::string(64, '4');

using parser_test::dump;
using parser_test::find;

/// A JSON string literal holding `text` (quotes and backslashes escaped).
std::string literal(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

/// One images[] entry.
std::string entry(std::string_view digest, std::string_view manifest_text,
                  std::string_view media_type = {}) {
  std::string e = R"({"imageId": {"imageDigest": ")" + std::string(digest) +
                  R"("}, "imageManifest": )" + literal(manifest_text);
  if (!media_type.empty()) e += R"(, "imageManifestMediaType": ")" + std::string(media_type) + "\"";
  return e + "}";
}

std::string batch(const std::vector<std::string>& entries, std::string_view failures = "[]") {
  std::string out = "{\n\"images\": [\n";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (i != 0) out += ",\n";
    out += entries[i];
  }
  return out + "\n],\n\"failures\": " + std::string(failures) + "\n}\n";
}

constexpr std::string_view oci_index = "application/vnd.oci.image.index.v1+json";
constexpr std::string_view docker_list =
    "application/vnd.docker.distribution.manifest.list.v2+json";
constexpr std::string_view oci_manifest = "application/vnd.oci.image.manifest.v1+json";

std::string index_text(std::string_view media_type, const std::vector<std::string>& children) {
  std::string out = "{\n  \"schemaVersion\": 2,\n";
  if (!media_type.empty()) out += "  \"mediaType\": \"" + std::string(media_type) + "\",\n";
  out += "  \"manifests\": [";
  for (std::size_t i = 0; i < children.size(); ++i) {
    if (i != 0) out += ",";
    out += "\n    {\"mediaType\": \"" + std::string(oci_manifest) + "\", \"digest\": \"" +
           children[i] + "\", \"size\": 1609, \"platform\": {\"architecture\": \"amd64\", " +
           "\"os\": \"linux\"}}";
  }
  return out + "\n  ]\n}";
}

}  // namespace

TEST_CASE("an OCI image index gives its digest and its children in order", "[manifest_parser]") {
  const auto r =
      parse_index_manifests(batch({entry(d1, index_text(oci_index, {d2, d3}), oci_index)}));
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.value->size() == 1);
  CHECK(r.value->at(0).digest == d1);
  CHECK(r.value->at(0).manifests == std::vector<std::string>{d2, d3});
}

TEST_CASE("a Docker manifest list is an index", "[manifest_parser]") {
  SECTION("named by both media types") {
    const auto r =
        parse_index_manifests(batch({entry(d1, index_text(docker_list, {d3, d2}), docker_list)}));
    REQUIRE(r.ok());
    REQUIRE(r.value->size() == 1);
    CHECK(r.value->at(0).manifests == std::vector<std::string>{d3, d2});
  }
  SECTION("named only by imageManifestMediaType") {
    const auto r = parse_index_manifests(batch({entry(d1, index_text("", {d2}), docker_list)}));
    REQUIRE(r.ok());
    REQUIRE(r.value->size() == 1);
    CHECK(r.value->at(0).digest == d1);
  }
  SECTION("named only by the manifest's own mediaType") {
    const auto r = parse_index_manifests(batch({entry(d1, index_text(docker_list, {d2}))}));
    REQUIRE(r.ok());
    REQUIRE(r.value->size() == 1);
  }
  SECTION("no media type anywhere, but a manifests array") {
    const auto r = parse_index_manifests(batch({entry(d1, index_text("", {d2, d3}))}));
    REQUIRE(r.ok());
    REQUIRE(r.value->size() == 1);
    CHECK(r.value->at(0).manifests.size() == 2);
  }
}

TEST_CASE("entries that are not indexes are ignored", "[manifest_parser]") {
  const std::string image_manifest =
      R"({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
          "config": {"digest": ")" +
      d4 + R"(", "size": 7}, "layers": []})";
  // An artifact manifest that happens to have no mediaType and no manifests array.
  const std::string artifact = R"({"schemaVersion": 2, "layers": []})";
  const auto r = parse_index_manifests(
      batch({entry(d1, image_manifest, oci_manifest),
             entry(d2, index_text(oci_index, {d4}), oci_index), entry(d3, artifact)}));
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  CHECK(r.diagnostics.empty());
  REQUIRE(r.value->size() == 1);
  CHECK(r.value->at(0).digest == d2);

  const auto none = parse_index_manifests(R"({"images": [], "failures": []})");
  REQUIRE(none.ok());
  CHECK(none.value->empty());
}

TEST_CASE("failures become warnings", "[manifest_parser]") {
  const std::string failures = R"([{"imageId": {"imageDigest": ")" + d3 +
                               R"("}, "failureCode": "ImageNotFound",
      "failureReason": "Requested image not found"},
    {"imageId": {"imageTag": "v9"}, "failureCode": "ImageTagDoesNotMatchDigest"}])";
  const auto r = parse_index_manifests(
      batch({entry(d1, index_text(oci_index, {d2}), oci_index)}, failures), "batch.json");
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  REQUIRE(r.value->size() == 1);
  REQUIRE(r.diagnostics.size() == 2);
  const diagnostic* w = find(r.diagnostics, "manifest.failure", "/failures/0");
  REQUIRE(w != nullptr);
  CHECK(w->level == ecrlp::severity::warning);
  CHECK(w->file == "batch.json");
  CHECK(w->line == 5);
  CHECK(w->message.find(d3) != std::string::npos);
  CHECK(w->message.find("ImageNotFound") != std::string::npos);
  CHECK(w->message.find("Requested image not found") != std::string::npos);
  const diagnostic* t = find(r.diagnostics, "manifest.failure", "/failures/1");
  REQUIRE(t != nullptr);
  CHECK(t->message.find("tag \"v9\"") != std::string::npos);
  CHECK(t->message.find("ImageTagDoesNotMatchDigest") != std::string::npos);
}

TEST_CASE("malformed JSON inside imageManifest is placed in the file", "[manifest_parser]") {
  // Line 3 of the file holds the entry; the text breaks at its second line.
  const std::string text = "{\"schemaVersion\": 2,\n\"manifests\": [}";
  const std::string doc = batch({entry(d1, text, oci_index)});
  const auto r = parse_index_manifests(doc, "b.json");
  INFO(dump(r.diagnostics));
  REQUIRE_FALSE(r.ok());
  CHECK_FALSE(r.value.has_value());
  REQUIRE(r.diagnostics.size() == 1);
  const diagnostic& d = r.diagnostics[0];
  CHECK(d.code == "manifest.syntax");
  CHECK(d.pointer == "/images/0/imageManifest");
  CHECK(d.file == "b.json");
  CHECK(d.line == 3);
  // The `}` that breaks the text, as written (escaped) in the file.
  const std::size_t brace = doc.find("[}");
  REQUIRE(brace != std::string::npos);
  CHECK(d.byte == brace + 1);
  CHECK(d.column == brace + 1 - doc.rfind('\n', brace));
  CHECK(d.message.find("imageManifest: line 2, column 15 of the text") == 0);

  SECTION("an empty imageManifest") {
    const auto e = parse_index_manifests(batch({entry(d1, "", oci_index)}));
    REQUIRE(e.diagnostics.size() == 1);
    CHECK(e.diagnostics[0].code == "manifest.syntax");
    CHECK(e.diagnostics[0].pointer == "/images/0/imageManifest");
  }
  SECTION("a NUL character escaped in the text") {
    const auto e =
        parse_index_manifests(batch({R"({"imageId": {"imageDigest": ")" + d1 +
                                     R"("}, "imageManifest": "{\"manifests\": []}\u0000x"})"}));
    REQUIRE(e.diagnostics.size() == 1);
    CHECK(e.diagnostics[0].code == "manifest.syntax");
  }
}

TEST_CASE("the outer document must be batch-get-image output", "[manifest_parser]") {
  SECTION("not JSON") {
    const auto r = parse_index_manifests("{\n  \"images\": [,]\n}", "x.json");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "manifest.syntax");
    CHECK(r.diagnostics[0].line == 2);
    CHECK(r.diagnostics[0].column == 14);
    CHECK_FALSE(r.value.has_value());
  }
  SECTION("not UTF-8") {
    const auto r = parse_index_manifests("{\"images\": [\"\xC0\xAF\"]}");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "manifest.syntax");
    CHECK(r.diagnostics[0].byte == 13);
  }
  SECTION("a root that is not an object") {
    const auto r = parse_index_manifests("[]");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "manifest.type");
    CHECK(r.diagnostics[0].pointer.empty());
  }
  SECTION("no images member (a describe-images page, say)") {
    const auto r = parse_index_manifests(R"({"imageDetails": []})");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "manifest.field");
  }
  SECTION("images and failures that are not arrays") {
    const auto r = parse_index_manifests(R"({"images": {}, "failures": "none"})");
    CHECK(find(r.diagnostics, "manifest.type", "/images") != nullptr);
    CHECK(find(r.diagnostics, "manifest.type", "/failures") != nullptr);
    CHECK(r.diagnostics.size() == 2);
  }
}

TEST_CASE("wrong types and missing fields name the place", "[manifest_parser]") {
  SECTION("an entry that is not an object") {
    const auto r = parse_index_manifests(R"({"images": [42]})");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(find(r.diagnostics, "manifest.type", "/images/0") != nullptr);
  }
  SECTION("imageDigest is a number") {
    const std::string doc =
        R"({"images": [{"imageId": {"imageDigest": 17}, "imageManifest": "{}"}]})";
    const auto r = parse_index_manifests(doc);
    INFO(dump(r.diagnostics));
    REQUIRE(r.diagnostics.size() == 1);
    const diagnostic* d = find(r.diagnostics, "manifest.type", "/images/0/imageId/imageDigest");
    REQUIRE(d != nullptr);
    CHECK(d->byte == doc.find("17"));
    CHECK(d->line == 1);
    CHECK(d->column == doc.find("17") + 1);
  }
  SECTION("imageDigest is not a digest") {
    const auto r = parse_index_manifests(batch({entry("latest", index_text(oci_index, {d2}))}));
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(find(r.diagnostics, "manifest.field", "/images/0/imageId/imageDigest") != nullptr);
  }
  SECTION("no imageId, no imageManifest") {
    const auto r = parse_index_manifests(R"({"images": [{"imageManifestMediaType": "x"}]})");
    INFO(dump(r.diagnostics));
    CHECK(r.diagnostics.size() == 2);
    CHECK(std::all_of(r.diagnostics.begin(), r.diagnostics.end(), [](const diagnostic& d) {
      return d.code == "manifest.field" && d.pointer == "/images/0";
    }));
  }
  SECTION("imageManifest is an object, not a JSON string") {
    const auto r = parse_index_manifests(R"({"images": [{"imageId": {"imageDigest": ")" + d1 +
                                         R"("}, "imageManifest": {"manifests": []}}]})");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(find(r.diagnostics, "manifest.type", "/images/0/imageManifest") != nullptr);
  }
  SECTION("imageManifestMediaType is not a string") {
    const auto r =
        parse_index_manifests(R"({"images": [{"imageId": {"imageDigest": ")" + d1 +
                              R"("}, "imageManifest": "{}", "imageManifestMediaType": 1}]})");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(find(r.diagnostics, "manifest.type", "/images/0/imageManifestMediaType") != nullptr);
  }
  SECTION("a child digest of the wrong type, inside the embedded text") {
    const std::string doc = R"({"images": [{"imageId": {"imageDigest": ")" + d1 +
                            R"("}, "imageManifest": "{\"mediaType\": \")" + std::string(oci_index) +
                            R"(\", \"manifests\": [{\"digest\": \")" + d2 +
                            R"(\"}, {\"digest\": 7}]}"}]})";
    const auto r = parse_index_manifests(doc);
    INFO(dump(r.diagnostics));
    REQUIRE(r.diagnostics.size() == 1);
    const diagnostic* d =
        find(r.diagnostics, "manifest.type", "/images/0/imageManifest/manifests/1/digest");
    REQUIRE(d != nullptr);
    CHECK(d->byte == doc.find("7}]}"));
    CHECK(d->column == d->byte + 1);
    CHECK_FALSE(r.value.has_value());
  }
  SECTION("an index without manifests, a child without digest, a malformed child digest") {
    const auto r = parse_index_manifests(
        batch({entry(d1, R"({"mediaType": "application/vnd.oci.image.index.v1+json"})"),
               entry(d2, R"({"manifests": [{"size": 1}, {"digest": "nope"}, "x"]})")}));
    INFO(dump(r.diagnostics));
    CHECK(find(r.diagnostics, "manifest.field", "/images/0/imageManifest") != nullptr);
    CHECK(find(r.diagnostics, "manifest.field", "/images/1/imageManifest/manifests/0") != nullptr);
    CHECK(find(r.diagnostics, "manifest.field", "/images/1/imageManifest/manifests/1/digest") !=
          nullptr);
    CHECK(find(r.diagnostics, "manifest.type", "/images/1/imageManifest/manifests/2") != nullptr);
    CHECK(r.diagnostics.size() == 4);
  }
  SECTION("mediaType of the wrong type, manifests of the wrong type") {
    const auto r = parse_index_manifests(
        batch({entry(d1, R"({"mediaType": 2})"), entry(d2, R"({"manifests": {}})", oci_index)}));
    INFO(dump(r.diagnostics));
    CHECK(find(r.diagnostics, "manifest.type", "/images/0/imageManifest/mediaType") != nullptr);
    CHECK(find(r.diagnostics, "manifest.type", "/images/1/imageManifest/manifests") != nullptr);
    CHECK(r.diagnostics.size() == 2);
  }
  SECTION("every error is collected, good entries notwithstanding") {
    const auto r = parse_index_manifests(
        batch({entry(d1, index_text(oci_index, {d2})), R"({"imageId": 3, "imageManifest": "{}"})",
               entry(d3, "[1, 2]")}));
    INFO(dump(r.diagnostics));
    CHECK(find(r.diagnostics, "manifest.type", "/images/1/imageId") != nullptr);
    CHECK(find(r.diagnostics, "manifest.type", "/images/2/imageManifest") != nullptr);
    CHECK(r.diagnostics.size() == 2);
    CHECK_FALSE(r.value.has_value());
  }
}

TEST_CASE("a digest listed twice is a warning: the first listing is kept", "[manifest_parser]") {
  const auto r = parse_index_manifests(
      batch({entry(d1, index_text(oci_index, {d2, d3})), entry(d1, index_text(oci_index, {d4}))}),
      "dup.json");
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  REQUIRE(r.value->size() == 1);
  CHECK(r.value->at(0).manifests == std::vector<std::string>{d2, d3});
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].code == "manifest.duplicate");
  CHECK(r.diagnostics[0].level == ecrlp::severity::warning);
  CHECK(r.diagnostics[0].pointer == "/images/1");
  CHECK(r.diagnostics[0].message.find("dup.json:/images/0") != std::string::npos);
}

TEST_CASE("load_index_manifests reads several files in order", "[manifest_parser]") {
  const std::vector<fs::path> files = {data_dir / "batch-a.json", data_dir / "batch-b.json"};
  const auto r = ecrlp::load_index_manifests(files);
  INFO(dump(r.diagnostics));
  REQUIRE(r.ok());
  REQUIRE(r.value->size() == 2);
  // batch-a's ix-a (two children) wins over batch-b's listing of the same digest.
  CHECK(r.value->at(0).manifests.size() == 2);
  CHECK(r.value->at(1).manifests.size() == 1);
  CHECK(r.value->at(0).digest != r.value->at(1).digest);
  const diagnostic* dup = find(r.diagnostics, "manifest.duplicate", "/images/0");
  REQUIRE(dup != nullptr);
  CHECK(dup->file == files[1].string());
  CHECK(dup->message.find(files[0].string() + ":/images/0") != std::string::npos);
  const diagnostic* failure = find(r.diagnostics, "manifest.failure", "/failures/0");
  REQUIRE(failure != nullptr);
  CHECK(failure->file == files[1].string());
  CHECK(r.diagnostics.size() == 2);

  SECTION("a missing file is io.read and there is no value") {
    const std::vector<fs::path> missing = {data_dir / "batch-a.json", data_dir / "nope.json"};
    const auto m = ecrlp::load_index_manifests(missing);
    REQUIRE(m.diagnostics.size() == 1);
    CHECK(m.diagnostics[0].code == "io.read");
    CHECK(m.diagnostics[0].file == missing[1].string());
    CHECK_FALSE(m.value.has_value());
  }
  SECTION("a directory is io.read") {
    const std::vector<fs::path> dir = {data_dir};
    const auto m = ecrlp::load_index_manifests(dir);
    REQUIRE(m.diagnostics.size() == 1);
    CHECK(m.diagnostics[0].code == "io.read");
  }
}
