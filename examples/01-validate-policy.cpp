// SPDX-License-Identifier: MIT
// Example 1: validate a lifecycle policy file and list its rules.
//
//   01-validate-policy POLICY.json
//
// Parsing never throws: problems come back as diagnostics with a stable code and a JSON pointer.
// Exit status: 0 valid, 1 invalid, 2 usage.

#include <ecrlp/policy_parser.hpp>
#include <ecrlp/render.hpp>

#include <cstdlib>
#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: 01-validate-policy POLICY.json\n";
    return 2;
  }
  const auto parsed = ecrlp::load_policy(argv[1]);

  // Every problem at once, compiler-style (warnings may accompany a valid policy).
  std::cout << ecrlp::render(ecrlp::diagnostics_document{parsed.diagnostics}, ecrlp::output_format::text);
  for (const auto& d : parsed.diagnostics) {
    // The same facts, field by field: what a tool would read.
    std::cout << "  " << ecrlp::to_string(d.level) << " " << d.code << " at '" << d.pointer
              << "' (line " << d.line << ")\n";
  }
  if (!parsed.ok()) {
    std::cout << argv[1] << ": invalid\n";
    return EXIT_FAILURE;
  }

  const ecrlp::lifecycle_policy& policy = parsed.value->policy;
  std::cout << argv[1] << ": valid, " << policy.rules.size() << " rules\n";
  for (const auto& rule : policy.rules) {
    const auto& sel = rule.selection;
    std::cout << "  priority " << rule.priority << ": " << ecrlp::to_string(sel.status);
    for (const auto& entry : sel.tag_list) std::cout << " " << entry;
    std::cout << ", " << ecrlp::to_string(sel.type) << " " << sel.count_number
              << (ecrlp::is_age_limit(sel.type) ? " days" : "") << " -> "
              << ecrlp::to_string(rule.action.type) << "  (" << rule.description << ")\n";
  }
  return EXIT_SUCCESS;
}
