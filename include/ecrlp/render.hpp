// SPDX-License-Identifier: MIT
#pragma once

/// The rendering layer: any document (<ecrlp/document.hpp>) written in any format its writers
/// know (compiled in lib/render/, one folder per format; docs/design.md).
///
///     std::cout << ecrlp::render(doc, ecrlp::output_format::markdown);
///     ecrlp::render(std::cout, doc, ecrlp::output_format::json);  // streamed, for large documents
///
/// Every writer is deterministic (no clock, no locale, no time zone) and never throws except
/// std::bad_alloc.

#include <concepts>
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include <ecrlp/document.hpp>

namespace ecrlp {

/// The output formats, one writer each (lib/render/<format>/).
enum class output_format : unsigned char {
  text,      ///< for a person: aligned tables and sentences (`--format table` or `text`)
  json,      ///< for tools; the preview keeps the shape of AWS's get-lifecycle-policy-preview
  csv,       ///< RFC 4180, one row per image (or step)
  html,      ///< one self-contained page with charts and sortable tables
  markdown,  ///< GitHub-flavoured markdown for pull-request comments and job summaries
  junit      ///< JUnit XML, for CI tools (policy unit tests)
};

/// The name of a format as `--format` takes it ("text", "json", ...).
[[nodiscard]] constexpr std::string_view to_string(output_format f) noexcept {
  switch (f) {
    case output_format::text:
      return "text";
    case output_format::json:
      return "json";
    case output_format::csv:
      return "csv";
    case output_format::html:
      return "html";
    case output_format::markdown:
      return "markdown";
    case output_format::junit:
      return "junit";
  }
  return "?";
}

/// The format `name` names: its to_string(), or "table" for text (the name the commands whose
/// report is mostly tables use). nullopt for anything else.
[[nodiscard]] constexpr std::optional<output_format> parse_output_format(
    std::string_view name) noexcept {
  if (name == "table") return output_format::text;
  for (const auto f : {output_format::text, output_format::json, output_format::csv,
                       output_format::html, output_format::markdown, output_format::junit}) {
    if (to_string(f) == name) return f;
  }
  return std::nullopt;
}

/// How much a writer lists.
struct render_options {
  /// Most image (or image-change) rows listed in a report. nullopt: the format's default (text
  /// 50, html 1,000; JSON and CSV list everything, markdown as much as max_chars allows); 0:
  /// every row. Totals are never cut; the report says what it left out.
  std::optional<std::size_t> max_rows;
  /// Markdown: the most characters the whole output may have (default 65,536, GitHub's limit
  /// for a comment). Lists are cut to fit, never totals, and the output says what it cut.
  std::size_t max_chars = 65536;
};

/// The document kinds render() takes.
template <class T>
concept document =
    std::same_as<T, diagnostics_document> || std::same_as<T, validation_document> ||
    std::same_as<T, preview_document> || std::same_as<T, explain_document> ||
    std::same_as<T, registry_explain_document> || std::same_as<T, diff_document> ||
    std::same_as<T, lint_document> || std::same_as<T, registry_lint_document> ||
    std::same_as<T, test_run_document> || std::same_as<T, simulation_document> ||
    std::same_as<T, registry_simulation_document> || std::same_as<T, registry_document> ||
    std::same_as<T, registry_diff_document> || std::same_as<T, plan_check_document>;

/// True when a writer of format `f` writes documents of kind `Document`.
template <document Document>
[[nodiscard]] bool supports(output_format f) noexcept;

/// Writes `doc` to `out` in format `f`, in chunks as it is produced, so that a large document
/// never exists whole in memory. False (and nothing written) when the format has no writer for
/// this kind of document (supports()). Stream errors are left in `out`'s state.
template <document Document>
bool render(std::ostream& out, const Document& doc, output_format f,
            const render_options& options = {});

/// `doc` in format `f` as one string ("" when supports<Document>(f) is false).
template <document Document>
[[nodiscard]] std::string render(const Document& doc, output_format f,
                                 const render_options& options = {});

}  // namespace ecrlp
