// SPDX-License-Identifier: MIT
#pragma once

// Private (lib/read/inventory): what one load collects over all its pages, and a mark of it taken
// before a page, to parse the page again from there (a windowed parse that gives up).

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/image.hpp>

#include "read/inventory/digest_table.hpp"
#include "read/inventory/limits.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecrlp::read::ingest {

struct image_origin {
  std::uint32_t page;
  std::uint32_t item;
};

struct page_info {
  std::string file;
  std::string_view prefix;  // "/imageDetails" or "" (bare array)
};

struct load_state {
  std::vector<diagnostic> diagnostics;
  std::string repository_name;  ///< repositoryName of the first image that has one
  std::string registry_id;      ///< registryId of the first image that has one
  std::string repository_where; ///< "image N of FILE" that set repository_name
  std::string registry_where;   ///< "image N of FILE" that set registry_id
  std::vector<image> images;
  std::vector<image_origin> origins;  // parallel to images
  std::vector<page_info> pages;
  digest_table digests;
  bool any_error = false;
  std::size_t items = 0;  ///< ImageDetails started so far, over all pages
  std::size_t max_items = max_images;
  /// inventory.next_token for the page read last, if it carries a nextToken.
  std::optional<diagnostic> next_token_warning;
};

}  // namespace ecrlp::read::ingest
