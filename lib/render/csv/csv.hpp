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

}  // namespace ecrlp::writer::csv
