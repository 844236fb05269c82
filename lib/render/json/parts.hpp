// SPDX-License-Identifier: MIT
#pragma once

// Pieces several JSON documents share: findings, totals, diagnostics, impact.

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/document.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/impact.hpp>
#include <ecrlp/in_use.hpp>
#include <ecrlp/simulate.hpp>
#include <ecrlp/totals.hpp>

#include <span>

#include "render/json/json_writer.hpp"

namespace ecrlp::writer::json {

/// How the keys of a finding_counts object are spelled: as ECR's scan findings
/// ("CRITICAL", ... the preview's ecrlpReport) or lower-case (the registry and simulation).
enum class severity_keys : unsigned char { upper, lower };

/// `{"CRITICAL": n, ..., "total": n}` or `{"critical": n, ..., "total": n}`.
void findings(json_writer& w, const finding_counts& f, severity_keys keys);

/// `{"images", "bytes", "findings"}`.
void totals(json_writer& w, const image_totals& t, severity_keys keys);

/// `{"images", "bytes"}` of a storage class.
void class_totals_json(json_writer& w, const class_totals& t);

/// Which members of a diagnostic object are written.
enum class diagnostic_members : unsigned char {
  full,     ///< level, code, file?, pointer, line?, column?, message, awsMessage?
  located,  ///< level, code, file?, pointer? (when known), line?, column?, message
  brief     ///< level, code, message
};

/// One diagnostic as an object, left open for more members (the caller ends it).
void diagnostic_members_of(json_writer& w, const diagnostic& d, diagnostic_members members);

/// An array of diagnostic objects.
void diagnostics_array(json_writer& w, std::span<const diagnostic> diags,
                       diagnostic_members members);

/// An in-use reference: {"reference", "file", "line"?, "pointer"?}.
void reference_object(json_writer& w, const in_use_ref& r);

/// The members of an in-use violation object (the registry preview's and the plan check's):
/// imageDigest, imageTags?, imagePushedAt, action, appliedRulePriority, followsSubject?,
/// inUseReferences, throughIndexes?. The caller opens and closes the object.
void violation_members(json_writer& w, std::span<const image> images, const in_use_violation& v,
                       std::span<const in_use_ref> refs);

/// An `ecrlp diff` object: {"now", "images", "old", "new", "changes", "changedImages"}
/// (docs/diff.md), as `ecrlp diff --format json` writes it.
void diff_object(json_writer& w, const diff_document& doc);

/// Dollars rounded to whole cents, as a JSON number (12.34).
[[nodiscard]] double json_dollars(double dollars) noexcept;

}  // namespace ecrlp::writer::json
