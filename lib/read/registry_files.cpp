// SPDX-License-Identifier: MIT
//
// The files of a registry snapshot (registry_files.hpp): the small JSON documents, and the
// consistency checks, error paths that read a page or the policy again to point at the place
// where its repositoryName or registryId differs from repository.json.

#include "read/registry_files.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

namespace ecrlp::read::snapshot {
namespace {

namespace fs = std::filesystem;
using detail::json_kind;

/// Only for locating a mismatching repositoryName/registryId in a page or the policy (an error
/// path; beyond it the diagnostic names the file without a pointer).
constexpr std::uintmax_t max_locate_bytes = std::uintmax_t{256} * 1024 * 1024;

/// A SAX handler (constant memory, whatever the page's size) that stops at the first
/// ImageDetail, in `{"imageDetails": [...]}` or a bare array, whose string member `key` is not
/// `expected`.
class mismatch_finder {
 public:
  using json = nlohmann::json;

  mismatch_finder(std::string_view text, const std::size_t* consumed, std::string_view key,
                  std::string_view expected)
      : text_(text), consumed_(consumed), key_(key), expected_(expected) {}

  bool null() { return value(); }
  bool boolean(bool /*unused*/) { return value(); }
  bool number_integer(json::number_integer_t /*unused*/) { return value(); }
  bool number_unsigned(json::number_unsigned_t /*unused*/) { return value(); }
  bool number_float(json::number_float_t /*unused*/, const json::string_t& /*unused*/) {
    return value();
  }
  bool binary(json::binary_t& /*unused*/) { return value(); }
  bool string(json::string_t& v) {
    if (armed_ && v != expected_) {
      found_ = true;
      found_value_ = v;
      item_ = frames_[frames_.size() - 2].count - 1;
      return false;  // stop here
    }
    return value();
  }
  bool start_object(std::size_t /*unused*/) { return open(true); }
  bool start_array(std::size_t /*unused*/) { return open(false); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(json::string_t& k) {
    frames_.back().key = k;
    armed_ = k == key_ && in_image();
    if (armed_) {
      // The value starts after the key's closing quote, blanks and the colon.
      std::size_t i = *consumed_;
      while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' ||
                                  text_[i] == '\r' || text_[i] == ':')) {
        ++i;
      }
      value_byte_ = i;
    }
    return true;
  }
  bool parse_error(std::size_t /*unused*/, const std::string& /*unused*/,
                   const nlohmann::detail::exception& /*unused*/) {
    return false;
  }

  [[nodiscard]] bool found() const noexcept { return found_; }
  [[nodiscard]] bool bare_array() const noexcept { return bare_; }
  [[nodiscard]] std::size_t item() const noexcept { return item_; }
  [[nodiscard]] std::size_t byte() const noexcept { return value_byte_; }
  [[nodiscard]] const std::string& found_value() const noexcept { return found_value_; }

 private:
  struct frame {
    bool is_object = false;
    std::size_t count = 0;  ///< arrays: elements started so far
    std::string key;        ///< objects: the member being read
  };

  /// The container on top of the stack is an ImageDetail object.
  [[nodiscard]] bool in_image() const {
    if (frames_.size() == 2) return !frames_[0].is_object && frames_[1].is_object;
    return frames_.size() == 3 && frames_[0].is_object && frames_[0].key == "imageDetails" &&
           !frames_[1].is_object && frames_[2].is_object;
  }

  bool value() {
    armed_ = false;
    if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().count;
    return true;
  }
  bool open(bool is_object) {
    (void)value();
    if (frames_.empty()) bare_ = !is_object;
    frames_.push_back(frame{is_object, 0, {}});
    return true;
  }
  bool close() {
    armed_ = false;
    frames_.pop_back();
    return true;
  }

  std::string_view text_;
  const std::size_t* consumed_;
  std::string_view key_;
  std::string_view expected_;
  std::vector<frame> frames_;
  bool armed_ = false;
  bool bare_ = false;
  bool found_ = false;
  std::size_t item_ = 0;
  std::size_t value_byte_ = 0;
  std::string found_value_;
};

}  // namespace

/// Reads and parses `path` (at most `max_bytes`); codes of the json_reader become `syntax_code`.
/// root is unset after an error (added to `diags`).
[[nodiscard]] json_file read_json_file(const fs::path& path, std::uintmax_t max_bytes,
                                       std::string_view syntax_code,
                                       std::vector<diagnostic>& diags) {
  constexpr std::size_t max_values = 100'000;
  constexpr std::size_t max_depth = 64;
  json_file f;
  f.path = path.string();
  if (!read::read_input(path, {.max_bytes = max_bytes}, read::the_file_wording, f.text, diags)) {
    return f;
  }
  if (const auto utf8 = detail::utf8_scan(f.text.view()); !utf8.valid) {
    diagnostic d = make_error(std::string(syntax_code), f.path,
                              "the file is not valid UTF-8 (malformed byte sequence at byte " +
                                  std::to_string(utf8.bad_byte) + ")");
    json_value at;
    at.byte = utf8.bad_byte;
    f.place(d, at);
    diags.push_back(std::move(d));
    return f;
  }
  detail::json_read_result r = detail::read_json(
      f.text.view(), {.max_depth = max_depth, .max_values = max_values, .deep_root_member = {}});
  for (auto& d : r.diagnostics) {
    d.code = std::string(syntax_code);
    json_value at;
    at.byte = d.byte;
    f.place(d, at);
    diags.push_back(std::move(d));
  }
  if (r.root && !has_errors(r.diagnostics)) f.root = std::move(r.root);
  return f;
}

[[nodiscard]] diagnostic locate_image_mismatch(std::span<const fs::path> pages,
                                               std::string_view key, std::string_view expected,
                                               std::string code, std::string_view found_value,
                                               std::string_view truth) {
  const std::string message_tail =
      " differs from " + quote(expected) + " (" + std::string(truth) + ")";
  for (const auto& page : pages) {
    std::vector<diagnostic> ignored;
    read::input_text input;
    if (!read::read_input(page, {.max_bytes = max_locate_bytes}, read::the_file_wording, input,
                          ignored)) {
      continue;
    }
    const std::string_view text = input.view();
    std::size_t consumed = 0;
    mismatch_finder finder(text, &consumed, key, expected);
    const detail::json_reader_impl::counting_iterator first(text.data(), &consumed);
    const detail::json_reader_impl::counting_iterator last(text.data() + text.size(), &consumed);
    try {
      (void)nlohmann::json::sax_parse(first, last, &finder);
    } catch (const nlohmann::json::exception&) {
      continue;  // a safety net: errors are reported through parse_error()
    }
    if (!finder.found()) continue;
    const auto pos = detail::position_of(text, finder.byte());
    diagnostic d = make_error(
        std::move(code), page.string(),
        std::string(key) + " " + quote(finder.found_value()) + message_tail,
        detail::pointer_append(
            detail::pointer_append(finder.bare_array() ? "" : "/imageDetails", finder.item()),
            key));
    d.byte = finder.byte();
    d.line = pos.line;
    d.column = pos.column;
    return d;
  }
  return make_error(std::move(code), pages.empty() ? std::string() : pages.front().string(),
                    std::string(key) + " " + quote(found_value) + " of the images" + message_tail);
}

[[nodiscard]] diagnostic locate_policy_mismatch(const fs::path& file, std::string_view key,
                                                std::string_view found_value,
                                                std::string_view expected, std::string code,
                                                std::string_view truth) {
  const std::string message = std::string(key) + " " + quote(found_value) + " differs from " +
                              quote(expected) + " (" + std::string(truth) + ")";
  std::vector<diagnostic> ignored;
  const json_file f = read_json_file(file, max_locate_bytes, "registry.syntax", ignored);
  if (f.root && f.root->kind == json_kind::object) {
    if (const json_value* v = f.root->find(key); v != nullptr) {
      return f.error_at(std::move(code), detail::pointer_append("", key), *v, message);
    }
  }
  return make_error(std::move(code), file.string(), message, detail::pointer_append("", key));
}

}  // namespace ecrlp::read::snapshot
