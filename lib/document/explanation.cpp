// SPDX-License-Identifier: MIT
#include "document/explanation.hpp"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "document/phrases.hpp"
#include "support/text.hpp"

namespace ecrlp::detail {
namespace {

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

}  // namespace

std::string_view entry_word(const rule& r) noexcept {
  return r.selection.list_kind == tag_list_kind::prefix ? "prefix" : "pattern";
}

namespace {

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

}  // namespace

std::vector<std::string> explanation_lines(const explainer& ex, const image_explanation& e) {
  const image& img = ex.images()[e.image_index];
  const std::string related = relation_sentence(ex, e);
  std::vector<std::string> lines = {image_facts(img),
                                    related.empty() ? fate_sentence(e, img) : related};
  // An ACTIVATING or related image's fate sentence already says that no rule selects it.
  for (const auto& re : e.rules) {
    if (re.outcome == selection_outcome::activating ||
        re.outcome == selection_outcome::related) {
      continue;
    }
    const rule& r = ex.policy().rules[re.rule_index];
    lines.push_back(rule_sentence(r, re, e.owner));
    // Which tag satisfied which entry; left out when no entry matched (the sentence says so).
    const bool some_match = std::any_of(re.entries.begin(), re.entries.end(),
                                        [](const entry_match& m) { return !m.tags.empty(); });
    if (some_match) lines.push_back("  " + tag_match_text(r, re));
  }
  return lines;
}

std::vector<std::string> explanation_lines(const explainer& ex, std::size_t image_index) {
  return explanation_lines(ex, ex.explain(image_index));
}

std::string explanation_text(const explainer& ex, std::size_t image_index) {
  const auto lines = explanation_lines(ex, image_index);
  std::string out;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    if (k != 0) out += '\n';
    out += lines[k];
  }
  return out;
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

std::string in_use_sentence(const explainer& ex, const explain_in_use& in_use, std::size_t i,
                            fate action) {
  if (i >= in_use.matches.size() || !in_use.matches[i].in_use()) return {};
  std::string as;
  for (const std::size_t k : in_use_refs_of(in_use, i)) {
    if (k >= in_use.refs.size()) continue;
    as += as.empty() ? "" : ", ";
    as += reference_with_line(in_use.refs[k]);
  }
  for (const std::size_t t : in_use.matches[i].through) {
    as += as.empty() ? "" : ", ";
    as += "through index " + ex.images()[t].digest;
  }
  if (action == fate::keep) return "In use as " + as + ".";
  return "IN USE as " + as + ": " + (action == fate::expire ? "expiring" : "archiving") +
         " it would remove a running image (an in-use violation).";
}

}  // namespace ecrlp::detail
