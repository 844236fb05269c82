// SPDX-License-Identifier: MIT
//
// The document of a page (page_parser.hpp): the text's encoding and syntax, the root (an object
// with imageDetails, or a bare array), the ImageDetail array, and skip_value, which walks and
// checks every member nobody reads. Ignored members are walked, not skipped blindly by simdjson,
// so that their scalars are validated like the rest of the document and so that nesting deeper
// than max_nesting is reported (On-Demand itself has no depth limit) instead of walked forever.

#include "read/inventory/page_parser.hpp"

#include "support/memory.hpp"

#include <algorithm>
#include <string>

namespace ecrlp::read::ingest {

bool page_parser::prepare_parser(od::parser& parser, std::size_t body_size) {
  if (parser.capacity() < body_size || parser.max_depth() < parser_depth) {
    if (const auto e =
            parser.allocate(std::max<std::size_t>(body_size, parser.capacity()), parser_depth)) {
      (void)error("io.too_large", {},
                  std::string{"cannot parse the file: "} + simdjson::error_message(e), nullptr);
      return false;
    }
  }
  return true;
}

void page_parser::parse_text(od::parser& parser) {
  if (text_.size() > max_input_bytes) {
    (void)error("io.too_large", {},
                "the input is " + std::to_string(text_.size()) + " bytes; at most " +
                    std::to_string(max_input_bytes) + " bytes are accepted",
                nullptr);
    return;
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(text_.data());
  if (text_.size() >= 2 &&
      ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) ||
       bytes[0] == 0 || bytes[1] == 0)) {
    (void)error("inventory.utf8", {},
                "the file looks like UTF-16 (for example PowerShell's `>` redirection); save it as "
                "UTF-8",
                text_.data());
    return;
  }
  std::size_t skip = 0;
  if (text_.size() >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) skip = 3;

  od::document doc;
  const std::string_view body = text_.substr(skip);
  if (!prepare_parser(parser, body.size())) return;
  // The caller guarantees SIMDJSON_PADDING readable bytes after text_.
  const error_code e =
      parser.iterate(body.data(), body.size(), body.size() + simdjson::SIMDJSON_PADDING).get(doc);
  if (e) {
    iterate_failed(e);
    return;
  }
  doc_ = &doc;
  if (parse_root() == flow::stop) return;
  // Anything after the top-level value?
  const char* loc = nullptr;
  if (doc.current_location().get(loc) == simdjson::SUCCESS && loc != nullptr) {
    (void)syntax_at("unexpected content after the end of the JSON document", {}, loc);
  }
}

flow page_parser::parse_root() {
  od::json_type t{};
  if (const auto e = doc_->type().get(t)) {
    (void)error("inventory.syntax", {},
                std::string{"this is not JSON [simdjson: "} + simdjson::error_message(e) + "]",
                first_token());
    return flow::stop;
  }
  if (t == od::json_type::array) {
    prefix_ = "";
    image_depth_ = 2;
    st_.pages[page_].prefix = "";
    od::array details;
    if (const auto e = doc_->get_array().get(details)) return syntax(e);
    return parse_details(details);
  }
  if (t != od::json_type::object) {
    (void)error("inventory.shape", {},
                "the top level is " + std::string{type_name(t)} +
                    "; expected describe-images output: an object with an imageDetails array, "
                    "or an array of ImageDetail objects",
                first_token());
    return flow::stop;
  }
  prefix_ = "/imageDetails";
  image_depth_ = 3;
  st_.pages[page_].prefix = "/imageDetails";
  od::object root;
  if (const auto e = doc_->get_object().get(root)) return syntax(e);
  bool seen_details = false;
  for (auto member : root) {
    od::field f;
    if (const auto e = std::move(member).get(f)) return syntax(e);
    std::string_view key;
    if (const auto e = read_key(f, key)) return syntax(e);
    if (parse_root_member(key, f.value(), seen_details) == flow::stop) return flow::stop;
  }
  if (!seen_details) {
    return error("inventory.shape", "",
                 "the top-level object has no imageDetails member: this is not describe-images "
                 "output",
                 text_.data());
  }
  return flow::go;
}

/// One member of the root object: the ImageDetail array, nextToken, or a member nobody reads.
flow page_parser::parse_root_member(std::string_view key, od::value& v, bool& seen_details) {
  if (key == "imageDetails") {
    const char* at = v.raw_json_token().data();
    if (seen_details) {
      if (error("inventory.shape", "/imageDetails",
                "imageDetails appears twice in the top-level object", at) == flow::stop) {
        return flow::stop;
      }
      return skip_value(v, 2);
    }
    seen_details = true;
    od::json_type dt{};
    if (const auto e = v.type().get(dt)) return syntax(e);
    if (dt != od::json_type::array) {
      if (error("inventory.shape", "/imageDetails",
                "imageDetails must be an array, not " + std::string{type_name(dt)},
                at) == flow::stop) {
        return flow::stop;
      }
      return skip_value(v, 2);
    }
    od::array details;
    if (const auto e = v.get_array().get(details)) return syntax(e);
    return parse_details(details);
  }
  if (key == "nextToken") {
    od::json_type nt{};
    if (const auto e = v.type().get(nt)) return syntax(e);
    if (nt != od::json_type::string) return skip_value(v, 2);
    const char* at = v.raw_json_token().data();
    std::string_view token;
    if (const auto e = read_string(v, token)) return syntax(e, "/nextToken", at);
    if (!token.empty()) {
      st_.next_token_warning =
          make(severity::warning, "inventory.next_token", "/nextToken",
               "this page has a nextToken, so describe-images has more pages; images missing "
               "from the inventory change the simulation (pass every page in order, or let "
               "the AWS CLI paginate automatically)",
               at);
    }
    return flow::go;
  }
  return skip_value(v, 2);
}

void page_parser::reserve_images(std::size_t text_bytes) {
  // A rough guess (pretty-printed CLI v2 output is ~1 KB per image) saves most reallocations.
  const std::size_t guess = st_.images.size() + text_bytes / 1024 + 16;
  if (st_.images.capacity() < guess) {
    st_.images.reserve(guess);
    support::advise_huge_pages(st_.images.data(), st_.images.capacity() * sizeof(image));
    st_.origins.reserve(guess);
    st_.digests.reserve(st_.images, guess);
  }
}

flow page_parser::parse_details(od::array& details) {
  if (mode_ == mode::skeleton) {
    // The ImageDetails were parsed window by window; the skeleton's array is empty.
    for (auto element : details) {
      (void)element;
      syntax_failed_ = true;
      return flow::stop;
    }
    return flow::go;
  }
  reserve_images(text_.size());
  std::uint32_t item = 0;
  for (auto element : details) {
    od::value v;
    if (const auto e = std::move(element).get(v)) return syntax(e);
    if (++st_.items > st_.max_items) {
      (void)error("inventory.too_many_images", item_pointer(item),
                  "more than " + std::to_string(st_.max_items) +
                      " ImageDetails (over all pages); the rest was not read",
                  v.raw_json_token().data());
      st_.any_error = true;
      return flow::stop;
    }
    if (parse_image(v, item) == flow::stop) return flow::stop;
    ++item;
  }
  return flow::go;
}

flow page_parser::skip_value(od::value& v, std::size_t depth) {
  od::json_type t{};
  if (const auto e = v.type().get(t)) return syntax(e);
  switch (t) {
    case od::json_type::array: {
      if (depth > max_nesting) return too_deep(v);
      od::array a;
      if (const auto e = v.get_array().get(a)) return syntax(e);
      for (auto element : a) {
        od::value x;
        if (const auto e = std::move(element).get(x)) return syntax(e);
        if (skip_value(x, depth + 1) == flow::stop) return flow::stop;
      }
      return flow::go;
    }
    case od::json_type::object: {
      if (depth > max_nesting) return too_deep(v);
      od::object o;
      if (const auto e = v.get_object().get(o)) return syntax(e);
      for (auto field : o) {
        od::field f;
        if (const auto e = std::move(field).get(f)) return syntax(e);
        std::string_view key;
        if (const auto e = read_key(f, key)) return syntax(e);
        if (skip_value(f.value(), depth + 1) == flow::stop) return flow::stop;
      }
      return flow::go;
    }
    case od::json_type::string: {
      std::string_view s;
      if (const auto e = read_string(v, s)) return syntax(e, {}, v.raw_json_token().data());
      return flow::go;
    }
    case od::json_type::number: {
      const std::string_view raw = trim_right(v.raw_json_token());
      if (!is_json_number(raw)) {
        return syntax_at("invalid number " + quoted(raw), {}, raw.data());
      }
      return flow::go;
    }
    case od::json_type::boolean:
    case od::json_type::null: {
      const std::string_view raw = trim_right(v.raw_json_token());
      if (raw != "true" && raw != "false" && raw != "null") {
        return syntax_at("invalid literal " + quoted(raw) + " (expected true, false or null)", {},
                         raw.data());
      }
      return flow::go;
    }
  }
  return flow::go;
}

}  // namespace ecrlp::read::ingest
