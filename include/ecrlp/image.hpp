// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/policy.hpp>
#include <ecrlp/time.hpp>

namespace ecrlp {

/// `imageStatus` of an ImageDetail.
enum class image_status : unsigned char {
  active,     ///< ACTIVE (or absent): standard storage class
  archived,   ///< ARCHIVED: archive storage class
  activating  ///< ACTIVATING: being restored; selected by no rule
};

/// API spelling of an image status ("ACTIVE", "ARCHIVED", "ACTIVATING").
[[nodiscard]] constexpr std::string_view to_string(image_status s) noexcept {
  switch (s) {
    case image_status::active:
      return "ACTIVE";
    case image_status::archived:
      return "ARCHIVED";
    case image_status::activating:
      return "ACTIVATING";
  }
  return "?";
}
/// Inverse of to_string(image_status) (exact, upper case); nullopt for unknown text.
[[nodiscard]] constexpr std::optional<image_status> parse_image_status(std::string_view s) noexcept {
  if (s == "ACTIVE") return image_status::active;
  if (s == "ARCHIVED") return image_status::archived;
  if (s == "ACTIVATING") return image_status::activating;
  return std::nullopt;
}

/// The storage class rules see for an image (ecrlp decision 3); nullopt for ACTIVATING.
[[nodiscard]] constexpr std::optional<storage_class> storage_class_of(image_status s) noexcept {
  switch (s) {
    case image_status::active:
      return storage_class::standard;
    case image_status::archived:
      return storage_class::archive;
    case image_status::activating:
      return std::nullopt;
  }
  return std::nullopt;
}

/// What kind of manifest an image is, from `imageManifestMediaType`.
enum class manifest_kind : unsigned char {
  image,  ///< a single image manifest, an artifact, or an unknown/absent media type
  index   ///< an image index or manifest list: it references other manifests (spec 2.7)
};

/// True for the media types of an image index or manifest list
/// (`application/vnd.oci.image.index.v1+json`, `application/vnd.docker.distribution.manifest.list.v2+json`).
[[nodiscard]] constexpr bool is_index_media_type(std::string_view media_type) noexcept {
  return media_type == "application/vnd.oci.image.index.v1+json" ||
         media_type == "application/vnd.docker.distribution.manifest.list.v2+json";
}

/// `imageScanFindingsSummary.findingSeverityCounts`.
struct finding_counts {
  std::uint64_t critical = 0;       ///< CRITICAL
  std::uint64_t high = 0;           ///< HIGH
  std::uint64_t medium = 0;         ///< MEDIUM
  std::uint64_t low = 0;            ///< LOW
  std::uint64_t informational = 0;  ///< INFORMATIONAL
  std::uint64_t undefined = 0;      ///< UNDEFINED

  /// Findings of every severity.
  [[nodiscard]] constexpr std::uint64_t total() const noexcept {
    return critical + high + medium + low + informational + undefined;
  }
  /// Adds `o`, severity by severity.
  constexpr finding_counts& operator+=(const finding_counts& o) noexcept {
    critical += o.critical;
    high += o.high;
    medium += o.medium;
    low += o.low;
    informational += o.informational;
    undefined += o.undefined;
    return *this;
  }
  /// Equal when every severity count is.
  friend constexpr bool operator==(const finding_counts&, const finding_counts&) = default;
};

/// One image (manifest digest) of a repository, with the ImageDetail fields the evaluator uses.
struct image {
  std::string digest;             ///< imageDigest, e.g. "sha256:..."
  std::vector<std::string> tags;  ///< imageTags; empty = untagged
  timestamp pushed_at{};          ///< imagePushedAt
  std::optional<timestamp> last_pulled_at;     ///< lastRecordedPullTime
  std::optional<timestamp> last_archived_at;   ///< lastArchivedAt
  std::optional<timestamp> last_activated_at;  ///< lastActivatedAt (last restore from archive)
  image_status status = image_status::active;  ///< imageStatus
  std::uint64_t size_bytes = 0;                ///< imageSizeInBytes
  manifest_kind manifest = manifest_kind::image;  ///< from imageManifestMediaType
  std::optional<finding_counts> findings;      ///< present when the image was scanned
  /// subjectManifestDigest: the image this one refers to, for referrers (signatures, SBOMs,
  /// attestations); empty for other images.
  std::string subject_digest;
};

/// Reference time for age and ranking: lastActivatedAt after a restore, else imagePushedAt
/// (spec 2.2 refTime).
[[nodiscard]] constexpr timestamp reference_time(const image& i) noexcept {
  return i.last_activated_at ? *i.last_activated_at : i.pushed_at;
}

/// Reference time for sinceImagePulled (spec 2.2 pullRef): the restore time when the image was
/// restored and not pulled since, else the last pull, else the push time.
[[nodiscard]] constexpr timestamp pull_reference_time(const image& i) noexcept {
  if (i.last_activated_at && (!i.last_pulled_at || *i.last_pulled_at < *i.last_activated_at)) {
    return *i.last_activated_at;
  }
  if (i.last_pulled_at) return *i.last_pulled_at;
  return i.pushed_at;
}

/// An image index (manifest list) and the manifests it lists, from its manifest as returned by
/// `aws ecr batch-get-image` (spec 2.7). Children of a live index are guarded from rules.
struct index_manifest {
  std::string digest;                  ///< the index's imageDigest
  std::vector<std::string> manifests;  ///< digests of the manifests it lists, in its order
};

/// A repository's images, as loaded from one or more describe-images pages.
struct inventory {
  std::vector<image> images;  ///< in input order (pages concatenated)
  /// repositoryName shared by the images ("" when the pages do not say).
  std::string repository_name;
  /// registryId shared by the images ("" when the pages do not say).
  std::string registry_id;
  /// Manifests of the repository's image indexes, when loaded (a registry snapshot or
  /// `--manifests`); empty when unknown, and then every image is evaluated on its own.
  std::vector<index_manifest> indexes;
};

}  // namespace ecrlp
