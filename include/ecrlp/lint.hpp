// SPDX-License-Identifier: MIT
#pragma once

/// Warnings for valid policies that probably do not do what their author meant (`ecrlp lint`).
/// Header-only; needs no JSON library. Every finding has a stable code (docs/lint.md), the rule's
/// priority and a JSON pointer into the policy, an explanation and a suggested fix.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/tag_match.hpp>
#include <ecrlp/time.hpp>

namespace ecrlp {

/// The stable codes of lint findings. Codes are API: new ones may be added, none renamed.
namespace lint_codes {
/// A multi-entry tag list whose entries no single tag can satisfy together (AND, not OR).
inline constexpr std::string_view list_and_semantics = "lint.list_and_semantics";
/// A tagPrefixList entry containing `*` (a literal character in a prefix).
inline constexpr std::string_view prefix_has_star = "lint.prefix_has_star";
/// A tagPatternList entry without `*` (matches one tag exactly).
inline constexpr std::string_view pattern_without_star = "lint.pattern_without_star";
/// A rule that provably never owns an image: a higher-priority rule identifies all it could.
inline constexpr std::string_view unreachable_rule = "lint.unreachable_rule";
/// A trailing `any` imageCountMoreThan rule below other rules: it counts their images too.
inline constexpr std::string_view any_count_counts_owned = "lint.any_count_counts_owned";
/// Tagged rules but no rule that can select untagged images of that storage class.
inline constexpr std::string_view no_untagged_rule = "lint.no_untagged_rule";
/// With images: a rule that identifies no image.
inline constexpr std::string_view rule_selects_nothing = "lint.rule_selects_nothing";
/// With images: a rule that identifies images, all owned by higher-priority rules.
inline constexpr std::string_view rule_owns_nothing = "lint.rule_owns_nothing";
/// With images: the policy would expire more than the allowed share of the images (an error).
inline constexpr std::string_view removes_too_much = "lint.removes_too_much";
}  // namespace lint_codes

/// One lint finding: a diagnostic (level, code, pointer, message), the fix, and the rule.
struct lint_finding {
  diagnostic diag;
  std::string fix;                            ///< a suggested change
  std::optional<std::int64_t> rule_priority;  ///< nullopt: about the policy as a whole
};

/// Settings of the checks that look at the images.
struct lint_options {
  /// lint.removes_too_much when more than this percentage of the images would be expired.
  double max_remove_percent = 50.0;
};

namespace detail {

/// A list entry as a glob in which `*` is the wildcard: a pattern as is, a prefix `p` as `p*`.
/// nullopt for a prefix holding a literal `*`, which no glob can express.
[[nodiscard]] inline std::optional<std::string> entry_glob(tag_list_kind kind,
                                                           std::string_view entry) {
  if (kind == tag_list_kind::pattern) return std::string(entry);
  if (entry.find('*') != std::string_view::npos) return std::nullopt;
  return std::string(entry) + "*";
}

/// True when every tag `narrow` matches is matched by `wide` too (both globs). Sound, not complete:
/// `wide` matching the text of `narrow`, where a `*` of `narrow` can only be consumed by a `*` of
/// `wide` (tags never contain `*`), proves inclusion.
[[nodiscard]] inline bool glob_covers(std::string_view wide, std::string_view narrow) noexcept {
  return pattern_matches(wide, narrow);
}

/// True when some tag can match both globs. Exact for globs with only `*`: globs without `*` must
/// be equal or matched by the other; two globs with `*` share a tag exactly when their literal
/// heads are prefix-compatible and their literal tails suffix-compatible.
[[nodiscard]] inline bool globs_overlap(std::string_view a, std::string_view b) noexcept {
  const auto star_a = a.find('*');
  const auto star_b = b.find('*');
  if (star_a == std::string_view::npos) return pattern_matches(b, a);
  if (star_b == std::string_view::npos) return pattern_matches(a, b);
  const auto compatible_heads = [](std::string_view x, std::string_view y) {
    return x.starts_with(y) || y.starts_with(x);
  };
  const auto compatible_tails = [](std::string_view x, std::string_view y) {
    return x.ends_with(y) || y.ends_with(x);
  };
  return compatible_heads(a.substr(0, star_a), b.substr(0, star_b)) &&
         compatible_tails(a.substr(a.rfind('*') + 1), b.substr(b.rfind('*') + 1));
}

/// True when rule `high` identifies every image rule `low` can identify, judged from the two
/// selections alone (same storage class; `any` covers all; `untagged` covers `untagged`; a tagged
/// list covers another when each of its entries covers some entry of the other).
[[nodiscard]] inline bool covers(const selection& high, const selection& low) {
  if (high.storage != low.storage) return false;
  switch (high.status) {
    case tag_status::any:
      return true;
    case tag_status::untagged:
      return low.status == tag_status::untagged;
    case tag_status::tagged:
      break;
  }
  if (low.status != tag_status::tagged || high.tag_list.empty() || low.tag_list.empty()) {
    return false;
  }
  std::vector<std::string> low_globs;
  for (const auto& e : low.tag_list) {
    if (auto g = entry_glob(low.list_kind, e)) low_globs.push_back(std::move(*g));
  }
  return std::all_of(high.tag_list.begin(), high.tag_list.end(), [&](const std::string& h) {
    const auto wide = entry_glob(high.list_kind, h);
    return wide && std::any_of(low_globs.begin(), low_globs.end(),
                               [&](const std::string& g) { return glob_covers(*wide, g); });
  });
}

/// `"text"`.
[[nodiscard]] inline std::string quoted(std::string_view text) {
  return "\"" + std::string(text) + "\"";
}

/// `rule 10`.
[[nodiscard]] inline std::string rule_name(const rule& r) {
  return "rule " + std::to_string(r.priority);
}

/// "1 image", "3 images".
[[nodiscard]] inline std::string images_text(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " image" : " images");
}

/// "rules 10, 20" / "rule 10".
[[nodiscard]] inline std::string rules_text(const std::set<std::int64_t>& priorities) {
  std::string out = priorities.size() == 1 ? "rule " : "rules ";
  bool first = true;
  for (const auto p : priorities) {
    if (!first) out += ", ";
    out += std::to_string(p);
    first = false;
  }
  return out;
}

/// Tenths of a percent as text ("68.2%").
[[nodiscard]] inline std::string tenths_percent_text(std::uint64_t tenths) {
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "%";
}

/// `part` of `whole` as a percentage with one decimal, rounded half up ("68.2%").
[[nodiscard]] inline std::string percent_text(std::size_t part, std::size_t whole) {
  return tenths_percent_text(
      whole == 0 ? 0 : (static_cast<std::uint64_t>(part) * 1000 + whole / 2) / whole);
}

/// The images and their evaluation, for the checks that look at data.
struct lint_data {
  std::span<const image> images;
  const evaluation_result& result;
  lint_options options;
};

/// Runs every check over one policy (and, when given, its images).
class linter {
 public:
  linter(const lifecycle_policy& policy, const lint_data* data)
      : policy_(policy), data_(data), order_(priority_order(policy)) {}

  [[nodiscard]] std::vector<lint_finding> run() {
    for (std::size_t k = 0; k < order_.size(); ++k) {
      check_list(k);
      const bool unreachable = check_unreachable(k);
      check_any_count(k);
      if (data_ != nullptr && !unreachable) check_owns_something(k);
    }
    check_untagged(storage_class::standard);
    check_untagged(storage_class::archive);
    if (data_ != nullptr) check_removal();
    return std::move(findings_);
  }

 private:
  const lifecycle_policy& policy_;
  const lint_data* data_;
  std::vector<std::size_t> order_;  ///< rule indices in priority order
  std::vector<lint_finding> findings_;

  void add(severity level, std::string_view code, const rule* r, std::string pointer,
           std::string message, std::string fix) {
    lint_finding f;
    f.diag.level = level;
    f.diag.code = std::string(code);
    f.diag.pointer = std::move(pointer);
    f.diag.message = std::move(message);
    f.fix = std::move(fix);
    if (r != nullptr) f.rule_priority = r->priority;
    findings_.push_back(std::move(f));
  }

  [[nodiscard]] static std::string pointer(const rule& r, std::string_view rest = {}) {
    return "/rules/" + std::to_string(r.source_index) + std::string(rest);
  }
  [[nodiscard]] static std::string list_pointer(const rule& r) {
    return pointer(r, "/selection/" + std::string(to_string(r.selection.list_kind)));
  }

  /// Images of the rule's storage class for which `pred(img)` holds.
  template <class Pred>
  [[nodiscard]] std::size_t count_images(const rule& r, Pred pred) const {
    std::size_t n = 0;
    for (const auto& img : data_->images) {
      const auto sc = storage_class_of(img.status);
      n += sc && *sc == r.selection.storage && pred(img) ? 1U : 0U;
    }
    return n;
  }
  [[nodiscard]] const rule_summary& summary(std::size_t k) const { return data_->result.rules[k]; }

  /// lint.list_and_semantics, lint.prefix_has_star, lint.pattern_without_star.
  void check_list(std::size_t k) {
    const rule& r = policy_.rules[order_[k]];
    const selection& sel = r.selection;
    if (sel.status != tag_status::tagged) return;
    for (std::size_t e = 0; e < sel.tag_list.size(); ++e) {
      const std::string& entry = sel.tag_list[e];
      const bool has_star = entry.find('*') != std::string::npos;
      const std::string at = list_pointer(r) + "/" + std::to_string(e);
      if (sel.list_kind == tag_list_kind::prefix && has_star) {
        add(severity::warning, lint_codes::prefix_has_star, &r, at,
            rule_name(r) + ": the tagPrefixList entry " + detail::quoted(entry) +
                " contains `*`, which a prefix takes literally: it matches only tags that start "
                "with " +
                detail::quoted(entry) + ", and image tags cannot contain `*`",
            "for a wildcard use \"tagPatternList\": [" + detail::quoted(entry) +
                "]; for tags starting with the text before the `*`, remove the `*`");
      }
      if (sel.list_kind == tag_list_kind::pattern && !has_star) {
        std::string message = rule_name(r) + ": the tagPatternList entry " + detail::quoted(entry) +
                              " has no `*`, so it matches only the tag " + detail::quoted(entry) +
                              " exactly";
        if (data_ != nullptr) {
          const auto exact = count_images(r, [&](const image& img) {
            return std::find(img.tags.begin(), img.tags.end(), entry) != img.tags.end();
          });
          const auto starting = count_images(r, [&](const image& img) {
            return std::any_of(img.tags.begin(), img.tags.end(),
                               [&](const std::string& t) { return t.starts_with(entry); });
          });
          message += " (images on the data with exactly this tag: " + std::to_string(exact) +
                     "; with a tag starting with it: " + std::to_string(starting) + ")";
        }
        add(severity::warning, lint_codes::pattern_without_star, &r, at, std::move(message),
            "for every tag starting with " + detail::quoted(entry) + " write " +
                detail::quoted(entry + "*") +
                " (or use tagPrefixList); if exactly this one tag is meant, keep it");
      }
    }
    check_and_semantics(k);
  }

  void check_and_semantics(std::size_t k) {
    const rule& r = policy_.rules[order_[k]];
    const selection& sel = r.selection;
    for (std::size_t a = 0; a < sel.tag_list.size(); ++a) {
      for (std::size_t b = a + 1; b < sel.tag_list.size(); ++b) {
        const auto ga = entry_glob(sel.list_kind, sel.tag_list[a]);
        const auto gb = entry_glob(sel.list_kind, sel.tag_list[b]);
        if (!ga || !gb || globs_overlap(*ga, *gb)) continue;
        std::string message =
            rule_name(r) + ": its " + std::string(to_string(sel.list_kind)) + " has " +
            std::to_string(sel.tag_list.size()) +
            " entries, and an image is selected only when it has a tag for every entry (AND, "
            "not OR); no single tag can match both " +
            detail::quoted(sel.tag_list[a]) + " and " + detail::quoted(sel.tag_list[b]);
        if (data_ != nullptr) {
          message += "; on the data the rule selects " + images_text(summary(k).identified) +
                     ", while the entries alone would select ";
          for (std::size_t e = 0; e < sel.tag_list.size(); ++e) {
            if (e != 0) message += ", ";
            message += std::to_string(count_images(r, [&](const image& img) {
              return std::any_of(img.tags.begin(), img.tags.end(), [&](const std::string& t) {
                return entry_matches(sel.list_kind, sel.tag_list[e], t);
              });
            }));
          }
        }
        add(severity::warning, lint_codes::list_and_semantics, &r, list_pointer(r),
            std::move(message),
            "if an image matching any one entry should be selected, write one rule per entry, "
            "each with its own rulePriority; keep the list only if every image to select carries "
            "a tag for each entry");
        return;
      }
    }
  }

  /// lint.unreachable_rule. Returns true when reported.
  bool check_unreachable(std::size_t k) {
    const rule& low = policy_.rules[order_[k]];
    for (std::size_t h = 0; h < k; ++h) {
      const rule& high = policy_.rules[order_[h]];
      if (!covers(high.selection, low.selection)) continue;
      add(severity::warning, lint_codes::unreachable_rule, &low, pointer(low),
          rule_name(low) + " can never act: every image it can select (" + describe(low.selection) +
              ") is selected first by " + rule_name(high) + " (" + describe(high.selection) +
              "), which owns it",
          "give " + rule_name(low) + " a smaller rulePriority than " +
              std::to_string(high.priority) + ", narrow " + rule_name(high) + ", or delete " +
              rule_name(low));
      return true;
    }
    return false;
  }

  [[nodiscard]] static std::string describe(const selection& sel) {
    std::string out(to_string(sel.status));
    if (sel.status == tag_status::tagged) {
      out += " " + std::string(to_string(sel.list_kind)) + " [";
      for (std::size_t e = 0; e < sel.tag_list.size(); ++e) {
        out += (e == 0 ? "" : ", ") + detail::quoted(sel.tag_list[e]);
      }
      out += "]";
    }
    if (sel.storage == storage_class::archive) out += ", archive";
    return out;
  }

  /// lint.any_count_counts_owned.
  void check_any_count(std::size_t k) {
    const rule& r = policy_.rules[order_[k]];
    const selection& sel = r.selection;
    if (sel.status != tag_status::any || sel.type != count_type::image_count_more_than) return;
    std::set<std::int64_t> above;
    for (std::size_t h = 0; h < k; ++h) {
      const rule& high = policy_.rules[order_[h]];
      if (high.selection.storage == sel.storage) above.insert(high.priority);
    }
    if (above.empty()) return;
    const std::string n = std::to_string(sel.count_number);
    std::string message = rule_name(r) + " (any, imageCountMoreThan " + n +
                          ") ranks every image of its storage class, including the images " +
                          rules_text(above) + " own: they take up its " + n +
                          " places, so it may keep fewer than " + n + " of the images it owns";
    if (data_ != nullptr) {
      const rule_summary& s = summary(k);
      message += "; on the data it owns " + images_text(s.owned) + " and keeps " +
                 std::to_string(s.owned - s.acted) + " of them";
    }
    add(severity::warning, lint_codes::any_count_counts_owned, &r,
        pointer(r, "/selection/countNumber"), std::move(message),
        "raise countNumber by the number of images the rules above it own, or use "
        "sinceImagePushed for the catch-all rule; ECR cannot count only a rule's own images");
  }

  /// lint.rule_selects_nothing and lint.rule_owns_nothing (with images).
  void check_owns_something(std::size_t k) {
    const rule& r = policy_.rules[order_[k]];
    const rule_summary& s = summary(k);
    if (s.identified == 0) {
      const std::size_t in_class = count_images(r, [](const image&) { return true; });
      std::string message = rule_name(r) + " (" + describe(r.selection) + ") selects none of the " +
                            images_text(in_class) + " of its storage class";
      std::string fix =
          "check its tag requirements against the repository's tags (`ecrlp explain --image "
          "TAG` shows how each entry matches), or delete the rule";
      if (r.selection.storage == storage_class::archive) {
        fix +=
            "; archived images appear only when exported with "
            "`aws ecr describe-images --filter imageStatus=ANY`";
      }
      add(severity::warning, lint_codes::rule_selects_nothing, &r, pointer(r, "/selection"),
          std::move(message), std::move(fix));
      return;
    }
    if (s.owned != 0) return;
    std::set<std::int64_t> owners;
    for (std::size_t i = 0; i < data_->images.size(); ++i) {
      const auto& owner = data_->result.decisions[i].owner;
      if (owner && identifies(r, data_->images[i])) owners.insert(*owner);
    }
    add(severity::warning, lint_codes::rule_owns_nothing, &r, pointer(r),
        rule_name(r) + " selects " + images_text(s.identified) + ", but " + rules_text(owners) +
            (owners.size() == 1 ? " owns" : " own") + " all of them, so it acts on none",
        "if " + rule_name(r) +
            " should decide for these images, give it a smaller rulePriority "
            "than " +
            rules_text(owners) + "; otherwise delete it");
  }

  /// lint.no_untagged_rule for one storage class.
  void check_untagged(storage_class sc) {
    bool tagged = false;
    for (const auto& r : policy_.rules) {
      if (r.selection.storage != sc) continue;
      if (r.selection.status != tag_status::tagged) return;  // an untagged or any rule
      tagged = true;
    }
    if (!tagged) return;
    const std::string cls(to_string(sc));
    std::string message =
        "no rule selects untagged images of the " + cls + " storage class: every " + cls +
        " rule is tagged, so untagged images (such as those left behind when a "
        "tag moves to a newer image) are never " +
        (sc == storage_class::archive ? "expired" : "expired or archived") + " and accumulate";
    if (data_ != nullptr) {
      std::size_t untagged = 0;
      for (const auto& img : data_->images) {
        untagged += img.tags.empty() && storage_class_of(img.status) == sc ? 1U : 0U;
      }
      message += "; the data holds " + std::to_string(untagged) + " untagged " + cls + " images";
    }
    add(severity::warning, lint_codes::no_untagged_rule, nullptr, "/rules", std::move(message),
        std::string("add a rule with \"tagStatus\": \"untagged\"") +
            (sc == storage_class::archive ? " and \"storageClass\": \"archive\"" : "") +
            " (for example sinceImage" +
            (sc == storage_class::archive ? "Transitioned 90" : "Pushed 14") +
            " days), or a last rule with \"tagStatus\": \"any\"");
  }

  /// lint.removes_too_much (with images).
  void check_removal() {
    const std::size_t total = data_->images.size();
    const std::size_t expiring = data_->result.expiring;
    if (total == 0 || static_cast<double>(expiring) * 100.0 <=
                          data_->options.max_remove_percent * static_cast<double>(total)) {
      return;
    }
    std::uint64_t bytes = 0;
    for (std::size_t i = 0; i < total; ++i) {
      if (data_->result.decisions[i].action == fate::expire) bytes += data_->images[i].size_bytes;
    }
    const rule_summary* top = nullptr;
    for (std::size_t k = 0; k < order_.size(); ++k) {
      const rule& r = policy_.rules[order_[k]];
      if (r.action.type != action_type::expire) continue;
      if (top == nullptr || summary(k).acted > top->acted) top = &summary(k);
    }
    if (top == nullptr) return;  // (expiring images imply an expire rule)
    add(severity::error, lint_codes::removes_too_much, nullptr, "",
        "the policy would expire " + std::to_string(expiring) + " of the " + images_text(total) +
            " (" + percent_text(expiring, total) + ", " + std::to_string(bytes) +
            " bytes), more than the allowed " +
            tenths_percent_text(
                static_cast<std::uint64_t>(data_->options.max_remove_percent * 10.0 + 0.5)),
        "check the rule that expires the most (rule " + std::to_string(top->priority) + ": " +
            images_text(top->acted) +
            ", see `ecrlp preview`); if this much is intended, raise --max-remove-percent");
  }
};

/// Orders findings by rule priority (policy-wide findings last), keeping check order otherwise.
inline void sort_findings(std::vector<lint_finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(),
                   [](const lint_finding& a, const lint_finding& b) {
                     if (a.rule_priority.has_value() != b.rule_priority.has_value()) {
                       return a.rule_priority.has_value();
                     }
                     return a.rule_priority < b.rule_priority;
                   });
}

}  // namespace detail

/// The checks that need only the policy: list_and_semantics, prefix_has_star,
/// pattern_without_star, unreachable_rule, any_count_counts_owned, no_untagged_rule. Findings are
/// ordered by rule priority, policy-wide findings last.
[[nodiscard]] inline std::vector<lint_finding> lint(const lifecycle_policy& policy) {
  auto findings = detail::linter(policy, nullptr).run();
  detail::sort_findings(findings);
  return findings;
}

/// Every check, with the images evaluated at `now`: the policy checks (their messages then carry
/// counts from the data) plus rule_selects_nothing, rule_owns_nothing and removes_too_much.
[[nodiscard]] inline std::vector<lint_finding> lint(const lifecycle_policy& policy,
                                                    std::span<const image> images, timestamp now,
                                                    const lint_options& options = {}) {
  const evaluation_result result = evaluate(policy, images, {.now = now});
  const detail::lint_data data{images, result, options};
  auto findings = detail::linter(policy, &data).run();
  detail::sort_findings(findings);
  return findings;
}

}  // namespace ecrlp
