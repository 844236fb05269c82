// SPDX-License-Identifier: MIT
#pragma once

// The HTML writer (lib/render/html/): one self-contained page per document.

#include <ecrlp/document.hpp>
#include <ecrlp/render.hpp>

#include "render/output.hpp"

namespace ecrlp::writer::html {

void write(output& out, const preview_document& doc, const render_options& options);
void write(output& out, const diff_document& doc, const render_options& options);
void write(output& out, const simulation_document& doc, const render_options& options);
void write(output& out, const registry_simulation_document& doc, const render_options& options);
void write(output& out, const registry_document& doc, const render_options& options);
void write(output& out, const registry_diff_document& doc, const render_options& options);
void write(output& out, const plan_check_document& doc, const render_options& options);

}  // namespace ecrlp::writer::html
