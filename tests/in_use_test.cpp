// SPDX-License-Identifier: MIT
#include <ecrlp/evaluate.hpp>
#include <ecrlp/in_use.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"

namespace {

using namespace std::chrono_literals;

const std::filesystem::path data = std::filesystem::path(ECRLP_TEST_DATA) / "in_use";

const std::string d1 = "sha256:" + std::string(64, '1');
const std::string d2 = "sha256:" + std::string(64, '2');
const std::string d3 = "sha256:" + std::string(64, '3');
const std::string d4 = "sha256:" + std::string(64, '4');
const std::string d5 = "sha256:" + std::string(64, '5');
const std::string host = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

ecrlp::image make_image(std::string digest, std::vector<std::string> tags, int age_days = 1) {
  ecrlp::image img;
  img.digest = std::move(digest);
  img.tags = std::move(tags);
  img.pushed_at = ecrlp::timestamp{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}} -
                  std::chrono::days{age_days};
  img.size_bytes = 1000;
  return img;
}

/// The references of `texts`, each parsed (they must be valid).
std::vector<ecrlp::in_use_ref> refs_of(std::vector<std::string> texts) {
  std::vector<ecrlp::in_use_ref> out;
  for (auto& t : texts) {
    auto parsed = ecrlp::parse_image_reference(t);
    REQUIRE(parsed.ok());
    ecrlp::in_use_ref r;
    r.text = t;
    r.ref = *parsed.value;
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<std::string> texts_of(const ecrlp::in_use_list& list) {
  std::vector<std::string> out;
  for (const auto& r : list.refs) out.push_back(r.text);
  return out;
}

const ecrlp::diagnostic* find_code(const std::vector<ecrlp::diagnostic>& diags,
                                   std::string_view code) {
  for (const auto& d : diags) {
    if (d.code == code) return &d;
  }
  return nullptr;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

TEST_CASE("image references split into registry, repository, tag and digest", "[in_use]") {
  struct row {
    std::string text;
    std::string registry, registry_id, region, repository, tag;
    bool implied;
    std::string digest;
  };
  const std::vector<row> rows{
      {"app", "", "", "", "app", "latest", true, ""},
      {"app:v1", "", "", "", "app", "v1", false, ""},
      {"team-a/api:v1.2_rc-3", "", "", "", "team-a/api", "v1.2_rc-3", false, ""},
      {"team-a/api@" + d1, "", "", "", "team-a/api", "", false, d1},
      {"team-a/api:v1@" + d1, "", "", "", "team-a/api", "v1", false, d1},
      {d2, "", "", "", "", "", false, d2},
      {host + "/team-a/api:v1", host, "123456789012", "us-east-1", "team-a/api", "v1", false, ""},
      {host + "/api", host, "123456789012", "us-east-1", "api", "latest", true, ""},
      {"123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/x:1",
       "123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com", "123456789012", "us-gov-west-1",
       "x", "1", false, ""},
      {"123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/x@" + d3,
       "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn", "123456789012", "cn-north-1", "x", "",
       false, d3},
      {"123456789012.dkr-ecr.eu-west-1.on.aws/x:1", "123456789012.dkr-ecr.eu-west-1.on.aws",
       "123456789012", "eu-west-1", "x", "1", false, ""},
      {"123456789012.DKR.ECR.us-east-1.AMAZONAWS.COM:443/x:1",
       "123456789012.DKR.ECR.us-east-1.AMAZONAWS.COM:443", "123456789012", "us-east-1", "x", "1",
       false, ""},
      // Not ECR hosts: a wrong account length, ECR Public, other registries.
      {"12345678901.dkr.ecr.us-east-1.amazonaws.com/x:1",
       "12345678901.dkr.ecr.us-east-1.amazonaws.com", "", "", "x", "1", false, ""},
      {"public.ecr.aws/nginx/nginx:1.27", "public.ecr.aws", "", "", "nginx/nginx", "1.27", false,
       ""},
      {"localhost/app:1", "localhost", "", "", "app", "1", false, ""},
      {"localhost:5000/app", "localhost:5000", "", "", "app", "latest", true, ""},
      {"Registry/app:1", "Registry", "", "", "app", "1", false, ""},
      {"[::1]:5000/app:1", "[::1]:5000", "", "", "app", "1", false, ""},
      // The first component without '.', ':' or upper case is a path, not a host.
      {"library/nginx:1.27", "", "", "", "library/nginx", "1.27", false, ""},
      {"a__b/c---d/e.f:x", "", "", "", "a__b/c---d/e.f", "x", false, ""},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    const auto parsed = ecrlp::parse_image_reference(r.text);
    REQUIRE(parsed.ok());
    const ecrlp::image_reference& ref = *parsed.value;
    CHECK(ref.registry == r.registry);
    CHECK(ref.registry_id == r.registry_id);
    CHECK(ref.region == r.region);
    CHECK(ref.repository == r.repository);
    CHECK(ref.tag == r.tag);
    CHECK(ref.tag_implied == r.implied);
    CHECK(ref.digest == r.digest);
    CHECK(ref.is_ecr() == !r.registry_id.empty());
    CHECK(ref.is_bare_digest() == r.repository.empty());
  }
}

TEST_CASE("malformed image references are refused with the reason", "[in_use]") {
  const std::vector<std::pair<std::string, std::string>> rows{
      {"", "empty"},
      {"Team_A/api:v1", "is not a registry host"},  // upper case makes it a host, '_' a bad one
      {"host.example.com:65536/app", "is not a registry host"},
      {"team-a/API:v1", "is not a repository path component"},
      {"team-a/api:", "the tag \"\""},
      {"team-a/api:.v1", "the tag"},
      {"team-a/api:" + std::string(301, 'x'), "the tag"},
      {"team-a//api", "is not a repository path component"},
      {"team-a/api-:v1", "is not a repository path component"},
      {"/api:v1", "is not a repository path component"},
      {"team-a/api@sha256:abc", "is not sha256: and 64 lower-case hexadecimal digits"},
      {"team-a/api@sha256:" + std::string(64, 'A'), "lower-case"},
      {"team-a/api@md5:" + std::string(32, '0'), "does not start with sha256: or sha512:"},
      {"@" + d1, "names nothing before '@'"},
      {"a@" + d1 + "@" + d1, "more than one '@'"},
      {"sha256:xyz", "is not sha256: and 64"},
      {"app:v1 app:v2", "white space"},
      {"app\x01", "a control character"},
      {"app\xC3\xA9", "a non-ASCII character"},
      {"host.example.com:99999/app", "is not a registry host"},
      {"-bad.example.com/app", "is not a registry host"},
      {"host.example.com/", "names no repository"},
      {std::string(1025, 'a'), "longer than 1024 bytes"},
      {std::string(257, 'a'), "longer than 256"},
  };
  for (const auto& [text, why] : rows) {
    CAPTURE(text);
    const auto parsed = ecrlp::parse_image_reference(text);
    CHECK_FALSE(parsed.ok());
    CHECK_FALSE(parsed.value.has_value());
    REQUIRE(parsed.diagnostics.size() == 1);
    CHECK(parsed.diagnostics[0].code == "in_use.reference");
    CHECK(parsed.diagnostics[0].message.find(why) != std::string::npos);
    CHECK(parsed.diagnostics[0].message.size() < 400);
  }
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

TEST_CASE("a text file gives one reference per line, with its place", "[in_use]") {
  const auto list = ecrlp::load_in_use(data / "refs.txt");
  REQUIRE(list.ok());
  CHECK(list.diagnostics.empty());
  CHECK(list.value->format == ecrlp::in_use_format::text);
  CHECK(texts_of(*list.value) == std::vector<std::string>{host + "/team-a/api:v1",
                                                          "team-a/api@" + d1, d2, "team-a/worker",
                                                          "ghcr.io/example/tool:2.0"});
  const auto& refs = list.value->refs;
  CHECK(refs[0].line == 3);
  CHECK(refs[0].column == 1);
  CHECK(refs[1].line == 4);
  CHECK(refs[1].column == 3);  // after two spaces; the inline comment is dropped
  CHECK(refs[1].ref.digest == d1);
  CHECK(refs[3].ref.tag == "latest");
  CHECK(refs[3].ref.tag_implied);
  for (const auto& r : refs) {
    CHECK(r.source == (data / "refs.txt").string());
    CHECK(r.pointer.empty());
  }
}

TEST_CASE("text files: CRLF line ends, a byte order mark, blank and comment-only files",
          "[in_use]") {
  const auto crlf = ecrlp::load_in_use(data / "crlf.txt");
  REQUIRE(crlf.ok());
  CHECK(texts_of(*crlf.value) == std::vector<std::string>{"team-a/api:v2", "team-a/api:v3"});
  CHECK(crlf.value->refs[1].line == 4);

  const auto bom = ecrlp::parse_in_use(
      "\xEF\xBB\xBF"
      "app:v1\n  [x\n",
      "bom.txt");
  REQUIRE_FALSE(bom.ok());  // the second line starts with '[' but the document is text
  REQUIRE(bom.diagnostics.size() == 1);
  CHECK(bom.diagnostics[0].line == 2);
  CHECK(bom.diagnostics[0].column == 3);

  const auto bom_ok = ecrlp::parse_in_use(
      "\xEF\xBB\xBF"
      "app:v1\n",
      "bom.txt");
  REQUIRE(bom_ok.ok());
  CHECK(bom_ok.value->refs[0].column == 4);  // columns count bytes, the mark included

  for (const std::string_view empty :
       {std::string_view{""}, std::string_view{"\n# nothing\n  \n"}}) {
    const auto r = ecrlp::parse_in_use(empty, "empty.txt");
    REQUIRE(r.ok());
    CHECK(r.value->refs.empty());
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].level == ecrlp::severity::warning);
    CHECK(r.diagnostics[0].code == "in_use.empty");
  }
}

TEST_CASE("every bad reference of a text file is reported with its line", "[in_use]") {
  const auto list = ecrlp::load_in_use(data / "bad-refs.txt");
  CHECK_FALSE(list.ok());
  CHECK_FALSE(list.value.has_value());
  REQUIRE(list.diagnostics.size() == 4);
  const std::vector<std::size_t> lines{2, 3, 4, 5};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    CHECK(list.diagnostics[i].code == "in_use.reference");
    CHECK(list.diagnostics[i].line == lines[i]);
    CHECK(list.diagnostics[i].column == 1);
    CHECK(list.diagnostics[i].file == (data / "bad-refs.txt").string());
    CHECK(list.diagnostics[i].pointer.empty());
  }
}

TEST_CASE("more than 100 errors stop the reading with in_use.limit", "[in_use]") {
  std::string text;
  for (int i = 0; i < 150; ++i) text += "BAD/x:\n";
  const auto r = ecrlp::parse_in_use(text, "many.txt");
  REQUIRE(r.diagnostics.size() == 101);
  CHECK(r.diagnostics[99].code == "in_use.reference");
  CHECK(r.diagnostics[99].line == 100);
  CHECK(r.diagnostics[100].code == "in_use.limit");
}

TEST_CASE("kubectl get pods -o json: spec images and the imageIDs that run", "[in_use]") {
  const auto list = ecrlp::load_in_use(data / "pods.json");
  REQUIRE(list.ok());
  CHECK(list.diagnostics.empty());
  CHECK(list.value->format == ecrlp::in_use_format::kubernetes);
  const auto& refs = list.value->refs;
  // In document order; the empty imageID of a container that has not started is skipped, and
  // managedFields (which mention "f:image") are not references.
  CHECK(texts_of(*list.value) ==
        std::vector<std::string>{
            host + "/team-a/api:v1", host + "/team-a/sidecar:latest",
            host + "/team-a/migrate@" + d3, "docker-pullable://" + host + "/team-a/api@" + d1,
            host + "/team-a/migrate@" + d3, "busybox", host + "/tools/debug:1.2"});
  CHECK(refs[0].pointer == "/items/0/spec/containers/0/image");
  CHECK(refs[2].pointer == "/items/0/spec/initContainers/0/image");
  CHECK(refs[3].pointer == "/items/0/status/containerStatuses/0/imageID");
  CHECK(refs[4].pointer == "/items/0/status/initContainerStatuses/0/imageID");
  CHECK(refs[6].pointer == "/items/1/spec/ephemeralContainers/0/image");
  // The imageID's runtime scheme is not part of the reference.
  CHECK(refs[3].ref.registry_id == "123456789012");
  CHECK(refs[3].ref.repository == "team-a/api");
  CHECK(refs[3].ref.digest == d1);
  CHECK(refs[3].ref.tag.empty());
  CHECK(refs[5].ref.registry.empty());
  CHECK(refs[5].ref.tag_implied);
  // Positions point at the string.
  CHECK(refs[0].line == 16);
  CHECK(refs[0].column == 31);
}

TEST_CASE("Kubernetes workload templates and single objects are read too", "[in_use]") {
  const auto list = ecrlp::load_in_use(data / "workloads.json");
  REQUIRE(list.ok());
  CHECK(list.value->format == ecrlp::in_use_format::kubernetes);
  CHECK(texts_of(*list.value) ==
        std::vector<std::string>{host + "/team-a/api:v0", host + "/team-a/batch:nightly"});
  CHECK(list.value->refs[1].pointer ==
        "/items/1/spec/jobTemplate/spec/template/spec/containers/0/image");

  const auto pod = ecrlp::load_in_use(data / "pod.json");
  REQUIRE(pod.ok());
  CHECK(pod.value->format == ecrlp::in_use_format::kubernetes);
  CHECK(texts_of(*pod.value) ==
        std::vector<std::string>{host + "/team-a/api:v1", host + "/team-a/api@" + d1});
  CHECK(pod.value->refs[1].pointer == "/status/containerStatuses/0/imageID");
}

TEST_CASE("ECS task definitions and tasks", "[in_use]") {
  const auto def = ecrlp::load_in_use(data / "ecs-task-definition.json");
  REQUIRE(def.ok());
  CHECK(def.value->format == ecrlp::in_use_format::ecs_task_definition);
  CHECK(texts_of(*def.value) ==
        std::vector<std::string>{host + "/team-a/api:v1",
                                 "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable"});
  CHECK(def.value->refs[0].pointer == "/taskDefinition/containerDefinitions/0/image");

  const auto bare =
      ecrlp::parse_in_use(R"({"family":"x","containerDefinitions":[{"image":"a:1"}]})");
  REQUIRE(bare.ok());
  CHECK(bare.value->format == ecrlp::in_use_format::ecs_task_definition);
  CHECK(texts_of(*bare.value) == std::vector<std::string>{"a:1"});

  const auto tasks = ecrlp::load_in_use(data / "ecs-tasks.json");
  REQUIRE(tasks.ok());
  CHECK(tasks.value->format == ecrlp::in_use_format::ecs_tasks);
  const auto& refs = tasks.value->refs;
  CHECK(texts_of(*tasks.value) ==
        std::vector<std::string>{host + "/team-a/api:v1", d1, host + "/team-a/worker:v7"});
  // imageDigest takes the registry and repository of its container's image.
  CHECK(refs[1].pointer == "/tasks/0/containers/0/imageDigest");
  CHECK(refs[1].ref.registry_id == "123456789012");
  CHECK(refs[1].ref.repository == "team-a/api");
  CHECK(refs[1].ref.digest == d1);
  CHECK(refs[1].ref.tag.empty());
  CHECK_FALSE(refs[1].ref.tag_implied);

  // Without a valid image beside it, the digest stands alone.
  const auto alone =
      ecrlp::parse_in_use(R"({"tasks":[{"containers":[{"imageDigest":")" + d2 + R"("}]}]})");
  REQUIRE(alone.ok());
  REQUIRE(alone.value->refs.size() == 1);
  CHECK(alone.value->refs[0].ref.is_bare_digest());
}

TEST_CASE("a JSON array of strings", "[in_use]") {
  const auto list = ecrlp::load_in_use(data / "array.json");
  REQUIRE(list.ok());
  CHECK(list.value->format == ecrlp::in_use_format::json_array);
  CHECK(texts_of(*list.value) == std::vector<std::string>{host + "/team-a/api:v1", d2});
  CHECK(list.value->refs[1].pointer == "/1");
  CHECK(list.value->refs[1].line == 3);
  CHECK(list.value->refs[1].column == 3);

  const auto empty = ecrlp::parse_in_use("[]");
  REQUIRE(empty.ok());
  CHECK(find_code(empty.diagnostics, "in_use.empty") != nullptr);
}

TEST_CASE("JSON errors name the place: syntax, shape, types and references", "[in_use]") {
  SECTION("malformed JSON") {
    const auto r = ecrlp::load_in_use(data / "truncated.json");
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "in_use.syntax");
    CHECK(r.diagnostics[0].line == 4);  // at the last byte read, the final line end
    CHECK(r.diagnostics[0].file == (data / "truncated.json").string());
  }
  SECTION("a shape that is not an in-use document") {
    const auto r = ecrlp::load_in_use(data / "unknown-shape.json");
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "in_use.format");
    CHECK(r.diagnostics[0].message.find("\"imageDetails\", \"nextToken\"") != std::string::npos);
    CHECK(r.diagnostics[0].line == 1);
    for (const std::string_view doc :
         {std::string_view{R"({"items": {}})"}, std::string_view{R"({})"},
          std::string_view{R"({"spec": {}})"}, std::string_view{R"({"tasks": "x"})"}}) {
      CAPTURE(doc);
      const auto bad = ecrlp::parse_in_use(doc);
      REQUIRE(bad.diagnostics.size() == 1);
      CHECK(bad.diagnostics[0].code == "in_use.format");
    }
  }
  SECTION("a value of the wrong type where a reference belongs") {
    const auto r = ecrlp::load_in_use(data / "wrong-type.json");
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "in_use.format");
    CHECK(r.diagnostics[0].pointer == "/taskDefinition/containerDefinitions/0/image");
    CHECK(r.diagnostics[0].message.find("a number") != std::string::npos);
    CHECK(r.diagnostics[0].line == 4);
    const auto arr = ecrlp::parse_in_use(R"(["a:1", {"b": 1}, null, ["c"]])");
    REQUIRE(arr.diagnostics.size() == 3);  // null too (in Kubernetes and ECS, null is absent)
    CHECK(arr.diagnostics[0].pointer == "/1");
    CHECK(arr.diagnostics[1].pointer == "/2");
    CHECK(arr.diagnostics[1].message.find("null") != std::string::npos);
    CHECK(arr.diagnostics[2].pointer == "/3");
  }
  SECTION("a reference that does not parse") {
    const auto r = ecrlp::load_in_use(data / "bad-reference.json");
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "in_use.reference");
    CHECK(r.diagnostics[0].pointer == "/1");
    CHECK(r.diagnostics[0].line == 3);
    CHECK(r.diagnostics[0].column == 3);
  }
  SECTION("NUL bytes, UTF-16 and deep nesting") {
    const auto nul = ecrlp::parse_in_use(std::string_view("app:v1\n\0x", 9), "nul.txt");
    REQUIRE(nul.diagnostics.size() == 1);
    CHECK(nul.diagnostics[0].code == "in_use.syntax");
    CHECK(nul.diagnostics[0].line == 2);
    const auto utf16 = ecrlp::parse_in_use(std::string_view("\xFF\xFE[\0]\0", 6));
    REQUIRE(utf16.diagnostics.size() == 1);
    CHECK(utf16.diagnostics[0].message.find("UTF-16") != std::string::npos);
    const std::string deep = std::string(600, '[') + std::string(600, ']');
    const auto d = ecrlp::parse_in_use(deep);
    REQUIRE(d.diagnostics.size() == 1);
    CHECK(d.diagnostics[0].code == "in_use.syntax");
    CHECK(d.diagnostics[0].message.find("512") != std::string::npos);
    const std::string ok_depth = "[" + std::string(500, '[') + std::string(500, ']') + "]";
    CHECK(ecrlp::parse_in_use(ok_depth).diagnostics[0].code == "in_use.format");
  }
  SECTION("trailing garbage and invalid UTF-8 in strings") {
    CHECK(ecrlp::parse_in_use(R"(["a:1"] x)").diagnostics.at(0).code == "in_use.syntax");
    CHECK(ecrlp::parse_in_use("[\"a\xFF\"]").diagnostics.at(0).code == "in_use.syntax");
  }
}

TEST_CASE("load_in_use: unreadable files", "[in_use]") {
  const auto missing = ecrlp::load_in_use(data / "no-such-file.txt");
  REQUIRE(missing.diagnostics.size() == 1);
  CHECK(missing.diagnostics[0].code == "io.read");
  CHECK(missing.diagnostics[0].file == (data / "no-such-file.txt").string());
  const auto dir = ecrlp::load_in_use(data);
  REQUIRE(dir.diagnostics.size() == 1);
  CHECK(dir.diagnostics[0].code == "io.read");
  CHECK(dir.diagnostics[0].message.find("directory") != std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

TEST_CASE("refers_to: registry, repository, digest and tag", "[in_use]") {
  const ecrlp::image api_v1 = make_image(d1, {"v1", "stable"});
  const ecrlp::image untagged = make_image(d2, {});
  const ecrlp::image latest = make_image(d3, {"latest"});
  const auto yes = [](const std::string& text, std::string_view repo, std::string_view registry,
                      const ecrlp::image& img) {
    auto parsed = ecrlp::parse_image_reference(text);
    REQUIRE(parsed.ok());
    return ecrlp::refers_to(*parsed.value, repo, registry, img);
  };
  // Tags, within the repository.
  CHECK(yes("team-a/api:v1", "team-a/api", "123456789012", api_v1));
  CHECK(yes("team-a/api:stable", "team-a/api", "123456789012", api_v1));
  CHECK_FALSE(yes("team-a/api:v2", "team-a/api", "123456789012", api_v1));
  CHECK_FALSE(yes("team-a/other:v1", "team-a/api", "123456789012", api_v1));
  CHECK_FALSE(yes("team-a/api:V1", "team-a/api", "", api_v1));  // tags are case-sensitive
  // A missing tag is Docker's latest.
  CHECK(yes("team-a/api", "team-a/api", "", latest));
  CHECK_FALSE(yes("team-a/api", "team-a/api", "", api_v1));
  // Digests: the tag beside a digest is ignored.
  CHECK(yes("team-a/api@" + d2, "team-a/api", "", untagged));
  CHECK(yes("team-a/api:v9@" + d2, "team-a/api", "", untagged));
  CHECK_FALSE(yes("team-a/api:v1@" + d2, "team-a/api", "", api_v1));
  CHECK_FALSE(yes("team-a/other@" + d2, "team-a/api", "", untagged));
  CHECK(yes(d2, "team-a/api", "123456789012", untagged));  // a bare digest: any repository
  // Registries.
  CHECK(yes(host + "/team-a/api:v1", "team-a/api", "123456789012", api_v1));
  CHECK(yes(host + "/team-a/api:v1", "team-a/api", "", api_v1));
  CHECK_FALSE(yes(host + "/team-a/api:v1", "team-a/api", "999999999999", api_v1));
  CHECK(yes("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team-a/api:v1", "team-a/api",
            "123456789012", api_v1));  // the region is not compared
  CHECK_FALSE(yes("ghcr.io/team-a/api:v1", "team-a/api", "", api_v1));  // not ECR: never
  CHECK_FALSE(yes("ghcr.io/team-a/api@" + d1, "team-a/api", "", api_v1));
  // An inventory without repositoryName: tags and digests match in any repository.
  CHECK(yes("team-a/other:v1", "", "", api_v1));
  CHECK(yes(host + "/x/y@" + d2, "", "", untagged));
}

TEST_CASE("match_in_use: per image, the references that hit it", "[in_use]") {
  const std::vector<ecrlp::image> images{make_image(d1, {"v1", "stable"}), make_image(d2, {}),
                                         make_image(d3, {"v3"}), make_image(d4, {"latest"})};
  const auto refs =
      refs_of({"team-a/api:v1", "team-a/api@" + d2, "team-a/api:stable", d3, "team-a/api:nope",
               "other/repo:v1", "team-a/api", host + "/team-a/api:v1", "team-a/api:v1"});
  const auto m = ecrlp::match_in_use(refs, "team-a/api", "123456789012", images);
  REQUIRE(m.size() == 4);
  CHECK(m[0].refs == std::vector<std::size_t>{0, 2, 7, 8});
  CHECK(m[1].refs == std::vector<std::size_t>{1});
  CHECK(m[2].refs == std::vector<std::size_t>{3});
  CHECK(m[3].refs == std::vector<std::size_t>{6});
  for (const auto& x : m) CHECK(x.through.empty());
  for (std::size_t i = 0; i < images.size(); ++i) {
    CHECK(m[i].in_use());
    for (std::size_t r = 0; r < refs.size(); ++r) {  // the same answer as refers_to()
      const bool listed = std::find(m[i].refs.begin(), m[i].refs.end(), r) != m[i].refs.end();
      CHECK(listed == ecrlp::refers_to(refs[r].ref, "team-a/api", "123456789012", images[i]));
    }
  }

  ecrlp::in_use_coverage seen(refs.size());
  seen.add(m);
  CHECK(seen.unmatched() == std::vector<std::size_t>{4, 5});
  CHECK(seen.matched(0));
  CHECK_FALSE(seen.matched(5));
  CHECK_FALSE(seen.matched(99));
  // Another repository where other/repo:v1 names an image.
  const std::vector<ecrlp::image> other{make_image(d5, {"v1"})};
  seen.add(ecrlp::match_in_use(refs, "other/repo", "123456789012", other));
  CHECK(seen.unmatched() == std::vector<std::size_t>{4});
}

TEST_CASE("match_in_use: children of an in-use index are in use through it", "[in_use]") {
  // d1: index listing d2 and d3 (d3 itself an index listing d4); d5 stands alone.
  std::vector<ecrlp::image> images{make_image(d1, {"v1"}), make_image(d2, {}), make_image(d3, {}),
                                   make_image(d4, {}), make_image(d5, {})};
  images[0].manifest = ecrlp::manifest_kind::index;
  images[2].manifest = ecrlp::manifest_kind::index;
  const std::vector<ecrlp::index_manifest> indexes{{d1, {d2, d3, "sha256:" + std::string(64, 'f')}},
                                                   {d3, {d4}}};
  const auto refs = refs_of({"app:v1", "app@" + d3});
  const auto m = ecrlp::match_in_use(refs, "app", "", images, indexes);
  CHECK(m[0].refs == std::vector<std::size_t>{0});
  CHECK(m[0].through.empty());
  CHECK(m[1].through == std::vector<std::size_t>{0});
  CHECK(m[2].refs == std::vector<std::size_t>{1});
  CHECK(m[2].through == std::vector<std::size_t>{0});
  CHECK(m[3].through == std::vector<std::size_t>{0, 2});
  CHECK_FALSE(m[4].in_use());
  // Without the manifests, only what is named.
  const auto plain = ecrlp::match_in_use(refs, "app", "", images);
  CHECK_FALSE(plain[1].in_use());
  CHECK_FALSE(plain[3].in_use());
  // A cycle in hostile manifests ends.
  const std::vector<ecrlp::index_manifest> cycle{{d1, {d2}}, {d2, {d1}}};
  const auto c = ecrlp::match_in_use(refs, "app", "", images, cycle);
  CHECK(c[1].through == std::vector<std::size_t>{0});
  CHECK(c[0].through.empty());
}

// ---------------------------------------------------------------------------------------------
// Violations
// ---------------------------------------------------------------------------------------------

TEST_CASE("violations: in-use images the policy expires or archives, oldest first", "[in_use]") {
  // Rule 1 archives prod images beyond the newest one; rule 2 expires anything beyond 2 images.
  ecrlp::lifecycle_policy policy;
  ecrlp::rule prod;
  prod.priority = 1;
  prod.selection.status = ecrlp::tag_status::tagged;
  prod.selection.list_kind = ecrlp::tag_list_kind::prefix;
  prod.selection.tag_list = {"prod"};
  prod.selection.type = ecrlp::count_type::image_count_more_than;
  prod.selection.count_number = 1;
  prod.action.type = ecrlp::action_type::transition;
  ecrlp::rule rest;
  rest.priority = 2;
  rest.selection.status = ecrlp::tag_status::any;
  rest.selection.type = ecrlp::count_type::image_count_more_than;
  rest.selection.count_number = 2;
  policy.rules = {prod, rest};

  const std::vector<ecrlp::image> images{
      make_image(d1, {"prod-1"}, 40),  // archived by rule 1
      make_image(d2, {"dev-1"}, 50),   // expired by rule 2 (oldest)
      make_image(d3, {"prod-2"}, 10),  // kept (newest prod)
      make_image(d4, {"dev-2"}, 30),   // expired by rule 2
      make_image(d5, {"dev-3"}, 5)};   // kept
  const auto result = ecrlp::evaluate(
      policy, images,
      {.now = ecrlp::timestamp{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}}});
  REQUIRE(result.decisions[0].action == ecrlp::fate::transition);
  REQUIRE(result.decisions[1].action == ecrlp::fate::expire);
  REQUIRE(result.decisions[3].action == ecrlp::fate::expire);

  const auto refs = refs_of({"app:prod-1", "app:prod-2", "app:dev-1", "app:dev-3", "app@" + d2});
  const auto matches = ecrlp::match_in_use(refs, "app", "", images);
  const auto v = ecrlp::find_violations(matches, result);
  REQUIRE(v.size() == 2);
  CHECK(v[0].image_index == 1);  // oldest first (50 days), then 40 days
  CHECK(v[0].action == ecrlp::fate::expire);
  CHECK(v[0].rule_priority == 2);
  CHECK(v[0].refs == std::vector<std::size_t>{2, 4});
  CHECK(v[1].image_index == 0);
  CHECK(v[1].action == ecrlp::fate::transition);
  CHECK(v[1].rule_priority == 1);
  CHECK(v[1].refs == std::vector<std::size_t>{0});
  CHECK(v[1].related == ecrlp::relation::none);

  // Nothing in use, nothing violated.
  const auto none = ecrlp::match_in_use(refs_of({"app:dev-3"}), "app", "", images);
  CHECK(ecrlp::find_violations(none, result).empty());
}

TEST_CASE("violations through an index, and referrers that go with their subject", "[in_use]") {
  std::vector<ecrlp::image> images{make_image(d1, {"v1"}, 9), make_image(d2, {}, 8),
                                   make_image(d3, {}, 7)};
  const std::vector<ecrlp::index_manifest> indexes{{d1, {d2}}};
  images[0].manifest = ecrlp::manifest_kind::index;
  const auto refs = refs_of({"app:v1", "app@" + d3});
  const auto matches = ecrlp::match_in_use(refs, "app", "", images, indexes);
  // An evaluation (as with --independent-images) that expires the child the index lists, and a
  // referrer that follows its subject.
  ecrlp::evaluation_result result;
  result.decisions.resize(3);
  result.order = {0, 1, 2};
  result.decisions[1].action = ecrlp::fate::expire;
  result.decisions[1].owner = 4;
  result.decisions[2].action = ecrlp::fate::expire;
  result.decisions[2].owner = 7;
  result.decisions[2].related = ecrlp::relation::referrer;
  result.decisions[2].related_to = 0;
  const auto v = ecrlp::find_violations(matches, result);
  REQUIRE(v.size() == 2);
  CHECK(v[0].image_index == 1);
  CHECK(v[0].rule_priority == 4);
  CHECK(v[0].refs == std::vector<std::size_t>{0});  // the index's reference
  CHECK(v[0].through == std::vector<std::size_t>{0});
  CHECK(v[1].image_index == 2);
  CHECK(v[1].related == ecrlp::relation::referrer);
  CHECK(v[1].rule_priority == 7);
}

TEST_CASE("damaged in-use files give diagnostics, never a crash or a guess", "[in_use]") {
  const std::vector<std::string> files{
      "refs.txt",  "pods.json", "workloads.json", "ecs-tasks.json", "ecs-task-definition.json",
      "array.json"};
  const std::string file = GENERATE_COPY(from_range(files));
  const std::uint64_t seed = GENERATE(range(std::uint64_t{1}, std::uint64_t{26}));
  CAPTURE(file, seed);
  std::string text;
  {
    std::ifstream in(data / file, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  std::mt19937_64 rng(seed);
  for (int k = 0; k < 1 + static_cast<int>(rng() % 4); ++k) {
    const std::size_t at = rng() % text.size();
    switch (rng() % 4) {
      case 0:
        text.resize(at);  // truncated
        break;
      case 1:
        text[at] = static_cast<char>(rng() % 256);  // any byte, NUL and invalid UTF-8 included
        break;
      case 2:
        text.insert(at, 1, "{}[]\",:@/#\n "[rng() % 12]);
        break;
      default:
        text.erase(at, 1 + rng() % 8);
        break;
    }
    if (text.empty()) text = "[";
  }
  const auto r = ecrlp::parse_in_use(text, "damaged");
  CHECK(r.value.has_value() == !ecrlp::has_errors(r.diagnostics));
  CHECK(r.diagnostics.size() <= 101);
  for (const auto& d : r.diagnostics) {
    CHECK(d.file == "damaged");
    CHECK(d.line >= 1);
    CHECK(d.byte <= text.size());
    CHECK(d.message.size() < 4096);
    CHECK(d.code.starts_with("in_use."));
  }
  if (r.value) {
    for (const auto& ref : r.value->refs) {  // every reference kept has its parts
      CHECK((!ref.ref.repository.empty() || !ref.ref.digest.empty()));
      CHECK((ref.ref.tag.empty() || !ref.ref.repository.empty()));
      CHECK(ref.line >= 1);
      CHECK(ref.column >= 1);
    }
  }
}
