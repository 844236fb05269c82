// SPDX-License-Identifier: MIT
#pragma once

/// Renderers of `ecrlp explain`, `ecrlp diff` and `ecrlp lint` (compiled in
/// lib/explain_report.cpp).

#include <cstddef>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

#include <ecrlp/diff.hpp>
#include <ecrlp/explain.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/lint.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/time.hpp>

namespace ecrlp {

/// Writes the explanations of the images at `which` (input indices, in that order) for a person:
/// a heading, then per image a line with its digest, one with its times, status, size and tags,
/// and one sentence per fact ("rule 300 would expire it: 95 days since push (...) > 90; protected
/// by rule 100."). Streams image by image, so any number of images can be written.
void write_explain_text(std::ostream& out, const explainer& ex, std::span<const std::size_t> which);

/// The same facts as JSON: `{"now", "rules", "images": [...]}`, 2-space indented (docs/explain.md).
void write_explain_json(std::ostream& out, const explainer& ex, std::span<const std::size_t> which);

/// Everything a diff report shows.
struct diff_document {
  const lifecycle_policy& before_policy;
  const lifecycle_policy& after_policy;
  std::string_view before_name;  ///< the old policy's file
  std::string_view after_name;   ///< the new policy's file
  std::span<const image> images;
  const policy_diff& diff;
  timestamp now;
};

/// For a person: totals per kind of change, per-rule totals of both sides, the changed images.
[[nodiscard]] std::string render_diff_table(const diff_document& doc);

/// `{"now", "old", "new", "changes", "images"}`, 2-space indented (docs/diff.md).
[[nodiscard]] std::string render_diff_json(const diff_document& doc);

/// One RFC 4180 row per changed image, oldest first, after a header row.
[[nodiscard]] std::string render_diff_csv(const diff_document& doc);

/// Compiler-style lines (`FILE:POINTER: warning[CODE]: MESSAGE`, then `    fix: ...`) and a
/// closing count line naming `file`.
[[nodiscard]] std::string render_lint_text(std::span<const lint_finding> findings,
                                           std::string_view file);

/// `{"file", "errors", "warnings", "findings": [...]}`, each finding a diagnostic object plus `fix`
/// and `rulePriority`, 2-space indented.
[[nodiscard]] std::string render_lint_json(std::span<const lint_finding> findings,
                                           std::string_view file);

}  // namespace ecrlp
