// SPDX-License-Identifier: MIT
#pragma once

/// Totals of an evaluation (header-only) and the renderers of a preview (compiled in lib/).

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/evaluate.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>

namespace ecrlp {

// Optional parts of a preview, declared in <ecrlp/in_use.hpp> and <ecrlp/impact.hpp> (which
// includes this header). Not included here: in_use.hpp brings <filesystem>.
struct impact;
struct in_use_ref;
struct in_use_match;
struct in_use_violation;

/// Images, bytes and scan findings of a set of images.
struct image_totals {
  std::size_t images = 0;   ///< number of images
  std::uint64_t bytes = 0;  ///< sum of imageSizeInBytes
  finding_counts findings;  ///< sum of scan findings (unscanned images add none)

  /// Counts one more image.
  constexpr void add(const image& img) noexcept {
    ++images;
    bytes += img.size_bytes;
    if (img.findings) findings += *img.findings;
  }
};

/// Before/after view of an evaluation: what the repository holds now, what leaves, what stays.
struct preview_totals {
  image_totals before;        ///< every image
  image_totals expired;       ///< deleted
  image_totals transitioned;  ///< moved to archive (still in the repository)
  image_totals kept;          ///< untouched
  image_totals after;         ///< kept + transitioned
  image_totals after_standard;  ///< after, in the standard storage class
  image_totals after_archive;   ///< after, in the archive storage class
};

/// Computes preview_totals from an evaluation. `result` must come from evaluate(policy, images, ...).
[[nodiscard]] inline preview_totals summarize(std::span<const image> images,
                                              const evaluation_result& result) {
  preview_totals t;
  for (std::size_t i = 0; i < images.size(); ++i) {
    const image& img = images[i];
    t.before.add(img);
    switch (result.decisions[i].action) {
      case fate::expire:
        t.expired.add(img);
        continue;
      case fate::transition:
        t.transitioned.add(img);
        t.after_archive.add(img);
        break;
      case fate::keep:
        t.kept.add(img);
        if (img.status == image_status::archived) {
          t.after_archive.add(img);
        } else {
          t.after_standard.add(img);
        }
        break;
    }
    t.after.add(img);
  }
  return t;
}

/// Everything a preview report shows.
struct preview_document {
  const lifecycle_policy& policy;  ///< the policy evaluated
  std::string_view policy_text;  ///< echoed as lifecyclePolicyText
  std::span<const image> images;    ///< the images evaluated
  const evaluation_result& result;  ///< evaluate(policy, images, {.now = now})
  timestamp now;                    ///< the instant of the evaluation
  std::string_view repository_name;  ///< omitted from JSON when empty
  std::string_view registry_id;      ///< omitted from JSON when empty

  // Optional parts (docs/in-use.md#reports, docs/impact.md#reports). Left null, every renderer
  // prints exactly what it printed before they existed.

  /// The in-use references (in_use_list::refs), whose text, file and place the violations quote.
  /// Reference indices in `in_use` and `violations` refer to this list.
  const std::vector<in_use_ref>* in_use_refs = nullptr;
  /// match_in_use(*in_use_refs, ..., images, ...): one entry per image. Set means "an in-use
  /// list was given": the reports then say so even when nothing in use is removed (JSON: an
  /// empty `ecrlpInUseViolations`; CSV: the `inUse` column).
  const std::vector<in_use_match>* in_use = nullptr;
  /// find_violations(*in_use, result): the in-use images the evaluation expires or transitions,
  /// oldest first. Every renderer lists them before anything else.
  const std::vector<in_use_violation>* violations = nullptr;
  /// compute_impact(images, result, prices): bytes freed per rule, monthly storage cost before
  /// and after at the prices it carries, archive minimum charge, findings before and after
  /// (table, JSON `ecrlpReport.impact`, HTML; not CSV).
  const ecrlp::impact* impact = nullptr;
  /// The index manifests and `independent_images` the evaluation was made with
  /// (evaluation_options): the HTML page's explanations are made with the same, so that they
  /// tell the fate `result` gives.
  std::span<const index_manifest> indexes = {};
  bool independent_images = false;

  /// True when an in-use list was given (`in_use` or `violations` set).
  [[nodiscard]] bool has_in_use() const noexcept { return in_use != nullptr || violations != nullptr; }
};

/// The shape of `aws ecr get-lifecycle-policy-preview` (registryId, repositoryName,
/// lifecyclePolicyText, status, previewResults oldest first, summary), plus one extra top-level
/// object `ecrlpReport` with per-rule and before/after totals. 4-space indented, newline-terminated.
/// With an in-use list, `ecrlpInUseViolations` (an array, possibly empty) comes before
/// previewResults, and the previewResults of in-use images carry `"ecrlpInUse": true`; with an
/// impact, `ecrlpReport.impact` holds it (docs/in-use.md#reports, docs/impact.md#reports).
[[nodiscard]] std::string render_preview_json(const preview_document& doc);

/// `render_preview_json(doc)`, written to `out` in chunks of 64 KiB as it is produced, so that
/// the document never exists whole in memory (the CLI's `preview --format json`). Stream errors
/// are left in `out`'s state.
void write_preview_json(std::ostream& out, const preview_document& doc);

/// A report for a person: rules, totals before and after, then affected images (at most
/// `max_rows` of them; 0 = all). With an in-use list, a block "IN USE - would be removed" comes
/// first (every violation, whatever `max_rows`) and in-use affected images are marked; with an
/// impact, an "Impact" section follows the affected images.
[[nodiscard]] std::string render_preview_table(const preview_document& doc,
                                               std::size_t max_rows = 50);

/// One RFC 4180 CSV row per image (oldest first) with its fate, after a header row. With an
/// in-use list, a last column `inUse` (true/false) is added and the violations come first
/// (oldest first), then every other image (oldest first).
[[nodiscard]] std::string render_preview_csv(const preview_document& doc);

/// Compiler-style lines, `file:line:col: error[code] at /json/pointer: message` (position and
/// pointer when known), with ECR's own wording on a following line when known.
[[nodiscard]] std::string render_diagnostics_text(std::span<const diagnostic> diags);

/// A JSON array of diagnostic objects (level, code, file, pointer, line, column, message,
/// awsMessage), 2-space indented.
[[nodiscard]] std::string render_diagnostics_json(std::span<const diagnostic> diags);

}  // namespace ecrlp
