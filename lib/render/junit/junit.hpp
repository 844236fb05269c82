// SPDX-License-Identifier: MIT
#pragma once

// The JUnit writer (lib/render/junit/): policy unit test results for CI tools.

#include <ecrlp/document.hpp>
#include <ecrlp/render.hpp>

#include "render/output.hpp"

namespace ecrlp::writer::junit {

void write(output& out, const test_run_document& doc, const render_options& options);

}  // namespace ecrlp::writer::junit
