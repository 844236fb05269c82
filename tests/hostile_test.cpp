// SPDX-License-Identifier: MIT
// Hostile input (issue 6). Every file of tests/data/hostile/ is refused with the code that
// tests/data/hostile/manifest.txt names for it, at the named pointer and line:column, without a
// crash, without a value and with messages of bounded size. Inputs too big to commit (100,000-deep
// nesting, 16 MiB of whitespace, megabyte strings, 300,000 duplicate keys) are generated here.
// The same files run through the real binary in tests/cli_tests.cmake ("hostile input").

#include <ecrlp/iac.hpp>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/time.hpp>

#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "read/inventory/hooks.hpp"
#include "parser_test_util.hpp"
#include "test_files.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using ecrlp::diagnostic;

const fs::path hostile_dir = fs::path{ECRLP_TEST_DATA} / "hostile";

/// Longest message any diagnostic may have, whatever the input: messages quote input shortened.
constexpr std::size_t max_message_bytes = 2048;

std::string dump(const std::vector<diagnostic>& diags) {
  std::string out;
  for (const auto& d : diags) {
    out += d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
           std::string{ecrlp::to_string(d.level)} + "[" + d.code + "] at '" + d.pointer +
           "': " + d.message.substr(0, 300) + "\n";
  }
  return out;
}

const diagnostic* find_code(const std::vector<diagnostic>& diags, std::string_view code) {
  const auto it = std::find_if(diags.begin(), diags.end(), [&](const diagnostic& d) {
    return d.code == code && d.level == ecrlp::severity::error;
  });
  return it == diags.end() ? nullptr : &*it;
}

using parser_test::count_code;
using test_files::read_text;

/// Every diagnostic of infrastructure code: the document's, and those parse_found_policy() gives
/// for each policy found (the policy's own, or what is wrong with its text).
std::vector<diagnostic> iac_diagnostics(const ecrlp::parse_result<ecrlp::policy_document>& r) {
  std::vector<diagnostic> out = r.diagnostics;
  if (!r.value) return out;
  for (const auto& p : r.value->policies) {
    const auto parsed = ecrlp::parse_found_policy(p);
    out.insert(out.end(), parsed.diagnostics.begin(), parsed.diagnostics.end());
  }
  for (const auto& c : r.value->changes) {
    out.insert(out.end(), c.diagnostics.begin(), c.diagnostics.end());
  }
  return out;
}

/// The checks every refused input must pass, whatever its expected code.
void check_refusal(const std::vector<diagnostic>& diags, std::string_view file, std::size_t size) {
  REQUIRE(ecrlp::has_errors(diags));
  for (const auto& d : diags) {
    INFO(d.code << " at '" << d.pointer << "'");
    CHECK(!d.code.empty());
    CHECK(!d.message.empty());
    CHECK(d.message.size() <= max_message_bytes);
    CHECK(d.file == file);
    CHECK((d.pointer.empty() || d.pointer.front() == '/'));
    CHECK(d.byte <= size);
    if (d.line != 0) CHECK(d.column != 0);
  }
}

/// Strict UTF-8 (what a terminal or a JSON consumer accepts).
bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    if (b < 0x80) {
      len = 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0U) != 0x80U) return false;
    }
    i += len;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The manifest

struct manifest_entry {
  std::string file;     ///< relative to tests/data/hostile
  std::string code;     ///< expected error code
  std::optional<std::string> pointer;  ///< expected pointer ("" for "-"; none for "*")
  std::optional<std::pair<std::size_t, std::size_t>> position;  ///< line:column, or none ("-")
  std::size_t manifest_line = 0;
};

std::vector<manifest_entry> read_manifest() {
  std::ifstream in{hostile_dir / "manifest.txt"};
  REQUIRE(in);
  std::vector<manifest_entry> entries;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    std::istringstream fields{line};
    manifest_entry e;
    std::string pointer;
    std::string position;
    std::string extra;
    fields >> e.file >> e.code >> pointer >> position;
    INFO("manifest.txt:" << number << ": " << line);
    REQUIRE(!position.empty());
    REQUIRE_FALSE(fields >> extra);
    if (pointer != "*") e.pointer = pointer == "-" ? "" : pointer;
    if (position != "-") {
      const auto colon = position.find(':');
      REQUIRE(colon != std::string::npos);
      e.position = std::pair{std::stoul(position.substr(0, colon)),
                             std::stoul(position.substr(colon + 1))};
    }
    e.manifest_line = number;
    entries.push_back(std::move(e));
  }
  return entries;
}


// ---------------------------------------------------------------------------------------------
// Documents the generated cases start from

constexpr std::string_view valid_rule =
    R"({"rulePriority": 1, "description": "expire untagged images after two weeks", )"
    R"("selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", )"
    R"("countUnit": "days", "countNumber": 14}, "action": {"type": "expire"}})";

std::string policy_with(std::string_view extra_member) {
  std::string s = "{\"rules\": [";
  s += valid_rule;
  s += "]";
  if (!extra_member.empty()) {
    s += ", ";
    s += extra_member;
  }
  s += "}";
  return s;
}

std::string image_json(std::size_t i, std::string_view extra = {}) {
  std::string s = R"({"imageDigest": "sha256:)";
  const std::string hex = std::to_string(i);
  s.append(64 - hex.size(), '0');
  s += hex;
  s += R"(", "imagePushedAt": 1600000000)";
  if (!extra.empty()) {
    s += ", ";
    s += extra;
  }
  s += "}";
  return s;
}

std::string inventory_of(const std::vector<std::string>& images) {
  std::string s = "{\"imageDetails\": [";
  for (std::size_t i = 0; i < images.size(); ++i) {
    if (i != 0) s += ",\n";
    s += images[i];
  }
  s += "]}";
  return s;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

TEST_CASE("every hostile file is refused with its code, pointer and position", "[hostile]") {
  const auto entries = read_manifest();
  REQUIRE(entries.size() >= 100);
  std::size_t policies = 0;
  std::size_t inventories = 0;
  std::size_t iac = 0;
  for (const auto& e : entries) {
    const fs::path path = hostile_dir / e.file;
    INFO("manifest.txt:" << e.manifest_line << ": " << e.file << " -> " << e.code);
    REQUIRE(fs::exists(path));
    const std::string name = path.string();
    const auto size = static_cast<std::size_t>(fs::file_size(path));
    std::vector<diagnostic> diags;
    if (e.file.starts_with("policies/")) {
      ++policies;
      const auto r = ecrlp::load_policy(path);
      CHECK_FALSE(r.value);
      diags = r.diagnostics;
      // Same result when parsed from memory, and when parsed again.
      const auto again = ecrlp::parse_policy(read_text(path), name);
      REQUIRE(again.diagnostics.size() == diags.size());
      for (std::size_t i = 0; i < diags.size(); ++i) {
        CHECK(again.diagnostics[i].code == diags[i].code);
        CHECK(again.diagnostics[i].byte == diags[i].byte);
        CHECK(again.diagnostics[i].message == diags[i].message);
      }
    } else if (e.file.starts_with("iac/")) {
      ++iac;
      diags = iac_diagnostics(ecrlp::load_policy_sources(path));
      const auto again = iac_diagnostics(ecrlp::parse_policy_sources(read_text(path), name));
      REQUIRE(again.size() == diags.size());
      for (std::size_t i = 0; i < diags.size(); ++i) {
        CHECK(again[i].code == diags[i].code);
        CHECK(again[i].byte == diags[i].byte);
      }
    } else {
      REQUIRE(e.file.starts_with("inventories/"));
      ++inventories;
      const std::vector<fs::path> files{path};
      const auto r = ecrlp::load_inventory(files);
      CHECK_FALSE(r.value);
      diags = r.diagnostics;
      const auto again = ecrlp::parse_inventory(read_text(path), name);
      REQUIRE(again.diagnostics.size() == diags.size());
      for (std::size_t i = 0; i < diags.size(); ++i) {
        CHECK(again.diagnostics[i].code == diags[i].code);
        CHECK(again.diagnostics[i].byte == diags[i].byte);
      }
    }
    INFO(dump(diags));
    check_refusal(diags, name, size);
    // Both renderings are well-formed: the text is valid UTF-8 (messages shorten quoted input at
    // character boundaries), the JSON parses.
    const std::string text = ecrlp::render(ecrlp::diagnostics_document{diags}, ecrlp::output_format::text);
    CHECK(text.find(e.code) != std::string::npos);
    CHECK(valid_utf8(text));
    CHECK_NOTHROW(nlohmann::json::parse(ecrlp::render(ecrlp::diagnostics_document{diags}, ecrlp::output_format::json)));
    const diagnostic* d = find_code(diags, e.code);
    REQUIRE(d != nullptr);
    if (e.pointer) CHECK(d->pointer == *e.pointer);
    if (e.position) {
      CHECK(d->line == e.position->first);
      CHECK(d->column == e.position->second);
    } else {
      CHECK(d->line == 0);
    }
  }
  CHECK(policies >= 50);
  CHECK(inventories >= 50);
  CHECK(iac >= 30);
}

TEST_CASE("every file of tests/data/hostile is in the manifest", "[hostile]") {
  const auto entries = read_manifest();
  for (const char* dir : {"policies", "inventories", "iac"}) {
    for (const auto& f : fs::directory_iterator(hostile_dir / dir)) {
      const std::string rel = std::string(dir) + "/" + f.path().filename().string();
      INFO(rel);
      CHECK(std::any_of(entries.begin(), entries.end(),
                        [&](const manifest_entry& e) { return e.file == rel; }));
    }
  }
}

TEST_CASE("100,000-deep nesting is refused without recursion", "[hostile]") {
  const std::string open(100000, '[');
  const std::string close(100000, ']');
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  objects += "1" + std::string(100000, '}');

  SECTION("policies") {
    for (const auto& doc : {"{\"rules\": " + open + close + "}", policy_with("\"x\": " + objects),
                            open + close, open, "{\"rules\": [" + objects + "]}"}) {
      const auto r = ecrlp::parse_policy(doc, "deep.json");
      INFO(dump(r.diagnostics));
      CHECK_FALSE(r.value);
      CHECK(count_code(r.diagnostics, "policy.too_deep") == 1);
      check_refusal(r.diagnostics, "deep.json", doc.size());
    }
  }
  SECTION("a policy inside an AWS response") {
    std::string text = "{\\\"rules\\\": " + open + close + "}";
    const std::string doc = "{\"lifecyclePolicyText\": \"" + text + "\"}";
    const auto r = ecrlp::parse_policy(doc, "deep.json");
    INFO(dump(r.diagnostics));
    CHECK(count_code(r.diagnostics, "policy.too_deep") == 1);
  }
  SECTION("inventories") {
    for (const auto& doc : {open + close, inventory_of({image_json(1, "\"x\": " + open + close)}),
                            inventory_of({image_json(1, "\"x\": " + objects)})}) {
      const auto r = ecrlp::parse_inventory(doc, "deep.json");
      INFO(dump(r.diagnostics));
      CHECK_FALSE(r.value);
      CHECK(count_code(r.diagnostics, "inventory.depth") == 1);
      check_refusal(r.diagnostics, "deep.json", doc.size());
    }
    // Only opening brackets: simdjson's first pass finds them unbalanced before any depth check.
    const auto r = ecrlp::parse_inventory(open, "deep.json");
    INFO(dump(r.diagnostics));
    CHECK(count_code(r.diagnostics, "inventory.syntax") == 1);
    check_refusal(r.diagnostics, "deep.json", open.size());
  }
}

TEST_CASE("16 MiB of whitespace, and one byte more", "[hostile]") {
  const test_files::temp_dir dir{"ecrlp-hostile-test-"};
  const std::size_t mib16 = std::size_t{16} * 1024 * 1024;
  const std::string blank(mib16, ' ');
  const auto exact = dir.write("blank.json", blank);
  const auto over = dir.write("over.json", blank + " ");

  const auto p = ecrlp::load_policy(exact);
  INFO(dump(p.diagnostics));
  REQUIRE(p.diagnostics.size() == 1);
  CHECK(p.diagnostics[0].code == "policy.syntax");
  CHECK(p.diagnostics[0].line == 1);
  CHECK(p.diagnostics[0].column == mib16 + 1);

  const auto q = ecrlp::load_policy(over);
  REQUIRE(q.diagnostics.size() == 1);
  CHECK(q.diagnostics[0].code == "io.too_large");
  CHECK(q.diagnostics[0].line == 0);

  // The inventory limit is simdjson's 4 GiB: 16 MiB of whitespace is simply an empty file.
  const std::vector<fs::path> files{exact};
  const auto i = ecrlp::load_inventory(files);
  REQUIRE(i.diagnostics.size() == 1);
  CHECK(i.diagnostics[0].code == "inventory.empty");
}

TEST_CASE("huge strings give bounded messages", "[hostile]") {
  const std::string big(std::size_t{4} * 1024 * 1024, 'x');
  SECTION("a 4 MiB description") {
    const std::string doc = policy_with("").replace(
        policy_with("").find("expire untagged"), std::string_view{"expire untagged"}.size(), big);
    const auto r = ecrlp::parse_policy(doc, "big.json");
    INFO(dump(r.diagnostics));
    REQUIRE(find_code(r.diagnostics, "policy.text_length") != nullptr);
    check_refusal(r.diagnostics, "big.json", doc.size());
  }
  SECTION("a 4 MiB unknown key, twice") {
    const std::string doc = policy_with("\"" + big + "\": 1, \"" + big + "\": 2");
    const auto r = ecrlp::parse_policy(doc, "big.json");
    INFO(dump(r.diagnostics));
    const diagnostic* d = find_code(r.diagnostics, "policy.duplicate_key");
    REQUIRE(d != nullptr);
    CHECK(d->byte == doc.rfind("\"x"));
    check_refusal(r.diagnostics, "big.json", doc.size());
  }
  SECTION("an unterminated 4 MiB string") {
    const std::string doc = "{\"rules\": [], \"x\": \"" + big;
    const auto r = ecrlp::parse_policy(doc, "big.json");
    INFO(dump(r.diagnostics));
    REQUIRE(find_code(r.diagnostics, "policy.syntax") != nullptr);
    check_refusal(r.diagnostics, "big.json", doc.size());
  }
  SECTION("a 4 MiB tag, digest, number and timestamp") {
    const std::vector<std::pair<std::string, std::string>> cases{
        {inventory_of({image_json(1, "\"imageTags\": [\"" + big + "\"]")}), "image.tag"},
        {"[{\"imageDigest\": \"sha256:" + big + "\", \"imagePushedAt\": 1}]", "image.digest"},
        {inventory_of({image_json(1, "\"imageSizeInBytes\": 1" + std::string(big.size(), '0'))}),
         "image.size"},
        {"[{\"imageDigest\": \"sha256:ab\", \"imagePushedAt\": 1" + std::string(big.size(), '0') +
             "}]",
         "image.timestamp"},
        {"[{\"imageDigest\": \"sha256:ab\", \"imagePushedAt\": \"" + big + "\"}]",
         "image.timestamp"},
        {inventory_of({image_json(1, "\"imageScanFindingsSummary\": {\"findingSeverityCounts\": "
                                     "{\"LOW\": -" +
                                         std::string(big.size(), '7') + "}}")}),
         "image.findings"},
    };
    for (const auto& [doc, code] : cases) {
      const auto r = ecrlp::parse_inventory(doc, "big.json");
      INFO(code << "\n" << dump(r.diagnostics));
      CHECK_FALSE(r.value);
      CHECK(find_code(r.diagnostics, code) != nullptr);
      check_refusal(r.diagnostics, "big.json", doc.size());
    }
  }
}

TEST_CASE("tag, digest and image-count limits", "[hostile]") {
  SECTION("a tag of 300 characters is fine, 301 is not") {
    const auto ok = ecrlp::parse_inventory(
        inventory_of({image_json(1, "\"imageTags\": [\"" + std::string(300, 't') + "\"]")}));
    INFO(dump(ok.diagnostics));
    CHECK(ok.ok());
    // Characters, not bytes: 300 two-byte characters are 600 bytes.
    std::string wide;
    for (int i = 0; i < 300; ++i) wide += "\xC3\xA9";
    CHECK(ecrlp::parse_inventory(inventory_of({image_json(1, "\"imageTags\": [\"" + wide + "\"]")}))
              .ok());
    const auto bad = ecrlp::parse_inventory(
        inventory_of({image_json(1, "\"imageTags\": [\"" + std::string(301, 't') + "\"]")}));
    const diagnostic* d = find_code(bad.diagnostics, "image.tag");
    REQUIRE(d != nullptr);
    CHECK(d->pointer == "/imageDetails/0/imageTags/0");
  }
  SECTION("1,000 tags are fine, 1,001 are not") {
    const auto tags = [](int n) {
      std::string s = "\"imageTags\": [";
      for (int i = 0; i < n; ++i) s += (i == 0 ? "\"t" : ", \"t") + std::to_string(i) + "\"";
      return s + "]";
    };
    const auto ok = ecrlp::parse_inventory(inventory_of({image_json(1, tags(1000))}));
    REQUIRE(ok.ok());
    CHECK(ok.value->images[0].tags.size() == 1000);
    const auto bad = ecrlp::parse_inventory(inventory_of({image_json(1, tags(100000))}));
    INFO(dump(bad.diagnostics));
    REQUIRE(count_code(bad.diagnostics, "image.tag") == 1);
    CHECK(find_code(bad.diagnostics, "image.tag")->pointer == "/imageDetails/0/imageTags/1000");
  }
  SECTION("a digest of 1,024 characters is fine, 1,025 is not") {
    const auto doc = [](std::size_t length) {
      return "[{\"imageDigest\": \"sha256:" + std::string(length - 7, 'a') +
             "\", \"imagePushedAt\": 1}]";
    };
    CHECK(ecrlp::parse_inventory(doc(1024)).ok());
    const auto bad = ecrlp::parse_inventory(doc(1025));
    REQUIRE(find_code(bad.diagnostics, "image.digest") != nullptr);
    CHECK(find_code(bad.diagnostics, "image.digest")->pointer == "/0/imageDigest");
  }
  SECTION("the image-count limit stops the file at the first image too many") {
    std::vector<std::string> images;
    for (std::size_t i = 0; i < 1001; ++i) images.push_back(image_json(i));
    const std::string doc = inventory_of(images);
    const auto bad = ecrlp::detail::parse_inventory_limited(doc, "many.json", 1000);
    INFO(dump(bad.diagnostics));
    CHECK_FALSE(bad.value);
    REQUIRE(bad.diagnostics.size() == 1);
    CHECK(bad.diagnostics[0].code == "inventory.too_many_images");
    CHECK(bad.diagnostics[0].pointer == "/imageDetails/1000");
    CHECK(bad.diagnostics[0].byte == doc.rfind("{\"imageDigest\""));
    images.pop_back();
    const auto ok = ecrlp::detail::parse_inventory_limited(inventory_of(images), "many.json", 1000);
    REQUIRE(ok.ok());
    CHECK(ok.value->images.size() == 1000);
    // The default limit is far above any real repository.
    CHECK(ecrlp::parse_inventory(doc).ok());
  }
}

TEST_CASE("many diagnostics cost linear time and memory", "[hostile]") {
  SECTION("300,000 duplicate keys stop at the value limit") {
    std::string doc = "{\"rules\": []";
    for (int i = 0; i < 300'000; ++i) doc += ",\"a\":1";
    doc += "}";
    const auto r = ecrlp::parse_policy(doc, "dup.json");
    CHECK_FALSE(r.value);
    CHECK(count_code(r.diagnostics, "policy.too_many_values") == 1);
    CHECK(r.diagnostics.size() <= 100'001);
    check_refusal(r.diagnostics, "dup.json", doc.size());
  }
  SECTION("90,000 empty rules, one per line") {
    std::string doc = "{\"rules\": [\n";
    for (int i = 0; i < 90'000; ++i) doc += i == 0 ? "{}" : ",\n{}";
    doc += "\n]}";
    const auto r = ecrlp::parse_policy(doc, "rules.json");
    CHECK_FALSE(r.value);
    CHECK(count_code(r.diagnostics, "rule.missing_property") == 90'000);
    const auto& last = r.diagnostics.back();
    CHECK(last.pointer == "/rules/89999");
    CHECK(last.line == 90'001);
    CHECK(last.column == 1);
  }
  SECTION("the same inside an AWS response: positions map through the escapes") {
    std::string text = "{\\\"rules\\\": [\\n";
    for (int i = 0; i < 20'000; ++i) text += i == 0 ? "{}" : ",\\n{}";
    text += "\\n]}";
    const std::string doc = "{\"lifecyclePolicyText\": \"" + text + "\"}";
    const auto r = ecrlp::parse_policy(doc, "aws.json");
    CHECK(count_code(r.diagnostics, "rule.missing_property") == 20'000);
    const diagnostic* last = &r.diagnostics.back();
    CHECK(last->pointer == "/rules/19999");
    CHECK(last->line == 1);
    CHECK(last->byte == doc.rfind("{}"));
  }
  SECTION("3,000 unknown properties: each message lists a bounded number of names") {
    std::string doc = policy_with("");
    doc.pop_back();
    for (int i = 0; i < 3000; ++i) doc += ", \"u" + std::to_string(i) + "\": 1";
    doc += "}";
    const auto r = ecrlp::parse_policy(doc, "unknown.json");
    CHECK(count_code(r.diagnostics, "policy.unknown_property") == 3000);
    for (const auto& d : r.diagnostics) CHECK(d.aws_message.size() < 1000);
  }
  SECTION("300,000 bad images stop at 100 errors") {
    std::string doc = "[";
    for (int i = 0; i < 300'000; ++i) doc += i == 0 ? "1" : ",1";
    doc += "]";
    const auto r = ecrlp::parse_inventory(doc, "ones.json");
    CHECK(r.diagnostics.size() == 101);
    CHECK(count_code(r.diagnostics, "inventory.too_many_errors") == 1);
  }
}

TEST_CASE("a policy is refused at every truncation, never crashes", "[hostile]") {
  const std::string doc = policy_with("");
  for (std::size_t cut = 0; cut < doc.size(); ++cut) {
    const auto r = ecrlp::parse_policy(doc.substr(0, cut), "cut.json");
    INFO("cut at " << cut << "\n" << dump(r.diagnostics));
    REQUIRE_FALSE(r.value);
    REQUIRE(find_code(r.diagnostics, "policy.syntax") != nullptr);
    check_refusal(r.diagnostics, "cut.json", cut);
  }
}

TEST_CASE("random byte damage never crashes and keeps the invariants", "[hostile]") {
  // A small deterministic fuzzer that runs in every build, sanitizers included (tests/fuzz has
  // the coverage-guided one).
  std::mt19937_64 rng{20260601};
  const std::string policy = read_text(fs::path{ECRLP_TEST_DATA} / "cli" / "tc8-policy.json");
  const std::string images = read_text(fs::path{ECRLP_TEST_DATA} / "cli" / "tc8-images.json");
  const std::string_view alphabet = "{}[]\",:\\0123456789.eE-+ntfu\x00\x80\xC3\xED\xFF \n";
  const auto damage = [&](std::string s) {
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits && !s.empty(); ++k) {
      const std::size_t at = rng() % s.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 3) {
        case 0:
          s[at] = c;
          break;
        case 1:
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), c);
          break;
        default:
          s.erase(at, 1 + rng() % 8);
          break;
      }
    }
    return s;
  };
  for (int i = 0; i < 3000; ++i) {
    const std::string p = damage(policy);
    const auto rp = ecrlp::parse_policy(p, "p.json");
    REQUIRE(rp.value.has_value() == !ecrlp::has_errors(rp.diagnostics));
    for (const auto& d : rp.diagnostics) {
      REQUIRE(d.byte <= p.size());
      REQUIRE(d.line != 0);
      REQUIRE(d.message.size() <= max_message_bytes);
    }
    const std::string m = damage(images);
    const auto ri = ecrlp::parse_inventory(m, "i.json");
    REQUIRE(ri.value.has_value() == !ecrlp::has_errors(ri.diagnostics));
    for (const auto& d : ri.diagnostics) {
      REQUIRE(d.byte <= m.size());
      REQUIRE(d.message.size() <= max_message_bytes);
    }
  }
}

TEST_CASE("timestamps: hostile text is refused, instants stay within years 1..9999 UTC",
          "[hostile]") {
  using std::chrono::seconds;
  const std::vector<std::string_view> refused{
      "",
      std::string_view{"\0", 1},
      std::string_view{"2024-05-01\0T", 12},
      std::string_view{"2024-05-01T10:00:00+00:00\0", 26},
      "9999-12-31T23:59:59-00:01",
      "0001-01-01T00:00:00+00:01",
      "0001-01-01T00:59:59.999999+01:00",
      "253402300800",
      "1e400",
      "-0",
      "+1",
      "NaN",
      "Infinity",
      "0x10",
      "\xEF\xBB\xBF"
      "1"};
  for (const std::string_view bad : refused) {
    INFO("'" << std::string(bad) << "'");
    CHECK_FALSE(ecrlp::parse_timestamp(bad));
  }
  CHECK_FALSE(ecrlp::parse_timestamp(std::string(1'000'000, '1')));
  CHECK_FALSE(ecrlp::parse_timestamp("2024-05-01T10:00:00" + std::string(1'000'000, '0') + "Z"));
  // The edges themselves are accepted, with any offset that keeps them in range.
  CHECK(ecrlp::parse_timestamp("0001-01-01T01:00:00+01:00") ==
        ecrlp::parse_timestamp("0001-01-01T00:00:00Z"));
  CHECK(ecrlp::parse_timestamp("9999-12-31T22:59:59.999999-01:00") ==
        ecrlp::parse_timestamp("253402300799.999999"));
  const auto latest = ecrlp::parse_timestamp("9999-12-31T23:59:59.999999Z");
  REQUIRE(latest);
  CHECK(ecrlp::format_timestamp(*latest) == "9999-12-31T23:59:59.999999+00:00");
  const auto earliest = ecrlp::parse_timestamp("0001-01-01T00:00:00Z");
  REQUIRE(earliest);
  CHECK(ecrlp::format_timestamp(*earliest) == "0001-01-01T00:00:00+00:00");
}
