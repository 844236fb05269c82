// SPDX-License-Identifier: MIT
#include <ecrlp/explain_report.hpp>

#include <ecrlp/registry_report.hpp>
#include <ecrlp/report.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "render/format_util.hpp"
#include "render/json_writer.hpp"

namespace ecrlp {
namespace {

using detail::csv_field;
using detail::join;

using detail::group_digits;
using detail::human_bytes;
using detail::json_writer;
using ordered_json = nlohmann::ordered_json;

std::string dump(const ordered_json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ---------------------------------------------------------------------------------------------
// explain
// ---------------------------------------------------------------------------------------------

/// An age in days: whole days as an integer ("95 days"), else with enough decimals (2 to 9) not
/// to print the limit itself for an age that is not exactly the limit ("90.00001 days").
std::string days_text(std::chrono::microseconds age, std::int64_t limit) {
  const std::int64_t us = age.count();
  if (us % detail::microseconds_per_day == 0) {
    const std::int64_t d = us / detail::microseconds_per_day;
    return fmt::format("{} day{}", d, d == 1 || d == -1 ? "" : "s");
  }
  const double d = static_cast<double>(us) / static_cast<double>(detail::microseconds_per_day);
  std::string text;
  for (int precision = 2; precision <= 9; ++precision) {
    text = fmt::format("{:.{}f}", d, precision);
    if (text != fmt::format("{:.{}f}", static_cast<double>(limit), precision)) break;
  }
  return text + " days";
}

/// "rank 2 of 9 (newest = 1) > 5", "95 days since push (2024-...) > 90".
std::string condition_text(const limit_check& c) {
  const std::string_view cmp = c.past_limit ? ">" : "<=";
  if (c.type == count_type::image_count_more_than) {
    return fmt::format("rank {} of {} (newest = 1) {} {}", c.rank, c.identified, cmp, c.limit);
  }
  if (!c.reference) {
    return fmt::format("no lastArchivedAt is recorded, so it is never past {} days", c.limit);
  }
  return fmt::format("{} since {} ({}) {} {}", days_text(c.age, c.limit),
                     to_string(c.reference->kind), format_timestamp(c.reference->at), cmp, c.limit);
}

std::string_view entry_word(const rule& r) {
  return r.selection.list_kind == tag_list_kind::prefix ? "prefix" : "pattern";
}

std::string not_selected_reason(const rule& r, const rule_explanation& e) {
  switch (e.outcome) {
    case selection_outcome::selected:
      break;
    case selection_outcome::activating:
      return "the image is ACTIVATING (being restored from archive), and no rule selects such "
             "images";
    case selection_outcome::other_storage_class:
      return fmt::format("it selects only {} images", to_string(r.selection.storage));
    case selection_outcome::image_tagged:
      return "it selects only untagged images";
    case selection_outcome::image_untagged:
      return "it selects only tagged images, and this one has no tags";
    case selection_outcome::entry_unmatched: {
      std::vector<std::string> missing;
      for (const auto& m : e.entries) {
        if (m.tags.empty()) missing.push_back(fmt::format("{} \"{}\"", entry_word(r), m.entry));
      }
      return "no tag matches " + join(missing, " or ");
    }
    case selection_outcome::related:
      return "no rule selects an index child or a referrer";
  }
  return {};
}

/// "tags for rule 1: prefix "prod" matched by prod-1, prod-eu; prefix "v1" matched by no tag."
std::string tag_match_text(const rule& r, const rule_explanation& e) {
  std::vector<std::string> parts;
  for (const auto& m : e.entries) {
    const std::vector<std::string> tags(m.tags.begin(), m.tags.end());
    parts.push_back(fmt::format("{} \"{}\" matched by {}", entry_word(r), m.entry,
                                tags.empty() ? std::string("no tag") : join(tags, ", ")));
  }
  return fmt::format(
      "tags for rule {}: {}{}.", r.priority, join(parts, "; "),
      e.outcome == selection_outcome::entry_unmatched ? " (every entry needs a matching tag)" : "");
}

std::string_view verb(const rule& r) {
  return r.action.type == action_type::transition ? "transition it to archive" : "expire it";
}

std::string rule_sentence(const rule& r, const rule_explanation& e,
                          std::optional<std::int64_t> owner) {
  switch (e.role) {
    case rule_role::owner:
      return fmt::format("rule {} owns it and {}: {}.", r.priority,
                         !e.limit->past_limit                       ? "keeps it"
                         : r.action.type == action_type::transition ? "transitions it to archive"
                                                                    : "expires it",
                         condition_text(*e.limit));
    case rule_role::overridden:
      return fmt::format("rule {} would {}: {}; protected by rule {}.", r.priority, verb(r),
                         condition_text(*e.limit), *owner);
    case rule_role::within_limit:
      return fmt::format("rule {} also selects it and would keep it: {}.", r.priority,
                         condition_text(*e.limit));
    case rule_role::not_selected:
      break;
  }
  return fmt::format("rule {} does not select it: {}.", r.priority, not_selected_reason(r, e));
}

/// "image sha256:... (tags v1, v2)" for the image another one relates to.
std::string related_name(const explainer& ex, std::size_t index) {
  const image& other = ex.images()[index];
  return other.tags.empty() ? other.digest
                            : fmt::format("{} (tags {})", other.digest, join(other.tags, ", "));
}

/// Why a relationship decides an image (spec 2.7); empty for an image that stands alone.
std::string relation_sentence(const explainer& ex, const image_explanation& e) {
  switch (e.related) {
    case relation::none:
      break;
    case relation::index_child:
      return fmt::format(
          "kept: image index {} lists it and is in the repository, not archived; no rule "
          "selects, counts or acts on a live index's children (evaluated on their own with "
          "--independent-images).",
          related_name(ex, e.related_to));
    case relation::referrer: {
      std::string subject = related_name(ex, e.related_to);
      if (e.chain_end != e.related_to) {
        subject += fmt::format(", which follows {}", related_name(ex, e.chain_end));
      }
      const std::string_view what = e.action == fate::expire       ? "expired with"
                                    : e.action == fate::transition ? "transitioned to archive with"
                                                                   : "kept with";
      std::string text = fmt::format("{} its subject {}: a referrer follows its subject and no "
                                     "rule selects it",
                                     what, subject);
      if (e.action != fate::keep) text += fmt::format(" (rule {} acts on the subject)", *e.owner);
      return text + ".";
    }
  }
  return {};
}

std::string fate_sentence(const image_explanation& e, const image& img) {
  switch (e.action) {
    case fate::expire:
      return fmt::format("expired by rule {}.", *e.owner);
    case fate::transition:
      return fmt::format("transitioned to archive by rule {}.", *e.owner);
    case fate::keep:
      break;
  }
  if (e.owner) return fmt::format("kept by rule {}.", *e.owner);
  return img.status == image_status::activating
             ? "kept: it is ACTIVATING (being restored from archive), and no rule selects such "
               "images."
             : "kept: no rule selects it.";
}

std::string image_facts(const image& img) {
  std::string times = "pushed " + format_timestamp(img.pushed_at);
  if (img.last_pulled_at) times += ", last pulled " + format_timestamp(*img.last_pulled_at);
  if (img.last_activated_at) times += ", restored " + format_timestamp(*img.last_activated_at);
  if (img.last_archived_at) times += ", archived " + format_timestamp(*img.last_archived_at);
  return fmt::format("{}; {}; {}; {}", times, to_string(img.status), human_bytes(img.size_bytes),
                     img.tags.empty() ? std::string("untagged") : "tags " + join(img.tags, ", "));
}

void write_image_text(std::ostream& out, const explainer& ex, const image_explanation& e) {
  const image& img = ex.images()[e.image_index];
  const std::string related = relation_sentence(ex, e);
  std::string text = fmt::format("{}\n  {}\n  {}\n", img.digest, image_facts(img),
                                 related.empty() ? fate_sentence(e, img) : related);
  // An ACTIVATING or related image's fate sentence already says that no rule selects it.
  for (const auto& re : e.rules) {
    if (re.outcome == selection_outcome::activating ||
        re.outcome == selection_outcome::related) {
      continue;
    }
    const rule& r = ex.policy().rules[re.rule_index];
    text += "  " + rule_sentence(r, re, e.owner) + "\n";
    // Which tag satisfied which entry; left out when no entry matched (the sentence says so).
    const bool some_match = std::any_of(re.entries.begin(), re.entries.end(),
                                        [](const entry_match& m) { return !m.tags.empty(); });
    if (some_match) text += "    " + tag_match_text(r, re) + "\n";
  }
  out << text;
}

void limit_json(json_writer& w, const limit_check& c) {
  w.begin_object();
  w.key("countType").string(to_string(c.type));
  w.key("countNumber").number(c.limit);
  w.key("identified").number(c.identified);
  if (c.type == count_type::image_count_more_than) {
    w.key("rank").number(c.rank);
  } else if (c.reference) {
    w.key("reference").string(to_string(c.reference->kind));
    w.key("referenceField").string(field_name(c.reference->kind));
    w.key("referenceTime").timestamp(c.reference->at);
    w.key("ageDays").real(c.age_days());
  } else {
    w.key("reference").null();
  }
  w.key("pastLimit").boolean(c.past_limit);
  w.end_object();
}

/// The members of one image's explanation, in an object the caller has opened (it may add more).
void image_members(json_writer& w, const explainer& ex, const image_explanation& e) {
  const image& img = ex.images()[e.image_index];
  w.key("imageDigest").string(img.digest);
  w.key("imageTags").strings(img.tags);
  w.key("imagePushedAt").timestamp(img.pushed_at);
  if (img.last_pulled_at) w.key("lastRecordedPullTime").timestamp(*img.last_pulled_at);
  if (img.last_activated_at) w.key("lastActivatedAt").timestamp(*img.last_activated_at);
  if (img.last_archived_at) w.key("lastArchivedAt").timestamp(*img.last_archived_at);
  w.key("imageStatus").string(to_string(img.status));
  w.key("imageSizeInBytes").number(img.size_bytes);
  w.key("fate").string(to_string(e.action));
  if (e.owner) {
    w.key("ownerRulePriority").number(*e.owner);
  } else {
    w.key("ownerRulePriority").null();
  }
  if (e.related != relation::none) {
    w.key("relation").string(to_string(e.related));
    w.key("relatedTo").string(ex.images()[e.related_to].digest);
    if (e.related == relation::referrer) w.key("chainEnd").string(ex.images()[e.chain_end].digest);
  }
  w.key("rules").begin_array();
  for (const auto& re : e.rules) {
    const rule& r = ex.policy().rules[re.rule_index];
    w.begin_object();
    w.key("rulePriority").number(re.priority);
    w.key("role").string(to_string(re.role));
    w.key("selection").string(to_string(re.outcome));
    w.key("action").string(to_string(r.action.type));
    if (!re.entries.empty()) {
      w.key("tagMatches").begin_array();
      for (const auto& m : re.entries) {
        w.begin_object();
        w.key(entry_word(r)).string(m.entry);
        w.key("tags").strings(m.tags);
        w.end_object();
      }
      w.end_array();
    }
    if (re.limit) limit_json(w.key("limit"), *re.limit);
    if (re.role == rule_role::overridden) w.key("protectedBy").number(*e.owner);
    w.end_object();
  }
  w.end_array();
}

// ---------------------------------------------------------------------------------------------
// diff
// ---------------------------------------------------------------------------------------------

std::string_view action_api(fate f) {
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

/// "expire (rule 1)", "keep (no rule)".
std::string decision_text(const image_decision& d) {
  return fmt::format("{} ({})", to_string(d.action),
                     d.owner ? "rule " + std::to_string(*d.owner) : std::string("no rule"));
}

const rule* find_rule(const lifecycle_policy& p, std::int64_t priority) {
  const auto it = std::find_if(p.rules.begin(), p.rules.end(),
                               [&](const rule& r) { return r.priority == priority; });
  return it == p.rules.end() ? nullptr : &*it;
}

const rule_summary* find_summary(const evaluation_result& res, std::int64_t priority) {
  const auto it = std::find_if(res.rules.begin(), res.rules.end(),
                               [&](const rule_summary& s) { return s.priority == priority; });
  return it == res.rules.end() ? nullptr : &*it;
}

bool same_rule(const rule& a, const rule& b) {
  const selection& x = a.selection;
  const selection& y = b.selection;
  return x.status == y.status && x.list_kind == y.list_kind && x.tag_list == y.tag_list &&
         x.storage == y.storage && x.type == y.type && x.count_number == y.count_number &&
         a.action.type == b.action.type;
}

std::string rule_definition(const rule* r) {
  if (r == nullptr) return "(none)";
  return fmt::format("{}; {} -> {}", detail::describe_selection(r->selection),
                     detail::describe_limit(r->selection), to_string(r->action.type));
}

/// Every priority either policy uses, ascending.
std::set<std::int64_t> all_priorities(const diff_document& doc) {
  std::set<std::int64_t> out;
  for (const auto& r : doc.before_policy.rules) out.insert(r.priority);
  for (const auto& r : doc.after_policy.rules) out.insert(r.priority);
  return out;
}

/// Owned, expired, transitioned and kept by one rule; "-" cells when the rule is absent.
std::array<std::string, 4> rule_cells(const lifecycle_policy& p, const evaluation_result& res,
                                      std::int64_t priority) {
  const rule* r = find_rule(p, priority);
  const rule_summary* s = find_summary(res, priority);
  if (r == nullptr || s == nullptr) return {"-", "-", "-", "-"};
  const bool transition = r->action.type == action_type::transition;
  return {group_digits(s->owned), group_digits(transition ? 0 : s->acted),
          group_digits(transition ? s->acted : 0), group_digits(s->owned - s->acted)};
}

ordered_json side_json(std::string_view file, const lifecycle_policy& p,
                       const evaluation_result& res) {
  ordered_json j;
  j["file"] = file;
  j["expiring"] = res.expiring;
  j["transitioning"] = res.transitioning;
  ordered_json rules = ordered_json::array();
  for (const auto& s : res.rules) {
    const rule* r = find_rule(p, s.priority);
    const bool transition = r != nullptr && r->action.type == action_type::transition;
    ordered_json jr;
    jr["rulePriority"] = s.priority;
    jr["identified"] = s.identified;
    jr["marked"] = s.marked;
    jr["owned"] = s.owned;
    jr["kept"] = s.owned - s.acted;
    jr["expired"] = transition ? 0 : s.acted;
    jr["transitioned"] = transition ? s.acted : 0;
    jr["ownedBytes"] = s.owned_bytes;
    jr["actedBytes"] = s.acted_bytes;
    rules.push_back(std::move(jr));
  }
  j["rules"] = std::move(rules);
  return j;
}

ordered_json decision_json(const image_decision& d) {
  ordered_json j;
  j["action"] = to_string(d.action);
  j["ownerRulePriority"] = d.owner ? ordered_json(*d.owner) : ordered_json(nullptr);
  return j;
}

std::string owner_text(const image_decision& d) {
  return d.owner ? std::to_string(*d.owner) : std::string();
}

/// The references that make image `i` in use (its own and those of the indexes listing it).
std::vector<std::size_t> in_use_refs_of(const explain_in_use& in_use, std::size_t i) {
  std::vector<std::size_t> refs;
  if (i >= in_use.matches.size()) return refs;
  const auto& m = in_use.matches[i];
  refs = m.refs;
  for (const std::size_t t : m.through) {
    if (t < in_use.matches.size()) {
      refs.insert(refs.end(), in_use.matches[t].refs.begin(), in_use.matches[t].refs.end());
    }
  }
  std::sort(refs.begin(), refs.end());
  refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
  return refs;
}

void write_text(std::ostream& out, const explainer& ex, std::span<const std::size_t> which,
                const explain_in_use* in_use) {
  const std::size_t rules = ex.policy().rules.size();
  out << fmt::format("Explanation at {}: {} of {} images, {} rule{} (highest priority first)\n",
                     format_timestamp(ex.now()), group_digits(which.size()),
                     group_digits(ex.images().size()), rules, rules == 1 ? "" : "s");
  for (const std::size_t i : which) {
    out << "\n";
    const image_explanation e = ex.explain(i);
    write_image_text(out, ex, e);
    if (in_use == nullptr || i >= in_use->matches.size() || !in_use->matches[i].in_use()) continue;
    std::string as;
    for (const std::size_t k : in_use_refs_of(*in_use, i)) {
      if (k >= in_use->refs.size()) continue;
      const auto& r = in_use->refs[k];
      as += as.empty() ? "" : ", ";
      as += r.text + " (" + r.source;
      if (r.line != 0) {  // two appends: ":" + std::to_string() trips GCC 12's -Wrestrict at -O3
        as += ':';
        as += std::to_string(r.line);
      }
      as += ')';
    }
    for (const std::size_t t : in_use->matches[i].through) {
      as += as.empty() ? "" : ", ";
      as += "through index " + ex.images()[t].digest;
    }
    if (e.action == fate::keep) {
      out << "  In use as " << as << ".\n";
    } else {
      out << "  IN USE as " << as << ": " << (e.action == fate::expire ? "expiring" : "archiving")
          << " it would remove a running image (an in-use violation).\n";
    }
  }
}

void write_json(std::ostream& out, const explainer& ex, std::span<const std::size_t> which,
                const explain_in_use* in_use) {
  // Streamed image by image: a document of 100k explanations is about 250 MB.
  json_writer w(out, 2);
  w.begin_object();
  w.key("now").timestamp(ex.now());
  w.key("rules").number(ex.policy().rules.size());
  w.key("images").begin_array();
  for (const std::size_t i : which) {
    w.begin_object();
    image_members(w, ex, ex.explain(i));
    if (in_use != nullptr) {
      w.key("inUse").begin_array();
      for (const std::size_t k : in_use_refs_of(*in_use, i)) {
        if (k >= in_use->refs.size()) continue;
        const auto& r = in_use->refs[k];
        w.begin_object();
        w.key("reference").string(r.text);
        w.key("file").string(r.source);
        if (r.line != 0) w.key("line").number(r.line);
        if (!r.pointer.empty()) w.key("pointer").string(r.pointer);
        w.end_object();
      }
      w.end_array();
      if (i < in_use->matches.size() && !in_use->matches[i].through.empty()) {
        w.key("inUseThroughIndexes").begin_array();
        for (const std::size_t t : in_use->matches[i].through) w.string(ex.images()[t].digest);
        w.end_array();
      }
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
  w.finish();
  out << '\n';
}

}  // namespace

void write_explain_text(std::ostream& out, const explainer& ex,
                        std::span<const std::size_t> which) {
  write_text(out, ex, which, nullptr);
}

void write_explain_json(std::ostream& out, const explainer& ex,
                        std::span<const std::size_t> which) {
  write_json(out, ex, which, nullptr);
}

void write_explain_text(std::ostream& out, const explainer& ex, std::span<const std::size_t> which,
                        const explain_in_use& in_use) {
  write_text(out, ex, which, &in_use);
}

void write_explain_json(std::ostream& out, const explainer& ex, std::span<const std::size_t> which,
                        const explain_in_use& in_use) {
  write_json(out, ex, which, &in_use);
}

std::string render_diff_table(const diff_document& doc) {
  const policy_diff& d = doc.diff;
  std::string out;
  auto it = std::back_inserter(out);
  fmt::format_to(it, "Policy diff at {}: {} images, {} change{}\n", format_timestamp(doc.now),
                 group_digits(doc.images.size()), group_digits(d.changes.size()),
                 d.changes.size() == 1 ? "" : "s");
  fmt::format_to(it, "  old: {} ({} expire, {} transition)\n", doc.before_name,
                 group_digits(d.before.expiring), group_digits(d.before.transitioning));
  fmt::format_to(it, "  new: {} ({} expire, {} transition)\n\n", doc.after_name,
                 group_digits(d.after.expiring), group_digits(d.after.transitioning));

  fmt::format_to(it, "Changes by kind\n  {:<24}  {:>8}  {:>10}\n", "Kind", "Images", "Size");
  for (const auto k : all_change_kinds) {
    fmt::format_to(it, "  {:<24}  {:>8}  {:>10}\n", describe(k), group_digits(d.total(k).images),
                   human_bytes(d.total(k).bytes));
  }

  fmt::format_to(it, "\nRules (highest priority first; - = not in that policy)\n");
  fmt::format_to(it, "  {:>8}  {:>9} {:>7} {:>10} {:>7}  {:>9} {:>7} {:>10} {:>7}\n", "Priority",
                 "old owned", "expire", "transition", "kept", "new owned", "expire", "transition",
                 "kept");
  std::vector<std::string> redefined;
  for (const auto p : all_priorities(doc)) {
    const auto o = rule_cells(doc.before_policy, d.before, p);
    const auto n = rule_cells(doc.after_policy, d.after, p);
    fmt::format_to(it, "  {:>8}  {:>9} {:>7} {:>10} {:>7}  {:>9} {:>7} {:>10} {:>7}\n", p, o[0],
                   o[1], o[2], o[3], n[0], n[1], n[2], n[3]);
    const rule* before = find_rule(doc.before_policy, p);
    const rule* after = find_rule(doc.after_policy, p);
    if (before == nullptr || after == nullptr || !same_rule(*before, *after)) {
      redefined.push_back(fmt::format("  rule {}: old {}\n  {:{}} new {}\n", p,
                                      rule_definition(before), "",
                                      fmt::formatted_size("rule {}:", p), rule_definition(after)));
    }
  }
  if (!redefined.empty()) {
    fmt::format_to(it, "\nRules that differ\n{}", join(redefined, ""));
  }

  if (d.changes.empty()) {
    fmt::format_to(it, "\nNo image changes fate.\n");
    return out;
  }
  std::size_t old_w = 3;
  std::size_t new_w = 3;
  for (const auto& c : d.changes) {
    old_w = std::max(old_w, decision_text(c.before).size());
    new_w = std::max(new_w, decision_text(c.after).size());
  }
  fmt::format_to(it, "\nChanged images, oldest first ({}):\n", group_digits(d.changes.size()));
  fmt::format_to(it, "  {:<32}  {:<23}  {:<{}}  {:<{}}  {:>10}  {:<19}  {}\n", "Pushed", "Change",
                 "Old", old_w, "New", new_w, "Size", "Digest", "Tags");
  for (const auto& c : d.changes) {
    const image& img = doc.images[c.image_index];
    fmt::format_to(it, "  {:<32}  {:<23}  {:<{}}  {:<{}}  {:>10}  {:<19}  {}\n",
                   format_timestamp(img.pushed_at), describe(c.kind), decision_text(c.before),
                   old_w, decision_text(c.after), new_w, human_bytes(img.size_bytes),
                   img.digest.substr(0, 19),
                   img.tags.empty() ? std::string("<untagged>") : join(img.tags, ", "));
  }
  return out;
}

std::string render_diff_json(const diff_document& doc) {
  const policy_diff& d = doc.diff;
  ordered_json out;
  out["now"] = format_timestamp(doc.now);
  out["images"] = doc.images.size();
  out["old"] = side_json(doc.before_name, doc.before_policy, d.before);
  out["new"] = side_json(doc.after_name, doc.after_policy, d.after);
  ordered_json kinds;
  for (const auto k : all_change_kinds) {
    ordered_json t;
    t["images"] = d.total(k).images;
    t["bytes"] = d.total(k).bytes;
    kinds[std::string(to_string(k))] = std::move(t);
  }
  out["changes"] = std::move(kinds);
  ordered_json changed = ordered_json::array();
  for (const auto& c : d.changes) {
    const image& img = doc.images[c.image_index];
    ordered_json j;
    j["imageDigest"] = img.digest;
    j["imageTags"] = img.tags;
    j["imagePushedAt"] = format_timestamp(img.pushed_at);
    j["imageSizeInBytes"] = img.size_bytes;
    j["change"] = to_string(c.kind);
    j["old"] = decision_json(c.before);
    j["new"] = decision_json(c.after);
    changed.push_back(std::move(j));
  }
  out["changedImages"] = std::move(changed);
  return dump(out) + "\n";
}

std::string render_diff_csv(const diff_document& doc) {
  std::string out =
      "imageDigest,imageTags,imagePushedAt,imageSizeInBytes,change,oldAction,"
      "oldOwnerRulePriority,newAction,newOwnerRulePriority\r\n";
  auto it = std::back_inserter(out);
  for (const auto& c : doc.diff.changes) {
    const image& img = doc.images[c.image_index];
    fmt::format_to(it, "{},{},{},{},{},{},{},{},{}\r\n", csv_field(img.digest),
                   csv_field(join(img.tags, " ")), format_timestamp(img.pushed_at), img.size_bytes,
                   to_string(c.kind), action_api(c.before.action), owner_text(c.before),
                   action_api(c.after.action), owner_text(c.after));
  }
  return out;
}

std::string render_lint_text(std::span<const lint_finding> findings, std::string_view file) {
  std::string out;
  std::size_t errors = 0;
  for (const auto& f : findings) {
    diagnostic d = f.diag;
    d.file = std::string(file);
    out += render_diagnostics_text(std::span<const diagnostic>(&d, 1));
    out += "    fix: " + f.fix + "\n";
    errors += d.level == severity::error ? 1U : 0U;
  }
  const std::size_t warnings = findings.size() - errors;
  if (findings.empty()) {
    out += fmt::format("{}: no findings\n", file);
  } else {
    out += fmt::format("{}: {} error{}, {} warning{}\n", file, errors, errors == 1 ? "" : "s",
                       warnings, warnings == 1 ? "" : "s");
  }
  return out;
}

std::string render_lint_json(std::span<const lint_finding> findings, std::string_view file) {
  std::vector<diagnostic> diags;
  std::size_t errors = 0;
  for (const auto& f : findings) {
    diags.push_back(f.diag);
    diags.back().file = std::string(file);
    errors += f.diag.level == severity::error ? 1U : 0U;
  }
  // The diagnostic objects exactly as `validate --format json` prints them, plus two fields.
  ordered_json list = ordered_json::parse(render_diagnostics_json(diags));
  for (std::size_t k = 0; k < findings.size(); ++k) {
    list[k]["fix"] = findings[k].fix;
    list[k]["rulePriority"] = findings[k].rule_priority ? ordered_json(*findings[k].rule_priority)
                                                        : ordered_json(nullptr);
  }
  ordered_json out;
  out["file"] = file;
  out["errors"] = errors;
  out["warnings"] = findings.size() - errors;
  out["findings"] = std::move(list);
  return dump(out) + "\n";
}

}  // namespace ecrlp
