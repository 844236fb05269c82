// SPDX-License-Identifier: MIT
#pragma once

// The text writer: reports for a person (lib/render/text/).

#include <ecrlp/document.hpp>
#include <ecrlp/render.hpp>

#include "render/output.hpp"

namespace ecrlp::writer::text {

void write(output& out, const diagnostics_document& doc, const render_options& options);
void write(output& out, const validation_document& doc, const render_options& options);
void write(output& out, const preview_document& doc, const render_options& options);
void write(output& out, const explain_document& doc, const render_options& options);
void write(output& out, const registry_explain_document& doc, const render_options& options);
void write(output& out, const diff_document& doc, const render_options& options);
void write(output& out, const lint_document& doc, const render_options& options);
void write(output& out, const registry_lint_document& doc, const render_options& options);
void write(output& out, const test_run_document& doc, const render_options& options);
void write(output& out, const simulation_document& doc, const render_options& options);
void write(output& out, const registry_simulation_document& doc, const render_options& options);
void write(output& out, const registry_document& doc, const render_options& options);
void write(output& out, const registry_diff_document& doc, const render_options& options);
void write(output& out, const plan_check_document& doc, const render_options& options);

}  // namespace ecrlp::writer::text
