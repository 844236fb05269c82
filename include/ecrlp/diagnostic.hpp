// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecrlp {

/// How serious a diagnostic is. Only `error` makes a document unusable.
enum class severity : unsigned char { error, warning, note };

/// Lower-case name of a severity ("error", "warning", "note").
[[nodiscard]] constexpr std::string_view to_string(severity s) noexcept {
  switch (s) {
    case severity::error:
      return "error";
    case severity::warning:
      return "warning";
    case severity::note:
      return "note";
  }
  return "error";
}

/// One problem found in a policy or inventory.
///
/// `code` is stable API (documented in docs/diagnostics.md); `pointer` is an RFC 6901 JSON pointer
/// into the document (`/rules/1/selection/countNumber`, `/imageDetails/17/imagePushedAt`).
/// `aws_message` carries ECR's own wording where it is known (spec section 1.7), else it is empty.
struct diagnostic {
  severity level = severity::error;  ///< how serious
  std::string code;         ///< stable code, e.g. "rule.priority.duplicate"
  std::string pointer;      ///< RFC 6901 pointer into the document; empty for the whole document
  std::string message;      ///< what is wrong, for a person
  std::string aws_message;  ///< ECR's own wording, when known; else empty
  std::string file;        ///< the input's name (a path, or a label such as "<string>")
  std::size_t line = 0;    ///< 1-based line, 0 when unknown
  std::size_t column = 0;  ///< 1-based column (bytes), 0 when unknown
  std::size_t byte = 0;    ///< 0-based byte offset, meaningful when line != 0
  /// For a policy read from infrastructure code (docs/iac.md): its address there
  /// (`module.ecr["app"].aws_ecr_lifecycle_policy.this[0]`, `template.yaml#AppRepo`), which
  /// `pointer` points into; empty otherwise.
  std::string address;
};

/// True when any diagnostic in `diags` is an error.
[[nodiscard]] inline bool has_errors(const std::vector<diagnostic>& diags) noexcept {
  return std::any_of(diags.begin(), diags.end(),
                     [](const diagnostic& d) { return d.level == severity::error; });
}

/// A value, or the reasons there is none. Warnings may accompany a value.
template <class T>
struct [[nodiscard]] parse_result {
  std::optional<T> value;               ///< set when there is no error
  std::vector<diagnostic> diagnostics;  ///< every problem found, errors and warnings

  /// True when a value is present and no error was reported.
  [[nodiscard]] bool ok() const noexcept { return value.has_value() && !has_errors(diagnostics); }
  /// Same as ok().
  explicit operator bool() const noexcept { return ok(); }
};

}  // namespace ecrlp
