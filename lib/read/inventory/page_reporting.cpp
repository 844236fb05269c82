// SPDX-License-Identifier: MIT
//
// The diagnostics of a page (page_parser.hpp): the error count of a file, the position of each
// diagnostic in the input, and syntax errors explained (simdjson gives a code and at most a place;
// the message says what is probably wrong). Only the error path comes here.

#include "read/inventory/page_parser.hpp"

#include <cstring>
#include <string>
#include <utility>

namespace ecrlp::read::ingest {

flow page_parser::report(severity level, std::string_view code, std::string pointer,
                         std::string message, const char* at) {
  if (level == severity::error) {
    st_.any_error = true;
    if (errors_ >= max_errors_per_file) {
      final_stop_ = true;
      push(severity::error, "inventory.too_many_errors", "",
           "more than " + std::to_string(max_errors_per_file) +
               " errors in this file; the rest of it was not checked",
           nullptr);
      return flow::stop;
    }
    ++errors_;
  }
  push(level, code, std::move(pointer), std::move(message), at);
  return flow::go;
}

diagnostic page_parser::make(severity level, std::string_view code, std::string pointer,
                             std::string message, const char* at) {
  diagnostic d;
  d.level = level;
  d.code = std::string{code};
  d.pointer = std::move(pointer);
  d.message = std::move(message);
  d.file = std::string{file_};
  if (at != nullptr) {
    if (const auto offset = segments_.input_offset(at)) {
      d.byte = *offset;
      lines_.locate(d.byte, d.line, d.column);
    }
  }
  return d;
}

void page_parser::iterate_failed(error_code e) {
  switch (e) {
    case simdjson::EMPTY:
      (void)error("inventory.empty", {},
                  "the file is empty (or only whitespace): expected describe-images output",
                  nullptr);
      return;
    case simdjson::UTF8_ERROR: {
      const std::size_t at = first_invalid_utf8(text_);
      (void)error("inventory.utf8", {}, "the file is not valid UTF-8 (first bad byte here)",
                  at == std::string_view::npos ? nullptr : text_.data() + at);
      return;
    }
    case simdjson::UNESCAPED_CHARS:
    case simdjson::UNCLOSED_STRING: {
      const bool unclosed = e == simdjson::UNCLOSED_STRING;
      const std::size_t at = locate_string_problem(text_, unclosed);
      (void)error("inventory.syntax", {},
                  std::string{unclosed ? "a string is never closed (truncated file?)"
                                       : "a control character inside a string must be escaped"} +
                      " [simdjson: " + simdjson::error_message(e) + "]",
                  at == std::string_view::npos ? nullptr : text_.data() + at);
      return;
    }
    case simdjson::CAPACITY:
    case simdjson::MEMALLOC:
      (void)error("io.too_large", {},
                  std::string{"cannot parse the file: "} + simdjson::error_message(e), nullptr);
      return;
    default:
      doc_ = nullptr;
      (void)syntax(e);
      return;
  }
}

flow page_parser::syntax(error_code e, std::string pointer, const char* value_at) {
  if (mode_ != mode::whole) {  // a window cut inside an ImageDetail, or a reason to parse whole
    syntax_failed_ = true;
    return flow::stop;
  }
  const char* at = value_at;
  bool at_end = value_at == nullptr;
  if (value_at == nullptr && doc_ != nullptr && e != simdjson::INCOMPLETE_ARRAY_OR_OBJECT) {
    const char* loc = nullptr;
    if (doc_->current_location().get(loc) == simdjson::SUCCESS && loc != nullptr &&
        loc < text_.data() + text_.size()) {
      at = loc;
      at_end = trim_right(text_.substr(static_cast<std::size_t>(loc - text_.data()))).empty();
    }
  }
  std::size_t extra_close = std::string_view::npos;
  if (e == simdjson::INCOMPLETE_ARRAY_OR_OBJECT) extra_close = locate_extra_close(text_);
  if (extra_close != std::string_view::npos) {
    at = text_.data() + extra_close;
    at_end = false;
  }
  // A NUL byte (outside a string: inside one simdjson says UNESCAPED_CHARS) before the place of
  // the error is the better explanation: a binary or UTF-16 file, or garbage after the document.
  const char* nul = static_cast<const char*>(std::memchr(text_.data(), 0, text_.size()));
  if (nul != nullptr && (at == nullptr || nul <= at || at_end)) {
    (void)error("inventory.syntax", std::move(pointer),
                "a NUL byte is not allowed in JSON text (a binary file, or garbage after the "
                "document?) [simdjson: " +
                    std::string{simdjson::error_message(e)} + "]",
                nul);
    return flow::stop;
  }
  if (at == nullptr) at = text_.data() + trim_right(text_).size();
  std::string message;
  switch (e) {
    case simdjson::STRING_ERROR:
      message = "invalid escape sequence in a string";
      break;
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR:
    case simdjson::N_ATOM_ERROR:
      message = "invalid literal (expected true, false or null)";
      break;
    case simdjson::NUMBER_ERROR:
      message = "invalid number";
      break;
    default:
      message = extra_close != std::string_view::npos
                    ? "a closing bracket without its opening one (an extra ']' or '}'?)"
                : at_end ? "the document ends too early (truncated file?)"
                         : "malformed JSON (a missing or extra comma, colon, bracket or quote?)";
      break;
  }
  message += " [simdjson: ";
  message += simdjson::error_message(e);
  message += "]";
  (void)error("inventory.syntax", std::move(pointer), std::move(message), at);
  return flow::stop;
}

flow page_parser::syntax_at(std::string message, std::string pointer, const char* at) {
  if (mode_ != mode::whole) {
    syntax_failed_ = true;
    return flow::stop;
  }
  (void)error("inventory.syntax", std::move(pointer), std::move(message), at);
  return flow::stop;
}

flow page_parser::too_deep(od::value& v) {
  final_stop_ = true;
  (void)error("inventory.depth", {},
              "arrays/objects are nested more than " + std::to_string(max_nesting) +
                  " levels deep; the rest of the file was not read",
              v.raw_json_token().data());
  return flow::stop;
}

flow page_parser::image_error(image_ctx& c, std::string_view code, std::string pointer,
                              std::string message, const char* at) {
  c.invalid = true;
  return error(code, std::move(pointer), "image " + std::to_string(c.item) + ": " + message, at);
}

flow page_parser::wrong_type(image_ctx& c, od::value& v, od::json_type t, std::string pointer,
                             std::string_view what, std::string_view expected,
                             std::size_t depth) {
  if (image_error(c, "image.type", std::move(pointer),
                  std::string{what} + " must be " + std::string{expected} + ", not " +
                      std::string{type_name(t)},
                  v.raw_json_token().data()) == flow::stop) {
    return flow::stop;
  }
  return skip_value(v, depth);
}

}  // namespace ecrlp::read::ingest
