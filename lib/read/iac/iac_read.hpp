// SPDX-License-Identifier: MIT
#pragma once

// Private: what the readers of lib/read/iac/ share. sources.cpp detects the format and reads the
// document into a json_value tree (JSON through read_json, YAML through read_yaml, which turns a
// short intrinsic tag `!Sub x` into the object `{"!Sub": x}`); terraform.cpp and
// cloudformation.cpp walk the tree; spans.cpp maps a policy string back to the file.

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/iac.hpp>

#include "read/json_reader.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecrlp::detail::iac {

// ---------------------------------------------------------------------------------------------
// Limits (docs/limits.md, "Infrastructure code")
// ---------------------------------------------------------------------------------------------

/// Largest document read: a `terraform show -json` of a large plan is tens of MiB.
inline constexpr std::size_t max_source_bytes = std::size_t{64} * 1024 * 1024;
/// Largest YAML template: CloudFormation takes 1 MB at most (from S3). yaml-cpp costs far more
/// per byte than nlohmann: it holds every token of nested flow collections (`[[a, a, ...]]`) until
/// the outer one closes, about 150 bytes a token, and reads about 2 MB a second.
inline constexpr std::size_t max_yaml_bytes = std::size_t{1024} * 1024;
/// Deepest nesting of JSON arrays and objects (read without recursion; the tree's destructor
/// recurses this deep at most).
inline constexpr std::size_t max_json_depth = 512;
/// Deepest nesting of YAML collections (yaml-cpp's parser recurses, and stops itself at 500).
inline constexpr std::size_t max_yaml_depth = 128;
/// JSON values held at once (the containers of no interest are dropped as they close).
inline constexpr std::size_t max_values = 500'000;
/// YAML nodes stored (a 1 MB template of real resources has a few tens of thousands).
inline constexpr std::size_t max_yaml_nodes = 200'000;
/// Errors of one document kept; past them one `iac.too_many_errors`, and the reading stops.
inline constexpr std::size_t max_errors = 100;
/// Longest policy text whose offsets are mapped to the file character by character; a longer
/// one (far beyond ECR's 30,720 characters) maps every offset to the value's start.
inline constexpr std::size_t max_mapped_text = std::size_t{1024} * 1024;

// ---------------------------------------------------------------------------------------------
// The source file
// ---------------------------------------------------------------------------------------------

/// One file being read: its text, its name and where its lines start.
class source_file {
 public:
  source_file(std::string_view text, std::string_view name, bool yaml)
      : text_(text), name_(name), yaml_(yaml), lines_(text) {}

  [[nodiscard]] std::string_view text() const noexcept { return text_; }
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] bool yaml() const noexcept { return yaml_; }

  /// Line and column of `byte`.
  [[nodiscard]] source_position position(std::size_t byte) const noexcept {
    if (byte > text_.size()) byte = text_.size();
    const auto p = lines_.at(byte);
    return {byte, p.line, p.column};
  }

  /// A diagnostic placed at `byte` of this file.
  [[nodiscard]] diagnostic make(severity level, std::string code, std::string pointer,
                                std::string message, std::size_t byte) const {
    diagnostic d;
    d.level = level;
    d.code = std::move(code);
    d.pointer = std::move(pointer);
    d.message = std::move(message);
    place(d, byte);
    return d;
  }

  /// Gives `d` this file's name and the line and column of `byte`.
  void place(diagnostic& d, std::size_t byte) const {
    const source_position p = position(byte);
    d.file = name_;
    d.byte = p.byte;
    d.line = p.line;
    d.column = p.column;
  }

  /// How the decoded string `node` (a string value of this file's tree) maps back to the file.
  [[nodiscard]] std::vector<text_span> spans_of(const json_value& node) const;

 private:
  std::string_view text_;
  std::string name_;
  bool yaml_;
  line_index lines_;
};

/// Adds `d` to `errors` while they hold fewer than max_errors; the first one past the limit is
/// turned into an `iac.too_many_errors` (at the same place). False once the limit is reached: the
/// caller stops reading.
inline bool add_error(std::vector<diagnostic>& errors, diagnostic d) {
  if (errors.size() < max_errors) {
    errors.push_back(std::move(d));
    return true;
  }
  if (errors.size() == max_errors) {
    d.code = "iac.too_many_errors";
    d.pointer.clear();
    d.message = "more than " + std::to_string(max_errors) +
                " errors in the document; the rest of it is not checked";
    errors.push_back(std::move(d));
  }
  return false;
}

/// Adds an `iac.wrong_type` error of `src` at `byte` (through add_error()).
inline void add_wrong_type(std::vector<diagnostic>& errors, const source_file& src,
                           std::string pointer, std::string message, std::size_t byte) {
  add_error(errors, src.make(severity::error, "iac.wrong_type", std::move(pointer),
                             std::move(message), byte));
}

/// True once add_error() has refused an error.
[[nodiscard]] inline bool too_many_errors(const std::vector<diagnostic>& errors) noexcept {
  return errors.size() > max_errors;
}

/// A found_policy of `src` named `name` (`address` is `name`, or `FILE#name` for a template).
[[nodiscard]] found_policy new_policy(const source_file& src, std::string address,
                                      std::string name);

/// Sets `p`'s text from the string value `node` (its position and spans too).
void set_text(found_policy& p, const source_file& src, const json_value& node);

/// "a string", "a number", "an object", "an array", "null", "true"/"false" ("a mapping", "a
/// sequence" in YAML): how messages name what was found.
[[nodiscard]] std::string describe(const json_value& v, bool yaml = false);

/// `s` for a message: valid UTF-8 (a stray byte written `\xNN`) and at most `max_bytes` long.
[[nodiscard]] inline std::string quote(std::string_view s, std::size_t max_bytes = 60) {
  return shorten(printable_utf8(s), max_bytes);
}

/// The string `v` when it is one, else nullptr.
[[nodiscard]] inline const std::string* string_of(const json_value* v) noexcept {
  return v != nullptr && v->kind == json_kind::string ? &v->text : nullptr;
}

// ---------------------------------------------------------------------------------------------
// Readers
// ---------------------------------------------------------------------------------------------

/// True when `head` (a document, or its first bytes) looks like infrastructure code that
/// automatic detection would read: what decides, for a file too large to read, whose limit it
/// exceeded.
[[nodiscard]] bool looks_like_iac(std::string_view head);

/// Result of read_yaml: like json_read_result (diagnostics carry `byte` only).
struct yaml_read_result {
  std::optional<json_value> root;
  std::vector<diagnostic> diagnostics;
};

/// Reads the first YAML document of `text` (valid UTF-8 without NUL bytes, at most
/// max_yaml_bytes) into a json_value tree: mappings become objects, sequences arrays, every
/// scalar a string (`~`, `null` and an empty value null). A node tagged `!Name` becomes the object
/// `{"!Name": node}`. Aliases, complex keys and a second document are refused
/// (`iac.yaml_unsupported`), duplicate keys reported (`iac.duplicate_key`, the first kept).
[[nodiscard]] yaml_read_result read_yaml(std::string_view text);

/// Reads a Terraform plan (`plan`) or state `root` into `doc`; problems of the document go to
/// `errors`, those of one policy to the policy.
void read_terraform(const json_value& root, const source_file& src, bool plan, policy_document& doc,
                    std::vector<diagnostic>& errors);

/// Reads a CloudFormation template `root` into `doc`.
void read_cloudformation(const json_value& root, const source_file& src, policy_document& doc,
                         std::vector<diagnostic>& errors);

/// Spans of a JSON string literal whose opening quote is at `quote` and whose decoded contents
/// have `decoded_size` bytes.
[[nodiscard]] std::vector<text_span> json_string_spans(const source_file& src, std::size_t quote,
                                                       std::size_t decoded_size);

/// Spans of a YAML scalar that starts at `start` (its tag, anchor, quote, `|` or first character)
/// and decodes to `decoded`. Exact for literal block scalars and one-line quoted and plain
/// scalars; any other scalar maps every offset to its start.
[[nodiscard]] std::vector<text_span> yaml_scalar_spans(const source_file& src, std::size_t start,
                                                       std::string_view decoded);

}  // namespace ecrlp::detail::iac
