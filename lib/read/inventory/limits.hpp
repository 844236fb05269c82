// SPDX-License-Identifier: MIT
#pragma once

// Private (lib/read/inventory): the limits of the inventory reader (docs/limits.md lists them with
// their codes) and the sizes of windowed parsing.

#include <simdjson.h>

#include <cstddef>
#include <cstdint>

namespace ecrlp::read::ingest {

namespace od = simdjson::ondemand;
using simdjson::error_code;

/// Largest document accepted: simdjson's own limit (SIMDJSON_MAXSIZE_BYTES, 4 GiB - 1).
constexpr std::size_t max_input_bytes = simdjson::SIMDJSON_MAXSIZE_BYTES;
/// Deepest nesting of arrays/objects accepted (the root container is depth 1). Same as simdjson's
/// DOM default; real describe-images output never exceeds 5.
constexpr std::size_t max_nesting = 1024;
/// The depth simdjson's parser is sized for. On-Demand has no depth limit of its own, but with
/// development checks (debug builds) it keeps one slot per level up to max_depth(): leave room
/// above the limit skip_value enforces.
constexpr std::size_t parser_depth = max_nesting + 8;
/// Errors collected per file before one inventory.too_many_errors diagnostic ends the file.
constexpr std::size_t max_errors_per_file = 100;
/// imageSizeInBytes is a `long` in the API model.
constexpr std::uint64_t max_size_bytes = static_cast<std::uint64_t>(INT64_MAX);
/// Most ImageDetails one load accepts, over all pages: 100 times ECR's default quota of images per
/// repository (100,000, adjustable). An image costs about 200 bytes in memory plus its strings.
constexpr std::size_t max_images = 10'000'000;
/// Longest tag: ECR's ImageTag is 1..300 characters.
constexpr std::size_t max_tag_length = 300;
/// Most tags per image: ECR refuses the 1,001st ("exceeds the maximum allowed number of tags per
/// image which is '1000'").
constexpr std::size_t max_tags_per_image = 1'000;
/// Longest digest: sha256 digests have 71 characters, sha512 ones 135.
constexpr std::size_t max_digest_length = 1'024;

/// Windowed parsing (page_parser::run_windowed): bytes read per window. 1 to 16 MiB windows ingest
/// at the same speed (bench/memory.sh); 4 MiB keeps a window and its structural index in the
/// last-level cache of most machines and costs ~10 MiB of memory in all.
constexpr std::size_t default_window_bytes = std::size_t{4} << 20;
/// Inputs smaller than this are parsed whole, in one pass: their text and its index are small.
/// One window's worth: from there on, windows are faster than one pass (a 13 MB page of 10k
/// images: `ecrlp preview` 11% faster), as the window and its index stay in the caches while a
/// whole page's index is fresh memory the kernel must zero first.
constexpr std::size_t window_threshold = std::size_t{4} << 20;
/// A page without a line break in its first 64 KiB is parsed whole (see run_windowed).
constexpr std::size_t minified_probe_bytes = std::size_t{64} << 10;

}  // namespace ecrlp::read::ingest
