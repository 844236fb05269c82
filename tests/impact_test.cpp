// SPDX-License-Identifier: MIT
#include <ecrlp/evaluate.hpp>
#include <ecrlp/impact.hpp>
#include <ecrlp/render.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "catch.hpp"

namespace {

constexpr std::uint64_t gib = std::uint64_t{1} << 30;

const ecrlp::timestamp now{std::chrono::sys_days{std::chrono::year{2026} / 6 / 1}};

ecrlp::image make_image(std::string digest, std::uint64_t size, ecrlp::image_status status,
                        ecrlp::finding_counts findings = {}) {
  ecrlp::image img;
  img.digest = std::move(digest);
  img.size_bytes = size;
  img.status = status;
  img.pushed_at = now - std::chrono::days{100};
  if (status == ecrlp::image_status::archived) img.last_archived_at = now - std::chrono::days{95};
  img.findings = findings;
  return img;
}

ecrlp::image_decision acted(ecrlp::fate f, std::int64_t rule) {
  ecrlp::image_decision d;
  d.action = f;
  d.owner = rule;
  return d;
}

ecrlp::rule_summary rule_with(std::int64_t priority) {
  ecrlp::rule_summary r;
  r.priority = priority;
  return r;
}

/// A: 2 GiB standard expired by rule 1; B: 1 GiB standard transitioned by rule 2; C: 3 GiB archived
/// and kept; D: 4 GiB standard, kept (owned by rule 1); E: 1 GiB archived, expired by rule 3.
struct small_case {
  std::vector<ecrlp::image> images;
  ecrlp::evaluation_result result;

  small_case() {
    using ecrlp::image_status;
    images = {make_image("sha256:a", 2 * gib, image_status::active, {.critical = 2, .high = 10}),
              make_image("sha256:b", 1 * gib, image_status::active, {.high = 1, .low = 4}),
              make_image("sha256:c", 3 * gib, image_status::archived, {.medium = 7}),
              make_image("sha256:d", 4 * gib, image_status::active, {.critical = 1}),
              make_image("sha256:e", 1 * gib, image_status::archived, {.informational = 3})};
    images[2].findings.reset();  // unscanned: adds no findings
    result.decisions = {acted(ecrlp::fate::expire, 1),
                        acted(ecrlp::fate::transition, 2),
                        {},
                        {},
                        acted(ecrlp::fate::expire, 3)};
    result.decisions[3].owner = 1;  // owned but kept
    result.order = {0, 1, 2, 3, 4};
    result.rules = {rule_with(1), rule_with(2), rule_with(3), rule_with(4)};
  }
};

/// Random images and a random but consistent evaluation result over them.
struct random_case {
  std::vector<ecrlp::image> images;
  ecrlp::evaluation_result result;

  explicit random_case(std::uint64_t seed, std::size_t max_images = 300) {
    std::mt19937_64 rng(seed);
    const auto pick = [&](std::uint64_t n) { return rng() % n; };
    const std::size_t n = pick(max_images + 1);
    const std::size_t rule_count = 1 + pick(6);
    for (std::size_t r = 0; r < rule_count; ++r) {
      result.rules.push_back(rule_with(static_cast<std::int64_t>(1 + r * (1 + pick(5)))));
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto status = static_cast<ecrlp::image_status>(pick(3));
      ecrlp::finding_counts f{pick(3), pick(10), pick(30), pick(50), pick(5), pick(2)};
      ecrlp::image img = make_image("sha256:" + std::to_string(i), pick(5 * gib), status, f);
      if (pick(4) == 0) img.findings.reset();
      images.push_back(std::move(img));
      ecrlp::image_decision d;
      const std::uint64_t what = pick(4);
      if (what != 0) d.owner = result.rules[pick(rule_count)].priority;
      if (what == 2 && status != ecrlp::image_status::activating) d.action = ecrlp::fate::expire;
      if (what == 3 && status == ecrlp::image_status::active) d.action = ecrlp::fate::transition;
      if (d.action != ecrlp::fate::keep && pick(5) == 0) d.related = ecrlp::relation::referrer;
      result.decisions.push_back(d);
      result.order.push_back(i);
    }
  }
};

void check_equal(const ecrlp::image_totals& a, const ecrlp::image_totals& b) {
  CHECK(a.images == b.images);
  CHECK(a.bytes == b.bytes);
  CHECK(a.findings == b.findings);
}

ecrlp::image_totals sum_of(const ecrlp::image_totals& a, const ecrlp::image_totals& b) {
  ecrlp::image_totals t = a;
  ecrlp::detail::add_totals(t, b);
  return t;
}

}  // namespace

TEST_CASE("impact of a small repository, computed by hand to the cent", "[impact]") {
  const small_case c;
  const ecrlp::impact x = ecrlp::compute_impact(c.images, c.result);
  CHECK(x.prices == ecrlp::storage_prices{});

  CHECK(x.before.images == 5);
  CHECK(x.before.bytes == 11 * gib);
  CHECK(x.before_bytes == ecrlp::storage_bytes{7 * gib, 4 * gib});
  CHECK(x.expired.images == 2);
  CHECK(x.bytes_freed() == 3 * gib);
  CHECK(x.transitioned.bytes == 1 * gib);
  CHECK(x.after.images == 3);
  CHECK(x.after_bytes == ecrlp::storage_bytes{4 * gib, 4 * gib});

  // Default prices: $0.10 per GB-month in both classes.
  CHECK(ecrlp::to_cents(x.monthly_cost_before()) == 110);  // 11 GiB
  CHECK(ecrlp::to_cents(x.monthly_cost_after()) == 80);    // 4 + 4 GiB
  CHECK(ecrlp::to_cents(x.monthly_saving()) == 30);
  CHECK(ecrlp::to_cents(x.archive_minimum_charge()) == 30);  // 1 GiB x $0.10 x 3 months

  // Findings: A and E leave; B (transitioned) and D stay; C was never scanned.
  CHECK(x.before.findings ==
        ecrlp::finding_counts{.critical = 3, .high = 11, .low = 4, .informational = 3});
  CHECK(x.expired.findings == ecrlp::finding_counts{.critical = 2, .high = 10, .informational = 3});
  CHECK(x.after.findings == ecrlp::finding_counts{.critical = 1, .high = 1, .low = 4});

  // Per rule, every rule of the evaluation, by priority.
  REQUIRE(x.rules.size() == 4);
  const ecrlp::rule_impact& r1 = *x.rule(1);
  CHECK(r1.expired.images == 1);
  CHECK(r1.expired_bytes == ecrlp::storage_bytes{2 * gib, 0});
  CHECK(r1.expired.findings.total() == 12);
  CHECK(ecrlp::to_cents(r1.monthly_saving(x.prices)) == 20);
  const ecrlp::rule_impact& r2 = *x.rule(2);
  CHECK(r2.expired.images == 0);
  CHECK(r2.transitioned.images == 1);
  CHECK(r2.transitioned_bytes == ecrlp::storage_bytes{1 * gib, 0});
  CHECK(ecrlp::to_cents(r2.monthly_saving(x.prices)) == 0);  // same price in both classes
  const ecrlp::rule_impact& r3 = *x.rule(3);
  CHECK(r3.expired_bytes == ecrlp::storage_bytes{0, 1 * gib});
  CHECK(ecrlp::to_cents(r3.monthly_saving(x.prices)) == 10);
  CHECK(x.rule(4)->expired.images == 0);
  CHECK(x.rule(5) == nullptr);
}

TEST_CASE("impact at other prices: archive cheaper, a longer minimum, decimal gigabytes",
          "[impact]") {
  const small_case c;
  const ecrlp::storage_prices p{
      .standard_per_gb_month = 0.10, .archive_per_gb_month = 0.01, .archive_minimum_days = 180};
  const ecrlp::impact x = ecrlp::compute_impact(c.images, c.result, p);
  CHECK(ecrlp::to_cents(x.monthly_cost_before()) == 74);  // 7 x 0.10 + 4 x 0.01
  CHECK(ecrlp::to_cents(x.monthly_cost_after()) == 44);   // 4 x 0.10 + 4 x 0.01
  CHECK(ecrlp::to_cents(x.monthly_saving()) == 30);
  CHECK(ecrlp::to_cents(x.archive_minimum_charge()) == 6);  // 1 x 0.01 x 6 months
  CHECK(ecrlp::to_cents(x.rule(1)->monthly_saving(p)) == 20);
  CHECK(ecrlp::to_cents(x.rule(2)->monthly_saving(p)) == 9);  // 0.10 - 0.01
  CHECK(ecrlp::to_cents(x.rule(3)->monthly_saving(p)) == 1);

  // Prices per 10^9 bytes: 11 GiB = 11.811160064 GB.
  const ecrlp::storage_prices decimal{.bytes_per_gb = 1'000'000'000};
  const ecrlp::impact y = ecrlp::compute_impact(c.images, c.result, decimal);
  CHECK(y.monthly_cost_before() == Approx(1.1811160064).epsilon(1e-12));
  CHECK(ecrlp::to_cents(y.monthly_cost_before()) == 118);

  // A price of zero, a dearer archive: the saving of a transition is negative.
  const ecrlp::storage_prices dear{.standard_per_gb_month = 0.0, .archive_per_gb_month = 0.5};
  const ecrlp::impact z = ecrlp::compute_impact(c.images, c.result, dear);
  CHECK(ecrlp::to_cents(z.rule(2)->monthly_saving(dear)) == -50);
  CHECK(ecrlp::to_cents(z.monthly_cost_before()) == 200);
  CHECK(ecrlp::to_cents(z.monthly_cost_after()) == 200);
}

TEST_CASE("storage_prices::valid and to_cents", "[impact]") {
  CHECK(ecrlp::storage_prices{}.valid());
  CHECK(ecrlp::storage_prices{.standard_per_gb_month = 0, .archive_per_gb_month = 0}.valid());
  CHECK_FALSE(ecrlp::storage_prices{.standard_per_gb_month = -0.01}.valid());
  CHECK_FALSE(ecrlp::storage_prices{.archive_per_gb_month = std::nan("")}.valid());
  CHECK_FALSE(ecrlp::storage_prices{.archive_per_gb_month = INFINITY}.valid());
  CHECK_FALSE(ecrlp::storage_prices{.archive_minimum_days = -1}.valid());
  CHECK_FALSE(ecrlp::storage_prices{.bytes_per_gb = 0}.valid());
  CHECK(ecrlp::to_cents(0.0) == 0);
  CHECK(ecrlp::to_cents(0.1 + 0.2) == 30);
  CHECK(ecrlp::to_cents(0.004) == 0);
  CHECK(ecrlp::to_cents(0.005) == 1);
  CHECK(ecrlp::to_cents(-0.5) == -50);
  CHECK(ecrlp::to_cents(1234567.891) == 123456789);
}

TEST_CASE("impact agrees with summarize() and with an evaluation", "[impact]") {
  // A real evaluation: archive images older than 30 days, then keep 3 of what is left.
  ecrlp::lifecycle_policy policy;
  ecrlp::rule archive;
  archive.priority = 1;
  archive.selection.status = ecrlp::tag_status::tagged;
  archive.selection.list_kind = ecrlp::tag_list_kind::prefix;
  archive.selection.tag_list = {"release"};
  archive.selection.type = ecrlp::count_type::since_image_pushed;
  archive.selection.count_number = 30;
  archive.action.type = ecrlp::action_type::transition;
  ecrlp::rule keep3;
  keep3.priority = 5;
  keep3.selection.status = ecrlp::tag_status::any;
  keep3.selection.type = ecrlp::count_type::image_count_more_than;
  keep3.selection.count_number = 3;
  policy.rules = {archive, keep3};

  std::vector<ecrlp::image> images;
  for (int i = 0; i < 12; ++i) {
    ecrlp::image img = make_image("sha256:" + std::to_string(100 + i),
                                  static_cast<std::uint64_t>(i + 1) * 100'000'000,
                                  ecrlp::image_status::active, {.high = static_cast<unsigned>(i)});
    img.pushed_at = now - std::chrono::days{10 * i + 1};
    if (i % 3 == 0) img.tags = {"release-" + std::to_string(i)};
    images.push_back(std::move(img));
  }
  const auto result = ecrlp::evaluate(policy, images, {.now = now});
  const ecrlp::impact x = ecrlp::compute_impact(images, result);
  const ecrlp::preview_totals t = ecrlp::summarize(images, result);
  check_equal(x.before, t.before);
  check_equal(x.expired, t.expired);
  check_equal(x.transitioned, t.transitioned);
  check_equal(x.after, t.after);
  CHECK(x.after_bytes.standard == t.after_standard.bytes);
  CHECK(x.after_bytes.archive == t.after_archive.bytes);
  REQUIRE(x.rules.size() == result.rules.size());
  for (std::size_t k = 0; k < x.rules.size(); ++k) {
    CHECK(x.rules[k].priority == result.rules[k].priority);
    CHECK(x.rules[k].expired.images + x.rules[k].transitioned.images ==
          result.rules[k].acted + result.rules[k].cascaded);
    CHECK(x.rules[k].expired.bytes + x.rules[k].transitioned.bytes ==
          result.rules[k].acted_bytes + result.rules[k].cascaded_bytes);
  }
  CHECK(x.transitioned.images > 0);
  CHECK(x.expired.images > 0);
}

TEST_CASE("impact properties on random inventories", "[impact]") {
  const std::uint64_t seed = GENERATE(range(std::uint64_t{1}, std::uint64_t{41}));
  CAPTURE(seed);
  const random_case c(seed);
  std::mt19937_64 rng(seed * 7919);
  const ecrlp::storage_prices p{.standard_per_gb_month = static_cast<double>(rng() % 1000) / 1000.0,
                                .archive_per_gb_month = static_cast<double>(rng() % 1000) / 1000.0,
                                .archive_minimum_days = static_cast<int>(rng() % 200)};
  const ecrlp::impact x = ecrlp::compute_impact(c.images, c.result, p);

  // before = after + freed; every class of bytes adds up.
  CHECK(x.before.images == x.after.images + x.expired.images);
  CHECK(x.before.bytes == x.after.bytes + x.bytes_freed());
  ecrlp::finding_counts f = x.after.findings;
  f += x.expired.findings;
  CHECK(x.before.findings == f);
  CHECK(x.before_bytes.total() == x.before.bytes);
  CHECK(x.after_bytes.total() == x.after.bytes);
  CHECK(x.after_bytes.archive >= x.transitioned.bytes);

  // Totals are the sums of the rules.
  ecrlp::image_totals expired, transitioned;
  double saving = 0;
  for (const auto& r : x.rules) {
    ecrlp::detail::add_totals(expired, r.expired);
    ecrlp::detail::add_totals(transitioned, r.transitioned);
    CHECK(r.expired_bytes.total() == r.expired.bytes);
    CHECK(r.transitioned_bytes.total() == r.transitioned.bytes);
    saving += r.monthly_saving(p);
  }
  check_equal(expired, x.expired);
  check_equal(transitioned, x.transitioned);
  CHECK(saving == Approx(x.monthly_saving()).margin(1e-9));

  // An independent recount from the images.
  double before = 0;
  double after = 0;
  double minimum = 0;
  for (std::size_t i = 0; i < c.images.size(); ++i) {
    const auto& img = c.images[i];
    const double gb = static_cast<double>(img.size_bytes) / gib;
    const bool archived = img.status == ecrlp::image_status::archived;
    before += gb * (archived ? p.archive_per_gb_month : p.standard_per_gb_month);
    switch (c.result.decisions[i].action) {
      case ecrlp::fate::expire:
        break;
      case ecrlp::fate::transition:
        after += gb * p.archive_per_gb_month;
        minimum += gb * p.archive_per_gb_month * p.archive_minimum_days / 30.0;
        break;
      case ecrlp::fate::keep:
        after += gb * (archived ? p.archive_per_gb_month : p.standard_per_gb_month);
        break;
    }
  }
  CHECK(x.monthly_cost_before() == Approx(before).margin(1e-9));
  CHECK(x.monthly_cost_after() == Approx(after).margin(1e-9));
  CHECK(x.archive_minimum_charge() == Approx(minimum).margin(1e-9));

  // The same as summarize().
  const ecrlp::preview_totals t = ecrlp::summarize(c.images, c.result);
  check_equal(x.before, t.before);
  check_equal(x.expired, t.expired);
  check_equal(x.transitioned, t.transitioned);
  check_equal(x.after, t.after);
}

TEST_CASE("impact is additive across repositories", "[impact]") {
  const std::uint64_t seed = GENERATE(range(std::uint64_t{100}, std::uint64_t{120}));
  CAPTURE(seed);
  const ecrlp::storage_prices p{.standard_per_gb_month = 0.1, .archive_per_gb_month = 0.0125};
  std::vector<random_case> repos;
  for (std::uint64_t k = 0; k < 1 + seed % 5; ++k) repos.emplace_back(seed * 31 + k, 120);

  ecrlp::impact total{.prices = p};
  ecrlp::image_totals before, expired, transitioned, after;
  ecrlp::storage_bytes before_bytes, after_bytes;
  double cost_before = 0;
  double cost_after = 0;
  double minimum = 0;
  std::vector<std::int64_t> priorities;
  for (const auto& r : repos) {
    const ecrlp::impact one = ecrlp::compute_impact(r.images, r.result, p);
    total += one;
    before = sum_of(before, one.before);
    expired = sum_of(expired, one.expired);
    transitioned = sum_of(transitioned, one.transitioned);
    after = sum_of(after, one.after);
    before_bytes += one.before_bytes;
    after_bytes += one.after_bytes;
    cost_before += one.monthly_cost_before();
    cost_after += one.monthly_cost_after();
    minimum += one.archive_minimum_charge();
    for (const auto& rule : one.rules) priorities.push_back(rule.priority);
  }
  check_equal(total.before, before);
  check_equal(total.expired, expired);
  check_equal(total.transitioned, transitioned);
  check_equal(total.after, after);
  CHECK(total.before_bytes == before_bytes);
  CHECK(total.after_bytes == after_bytes);
  CHECK(total.monthly_cost_before() == Approx(cost_before).margin(1e-9));
  CHECK(total.monthly_cost_after() == Approx(cost_after).margin(1e-9));
  CHECK(total.archive_minimum_charge() == Approx(minimum).margin(1e-9));

  // Rules merged by priority, sorted, each the sum over the repositories.
  std::sort(priorities.begin(), priorities.end());
  priorities.erase(std::unique(priorities.begin(), priorities.end()), priorities.end());
  REQUIRE(total.rules.size() == priorities.size());
  for (std::size_t k = 0; k < priorities.size(); ++k) {
    CHECK(total.rules[k].priority == priorities[k]);
    ecrlp::image_totals rule_expired;
    for (const auto& r : repos) {
      const ecrlp::impact one = ecrlp::compute_impact(r.images, r.result, p);
      if (const auto* ri = one.rule(priorities[k]))
        rule_expired = sum_of(rule_expired, ri->expired);
    }
    check_equal(total.rules[k].expired, rule_expired);
  }
}
