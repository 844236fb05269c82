// SPDX-License-Identifier: MIT
// Diagnostics as compiler-style lines, and what `ecrlp validate` says of each file.

#include <string>

#include "document/phrases.hpp"
#include "render/text/text.hpp"

namespace ecrlp::writer::text {

void write(output& out, const diagnostics_document& doc, const render_options&) {
  for (const auto& d : doc.diagnostics) {
    out.put(d.file.empty() ? std::string_view("<input>") : std::string_view(d.file));
    if (d.line != 0) out.format(":{}:{}", d.line, d.column);
    out.format(": {}[{}]", to_string(d.level), d.code);
    if (!d.address.empty()) out.format(" in {}", d.address);
    if (!d.pointer.empty()) out.format(" at {}", d.pointer);
    out.format(": {}\n", d.message);
    if (!d.aws_message.empty()) out.format("    ECR says: {}\n", d.aws_message);
  }
}

void write(output& out, const validation_document& doc, const render_options& options) {
  for (const auto& p : doc.policies) {
    write(out, diagnostics_document{p.diagnostics}, options);
    if (p.valid) {
      const std::size_t n = p.rules.value_or(0);
      out.format("{}: valid ({} rule{})\n", p.file, n, detail::plural_s(n));
    } else {
      std::size_t errors = 0;
      for (const auto& d : p.diagnostics) errors += d.level == severity::error ? 1U : 0U;
      out.format("{}: invalid ({} error{})\n", p.file, errors, detail::plural_s(errors));
    }
  }
  for (const auto& name : doc.without_policy) out.format("{}: no lifecycle policy\n", name);
}

}  // namespace ecrlp::writer::text
