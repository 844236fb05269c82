// SPDX-License-Identifier: MIT
// Independent audit of ecrlp against /work/shared/spec/ecr-semantics.md.
//
// Part 1: a small evaluator written from the spec alone (section 2.2 and ecrlp decisions 1-5),
// compared with ecrlp::evaluate() on randomized repositories and valid random policies that
// stress ties, day boundaries, storage classes, restores and multi-`*` patterns. The random
// policies are valid by construction (spec 1.6), so they also check that the validator and the
// parser accept them.
// Part 2: timestamps with fractions and offsets (spec 3.1, decision 1) end to end.
// Part 3: policy acceptance, one policy that just passes and one that just fails per rule of
// spec 1.5/1.6 and decision 6, with the JSON pointer of the error; random valid policies with one
// violation added.
// Part 4: preview JSON (spec 3.4, decisions 2 and 7). Part 5: index children and referrers (2.2, 2.7).
// The worked examples TC-1..TC-18 are in evaluate_test.cpp / policy_validate_test.cpp already.

#include <ecrlp/evaluate.hpp>
#include <ecrlp/explain.hpp>
#include <ecrlp/inventory_parser.hpp>
#include <ecrlp/policy_parser.hpp>
#include <ecrlp/render.hpp>
#include <ecrlp/time.hpp>
#include <ecrlp/validate.hpp>

#include "catch.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using ecrlp::action_type;
using ecrlp::count_type;
using ecrlp::fate;
using ecrlp::image_status;
using ecrlp::storage_class;
using ecrlp::tag_list_kind;
using ecrlp::tag_status;
using ecrlp::timestamp;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::seconds;

// ---------------------------------------------------------------------------------------------
// The independent evaluator (spec 2.2, decisions 1-5). Deliberately naive.
// ---------------------------------------------------------------------------------------------
namespace audit {

constexpr std::int64_t day_us = 86'400'000'000;

// Decision 4: anchored glob, only `*` special, matching any run including the empty one.
bool glob(std::string_view p, std::string_view t) {
  if (p.empty()) return t.empty();
  if (p.front() == '*') {
    for (std::size_t k = 0; k <= t.size(); ++k) {
      if (glob(p.substr(1), t.substr(k))) return true;
    }
    return false;
  }
  return !t.empty() && p.front() == t.front() && glob(p.substr(1), t.substr(1));
}

bool entry_match(tag_list_kind kind, const std::string& e, const std::string& tag) {
  if (kind == tag_list_kind::prefix) return tag.compare(0, e.size(), e) == 0 && tag.size() >= e.size();
  return glob(e, tag);
}

// 2.2 tagMatch.
bool tag_match(const ecrlp::rule& r, const ecrlp::image& i) {
  switch (r.selection.status) {
    case tag_status::any:
      return true;
    case tag_status::untagged:
      return i.tags.empty();
    case tag_status::tagged:
      if (i.tags.empty()) return false;
      for (const auto& e : r.selection.tag_list) {
        bool found = false;
        for (const auto& t : i.tags) found = found || entry_match(r.selection.list_kind, e, t);
        if (!found) return false;
      }
      return true;
  }
  return false;
}

// Decision 3.
std::optional<storage_class> klass(const ecrlp::image& i) {
  if (i.status == image_status::active) return storage_class::standard;
  if (i.status == image_status::archived) return storage_class::archive;
  return std::nullopt;
}

timestamp ref_time(const ecrlp::image& i) { return i.last_activated_at.value_or(i.pushed_at); }

timestamp pull_ref(const ecrlp::image& i) {
  if (i.last_activated_at && (!i.last_pulled_at || *i.last_pulled_at < *i.last_activated_at)) {
    return *i.last_activated_at;
  }
  if (i.last_pulled_at) return *i.last_pulled_at;
  return i.pushed_at;
}

// Decision 1: strictly more than N x 86400 s.
bool older(timestamp now, timestamp ref, std::int64_t n) {
  return (now - ref).count() > n * day_us;
}

// Decision 2: older first by (refTime, digest).
bool older_first(const ecrlp::image& a, const ecrlp::image& b) {
  if (ref_time(a) != ref_time(b)) return ref_time(a) < ref_time(b);
  return a.digest < b.digest;
}

struct rule_totals {
  std::int64_t priority = 0;
  std::size_t identified = 0, marked = 0, owned = 0, acted = 0;
};

struct outcome {
  std::vector<fate> action;
  std::vector<std::optional<std::int64_t>> owner;
  std::vector<std::size_t> order;
  std::vector<rule_totals> rules;
  std::size_t expiring = 0, transitioning = 0;
  bool archive_time_missing_identified = false;  // decision 5 warning expected
};

// Spec 2.2 eligibility / 2.7 (recommended defaults): images listed by a live (present, not
// ARCHIVED) index are excluded from every rule and kept; referrers whose subject is present are
// excluded from every rule and take their subject's fate. (Subjects here are never referrers.)
outcome run(const ecrlp::lifecycle_policy& policy, const std::vector<ecrlp::image>& imgs,
            timestamp now, const std::vector<ecrlp::index_manifest>& indexes = {}) {
  const std::size_t n = imgs.size();
  outcome out;
  std::map<std::string, std::size_t> by_digest;
  for (std::size_t i = 0; i < n; ++i) by_digest.emplace(imgs[i].digest, i);
  std::vector<std::optional<std::size_t>> subject(n);
  std::vector<bool> excluded(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    const auto it = by_digest.find(imgs[i].subject_digest);
    if (!imgs[i].subject_digest.empty() && it != by_digest.end() && it->second != i) {
      subject[i] = it->second;
      excluded[i] = true;
    }
  }
  for (const auto& ix : indexes) {
    const auto it = by_digest.find(ix.digest);
    if (it == by_digest.end() || imgs[it->second].status == image_status::archived) continue;
    for (const auto& c : ix.manifests) {
      const auto ct = by_digest.find(c);
      if (ct != by_digest.end() && ct->second != it->second) excluded[ct->second] = true;
    }
  }
  out.action.assign(n, fate::keep);
  out.owner.assign(n, std::nullopt);
  for (std::size_t i = 0; i < n; ++i) out.order.push_back(i);
  std::sort(out.order.begin(), out.order.end(),
            [&](std::size_t a, std::size_t b) { return older_first(imgs[a], imgs[b]); });

  std::vector<const ecrlp::rule*> rules;
  for (const auto& r : policy.rules) rules.push_back(&r);
  std::sort(rules.begin(), rules.end(),
            [](const ecrlp::rule* a, const ecrlp::rule* b) { return a->priority < b->priority; });

  // Phase 1: S(r) and C(r) for every rule over every image.
  std::vector<std::vector<bool>> ident(rules.size(), std::vector<bool>(n, false));
  std::vector<std::vector<bool>> mark(rules.size(), std::vector<bool>(n, false));
  for (std::size_t ri = 0; ri < rules.size(); ++ri) {
    const ecrlp::rule& r = *rules[ri];
    const auto& s = r.selection;
    std::vector<std::size_t> sel;  // newest first
    for (auto it = out.order.rbegin(); it != out.order.rend(); ++it) {
      const auto& img = imgs[*it];
      if (excluded[*it] || klass(img) != s.storage || !tag_match(r, img)) continue;
      sel.push_back(*it);
      ident[ri][*it] = true;
    }
    for (std::size_t k = 0; k < sel.size(); ++k) {
      const auto& img = imgs[sel[k]];
      bool m = false;
      switch (s.type) {
        case count_type::image_count_more_than:
          m = static_cast<std::int64_t>(k) >= s.count_number;
          break;
        case count_type::since_image_pushed:
          m = older(now, ref_time(img), s.count_number);
          break;
        case count_type::since_image_pulled:
          m = older(now, pull_ref(img), s.count_number);
          break;
        case count_type::since_image_transitioned:
          if (img.last_archived_at) {
            m = older(now, *img.last_archived_at, s.count_number);
          } else {
            out.archive_time_missing_identified = true;
          }
          break;
      }
      mark[ri][sel[k]] = m;
    }
  }
  // Phase 2: the owner is the highest-priority identifying rule; only its mark acts.
  out.rules.resize(rules.size());
  for (std::size_t ri = 0; ri < rules.size(); ++ri) {
    out.rules[ri].priority = rules[ri]->priority;
    for (std::size_t i = 0; i < n; ++i) {
      out.rules[ri].identified += ident[ri][i] ? 1U : 0U;
      out.rules[ri].marked += mark[ri][i] ? 1U : 0U;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t ri = 0; ri < rules.size(); ++ri) {
      if (!ident[ri][i]) continue;
      out.owner[i] = rules[ri]->priority;
      ++out.rules[ri].owned;
      if (mark[ri][i]) {
        ++out.rules[ri].acted;
        if (rules[ri]->action.type == action_type::expire) {
          out.action[i] = fate::expire;
          ++out.expiring;
        } else {
          out.action[i] = fate::transition;
          ++out.transitioning;
        }
      }
      break;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!subject[i]) continue;
    out.action[i] = out.action[*subject[i]];
    out.owner[i] = out.owner[*subject[i]];
    out.expiring += out.action[i] == fate::expire ? 1U : 0U;
    out.transitioning += out.action[i] == fate::transition ? 1U : 0U;
  }
  return out;
}

}  // namespace audit

// ---------------------------------------------------------------------------------------------
// Random generation.
// ---------------------------------------------------------------------------------------------

const timestamp base_now{std::chrono::sys_days{std::chrono::year{2025} / 1 / 31}};

struct gen {
  std::mt19937_64 rng;
  explicit gen(std::uint64_t seed) : rng(seed) {}

  std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); }
  bool chance(int percent) { return static_cast<int>(below(100)) < percent; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[below(v.size())]; }

  std::string word(std::string_view alphabet, std::size_t min_len, std::size_t max_len) {
    const std::size_t len = min_len + below(max_len - min_len + 1);
    std::string s;
    for (std::size_t i = 0; i < len; ++i) s.push_back(alphabet[below(alphabet.size())]);
    return s;
  }

  // Long shared stems push tags and literal prefixes past 8 and 16 bytes.
  std::string stem() {
    static const std::vector<std::string> stems{"",
                                                "",
                                                "",
                                                "release-candidate-",
                                                "release-candidate-build-a",
                                                "0123456789abcdef",
                                                "0123456789abcdefa"};
    const std::string& s = pick(stems);
    return s.substr(0, s.size() - (s.empty() ? 0 : below(3)));
  }

  std::string tag() {
    std::string t = stem() + word("aab-.A1", 0, 5);
    return t.empty() ? "a" : t;
  }

  std::string pattern() {
    std::string p = (chance(30) ? stem() : std::string()) + word("ab-A*1*", 0, 7);
    if (chance(20)) p = "*" + stem() + "*";
    // At most four `*` (spec 1.3): drop extra ones.
    std::size_t stars = 0;
    std::string q;
    for (char c : p) {
      if (c == '*' && ++stars > 4) continue;
      q.push_back(c);
    }
    return q;
  }

  std::string prefix() { return (chance(30) ? stem() : std::string()) + word("aab-A*", 0, 3); }

  // Instants around the day boundaries the policies use.
  timestamp instant(timestamp now) {
    static const std::vector<std::int64_t> day_set{0, 1, 2, 3, 4, 5, 89, 90, 91, 92, 100, 365, 366};
    static const std::vector<std::int64_t> delta_us{0,           0,           1,  -1, 1'000'000,
                                                    -1'000'000, 43'200'000'000, -43'200'000'000,
                                                    123'456};
    if (chance(3)) return timestamp{std::chrono::sys_days{std::chrono::year{1965} / 3 / 1}} + microseconds{below(3)};
    if (chance(2)) return timestamp{std::chrono::sys_days{std::chrono::year{2200} / 1 / 1}};
    return now - days{pick(day_set)} + microseconds{pick(delta_us)};
  }
};

std::vector<ecrlp::image> random_images(gen& g, timestamp now, std::size_t big = 0) {
  const std::size_t n = big != 0 ? big : g.below(22);
  std::set<std::string> digests;
  std::vector<ecrlp::image> out;
  // A few shared instants make equal reference times (decision 2 tie order) common.
  std::vector<timestamp> shared{g.instant(now), g.instant(now), g.instant(now)};
  while (out.size() < n) {
    ecrlp::image img;
    img.digest = "sha256:" + (big != 0 ? g.word("0123456789abcdef", 64, 64) : g.word("0123456789abcdef", 1, 3));
    if (!digests.insert(img.digest).second) continue;
    const std::size_t ntags = g.chance(25) ? 0 : 1 + g.below(4);
    std::set<std::string> tags;
    while (tags.size() < ntags) tags.insert(g.tag());
    img.tags.assign(tags.begin(), tags.end());
    std::shuffle(img.tags.begin(), img.tags.end(), g.rng);
    img.pushed_at = g.chance(40) ? g.pick(shared) : g.instant(now);
    const int s = static_cast<int>(g.below(100));
    img.status = s < 60 ? image_status::active : s < 88 ? image_status::archived : image_status::activating;
    if (g.chance(50)) img.last_pulled_at = g.chance(30) ? g.pick(shared) : g.instant(now);
    if (g.chance(30)) img.last_activated_at = g.chance(30) ? g.pick(shared) : g.instant(now);
    if (g.chance(15)) img.last_pulled_at = img.last_activated_at;  // equal pull and restore times
    if (img.status == image_status::archived ? g.chance(85) : g.chance(20)) {
      img.last_archived_at = g.instant(now);
    }
    img.size_bytes = 1 + g.below(1000);
    out.push_back(std::move(img));
  }
  return out;
}

// A valid policy (spec 1.6 + decision 6) by construction.
ecrlp::lifecycle_policy random_policy(gen& g) {
  ecrlp::lifecycle_policy p;
  std::vector<ecrlp::rule> rules;
  for (const storage_class sc : {storage_class::standard, storage_class::archive}) {
    const bool archive = sc == storage_class::archive;
    if (archive && g.chance(50)) continue;
    std::vector<ecrlp::rule> cls;
    std::set<std::pair<tag_list_kind, std::vector<std::string>>> sets;
    const std::size_t ntagged = g.below(archive ? 3 : 5);
    std::vector<tag_status> statuses(ntagged, tag_status::tagged);
    if (g.chance(45)) statuses.push_back(tag_status::untagged);
    if (g.chance(40)) statuses.push_back(tag_status::any);
    for (const tag_status st : statuses) {
      ecrlp::rule r;
      r.selection.status = st;
      r.selection.storage = sc;
      if (st == tag_status::tagged) {
        for (int attempt = 0; attempt < 20; ++attempt) {
          r.selection.list_kind = g.chance(50) ? tag_list_kind::prefix : tag_list_kind::pattern;
          r.selection.tag_list.clear();
          const std::size_t len = 1 + (g.chance(30) ? g.below(3) : 0);
          for (std::size_t k = 0; k < len; ++k) {
            r.selection.tag_list.push_back(r.selection.list_kind == tag_list_kind::prefix ? g.prefix()
                                                                                          : g.pattern());
          }
          std::vector<std::string> norm = r.selection.tag_list;
          std::sort(norm.begin(), norm.end());
          norm.erase(std::unique(norm.begin(), norm.end()), norm.end());
          if (sets.insert({r.selection.list_kind, norm}).second) break;
          r.selection.tag_list.clear();
        }
        if (r.selection.tag_list.empty()) continue;
      }
      static const std::vector<std::int64_t> day_counts{1, 2, 3, 4, 5, 90, 91, 100, 365};
      static const std::vector<std::int64_t> archive_days{90, 91, 92, 100, 365, 366};
      if (archive) {
        r.selection.type = count_type::since_image_transitioned;
        r.selection.count_number = g.pick(archive_days);
        r.action.type = action_type::expire;
      } else {
        const std::size_t t = g.below(3);
        r.selection.type = t == 0   ? count_type::image_count_more_than
                           : t == 1 ? count_type::since_image_pushed
                                    : count_type::since_image_pulled;
        r.selection.count_number = t == 0 ? static_cast<std::int64_t>(1 + g.below(6)) : g.pick(day_counts);
        r.action.type = t == 2 || g.chance(40) ? action_type::transition : action_type::expire;
      }
      cls.push_back(std::move(r));
    }
    for (auto& r : cls) rules.push_back(std::move(r));
  }
  // Distinct priorities (not contiguous); each class's `any` rule gets its class's largest number.
  std::vector<std::int64_t> prios(60);
  for (std::size_t i = 0; i < prios.size(); ++i) prios[i] = static_cast<std::int64_t>(i + 1);
  std::shuffle(prios.begin(), prios.end(), g.rng);
  for (std::size_t i = 0; i < rules.size(); ++i) rules[i].priority = prios[i];
  for (const storage_class sc : {storage_class::standard, storage_class::archive}) {
    std::optional<std::size_t> any_rule, last;
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (rules[i].selection.storage != sc) continue;
      if (rules[i].selection.status == tag_status::any) any_rule = i;
      if (!last || rules[i].priority > rules[*last].priority) last = i;
    }
    if (any_rule) std::swap(rules[*any_rule].priority, rules[*last].priority);
  }
  std::shuffle(rules.begin(), rules.end(), g.rng);  // document order does not matter
  for (std::size_t i = 0; i < rules.size(); ++i) {
    rules[i].source_index = i;
    rules[i].description = "r" + std::to_string(i);
  }
  p.rules = std::move(rules);
  return p;
}

std::string json_string(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o + "\"";
}

// The policy as a JSON document, padded with spaces to the 100-character minimum.
std::string to_json(const ecrlp::lifecycle_policy& p) {
  std::ostringstream o;
  o << "{\"rules\":[";
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const auto& r = p.rules[i];
    const auto& s = r.selection;
    if (i != 0) o << ',';
    o << "{\"rulePriority\":" << r.priority << ",\"description\":" << json_string(r.description)
      << ",\"selection\":{\"tagStatus\":\"" << ecrlp::to_string(s.status) << '"';
    if (s.list_kind != tag_list_kind::none) {
      o << ",\"" << ecrlp::to_string(s.list_kind) << "\":[";
      for (std::size_t k = 0; k < s.tag_list.size(); ++k) o << (k ? "," : "") << json_string(s.tag_list[k]);
      o << ']';
    }
    if (s.storage == storage_class::archive) o << ",\"storageClass\":\"archive\"";
    o << ",\"countType\":\"" << ecrlp::to_string(s.type) << '"';
    if (ecrlp::is_age_limit(s.type)) o << ",\"countUnit\":\"days\"";
    o << ",\"countNumber\":" << s.count_number << "},\"action\":{\"type\":\""
      << ecrlp::to_string(r.action.type) << '"';
    if (r.action.type == action_type::transition) o << ",\"targetStorageClass\":\"archive\"";
    o << "}}";
  }
  o << "]}";
  std::string text = o.str();
  if (text.size() < 100) text.append(100 - text.size(), ' ');
  return text;
}

std::string describe_case(const ecrlp::lifecycle_policy& p, const std::vector<ecrlp::image>& imgs,
                          timestamp now) {
  std::ostringstream o;
  o << "now " << ecrlp::format_timestamp(now) << "\npolicy " << to_json(p) << "\nimages:\n";
  for (const auto& i : imgs) {
    o << "  " << i.digest << " " << ecrlp::to_string(i.status) << " pushed "
      << ecrlp::format_timestamp(i.pushed_at);
    if (i.last_pulled_at) o << " pulled " << ecrlp::format_timestamp(*i.last_pulled_at);
    if (i.last_activated_at) o << " activated " << ecrlp::format_timestamp(*i.last_activated_at);
    if (i.last_archived_at) o << " archived " << ecrlp::format_timestamp(*i.last_archived_at);
    o << " tags [";
    for (const auto& t : i.tags) o << t << ' ';
    o << "]\n";
  }
  return o.str();
}

bool has_warning(const ecrlp::evaluation_result& r, std::string_view code) {
  return std::any_of(r.warnings.begin(), r.warnings.end(),
                     [&](const ecrlp::diagnostic& d) { return d.code == code; });
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Part 1: randomized differential test.
// ---------------------------------------------------------------------------------------------

TEST_CASE("spec audit: the glob of decision 4 (independent matcher sanity)", "[spec_audit]") {
  CHECK(audit::glob("prod*", "prod"));
  CHECK(audit::glob("*prod*", "repo-production"));
  CHECK(audit::glob("*test*1*2*3", "test123"));
  CHECK_FALSE(audit::glob("latest", "latest1"));
  CHECK_FALSE(audit::glob("", "a"));
  CHECK(audit::glob("a**b", "ab"));
  CHECK_FALSE(audit::glob("Prod*", "prod"));
  // ecrlp's matcher on the same corners.
  CHECK(ecrlp::pattern_matches("prod*", "prod"));
  CHECK(ecrlp::pattern_matches("*prod*", "repo-production"));
  CHECK(ecrlp::pattern_matches("*a*a*a*", "aaa"));
  CHECK_FALSE(ecrlp::pattern_matches("*a*a*a*", "aa"));
  CHECK_FALSE(ecrlp::pattern_matches("latest", "latest1"));
  CHECK_FALSE(ecrlp::pattern_matches("Prod*", "prod"));
  CHECK(ecrlp::prefix_matches("", "anything"));
  CHECK_FALSE(ecrlp::prefix_matches("a*", "ab"));
}

TEST_CASE("spec audit: evaluate() agrees with an independent spec-2.2 evaluator", "[spec_audit]") {
  std::size_t cases = 0, parsed_checked = 0, acted = 0, ties = 0;
  for (std::uint64_t seed = 1; seed <= 3000; ++seed) {
    gen g(seed * 0x9E3779B97F4A7C15ULL);
    const timestamp now = base_now + microseconds{g.chance(50) ? 0 : static_cast<std::int64_t>(g.below(1'000'000))};
    const ecrlp::lifecycle_policy policy = random_policy(g);
    const std::vector<ecrlp::image> imgs = random_images(g, now);
    INFO("seed " << seed << "\n" << describe_case(policy, imgs, now));

    // A valid-by-construction policy must validate and parse (spec 1.6, decision 6).
    const auto diags = ecrlp::validate(policy);
    for (const auto& d : diags) INFO(d.code << " " << d.pointer << " " << d.message);
    REQUIRE_FALSE(ecrlp::has_errors(diags));
    if (seed % 5 == 0) {
      const auto parsed = ecrlp::parse_policy(to_json(policy));
      for (const auto& d : parsed.diagnostics) INFO(d.code << " " << d.pointer << " " << d.message);
      REQUIRE(parsed.ok());
      REQUIRE(parsed.value->policy.rules.size() == policy.rules.size());
      ++parsed_checked;
    }

    const audit::outcome want = audit::run(policy, imgs, now);
    const ecrlp::evaluation_result got = ecrlp::evaluate(policy, imgs, {.now = now});
    REQUIRE(got.decisions.size() == imgs.size());
    for (std::size_t i = 0; i < imgs.size(); ++i) {
      INFO("image " << imgs[i].digest);
      CHECK(got.decisions[i].action == want.action[i]);
      CHECK(got.decisions[i].owner == want.owner[i]);
      CHECK(got.decisions[i].applied_rule_priority() ==
            (want.action[i] == fate::keep ? std::nullopt : want.owner[i]));
      acted += want.action[i] == fate::keep ? 0U : 1U;
    }
    CHECK(got.order == want.order);
    CHECK(got.expiring == want.expiring);
    CHECK(got.transitioning == want.transitioning);
    REQUIRE(got.rules.size() == want.rules.size());
    for (std::size_t r = 0; r < want.rules.size(); ++r) {
      INFO("rule priority " << want.rules[r].priority);
      CHECK(got.rules[r].priority == want.rules[r].priority);
      CHECK(got.rules[r].identified == want.rules[r].identified);
      CHECK(got.rules[r].marked == want.rules[r].marked);
      CHECK(got.rules[r].owned == want.rules[r].owned);
      CHECK(got.rules[r].acted == want.rules[r].acted);
    }
    // Decision 5: a warning for an ARCHIVED image without lastArchivedAt that an archive
    // rule identifies.
    if (want.archive_time_missing_identified) {
      CHECK(has_warning(got, "image.archived_without_archive_time"));
    }
    for (std::size_t i = 1; i < want.order.size(); ++i) {
      ties += audit::ref_time(imgs[want.order[i]]) == audit::ref_time(imgs[want.order[i - 1]]) ? 1U : 0U;
    }
    ++cases;
  }
  CHECK(cases == 3000);
  CHECK(parsed_checked == 600);
  // The generator must really exercise actions and ties.
  CHECK(acted > 3000);
  CHECK(ties > 1000);
}

TEST_CASE("spec audit: with independent_images, subjectManifestDigest changes nothing (decision 8)",
          "[spec_audit]") {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    gen g(seed + 77);
    const ecrlp::lifecycle_policy policy = random_policy(g);
    std::vector<ecrlp::image> imgs = random_images(g, base_now);
    for (auto& i : imgs) {
      if (g.chance(40) && !imgs.empty()) i.subject_digest = g.pick(imgs).digest;
    }
    INFO("seed " << seed << "\n" << describe_case(policy, imgs, base_now));
    std::vector<ecrlp::image> alone = imgs;
    for (auto& i : alone) i.subject_digest.clear();
    const audit::outcome want = audit::run(policy, alone, base_now);
    const auto got = ecrlp::evaluate(policy, imgs, {.now = base_now, .independent_images = true});
    for (std::size_t i = 0; i < imgs.size(); ++i) {
      CHECK(got.decisions[i].action == want.action[i]);
      CHECK(got.decisions[i].owner == want.owner[i]);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Part 2: timestamps (spec 3.1 "Parser must accept Z, ±hh:mm, optional .ffffff, and bare
// numbers"; decision 1: microsecond precision, strictly more than N days).
// ---------------------------------------------------------------------------------------------

namespace {

const timestamp seven_days_ago{std::chrono::sys_days{std::chrono::year{2025} / 1 / 24}};  // 1737676800

std::string inventory_json(const std::vector<std::pair<std::string, std::string>>& digest_and_fields) {
  std::string s = "{\"imageDetails\":[";
  for (std::size_t i = 0; i < digest_and_fields.size(); ++i) {
    if (i != 0) s += ',';
    s += "{\"imageDigest\":\"sha256:" + digest_and_fields[i].first + "\"," + digest_and_fields[i].second + "}";
  }
  return s + "]}";
}

}  // namespace

TEST_CASE("spec audit: timestamp forms keep the instant to the microsecond", "[spec_audit]") {
  const auto p = [](std::string_view s) { return ecrlp::parse_timestamp(s); };
  CHECK(p("2025-01-24T00:00:00Z") == seven_days_ago);
  CHECK(p("2025-01-24T00:00:00+00:00") == seven_days_ago);
  CHECK(p("2025-01-24T05:30:00+05:30") == seven_days_ago);
  CHECK(p("2025-01-23T18:00:00-06:00") == seven_days_ago);
  CHECK(p("2025-01-24T00:00:00.000001Z") == seven_days_ago + microseconds{1});
  CHECK(p("2025-01-23T23:59:59.999999+00:00") == seven_days_ago - microseconds{1});
  CHECK(p("2025-01-23T19:59:59.999999-04:00") == seven_days_ago - microseconds{1});
  CHECK(p("2025-01-24T00:00:00.5Z") == seven_days_ago + microseconds{500'000});
  CHECK(p("2025-01-24T00:00:00.1234567Z") == seven_days_ago + microseconds{123'456});
  CHECK(p("1737676800") == seven_days_ago);
  CHECK(p("1737676800.0") == seven_days_ago);
  CHECK(p("1737676800.5") == seven_days_ago + microseconds{500'000});
  CHECK(p("1737676800.000001") == seven_days_ago + microseconds{1});
  CHECK(p("1737676799.999999") == seven_days_ago - microseconds{1});
  CHECK(p("1737676800.123456") == seven_days_ago + microseconds{123'456});
  CHECK_FALSE(p("2025-02-30T00:00:00Z").has_value());
}

TEST_CASE("spec audit: exactly N days is not older than N days, whatever the timestamp's form",
          "[spec_audit]") {
  // now = 2025-01-31T00:00:00Z; rule: any, sinceImagePushed 7 days, expire.
  const std::string json = inventory_json({
      {"a1", R"("imageTags":["x"],"imagePushedAt":"2025-01-24T05:30:00+05:30")"},          // exactly 7 d
      {"a2", R"("imageTags":["x"],"imagePushedAt":"2025-01-23T18:59:59.999999-05:00")"},   // 7 d + 1 us
      {"a3", R"("imagePushedAt":1737676800.0)"},                                         // exactly 7 d
      {"a4", R"("imagePushedAt":1737676799.999999)"},                                    // 7 d + 1 us
      {"a5", R"("imagePushedAt":"2025-01-24T00:00:00.000001Z")"},                        // 7 d - 1 us
      {"a6", R"("imagePushedAt":1737676800.000001)"},                                    // 7 d - 1 us
  });
  const auto inv = ecrlp::parse_inventory(json);
  for (const auto& d : inv.diagnostics) INFO(d.code << " " << d.pointer << " " << d.message);
  REQUIRE(inv.ok());
  ecrlp::lifecycle_policy policy;
  auto& r = policy.rules.emplace_back();
  r.selection.status = tag_status::any;
  r.selection.type = count_type::since_image_pushed;
  r.selection.count_number = 7;
  const auto got = ecrlp::evaluate(policy, inv.value->images, {.now = base_now});
  REQUIRE(got.decisions.size() == 6);
  const std::vector<fate> want{fate::keep, fate::expire, fate::keep, fate::expire, fate::keep, fate::keep};
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO(inv.value->images[i].digest << " pushed " << ecrlp::format_timestamp(inv.value->images[i].pushed_at));
    CHECK(got.decisions[i].action == want[i]);
  }
}

TEST_CASE("spec audit: sinceImagePulled reference chain from inventory fields", "[spec_audit]") {
  // Rule: any, sinceImagePulled 90 days, transition. now = 2025-01-31T00:00:00Z.
  // 90 days before now = 2024-11-02T00:00:00Z.
  const std::string json = inventory_json({
      // pulled exactly 90 d ago (with an offset) -> keep
      {"p1", R"("imagePushedAt":"2020-01-01T00:00:00Z","lastRecordedPullTime":"2024-11-02T01:00:00+01:00")"},
      // pulled 90 d + 1 us ago -> transition
      {"p2", R"("imagePushedAt":"2020-01-01T00:00:00Z","lastRecordedPullTime":"2024-11-01T23:59:59.999999Z")"},
      // restored 10 d ago, last pull before the restore -> restore time counts -> keep
      {"p3", R"("imagePushedAt":"2020-01-01T00:00:00Z","lastRecordedPullTime":"2021-01-01T00:00:00Z","lastActivatedAt":"2025-01-21T00:00:00Z","imageStatus":"ACTIVE")"},
      // restored 100 d ago, pulled at the same instant -> that instant -> transition
      {"p4", R"("imagePushedAt":"2020-01-01T00:00:00Z","lastRecordedPullTime":"2024-10-23T00:00:00Z","lastActivatedAt":"2024-10-23T00:00:00Z")"},
      // never pulled, pushed 91 d ago -> transition
      {"p5", R"("imagePushedAt":"2024-11-01T00:00:00Z")"},
      // ACTIVATING: selected by no rule
      {"p6", R"("imagePushedAt":"2020-01-01T00:00:00Z","imageStatus":"ACTIVATING","lastActivatedAt":"2020-06-01T00:00:00Z")"},
      // ARCHIVED: not standard class
      {"p7", R"("imagePushedAt":"2020-01-01T00:00:00Z","imageStatus":"ARCHIVED","lastArchivedAt":"2020-02-01T00:00:00Z")"},
  });
  const auto inv = ecrlp::parse_inventory(json);
  for (const auto& d : inv.diagnostics) INFO(d.code << " " << d.pointer << " " << d.message);
  REQUIRE(inv.ok());
  ecrlp::lifecycle_policy policy;
  auto& r = policy.rules.emplace_back();
  r.selection.status = tag_status::any;
  r.selection.type = count_type::since_image_pulled;
  r.selection.count_number = 90;
  r.action.type = action_type::transition;
  const auto got = ecrlp::evaluate(policy, inv.value->images, {.now = base_now});
  const std::vector<fate> want{fate::keep,       fate::transition, fate::keep, fate::transition,
                               fate::transition, fate::keep,       fate::keep};
  REQUIRE(got.decisions.size() == want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    INFO(inv.value->images[i].digest);
    CHECK(got.decisions[i].action == want[i]);
  }
  CHECK_FALSE(got.decisions[5].owner.has_value());
  CHECK_FALSE(got.decisions[6].owner.has_value());
}

// ---------------------------------------------------------------------------------------------
// Part 3: policy acceptance (spec 1.5, 1.6, decision 6). Each case is one policy; `pointer` empty
// means ECR accepts it, otherwise an error must name that JSON pointer.
// ---------------------------------------------------------------------------------------------

namespace {

std::string rule_json(int priority, const std::string& selection, const std::string& action = R"({"type":"expire"})") {
  return "{\"rulePriority\":" + std::to_string(priority) + ",\"selection\":" + selection +
         ",\"action\":" + action + "}";
}

std::string policy_json(const std::vector<std::string>& rules) {
  std::string s = "{\"rules\":[";
  for (std::size_t i = 0; i < rules.size(); ++i) s += (i ? "," : "") + rules[i];
  s += "]}";
  if (s.size() < 100) s.append(100 - s.size(), ' ');  // ECR's 100-character minimum
  return s;
}

const std::string any_count = R"({"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1})";
const std::string untagged_count = R"({"tagStatus":"untagged","countType":"imageCountMoreThan","countNumber":1})";
std::string tagged_prefix(const std::string& list) {
  return R"({"tagStatus":"tagged","tagPrefixList":)" + list + R"(,"countType":"imageCountMoreThan","countNumber":1})";
}
std::string tagged_pattern(const std::string& list) {
  return R"({"tagStatus":"tagged","tagPatternList":)" + list + R"(,"countType":"imageCountMoreThan","countNumber":1})";
}
std::string archive_sel(const std::string& status_and_list, int days_n) {
  return "{" + status_and_list +
         R"(,"storageClass":"archive","countType":"sinceImageTransitioned","countUnit":"days","countNumber":)" +
         std::to_string(days_n) + "}";
}
const std::string transition_action = R"({"type":"transition","targetStorageClass":"archive"})";

struct vcase {
  std::string name;
  std::string text;
  std::string pointer;  // "" = accepted
};

void check_case(const vcase& c) {
  INFO(c.name << "\n" << c.text);
  const auto r = ecrlp::parse_policy(c.text);
  for (const auto& d : r.diagnostics) INFO(ecrlp::to_string(d.level) << " " << d.code << " [" << d.pointer << "] " << d.message);
  const bool accepted = r.ok();
  if (c.pointer == "-") {
    CHECK_FALSE(accepted);
    return;
  }
  if (c.pointer.empty()) {
    CHECK(accepted);
    return;
  }
  CHECK_FALSE(accepted);
  const bool named = std::any_of(r.diagnostics.begin(), r.diagnostics.end(), [&](const ecrlp::diagnostic& d) {
    return d.level == ecrlp::severity::error && d.pointer == c.pointer;
  });
  CHECK(named);
}

std::vector<vcase> validation_cases() {
  std::vector<vcase> v;
  const auto add = [&](std::string name, std::string text, std::string pointer) {
    v.push_back({std::move(name), std::move(text), std::move(pointer)});
  };
  // 1.2 / 1.5: countNumber >= 1; rulePriority >= 1.
  add("countNumber 1", policy_json({rule_json(1, any_count)}), "");
  add("countNumber 0", policy_json({rule_json(1, R"({"tagStatus":"any","countType":"imageCountMoreThan","countNumber":0})")}),
      "/rules/0/selection/countNumber");
  add("rulePriority 1", policy_json({rule_json(1, any_count)}), "");
  add("rulePriority 0", policy_json({rule_json(0, any_count)}), "/rules/0/rulePriority");
  add("rulePriority -1", policy_json({rule_json(-1, any_count)}), "/rules/0/rulePriority");
  // 1.6 #11 unique priorities; not contiguous, document order irrelevant.
  add("priorities 7 and 3, reversed order",
      policy_json({rule_json(7, any_count), rule_json(3, tagged_prefix(R"(["a"])"))}), "");
  add("duplicate priority",
      policy_json({rule_json(2, tagged_prefix(R"(["a"])")), rule_json(2, tagged_prefix(R"(["b"])"))}),
      "/rules/1/rulePriority");
  // 1.6 #16 / decision 6: sinceImageTransitioned >= 90.
  add("archive 90 days", policy_json({rule_json(1, archive_sel(R"("tagStatus":"any")", 90))}), "");
  add("archive 89 days", policy_json({rule_json(1, archive_sel(R"("tagStatus":"any")", 89))}),
      "/rules/0/selection/countNumber");
  // 1.3 / 1.6 #10: at most four `*` per pattern (DOC-PARAMS examples).
  add("doc valid wildcards", policy_json({rule_json(1, tagged_pattern(R"(["*test*1*2*3","test*1*2*3*"])"))}), "");
  add("doc invalid wildcards", policy_json({rule_json(1, tagged_pattern(R"(["test*1*2*3*4*5*6"])"))}),
      "/rules/0/selection/tagPatternList/0");
  add("4 stars", policy_json({rule_json(1, tagged_pattern(R"(["a","*b*c*d*"])"))}), "");
  add("5 stars in 2nd entry", policy_json({rule_json(1, tagged_pattern(R"(["a","*b*c*d*e*"])"))}),
      "/rules/0/selection/tagPatternList/1");
  add("5 adjacent stars", policy_json({rule_json(1, tagged_pattern(R"(["*****"])"))}),
      "/rules/0/selection/tagPatternList/0");
  // 1.6 #9: not both lists.
  add("both lists",
      policy_json({rule_json(1, R"({"tagStatus":"tagged","tagPrefixList":["a"],"tagPatternList":["b*"],"countType":"imageCountMoreThan","countNumber":1})")}),
      "-");
  add("prefix and pattern rules mixed in a policy",
      policy_json({rule_json(1, tagged_prefix(R"(["a"])")), rule_json(2, tagged_pattern(R"(["a"])"))}), "");
  // 1.6 #7 / decision 6: tagged needs a non-empty list.
  add("tagged without list", policy_json({rule_json(1, R"({"tagStatus":"tagged","countType":"imageCountMoreThan","countNumber":1})")}),
      "/rules/0/selection");
  add("tagged empty prefix list", policy_json({rule_json(1, tagged_prefix("[]"))}), "/rules/0/selection/tagPrefixList");
  add("tagged empty pattern list", policy_json({rule_json(1, tagged_pattern("[]"))}), "/rules/0/selection/tagPatternList");
  // 1.6 #8 / decision 6: no list on untagged / any (empty included).
  add("untagged with prefix list",
      policy_json({rule_json(1, R"({"tagStatus":"untagged","tagPrefixList":["a"],"countType":"imageCountMoreThan","countNumber":1})")}),
      "/rules/0/selection/tagPrefixList");
  add("any with empty pattern list",
      policy_json({rule_json(1, R"({"tagStatus":"any","tagPatternList":[],"countType":"imageCountMoreThan","countNumber":1})")}),
      "/rules/0/selection/tagPatternList");
  // 1.2 / 1.6 #5: countUnit.
  add("sinceImagePushed days", policy_json({rule_json(1, R"({"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":1})")}), "");
  add("sinceImagePushed without countUnit",
      policy_json({rule_json(1, R"({"tagStatus":"any","countType":"sinceImagePushed","countNumber":1})")}), "/rules/0/selection");
  add("imageCountMoreThan with countUnit",
      policy_json({rule_json(1, R"({"tagStatus":"any","countType":"imageCountMoreThan","countUnit":"days","countNumber":1})")}),
      "/rules/0/selection/countUnit");
  add("countUnit Days",
      policy_json({rule_json(1, R"({"tagStatus":"any","countType":"sinceImagePushed","countUnit":"Days","countNumber":1})")}),
      "/rules/0/selection/countUnit");
  add("countUnit hours",
      policy_json({rule_json(1, R"({"tagStatus":"any","countType":"sinceImagePushed","countUnit":"hours","countNumber":1})")}),
      "/rules/0/selection/countUnit");
  add("countUnit null",
      policy_json({rule_json(1, R"({"tagStatus":"any","countType":"imageCountMoreThan","countUnit":null,"countNumber":1})")}),
      "/rules/0/selection/countUnit");
  // 1.2 / 1.4: storageClass.
  add("explicit standard", policy_json({rule_json(1, R"({"tagStatus":"any","storageClass":"standard","countType":"imageCountMoreThan","countNumber":1})")}), "");
  add("archive with sinceImagePushed",
      policy_json({rule_json(1, R"({"tagStatus":"any","storageClass":"archive","countType":"sinceImagePushed","countUnit":"days","countNumber":100})")}),
      "/rules/0/selection/storageClass");
  add("archive with imageCountMoreThan",
      policy_json({rule_json(1, R"({"tagStatus":"any","storageClass":"archive","countType":"imageCountMoreThan","countNumber":100})")}),
      "/rules/0/selection/storageClass");
  add("sinceImageTransitioned without storageClass",
      policy_json({rule_json(1, R"({"tagStatus":"any","countType":"sinceImageTransitioned","countUnit":"days","countNumber":100})")}),
      "-");
  add("sinceImageTransitioned with standard",
      policy_json({rule_json(1, R"({"tagStatus":"any","storageClass":"standard","countType":"sinceImageTransitioned","countUnit":"days","countNumber":100})")}),
      "-");
  add("storageClass ARCHIVE",
      policy_json({rule_json(1, R"({"tagStatus":"any","storageClass":"ARCHIVE","countType":"sinceImageTransitioned","countUnit":"days","countNumber":100})")}),
      "/rules/0/selection/storageClass");
  // 1.2 / 1.6 #6 / #15: action.
  add("transition", policy_json({rule_json(1, any_count, transition_action)}), "");
  add("transition without target", policy_json({rule_json(1, any_count, R"({"type":"transition"})")}), "/rules/0/action");
  add("transition to standard", policy_json({rule_json(1, any_count, R"({"type":"transition","targetStorageClass":"standard"})")}),
      "/rules/0/action/targetStorageClass");
  add("expire with target", policy_json({rule_json(1, any_count, R"({"type":"expire","targetStorageClass":"archive"})")}),
      "/rules/0/action/targetStorageClass");
  add("expire with null target", policy_json({rule_json(1, any_count, R"({"type":"expire","targetStorageClass":null})")}),
      "/rules/0/action/targetStorageClass");
  add("action EXPIRE", policy_json({rule_json(1, any_count, R"({"type":"EXPIRE"})")}), "/rules/0/action/type");
  add("action delete", policy_json({rule_json(1, any_count, R"({"type":"delete"})")}), "/rules/0/action/type");
  const std::string pulled = R"({"tagStatus":"any","countType":"sinceImagePulled","countUnit":"days","countNumber":90})";
  add("sinceImagePulled transition", policy_json({rule_json(1, pulled, transition_action)}), "");
  add("sinceImagePulled expire", policy_json({rule_json(1, pulled)}), "/rules/0/action/type");
  add("sinceImageTransitioned transition",
      policy_json({rule_json(1, archive_sel(R"("tagStatus":"any")", 100), transition_action)}), "/rules/0/action/type");
  add("sinceImagePushed transition",
      policy_json({rule_json(1, R"({"tagStatus":"any","countType":"sinceImagePushed","countUnit":"days","countNumber":30})", transition_action)}), "");
  add("countType unknown",
      policy_json({rule_json(1, R"({"tagStatus":"any","countType":"sinceImageCreated","countUnit":"days","countNumber":30})")}),
      "/rules/0/selection/countType");
  add("tagStatus TAGGED", policy_json({rule_json(1, R"({"tagStatus":"TAGGED","tagPrefixList":["a"],"countType":"imageCountMoreThan","countNumber":1})")}),
      "/rules/0/selection/tagStatus");
  // 1.6 #12: `any` last per storage class.
  add("tagged then any", policy_json({rule_json(1, tagged_prefix(R"(["a"])")), rule_json(2, any_count)}), "");
  add("any then tagged", policy_json({rule_json(1, any_count), rule_json(2, tagged_prefix(R"(["a"])"))}), "/rules/0/rulePriority");
  add("any then untagged", policy_json({rule_json(1, any_count), rule_json(2, untagged_count)}), "/rules/0/rulePriority");
  add("two any rules", policy_json({rule_json(1, any_count), rule_json(2, R"({"tagStatus":"any","countType":"imageCountMoreThan","countNumber":5})")}),
      "/rules/0/rulePriority");
  add("standard any before an archive rule",
      policy_json({rule_json(1, any_count), rule_json(2, archive_sel(R"("tagStatus":"tagged","tagPrefixList":["a"])", 90))}), "");
  add("archive any before an archive tagged rule",
      policy_json({rule_json(1, archive_sel(R"("tagStatus":"any")", 90)),
                   rule_json(2, archive_sel(R"("tagStatus":"tagged","tagPrefixList":["a"])", 90))}),
      "/rules/0/rulePriority");
  // 1.6 #13: one untagged rule per storage class; need not be last.
  add("untagged first", policy_json({rule_json(1, untagged_count), rule_json(2, tagged_prefix(R"(["a"])"))}), "");
  add("two untagged", policy_json({rule_json(1, untagged_count), rule_json(2, R"({"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":3})")}),
      "/rules/1/selection/tagStatus");
  add("untagged in each class",
      policy_json({rule_json(1, untagged_count), rule_json(2, archive_sel(R"("tagStatus":"untagged")", 90))}), "");
  add("untagged and any", policy_json({rule_json(1, untagged_count), rule_json(2, any_count)}), "");
  // 1.6 #14 / decision 6: unique prefix (pattern) sets per storage class.
  add("same prefix set", policy_json({rule_json(1, tagged_prefix(R"(["a","b"])")), rule_json(2, tagged_prefix(R"(["b","a"])"))}),
      "/rules/1/selection/tagPrefixList");
  add("same pattern set", policy_json({rule_json(1, tagged_pattern(R"(["a*"])")), rule_json(2, tagged_pattern(R"(["a*"])"))}),
      "/rules/1/selection/tagPatternList");
  add("subset prefix sets", policy_json({rule_json(1, tagged_prefix(R"(["a"])")), rule_json(2, tagged_prefix(R"(["a","b"])"))}), "");
  add("same set, prefix vs pattern", policy_json({rule_json(1, tagged_prefix(R"(["a"])")), rule_json(2, tagged_pattern(R"(["a"])"))}), "");
  add("same prefix set in two classes",
      policy_json({rule_json(1, tagged_prefix(R"(["a"])")),
                   rule_json(2, archive_sel(R"("tagStatus":"tagged","tagPrefixList":["a"])", 90))}), "");
  // 1.5: at most 50 rules.
  {
    std::vector<std::string> rules;
    for (int i = 1; i <= 51; ++i) rules.push_back(rule_json(i, tagged_prefix("[\"t" + std::to_string(i) + "\"]")));
    std::string fifty_one = policy_json(rules);
    rules.pop_back();
    add("50 rules", policy_json(rules), "");
    add("51 rules", fifty_one, "/rules");
  }
  // 1.6 #1-#3, #6: shape, unknown properties, types, nulls.
  add("unknown rule property", policy_json({R"({"rulePriority":1,"foo":1,"selection":)" + any_count + R"(,"action":{"type":"expire"}})"}), "-");
  add("unknown selection property",
      policy_json({rule_json(1, R"({"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1,"tagRegex":"x"})")}), "-");
  add("unknown action property", policy_json({rule_json(1, any_count, R"({"type":"expire","when":"now"})")}), "-");
  add("rulePriority string", policy_json({rule_json(1, any_count).replace(16, 1, "\"1\"")}), "/rules/0/rulePriority");
  add("rulePriority null", policy_json({R"({"rulePriority":null,"selection":)" + any_count + R"(,"action":{"type":"expire"}})"}), "/rules/0/rulePriority");
  add("countNumber 1.5", policy_json({rule_json(1, R"({"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1.5})")}),
      "/rules/0/selection/countNumber");
  add("countNumber \"1\"", policy_json({rule_json(1, R"({"tagStatus":"any","countType":"imageCountMoreThan","countNumber":"1"})")}),
      "/rules/0/selection/countNumber");
  add("description number", policy_json({R"({"rulePriority":1,"description":5,"selection":)" + any_count + R"(,"action":{"type":"expire"}})"}),
      "/rules/0/description");
  add("description empty", policy_json({R"({"rulePriority":1,"description":"","selection":)" + any_count + R"(,"action":{"type":"expire"}})"}), "");
  add("prefix list is a string", policy_json({rule_json(1, tagged_prefix(R"("a")"))}), "/rules/0/selection/tagPrefixList");
  add("prefix entry is a number", policy_json({rule_json(1, tagged_prefix(R"([1])"))}), "/rules/0/selection/tagPrefixList/0");
  add("rule is a string", policy_json({R"("rule")"}), "/rules/0");
  add("rules is an object", std::string(R"({"rules":{}})") + std::string(90, ' '), "/rules");
  add("no rules member", std::string(R"({"ruless":[]})") + std::string(90, ' '), "-");
  add("missing selection", policy_json({R"({"rulePriority":1,"action":{"type":"expire"}})"}), "/rules/0");
  add("missing action", policy_json({R"({"rulePriority":1,"selection":)" + any_count + "}"}), "/rules/0");
  add("missing countNumber", policy_json({rule_json(1, R"({"tagStatus":"any","countType":"imageCountMoreThan"})")}), "/rules/0/selection");
  add("missing tagStatus", policy_json({rule_json(1, R"({"countType":"imageCountMoreThan","countNumber":1})")}), "/rules/0/selection");
  add("bad JSON", policy_json({rule_json(1, any_count)}).replace(0, 1, "["), "-");
  // AWS response form (spec 3.2): the policy is the lifecyclePolicyText string.
  {
    const std::string inner = policy_json({rule_json(1, any_count)});
    std::string esc;
    for (char c : inner) {
      if (c == '"') esc += '\\';
      esc += c;
    }
    add("get-lifecycle-policy response",
        R"({"registryId":"012345678910","repositoryName":"r","lifecyclePolicyText":")" + esc + R"(","lastEvaluatedAt":1504295007.0})", "");
  }
  return v;
}

// 1.5 / 1.6 #17: 100..30,720 characters (API `LifecyclePolicyText` length).
std::string policy_of_length(std::size_t chars, const std::string& pad_unit) {
  const std::string head = R"({"rules":[{"rulePriority":1,"description":")";
  const std::string tail = R"(","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":1},"action":{"type":"expire"}}]})";
  std::string s = head;
  std::size_t n = head.size() + tail.size();
  while (n < chars) {
    s += pad_unit;
    ++n;
  }
  return s + tail;
}

}  // namespace

TEST_CASE("spec audit: policy acceptance, just passing and just failing", "[spec_audit]") {
  const auto cases = validation_cases();
  for (const auto& c : cases) check_case(c);
  CHECK(cases.size() > 80);
}

TEST_CASE("spec audit: policy text length 100..30,720 characters", "[spec_audit]") {
  // Only a policy without rules is shorter than 100 characters; whitespace counts.
  const std::string empty_rules = R"({"rules":[]})";
  check_case({"99 chars", empty_rules + std::string(99 - empty_rules.size(), ' '), "-"});
  check_case({"100 chars", empty_rules + std::string(100 - empty_rules.size(), ' '), ""});
  REQUIRE(policy_of_length(30'720, "x").size() == 30'720);
  check_case({"30720 chars", policy_of_length(30'720, "x"), ""});
  check_case({"30721 chars", policy_of_length(30'721, "x"), "-"});
  // Characters, not bytes: "\u00e9" is 2 bytes in UTF-8 but one character.
  const std::string e_acute = "\xc3\xa9";
  check_case({"30720 chars, multibyte", policy_of_length(30'720, e_acute), ""});
  check_case({"30721 chars, multibyte", policy_of_length(30'721, e_acute), "-"});
  // In an AWS response the limit applies to the lifecyclePolicyText string, unescaped.
  const std::string wrap = R"({"repositoryName":"r","lifecyclePolicyText":")";
  check_case({"response, 99-char text", wrap + R"({\"rules\":[]})" + std::string(87, ' ') + "\"}", "-"});
  check_case({"response, 100-char text", wrap + R"({\"rules\":[]})" + std::string(88, ' ') + "\"}", ""});
}

// ---------------------------------------------------------------------------------------------
// Part 4: preview output (spec 3.4, decisions 2 and 7): previewResults oldest first by
// (refTime, digest), imageTags omitted for untagged images, storageClass = the current class,
// imagePushedAt in UTC, action shape, summary with transitioningImageTotalCounts only when > 0.
// ---------------------------------------------------------------------------------------------

TEST_CASE("spec audit: preview JSON agrees with the independent evaluator", "[spec_audit]") {
  std::size_t rows = 0;
  for (std::uint64_t seed = 1; seed <= 400; ++seed) {
    gen g(seed * 31 + 5);
    const ecrlp::lifecycle_policy policy = random_policy(g);
    const std::vector<ecrlp::image> imgs = random_images(g, base_now);
    INFO("seed " << seed << "\n" << describe_case(policy, imgs, base_now));
    const audit::outcome want = audit::run(policy, imgs, base_now);
    const auto result = ecrlp::evaluate(policy, imgs, {.now = base_now});
    const std::string text = to_json(policy);
    const ecrlp::preview_document doc{policy, text, imgs, result, base_now, "app", "012345678910"};
    const auto j = nlohmann::json::parse(ecrlp::render(doc, ecrlp::output_format::json));
    CHECK(j.at("lifecyclePolicyText") == text);
    CHECK(j.at("status") == "COMPLETE");
    std::vector<std::size_t> acted;
    for (const std::size_t i : want.order) {
      if (want.action[i] != fate::keep) acted.push_back(i);
    }
    const auto& results = j.at("previewResults");
    REQUIRE(results.size() == acted.size());
    for (std::size_t k = 0; k < acted.size(); ++k) {
      const auto& img = imgs[acted[k]];
      const auto& r = results[k];
      INFO("row " << k << " " << r.dump());
      CHECK(r.at("imageDigest") == img.digest);
      if (img.tags.empty()) {
        CHECK_FALSE(r.contains("imageTags"));
      } else {
        CHECK(r.at("imageTags").get<std::vector<std::string>>() == img.tags);
      }
      CHECK(r.at("imagePushedAt") == ecrlp::format_timestamp(img.pushed_at));
      CHECK(r.at("appliedRulePriority") == *want.owner[acted[k]]);
      CHECK(r.at("storageClass") == (img.status == image_status::archived ? "ARCHIVE" : "STANDARD"));
      if (want.action[acted[k]] == fate::expire) {
        CHECK(r.at("action") == nlohmann::json{{"type", "EXPIRE"}});
      } else {
        CHECK(r.at("action") == nlohmann::json{{"type", "TRANSITION"}, {"targetStorageClass", "ARCHIVE"}});
      }
      ++rows;
    }
    const auto& summary = j.at("summary");
    CHECK(summary.at("expiringImageTotalCount") == want.expiring);
    if (want.transitioning == 0) {
      CHECK_FALSE(summary.contains("transitioningImageTotalCounts"));
    } else {
      CHECK(summary.at("transitioningImageTotalCounts") ==
            nlohmann::json::array({{{"targetStorageClass", "ARCHIVE"}, {"imageTotalCount", want.transitioning}}}));
    }
  }
  CHECK(rows > 400);
}

// ---------------------------------------------------------------------------------------------
// Part 5: relationships (spec 2.2 eligibility, 2.7; DOC-LP referrer cascade).
// ---------------------------------------------------------------------------------------------

TEST_CASE("spec audit: children of a live index are neither counted nor acted on", "[spec_audit]") {
  // Rule: any, imageCountMoreThan 1. Index X (newest) lists C1, C2 (oldest); O is a lone image.
  std::vector<ecrlp::image> imgs(4);
  imgs[0].digest = "sha256:c1";
  imgs[0].pushed_at = base_now - days{10};
  imgs[1].digest = "sha256:c2";
  imgs[1].pushed_at = base_now - days{9};
  imgs[2].digest = "sha256:o";
  imgs[2].pushed_at = base_now - days{5};
  imgs[2].tags = {"o"};
  imgs[3].digest = "sha256:x";
  imgs[3].pushed_at = base_now - days{1};
  imgs[3].tags = {"v1"};
  imgs[3].manifest = ecrlp::manifest_kind::index;
  const std::vector<ecrlp::index_manifest> indexes{{"sha256:x", {"sha256:c1", "sha256:c2"}}};
  ecrlp::lifecycle_policy policy;
  auto& r = policy.rules.emplace_back();
  r.selection.status = tag_status::any;
  r.selection.count_number = 1;
  SECTION("live index") {
    const auto got = ecrlp::evaluate(policy, imgs, {.now = base_now, .indexes = indexes});
    CHECK(got.decisions[0].action == fate::keep);
    CHECK(got.decisions[1].action == fate::keep);
    CHECK(got.decisions[2].action == fate::expire);  // O is second newest of the rankable images
    CHECK(got.decisions[3].action == fate::keep);
    CHECK(got.rules[0].identified == 2);
  }
  SECTION("archived index: children are eligible again") {
    imgs[3].status = image_status::archived;
    const auto got = ecrlp::evaluate(policy, imgs, {.now = base_now, .indexes = indexes});
    CHECK(got.decisions[0].action == fate::expire);
    CHECK(got.decisions[1].action == fate::expire);
    CHECK(got.decisions[2].action == fate::keep);  // newest standard image
  }
  SECTION("decision 8: independent images") {
    const auto got = ecrlp::evaluate(policy, imgs, {.now = base_now, .indexes = indexes, .independent_images = true});
    CHECK(got.decisions[0].action == fate::expire);
    CHECK(got.decisions[1].action == fate::expire);
    CHECK(got.decisions[2].action == fate::expire);
    CHECK(got.decisions[3].action == fate::keep);
  }
}

// Found by this audit (an inference from the sources, recorded in docs/semantics.md decision 8):
// DOC-LP "reference artifacts ... expire or archive ... within
// 24 hours of the deletion or archival of the subject image"; spec 2.6 "A rule sees only images of
// its storage class" and 1.4 transition applies to standard images. An ARCHIVED referrer whose
// ACTIVE subject is archived by a transition rule is already in the archive class: it cannot be
// transitioned again (ecrlp reports TRANSITION with storageClass ARCHIVE and counts it in
// transitioningImageTotalCounts); fixed by detail::cascaded_action.
TEST_CASE("spec audit: an already archived referrer is not transitioned with its subject",
          "[spec_audit]") {
  std::vector<ecrlp::image> imgs(2);
  imgs[0].digest = "sha256:subject";
  imgs[0].tags = {"v1"};
  imgs[0].pushed_at = base_now - days{40};
  imgs[1].digest = "sha256:sig";
  imgs[1].pushed_at = base_now - days{40};
  imgs[1].subject_digest = "sha256:subject";
  imgs[1].status = image_status::archived;
  imgs[1].last_archived_at = base_now - days{20};
  ecrlp::lifecycle_policy policy;
  auto& r = policy.rules.emplace_back();
  r.selection.status = tag_status::any;
  r.selection.type = count_type::since_image_pushed;
  r.selection.count_number = 30;
  r.action.type = action_type::transition;
  const auto got = ecrlp::evaluate(policy, imgs, {.now = base_now});
  CHECK(got.decisions[0].action == fate::transition);
  CHECK(got.decisions[1].action == fate::keep);
  CHECK(got.decisions[1].related == ecrlp::relation::referrer);
  CHECK(got.transitioning == 1);
  CHECK(got.rules[0].cascaded == 0);
  // The explainer agrees with the evaluator.
  const ecrlp::explainer ex(policy, imgs, base_now);
  CHECK(ex.explain(1).action == fate::keep);

  // Being restored (ACTIVATING) is not the standard class either: it stays too.
  imgs[1].status = image_status::activating;
  CHECK(ecrlp::evaluate(policy, imgs, {.now = base_now}).decisions[1].action == fate::keep);

  // An expiry removes referrers whatever their class: the archived one goes with its subject.
  imgs[1].status = image_status::archived;
  r.action.type = action_type::expire;
  const auto expired = ecrlp::evaluate(policy, imgs, {.now = base_now});
  CHECK(expired.decisions[0].action == fate::expire);
  CHECK(expired.decisions[1].action == fate::expire);
  CHECK(expired.expiring == 2);
  CHECK(expired.rules[0].cascaded == 1);
}

TEST_CASE("spec audit: random index children and referrers (spec 2.2 eligibility defaults)", "[spec_audit]") {
  std::size_t guarded = 0, followed = 0;
  for (std::uint64_t seed = 1; seed <= 1500; ++seed) {
    gen g(seed * 7919 + 3);
    const ecrlp::lifecycle_policy policy = random_policy(g);
    std::vector<ecrlp::image> imgs = random_images(g, base_now);
    if (imgs.size() < 3) continue;
    // A few indexes over random images; referrers point at plain images (or at absent subjects).
    std::vector<ecrlp::index_manifest> indexes;
    std::vector<bool> is_referrer(imgs.size(), false);
    for (std::size_t i = 0; i < imgs.size(); ++i) is_referrer[i] = g.chance(20);
    for (std::size_t i = 0; i < imgs.size(); ++i) {
      if (!is_referrer[i]) continue;
      imgs[i].status = image_status::active;  // archived referrers: the fixed case above
      if (g.chance(15)) {
        imgs[i].subject_digest = "sha256:absent";
        continue;
      }
      std::vector<std::size_t> plain;
      for (std::size_t j = 0; j < imgs.size(); ++j) {
        if (!is_referrer[j]) plain.push_back(j);
      }
      if (plain.empty()) {
        is_referrer[i] = false;
        continue;
      }
      imgs[i].subject_digest = imgs[g.pick(plain)].digest;
    }
    const std::size_t nix = g.below(3);
    for (std::size_t k = 0; k < nix; ++k) {
      ecrlp::index_manifest ix;
      ix.digest = g.chance(90) ? imgs[g.below(imgs.size())].digest : "sha256:gone";
      for (std::size_t c = 0; c < 1 + g.below(3); ++c) {
        const auto& child = imgs[g.below(imgs.size())];
        if (child.subject_digest.empty()) ix.manifests.push_back(child.digest);
      }
      indexes.push_back(std::move(ix));
    }
    INFO("seed " << seed << "\n" << describe_case(policy, imgs, base_now));
    const audit::outcome want = audit::run(policy, imgs, base_now, indexes);
    const auto got = ecrlp::evaluate(policy, imgs, {.now = base_now, .indexes = indexes});
    for (std::size_t i = 0; i < imgs.size(); ++i) {
      INFO("image " << imgs[i].digest << " subject " << imgs[i].subject_digest);
      CHECK(got.decisions[i].action == want.action[i]);
      CHECK(got.decisions[i].owner == want.owner[i]);
      guarded += got.decisions[i].related == ecrlp::relation::index_child ? 1U : 0U;
      followed += got.decisions[i].related == ecrlp::relation::referrer ? 1U : 0U;
    }
    CHECK(got.expiring == want.expiring);
    CHECK(got.transitioning == want.transitioning);
    for (std::size_t r = 0; r < want.rules.size(); ++r) {
      CHECK(got.rules[r].identified == want.rules[r].identified);
      CHECK(got.rules[r].acted == want.rules[r].acted);
    }
  }
  CHECK(guarded > 300);
  CHECK(followed > 300);
}

TEST_CASE("spec audit: one violation added to a random valid policy is always rejected", "[spec_audit]") {
  std::size_t checked = 0;
  for (std::uint64_t seed = 1; seed <= 2000; ++seed) {
    gen g(seed * 104729 + 11);
    ecrlp::lifecycle_policy p = random_policy(g);
    if (p.rules.empty()) continue;
    const std::size_t i = g.below(p.rules.size());
    auto& r = p.rules[i];
    auto& sel = r.selection;
    std::string pointer = "/rules/" + std::to_string(i);
    std::string what;
    std::vector<std::string> pointers{pointer};
    switch (g.below(8)) {
      case 0: {  // 1.6 #11 duplicate priority
        if (p.rules.size() < 2) continue;
        const std::size_t j = (i + 1) % p.rules.size();
        r.priority = p.rules[j].priority;
        what = "duplicate priority";
        pointers = {pointer + "/rulePriority", "/rules/" + std::to_string(j) + "/rulePriority"};
        break;
      }
      case 1:  // 1.2 countNumber >= 1
        sel.count_number = 0;
        what = "countNumber 0";
        pointers = {pointer + "/selection/countNumber"};
        break;
      case 2:  // 1.6 #10
        if (sel.list_kind != tag_list_kind::pattern) continue;
        sel.tag_list.back() = "*a*b*c*d*";
        what = "5 stars";
        pointers = {pointer + "/selection/tagPatternList/" + std::to_string(sel.tag_list.size() - 1)};
        break;
      case 3:  // 1.6 #8
        if (sel.status == tag_status::tagged) continue;
        sel.list_kind = tag_list_kind::prefix;
        sel.tag_list = {"zz"};
        what = "list on untagged/any";
        pointers = {pointer + "/selection/tagPrefixList"};
        break;
      case 4:  // 1.6 #16 / decision 6
        if (sel.type != count_type::since_image_transitioned) continue;
        sel.count_number = 89;
        what = "archive 89 days";
        pointers = {pointer + "/selection/countNumber"};
        break;
      case 5:  // 1.6 #15
        if (sel.type != count_type::since_image_pulled) continue;
        r.action.type = action_type::expire;
        what = "pulled + expire";
        pointers = {pointer + "/action/type"};
        break;
      case 6: {  // 1.6 #12: `any` not last in its class
        if (sel.status != tag_status::any) continue;
        std::optional<std::size_t> other;
        for (std::size_t j = 0; j < p.rules.size(); ++j) {
          if (j != i && p.rules[j].selection.storage == sel.storage) other = j;
        }
        if (!other) continue;
        std::swap(r.priority, p.rules[*other].priority);
        what = "any not last";
        pointers = {pointer + "/rulePriority"};
        break;
      }
      case 7: {  // 1.6 #14: duplicate tag-list set in one class
        if (sel.status != tag_status::tagged) continue;
        ecrlp::rule copy = r;
        std::int64_t maxp = 0;
        for (const auto& x : p.rules) maxp = std::max(maxp, x.priority);
        copy.priority = maxp + 1;
        copy.selection.status = tag_status::tagged;
        std::reverse(copy.selection.tag_list.begin(), copy.selection.tag_list.end());
        copy.source_index = p.rules.size();
        // keep `any` last: give the copy a priority just below the class's any rule if there is one
        for (auto& x : p.rules) {
          if (x.selection.storage == sel.storage && x.selection.status == tag_status::any) {
            std::swap(x.priority, copy.priority);
          }
        }
        const std::string list(ecrlp::to_string(sel.list_kind));  // before push_back moves `sel`
        p.rules.push_back(copy);
        what = "duplicate tag set";
        pointers = {pointer + "/selection/" + list,
                    "/rules/" + std::to_string(copy.source_index) + "/selection/" + list};
        break;
      }
    }
    INFO("seed " << seed << " " << what << "\n" << to_json(p));
    const auto diags = ecrlp::validate(p);
    for (const auto& d : diags) INFO(d.code << " [" << d.pointer << "] " << d.message);
    const bool named = std::any_of(diags.begin(), diags.end(), [&](const ecrlp::diagnostic& d) {
      return d.level == ecrlp::severity::error &&
             std::find(pointers.begin(), pointers.end(), d.pointer) != pointers.end();
    });
    CHECK(named);
    const auto parsed = ecrlp::parse_policy(to_json(p));
    CHECK_FALSE(parsed.ok());
    ++checked;
  }
  CHECK(checked > 500);
}

TEST_CASE("spec audit: large repositories with many equal push times", "[spec_audit]") {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    gen g(seed * 2654435761ULL);
    const ecrlp::lifecycle_policy policy = random_policy(g);
    const std::vector<ecrlp::image> imgs = random_images(g, base_now, 1500);
    INFO("seed " << seed << " policy " << to_json(policy));
    const audit::outcome want = audit::run(policy, imgs, base_now);
    const auto got = ecrlp::evaluate(policy, imgs, {.now = base_now});
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < imgs.size(); ++i) {
      wrong += got.decisions[i].action != want.action[i] || got.decisions[i].owner != want.owner[i] ? 1U : 0U;
    }
    CHECK(wrong == 0);
    CHECK(got.order == want.order);
    CHECK(got.expiring == want.expiring);
    CHECK(got.transitioning == want.transitioning);
  }
}
