// SPDX-License-Identifier: MIT
#pragma once

// The CSV writer (lib/render/csv/): RFC 4180, one row per image (or step).

#include <ecrlp/document.hpp>
#include <ecrlp/render.hpp>

#include "render/output.hpp"

namespace ecrlp::writer::csv {

void write(output& out, const preview_document& doc, const render_options& options);
void write(output& out, const diff_document& doc, const render_options& options);
void write(output& out, const simulation_document& doc, const render_options& options);
void write(output& out, const registry_simulation_document& doc, const render_options& options);
void write(output& out, const registry_document& doc, const render_options& options);
void write(output& out, const registry_diff_document& doc, const render_options& options);
void write(output& out, const plan_check_document& doc, const render_options& options);

// Shared by the diff documents (diff.cpp).

/// The header of `ecrlp diff --format csv`, CRLF included: "imageDigest,...,newOwnerRulePriority".
extern const std::string_view diff_header;
/// The rows of a diff, oldest first, each after `lead` (leading fields and a comma, or "").
void diff_rows(output& out, const diff_document& doc, std::string_view lead);

}  // namespace ecrlp::writer::csv
