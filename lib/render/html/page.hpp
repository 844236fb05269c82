// SPDX-License-Identifier: MIT
#pragma once

// The one page frame of the HTML writer: the document head with its inline style, the title as
// <h1>, and at the end the table-sorting script. Every page is well-formed XML as well as HTML.

#include <string>
#include <string_view>

#include "render/markup.hpp"

namespace ecrlp::writer::html {

/// Text or attribute value with &, <, >, " and ' escaped (markup.hpp).
[[nodiscard]] inline std::string html_escape(std::string_view s) { return escape_markup(s); }

/// `<!DOCTYPE html>` to the opening of <body>, with the title as <h1>.
[[nodiscard]] std::string page_start(std::string_view title);

/// The table-sorting script and the closing tags (see page.cpp for its self-test).
[[nodiscard]] std::string page_end();

}  // namespace ecrlp::writer::html
