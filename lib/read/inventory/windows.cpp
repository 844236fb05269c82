// SPDX-License-Identifier: MIT
//
// Windowed parsing of large pages (page_parser.hpp, windows.hpp).
//
// simdjson On-Demand indexes a whole document before walking it: for a 1.3 GB page, the mapped
// text and its structural index alone are 1.7 GiB. A large page is therefore parsed in windows:
//
//  * the head of the page, up to and including the `[` of its ImageDetail array, must be exactly
//    `{ "imageDetails": [` (what the AWS CLI writes) or `[` (a bare array); anything else is
//    parsed whole;
//  * a window is the next ~4 MiB of the input, read into a reusable buffer and cut after its last
//    line break (a raw line break is never inside a JSON string), with a `]` appended. The first
//    window starts at the array's `[`; the next ones start at the `,` or `]` after the last
//    ImageDetail taken, behind a made-up `[0` (a dummy element, skipped);
//  * each window is indexed and walked by the same code as a whole page; an ImageDetail is taken
//    once it is complete, and one the window cuts through (the walk then fails inside it) is
//    undone (rewind_element) and read again at the start of the next window. A window in which
//    not one ImageDetail completes is read again twice as long;
//  * once the array's own `]` is inside a window, the rest of the page (nextToken, other
//    members, what follows the document) is parsed as a "skeleton": the head and that rest with
//    the ImageDetails left out, walked by parse_root as usual.
// Positions are input offsets throughout (segments_ map window pointers to them; line_counter
// reads the input itself), so every diagnostic is the one a whole parse gives. Anything a window
// cannot settle on its own, where a whole parse would look at the whole text first, makes the
// page be parsed whole after all, from a clean state (rewind_page): a syntax error, invalid
// UTF-8, an unclosed string, too deep nesting, too many errors or images, any error in the
// skeleton. Those pages cost a second pass and the whole text in memory, as before.

#include "read/inventory/page_parser.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

namespace ecrlp::read::ingest {
namespace {

struct page_head {
  std::size_t array_open = 0;  ///< offset of the `[` of the ImageDetail array
  bool bare = false;           ///< the page is a bare array
};

/// Recognizes `[` or `{ "imageDetails": [` (a UTF-8 BOM and blanks allowed) at the start.
std::optional<page_head> scan_head(std::string_view t) noexcept {
  std::size_t i = t.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  const auto blanks = [&] {
    while (i < t.size() && is_json_ws(t[i])) ++i;
  };
  blanks();
  if (i < t.size() && t[i] == '[') return page_head{i, true};
  if (i >= t.size() || t[i] != '{') return std::nullopt;
  ++i;
  blanks();
  constexpr std::string_view key = "\"imageDetails\"";
  if (t.substr(i, key.size()) != key) return std::nullopt;
  i += key.size();
  blanks();
  if (i >= t.size() || t[i] != ':') return std::nullopt;
  ++i;
  blanks();
  if (i >= t.size() || t[i] != '[') return std::nullopt;
  return page_head{i, false};
}

}  // namespace

page_parser::window_step page_parser::walk_window(od::parser& parser, std::size_t& next) {
  od::document doc;
  if (parser.iterate(text_.data(), text_.size(), text_.size() + simdjson::SIMDJSON_PADDING)
          .get(doc) != simdjson::SUCCESS) {
    return window_step::fallback;  // invalid UTF-8, an unclosed string, ...: a whole parse says
  }
  od::array elements;
  if (doc.get_array().get(elements) != simdjson::SUCCESS) return window_step::fallback;
  bool dummy = segments_.first_begin() != text_.data();  // the made-up `[0` of a later window
  std::size_t taken = 0;
  bool cut = false;
  for (auto element : elements) {
    od::value v;
    if (std::move(element).get(v) != simdjson::SUCCESS) {
      cut = true;
      break;
    }
    if (dummy) {
      dummy = false;
      continue;
    }
    const element_mark mark = mark_element();
    if (++st_.items > st_.max_items) return window_step::fallback;
    if (parse_image(v, next_item_) == flow::stop) {
      if (final_stop_) return window_step::fallback;
      rewind_element(mark);
      syntax_failed_ = false;
      cut = true;
      break;
    }
    ++next_item_;
    ++taken;
    // Where the element ends: the next token, a `,` or `]`. None means that the element took the
    // window's own `]`: it was cut short (only possible for an element that is not an object).
    const char* loc = nullptr;
    if (doc.current_location().get(loc) != simdjson::SUCCESS) return window_step::fallback;
    const auto offset = segments_.input_offset(loc);
    if (!offset) return window_step::fallback;
    next = *offset;
  }
  if (cut) return taken == 0 ? window_step::stalled : window_step::progress;
  // The array ended: at the window's own `]` (nothing follows), or at the page's.
  const char* loc = nullptr;
  const auto e = doc.current_location().get(loc);
  if (e == simdjson::OUT_OF_BOUNDS) return taken == 0 ? window_step::stalled : window_step::progress;
  if (e != simdjson::SUCCESS) return window_step::fallback;
  const char* close = loc;
  while (close > text_.data() && is_json_ws(close[-1])) --close;
  if (close == text_.data() || close[-1] != ']') return window_step::fallback;
  const auto offset = segments_.input_offset(close - 1);
  if (!offset) return window_step::fallback;
  next = *offset;
  return window_step::closed;
}

bool page_parser::run_windowed(od::parser& parser, window_buffer& buffer,
                               const window_options& options) {
  const std::size_t size = source_->size();
  std::string scratch;
  const auto head = scan_head(source_->view(0, std::min<std::size_t>(size, 4096), scratch));
  if (!head) return false;
  begin_page();
  mode_ = mode::window;
  prefix_ = head->bare ? "" : "/imageDetails";
  image_depth_ = head->bare ? 2 : 3;
  st_.pages[page_].prefix = prefix_;
  reserve_images(size);

  const std::size_t window_bytes = std::max<std::size_t>(options.window_bytes, 1);
  std::size_t start = head->array_open;
  bool first = true;
  std::size_t want = window_bytes;
  for (;;) {
    const window_read w = read_window(buffer, start, want, first);
    if (!w.ok) return false;
    if (w.no_line_break) {
      // No line break in the first 64 KiB: minified JSON, parsed whole (in one window it would
      // need a copy of the whole text).
      if (first && want >= minified_probe_bytes) return false;
      want *= 2;
      continue;
    }
    if ((parser.capacity() < text_.size() || parser.max_depth() < parser_depth) &&
        parser.allocate(std::max(text_.size(), parser.capacity()), parser_depth) !=
            simdjson::SUCCESS) {
      return false;
    }
    if (options.windows != nullptr) ++*options.windows;
    std::size_t next = start;
    const window_step step = walk_window(parser, next);
    doc_ = nullptr;
    switch (step) {
      case window_step::progress:
        start = next;
        first = false;
        want = window_bytes;
        break;
      case window_step::stalled:
        if (w.at_end) return false;
        want *= 2;
        break;
      case window_step::closed:
        return parse_skeleton(parser, head->array_open + 1, next);
      case window_step::fallback:
        return false;
    }
  }
}

page_parser::window_read page_parser::read_window(window_buffer& buffer, std::size_t start,
                                                  std::size_t want, bool first) {
  constexpr std::size_t front = 2;  // room for the made-up `[0`
  char* const base = buffer.reserve(front + want + 1 + simdjson::SIMDJSON_PADDING);
  if (base == nullptr) return {};
  char* const data = base + front;
  std::size_t n = 0;
  while (n < want) {
    const std::size_t got = source_->read(start + n, data + n, want - n);
    if (got == 0) break;
    n += got;
  }
  const bool at_end = n < want || start + n >= source_->size();
  if (!at_end) {
    const std::size_t line_break = std::string_view{data, n}.rfind('\n');
    if (line_break == std::string_view::npos) return {true, false, true};
    n = line_break + 1;
  }
  data[n] = ']';
  std::memset(data + n + 1, ' ', simdjson::SIMDJSON_PADDING);
  const char* begin = data;
  if (!first) {
    base[0] = '[';
    base[1] = '0';
    begin = base;
  }
  text_ = {begin, static_cast<std::size_t>(data + n + 1 - begin)};
  segments_.set(data, n, start);
  return {true, at_end, false};
}

/// The skeleton: the head up to the array's `[` (`head_bytes`), then everything from its `]` (at
/// `tail`) on, parsed as a page whose ImageDetail array is empty.
bool page_parser::parse_skeleton(od::parser& parser, std::size_t head_bytes, std::size_t tail) {
  const std::size_t tail_bytes = source_->size() - tail;
  simdjson::padded_string skeleton(head_bytes + tail_bytes);
  if (skeleton.data() == nullptr) return false;
  if (source_->read(0, skeleton.data(), head_bytes) != head_bytes ||
      source_->read(tail, skeleton.data() + head_bytes, tail_bytes) != tail_bytes) {
    return false;
  }
  mode_ = mode::skeleton;
  text_ = {skeleton.data(), skeleton.size()};
  segments_.set_two(skeleton.data(), skeleton.data() + head_bytes,
                    skeleton.data() + skeleton.size(), tail);
  const std::size_t errors_before = errors_;
  parse_text(parser);
  doc_ = nullptr;
  text_ = {};
  segments_.clear();
  return !syntax_failed_ && !final_stop_ && errors_ == errors_before;
}

void page_parser::rewind_element(const element_mark& m) {
  st_.diagnostics.resize(m.diagnostics);
  errors_ = m.errors;
  st_.items = m.items;
  st_.any_error = m.any_error;
  if (m.repository_unset) {
    st_.repository_where.clear();
    st_.repository_name.clear();
  }
  if (m.registry_unset) {
    st_.registry_where.clear();
    st_.registry_id.clear();
  }
}

namespace {

/// The load state before a page, to parse the page again from there (a windowed parse that
/// gives up).
struct page_mark {
  std::size_t diagnostics;
  std::size_t images;
  std::size_t pages;
  std::size_t items;
  bool any_error;
  std::string repository_name;
  std::string registry_id;
  std::string repository_where;
  std::string registry_where;
};

page_mark mark_page(const load_state& st) {
  return {st.diagnostics.size(), st.images.size(), st.pages.size(), st.items, st.any_error,
          st.repository_name, st.registry_id, st.repository_where, st.registry_where};
}

void rewind_page(load_state& st, page_mark& m) {
  st.diagnostics.resize(m.diagnostics);
  if (st.images.size() > m.images) {
    st.images.resize(m.images);
    st.origins.resize(m.images);
    st.digests.rebuild(st.images);
  }
  st.pages.resize(m.pages);
  st.items = m.items;
  st.any_error = m.any_error;
  st.repository_name = std::move(m.repository_name);
  st.registry_id = std::move(m.registry_id);
  st.repository_where = std::move(m.repository_where);
  st.registry_where = std::move(m.registry_where);
}

}  // namespace

bool parse_windowed(load_state& st, od::parser& parser, window_buffer& buffer,
                    std::string_view name, text_source& source, const window_options& options) {
  if (options.window_bytes == 0 || source.size() < options.threshold ||
      source.size() > max_input_bytes) {
    return false;
  }
  page_mark mark = mark_page(st);
  page_parser pp{st, name, source};
  if (pp.run_windowed(parser, buffer, options)) return true;
  rewind_page(st, mark);
  if (options.fallbacks != nullptr) ++*options.fallbacks;
  return false;
}

}  // namespace ecrlp::read::ingest
