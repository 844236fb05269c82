// SPDX-License-Identifier: MIT
#include "document/plan_check.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "document/phrases.hpp"

namespace ecrlp::detail {

std::string change_title(const policy_change_check& c) {
  return fmt::format("{}: {} of {}", c.change.address, c.change.action,
                     c.change.repository.empty() ? std::string("an unnamed repository")
                                                 : "repository " + c.change.repository);
}

std::string plan_check_summary(const plan_check_document& doc) {
  const std::size_t n = doc.changes.size();
  const std::size_t skipped = doc.skipped_count();
  std::string out = fmt::format("{} lifecycle-policy change{}", group_digits(n), plural_s(n));
  if (n > 0) out += fmt::format(": {} evaluated, {} not", group_digits(n - skipped), skipped);
  out += fmt::format("; {} polic{} unchanged.", group_digits(doc.unchanged),
                     doc.unchanged == 1 ? "y" : "ies");
  const change_total removed = doc.removed();
  out += fmt::format(" {} image{} ({}) newly expire.", group_digits(removed.images),
                     plural_s(removed.images), human_bytes(removed.bytes));
  return out;
}

std::string percent_text(double percent) { return fmt::format("{:.1f}%", percent); }

namespace {

std::string limit_number(double v) {
  std::string s = fmt::format("{:.3f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

std::vector<std::string> limit_verdicts(const plan_check_document& doc) {
  std::vector<std::string> out;
  if (doc.limits.max_removed_percent) {
    const std::string limit = "--max-removed " + limit_number(*doc.limits.max_removed_percent) + "%";
    const auto over = doc.over_percent();
    if (over.empty()) {
      double most = 0;
      for (const auto& c : doc.changes) most = std::max(most, c.evaluated ? c.removed_percent() : 0.0);
      out.push_back(fmt::format("{}: within (a change newly expires at most {} of its "
                                "repository's images)", limit, percent_text(most)));
    } else {
      std::string who;
      for (const std::size_t k : over) {
        const auto& c = doc.changes[k];
        who += fmt::format("{}{} ({} of {} image{})", who.empty() ? "" : ", ", c.change.address,
                           percent_text(c.removed_percent()), group_digits(c.images.size()),
                           plural_s(c.images.size()));
      }
      out.push_back(fmt::format("{}: EXCEEDED by {}", limit, who));
    }
  }
  if (doc.limits.max_removed_bytes) {
    const std::uint64_t bytes = doc.removed().bytes;
    out.push_back(fmt::format("--max-removed-bytes {}: {} ({} newly expire over the plan)",
                              group_digits(*doc.limits.max_removed_bytes),
                              doc.over_bytes() ? "EXCEEDED" : "within", human_bytes(bytes)));
  }
  return out;
}

}  // namespace ecrlp::detail
