// SPDX-License-Identifier: MIT
// Registry snapshots: the loader (happy path, broken repositories next to good ones, numbering,
// names, top-level errors, hostile links) and the parallel evaluation (per repository equal to
// evaluating it alone, override policy, thread count independence, progress).

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/registry.hpp>
#include <ecrlp/render.hpp>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "catch.hpp"
#include "parser_test_util.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono;
using ecrlp::diagnostic;
using ecrlp::evaluation_result;
using ecrlp::preview_totals;
using ecrlp::registry_snapshot;
using ecrlp::repository_snapshot;

const fs::path data_dir = fs::path{ECRLP_TEST_DATA} / "registry-lib";
const ecrlp::timestamp now_2026_11_28{sys_days{year{2026} / November / 28}};

using parser_test::dump;

std::string dump(const registry_snapshot& s) {
  std::string out;
  for (const auto& r : s.repositories) out += "== " + r.name + "\n" + dump(r.diagnostics);
  return out;
}

const diagnostic* find(const std::vector<diagnostic>& diags, std::string_view code) {
  const auto it =
      std::find_if(diags.begin(), diags.end(), [&](const diagnostic& d) { return d.code == code; });
  return it == diags.end() ? nullptr : &*it;
}

const repository_snapshot* repo(const registry_snapshot& s, std::string_view name) {
  const auto it = std::find_if(s.repositories.begin(), s.repositories.end(),
                               [&](const repository_snapshot& r) { return r.name == name; });
  return it == s.repositories.end() ? nullptr : &*it;
}

/// A scratch directory, removed at the end of the test.
struct scratch_dir {
  fs::path path;
  explicit scratch_dir(std::string_view name)
      : path(fs::temp_directory_path() /
             ("ecrlp-registry-test-" + std::to_string(::getpid()) + "-" + std::string(name))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~scratch_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;
};

void write(const fs::path& p, std::string_view text) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary);
  out << text;
}

/// A copy of a fixture snapshot in a scratch directory.
fs::path copy_fixture(const scratch_dir& dir, std::string_view fixture) {
  const fs::path to = dir.path / "snap";
  fs::copy(data_dir / fixture, to, fs::copy_options::recursive);
  return to;
}

// ---- comparisons ----------------------------------------------------------------------------

void check_same(const ecrlp::image_totals& a, const ecrlp::image_totals& b) {
  CHECK(a.images == b.images);
  CHECK(a.bytes == b.bytes);
  CHECK(a.findings == b.findings);
}

void check_same(const preview_totals& a, const preview_totals& b) {
  check_same(a.before, b.before);
  check_same(a.expired, b.expired);
  check_same(a.transitioned, b.transitioned);
  check_same(a.kept, b.kept);
  check_same(a.after, b.after);
  check_same(a.after_standard, b.after_standard);
  check_same(a.after_archive, b.after_archive);
}

bool same(const evaluation_result& a, const evaluation_result& b) {
  if (a.decisions.size() != b.decisions.size() || a.order != b.order ||
      a.rules.size() != b.rules.size() || a.expiring != b.expiring ||
      a.transitioning != b.transitioning || a.guarded != b.guarded || a.referrers != b.referrers ||
      a.warnings.size() != b.warnings.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.decisions.size(); ++i) {
    const auto& x = a.decisions[i];
    const auto& y = b.decisions[i];
    if (x.action != y.action || x.related != y.related || x.related_to != y.related_to ||
        x.owner != y.owner) {
      return false;
    }
  }
  for (std::size_t i = 0; i < a.rules.size(); ++i) {
    const auto& x = a.rules[i];
    const auto& y = b.rules[i];
    if (x.priority != y.priority || x.identified != y.identified || x.marked != y.marked ||
        x.owned != y.owned || x.acted != y.acted || x.owned_bytes != y.owned_bytes ||
        x.acted_bytes != y.acted_bytes || x.cascaded != y.cascaded ||
        x.cascaded_bytes != y.cascaded_bytes) {
      return false;
    }
  }
  for (std::size_t i = 0; i < a.warnings.size(); ++i) {
    if (a.warnings[i].code != b.warnings[i].code ||
        a.warnings[i].message != b.warnings[i].message) {
      return false;
    }
  }
  return true;
}

void check_same(const ecrlp::registry_result& a, const ecrlp::registry_result& b) {
  REQUIRE(a.repositories.size() == b.repositories.size());
  for (std::size_t i = 0; i < a.repositories.size(); ++i) {
    INFO("repository " << a.repositories[i].repository->name);
    CHECK(a.repositories[i].repository == b.repositories[i].repository);
    CHECK(a.repositories[i].evaluated == b.repositories[i].evaluated);
    CHECK(a.repositories[i].source == b.repositories[i].source);
    CHECK(same(a.repositories[i].evaluation, b.repositories[i].evaluation));
    check_same(a.repositories[i].totals, b.repositories[i].totals);
  }
  check_same(a.totals, b.totals);
  CHECK(a.evaluated == b.evaluated);
  CHECK(a.skipped == b.skipped);
  CHECK(a.without_policy == b.without_policy);
  CHECK(a.guarded == b.guarded);
  CHECK(a.referrers == b.referrers);
}

/// The evaluation of one repository on its own, as evaluate_registry should do it.
evaluation_result alone(const repository_snapshot& r, const ecrlp::lifecycle_policy& policy,
                        bool independent = false) {
  return ecrlp::evaluate(
      policy, r.images.images,
      {.now = now_2026_11_28, .indexes = r.images.indexes, .independent_images = independent});
}

// ---- a generated registry -------------------------------------------------------------------

std::string digest_of(unsigned repo, unsigned image) {
  std::string hex = std::to_string(repo * 100000 + image);
  return "sha256:" + std::string(64 - hex.size(), 'a') + hex;
}

/// Writes `count` repositories of varied sizes (a fixed pseudo-random sequence): policies or none,
/// several pages, image indexes with their manifests.
void write_synthetic(const fs::path& dir, unsigned count) {
  write(dir / "snapshot.json",
        R"({"format": "ecrlp-registry-snapshot", "version": 1, "region": ""})");
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  const auto next = [&](std::uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  // lifecyclePolicyText, escaped: keep 5 releases (v*), expire untagged images after 20 days.
  const std::string policy_text =
      R"({\"rules\":[{\"rulePriority\":1,\"description\":\"keep 5 releases\",)"
      R"(\"selection\":{\"tagStatus\":\"tagged\",\"tagPrefixList\":[\"v\"],)"
      R"(\"countType\":\"imageCountMoreThan\",\"countNumber\":5},)"
      R"(\"action\":{\"type\":\"expire\"}},{\"rulePriority\":2,)"
      R"(\"selection\":{\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\",)"
      R"(\"countUnit\":\"days\",\"countNumber\":20},\"action\":{\"type\":\"expire\"}}]})";
  const std::string index_head =
      R"(\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",)";
  for (unsigned r = 0; r < count; ++r) {
    const std::string name = "team-" + std::to_string(r % 3) + "/svc-" + std::to_string(r);
    std::string encoded = name;
    encoded.replace(encoded.find('/'), 1, "%2F");
    const fs::path rd = dir / "repositories" / encoded;
    write(rd / "repository.json",
          R"({"repositoryName": ")" + name + R"(", "registryId": "111122223333"})");
    if (r % 4 != 3) {
      write(rd / "lifecycle-policy.json", R"({"registryId": "111122223333", "repositoryName": ")" +
                                              name + R"(", "lifecyclePolicyText": ")" +
                                              policy_text + "\"}");
    }
    const unsigned images = static_cast<unsigned>(next(400));
    const unsigned per_page = 50;
    std::string manifests;
    unsigned page = 1;
    std::string page_text;
    for (unsigned i = 0; i < images; ++i) {
      const bool is_index = i % 10 == 0 && i + 2 < images;
      std::string item = R"({"imageDigest": ")" + digest_of(r, i) + R"(", "imageSizeInBytes": )" +
                         std::to_string(1000 + next(100000)) + R"(, "imagePushedAt": )" +
                         std::to_string(1700000000 + next(40000000));
      if (next(3) != 0 && !(i % 10 == 1 || i % 10 == 2)) {
        item += R"(, "imageTags": ["v)" + std::to_string(i) + "\"]";
      }
      if (is_index) {
        item += R"(, "imageManifestMediaType": "application/vnd.oci.image.index.v1+json")";
        if (!manifests.empty()) manifests += ",";
        manifests += R"({"imageId": {"imageDigest": ")" + digest_of(r, i) +
                     R"("}, "imageManifest": "{)" + index_head +
                     R"(\"manifests\":[{\"digest\":\")" + digest_of(r, i + 1) +
                     R"(\"},{\"digest\":\")" + digest_of(r, i + 2) + R"(\"}]}"})";
      }
      if (next(5) == 0) {
        item += R"(, "imageScanFindingsSummary": {"findingSeverityCounts": {"HIGH": )" +
                std::to_string(next(9)) + "}}";
      }
      item += "}";
      if (!page_text.empty()) page_text += ",\n";
      page_text += item;
      if ((i + 1) % per_page == 0 && i + 1 < images) {
        char file[32];
        std::snprintf(file, sizeof file, "page-%04u.json", page++);
        write(rd / "images" / file, "{\"imageDetails\": [\n" + page_text + "\n]}");
        page_text.clear();
      }
    }
    char file[32];
    std::snprintf(file, sizeof file, "page-%04u.json", page);
    write(rd / "images" / file, "{\"imageDetails\": [\n" + page_text + "\n]}");
    if (!manifests.empty()) {
      write(rd / "manifests" / "batch-0001.json",
            "{\"images\": [" + manifests + "], \"failures\": []}");
    }
  }
}

}  // namespace

// =============================================================================================
// Loading
// =============================================================================================

TEST_CASE("a snapshot loads every repository, sorted by name", "[registry]") {
  const auto loaded = ecrlp::load_registry(data_dir / "ok");
  INFO(dump(loaded.diagnostics));
  REQUIRE(loaded.ok());
  CHECK(loaded.diagnostics.empty());
  const registry_snapshot& s = *loaded.value;
  INFO(dump(s));
  CHECK(s.version == 1);
  REQUIRE(s.created_at.has_value());
  CHECK(*s.created_at == ecrlp::timestamp{sys_days{year{2026} / November / 28} + hours{6}});
  CHECK(s.region == "us-east-1");
  CHECK(s.repository_filter.empty());
  CHECK(s.failed_count() == 0);
  CHECK(s.image_count() == 8);
  REQUIRE(s.repositories.size() == 3);
  CHECK(s.repositories[0].name == "empty");
  CHECK(s.repositories[1].name == "team/api");
  CHECK(s.repositories[2].name == "tools");
  for (const auto& r : s.repositories) {
    INFO(r.name);
    CHECK(r.diagnostics.empty());
    CHECK_FALSE(r.failed());
    CHECK(r.registry_id == "123456789012");
    CHECK(r.images.repository_name == r.name);
    CHECK(r.images.registry_id == "123456789012");
  }

  SECTION("a name with '/' lives in a %2F directory; pages in order; its index manifests") {
    const repository_snapshot& api = s.repositories[1];
    CHECK(api.directory.filename() == "team%2Fapi");
    REQUIRE(api.images.images.size() == 6);
    CHECK(api.images.images[0].tags == std::vector<std::string>{"v1"});
    CHECK(api.images.images[0].manifest == ecrlp::manifest_kind::index);
    CHECK(api.images.images[4].tags == std::vector<std::string>{"v2"});  // page 2 follows page 1
    REQUIRE(api.images.indexes.size() == 1);
    CHECK(api.images.indexes[0].digest == api.images.images[0].digest);
    CHECK(api.images.indexes[0].manifests ==
          std::vector<std::string>{api.images.images[1].digest, api.images.images[2].digest});
    REQUIRE(api.policy.has_value());
    CHECK(api.has_policy_file);
    CHECK(api.policy->from_aws_response);
    CHECK(api.policy->policy.rules.size() == 2);
  }
  SECTION("a repository without a policy, and one without images") {
    const repository_snapshot& tools = s.repositories[2];
    CHECK_FALSE(tools.policy.has_value());
    CHECK_FALSE(tools.has_policy_file);
    CHECK(tools.images.images.size() == 2);
    CHECK(tools.images.indexes.empty());
    const repository_snapshot& empty = s.repositories[0];
    CHECK(empty.policy.has_value());
    CHECK(empty.images.images.empty());
  }
  SECTION("loading with one thread or four gives the same snapshot") {
    for (const unsigned threads : {1U, 4U}) {
      const auto again = ecrlp::load_registry(data_dir / "ok", {.threads = threads});
      REQUIRE(again.ok());
      REQUIRE(again.value->repositories.size() == 3);
      for (std::size_t i = 0; i < 3; ++i) {
        CHECK(again.value->repositories[i].name == s.repositories[i].name);
        CHECK(again.value->repositories[i].images.images.size() ==
              s.repositories[i].images.images.size());
      }
    }
  }
}

TEST_CASE("a broken repository does not hide the others", "[registry]") {
  const auto loaded = ecrlp::load_registry(data_dir / "broken");
  INFO(dump(loaded.diagnostics));
  REQUIRE(loaded.ok());  // top level: fine; repositories: some failed
  const registry_snapshot& s = *loaded.value;
  INFO(dump(s));

  // notes.txt is not a repository: a top-level warning.
  REQUIRE(loaded.diagnostics.size() == 1);
  CHECK(loaded.diagnostics[0].code == "registry.unexpected");
  CHECK(loaded.diagnostics[0].level == ecrlp::severity::warning);
  CHECK(loaded.diagnostics[0].file.ends_with("notes.txt"));

  std::vector<std::string> names;
  for (const auto& r : s.repositories) names.push_back(r.name);
  CHECK(names == std::vector<std::string>{"alien", "alpha", "bad-json", "bad-policy", "gaps",
                                          "other", "zeta"});
  CHECK(s.failed_count() == 5);

  for (const char* good : {"alpha", "zeta"}) {
    const repository_snapshot* r = repo(s, good);
    REQUIRE(r != nullptr);
    CHECK_FALSE(r->failed());
    CHECK(r->diagnostics.empty());
    CHECK(r->images.images.size() == 2);
  }
  CHECK(repo(s, "alpha")->policy.has_value());

  SECTION("bad JSON in a page") {
    const repository_snapshot* r = repo(s, "bad-json");
    REQUIRE(r->failed());
    REQUIRE_FALSE(r->diagnostics.empty());
    CHECK(r->diagnostics[0].code.starts_with("inventory."));
    CHECK(r->diagnostics[0].file.ends_with("bad-json/images/page-0001.json"));
    CHECK(r->diagnostics[0].line > 0);
  }
  SECTION("an invalid policy") {
    const repository_snapshot* r = repo(s, "bad-policy");
    REQUIRE(r->failed());
    CHECK(r->has_policy_file);
    CHECK_FALSE(r->policy.has_value());
    const diagnostic* d = find(r->diagnostics, "rule.priority.out_of_range");
    REQUIRE(d != nullptr);
    CHECK(d->file.ends_with("lifecycle-policy.json"));
    CHECK(r->images.images.size() == 1);  // the pages were still read
  }
  SECTION("a gap in the page numbering") {
    const repository_snapshot* r = repo(s, "gaps");
    REQUIRE(r->failed());
    REQUIRE(r->diagnostics.size() == 1);
    CHECK(r->diagnostics[0].code == "registry.numbering");
    CHECK(r->diagnostics[0].file.ends_with("gaps/images/page-0002.json"));
    CHECK(r->diagnostics[0].message.find("page-0003.json") != std::string::npos);
    CHECK(r->images.images.empty());
  }
  SECTION("repositoryName does not match the directory name") {
    const repository_snapshot* r = repo(s, "other");
    REQUIRE(r->failed());
    const diagnostic* d = find(r->diagnostics, "registry.name_mismatch");
    REQUIRE(d != nullptr);
    CHECK(d->pointer == "/repositoryName");
    CHECK(d->file.ends_with("mismatch/repository.json"));
    CHECK(d->line == 4);
    CHECK(d->message.find("\"mismatch\"") != std::string::npos);
    CHECK(r->directory.filename() == "mismatch");
  }
  SECTION("an image's repositoryName is another repository's") {
    const repository_snapshot* r = repo(s, "alien");
    REQUIRE(r->failed());
    REQUIRE(r->diagnostics.size() == 1);
    const diagnostic& d = r->diagnostics[0];
    CHECK(d.code == "registry.name_mismatch");
    CHECK(d.pointer == "/imageDetails/0/repositoryName");
    CHECK(d.file.ends_with("alien/images/page-0001.json"));
    CHECK(d.line == 5);
    CHECK(d.column == 31);  // the value's opening quote
    CHECK(d.message.find("someone-else") != std::string::npos);
  }
}

TEST_CASE("numbering, names and layout checks", "[registry]") {
  scratch_dir tmp("layout");
  const fs::path snap = copy_fixture(tmp, "ok");
  const fs::path api = snap / "repositories" / "team%2Fapi";
  const fs::path tools = snap / "repositories" / "tools";

  SECTION("pages must start at 0001") {
    fs::rename(tools / "images" / "page-0001.json", tools / "images" / "page-0002.json");
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "tools");
    REQUIRE(r->failed());
    CHECK(find(r->diagnostics, "registry.numbering")->file.ends_with("page-0001.json"));
  }
  SECTION("a malformed page name") {
    write(tools / "images" / "page-2.json", R"({"imageDetails": []})");
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "tools");
    REQUIRE(r->failed());
    CHECK(find(r->diagnostics, "registry.numbering")->file.ends_with("page-2.json"));
  }
  SECTION("an unrelated file is a warning") {
    write(tools / "images" / "README", "hello");
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "tools");
    CHECK_FALSE(r->failed());
    CHECK(find(r->diagnostics, "registry.unexpected") != nullptr);
  }
  SECTION("no images directory") {
    fs::remove_all(tools / "images");
    const auto s = ecrlp::load_registry(snap);
    CHECK(find(repo(*s.value, "tools")->diagnostics, "registry.numbering") != nullptr);
  }
  SECTION("an index without its manifest: a warning") {
    fs::remove_all(api / "manifests");
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "team/api");
    CHECK_FALSE(r->failed());
    REQUIRE(r->diagnostics.size() == 1);
    CHECK(r->diagnostics[0].code == "registry.index_unknown");
    CHECK(r->diagnostics[0].message.find(r->images.images[0].digest) != std::string::npos);
    CHECK(r->images.indexes.empty());
  }
  SECTION("a gap in the manifest batches") {
    fs::rename(api / "manifests" / "batch-0001.json", api / "manifests" / "batch-0002.json");
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "team/api");
    REQUIRE(r->failed());
    CHECK(find(r->diagnostics, "registry.numbering")->file.ends_with("batch-0001.json"));
  }
  SECTION("a broken manifest batch") {
    write(api / "manifests" / "batch-0001.json", R"({"images": [{"imageId": 1}]})");
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "team/api");
    REQUIRE(r->failed());
    CHECK(find(r->diagnostics, "manifest.type") != nullptr);
  }
  SECTION("the policy of another repository") {
    fs::copy_file(api / "lifecycle-policy.json", tools / "lifecycle-policy.json");
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "tools");
    REQUIRE(r->failed());
    const diagnostic* d = find(r->diagnostics, "registry.name_mismatch");
    REQUIRE(d != nullptr);
    CHECK(d->pointer == "/repositoryName");
    CHECK(d->file.ends_with("tools/lifecycle-policy.json"));
    CHECK(d->line == 3);
  }
  SECTION("images of another registry") {
    for (const char* page : {"page-0001.json", "page-0002.json"}) {
      std::string text;
      {
        std::ifstream in(api / "images" / page);
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
      for (std::size_t at = text.find("123456789012"); at != std::string::npos;
           at = text.find("123456789012", at)) {
        text.replace(at, 12, "999999999999");
      }
      write(api / "images" / page, text);
    }
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "team/api");
    REQUIRE(r->failed());
    INFO(dump(r->diagnostics));
    REQUIRE(r->diagnostics.size() == 1);
    const diagnostic& d = r->diagnostics[0];
    CHECK(d.code == "registry.id_mismatch");
    CHECK(d.pointer == "/imageDetails/0/registryId");
    CHECK(d.file.ends_with("page-0001.json"));
    CHECK(d.line == 4);
  }
  SECTION("images from pages that mix repositories") {
    std::string text;
    {
      std::ifstream in(api / "images" / "page-0002.json");
      text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    text.replace(text.find("team/api"), 8, "team/web");
    write(api / "images" / "page-0002.json", text);
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "team/api");
    REQUIRE(r->failed());
    CHECK(find(r->diagnostics, "inventory.mixed_repositories") != nullptr);
  }
  SECTION("repository.json problems") {
    SECTION("missing") { fs::remove(tools / "repository.json"); }
    SECTION("not JSON") { write(tools / "repository.json", "{\"repositoryName\": "); }
    SECTION("the whole describe-repositories output") {
      write(tools / "repository.json", R"({"repositories": [{"repositoryName": "tools"}]})");
    }
    SECTION("not a valid name") {
      write(tools / "repository.json", R"({"repositoryName": "Tools"})");
    }
    SECTION("a name of the wrong type") {
      write(tools / "repository.json", R"({"repositoryName": 7})");
    }
    const auto s = ecrlp::load_registry(snap);
    REQUIRE(s.ok());
    const repository_snapshot* r = repo(*s.value, "tools");  // the directory's name
    REQUIRE(r != nullptr);
    INFO(dump(r->diagnostics));
    CHECK(r->failed());
    CHECK(r->diagnostics.front().file.ends_with("tools/repository.json"));
    CHECK(s.value->failed_count() == 1);
  }
  SECTION("a hidden directory is ignored with a warning") {
    fs::create_directories(snap / "repositories" / ".cache");
    const auto s = ecrlp::load_registry(snap);
    REQUIRE(s.ok());
    CHECK(s.value->repositories.size() == 3);
    CHECK(find(s.diagnostics, "registry.unexpected") != nullptr);
  }
  SECTION("no repositories directory: an empty registry") {
    fs::remove_all(snap / "repositories");
    const auto s = ecrlp::load_registry(snap);
    REQUIRE(s.ok());
    CHECK(s.value->repositories.empty());
  }
}

TEST_CASE("top-level errors leave no value", "[registry]") {
  scratch_dir tmp("top");
  const fs::path snap = copy_fixture(tmp, "ok");
  std::string code;
  std::string pointer;
  fs::path target = snap;
  SECTION("no such directory") {
    target = tmp.path / "nope";
    code = "io.read";
  }
  SECTION("a file, not a directory") {
    target = snap / "snapshot.json";
    code = "io.read";
  }
  SECTION("no snapshot.json") {
    fs::remove(snap / "snapshot.json");
    code = "registry.not_snapshot";
  }
  SECTION("wrong format") {
    write(snap / "snapshot.json", R"({"format": "something-else", "version": 1})");
    code = "registry.format";
    pointer = "/format";
  }
  SECTION("no format") {
    write(snap / "snapshot.json", R"({"version": 1})");
    code = "registry.format";
  }
  SECTION("a later version") {
    write(snap / "snapshot.json", R"({"format": "ecrlp-registry-snapshot", "version": 2})");
    code = "registry.format";
    pointer = "/version";
  }
  SECTION("not JSON") {
    write(snap / "snapshot.json", "{\n\"format\": ");
    code = "registry.syntax";
  }
  SECTION("not an object") {
    write(snap / "snapshot.json", "[]");
    code = "registry.type";
  }
  SECTION("a createdAt that is no timestamp") {
    write(snap / "snapshot.json",
          R"({"format": "ecrlp-registry-snapshot", "version": 1, "createdAt": "yesterday"})");
    code = "registry.field";
    pointer = "/createdAt";
  }
  SECTION("a region of the wrong type") {
    write(snap / "snapshot.json",
          R"({"format": "ecrlp-registry-snapshot", "version": 1, "region": 1})");
    code = "registry.type";
    pointer = "/region";
  }
  const auto s = ecrlp::load_registry(target);
  INFO(dump(s.diagnostics));
  CHECK_FALSE(s.ok());
  CHECK_FALSE(s.value.has_value());
  REQUIRE(s.diagnostics.size() == 1);
  CHECK(s.diagnostics[0].code == code);
  CHECK(s.diagnostics[0].pointer == pointer);
  CHECK_FALSE(s.diagnostics[0].file.empty());
}

TEST_CASE("links are followed only inside the snapshot: only regular files are read",
          "[registry]") {
  scratch_dir tmp("links");
  const fs::path snap = copy_fixture(tmp, "ok");
  const fs::path tools = snap / "repositories" / "tools";
  const fs::path page = tools / "images" / "page-0001.json";

  SECTION("a link to a file inside the snapshot is read") {
    fs::create_directories(snap / "shared");
    fs::rename(page, snap / "shared" / "tools-page.json");
    fs::create_symlink("../../../shared/tools-page.json", page);
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "tools");
    INFO(dump(r->diagnostics));
    CHECK_FALSE(r->failed());
    CHECK(r->images.images.size() == 2);
  }
  SECTION("a link out of the snapshot is refused") {
    fs::rename(page, tmp.path / "outside.json");
    fs::create_symlink(tmp.path / "outside.json", page);
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "tools");
    REQUIRE(r->failed());
    REQUIRE(r->diagnostics.size() == 1);
    CHECK(r->diagnostics[0].code == "registry.symlink");
    CHECK(r->diagnostics[0].file == page.string());
    CHECK(s.value->failed_count() == 1);
  }
  SECTION("a repository directory that links out is refused") {
    fs::rename(tools, tmp.path / "tools-elsewhere");
    fs::create_directory_symlink(tmp.path / "tools-elsewhere", tools);
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "tools");
    REQUIRE(r != nullptr);
    REQUIRE(r->failed());
    CHECK(r->diagnostics[0].code == "registry.symlink");
  }
  SECTION("a snapshot.json that links out is refused") {
    fs::rename(snap / "snapshot.json", tmp.path / "snapshot.json");
    fs::create_symlink(tmp.path / "snapshot.json", snap / "snapshot.json");
    const auto s = ecrlp::load_registry(snap);
    CHECK_FALSE(s.value.has_value());
    REQUIRE(s.diagnostics.size() == 1);
    CHECK(s.diagnostics[0].code == "registry.symlink");
  }
  SECTION("the snapshot directory itself may be reached through a link") {
    fs::create_directory_symlink(snap, tmp.path / "alias");
    const auto s = ecrlp::load_registry(tmp.path / "alias");
    REQUIRE(s.ok());
    CHECK(s.value->failed_count() == 0);
  }
  SECTION("a FIFO is not read (it would block)") {
    fs::remove(tools / "lifecycle-policy.json");
    REQUIRE(::mkfifo((tools / "lifecycle-policy.json").c_str(), 0600) == 0);
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "tools");
    REQUIRE(r->failed());
    CHECK(r->diagnostics[0].code == "io.read");
    CHECK(r->diagnostics[0].message.find("not a regular file") != std::string::npos);
  }
  SECTION("a dangling link") {
    fs::remove(page);
    fs::create_symlink("nowhere.json", page);
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "tools");
    REQUIRE(r->failed());
    CHECK(r->diagnostics[0].code == "io.read");
  }
  SECTION("repository.json larger than 1 MiB") {
    write(tools / "repository.json", R"({"repositoryName": "tools", "pad": ")" +
                                         std::string(std::size_t{1} << 20, 'x') + "\"}");
    const auto s = ecrlp::load_registry(snap);
    const repository_snapshot* r = repo(*s.value, "tools");
    REQUIRE(r->failed());
    CHECK(r->diagnostics[0].code == "io.too_large");
  }
}

// =============================================================================================
// Evaluation
// =============================================================================================

TEST_CASE("each repository is evaluated as it would be alone", "[registry]") {
  const auto loaded = ecrlp::load_registry(data_dir / "ok");
  REQUIRE(loaded.ok());
  const registry_snapshot& s = *loaded.value;
  const bool independent = GENERATE(false, true);
  INFO("independent_images " << independent);
  const auto result = ecrlp::evaluate_registry(
      s, {.now = now_2026_11_28, .independent_images = independent, .threads = 2});
  REQUIRE(result.repositories.size() == 3);
  CHECK(result.evaluated == 3);
  CHECK(result.skipped == 0);
  CHECK(result.without_policy == 1);

  preview_totals sum;
  std::size_t guarded = 0;
  for (std::size_t i = 0; i < s.repositories.size(); ++i) {
    const repository_snapshot& r = s.repositories[i];
    const ecrlp::repository_result& got = result.repositories[i];
    INFO(r.name);
    CHECK(got.repository == &r);
    CHECK(got.evaluated);
    const ecrlp::lifecycle_policy none;
    const ecrlp::lifecycle_policy& policy = r.policy ? r.policy->policy : none;
    CHECK(got.source == (r.policy ? ecrlp::policy_source::own : ecrlp::policy_source::none));
    const evaluation_result expected = alone(r, policy, independent);
    CHECK(same(got.evaluation, expected));
    check_same(got.totals, ecrlp::summarize(r.images.images, expected));
    sum += got.totals;
    guarded += expected.guarded;
  }
  check_same(result.totals, sum);
  CHECK(result.guarded == guarded);
  CHECK(result.totals.before.images == s.image_count());

  // Hand-checked figures of the fixture (its index's children, untagged and older than 30 days,
  // go or stay according to the index guard, which evaluate.hpp decides; not checked here).
  const ecrlp::repository_result& tools = result.repositories[2];
  CHECK(tools.source == ecrlp::policy_source::none);
  CHECK(tools.totals.kept.images == 2);
  CHECK(tools.totals.expired.images == 0);
  const ecrlp::repository_result& api = result.repositories[1];
  CHECK(api.evaluation.decisions[3].action == ecrlp::fate::expire);  // api-old, untagged, 2025
  CHECK(api.evaluation.decisions[5].action == ecrlp::fate::keep);    // v3, the newest release
  CHECK(api.evaluation.decisions[4].action == ecrlp::fate::expire);  // v2, beyond the newest
  CHECK(to_string(tools.source) == "none");
  // The index manifests reach the evaluation: its two children are guarded (spec 2.7), unless
  // images are evaluated independently, and then the untagged rule takes them.
  CHECK(api.evaluation.guarded == (independent ? 0U : 2U));
  const auto child = independent ? ecrlp::fate::expire : ecrlp::fate::keep;
  CHECK(api.evaluation.decisions[1].action == child);
  CHECK(api.evaluation.decisions[2].action == child);
}

TEST_CASE("an override policy applies to every repository", "[registry]") {
  const auto loaded = ecrlp::load_registry(data_dir / "ok");
  REQUIRE(loaded.ok());
  const registry_snapshot& s = *loaded.value;
  const auto parsed = ecrlp::parse_policy(
      R"({"rules": [{"rulePriority": 1, "description": "everything older than a week",
          "selection": {"tagStatus": "any", "countType": "sinceImagePushed", "countUnit": "days",
                        "countNumber": 7}, "action": {"type": "expire"}}]})");
  REQUIRE(parsed.ok());
  const ecrlp::lifecycle_policy& policy = parsed.value->policy;
  const auto result =
      ecrlp::evaluate_registry(s, {.now = now_2026_11_28, .override_policy = &policy});
  CHECK(result.without_policy == 0);
  for (std::size_t i = 0; i < s.repositories.size(); ++i) {
    INFO(s.repositories[i].name);
    const auto& got = result.repositories[i];
    CHECK(got.source == ecrlp::policy_source::overridden);
    CHECK(to_string(got.source) == "override");
    CHECK(same(got.evaluation, alone(s.repositories[i], policy)));
  }
  // tools-a (2020) goes, tools-b (yesterday) stays: the repository has no policy of its own.
  CHECK(result.repositories[2].totals.expired.images == 1);
  CHECK(result.repositories[2].totals.expired.bytes == 5);
}

TEST_CASE("failed repositories are skipped, the others evaluated", "[registry]") {
  const auto loaded = ecrlp::load_registry(data_dir / "broken");
  REQUIRE(loaded.ok());
  const registry_snapshot& s = *loaded.value;
  std::vector<std::size_t> totals_seen;
  const auto result = ecrlp::evaluate_registry(
      s, {.now = now_2026_11_28, .threads = 3},
      [&](std::size_t, std::size_t total, std::size_t) { totals_seen.push_back(total); });
  CHECK(result.evaluated == 2);
  CHECK(result.skipped == 5);
  CHECK(totals_seen == std::vector<std::size_t>{2, 2});
  for (const auto& r : result.repositories) {
    INFO(r.repository->name);
    CHECK(r.evaluated == !r.repository->failed());
    if (!r.evaluated) {
      CHECK(r.evaluation.decisions.empty());
      CHECK(r.totals.before.images == 0);
    }
  }
  CHECK(result.totals.before.images == 4);
}

TEST_CASE("the result does not depend on the number of threads", "[registry]") {
  scratch_dir tmp("threads");
  write_synthetic(tmp.path, 14);
  const auto loaded = ecrlp::load_registry(tmp.path, {.threads = 3});
  INFO(dump(loaded.diagnostics));
  REQUIRE(loaded.ok());
  const registry_snapshot& s = *loaded.value;
  INFO(dump(s));
  REQUIRE(s.repositories.size() == 14);
  REQUIRE(s.failed_count() == 0);
  REQUIRE(std::is_sorted(s.repositories.begin(), s.repositories.end(),
                         [](const auto& a, const auto& b) { return a.name < b.name; }));
  std::size_t with_indexes = 0;
  for (const auto& r : s.repositories) {
    with_indexes += r.images.indexes.empty() ? std::size_t{0} : std::size_t{1};
  }
  CHECK(with_indexes > 5);

  const auto one = ecrlp::evaluate_registry(s, {.now = now_2026_11_28, .threads = 1});
  const auto four = ecrlp::evaluate_registry(s, {.now = now_2026_11_28, .threads = 4});
  const auto all = ecrlp::evaluate_registry(s, {.now = now_2026_11_28});
  check_same(one, four);
  check_same(one, all);
  CHECK(one.evaluated == 14);
  CHECK(one.totals.before.images == s.image_count());
  CHECK(one.totals.expired.images > 0);
  for (std::size_t i = 0; i < s.repositories.size(); ++i) {
    const repository_snapshot& r = s.repositories[i];
    const ecrlp::lifecycle_policy none;
    CHECK(same(four.repositories[i].evaluation, alone(r, r.policy ? r.policy->policy : none)));
  }
}

TEST_CASE("progress is reported once per repository, with growing counts", "[registry]") {
  scratch_dir tmp("progress");
  write_synthetic(tmp.path, 9);
  const auto loaded = ecrlp::load_registry(tmp.path);
  REQUIRE(loaded.ok());
  const registry_snapshot& s = *loaded.value;
  struct call {
    std::size_t done, total, images;
  };
  const unsigned threads = GENERATE(1U, 4U);
  std::vector<call> calls;  // the callback runs under evaluate_registry's mutex
  const auto result =
      ecrlp::evaluate_registry(s, {.now = now_2026_11_28, .threads = threads},
                               [&](std::size_t done, std::size_t total, std::size_t images) {
                                 calls.push_back({done, total, images});
                               });
  REQUIRE(calls.size() == 9);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    CHECK(calls[i].done == i + 1);
    CHECK(calls[i].total == 9);
    if (i > 0) CHECK(calls[i].images >= calls[i - 1].images);
  }
  CHECK(calls.back().images == s.image_count());
  CHECK(result.evaluated == 9);

  SECTION("an exception from the callback stops the evaluation and reaches the caller") {
    std::size_t seen = 0;
    CHECK_THROWS_AS(ecrlp::evaluate_registry(s, {.now = now_2026_11_28, .threads = threads},
                                             [&](std::size_t, std::size_t, std::size_t) {
                                               if (++seen == 2) throw std::runtime_error("stop");
                                             }),
                    std::runtime_error);
    CHECK(seen >= 2);
  }
}

TEST_CASE("the recorded registry snapshot loads and evaluates", "[registry]") {
  const fs::path recorded = fs::path{ECRLP_TEST_DATA} / "registry" / "snapshot";
  if (!fs::exists(recorded / "snapshot.json")) {
    WARN("skipped: " << recorded.string() << " does not exist yet");
    return;
  }
  const auto loaded = ecrlp::load_registry(recorded);
  INFO(dump(loaded.diagnostics));
  REQUIRE(loaded.ok());
  const registry_snapshot& s = *loaded.value;
  INFO(dump(s));
  CHECK(s.failed_count() == 0);
  CHECK_FALSE(s.repositories.empty());
  for (const auto& r : s.repositories) {
    INFO(r.name);
    std::string encoded = r.name;
    for (std::size_t at = encoded.find('/'); at != std::string::npos; at = encoded.find('/', at)) {
      encoded.replace(at, 1, "%2F");
    }
    CHECK(r.directory.filename().string() == encoded);
    CHECK(r.images.repository_name == r.name);
  }
  const auto one = ecrlp::evaluate_registry(s, {.now = now_2026_11_28, .threads = 1});
  const auto four = ecrlp::evaluate_registry(s, {.now = now_2026_11_28, .threads = 4});
  check_same(one, four);
  CHECK(one.totals.before.images == s.image_count());
  for (std::size_t i = 0; i < s.repositories.size(); ++i) {
    const repository_snapshot& r = s.repositories[i];
    const ecrlp::lifecycle_policy none;
    CHECK(same(one.repositories[i].evaluation, alone(r, r.policy ? r.policy->policy : none)));
  }
}
