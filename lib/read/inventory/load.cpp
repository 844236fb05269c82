// SPDX-License-Identifier: MIT
//
// describe-images pages -> ecrlp::inventory, in one streaming pass with simdjson On-Demand (no
// DOM). docs/inventory-format.md describes what is read and every diagnostic code.
//
// The steps, one file each in lib/read/inventory/:
//   load.cpp            parse_inventory and load_inventory: the pages of one load, from memory,
//                       files (read through lib/read/input) or standard input, and the result
//   windows.cpp         pages of 4 MiB or more, parsed in windows of whole ImageDetails, so that
//                       neither the text nor simdjson's index of it is ever in memory whole
//   page_walk.cpp       one page: encoding, syntax, the root, the ImageDetail array, the members
//                       nobody reads
//   image_detail.cpp    one ImageDetail and its fields (the hot path)
//   page_reporting.cpp  diagnostics and their positions (line_counter, positions.cpp: computed only
//                       when a diagnostic is emitted, incrementally)
//   digest_table.hpp    the duplicate-digest check over all pages
//   scalars, keys, text_source, limits: the grammar of values, member names, where bytes come
//                       from, the limits
// Performance notes (a 100,000-image export is ~130 MB pretty-printed): fields are dispatched on
// their raw (still escaped) key by length, then compared; strings without backslashes are taken
// straight from the input buffer, and each std::string an image keeps is constructed exactly once.

#include <ecrlp/inventory_parser.hpp>

#include "read/inventory/hooks.hpp"  // the test and benchmark hooks defined here
#include "read/inventory/page_parser.hpp"

#include "read/input.hpp"

#include <simdjson.h>

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <utility>

namespace ecrlp {
namespace read::ingest {
namespace {

static_assert(simdjson::SIMDJSON_PADDING <= read::input_padding,
              "input_text must leave the padding simdjson reads past a text");

parse_result<inventory> finish(load_state& st) {
  parse_result<inventory> result;
  // Only the last page's nextToken matters: earlier ones are answered by the pages after them.
  if (st.next_token_warning) st.diagnostics.push_back(std::move(*st.next_token_warning));
  result.diagnostics = std::move(st.diagnostics);
  if (!st.any_error && !has_errors(result.diagnostics)) {
    result.value = inventory{std::move(st.images), std::move(st.repository_name),
                             std::move(st.registry_id), {}};
  }
  return result;
}

parse_result<inventory> parse_text_inventory(std::string_view json, std::string_view source_name,
                                             std::size_t max_items,
                                             const window_options& options) {
  load_state st;
  st.max_items = max_items;
  od::parser parser;
  if (json.size() > max_input_bytes) {
    page_parser{st, source_name, json}.run(parser);  // reports io.too_large without reading
    return finish(st);
  }
  {
    memory_source source{json};
    window_buffer buffer;
    if (parse_windowed(st, parser, buffer, source_name, source, options)) return finish(st);
  }
  const simdjson::padded_string padded(json.data(), json.size());
  if (padded.data() == nullptr && !json.empty()) {
    diagnostic d;
    d.code = "io.too_large";
    d.message = "not enough memory to copy " + std::to_string(json.size()) + " bytes";
    d.file = std::string{source_name};
    st.diagnostics.push_back(std::move(d));
    st.any_error = true;
    return finish(st);
  }
  page_parser{st, source_name, std::string_view{padded.data(), padded.size()}}.run(parser);
  return finish(st);
}

/// The io.* messages of load_inventory.
std::string inventory_io_wording(const read::input_failure& f, std::string_view /*name*/) {
  switch (f.problem) {
    case read::input_problem::status:
    case read::input_problem::size:
    case read::input_problem::read:
      return "cannot read the file: " + f.reason;
    case read::input_problem::directory:
      return "is a directory, not a file";
    case read::input_problem::too_large:
      return "the file is " + std::to_string(f.size) + " bytes; at most " +
             std::to_string(f.limit) + " bytes are accepted";
    case read::input_problem::grew:
      return "the input is larger than " + std::to_string(f.limit) + " bytes";
    case read::input_problem::open:
      return "cannot open the file: " + f.reason;
    case read::input_problem::no_memory:
      return "not enough memory to read " + std::to_string(f.size) + " bytes";
  }
  return "cannot read the file";
}

/// One page of load_inventory: a file, or standard input for "-". A regular file of 4 MiB or more
/// is read in windows with pread(); smaller ones are mapped whole. Standard input (any stream)
/// is read once into one buffer, then parsed from memory like parse_inventory's text.
void load_page(load_state& st, od::parser& parser, window_buffer& window,
               const std::filesystem::path& path, const window_options& options) {
  const std::string name = read::input_name(path);
  read::input_failure failure;
  auto file = read::input_file::open(path, {.max_bytes = max_input_bytes}, failure);
  if (file && file->regular() && file->size() > 0) {
    file_source source{*file};
    if (parse_windowed(st, parser, window, name, source, options)) return;
  }
  read::input_text text;
  if (!file || !file->read_all(text, failure, /*map=*/true)) {
    st.diagnostics.push_back(read::io_diagnostic(failure, name, inventory_io_wording));
    st.any_error = true;
    st.next_token_warning.reset();
    st.pages.push_back(page_info{name, {}});
    return;
  }
  if (!file->regular()) {
    memory_source source{text.view()};
    if (parse_windowed(st, parser, window, name, source, options)) return;
  }
  page_parser{st, name, text.view()}.run(parser);  // input_text is padded
}

parse_result<inventory> load_files(std::span<const std::filesystem::path> files,
                                   const window_options& options) {
  load_state st;
  od::parser parser;
  window_buffer window;
  for (const auto& path : files) load_page(st, parser, window, path, options);
  return finish(st);
}

}  // namespace
}  // namespace read::ingest

using read::ingest::load_files;
using read::ingest::max_images;
using read::ingest::parse_text_inventory;
using read::ingest::window_options;

parse_result<inventory> parse_inventory(std::string_view json, std::string_view source_name) {
  return parse_text_inventory(json, source_name, max_images, window_options{});
}

parse_result<inventory> detail::parse_inventory_limited(std::string_view json,
                                                        std::string_view source_name,
                                                        std::size_t max_items) {
  return parse_text_inventory(json, source_name, max_items, window_options{});
}

parse_result<inventory> detail::parse_inventory_windowed(std::string_view json,
                                                         std::string_view source_name,
                                                         std::size_t window_bytes,
                                                         std::size_t& windows,
                                                         std::size_t& fallbacks) {
  return parse_text_inventory(json, source_name, max_images,
                              window_options{window_bytes, 0, &windows, &fallbacks});
}

parse_result<inventory> load_inventory(std::span<const std::filesystem::path> files) {
  return load_files(files, window_options{});
}

parse_result<inventory> detail::load_inventory_windowed(
    std::span<const std::filesystem::path> files, std::size_t window_bytes, std::size_t& windows,
    std::size_t& fallbacks) {
  return load_files(files, window_options{window_bytes, 0, &windows, &fallbacks});
}

}  // namespace ecrlp
