// SPDX-License-Identifier: MIT
// Determinism (issue 6): the same images and policy give byte-identical `ecrlp preview` output
// (json, table, csv) whatever the order of the images in the file, their split into pages, the
// spelling of their timestamps (offsets, epoch seconds), the order of the rules in the policy, the
// process's time zone (TZ) and its locale. Run in-process through ecrlp::cli::run, on the bundled
// example (examples/story: 2,200 images, five rules) and on small generated repositories full of
// ties (equal push times), plus the same properties at library level (evaluate, renderers).

#include <ecrlp/evaluate.hpp>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/time.hpp>

#include <nlohmann/json.hpp>

#include "catch.hpp"
#include "cli_runner.hpp"
#include "test_files.hpp"

#include <algorithm>
#include <chrono>
#include <clocale>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <locale>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

const fs::path story_dir = fs::path{ECRLP_SOURCE_DIR} / "examples" / "story";
constexpr std::string_view story_now = "2026-11-28T00:00:00Z";
const std::vector<std::string> formats{"json", "table", "csv"};

std::string read_file(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  REQUIRE(in);
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

/// A scoped temporary directory holding the variants of one test, in files f0.json, f1.json, ...
struct temp_dir : test_files::temp_dir {
  int next = 0;
  temp_dir() : test_files::temp_dir("ecrlp-determinism-") {}
  [[nodiscard]] std::string write(std::string_view content) {
    return test_files::temp_dir::write("f" + std::to_string(next++) + ".json", content).string();
  }
};

using cli_runner::cli_output;
using cli_runner::run_cli;  // its streams take the locale the caller made global

/// `ecrlp preview` of `policy` over `pages` at `now` in `format` (table lists every image).
cli_output preview(const std::string& policy, const std::vector<std::string>& pages,
                   std::string_view now, const std::string& format) {
  std::vector<std::string> args{"preview", "--policy", policy};
  for (const auto& p : pages) {
    args.emplace_back("--images");
    args.push_back(p);
  }
  args.insert(args.end(), {"--now", std::string(now), "--format", format});
  if (format == "table") args.insert(args.end(), {"--max-rows", "0"});
  return run_cli(args);
}

/// The output of every format, which must all succeed.
std::map<std::string, std::string> preview_all(const std::string& policy,
                                               const std::vector<std::string>& pages,
                                               std::string_view now) {
  std::map<std::string, std::string> out;
  for (const auto& f : formats) {
    const auto r = preview(policy, pages, now, f);
    INFO("preview --format " << f << "\n" << r.err);
    REQUIRE(r.status == 0);
    REQUIRE(!r.out.empty());
    out[f] = r.out;
  }
  return out;
}

/// First differing line of two outputs, for the failure message.
std::string first_difference(const std::string& a, const std::string& b) {
  std::istringstream sa{a};
  std::istringstream sb{b};
  std::string la;
  std::string lb;
  for (int line = 1;; ++line) {
    const bool ga = static_cast<bool>(std::getline(sa, la));
    const bool gb = static_cast<bool>(std::getline(sb, lb));
    if (!ga && !gb) return "identical";
    if (la != lb || ga != gb) {
      return "line " + std::to_string(line) + ":\n  expected: " + (ga ? la : "<end>") +
             "\n  actual:   " + (gb ? lb : "<end>");
    }
  }
}

void check_same(const std::map<std::string, std::string>& expected,
                const std::map<std::string, std::string>& actual, std::string_view variant) {
  for (const auto& f : formats) {
    INFO(variant << ", --format " << f << ": " << first_difference(expected.at(f), actual.at(f)));
    CHECK(expected.at(f) == actual.at(f));
  }
}

// ---------------------------------------------------------------------------------------------
// Rewriting inventories and policies

/// `text` (an ISO-8601 or epoch timestamp) as the same instant written with the UTC offset
/// `offset_minutes`, e.g. `2021-12-08T21:57:20.911+05:45`.
std::string with_offset(std::string_view text, int offset_minutes) {
  using namespace std::chrono;
  const auto t = ecrlp::parse_timestamp(text);
  REQUIRE(t);
  const auto local = *t + minutes{offset_minutes};
  const auto day = floor<days>(local);
  const year_month_day ymd{day};
  const hh_mm_ss<microseconds> hms{local - day};
  char buf[64];
  const int abs_offset = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%06lld%c%02d:%02d",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                static_cast<long long>(hms.subseconds().count()), offset_minutes < 0 ? '-' : '+',
                abs_offset / 60, abs_offset % 60);
  return buf;
}

/// `text` as epoch seconds with six decimals (AWS CLI v1 prints numbers).
double as_epoch_number_checked(std::string_view text, std::string& literal) {
  const auto t = ecrlp::parse_timestamp(text);
  REQUIRE(t);
  const auto us = t->time_since_epoch().count();
  char buf[64];
  std::snprintf(buf, sizeof buf, "%lld.%06lld", static_cast<long long>(us / 1'000'000),
                static_cast<long long>(us % 1'000'000));
  literal = buf;
  return std::stod(literal);
}

const std::vector<std::string> timestamp_members{"imagePushedAt", "lastRecordedPullTime",
                                                 "lastArchivedAt", "lastActivatedAt"};

/// Every timestamp of every image rewritten by `rewrite(text) -> json`.
template <class Rewrite>
ordered_json rewrite_timestamps(ordered_json images, Rewrite rewrite) {
  for (auto& img : images) {
    for (const auto& m : timestamp_members) {
      if (img.contains(m) && img[m].is_string()) img[m] = rewrite(img[m].get<std::string>());
    }
  }
  return images;
}

/// Splits `images` into pages of the given sizes; every page but the last has a nextToken, as
/// `aws ecr describe-images --max-items` writes them.
std::vector<std::string> paginate(temp_dir& dir, const ordered_json& images,
                                  const std::vector<std::size_t>& sizes, int indent) {
  std::vector<std::string> files;
  std::size_t at = 0;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    ordered_json page;
    page["imageDetails"] = ordered_json::array();
    for (std::size_t i = 0; i < sizes[k] && at < images.size(); ++i) {
      page["imageDetails"].push_back(images[at++]);
    }
    if (k + 1 < sizes.size()) page["nextToken"] = "token-" + std::to_string(k + 1);
    files.push_back(dir.write(page.dump(indent)));
  }
  REQUIRE(at == images.size());
  return files;
}

std::vector<std::size_t> random_page_sizes(std::size_t total, std::size_t pages,
                                           std::mt19937& rng) {
  std::vector<std::size_t> cuts{0, total};
  for (std::size_t k = 1; k < pages; ++k) {
    cuts.push_back(std::uniform_int_distribution<std::size_t>{0, total}(rng));
  }
  std::sort(cuts.begin(), cuts.end());
  std::vector<std::size_t> sizes;
  for (std::size_t k = 1; k < cuts.size(); ++k) sizes.push_back(cuts[k] - cuts[k - 1]);
  return sizes;
}

ordered_json shuffled(ordered_json array, std::mt19937& rng) {
  std::vector<ordered_json> items(array.begin(), array.end());
  std::shuffle(items.begin(), items.end(), rng);
  return ordered_json(items);
}

/// JSON preview output without lifecyclePolicyText (which echoes the policy text as written).
std::string without_policy_text(const std::string& json_output, std::string* text = nullptr) {
  auto doc = ordered_json::parse(json_output);
  if (text != nullptr) *text = doc.at("lifecyclePolicyText").get<std::string>();
  doc.erase("lifecyclePolicyText");
  return doc.dump(4);
}

// ---------------------------------------------------------------------------------------------
// Time zone and locale switches, restored on exit

class scoped_tz {
 public:
  explicit scoped_tz(const char* zone) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    ::setenv("TZ", zone, 1);
    ::tzset();
  }
  scoped_tz(const scoped_tz&) = delete;
  scoped_tz& operator=(const scoped_tz&) = delete;
  ~scoped_tz() {
    if (old_) {
      ::setenv("TZ", old_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }

 private:
  std::optional<std::string> old_;
};

class scoped_locale {
 public:
  // The C locale first: std::locale::global() of a named locale calls setlocale() too.
  explicit scoped_locale(const std::locale& loc, const char* name)
      : old_c_(std::setlocale(LC_ALL, nullptr)), old_cpp_(std::locale::global(loc)) {
    std::setlocale(LC_ALL, name);
  }
  scoped_locale(const scoped_locale&) = delete;
  scoped_locale& operator=(const scoped_locale&) = delete;
  ~scoped_locale() {
    std::locale::global(old_cpp_);
    std::setlocale(LC_ALL, old_c_.c_str());
  }

 private:
  std::string old_c_;
  std::locale old_cpp_;
};

/// The installed locales among `names` (scripts/setup.sh generates de_DE.UTF-8 and ru_RU.UTF-8).
std::vector<std::pair<std::string, std::locale>> installed_locales(
    std::initializer_list<const char*> names) {
  std::vector<std::pair<std::string, std::locale>> found;
  for (const char* name : names) {
    try {
      found.emplace_back(name, std::locale(name));
    } catch (const std::runtime_error&) {
      // not installed
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Small generated repositories full of ties

/// `n` images whose push times take only a few distinct values (so that ranking depends on the
/// digest tiebreak), with overlapping tags, some archived and some pulled.
ordered_json tie_images(std::size_t n, std::mt19937& rng) {
  ordered_json images = ordered_json::array();
  const std::vector<std::string> times{"2024-01-01T00:00:00Z", "2024-01-01T02:00:00+02:00",
                                       "2024-03-01T12:00:00.5Z", "1704067200",
                                       "2024-06-30T23:59:59Z"};
  const std::vector<std::string> tag_pool{"prod-1", "prod-2", "release", "beta", "dev-x", "latest"};
  for (std::size_t i = 0; i < n; ++i) {
    ordered_json img;
    char digest[80];
    std::snprintf(digest, sizeof digest, "sha256:%064zx", (i * 7919) % 100'003);
    img["imageDigest"] = digest;
    ordered_json tags = ordered_json::array();
    for (const auto& t : tag_pool) {
      if (rng() % 4 == 0) tags.push_back(t + (rng() % 2 == 0 ? "" : "-" + std::to_string(i)));
    }
    if (!tags.empty()) img["imageTags"] = tags;
    const std::string& pushed = times[rng() % times.size()];
    if (pushed.find('-') == std::string::npos) {
      img["imagePushedAt"] = std::stoll(pushed);
    } else {
      img["imagePushedAt"] = pushed;
    }
    img["imageSizeInBytes"] = 1000 + (rng() % 5000);
    if (rng() % 3 == 0) img["lastRecordedPullTime"] = "2024-07-01T00:00:00Z";
    if (rng() % 5 == 0) {
      img["imageStatus"] = "ARCHIVED";
      img["lastArchivedAt"] =
          rng() % 2 == 0 ? "2024-02-01T00:00:00Z" : "2024-07-02T00:00:00Z";
    }
    images.push_back(std::move(img));
  }
  return images;
}

constexpr std::string_view tie_policy = R"({"rules": [
  {"rulePriority": 10, "description": "keep two prod", "selection": {"tagStatus": "tagged",
   "tagPatternList": ["prod-*"], "countType": "imageCountMoreThan", "countNumber": 2},
   "action": {"type": "expire"}},
  {"rulePriority": 20, "description": "keep three releases", "selection": {"tagStatus": "tagged",
   "tagPrefixList": ["release", "beta"], "countType": "imageCountMoreThan", "countNumber": 3},
   "action": {"type": "expire"}},
  {"rulePriority": 30, "selection": {"tagStatus": "untagged", "countType": "imageCountMoreThan",
   "countNumber": 1}, "action": {"type": "expire"}},
  {"rulePriority": 40, "selection": {"tagStatus": "any", "countType": "sinceImagePulled",
   "countUnit": "days", "countNumber": 30}, "action": {"type": "transition",
   "targetStorageClass": "archive"}},
  {"rulePriority": 50, "selection": {"tagStatus": "any", "storageClass": "archive",
   "countType": "sinceImageTransitioned", "countUnit": "days", "countNumber": 90},
   "action": {"type": "expire"}}
]})";

}  // namespace

// ---------------------------------------------------------------------------------------------

TEST_CASE("preview output does not depend on image order, pages or timestamp spelling",
          "[determinism]") {
  temp_dir dir;
  const std::string policy = (story_dir / "policy.json").string();
  const auto images = ordered_json::parse(read_file(story_dir / "images.json")).at("imageDetails");
  REQUIRE(images.size() == 2200);
  const auto baseline = preview_all(policy, {(story_dir / "images.json").string()}, story_now);
  // The baseline does act: otherwise identical output would prove little.
  CHECK(baseline.at("csv").find(",EXPIRE,") != std::string::npos);

  std::mt19937 rng{20260601};
  SECTION("shuffled, in one file") {
    for (int round = 0; round < 2; ++round) {
      ordered_json doc;
      doc["imageDetails"] = shuffled(images, rng);
      check_same(baseline, preview_all(policy, {dir.write(doc.dump(round))}, story_now),
                 "shuffle " + std::to_string(round));
    }
  }
  SECTION("shuffled and split into pages") {
    const auto mixed = shuffled(images, rng);
    check_same(baseline,
               preview_all(policy, paginate(dir, mixed, random_page_sizes(2200, 3, rng), 2),
                           story_now),
               "3 random pages");
    check_same(baseline,
               preview_all(policy, paginate(dir, mixed, std::vector<std::size_t>(22, 100), -1),
                           story_now),
               "22 pages of 100");
    check_same(baseline,
               preview_all(policy, paginate(dir, images, {0, 2200, 0}, 4), story_now),
               "empty pages around");
  }
  SECTION("a bare array, compact") {
    check_same(baseline, preview_all(policy, {dir.write(shuffled(images, rng).dump())}, story_now),
               "bare array");
  }
  SECTION("timestamps with other offsets, or as epoch seconds (AWS CLI v1)") {
    for (const int offset : {345, -210, 14 * 60}) {
      const auto moved =
          rewrite_timestamps(images, [&](const std::string& t) { return with_offset(t, offset); });
      ordered_json doc;
      doc["imageDetails"] = shuffled(moved, rng);
      check_same(baseline, preview_all(policy, {dir.write(doc.dump(1))}, story_now),
                 "offset " + std::to_string(offset) + " min");
    }
    // Numbers: dumped from their literal, so that no double rounding enters the test.
    const auto epoch = rewrite_timestamps(images, [&](const std::string& t) {
      std::string literal;
      (void)as_epoch_number_checked(t, literal);
      return literal;
    });
    std::string text = ordered_json{{"imageDetails", epoch}}.dump(4);
    // Turn the quoted literals of the timestamp members into JSON numbers.
    for (const auto& m : timestamp_members) {
      const std::string key = "\"" + m + "\": \"";
      for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
        text.erase(at + key.size() - 1, 1);
        text.erase(text.find('"', at + key.size() - 1), 1);
      }
    }
    check_same(baseline, preview_all(policy, {dir.write(text)}, story_now), "epoch numbers");
  }
  SECTION("the same --now in other spellings") {
    for (const std::string_view now :
         {std::string_view{"2026-11-27T19:15:00-04:45"}, std::string_view{"1795824000.000000"}}) {
      check_same(baseline, preview_all(policy, {(story_dir / "images.json").string()}, now),
                 "--now " + std::string(now));
    }
  }
}

TEST_CASE("preview output does not depend on the order of the rules", "[determinism]") {
  temp_dir dir;
  const std::string policy_text = read_file(story_dir / "policy.json");
  const std::string images = (story_dir / "images.json").string();
  const auto baseline = preview_all((story_dir / "policy.json").string(), {images}, story_now);
  const std::string baseline_json = without_policy_text(baseline.at("json"));
  const auto rules = ordered_json::parse(policy_text).at("rules");
  REQUIRE(rules.size() >= 5);

  std::mt19937 rng{7};
  for (int round = 0; round < 4; ++round) {
    ordered_json doc;
    doc["rules"] = round == 0
                       ? ordered_json(std::vector<ordered_json>(rules.rbegin(), rules.rend()))
                       : shuffled(rules, rng);
    const std::string text = doc.dump(round % 2 == 0 ? -1 : round);
    const std::string file = dir.write(text);
    const auto out = preview_all(file, {images}, story_now);
    INFO("round " << round);
    CHECK(out.at("table") == baseline.at("table"));
    CHECK(out.at("csv") == baseline.at("csv"));
    // The JSON echoes the policy as written (lifecyclePolicyText, as AWS does); all else is equal.
    std::string echoed;
    const std::string json = without_policy_text(out.at("json"), &echoed);
    INFO(first_difference(baseline_json, json));
    CHECK(json == baseline_json);
    CHECK(echoed == text);
  }
}

TEST_CASE("preview output does not depend on the time zone", "[determinism]") {
  const std::string policy = (story_dir / "policy.json").string();
  const std::string images = (story_dir / "images.json").string();
  std::map<std::string, std::string> baseline;
  {
    const scoped_tz utc{"UTC"};
    baseline = preview_all(policy, {images}, story_now);
  }
  // Half-hour and 45-minute offsets, +14 and -11 hours, southern-hemisphere and half-hour DST.
  for (const char* zone :
       {"Europe/Kyiv", "America/St_Johns", "Asia/Kathmandu", "Pacific/Kiritimati",
        "Pacific/Pago_Pago", "Australia/Lord_Howe", "America/Los_Angeles", "Asia/Tokyo", "EST5EDT",
        "XYZ-3:17"}) {
    const scoped_tz tz{zone};
    // The time zone is really in effect for the C library (where tzdata knows the zone).
    check_same(baseline, preview_all(policy, {images}, story_now), std::string("TZ=") + zone);
  }
  const scoped_tz kiritimati{"Pacific/Kiritimati"};
  std::time_t epoch = 0;
  const std::tm* local = std::localtime(&epoch);
  REQUIRE(local != nullptr);
  CHECK(local->tm_hour != 0);  // tzdata is installed: the zone moved the clock
}

TEST_CASE("preview output does not depend on the locale", "[determinism]") {
  const std::string policy = (story_dir / "policy.json").string();
  const std::string images = (story_dir / "images.json").string();
  const auto baseline = preview_all(policy, {images}, story_now);
  // Comma decimals; dot (de) or no-break space (ru, fr) thousands separators.
  const auto locales = installed_locales({"de_DE.UTF-8", "ru_RU.UTF-8", "fr_FR.UTF-8"});
  if (locales.empty()) {
    WARN("SKIPPED: no comma-decimal locale is installed (locale -a); scripts/setup.sh generates "
         "de_DE.UTF-8 and ru_RU.UTF-8 when run as root");
    return;
  }
  for (const auto& [name, loc] : locales) {
    const scoped_locale scoped{loc, name.c_str()};
    // The locale is in effect: streams group digits and printf uses a decimal comma now.
    std::ostringstream probe;
    probe << std::fixed << 1234567.5;
    INFO("locale " << name << " prints 1234567.5 as " << probe.str());
    CHECK(probe.str() != "1234567.500000");
    CHECK(std::string(std::localeconv()->decimal_point) == ",");
    check_same(baseline, preview_all(policy, {images}, story_now), "locale " + name);
  }
}

TEST_CASE("parsing gives the same diagnostics and values in every locale", "[determinism]") {
  // nlohmann's lexer reads numbers with the C locale's decimal point; under a comma-decimal
  // locale the literal of `1.0` came out as "1,0", and `"rulePriority": 1.0` was reported as out
  // of range instead of not an integer. Every policy and inventory fixture, hostile ones included.
  std::vector<fs::path> files;
  for (const char* dir : {"policies/valid", "policies/invalid", "hostile/policies",
                          "hostile/inventories", "inventories", "cli"}) {
    for (const auto& f : fs::directory_iterator(fs::path{ECRLP_TEST_DATA} / dir)) {
      if (f.is_regular_file() && f.path().filename() != "expected.txt") files.push_back(f.path());
    }
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 250);
  const auto parse_all = [&] {
    std::vector<std::string> out;
    for (const auto& f : files) {
      const bool is_policy = f.string().find("polic") != std::string::npos;
      std::vector<ecrlp::diagnostic> diags;
      std::string value;
      if (is_policy) {
        const auto r = ecrlp::load_policy(f);
        diags = r.diagnostics;
        if (r.value) value = std::to_string(r.value->policy.rules.size()) + " rules";
      } else {
        const std::vector<fs::path> one{f};
        const auto r = ecrlp::load_inventory(one);
        diags = r.diagnostics;
        if (r.value) value = std::to_string(r.value->images.size()) + " images";
      }
      std::string s = f.filename().string() + ": " + value;
      for (const auto& d : diags) {
        s += "\n  " + d.code + " " + d.pointer + " " + std::to_string(d.byte) + " " + d.message +
             " | " + d.aws_message;
      }
      out.push_back(std::move(s));
    }
    return out;
  };
  const auto baseline = parse_all();
  const auto locales = installed_locales({"de_DE.UTF-8", "ru_RU.UTF-8", "fr_FR.UTF-8"});
  if (locales.empty()) {
    WARN("SKIPPED: no comma-decimal locale is installed (locale -a); scripts/setup.sh generates "
         "de_DE.UTF-8 and ru_RU.UTF-8 when run as root");
    return;
  }
  for (const auto& [name, loc] : locales) {
    const scoped_locale scoped{loc, name.c_str()};
    REQUIRE(std::string(std::localeconv()->decimal_point) == ",");
    const auto again = parse_all();
    REQUIRE(again.size() == baseline.size());
    for (std::size_t i = 0; i < again.size(); ++i) {
      INFO("locale " << name);
      CHECK(again[i] == baseline[i]);
    }
  }
  // And the locale is back to "C" for the tests that follow.
  CHECK(std::string(std::localeconv()->decimal_point) == ".");
}

TEST_CASE("ties in push time are broken the same way in every order", "[determinism]") {
  temp_dir dir;
  std::mt19937 rng{42};
  const auto images = tie_images(300, rng);
  const std::string policy = dir.write(tie_policy);
  const std::string now = "2024-12-01T00:00:00Z";
  ordered_json base_doc;
  base_doc["imageDetails"] = images;
  const auto baseline = preview_all(policy, {dir.write(base_doc.dump())}, now);
  CHECK(baseline.at("csv").find(",EXPIRE,") != std::string::npos);
  CHECK(baseline.at("csv").find(",TRANSITION,") != std::string::npos);
  for (int round = 0; round < 10; ++round) {
    const auto mixed = shuffled(images, rng);
    const auto sizes = random_page_sizes(300, static_cast<std::size_t>(1 + round % 4), rng);
    const auto pages = paginate(dir, mixed, sizes, round % 2 == 0 ? -1 : 2);
    check_same(baseline, preview_all(policy, pages, now), "tie shuffle " + std::to_string(round));
  }
}

TEST_CASE("library: evaluate and the renderers ignore input order", "[determinism]") {
  const auto parsed_policy = ecrlp::load_policy(story_dir / "policy.json");
  REQUIRE(parsed_policy.ok());
  const std::vector<fs::path> files{story_dir / "images.json"};
  const auto parsed_images = ecrlp::load_inventory(files);
  REQUIRE(parsed_images.ok());
  const auto now = ecrlp::parse_timestamp(story_now);
  REQUIRE(now);
  const auto& policy = parsed_policy.value->policy;
  const auto& images = parsed_images.value->images;

  const auto render = [&](const ecrlp::lifecycle_policy& p, const std::vector<ecrlp::image>& imgs) {
    const auto result = ecrlp::evaluate(p, imgs, {.now = *now});
    const ecrlp::preview_document doc{p, parsed_policy.value->text, imgs, result, *now, "", ""};
    std::map<std::string, std::pair<ecrlp::fate, std::optional<std::int64_t>>> by_digest;
    for (std::size_t i = 0; i < imgs.size(); ++i) {
      by_digest[imgs[i].digest] = {result.decisions[i].action, result.decisions[i].owner};
    }
    std::vector<std::string> order;
    for (const std::size_t i : result.order) order.push_back(imgs[i].digest);
    return std::tuple{by_digest, order,
                      ecrlp::render(doc, ecrlp::output_format::json) + ecrlp::render(doc, ecrlp::output_format::text, {.max_rows = 0}) +
                          ecrlp::render(doc, ecrlp::output_format::csv),
                      result.rules.size()};
  };
  const auto baseline = render(policy, images);

  std::mt19937 rng{99};
  for (int round = 0; round < 5; ++round) {
    auto mixed_images = images;
    std::shuffle(mixed_images.begin(), mixed_images.end(), rng);
    auto mixed_policy = policy;
    std::shuffle(mixed_policy.rules.begin(), mixed_policy.rules.end(), rng);
    const auto again = render(mixed_policy, mixed_images);
    INFO("round " << round);
    CHECK(std::get<0>(again) == std::get<0>(baseline));
    CHECK(std::get<1>(again) == std::get<1>(baseline));
    CHECK(std::get<3>(again) == std::get<3>(baseline));
    // Rendered with the rules in another order: the report lists them by priority anyway.
    CHECK(std::get<2>(again) == std::get<2>(baseline));
  }
}
