// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecrlp {

/// `selection.tagStatus`.
enum class tag_status : unsigned char { tagged, untagged, any };

/// `selection.countType`.
enum class count_type : unsigned char {
  image_count_more_than,    ///< imageCountMoreThan: keep the newest N
  since_image_pushed,       ///< sinceImagePushed: age since push (or restore)
  since_image_pulled,       ///< sinceImagePulled: age since last pull (transition only)
  since_image_transitioned  ///< sinceImageTransitioned: age in archive (archive class, expire only)
};

/// `selection.storageClass` / `action.targetStorageClass`.
enum class storage_class : unsigned char { standard, archive };

/// `action.type`.
enum class action_type : unsigned char { expire, transition };

/// Which tag list a tagged rule carries.
enum class tag_list_kind : unsigned char {
  none,    ///< no list (untagged and any rules)
  prefix,  ///< tagPrefixList: literal prefixes
  pattern  ///< tagPatternList: anchored globs where `*` matches any run
};

/// Policy-document spelling of each enumerator ("tagged", "imageCountMoreThan", "archive", ...).
[[nodiscard]] constexpr std::string_view to_string(tag_status v) noexcept {
  switch (v) {
    case tag_status::tagged:
      return "tagged";
    case tag_status::untagged:
      return "untagged";
    case tag_status::any:
      return "any";
  }
  return "?";
}
/// Policy-document spelling of a count type ("imageCountMoreThan", "sinceImagePushed", ...).
[[nodiscard]] constexpr std::string_view to_string(count_type v) noexcept {
  switch (v) {
    case count_type::image_count_more_than:
      return "imageCountMoreThan";
    case count_type::since_image_pushed:
      return "sinceImagePushed";
    case count_type::since_image_pulled:
      return "sinceImagePulled";
    case count_type::since_image_transitioned:
      return "sinceImageTransitioned";
  }
  return "?";
}
/// Policy-document spelling of a storage class ("standard", "archive").
[[nodiscard]] constexpr std::string_view to_string(storage_class v) noexcept {
  return v == storage_class::archive ? "archive" : "standard";
}
/// Policy-document spelling of an action type ("expire", "transition").
[[nodiscard]] constexpr std::string_view to_string(action_type v) noexcept {
  return v == action_type::transition ? "transition" : "expire";
}
/// The policy member holding the list ("tagPrefixList", "tagPatternList"; "none" for none).
[[nodiscard]] constexpr std::string_view to_string(tag_list_kind v) noexcept {
  switch (v) {
    case tag_list_kind::none:
      return "none";
    case tag_list_kind::prefix:
      return "tagPrefixList";
    case tag_list_kind::pattern:
      return "tagPatternList";
  }
  return "?";
}

/// Inverse of to_string (exact, case-sensitive, as ECR's schema is); nullopt for unknown text.
[[nodiscard]] constexpr std::optional<tag_status> parse_tag_status(std::string_view s) noexcept {
  if (s == "tagged") return tag_status::tagged;
  if (s == "untagged") return tag_status::untagged;
  if (s == "any") return tag_status::any;
  return std::nullopt;
}
/// Inverse of to_string(count_type); nullopt for unknown text.
[[nodiscard]] constexpr std::optional<count_type> parse_count_type(std::string_view s) noexcept {
  if (s == "imageCountMoreThan") return count_type::image_count_more_than;
  if (s == "sinceImagePushed") return count_type::since_image_pushed;
  if (s == "sinceImagePulled") return count_type::since_image_pulled;
  if (s == "sinceImageTransitioned") return count_type::since_image_transitioned;
  return std::nullopt;
}
/// Inverse of to_string(storage_class); nullopt for unknown text.
[[nodiscard]] constexpr std::optional<storage_class> parse_storage_class(std::string_view s) noexcept {
  if (s == "standard") return storage_class::standard;
  if (s == "archive") return storage_class::archive;
  return std::nullopt;
}
/// Inverse of to_string(action_type); nullopt for unknown text.
[[nodiscard]] constexpr std::optional<action_type> parse_action_type(std::string_view s) noexcept {
  if (s == "expire") return action_type::expire;
  if (s == "transition") return action_type::transition;
  return std::nullopt;
}

/// True for the three `since*` count types (those that take `countUnit: "days"`).
[[nodiscard]] constexpr bool is_age_limit(count_type t) noexcept {
  return t != count_type::image_count_more_than;
}

/// The `selection` object of a rule.
struct selection {
  tag_status status = tag_status::any;             ///< tagStatus
  tag_list_kind list_kind = tag_list_kind::none;  ///< which list tag_list is (tagged rules only)
  std::vector<std::string> tag_list;  ///< prefixes or patterns, per list_kind; ANDed
  storage_class storage = storage_class::standard;
  count_type type = count_type::image_count_more_than;  ///< countType
  std::int64_t count_number = 1;  ///< images to keep, or days
};

/// The `action` object of a rule. A transition always targets the archive class.
struct rule_action {
  action_type type = action_type::expire;  ///< action.type
};

/// One lifecycle rule.
struct rule {
  std::int64_t priority = 1;  ///< rulePriority: lower number = applied first
  std::string description;      ///< description (free text; may be empty)
  struct selection selection;  ///< selection
  rule_action action;          ///< action
  /// Position of the rule in the document's `rules` array; used only to build JSON pointers.
  std::size_t source_index = 0;
};

/// A lifecycle policy document. Rules keep their document order; evaluation orders them by priority.
struct lifecycle_policy {
  std::vector<rule> rules;  ///< rules, in document order
};

}  // namespace ecrlp
