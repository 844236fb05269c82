// SPDX-License-Identifier: MIT
// libFuzzer target: parse_timestamp on arbitrary text. Differential: the allocation-free fast path
// (parse_timestamp) must agree with the reference parser (a regular expression plus Howard
// Hinnant's date) on every input; an accepted instant must survive format_timestamp and a re-parse.

#include <ecrlp/time.hpp>

#include "fuzz_check.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ecrlp::detail {
// Defined in lib/read/time.cpp with external linkage for the tests; no header declares it.
[[nodiscard]] std::optional<timestamp> parse_timestamp_reference(std::string_view text);
}  // namespace ecrlp::detail

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using ecrlp::fuzz::require;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto fast = ecrlp::parse_timestamp(text);
  const auto reference = ecrlp::detail::parse_timestamp_reference(text);
  require(fast.has_value() == reference.has_value(), "fast and reference parsers disagree", text);
  if (!fast) return 0;
  require(*fast == *reference, "fast and reference parsers give different instants", text);
  const std::string printed = ecrlp::format_timestamp(*fast);
  const auto again = ecrlp::parse_timestamp(printed);
  require(again.has_value() && *again == *fast, "format_timestamp does not round-trip", printed);
  return 0;
}
