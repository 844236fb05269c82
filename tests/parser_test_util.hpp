// SPDX-License-Identifier: MIT
#pragma once

// Diagnostics helpers shared by the parser tests (inventory, manifests, registry, hostile input).

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/diagnostic.hpp>

namespace parser_test {

/// Every diagnostic on a line of its own, `file:line:column: pointer: level[code]: message`
/// (for INFO()).
inline std::string dump(const std::vector<ecrlp::diagnostic>& diags) {
  std::string out;
  for (const auto& d : diags) {
    out += d.file + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
           d.pointer + ": " + std::string{ecrlp::to_string(d.level)} + "[" + d.code +
           "]: " + d.message + "\n";
  }
  return out;
}

/// The first diagnostic with `code` at `pointer`, or nullptr.
inline const ecrlp::diagnostic* find(const std::vector<ecrlp::diagnostic>& diags,
                                     std::string_view code, std::string_view pointer) {
  const auto it = std::find_if(diags.begin(), diags.end(), [&](const ecrlp::diagnostic& d) {
    return d.code == code && d.pointer == pointer;
  });
  return it == diags.end() ? nullptr : &*it;
}

/// How many diagnostics have `code`.
inline std::size_t count_code(const std::vector<ecrlp::diagnostic>& diags, std::string_view code) {
  return static_cast<std::size_t>(std::count_if(
      diags.begin(), diags.end(), [&](const ecrlp::diagnostic& d) { return d.code == code; }));
}

}  // namespace parser_test
