// SPDX-License-Identifier: MIT
#pragma once

// Private: test and benchmark hooks of the inventory reader (lib/read/inventory/), declared once
// for the tests (tests/inventory_parser_test.cpp, tests/hostile_test.cpp) and
// bench/ingest_rss.cpp. Not part of the installed API; the definitions are in
// lib/read/inventory/load.cpp (external linkage).

#include <cstddef>
#include <filesystem>
#include <span>
#include <string_view>

#include <ecrlp/inventory_parser.hpp>

namespace ecrlp::detail {

/// parse_inventory with another limit on the number of ImageDetails, so that the tests can reach
/// inventory.too_many_images without a 500 MB input.
[[nodiscard]] parse_result<inventory> parse_inventory_limited(std::string_view json,
                                                              std::string_view source_name,
                                                              std::size_t max_items);

/// parse_inventory with windows of `window_bytes` bytes whatever the input's size (threshold 0),
/// or every page parsed whole when `window_bytes` is 0. `windows` counts the windows parsed,
/// `fallbacks` the pages that were parsed whole after all.
[[nodiscard]] parse_result<inventory> parse_inventory_windowed(std::string_view json,
                                                               std::string_view source_name,
                                                               std::size_t window_bytes,
                                                               std::size_t& windows,
                                                               std::size_t& fallbacks);

/// load_inventory with windows as parse_inventory_windowed (window_bytes 0 = every page whole).
[[nodiscard]] parse_result<inventory> load_inventory_windowed(
    std::span<const std::filesystem::path> files, std::size_t window_bytes, std::size_t& windows,
    std::size_t& fallbacks);

}  // namespace ecrlp::detail
