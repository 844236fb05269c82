// SPDX-License-Identifier: MIT
#pragma once

// A structural check of the markdown writer's output, as GitHub reads it: every table has a
// heading row, a delimiter row and rows of the same number of cells; no table row stands outside
// a table; <details> blocks are balanced and their contents are set off by blank lines. Returns
// the problems found, one line each (empty: well-formed).

#include <cstddef>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace markdown_check {

/// The number of cells of a table line: its unescaped pipes, minus one.
inline std::size_t cells(std::string_view line) {
  std::size_t pipes = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\') {
      ++i;  // an escaped character, a pipe among them
    } else if (line[i] == '|') {
      ++pipes;
    }
  }
  return pipes == 0 ? 0 : pipes - 1;
}

inline std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    lines.emplace_back(text.substr(at, (end == std::string_view::npos ? text.size() : end) - at));
    at = end == std::string_view::npos ? text.size() : end + 1;
  }
  return lines;
}

/// How many tables the text holds (after problems() found none).
inline std::size_t tables(std::string_view text) {
  static const std::regex delimiter(R"(^\|( :?-{3,}:? \|)+$)");
  std::size_t n = 0;
  for (const auto& line : split_lines(text)) n += std::regex_match(line, delimiter) ? 1U : 0U;
  return n;
}

inline std::vector<std::string> problems(std::string_view text) {
  static const std::regex delimiter(R"(^\|( :?-{3,}:? \|)+$)");
  std::vector<std::string> out;
  const auto lines = split_lines(text);
  const auto where = [&](std::size_t k) { return "line " + std::to_string(k + 1) + ": "; };
  int open_details = 0;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const std::string& line = lines[k];
    if (line.starts_with("<details>")) {
      ++open_details;
      if (line.find("</summary>") == std::string::npos) out.push_back(where(k) + "no summary");
      if (k + 1 < lines.size() && !lines[k + 1].empty()) {
        out.push_back(where(k) + "no blank line after <summary>");
      }
    }
    if (line.starts_with("</details>")) {
      if (--open_details < 0) out.push_back(where(k) + "</details> without <details>");
      if (k > 0 && !lines[k - 1].empty()) out.push_back(where(k) + "no blank line before </details>");
    }
    if (!line.starts_with("|")) continue;
    // A table: the heading, then the delimiter, then rows, after a blank line.
    if (k > 0 && !lines[k - 1].empty()) {
      out.push_back(where(k) + "a table row that does not start a table after a blank line");
      continue;
    }
    if (!line.ends_with("|")) out.push_back(where(k) + "the heading does not end with |");
    const std::size_t width = cells(line);
    if (k + 1 >= lines.size() || !std::regex_match(lines[k + 1], delimiter)) {
      out.push_back(where(k) + "no delimiter row under the heading");
      continue;
    }
    if (cells(lines[k + 1]) != width) out.push_back(where(k + 1) + "delimiter of another width");
    std::size_t r = k + 2;
    for (; r < lines.size() && !lines[r].empty(); ++r) {
      if (!lines[r].starts_with("|") || !lines[r].ends_with("|")) {
        out.push_back(where(r) + "a line inside a table that is not a row");
      } else if (cells(lines[r]) != width) {
        out.push_back(where(r) + std::to_string(cells(lines[r])) + " cells under a heading of " +
                      std::to_string(width));
      }
    }
    k = r;
  }
  if (open_details != 0) out.push_back("unbalanced <details>");
  return out;
}

}  // namespace markdown_check
