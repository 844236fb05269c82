// SPDX-License-Identifier: MIT
#pragma once

// Facts every writer states the same way, as plain text (a writer escapes them for its format):
// what a rule selects, an amount of money, where an in-use reference was read, ... One place,
// so that the text report, the markdown and the HTML page never word the same fact differently.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/evaluate.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/impact.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/policy.hpp>

#include "support/text.hpp"

namespace ecrlp::detail {

/// The rule of `policy` with priority `priority`, or nullptr.
[[nodiscard]] const rule* find_rule(const lifecycle_policy& policy, std::int64_t priority) noexcept;

/// The summary of rule `priority` in `result`, or nullptr.
[[nodiscard]] const rule_summary* find_summary(const evaluation_result& result,
                                               std::int64_t priority) noexcept;

/// The images a rule expired and transitioned: `acted` counts one or the other, as its action.
struct rule_acts {
  std::size_t expired = 0;
  std::size_t transitioned = 0;
  std::size_t kept = 0;  ///< owned but kept
};
[[nodiscard]] rule_acts acts_of(const rule* r, const rule_summary& s) noexcept;

/// One-line description of what a rule selects: "tagged, patterns [Prod-*]", "untagged",
/// "any (archive)".
[[nodiscard]] std::string describe_selection(const selection& sel);

/// One-line description of a rule's limit: "keep newest 50", "pushed > 30 days ago".
[[nodiscard]] std::string describe_limit(const selection& sel);

/// "tagged, prefixes [v]; keep newest 5 -> expire", or `absent` for no rule.
[[nodiscard]] std::string rule_definition(const rule* r, std::string_view absent);

/// Do two rules select and act alike (everything but priority and description)?
[[nodiscard]] bool same_rule(const rule& a, const rule& b) noexcept;

/// Every priority either policy uses, ascending, each once.
[[nodiscard]] std::vector<std::int64_t> all_priorities(const lifecycle_policy& a,
                                                       const lifecycle_policy& b);

/// A fate as AWS writes actions: "EXPIRE", "TRANSITION", "KEEP".
[[nodiscard]] std::string_view action_api(fate f) noexcept;

/// The storage class as the preview writes it: "ARCHIVE" for an ARCHIVED image, else "STANDARD".
[[nodiscard]] std::string_view storage_class_api(const image& img) noexcept;

/// "expire (rule 1)", "keep (no rule)".
[[nodiscard]] std::string decision_text(const image_decision& d);

/// The tags joined by ", ", or "<untagged>".
[[nodiscard]] std::string tags_text(const image& img);

/// The first 19 characters of a digest: "sha256:" and 12 hex digits.
inline constexpr std::size_t short_digest_chars = 19;
[[nodiscard]] std::string short_digest(std::string_view digest);

/// Dollars as "$1,234.56" (whole cents, rounded half away from zero; "-$0.30" below zero).
[[nodiscard]] std::string dollars_text(double dollars);

/// A price per GB-month as "$0.10" (at least two decimals, at most four: "$0.0125").
[[nodiscard]] std::string price_text(double per_gb_month);

/// "standard $0.10, archive $0.10 per GB-month (GB = 2^30 bytes)": the prices of an impact.
[[nodiscard]] std::string prices_text(const storage_prices& p);

/// Where an in-use reference was read: "pods.json:12:7", "running.txt:3:1" ("pods.json" alone
/// when the place is unknown).
[[nodiscard]] std::string reference_place(const in_use_ref& r);

/// "payments:v1 (running.txt:3)": a reference with its file and line (no column).
[[nodiscard]] std::string reference_with_line(const in_use_ref& r);

/// The references `which` (indices into `refs`; out-of-range ones are skipped) grouped by their
/// text, in order of first appearance: "app:v1 (running.txt:3:1)", "app:v2 (200 references,
/// first pods.json:4:9)"; at most `max_groups` of them, then "and N more" (0 = all).
[[nodiscard]] std::vector<std::string> reference_groups(std::span<const in_use_ref> refs,
                                                        std::span<const std::size_t> which,
                                                        std::size_t max_groups = 0);

/// "EXPIRE by rule 2", "TRANSITION by rule 1, with its subject" (a referrer following its
/// subject): what removes an in-use image.
[[nodiscard]] std::string violation_action_text(const in_use_violation& v);

/// The vector `v` points to, or nothing (the optional members of a preview_document).
template <class T>
[[nodiscard]] std::span<const T> view_of(const std::vector<T>* v) noexcept {
  return v == nullptr ? std::span<const T>() : std::span<const T>(*v);
}

/// Per image: whether it is in use, from a preview's matches and violations (either may be
/// empty; indices beyond `image_count` are ignored).
[[nodiscard]] std::vector<bool> in_use_flags(std::size_t image_count,
                                             std::span<const in_use_match> matches,
                                             std::span<const in_use_violation> violations);

/// "s" unless `n` is 1: for "{n} image{s}".
[[nodiscard]] constexpr std::string_view plural_s(std::uint64_t n) noexcept {
  return n == 1 ? "" : "s";
}

}  // namespace ecrlp::detail
