// SPDX-License-Identifier: MIT
#pragma once

// Text inside XML and HTML (the HTML pages, which are well-formed XML too, and JUnit reports):
// the one escaping function of the writers.

#include <string>
#include <string_view>

namespace ecrlp::writer {

/// How `'` is written: `&#39;` (the HTML pages) or `&apos;` (JUnit XML). Both are XML.
enum class apostrophe : unsigned char { numeric, named };

/// Appends `s` as XML text or attribute value: `&`, `<`, `>`, `"` and `'` escaped, and every byte
/// sequence XML 1.0 cannot hold (control characters other than tab, newline and return;
/// malformed UTF-8; U+FFFE, U+FFFF) replaced with U+FFFD, so that the document stays well-formed
/// whatever the input held.
void append_markup(std::string& out, std::string_view s, apostrophe a = apostrophe::numeric);

/// append_markup() into a new string.
[[nodiscard]] std::string escape_markup(std::string_view s, apostrophe a = apostrophe::numeric);

}  // namespace ecrlp::writer
