// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/image.hpp>

namespace ecrlp {

/// Parses one page of `aws ecr describe-images` output: `{"imageDetails": [...]}` (other top-level
/// members such as `nextToken` are ignored) or a bare array of ImageDetail objects. Streams through
/// the document once (simdjson on-demand); never builds a DOM. Timestamps may be epoch numbers
/// (CLI v1) or ISO-8601 strings with any offset (CLI v2). Diagnostics name the image index and field
/// as a JSON pointer (`/imageDetails/17/imagePushedAt`). `value` is set only when there is no error.
[[nodiscard]] parse_result<inventory> parse_inventory(std::string_view json,
                                                      std::string_view source_name = "<string>");

/// Reads and concatenates several pages (files), as given one after another. A digest that appears
/// twice (in one page or across pages) is an error. Unreadable files give the code `io.read`. A file
/// `-` is standard input, read once (a second `-` is empty), named `<stdin>` in diagnostics.
[[nodiscard]] parse_result<inventory> load_inventory(std::span<const std::filesystem::path> files);

}  // namespace ecrlp
