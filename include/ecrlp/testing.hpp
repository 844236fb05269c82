// SPDX-License-Identifier: MIT
#pragma once

/// Unit tests for lifecycle policies: build a small repository in code, evaluate a policy over it
/// at a fixed instant, and check each image's fate with messages that explain it. Header-only; no
/// JSON library, no exceptions, works with Catch2, GoogleTest, doctest or plain `assert`.
///
/// @code
/// using namespace std::chrono_literals;
/// ecrlp::testing::repository_builder repo{*ecrlp::parse_timestamp("2026-11-28T00:00:00Z")};
/// repo.image("prod").tags({"Prod-12"}).age("400d");
/// repo.image("branch").tags({"feature-x"}).age(std::chrono::days{120}).pulled("2d");
/// repo.image("dangling").age("36h");
/// const auto r = ecrlp::testing::run(policy, repo);
/// CHECK(r.expect_kept("prod").by_rule(1));   // kept, and owned by the rule with priority 1
/// CHECK(r.expect_expired("branch"));          // on failure: why the image met its fate
/// CHECK(r.expect_kept(ecrlp::testing::with_tag("Prod-12")));
/// @endcode

#include <ecrlp/evaluate.hpp>
#include <ecrlp/explain.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/tag_match.hpp>
#include <ecrlp/time.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecrlp::testing {

/// Parses an age written for people: one or more groups of a whole number and a unit, `w` (weeks),
/// `d` (days), `h` (hours), `m` (minutes) or `s` (seconds), without spaces: `"10d"`, `"36h"`,
/// `"1d12h"`, `"90m"`, `"0d"`. Returns nullopt for anything else (empty text, signs, fractions,
/// unknown units, a value past ~292,000 years).
[[nodiscard]] constexpr std::optional<std::chrono::microseconds> parse_age(
    std::string_view text) noexcept {
  if (text.empty()) return std::nullopt;
  constexpr std::int64_t max = std::numeric_limits<std::int64_t>::max();
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    std::int64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      const std::int64_t digit = text[i] - '0';
      if (n > (max - digit) / 10) return std::nullopt;
      n = n * 10 + digit;
      ++i;
    }
    if (i == text.size()) return std::nullopt;  // a number needs a unit
    std::int64_t unit = 0;
    switch (text[i]) {
      case 'w':
        unit = 7 * 86'400'000'000;
        break;
      case 'd':
        unit = 86'400'000'000;
        break;
      case 'h':
        unit = 3'600'000'000;
        break;
      case 'm':
        unit = 60'000'000;
        break;
      case 's':
        unit = 1'000'000;
        break;
      default:
        return std::nullopt;
    }
    ++i;
    if (n > max / unit || n * unit > max - total) return std::nullopt;
    total += n * unit;
  }
  return std::chrono::microseconds{total};
}

/// Formats a duration the way parse_age() reads it, largest units first and zero parts left out:
/// `"10d"`, `"1d 12h"`, `"3h 5m"`, `"0s"`; a negative duration gets a leading `-`. Microseconds
/// below a second are dropped unless nothing else is left (`"250ms"` is never produced: `"0s"`).
[[nodiscard]] inline std::string format_age(std::chrono::microseconds age) {
  using std::chrono::microseconds;
  std::string out;
  // Work with the magnitude in unsigned arithmetic so that the most negative value is fine.
  const auto count = age.count();
  const bool negative = count < 0;
  std::uint64_t rest = negative ? std::uint64_t{0} - static_cast<std::uint64_t>(count)
                                : static_cast<std::uint64_t>(count);
  rest /= 1'000'000;  // whole seconds
  struct part {
    std::uint64_t seconds;
    char unit;
  };
  constexpr part parts[] = {{86'400, 'd'}, {3'600, 'h'}, {60, 'm'}, {1, 's'}};
  for (const auto& p : parts) {
    const std::uint64_t n = rest / p.seconds;
    rest %= p.seconds;
    if (n == 0) continue;
    if (!out.empty()) out.push_back(' ');
    out += std::to_string(n);
    out.push_back(p.unit);
  }
  if (out.empty()) return "0s";
  return negative ? "-" + out : out;
}

class repository_builder;

/// Sets the fields of one image of a repository_builder; returned by repository_builder::image().
/// Every setter returns `*this`, so calls chain. Ages are durations before the repository's `now`
/// (`std::chrono::days{10}`, or text for parse_age() such as `"10d"`); the `*_at` setters take
/// instants. A text that parse_age() rejects is recorded as an error of the repository, and every
/// expectation checked on it then fails with that error.
class image_builder {
 public:
  /// Replaces the image's tags.
  image_builder& tags(std::initializer_list<std::string_view> list);
  /// Replaces the image's tags.
  image_builder& tags(std::span<const std::string> list);
  /// Adds one tag.
  image_builder& tag(std::string_view t);
  /// Removes every tag.
  image_builder& untagged();
  /// Pushed `ago` before now (imagePushedAt). The default is now (age zero).
  image_builder& age(std::chrono::microseconds ago);
  /// Pushed `ago` before now, written like `"10d"` (parse_age()).
  image_builder& age(std::string_view ago);
  /// Pushed at an instant.
  image_builder& pushed_at(timestamp t);
  /// Last pulled `ago` before now (lastRecordedPullTime). The default is never pulled.
  image_builder& pulled(std::chrono::microseconds ago);
  /// Last pulled `ago` before now, written like `"5h"`.
  image_builder& pulled(std::string_view ago);
  /// Last pulled at an instant.
  image_builder& pulled_at(timestamp t);
  /// Archived `ago` before now (lastArchivedAt); the image is ARCHIVED unless restored later.
  image_builder& archived(std::chrono::microseconds ago);
  /// Archived `ago` before now, written like `"100d"`.
  image_builder& archived(std::string_view ago);
  /// Archived at an instant.
  image_builder& archived_at(timestamp t);
  /// Restored from the archive `ago` before now (lastActivatedAt); the image is ACTIVE again
  /// unless archived after that. Age and rank then count from the restore.
  image_builder& restored(std::chrono::microseconds ago);
  /// Restored `ago` before now, written like `"10d"`.
  image_builder& restored(std::string_view ago);
  /// Restored at an instant.
  image_builder& restored_at(timestamp t);
  /// Sets imageStatus explicitly, overriding what archived()/restored() imply (e.g. ACTIVATING).
  image_builder& status(image_status s);
  /// imageSizeInBytes.
  image_builder& size(std::uint64_t bytes);
  /// The image's scan findings.
  image_builder& findings(const finding_counts& counts);
  /// Sets imageDigest. By default the digest is the image's name, so images of equal age rank by
  /// name (ECR breaks such ties by digest).
  image_builder& digest(std::string_view d);

 private:
  friend class repository_builder;
  image_builder(repository_builder& repo, std::size_t index) noexcept
      : repo_(&repo), index_(index) {}
  [[nodiscard]] ecrlp::image& img() const;
  [[nodiscard]] std::optional<std::chrono::microseconds> age_or_error(std::string_view text,
                                                                      std::string_view field) const;
  void refresh_status() const;

  repository_builder* repo_;
  std::size_t index_;
};

/// A repository of named images built in code, relative to one instant `now`.
///
/// Names identify images in expectations; the digest defaults to the name. Adding a name twice,
/// putting one tag on two images (ECR moves a tag, it never duplicates it) or an unreadable age
/// are recorded in errors() instead of throwing.
class repository_builder {
 public:
  /// A repository whose ages count back from `now`, the instant the policy is evaluated at.
  explicit repository_builder(timestamp now) noexcept : now_(now) {}

  /// Adds an image called `name`, pushed at now, untagged, ACTIVE and never pulled, and returns
  /// its builder. The builder stays valid while the repository lives.
  image_builder image(std::string_view name) {
    if (find(name)) errors_.push_back("image '" + std::string(name) + "' is added twice");
    ecrlp::image img;
    img.digest = std::string(name);
    img.pushed_at = now_;
    images_.push_back(std::move(img));
    names_.emplace_back(name);
    explicit_status_.push_back(0);
    return image_builder(*this, images_.size() - 1);
  }

  /// The instant ages count back from.
  [[nodiscard]] timestamp now() const noexcept { return now_; }
  /// The images, in the order they were added.
  [[nodiscard]] std::span<const ecrlp::image> images() const noexcept { return images_; }
  /// The names of images(), at the same indices.
  [[nodiscard]] std::span<const std::string> names() const noexcept { return names_; }
  /// Problems found while building (duplicate names or tags, unreadable ages). Empty when fine.
  [[nodiscard]] std::vector<std::string> errors() const {
    std::vector<std::string> all = errors_;
    // A tag on two images is checked here, once every tag is known.
    for (std::size_t i = 0; i < images_.size(); ++i) {
      for (const auto& t : images_[i].tags) {
        for (std::size_t j = i + 1; j < images_.size(); ++j) {
          if (std::find(images_[j].tags.begin(), images_[j].tags.end(), t) !=
              images_[j].tags.end()) {
            all.push_back("tag '" + t + "' is on both '" + names_[i] + "' and '" + names_[j] +
                          "'; a tag names one image");
          }
        }
      }
    }
    return all;
  }
  /// Index of the image called `name`.
  [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) return i;
    }
    return std::nullopt;
  }

 private:
  friend class image_builder;
  timestamp now_;
  std::vector<ecrlp::image> images_;
  std::vector<std::string> names_;
  std::vector<unsigned char> explicit_status_;
  std::vector<std::string> errors_;
};

inline ecrlp::image& image_builder::img() const { return repo_->images_[index_]; }

inline std::optional<std::chrono::microseconds> image_builder::age_or_error(
    std::string_view text, std::string_view field) const {
  if (auto a = parse_age(text)) return a;
  repo_->errors_.push_back("image '" + repo_->names_[index_] + "': " + std::string(field) + " '" +
                           std::string(text) +
                           "' is not an age (write a whole number and a unit: 10d, 36h, 1d12h)");
  return std::nullopt;
}

inline void image_builder::refresh_status() const {
  if (repo_->explicit_status_[index_] != 0) return;
  const auto& i = img();
  const bool archived_last =
      i.last_archived_at && (!i.last_activated_at || *i.last_activated_at < *i.last_archived_at);
  img().status = archived_last ? image_status::archived : image_status::active;
}

inline image_builder& image_builder::tags(std::initializer_list<std::string_view> list) {
  img().tags.assign(list.begin(), list.end());
  return *this;
}
inline image_builder& image_builder::tags(std::span<const std::string> list) {
  img().tags.assign(list.begin(), list.end());
  return *this;
}
inline image_builder& image_builder::tag(std::string_view t) {
  img().tags.emplace_back(t);
  return *this;
}
inline image_builder& image_builder::untagged() {
  img().tags.clear();
  return *this;
}
inline image_builder& image_builder::age(std::chrono::microseconds ago) {
  return pushed_at(repo_->now_ - ago);
}
inline image_builder& image_builder::age(std::string_view ago) {
  if (const auto a = age_or_error(ago, "age")) age(*a);
  return *this;
}
inline image_builder& image_builder::pushed_at(timestamp t) {
  img().pushed_at = t;
  return *this;
}
inline image_builder& image_builder::pulled(std::chrono::microseconds ago) {
  return pulled_at(repo_->now_ - ago);
}
inline image_builder& image_builder::pulled(std::string_view ago) {
  if (const auto a = age_or_error(ago, "pulled")) pulled(*a);
  return *this;
}
inline image_builder& image_builder::pulled_at(timestamp t) {
  img().last_pulled_at = t;
  return *this;
}
inline image_builder& image_builder::archived(std::chrono::microseconds ago) {
  return archived_at(repo_->now_ - ago);
}
inline image_builder& image_builder::archived(std::string_view ago) {
  if (const auto a = age_or_error(ago, "archived")) archived(*a);
  return *this;
}
inline image_builder& image_builder::archived_at(timestamp t) {
  img().last_archived_at = t;
  refresh_status();
  return *this;
}
inline image_builder& image_builder::restored(std::chrono::microseconds ago) {
  return restored_at(repo_->now_ - ago);
}
inline image_builder& image_builder::restored(std::string_view ago) {
  if (const auto a = age_or_error(ago, "restored")) restored(*a);
  return *this;
}
inline image_builder& image_builder::restored_at(timestamp t) {
  img().last_activated_at = t;
  refresh_status();
  return *this;
}
inline image_builder& image_builder::status(image_status s) {
  repo_->explicit_status_[index_] = 1;
  img().status = s;
  return *this;
}
inline image_builder& image_builder::size(std::uint64_t bytes) {
  img().size_bytes = bytes;
  return *this;
}
inline image_builder& image_builder::findings(const finding_counts& counts) {
  img().findings = counts;
  return *this;
}
inline image_builder& image_builder::digest(std::string_view d) {
  img().digest = std::string(d);
  return *this;
}

/// Which image an expectation is about: the one with a name, or the one carrying a tag.
struct image_ref {
  enum class kind : unsigned char { name, tag };
  kind by = kind::name;
  std::string value;

  /// "image 'a'" or "the image tagged 'Prod-1'".
  [[nodiscard]] std::string describe() const {
    return by == kind::name ? "image '" + value + "'" : "the image tagged '" + value + "'";
  }
};

/// Refers to an image by its name.
[[nodiscard]] inline image_ref named(std::string_view name) {
  return {image_ref::kind::name, std::string(name)};
}
/// Refers to the image that carries `tag`.
[[nodiscard]] inline image_ref with_tag(std::string_view tag) {
  return {image_ref::kind::tag, std::string(tag)};
}

namespace detail {

inline std::string in_quotes(std::string_view s) {
  // Built by appends: GCC 12 at -O3 warns (-Wrestrict, falsely) on "\"" + std::string(s).
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  out.append(s);
  out.push_back('"');
  return out;
}

/// "priority 5 \"Catch-all: ...\"" (descriptions are shown because they carry the intent).
inline std::string rule_name(const rule& r) {
  std::string s = "priority " + std::to_string(r.priority);
  if (!r.description.empty()) s += " " + in_quotes(r.description);
  return s;
}

/// What a rule selects and when it acts, in one phrase.
inline std::string rule_summary_text(const rule& r) {
  const selection& sel = r.selection;
  std::string s(to_string(sel.status));
  if (sel.status == tag_status::tagged && sel.list_kind != tag_list_kind::none) {
    s += " ";
    s += to_string(sel.list_kind);
    s += " [";
    for (std::size_t i = 0; i < sel.tag_list.size(); ++i) {
      if (i != 0) s += ", ";
      s += in_quotes(sel.tag_list[i]);
    }
    s += "]";
  }
  if (sel.storage == storage_class::archive) s += ", archive storage";
  s += ", ";
  s += to_string(sel.type);
  s += " " + std::to_string(sel.count_number);
  if (is_age_limit(sel.type)) s += " days";
  s += " -> ";
  s += r.action.type == action_type::transition ? "transition to archive" : "expire";
  return s;
}

/// Why a rule does not identify an image.
inline std::string why_not_selected(const rule& r, const ecrlp::image& img,
                                    const rule_explanation& e) {
  switch (e.outcome) {
    case selection_outcome::selected:
      return {};
    case selection_outcome::activating:
      return "ACTIVATING images are selected by no rule";
    case selection_outcome::related:
      return "the image is a child of a live image index or a referrer of an image in the "
             "repository; no rule selects such images";
    case selection_outcome::other_storage_class: {
      const auto sc = storage_class_of(img.status);
      return "the image is in the " + std::string(to_string(sc.value_or(storage_class::standard))) +
             " storage class; the rule sees " + std::string(to_string(r.selection.storage)) +
             " images only";
    }
    case selection_outcome::image_tagged:
      return "the rule selects untagged images; this one is tagged";
    case selection_outcome::image_untagged:
      return "the rule selects tagged images; this one is untagged";
    case selection_outcome::entry_unmatched: {
      std::string missing;
      for (const auto& m : e.entries) {
        if (!m.tags.empty()) continue;
        if (!missing.empty()) missing += ", ";
        missing += in_quotes(m.entry);
      }
      return "no tag matches " + missing;
    }
  }
  return {};
}

/// Which tags satisfy a tagged rule's entries: "tag \"Prod-3\" matches \"Prod-*\"".
inline std::string matching_tags(const rule_explanation& e) {
  std::string out;
  for (const auto& m : e.entries) {
    if (m.tags.empty()) continue;
    if (!out.empty()) out += ", ";
    out += m.tags.size() == 1 ? "tag " : "tags ";
    for (std::size_t i = 0; i < m.tags.size(); ++i) {
      if (i != 0) out += ", ";
      out += in_quotes(m.tags[i]);
    }
    out += (m.tags.size() == 1 ? " matches " : " match ") + in_quotes(m.entry);
  }
  return out;
}

/// The rule's limit applied to the image: "pushed 80d ago, not more than 90 days".
inline std::string limit_text(const limit_check& c) {
  if (c.type == count_type::image_count_more_than) {
    return "number " + std::to_string(c.rank) + " of the " + std::to_string(c.identified) +
           " images the rule identifies, newest first; it keeps the newest " +
           std::to_string(c.limit);
  }
  if (!c.reference) return "no archive time (lastArchivedAt), so never past this limit";
  std::string what;
  switch (c.reference->kind) {
    case time_reference::push:
      what = c.type == count_type::since_image_pulled ? "never pulled, so counted from its push"
                                                      : "pushed";
      break;
    case time_reference::restore:
      what = c.type == count_type::since_image_pulled ? "restored and not pulled since; restored"
                                                      : "restored (age counts from the restore)";
      break;
    case time_reference::last_pull:
      what = "last pulled";
      break;
    case time_reference::archive:
      what = "archived";
      break;
  }
  return what + " " + format_age(c.age) + " ago, " + (c.past_limit ? "more" : "not more") +
         " than " + std::to_string(c.limit) + " day" + (c.limit == 1 ? "" : "s");
}

}  // namespace detail

/// Explains the fate of image `index` from the facts of explainer::explain(), one line per fact:
/// the image (tags, push time and age, other times, status), then every rule in priority order
/// with whether it selects the image and why (tag matches, storage class), which rule owns it, how
/// the image stands against each selecting rule's limit (rank or age), and the outcome. `name` is
/// how to call the image (default: its digest).
[[nodiscard]] inline std::string explain_fate(const explainer& ex, std::size_t index,
                                              std::string_view name = {}) {
  const ecrlp::image& img = ex.images()[index];
  const timestamp now = ex.now();
  const image_explanation facts = ex.explain(index);
  std::string out =
      "image '" + std::string(name.empty() ? std::string_view(img.digest) : name) + "': ";
  if (img.tags.empty()) {
    out += "untagged";
  } else {
    out += "tags ";
    for (std::size_t i = 0; i < img.tags.size(); ++i) {
      if (i != 0) out += ", ";
      out += img.tags[i];
    }
  }
  out += "; pushed " + format_timestamp(img.pushed_at) + " (" + format_age(now - img.pushed_at) +
         " ago)";
  if (img.last_pulled_at) out += "; last pulled " + format_age(now - *img.last_pulled_at) + " ago";
  if (img.last_archived_at) out += "; archived " + format_age(now - *img.last_archived_at) + " ago";
  if (img.last_activated_at) {
    out += "; restored " + format_age(now - *img.last_activated_at) + " ago";
  }
  out += "; ";
  out += to_string(img.status);
  out += "\n";

  for (const auto& e : facts.rules) {
    const rule& r = ex.policy().rules[e.rule_index];
    out += "  rule " + detail::rule_name(r) + " (" + detail::rule_summary_text(r) + "): ";
    if (e.outcome != selection_outcome::selected || !e.limit) {
      out += "does not select it: " + detail::why_not_selected(r, img, e) + "\n";
      continue;
    }
    const std::string tags = detail::matching_tags(e);
    const std::string limit = detail::limit_text(*e.limit);
    if (e.role == rule_role::owner) {
      out += "owns it";
      if (!tags.empty()) out += " (" + tags + ")";
      out += "; " + limit + "; so it is ";
      out += !e.limit->past_limit                       ? "kept"
             : r.action.type == action_type::transition ? "transitioned to archive"
                                                        : "expired";
      out += "\n";
    } else {
      out += "also selects it";
      if (!tags.empty()) out += " (" + tags + ")";
      out += " but does not own it, so it cannot act on it (" + limit + ")\n";
    }
  }
  out += "  outcome: ";
  switch (facts.action) {
    case fate::keep:
      out += facts.owner ? "kept by rule priority " + std::to_string(*facts.owner)
                         : std::string("kept: no rule selects it");
      break;
    case fate::expire:
      out += "expired by rule priority " + std::to_string(facts.owner.value_or(0));
      break;
    case fate::transition:
      out += "transitioned to archive by rule priority " + std::to_string(facts.owner.value_or(0));
      break;
  }
  out += "\n";
  return out;
}

/// explain_fate() without an explainer at hand: builds one (ranking every rule's images once), so
/// prefer the explainer overload when explaining many images of one evaluation.
[[nodiscard]] inline std::string explain_fate(const lifecycle_policy& policy,
                                              std::span<const ecrlp::image> images,
                                              std::size_t index, timestamp now,
                                              std::string_view name = {}) {
  return explain_fate(explainer(policy, images, now), index, name);
}

/// Past-tense word for a fate, as case files and messages use it ("kept", "expired",
/// "transitioned").
[[nodiscard]] constexpr std::string_view fate_word(fate f) noexcept {
  switch (f) {
    case fate::keep:
      return "kept";
    case fate::expire:
      return "expired";
    case fate::transition:
      return "transitioned";
  }
  return "?";
}

/// The outcome of checking one image's fate. Converts to `bool` (true when the expectation holds)
/// and streams as its message, so `CHECK(r.expect_kept("a"))` in Catch2 prints the explanation of
/// the image's fate when it fails.
class expectation {
 public:
  /// Which rule the expectation requires (see by_rule()).
  enum class rule_requirement : unsigned char { any, priority, none };

  /// True when the image exists and met the expected fate (and rule, when one is required).
  [[nodiscard]] bool passed() const noexcept {
    if (!error_.empty() || !actual_) return false;
    if (actual_->action != expected_) return false;
    switch (rule_) {
      case rule_requirement::any:
        return true;
      case rule_requirement::priority:
        return actual_->owner && *actual_->owner == rule_priority_;
      case rule_requirement::none:
        return !actual_->owner;
    }
    return false;
  }
  /// Same as passed().
  explicit operator bool() const noexcept { return passed(); }

  /// Also requires the rule with rulePriority `priority`: for expired and transitioned images the
  /// rule that acted (appliedRulePriority), for kept images the rule that owns, and so protects,
  /// the image.
  [[nodiscard]] expectation by_rule(std::int64_t priority) const {
    expectation e = *this;
    e.rule_ = rule_requirement::priority;
    e.rule_priority_ = priority;
    return e;
  }
  /// Also requires that no rule selects the image (only meaningful for kept images).
  [[nodiscard]] expectation by_no_rule() const {
    expectation e = *this;
    e.rule_ = rule_requirement::none;
    return e;
  }

  /// What was expected, in words: "image 'a' expired by rule priority 5".
  [[nodiscard]] std::string expected_text() const {
    std::string s = subject_.describe() + " " + std::string(fate_word(expected_));
    if (rule_ == rule_requirement::priority) {
      s += (expected_ == fate::keep ? " (protected) by rule priority " : " by rule priority ") +
           std::to_string(rule_priority_);
    } else if (rule_ == rule_requirement::none) {
      s += ", selected by no rule";
    }
    return s;
  }

  /// The message: on success "image 'a' expired, as expected"; on failure what was expected,
  /// what happened, and the explanation of the image's fate (or why it could not be checked).
  [[nodiscard]] std::string message() const {
    if (passed()) return expected_text() + ", as expected";
    std::string s = "expected " + expected_text() + ", but ";
    if (!error_.empty()) return s + error_;
    s += "it was " + std::string(fate_word(actual_->action));
    if (actual_->owner) {
      s += (actual_->action == fate::keep ? " (owned by rule priority " : " by rule priority ") +
           std::to_string(*actual_->owner) + (actual_->action == fate::keep ? ")" : "");
    } else {
      s += " (no rule selects it)";
    }
    if (rule_ == rule_requirement::priority &&
        std::find(priorities_.begin(), priorities_.end(), rule_priority_) == priorities_.end()) {
      s += "; the policy has no rule with priority " + std::to_string(rule_priority_);
    }
    return s + "\n" + explanation_;
  }

  /// The explanation of the image's fate (explain_fate()); empty when the image was not found.
  [[nodiscard]] const std::string& explanation() const noexcept { return explanation_; }
  /// The image the expectation is about.
  [[nodiscard]] const image_ref& subject() const noexcept { return subject_; }
  /// The fate expected.
  [[nodiscard]] fate expected() const noexcept { return expected_; }
  /// What the evaluation decided for the image; nullopt when it could not be checked.
  [[nodiscard]] const std::optional<image_decision>& actual() const noexcept { return actual_; }

  /// Streams message().
  friend std::ostream& operator<<(std::ostream& os, const expectation& e) {
    return os << e.message();
  }

 private:
  friend class run_result;
  expectation() = default;

  image_ref subject_;
  fate expected_ = fate::keep;
  rule_requirement rule_ = rule_requirement::any;
  std::int64_t rule_priority_ = 0;
  std::optional<image_decision> actual_;
  std::string explanation_;
  std::string error_;  ///< why the expectation could not be checked
  std::vector<std::int64_t> priorities_;
};

/// A policy evaluated over a named repository at one instant; the source of expectations.
/// Owns copies of the policy and images (shared between copies of the run_result), so it
/// outlives what it was made from and is cheap to copy.
class run_result {
 public:
  /// Evaluates `policy` over `images` (named by `names`, same indices) at `now`. `errors` are
  /// problems of the repository (see repository_builder::errors()); when there are any, every
  /// expectation fails with them.
  run_result(lifecycle_policy policy, std::vector<ecrlp::image> images,
             std::vector<std::string> names, timestamp now, std::vector<std::string> errors = {})
      : s_(std::make_shared<const state>(std::move(policy), std::move(images), std::move(names),
                                         now, std::move(errors))) {}

  /// The evaluation itself.
  [[nodiscard]] const evaluation_result& evaluation() const noexcept { return s_->result; }
  /// The facts behind each image's fate (explain.hpp).
  [[nodiscard]] const explainer& explanations() const noexcept { return s_->facts; }
  /// The policy evaluated.
  [[nodiscard]] const lifecycle_policy& policy() const noexcept { return s_->policy; }
  /// The images evaluated.
  [[nodiscard]] std::span<const ecrlp::image> images() const noexcept { return s_->images; }
  /// Their names, at the same indices.
  [[nodiscard]] std::span<const std::string> names() const noexcept { return s_->names; }
  /// The instant of the evaluation.
  [[nodiscard]] timestamp now() const noexcept { return s_->now; }
  /// Problems of the repository the run was made from.
  [[nodiscard]] std::span<const std::string> errors() const noexcept { return s_->errors; }

  /// Index of the image `who` refers to; nullopt when there is none.
  [[nodiscard]] std::optional<std::size_t> find(const image_ref& who) const noexcept {
    for (std::size_t i = 0; i < s_->images.size(); ++i) {
      if (who.by == image_ref::kind::name) {
        if (s_->names[i] == who.value) return i;
      } else if (std::find(s_->images[i].tags.begin(), s_->images[i].tags.end(), who.value) !=
                 s_->images[i].tags.end()) {
        return i;
      }
    }
    return std::nullopt;
  }

  /// The decision for an image; nullopt when there is no such image.
  [[nodiscard]] std::optional<image_decision> decision(const image_ref& who) const {
    if (const auto i = find(who)) return s_->result.decisions[*i];
    return std::nullopt;
  }
  /// The decision for the image called `name`.
  [[nodiscard]] std::optional<image_decision> decision(std::string_view name) const {
    return decision(named(name));
  }

  /// explain_fate() for an image; a one-line note when there is no such image.
  [[nodiscard]] std::string explain(const image_ref& who) const {
    if (const auto i = find(who)) return explain_fate(s_->facts, *i, s_->names[*i]);
    return who.by == image_ref::kind::name ? "there is no image named '" + who.value + "'\n"
                                           : "no image carries tag '" + who.value + "'\n";
  }
  /// explain_fate() for the image called `name`.
  [[nodiscard]] std::string explain(std::string_view name) const { return explain(named(name)); }

  /// Checks that the image met fate `expected`.
  [[nodiscard]] expectation expect(const image_ref& who, fate expected) const {
    expectation e;
    e.subject_ = who;
    e.expected_ = expected;
    for (const auto& r : s_->policy.rules) e.priorities_.push_back(r.priority);
    if (!s_->errors.empty()) {
      e.error_ = "the repository has errors:";
      for (const auto& err : s_->errors) e.error_ += "\n  " + err;
      return e;
    }
    const auto i = find(who);
    if (!i) {
      e.error_ = who.by == image_ref::kind::name
                     ? "the repository has no image named '" + who.value + "'"
                     : "no image in the repository carries tag '" + who.value + "'";
      return e;
    }
    e.actual_ = s_->result.decisions[*i];
    e.explanation_ = explain_fate(s_->facts, *i, s_->names[*i]);
    return e;
  }
  /// Checks that the image is kept (neither expired nor transitioned).
  [[nodiscard]] expectation expect_kept(const image_ref& who) const {
    return expect(who, fate::keep);
  }
  /// Checks that the image called `name` is kept.
  [[nodiscard]] expectation expect_kept(std::string_view name) const {
    return expect(named(name), fate::keep);
  }
  /// Checks that the image is expired.
  [[nodiscard]] expectation expect_expired(const image_ref& who) const {
    return expect(who, fate::expire);
  }
  /// Checks that the image called `name` is expired.
  [[nodiscard]] expectation expect_expired(std::string_view name) const {
    return expect(named(name), fate::expire);
  }
  /// Checks that the image is transitioned to the archive storage class.
  [[nodiscard]] expectation expect_transitioned(const image_ref& who) const {
    return expect(who, fate::transition);
  }
  /// Checks that the image called `name` is transitioned to the archive storage class.
  [[nodiscard]] expectation expect_transitioned(std::string_view name) const {
    return expect(named(name), fate::transition);
  }

 private:
  /// Everything a run holds, on the heap so that `facts` (which refers to `policy` and `images`)
  /// stays valid when the run_result is copied or moved.
  struct state {
    state(lifecycle_policy p, std::vector<ecrlp::image> i, std::vector<std::string> n, timestamp t,
          std::vector<std::string> e)
        : policy(std::move(p)),
          images(std::move(i)),
          names(std::move(n)),
          now(t),
          errors(std::move(e)),
          result(evaluate(policy, images, {.now = now})),
          facts(policy, images, now) {}
    state(const state&) = delete;
    state& operator=(const state&) = delete;

    lifecycle_policy policy;
    std::vector<ecrlp::image> images;
    std::vector<std::string> names;
    timestamp now;
    std::vector<std::string> errors;
    evaluation_result result;
    explainer facts;
  };
  std::shared_ptr<const state> s_;
};

/// Evaluates `policy` over the repository at its `now`.
[[nodiscard]] inline run_result run(const lifecycle_policy& policy,
                                    const repository_builder& repo) {
  return run_result(policy, {repo.images().begin(), repo.images().end()},
                    {repo.names().begin(), repo.names().end()}, repo.now(), repo.errors());
}

/// Evaluates `policy` over images built by other means at `now`; images are named by digest.
[[nodiscard]] inline run_result run(const lifecycle_policy& policy,
                                    std::span<const ecrlp::image> images, timestamp now) {
  std::vector<std::string> names;
  names.reserve(images.size());
  for (const auto& img : images) names.push_back(img.digest);
  return run_result(policy, {images.begin(), images.end()}, std::move(names), now);
}

}  // namespace ecrlp::testing
