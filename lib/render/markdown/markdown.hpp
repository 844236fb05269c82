// SPDX-License-Identifier: MIT
#pragma once

// The markdown writer (lib/render/markdown/): GitHub-flavoured markdown for a pull-request
// comment or a CI job summary. In-use problems come first, then the totals; long lists of images
// are folded in <details> blocks and cut so that the whole report fits render_options::max_chars
// (totals never are), saying what was cut.

#include <ecrlp/document.hpp>
#include <ecrlp/render.hpp>

#include "render/output.hpp"

namespace ecrlp::writer::markdown {

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

}  // namespace ecrlp::writer::markdown
