// SPDX-License-Identifier: MIT
#pragma once

// The JSON writer (lib/render/json/): every document as JSON, through json_writer.

#include <ecrlp/document.hpp>
#include <ecrlp/render.hpp>

#include "render/output.hpp"

namespace ecrlp::writer::json {

void write(output& out, const diagnostics_document& doc, const render_options& options);
void write(output& out, const validation_document& doc, const render_options& options);
void write(output& out, const preview_document& doc, const render_options& options);
void write(output& out, const explain_document& doc, const render_options& options);
void write(output& out, const registry_explain_document& doc, const render_options& options);
void write(output& out, const diff_document& doc, const render_options& options);
void write(output& out, const lint_document& doc, const render_options& options);
void write(output& out, const registry_lint_document& doc, const render_options& options);
void write(output& out, const simulation_document& doc, const render_options& options);
void write(output& out, const registry_simulation_document& doc, const render_options& options);
void write(output& out, const registry_document& doc, const render_options& options);
void write(output& out, const registry_diff_document& doc, const render_options& options);
void write(output& out, const plan_check_document& doc, const render_options& options);

}  // namespace ecrlp::writer::json
