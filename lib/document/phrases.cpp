// SPDX-License-Identifier: MIT
#include "document/phrases.hpp"

#include <ecrlp/document.hpp>

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

namespace ecrlp::detail {

const rule* find_rule(const lifecycle_policy& policy, std::int64_t priority) noexcept {
  const auto it = std::find_if(policy.rules.begin(), policy.rules.end(),
                               [&](const rule& r) { return r.priority == priority; });
  return it == policy.rules.end() ? nullptr : &*it;
}

const rule_summary* find_summary(const evaluation_result& result, std::int64_t priority) noexcept {
  const auto it = std::find_if(result.rules.begin(), result.rules.end(),
                               [&](const rule_summary& s) { return s.priority == priority; });
  return it == result.rules.end() ? nullptr : &*it;
}

rule_acts acts_of(const rule* r, const rule_summary& s) noexcept {
  const bool transition = r != nullptr && r->action.type == action_type::transition;
  return {transition ? 0 : s.acted, transition ? s.acted : 0, s.owned - s.acted};
}

std::string describe_selection(const selection& sel) {
  std::string out(to_string(sel.status));
  if (sel.status == tag_status::tagged) {
    out += sel.list_kind == tag_list_kind::prefix ? ", prefixes [" : ", patterns [";
    for (std::size_t i = 0; i < sel.tag_list.size(); ++i) {
      if (i != 0) out += ", ";
      out += sel.tag_list[i];
    }
    out += "]";
  }
  if (sel.storage == storage_class::archive) out += " (archive)";
  return out;
}

std::string describe_limit(const selection& sel) {
  const std::string n = std::to_string(sel.count_number);
  const std::string_view unit = sel.count_number == 1 ? " day ago" : " days ago";
  switch (sel.type) {
    case count_type::image_count_more_than:
      return "keep newest " + n;
    case count_type::since_image_pushed:
      return "pushed > " + n + std::string(unit);
    case count_type::since_image_pulled:
      return "pulled > " + n + std::string(unit);
    case count_type::since_image_transitioned:
      return "archived > " + n + std::string(unit);
  }
  return n;
}

std::string rule_definition(const rule* r, std::string_view absent) {
  if (r == nullptr) return std::string(absent);
  return fmt::format("{}; {} -> {}", describe_selection(r->selection), describe_limit(r->selection),
                     to_string(r->action.type));
}

bool same_rule(const rule& a, const rule& b) noexcept {
  const selection& x = a.selection;
  const selection& y = b.selection;
  return x.status == y.status && x.list_kind == y.list_kind && x.tag_list == y.tag_list &&
         x.storage == y.storage && x.type == y.type && x.count_number == y.count_number &&
         a.action.type == b.action.type;
}

std::vector<std::int64_t> all_priorities(const lifecycle_policy& a, const lifecycle_policy& b) {
  std::vector<std::int64_t> out;
  for (const auto& r : a.rules) out.push_back(r.priority);
  for (const auto& r : b.rules) out.push_back(r.priority);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string_view action_api(fate f) noexcept {
  switch (f) {
    case fate::keep:
      return "KEEP";
    case fate::expire:
      return "EXPIRE";
    case fate::transition:
      return "TRANSITION";
  }
  return "?";
}

std::string_view storage_class_api(const image& img) noexcept {
  return img.status == image_status::archived ? "ARCHIVE" : "STANDARD";
}

std::string decision_text(const image_decision& d) {
  return fmt::format("{} ({})", to_string(d.action),
                     d.owner ? "rule " + std::to_string(*d.owner) : std::string("no rule"));
}

std::string tags_text(const image& img) {
  return img.tags.empty() ? std::string("<untagged>") : join(img.tags, ", ");
}

std::string short_digest(std::string_view digest) {
  return std::string(digest.substr(0, short_digest_chars));
}

std::string dollars_text(double dollars) {
  const std::int64_t cents = to_cents(dollars);
  const std::uint64_t magnitude = cents < 0 ? std::uint64_t(0) - static_cast<std::uint64_t>(cents)
                                            : static_cast<std::uint64_t>(cents);
  return fmt::format("{}${}.{:02}", cents < 0 ? "-" : "", group_digits(magnitude / 100),
                     magnitude % 100);
}

std::string price_text(double per_gb_month) {
  std::string s = fmt::format("{:.4f}", per_gb_month);
  const std::size_t dot = s.find('.');
  while (dot != std::string::npos && s.size() > dot + 3 && s.back() == '0') s.pop_back();
  return "$" + s;
}

std::string prices_text(const storage_prices& p) {
  const std::string gb = p.bytes_per_gb == (std::uint64_t{1} << 30) ? std::string("2^30")
                                                                      : group_digits(p.bytes_per_gb);
  return fmt::format("standard {}, archive {} per GB-month (GB = {} bytes)",
                     price_text(p.standard_per_gb_month), price_text(p.archive_per_gb_month), gb);
}

std::string reference_place(const in_use_ref& r) {
  std::string out = r.source.empty() ? std::string("<in-use>") : r.source;
  if (r.line != 0) out += fmt::format(":{}:{}", r.line, r.column);
  return out;
}

std::string reference_with_line(const in_use_ref& r) {
  std::string out = r.text + " (" + r.source;
  if (r.line != 0) {  // two appends: ":" + std::to_string() trips GCC 12's -Wrestrict at -O3
    out += ':';
    out += std::to_string(r.line);
  }
  return out + ")";
}

std::vector<std::string> reference_groups(std::span<const in_use_ref> refs,
                                          std::span<const std::size_t> which,
                                          std::size_t max_groups) {
  struct group {
    std::size_t first;
    std::size_t count;
  };
  std::vector<group> groups;
  std::unordered_map<std::string_view, std::size_t> group_of;  // text -> position in groups
  for (const std::size_t r : which) {
    if (r >= refs.size()) continue;
    const auto [it, fresh] = group_of.try_emplace(refs[r].text, groups.size());
    if (fresh) {
      groups.push_back({r, 1});
    } else {
      ++groups[it->second].count;
    }
  }
  std::vector<std::string> out;
  for (const group& g : groups) {
    if (max_groups != 0 && out.size() == max_groups) {
      out.push_back(fmt::format("and {} more", group_digits(groups.size() - max_groups)));
      break;
    }
    const in_use_ref& r = refs[g.first];
    out.push_back(g.count == 1 ? fmt::format("{} ({})", r.text, reference_place(r))
                               : fmt::format("{} ({} references, first {})", r.text,
                                             group_digits(g.count), reference_place(r)));
  }
  return out;
}

std::string violation_action_text(const in_use_violation& v) {
  return fmt::format("{} by rule {}{}", v.action == fate::transition ? "TRANSITION" : "EXPIRE",
                     v.rule_priority, v.related == relation::referrer ? ", with its subject" : "");
}

std::vector<bool> in_use_flags(std::size_t image_count, std::span<const in_use_match> matches,
                               std::span<const in_use_violation> violations) {
  std::vector<bool> out(image_count, false);
  for (std::size_t i = 0; i < matches.size() && i < image_count; ++i) out[i] = matches[i].in_use();
  for (const auto& v : violations) {
    if (v.image_index < image_count) out[v.image_index] = true;
  }
  return out;
}

}  // namespace ecrlp::detail

namespace ecrlp {

std::size_t violation_count(std::span<const repository_outcome> outcomes) noexcept {
  std::size_t n = 0;
  for (const auto& o : outcomes) n += o.violations.size();
  return n;
}

}  // namespace ecrlp
