// SPDX-License-Identifier: MIT
// Case files for `ecrlp test` (docs/policy-tests.md), read with nlohmann::json. Every nlohmann
// exception is caught here; problems become `case.*` diagnostics with JSON pointers.

#include <ecrlp/policy_case.hpp>

#include <ecrlp/image.hpp>
#include <ecrlp/testing.hpp>
#include <ecrlp/time.hpp>

#include "read/input.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <utility>

namespace ecrlp {
namespace {

using json = nlohmann::json;

constexpr std::uintmax_t max_file_bytes = 16U * 1024U * 1024U;

/// `parent` + "/" + `token`, with `~` and `/` escaped (RFC 6901).
[[nodiscard]] std::string pointer_append(std::string_view parent, std::string_view token) {
  std::string out(parent);
  out.push_back('/');
  for (const char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

[[nodiscard]] std::string pointer_append(std::string_view parent, std::size_t index) {
  return pointer_append(parent, std::to_string(index));
}

/// JSON type name for messages.
[[nodiscard]] std::string_view type_name(const json& v) noexcept {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a number";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "an unknown value";
  }
}

/// Levenshtein distance, for "did you mean" hints on misspelt member names.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

/// Tracks the JSON pointer of nlohmann's parser callbacks to report duplicate object keys, which
/// nlohmann would otherwise resolve silently (last one wins) and so drop an expectation unseen.
class duplicate_key_finder {
 public:
  explicit duplicate_key_finder(std::vector<std::string>& duplicates) : duplicates_(duplicates) {}

  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        element_started();
        frames_.push_back({event == json::parse_event_t::object_start, {}, {}, 0});
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!frames_.empty()) frames_.pop_back();
        break;
      case json::parse_event_t::key:
        if (!frames_.empty() && parsed.is_string()) {
          frame& f = frames_.back();
          f.key = parsed.get<std::string>();
          if (!f.keys.insert(f.key).second) duplicates_.push_back(pointer());
        }
        break;
      case json::parse_event_t::value:
        element_started();
        break;
    }
    return true;
  }

 private:
  struct frame {
    bool is_object = false;
    std::set<std::string> keys;
    std::string key;
    std::size_t count = 0;  ///< arrays: elements started so far
  };

  void element_started() {
    if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().count;
  }

  [[nodiscard]] std::string pointer() const {
    std::string p;
    for (const frame& f : frames_) {
      p = f.is_object ? pointer_append(p, f.key) : pointer_append(p, f.count - 1);
    }
    return p;
  }

  std::vector<std::string>& duplicates_;
  std::vector<frame> frames_;
};

/// What every case of a suite inherits from the top of the file.
struct case_defaults {
  std::optional<std::string> policy;
  std::optional<timestamp> now;
};

/// What every level of a case file is checked with: its diagnostics, unknown members, members
/// of a type, times.
class case_checks {
 public:
  case_checks(std::string_view file, std::vector<diagnostic>& out) : file_(file), out_(out) {}

 protected:
  void error(std::string code, std::string pointer, std::string message,
             severity level = severity::error) {
    diagnostic d;
    d.level = level;
    d.code = std::move(code);
    d.pointer = std::move(pointer);
    d.message = std::move(message);
    d.file = std::string(file_);
    out_.push_back(std::move(d));
  }

  /// Reports members of `obj` that the format does not have.
  void check_members(const json& obj, const std::string& ptr,
                     std::initializer_list<std::string_view> allowed) {
    for (const auto& [key, value] : obj.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
      std::string message = "unknown member \"" + key + "\"";
      std::string_view best;
      std::size_t best_distance = 3;  // suggest only close spellings
      for (const auto a : allowed) {
        const std::size_t d = edit_distance(key, a);
        if (d < best_distance) {
          best_distance = d;
          best = a;
        }
      }
      if (!best.empty()) {
        message += "; did you mean \"" + std::string(best) + "\"?";
      } else {
        message += "; expected one of";
        bool first = true;
        for (const auto a : allowed) {
          message += (first ? " \"" : ", \"") + std::string(a) + "\"";
          first = false;
        }
      }
      error("case.unknown_key", pointer_append(ptr, key), std::move(message));
    }
  }

  /// The member `key` of `obj` when it has type `type`; reports a wrong type. Absent: nullptr.
  const json* member(const json& obj, const std::string& ptr, std::string_view key,
                     json::value_t type) {
    const auto it = obj.find(key);
    if (it == obj.end()) return nullptr;
    const bool integer_ok = type == json::value_t::number_integer &&
                            (it->is_number_integer() || it->is_number_unsigned());
    if (it->type() == type || integer_ok) return &*it;
    std::string want;
    switch (type) {
      case json::value_t::string:
        want = "a string";
        break;
      case json::value_t::array:
        want = "an array";
        break;
      case json::value_t::object:
        want = "an object";
        break;
      default:
        want = "a whole number";
        break;
    }
    error("case.type", pointer_append(ptr, key),
          "\"" + std::string(key) + "\" must be " + want + ", not " + std::string(type_name(*it)));
    return nullptr;
  }

  /// An instant as case files write it: ISO-8601 with an offset. Epoch numbers, which
  /// parse_timestamp() also reads, are refused here: "10" is far likelier a forgotten unit.
  static std::optional<timestamp> parse_instant(std::string_view text) {
    if (text.find('T') == std::string_view::npos && text.find('t') == std::string_view::npos) {
      return std::nullopt;
    }
    return parse_timestamp(text);
  }

  /// `now`: an absolute time.
  std::optional<timestamp> read_now(const json& obj, const std::string& ptr) {
    const json* v = member(obj, ptr, "now", json::value_t::string);
    if (v == nullptr) return std::nullopt;
    const auto text = v->get<std::string>();
    if (auto t = parse_instant(text)) return t;
    error("case.time", pointer_append(ptr, "now"),
          "\"now\" is \"" + text +
              "\"; write an instant with an offset, such as \"2026-11-28T00:00:00Z\"");
    return std::nullopt;
  }

  /// An image time: an age before now ("10d") or an absolute time.
  std::optional<timestamp> read_time(const json& obj, const std::string& ptr, std::string_view key,
                                     timestamp now) {
    const json* v = member(obj, ptr, key, json::value_t::string);
    if (v == nullptr) return std::nullopt;
    const auto text = v->get<std::string>();
    if (const auto age = testing::parse_age(text)) return now - *age;
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos) {
      error("case.time", pointer_append(ptr, key),
            "\"" + std::string(key) + "\" is \"" + text + "\", a number without a unit; write \"" +
                text + "d\" for days (units: w, d, h, m, s)");
      return std::nullopt;
    }
    if (const auto t = parse_instant(text)) {
      if (*t > now) {
        error("case.future_time", pointer_append(ptr, key),
              "\"" + std::string(key) + "\" " + text + " is after \"now\" (" +
                  format_timestamp(now) + ")",
              severity::warning);
      }
      return t;
    }
    error(
        "case.time", pointer_append(ptr, key),
        "\"" + std::string(key) + "\" is \"" + text +
            "\"; write an age before \"now\" (a whole number and a unit w, d, h, m or s: \"10d\", "
            "\"36h\", \"1d12h\") or an instant (\"2026-11-28T00:00:00Z\")");
    return std::nullopt;
  }

  [[nodiscard]] std::size_t error_count() const {
    return static_cast<std::size_t>(std::count_if(
        out_.begin(), out_.end(), [](const diagnostic& d) { return d.level == severity::error; }));
  }

  std::string_view file_;
  std::vector<diagnostic>& out_;
};

/// The reader proper: the document, each case, its images and its expectations.
class case_reader : case_checks {
 public:
  case_reader(std::string_view file, std::filesystem::path base, std::vector<diagnostic>& out)
      : case_checks(file, out), base_(std::move(base)) {}

  void read_document(const json& root, case_file& result) {
    if (!root.is_object()) {
      error("case.type", "", "a case file is a JSON object, not " + std::string(type_name(root)));
      return;
    }
    if (!root.contains("cases")) {
      // A file holding one case: the case's members at the top level.
      check_members(root, "", {"name", "description", "policy", "now", "images", "expect"});
      std::string fallback = std::filesystem::path(std::string(file_)).stem().string();
      if (fallback.empty()) fallback = "case";
      read_case(root, "", {}, fallback, result);
      return;
    }
    check_members(root, "", {"description", "policy", "now", "cases"});
    case_defaults defaults;
    if (const json* p = member(root, "", "policy", json::value_t::string)) {
      defaults.policy = p->get<std::string>();
      if (defaults.policy->empty()) {
        error("case.value", "/policy", "\"policy\" is empty; give the path of a policy file");
      }
    }
    defaults.now = read_now(root, "");
    const json* cases = member(root, "", "cases", json::value_t::array);
    if (cases == nullptr) return;
    if (cases->empty()) {
      error("case.empty", "/cases", "\"cases\" is empty; give at least one case");
      return;
    }
    std::map<std::string, std::string> names;  // case name -> pointer of its first use
    for (std::size_t i = 0; i < cases->size(); ++i) {
      const std::string ptr = pointer_append("/cases", i);
      const json& c = (*cases)[i];
      if (!c.is_object()) {
        error("case.type", ptr, "a case is an object, not " + std::string(type_name(c)));
        continue;
      }
      check_members(c, ptr, {"name", "description", "policy", "now", "images", "expect"});
      const auto before = result.cases.size();
      read_case(c, ptr, defaults, {}, result);
      if (result.cases.size() == before) continue;
      const auto& name = result.cases.back().name;
      if (const auto [it, inserted] = names.emplace(name, ptr); !inserted) {
        error("case.duplicate_case", pointer_append(ptr, "name"),
              "case name \"" + name + "\" is already used by the case at " + it->second +
                  "; names identify cases in reports");
      }
    }
  }

 private:
  void read_case(const json& c, const std::string& ptr, const case_defaults& defaults,
                 const std::string& fallback_name, case_file& result) {
    const std::size_t errors_before = error_count();
    policy_case pc;
    pc.pointer = ptr;
    if (const json* n = member(c, ptr, "name", json::value_t::string)) {
      pc.name = n->get<std::string>();
      if (pc.name.empty()) error("case.value", pointer_append(ptr, "name"), "\"name\" is empty");
    } else if (!c.contains("name")) {
      if (fallback_name.empty()) {
        error("case.missing", ptr, "the case has no \"name\"; name it after what it checks");
      }
      pc.name = fallback_name;
    }
    if (const json* d = member(c, ptr, "description", json::value_t::string)) {
      pc.description = d->get<std::string>();
    }

    if (const json* p = member(c, ptr, "policy", json::value_t::string)) {
      pc.policy_text = p->get<std::string>();
    } else if (!c.contains("policy")) {
      if (defaults.policy) {
        pc.policy_text = *defaults.policy;
      } else {
        error("case.missing", ptr,
              "no \"policy\": name the policy file here or at the top of the file");
      }
    }
    if (!pc.policy_text.empty()) {
      pc.policy = (base_ / pc.policy_text).lexically_normal();
    } else if (c.contains("policy")) {
      error("case.value", pointer_append(ptr, "policy"),
            "\"policy\" is empty; give the path of a policy file");
    }

    std::optional<timestamp> now;
    if (c.contains("now")) {
      now = read_now(c, ptr);
    } else if (defaults.now) {
      now = defaults.now;
    } else {
      error("case.missing", ptr,
            "no \"now\": give the instant to evaluate at (\"2026-11-28T00:00:00Z\") here or at "
            "the top of the file");
    }
    const timestamp at = now.value_or(timestamp{});
    pc.repository = testing::repository_builder{at};

    std::map<std::string, std::string> tag_owner;  // tag -> image name
    const json* images = member(c, ptr, "images", json::value_t::array);
    if (images == nullptr && !c.contains("images")) {
      error("case.missing", ptr, "the case has no \"images\": list the repository's images");
    }
    if (images != nullptr) {
      for (std::size_t i = 0; i < images->size(); ++i) {
        read_image((*images)[i], pointer_append(pointer_append(ptr, "images"), i), at, pc,
                   tag_owner);
      }
    }

    const json* expect = member(c, ptr, "expect", json::value_t::array);
    if (expect == nullptr && !c.contains("expect")) {
      error("case.missing", ptr, "the case has no \"expect\": list the fates it expects");
    } else if (expect != nullptr && expect->empty()) {
      error("case.empty", pointer_append(ptr, "expect"),
            "\"expect\" is empty; a case needs at least one expectation");
    }
    if (expect != nullptr) {
      for (std::size_t i = 0; i < expect->size(); ++i) {
        read_expectation((*expect)[i], pointer_append(pointer_append(ptr, "expect"), i), pc,
                         tag_owner);
      }
    }
    if (error_count() == errors_before) result.cases.push_back(std::move(pc));
  }

  void read_image(const json& v, const std::string& ptr, timestamp now, policy_case& pc,
                  std::map<std::string, std::string>& tag_owner) {
    if (!v.is_object()) {
      error("case.type", ptr, "an image is an object, not " + std::string(type_name(v)));
      return;
    }
    check_members(v, ptr,
                  {"name", "digest", "tags", "age", "pushed", "pulled", "archived", "restored",
                   "status", "size"});
    const json* n = member(v, ptr, "name", json::value_t::string);
    if (n == nullptr) {
      if (!v.contains("name")) error("case.missing", ptr, "the image has no \"name\"");
      return;
    }
    const std::string name = n->get<std::string>();
    if (name.empty()) {
      error("case.value", pointer_append(ptr, "name"), "the image's \"name\" is empty");
      return;
    }
    if (pc.repository.find(name)) {
      error("case.duplicate_image", pointer_append(ptr, "name"),
            "image \"" + name + "\" is already in this case's repository; names must be unique");
      return;
    }
    auto b = pc.repository.image(name);

    if (const json* d = member(v, ptr, "digest", json::value_t::string)) {
      b.digest(d->get<std::string>());
    }
    if (const json* tags = member(v, ptr, "tags", json::value_t::array)) {
      std::vector<std::string> list;
      for (std::size_t i = 0; i < tags->size(); ++i) {
        const json& t = (*tags)[i];
        const std::string tp = pointer_append(pointer_append(ptr, "tags"), i);
        if (!t.is_string()) {
          error("case.type", tp, "a tag is a string, not " + std::string(type_name(t)));
          continue;
        }
        auto tag = t.get<std::string>();
        if (tag.empty()) {
          error("case.value", tp, "a tag cannot be empty");
          continue;
        }
        if (std::find(list.begin(), list.end(), tag) != list.end()) {
          error("case.duplicate_tag", tp, "tag \"" + tag + "\" is listed twice on this image");
          continue;
        }
        if (const auto [it, inserted] = tag_owner.emplace(tag, name); !inserted) {
          error("case.duplicate_tag", tp,
                "tag \"" + tag + "\" is already on image \"" + it->second +
                    "\"; in ECR a tag names one image");
          continue;
        }
        list.push_back(std::move(tag));
      }
      b.tags(list);
    }

    const bool has_age = v.contains("age");
    const bool has_pushed = v.contains("pushed");
    if (has_age && has_pushed) {
      error("case.conflict", pointer_append(ptr, "pushed"),
            "give either \"age\" or \"pushed\", not both (they say the same thing)");
    } else if (!has_age && !has_pushed) {
      error("case.missing", ptr,
            "image \"" + name +
                "\" has no \"age\" (how long before \"now\" it was pushed, such "
                "as \"10d\") or \"pushed\" (an instant)");
    } else if (const auto t = read_time(v, ptr, has_age ? "age" : "pushed", now)) {
      b.pushed_at(*t);
    }
    if (const auto t = read_time(v, ptr, "pulled", now)) b.pulled_at(*t);
    if (const auto t = read_time(v, ptr, "archived", now)) b.archived_at(*t);
    if (const auto t = read_time(v, ptr, "restored", now)) b.restored_at(*t);
    if (const json* s = member(v, ptr, "status", json::value_t::string)) {
      const auto text = s->get<std::string>();
      if (const auto status = parse_image_status(text)) {
        b.status(*status);
      } else {
        error("case.value", pointer_append(ptr, "status"),
              "\"status\" is \"" + text + "\"; use \"ACTIVE\", \"ARCHIVED\" or \"ACTIVATING\"");
      }
    }
    if (const auto it = v.find("size"); it != v.end()) {
      if (it->is_number_unsigned()) {
        b.size(it->get<std::uint64_t>());
      } else if (it->is_number_integer()) {
        error("case.value", pointer_append(ptr, "size"), "\"size\" cannot be negative");
      } else {
        error("case.type", pointer_append(ptr, "size"),
              "\"size\" must be a whole number of bytes, not " + std::string(type_name(*it)));
      }
    }
  }

  void read_expectation(const json& v, const std::string& ptr, policy_case& pc,
                        const std::map<std::string, std::string>& tag_owner) {
    if (!v.is_object()) {
      error("case.type", ptr, "an expectation is an object, not " + std::string(type_name(v)));
      return;
    }
    check_members(v, ptr, {"image", "images", "tag", "tags", "fate", "rule"});

    // Which images.
    std::vector<std::pair<testing::image_ref, std::string>> subjects;  // ref, pointer
    std::size_t selectors = 0;
    const auto add = [&](std::string_view key, testing::image_ref::kind kind, bool list) {
      if (!v.contains(key)) return;
      ++selectors;
      const std::string kp = pointer_append(ptr, key);
      std::vector<std::pair<const json*, std::string>> values;
      if (list) {
        const json* arr = member(v, ptr, key, json::value_t::array);
        if (arr == nullptr) return;
        if (arr->empty()) error("case.empty", kp, "\"" + std::string(key) + "\" is empty");
        for (std::size_t i = 0; i < arr->size(); ++i) {
          values.emplace_back(&(*arr)[i], pointer_append(kp, i));
        }
      } else {
        values.emplace_back(&*v.find(key), kp);
      }
      for (const auto& [value, vp] : values) {
        if (!value->is_string()) {
          error("case.type", vp,
                std::string(kind == testing::image_ref::kind::name ? "an image name" : "a tag") +
                    " is a string, not " + std::string(type_name(*value)));
          continue;
        }
        const auto text = value->get<std::string>();
        if (kind == testing::image_ref::kind::name && !pc.repository.find(text)) {
          error("case.unknown_image", vp, "no image of this case is called \"" + text + "\"");
          continue;
        }
        if (kind == testing::image_ref::kind::tag && tag_owner.find(text) == tag_owner.end()) {
          error("case.unknown_tag", vp, "no image of this case carries tag \"" + text + "\"");
          continue;
        }
        subjects.emplace_back(testing::image_ref{kind, text}, vp);
      }
    };
    add("image", testing::image_ref::kind::name, false);
    add("images", testing::image_ref::kind::name, true);
    add("tag", testing::image_ref::kind::tag, false);
    add("tags", testing::image_ref::kind::tag, true);
    if (selectors == 0) {
      error("case.missing", ptr,
            "the expectation names no image: give \"image\", \"images\", \"tag\" or \"tags\"");
    } else if (selectors > 1) {
      error("case.conflict", ptr,
            "give only one of \"image\", \"images\", \"tag\" and \"tags\" per expectation");
    }

    // Which fate.
    std::optional<fate> expected;
    if (const json* f = member(v, ptr, "fate", json::value_t::string)) {
      const auto text = f->get<std::string>();
      if (text == "kept") {
        expected = fate::keep;
      } else if (text == "expired") {
        expected = fate::expire;
      } else if (text == "transitioned") {
        expected = fate::transition;
      } else {
        error("case.value", pointer_append(ptr, "fate"),
              "\"fate\" is \"" + text + "\"; use \"kept\", \"expired\" or \"transitioned\"");
      }
    } else if (!v.contains("fate")) {
      error("case.missing", ptr,
            "the expectation has no \"fate\": \"kept\", \"expired\" or \"transitioned\"");
    }

    // Which rule.
    auto rule = testing::expectation::rule_requirement::any;
    std::int64_t priority = 0;
    if (const auto it = v.find("rule"); it != v.end()) {
      const std::string rp = pointer_append(ptr, "rule");
      if (it->is_number_unsigned() && it->get<std::uint64_t>() >= 1 &&
          it->get<std::uint64_t>() <=
              static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        rule = testing::expectation::rule_requirement::priority;
        priority = static_cast<std::int64_t>(it->get<std::uint64_t>());
      } else if (it->is_string() && it->get<std::string>() == "none") {
        if (expected && *expected != fate::keep) {
          error("case.value", rp,
                "\"rule\": \"none\" means no rule selects the image, so its fate can only be "
                "\"kept\"");
        }
        rule = testing::expectation::rule_requirement::none;
      } else {
        error("case.value", rp,
              "\"rule\" is the rulePriority of the rule expected to act (or, for kept images, to "
              "own the image), a whole number from 1, or \"none\"; not " +
                  (it->is_string() ? "\"" + it->get<std::string>() + "\""
                                   : std::string(type_name(*it))));
      }
    }

    if (!expected || selectors != 1) return;
    for (auto& [ref, sp] : subjects) {
      case_expectation e;
      e.subject = std::move(ref);
      e.expected = *expected;
      e.rule = rule;
      e.rule_priority = priority;
      e.pointer = sp;
      pc.expectations.push_back(std::move(e));
    }
  }

  std::filesystem::path base_;
};

/// The io.* messages of load_case_file: those of the policy reader, but for the size and for a
/// file that cannot be opened or read.
[[nodiscard]] std::string case_io_wording(const read::input_failure& f, std::string_view name) {
  switch (f.problem) {
    case read::input_problem::open:
      return "cannot read " + std::string(name);
    case read::input_problem::read:
      return "cannot read " + std::string(name) + ": read error";
    default:
      return read::named_file_wording(f, name, " is larger than 16 MiB; a case file is small");
  }
}

}  // namespace

parse_result<case_file> parse_case_file(std::string_view text, std::string_view source_name,
                                        const std::filesystem::path& base_directory) {
  parse_result<case_file> result;
  auto& diags = result.diagnostics;
  std::vector<std::string> duplicates;
  json root;
  try {
    root = json::parse(text.begin(), text.end(), duplicate_key_finder(duplicates));
  } catch (const json::parse_error& e) {
    diagnostic d;
    d.code = "case.syntax";
    d.file = std::string(source_name);
    d.byte = e.byte > 0 ? e.byte - 1 : 0;
    d.byte = std::min(d.byte, text.size());
    d.line = 1;
    d.column = 1;
    for (std::size_t i = 0; i < d.byte; ++i) {
      if (text[i] == '\n') {
        ++d.line;
        d.column = 1;
      } else {
        ++d.column;
      }
    }
    // what(): "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error
    // while parsing value - ..."; keep the part after the position.
    std::string_view what = e.what();
    if (const auto at = what.find("column "); at != std::string_view::npos) {
      if (const auto colon = what.find(": ", at); colon != std::string_view::npos) {
        what.remove_prefix(colon + 2);
      }
    }
    d.message = what.empty() ? "the case file is not JSON" : std::string(what);
    diags.push_back(std::move(d));
    return result;
  } catch (const json::exception& e) {
    diagnostic d;
    d.code = "case.syntax";
    d.file = std::string(source_name);
    d.message = e.what();
    diags.push_back(std::move(d));
    return result;
  }
  for (auto& p : duplicates) {
    diagnostic d;
    d.code = "case.duplicate_key";
    d.file = std::string(source_name);
    d.message = "this member is given twice in one object; only one may be given";
    d.pointer = std::move(p);
    diags.push_back(std::move(d));
  }

  case_file file;
  file.file = std::string(source_name);
  try {
    case_reader reader(source_name, base_directory, diags);
    reader.read_document(root, file);
  } catch (const json::exception& e) {
    // Every access above checks types first; this is a safety net, not a path taken.
    diagnostic d;
    d.code = "case.internal";
    d.file = std::string(source_name);
    d.message = std::string("unexpected JSON access error: ") + e.what();
    diags.push_back(std::move(d));
  }
  if (!has_errors(diags)) result.value = std::move(file);
  return result;
}

parse_result<case_file> load_case_file(const std::filesystem::path& path) {
  read::input_text text;
  std::vector<diagnostic> io;
  // Only the size of a regular file is checked, as it always was: a pipe is read whole.
  if (!read::read_input(path, {.max_bytes = max_file_bytes, .while_reading = false},
                        case_io_wording, text, io)) {
    parse_result<case_file> result;
    result.diagnostics = std::move(io);
    return result;
  }
  return parse_case_file(text.view(), read::input_name(path), path.parent_path());
}

}  // namespace ecrlp
