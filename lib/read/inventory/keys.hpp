// SPDX-License-Identifier: MIT
#pragma once

// Private (lib/read/inventory): the member names of an ImageDetail and of findingSeverityCounts,
// dispatched on their length first (one comparison for every known key, usually none for
// unknown ones).

#include <ecrlp/image.hpp>

#include <cstdint>
#include <string_view>

namespace ecrlp::read::ingest {

enum class image_key : unsigned char {
  unknown,
  digest,
  tags,
  pushed_at,
  size,
  pulled_at,
  status,
  archived_at,
  activated_at,
  findings,
  media_type,
  subject,
  repository,
  registry
};

/// Dispatch on length first: one comparison for every known key, usually none for unknown ones.
[[nodiscard]] constexpr image_key classify_image_key(std::string_view k) noexcept {
  switch (k.size()) {
    case 9:
      return k == "imageTags" ? image_key::tags : image_key::unknown;
    case 11:
      if (k[5] == 'D') return k == "imageDigest" ? image_key::digest : image_key::unknown;
      return k == "imageStatus" ? image_key::status : image_key::unknown;
    case 13:
      return k == "imagePushedAt" ? image_key::pushed_at : image_key::unknown;
    case 10:
      return k == "registryId" ? image_key::registry : image_key::unknown;
    case 14:
      if (k[0] == 'r') return k == "repositoryName" ? image_key::repository : image_key::unknown;
      return k == "lastArchivedAt" ? image_key::archived_at : image_key::unknown;
    case 15:
      return k == "lastActivatedAt" ? image_key::activated_at : image_key::unknown;
    case 16:
      return k == "imageSizeInBytes" ? image_key::size : image_key::unknown;
    case 20:
      return k == "lastRecordedPullTime" ? image_key::pulled_at : image_key::unknown;
    case 21:
      return k == "subjectManifestDigest" ? image_key::subject : image_key::unknown;
    case 22:
      return k == "imageManifestMediaType" ? image_key::media_type : image_key::unknown;
    case 24:
      return k == "imageScanFindingsSummary" ? image_key::findings : image_key::unknown;
    default:
      return image_key::unknown;
  }
}

[[nodiscard]] constexpr std::string_view key_name(image_key k) noexcept {
  switch (k) {
    case image_key::digest:
      return "imageDigest";
    case image_key::tags:
      return "imageTags";
    case image_key::pushed_at:
      return "imagePushedAt";
    case image_key::size:
      return "imageSizeInBytes";
    case image_key::pulled_at:
      return "lastRecordedPullTime";
    case image_key::status:
      return "imageStatus";
    case image_key::archived_at:
      return "lastArchivedAt";
    case image_key::activated_at:
      return "lastActivatedAt";
    case image_key::findings:
      return "imageScanFindingsSummary";
    case image_key::media_type:
      return "imageManifestMediaType";
    case image_key::subject:
      return "subjectManifestDigest";
    case image_key::repository:
      return "repositoryName";
    case image_key::registry:
      return "registryId";
    case image_key::unknown:
      break;
  }
  return "?";
}

/// Index (0..5) of a findingSeverityCounts key, or -1 for a severity ecrlp does not know.
[[nodiscard]] constexpr int severity_index(std::string_view k) noexcept {
  switch (k.size()) {
    case 3:
      return k == "LOW" ? 3 : -1;
    case 4:
      return k == "HIGH" ? 1 : -1;
    case 6:
      return k == "MEDIUM" ? 2 : -1;
    case 8:
      return k == "CRITICAL" ? 0 : -1;
    case 9:
      return k == "UNDEFINED" ? 5 : -1;
    case 13:
      return k == "INFORMATIONAL" ? 4 : -1;
    default:
      return -1;
  }
}

[[nodiscard]] constexpr std::uint64_t& severity_slot(finding_counts& c, int index) noexcept {
  switch (index) {
    case 0:
      return c.critical;
    case 1:
      return c.high;
    case 2:
      return c.medium;
    case 3:
      return c.low;
    case 4:
      return c.informational;
    default:
      return c.undefined;
  }
}

}  // namespace ecrlp::read::ingest
