// SPDX-License-Identifier: MIT
#pragma once

/// What an evaluation is worth (docs/impact.md): bytes freed per rule and in total, the monthly
/// storage cost before and after at given prices, the archive's 90-day minimum charge for the
/// images it transitions, and scan findings before and after. Header-only; no JSON.
///
///     const ecrlp::storage_prices prices{.archive_per_gb_month = 0.07};
///     ecrlp::impact total{.prices = prices};    // a registry: the sum of its repositories
///     total += ecrlp::compute_impact(images, result, prices);
///     ecrlp::to_cents(total.monthly_saving());  // whole cents, for printing

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include <ecrlp/evaluate.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/totals.hpp>

namespace ecrlp {

/// Storage prices, in US dollars. The defaults are Amazon ECR's us-east-1 list prices as reported
/// in March 2026 (docs/impact.md#prices names the sources, and what could not be confirmed):
/// standard storage $0.10 per GB-month; archive storage $0.10 per GB-month for the first 150 TB a
/// month, $0.07 above (a flat price cannot express the tier: set `archive_per_gb_month` for a
/// registry that large).
struct storage_prices {
  double standard_per_gb_month = 0.10;  ///< standard storage class, per GB-month
  double archive_per_gb_month = 0.10;   ///< archive storage class, per GB-month
  /// Minimum storage duration of the archive class: an archived image deleted or restored
  /// earlier is billed as if stored this long (DOC-ARCHIVE).
  int archive_minimum_days = 90;
  /// Bytes in the GB of the prices: AWS bills storage in binary gigabytes (2^30 bytes).
  std::uint64_t bytes_per_gb = std::uint64_t{1} << 30;

  /// True when the prices and the minimum are finite and not negative, and bytes_per_gb > 0.
  [[nodiscard]] bool valid() const noexcept {
    return std::isfinite(standard_per_gb_month) && standard_per_gb_month >= 0 &&
           std::isfinite(archive_per_gb_month) && archive_per_gb_month >= 0 &&
           archive_minimum_days >= 0 && bytes_per_gb > 0;
  }
  /// Equal when every member is.
  friend bool operator==(const storage_prices&, const storage_prices&) = default;
};

/// Days in the month of a GB-month, for the archive minimum charge (90 days = 3 months).
inline constexpr int days_per_month = 30;

/// The cost of keeping `bytes` for one month at `per_gb_month` dollars per GB-month.
[[nodiscard]] inline double monthly_cost(std::uint64_t bytes, double per_gb_month,
                                         std::uint64_t bytes_per_gb) noexcept {
  return static_cast<double>(bytes) / static_cast<double>(bytes_per_gb) * per_gb_month;
}

/// Dollars as whole cents, rounded to the nearest (half away from zero).
[[nodiscard]] inline std::int64_t to_cents(double dollars) noexcept {
  return static_cast<std::int64_t>(std::llround(dollars * 100.0));
}

/// Bytes by storage class.
struct storage_bytes {
  std::uint64_t standard = 0;  ///< in the standard class (ACTIVE and ACTIVATING images)
  std::uint64_t archive = 0;   ///< in the archive class (ARCHIVED images)

  /// Both classes.
  [[nodiscard]] constexpr std::uint64_t total() const noexcept { return standard + archive; }
  /// Adds `o`, class by class.
  constexpr storage_bytes& operator+=(const storage_bytes& o) noexcept {
    standard += o.standard;
    archive += o.archive;
    return *this;
  }
  /// Counts `img` in the class its status puts it in.
  constexpr void add(const image& img) noexcept {
    (img.status == image_status::archived ? archive : standard) += img.size_bytes;
  }
  /// Equal when both classes are.
  friend constexpr bool operator==(const storage_bytes&, const storage_bytes&) = default;
};

namespace detail {

/// Adds `o` to `t`: images, bytes and findings.
constexpr void add_totals(image_totals& t, const image_totals& o) noexcept {
  t.images += o.images;
  t.bytes += o.bytes;
  t.findings += o.findings;
}

}  // namespace detail

/// What one rule does (a referrer that goes with its subject counts for the rule acting on the
/// subject).
struct rule_impact {
  std::int64_t priority = 0;           ///< rulePriority
  image_totals expired{};              ///< images the rule deletes; their findings leave with them
  storage_bytes expired_bytes{};       ///< expired.bytes by the class the images were in
  image_totals transitioned{};         ///< images the rule moves to archive
  storage_bytes transitioned_bytes{};  ///< transitioned.bytes by the class they were in (standard)

  /// Monthly saving of this rule: what its expired images cost per month, plus the difference
  /// between the standard and archive prices for what it transitions (negative when archive is
  /// dearer). The archive minimum charge is not included (impact::archive_minimum_charge).
  [[nodiscard]] double monthly_saving(const storage_prices& p) const noexcept {
    return monthly_cost(expired_bytes.standard, p.standard_per_gb_month, p.bytes_per_gb) +
           monthly_cost(expired_bytes.archive, p.archive_per_gb_month, p.bytes_per_gb) +
           monthly_cost(transitioned_bytes.standard, p.standard_per_gb_month, p.bytes_per_gb) -
           monthly_cost(transitioned_bytes.standard, p.archive_per_gb_month, p.bytes_per_gb);
  }
  /// Adds `o` (of the same priority).
  constexpr rule_impact& operator+=(const rule_impact& o) noexcept {
    detail::add_totals(expired, o.expired);
    expired_bytes += o.expired_bytes;
    detail::add_totals(transitioned, o.transitioned);
    transitioned_bytes += o.transitioned_bytes;
    return *this;
  }
};

namespace detail {

/// Where the rule of `priority` is, or would be inserted, in rules sorted by priority.
template <class Rules>
[[nodiscard]] auto rule_position(Rules& rules, std::int64_t priority) noexcept {
  return std::lower_bound(rules.begin(), rules.end(), priority,
                          [](const rule_impact& r, std::int64_t p) { return r.priority < p; });
}

/// The rule of `priority` in rules sorted by priority, inserted (with zero totals) when absent.
[[nodiscard]] inline rule_impact& rule_entry(std::vector<rule_impact>& rules,
                                             std::int64_t priority) {
  auto it = rule_position(rules, priority);
  if (it == rules.end() || it->priority != priority) {
    rule_impact fresh;
    fresh.priority = priority;
    it = rules.insert(it, fresh);
  }
  return *it;
}

}  // namespace detail

/// The impact of an evaluation on one repository, or (summed with +=) on many.
///
/// Bytes are sums of `imageSizeInBytes`, as ecrlp's preview totals (summarize()) count them: ECR
/// stores layers once per repository, so the bill can be lower than the sum (docs/impact.md).
/// Costs are derived from the byte totals on demand, so a sum of repositories costs exactly what
/// its byte totals cost.
struct impact {
  storage_prices prices{};       ///< the prices the costs use
  image_totals before{};         ///< every image
  storage_bytes before_bytes{};  ///< before.bytes by storage class
  image_totals expired{};        ///< deleted (bytes freed; findings removed)
  image_totals transitioned{};   ///< moved to archive (still stored, still counted in `after`)
  image_totals after{};          ///< what remains: kept + transitioned
  storage_bytes after_bytes{};   ///< after.bytes by storage class
  /// Per rule, by ascending priority: every rule of the evaluations summed, acting or not.
  std::vector<rule_impact> rules{};

  /// Bytes freed: the bytes of the images deleted.
  [[nodiscard]] std::uint64_t bytes_freed() const noexcept { return expired.bytes; }
  /// Monthly storage cost of what the repository holds now.
  [[nodiscard]] double monthly_cost_before() const noexcept { return cost_of(before_bytes); }
  /// Monthly storage cost of what remains, transitioned images at the archive price.
  [[nodiscard]] double monthly_cost_after() const noexcept { return cost_of(after_bytes); }
  /// monthly_cost_before() - monthly_cost_after().
  [[nodiscard]] double monthly_saving() const noexcept {
    return monthly_cost_before() - monthly_cost_after();
  }
  /// The archive's minimum charge committed by the transitions, a one-off figure: the
  /// transitioned bytes at the archive price for archive_minimum_days / 30 months (3 months by
  /// default). It is what those images cost in archive at the least, even if they are deleted or
  /// restored sooner; it is not added to monthly_cost_after().
  [[nodiscard]] double archive_minimum_charge() const noexcept {
    return monthly_cost(transitioned.bytes, prices.archive_per_gb_month, prices.bytes_per_gb) *
           static_cast<double>(prices.archive_minimum_days) / days_per_month;
  }
  /// The impact of the rule with `priority`, or nullptr.
  [[nodiscard]] const rule_impact* rule(std::int64_t priority) const noexcept {
    const auto it = detail::rule_position(rules, priority);
    return it != rules.end() && it->priority == priority ? &*it : nullptr;
  }

  /// Adds another repository's impact (same prices: asserted). Rules are merged by priority, so
  /// with one policy for every repository each rule's figures are its registry-wide totals.
  impact& operator+=(const impact& o) {
    assert(prices == o.prices);
    detail::add_totals(before, o.before);
    before_bytes += o.before_bytes;
    detail::add_totals(expired, o.expired);
    detail::add_totals(transitioned, o.transitioned);
    detail::add_totals(after, o.after);
    after_bytes += o.after_bytes;
    for (const rule_impact& r : o.rules) detail::rule_entry(rules, r.priority) += r;
    return *this;
  }

 private:
  [[nodiscard]] double cost_of(const storage_bytes& b) const noexcept {
    return monthly_cost(b.standard, prices.standard_per_gb_month, prices.bytes_per_gb) +
           monthly_cost(b.archive, prices.archive_per_gb_month, prices.bytes_per_gb);
  }
};

/// The impact of `result` (from evaluate() over `images`) at `prices`. An image counts in the
/// class its imageStatus puts it in (ACTIVATING as standard); a transitioned image is in archive
/// after. Images guarded by a live index are kept (and freed only by a later run, after their
/// index goes). Linear in the number of images.
[[nodiscard]] inline impact compute_impact(std::span<const image> images,
                                           const evaluation_result& result,
                                           const storage_prices& prices = {}) {
  impact out;
  out.prices = prices;
  out.rules.reserve(result.rules.size());
  for (const rule_summary& r : result.rules) (void)detail::rule_entry(out.rules, r.priority);
  const auto rule_of = [&](const image_decision& d) -> rule_impact* {
    const auto p = d.applied_rule_priority();
    return p ? &detail::rule_entry(out.rules, *p) : nullptr;
  };
  for (std::size_t i = 0; i < images.size() && i < result.decisions.size(); ++i) {
    const image& img = images[i];
    const image_decision& d = result.decisions[i];
    out.before.add(img);
    out.before_bytes.add(img);
    rule_impact* r = rule_of(d);
    switch (d.action) {
      case fate::expire:
        out.expired.add(img);
        if (r != nullptr) {
          r->expired.add(img);
          r->expired_bytes.add(img);
        }
        continue;
      case fate::transition:
        out.transitioned.add(img);
        out.after_bytes.archive += img.size_bytes;
        if (r != nullptr) {
          r->transitioned.add(img);
          r->transitioned_bytes.add(img);
        }
        break;
      case fate::keep:
        out.after_bytes.add(img);
        break;
    }
    out.after.add(img);
  }
  return out;
}

}  // namespace ecrlp
