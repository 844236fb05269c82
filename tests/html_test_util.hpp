// SPDX-License-Identifier: MIT
#pragma once

// Checks shared by the HTML report tests: well-formedness (a small XML tokenizer; the CLI tests
// also run xmllint when installed), self-containedness, substring counts, table rows, and the
// explanation lines a page must show.

#include <cctype>
#include <cstddef>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/explain.hpp>
#include <ecrlp/render.hpp>

#include "document/phrases.hpp"
#include "render/html/charts.hpp"
#include "render/html/page.hpp"

namespace html_test {

/// True under CI=true, where a browser test that finds no Chromium fails instead of skipping
/// (scripts/setup.sh installs it there).
inline bool browser_required() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string_view(ci) == "true";
}

/// Empty when `doc` is well-formed XML after its doctype (elements nest and close, attributes
/// are quoted, no raw '<' or '&' in text); else what is wrong and where.
inline std::string xml_problem(std::string_view doc) {
  std::vector<std::string> stack;
  std::size_t i = 0;
  const auto fail = [&](const std::string& what) { return what + " at byte " + std::to_string(i); };
  if (doc.starts_with("<!DOCTYPE html>")) i = doc.find('>') + 1;
  while (i < doc.size()) {
    const char c = doc[i];
    if (c == '&') {
      const std::size_t semi = doc.find(';', i);
      if (semi == std::string_view::npos || semi - i > 8) return fail("bare '&'");
      i = semi + 1;
      continue;
    }
    if (c != '<') {
      if (c == '>') return fail("bare '>'");
      ++i;
      continue;
    }
    if (doc.substr(i).starts_with("<![CDATA[")) {
      const std::size_t end = doc.find("]]>", i);
      if (end == std::string_view::npos) return fail("unterminated CDATA");
      i = end + 3;
      continue;
    }
    if (doc.substr(i).starts_with("<!--")) {
      const std::size_t end = doc.find("-->", i);
      if (end == std::string_view::npos) return fail("unterminated comment");
      i = end + 3;
      continue;
    }
    const bool closing = i + 1 < doc.size() && doc[i + 1] == '/';
    std::size_t j = i + (closing ? 2 : 1);
    const std::size_t name_start = j;
    while (j < doc.size() && (std::isalnum(static_cast<unsigned char>(doc[j])) != 0 || doc[j] == '-' || doc[j] == ':')) ++j;
    const std::string name(doc.substr(name_start, j - name_start));
    if (name.empty()) return fail("bad tag");
    bool self_closing = false;
    // attributes: name="value" or name='value'
    while (j < doc.size() && doc[j] != '>') {
      const char a = doc[j];
      if (a == '"' || a == '\'') {
        const std::size_t end = doc.find(a, j + 1);
        if (end == std::string_view::npos) return fail("unterminated attribute");
        if (doc.substr(j + 1, end - j - 1).find('<') != std::string_view::npos) return fail("'<' in attribute");
        j = end + 1;
        continue;
      }
      if (a == '=') {
        if (j + 1 >= doc.size() || (doc[j + 1] != '"' && doc[j + 1] != '\'')) return fail("unquoted attribute");
      }
      if (a == '/' && j + 1 < doc.size() && doc[j + 1] == '>') self_closing = true;
      if (a == '<') return fail("'<' in tag");
      ++j;
    }
    if (j >= doc.size()) return fail("unterminated tag");
    if (closing) {
      if (stack.empty() || stack.back() != name) {
        return fail("</" + name + "> closes <" + (stack.empty() ? std::string() : stack.back()) + ">");
      }
      stack.pop_back();
    } else if (!self_closing) {
      stack.push_back(name);
    }
    i = j + 1;
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  return {};
}

inline std::size_t count(std::string_view hay, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t p = hay.find(needle); p != std::string_view::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

/// No external resource: every "http" is one of the two namespace URIs.
inline bool self_contained(std::string_view doc) {
  const std::size_t all = count(doc, "http");
  const std::size_t ns = count(doc, "\"http://www.w3.org/2000/svg\"") +
                         count(doc, "\"http://www.w3.org/1999/xhtml\"");
  return all == ns && count(doc, " src=") == 0 && count(doc, "<link") == 0 && count(doc, "@import") == 0;
}

/// The rows of the first <tbody> at or after byte `from` of `html`: each from an opening tag that
/// starts with `row_open` ("<tr>": rows without attributes only; "<tr": all) to its "</tr>"
/// (excluded).
inline std::vector<std::string> tbody_rows(const std::string& html, std::size_t from,
                                           std::string_view row_open) {
  const std::size_t body = html.find("<tbody>", from);
  const std::size_t end = html.find("</tbody>", body);
  std::vector<std::string> rows;
  for (std::size_t p = html.find(row_open, body); p != std::string::npos && p < end;
       p = html.find(row_open, p + 1)) {
    rows.push_back(html.substr(p, html.find("</tr>", p) - p));
  }
  return rows;
}

/// What `ecrlp explain` writes for image `i`, one string per line (heading and digest dropped,
/// indentation removed), each line HTML-escaped as the page must show it.
inline std::vector<std::string> explain_lines(const ecrlp::explainer& ex, std::size_t i) {
  std::ostringstream text;
  const std::size_t which[] = {i};
  ecrlp::render(text, ecrlp::explain_document{ex, which}, ecrlp::output_format::text);
  std::vector<std::string> lines;
  std::istringstream in(text.str());
  std::string line;
  std::size_t n = 0;
  while (std::getline(in, line)) {
    if (n++ >= 3) lines.push_back(ecrlp::writer::html::html_escape(line.substr(line.find_first_not_of(' '))));
  }
  return lines;
}

}  // namespace html_test
