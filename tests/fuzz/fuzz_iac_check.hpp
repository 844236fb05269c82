// SPDX-License-Identifier: MIT
#pragma once

// The invariants the two infrastructure-code fuzz targets check on every input, beyond "no crash,
// no sanitizer report":
//  * value <=> no error among the document's diagnostics; every diagnostic (the document's, each
//    policy's, each change's) names the file, lies inside the input and has a bounded message;
//  * line and column agree with the byte offset;
//  * every offset of a found policy's text maps inside the input, and parse_found_policy() gives
//    diagnostics that do too;
//  * a second parse gives the same diagnostics.

#include <ecrlp/iac.hpp>

#include "fuzz_check.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace ecrlp::fuzz {

/// Line and column of `byte` in `text`, as the library counts them (1-based, bytes).
inline void check_position(const diagnostic& d, std::string_view text) {
  if (d.line == 0) return;
  std::size_t line = 1;
  std::size_t start = 0;
  for (std::size_t i = 0; i < d.byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      start = i + 1;
    }
  }
  require(d.line == line && d.column == d.byte - start + 1, "line:column disagrees with the byte",
          d.code);
}

inline void check_sources(std::string_view text, std::string_view file,
                          policy_source_format format) {
  const auto r = parse_policy_sources(text, file, format);
  require(r.value.has_value() == !has_errors(r.diagnostics), "value <=> no document error");
  const auto all = all_diagnostics(r);
  check_diagnostics(all, file, text.size());
  for (const auto& d : all) {
    require(d.code.starts_with("iac."), "a reader diagnostic that is not iac.*", d.code);
    require(d.line != 0, "an iac diagnostic without a position", d.code);
    check_position(d, text);
  }
  check_same(all, all_diagnostics(parse_policy_sources(text, file, format)));
  if (!r.value) return;
  for (const auto& p : r.value->policies) {
    require(p.file == file, "a policy names another file", p.file);
    if (p.spans.empty()) continue;  // a policy file of its own: parse_policy's business
    require(p.position.byte <= text.size(), "a policy starts beyond the input");
    for (std::size_t o = 0; o <= p.text.size(); o += 1 + o / 8) {
      const auto at = locate_in_source(p, o);
      require(at.byte <= text.size(), "a text offset maps beyond the input");
    }
    const auto parsed = parse_found_policy(p);
    check_diagnostics(parsed.diagnostics, file, text.size());
    require(parsed.value.has_value() == !has_errors(parsed.diagnostics),
            "policy value <=> no error");
  }
}

}  // namespace ecrlp::fuzz
