// SPDX-License-Identifier: MIT
#pragma once

// Why an image is kept, expired or transitioned, in sentences (docs/explain.md): what `ecrlp
// explain` prints, and what the HTML pages unfold and the markdown lists for an image.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <ecrlp/document.hpp>
#include <ecrlp/explain.hpp>

namespace ecrlp::detail {

/// The explanation of an image, a line each: its facts (times, status, size, tags), its fate (or
/// the relationship that decides it), then per rule a sentence and, indented by two spaces, which
/// tag matched which entry of the rule's list.
[[nodiscard]] std::vector<std::string> explanation_lines(const explainer& ex,
                                                         const image_explanation& e);
[[nodiscard]] std::vector<std::string> explanation_lines(const explainer& ex,
                                                         std::size_t image_index);

/// explanation_lines() as one text, a line each (no final newline).
[[nodiscard]] std::string explanation_text(const explainer& ex, std::size_t image_index);

/// "prefix" or "pattern": what a rule's tag list holds.
[[nodiscard]] std::string_view entry_word(const rule& r) noexcept;

/// The references that make image `i` in use (its own and those of the indexes listing it),
/// ascending, each once.
[[nodiscard]] std::vector<std::size_t> in_use_refs_of(const explain_in_use& in_use, std::size_t i);

/// For an in-use image: "In use as app:v1 (running.txt:3)." when the explanation keeps it, or
/// "IN USE as ...: expiring it would remove a running image (an in-use violation)."; "" when
/// image `i` is not in use.
[[nodiscard]] std::string in_use_sentence(const explainer& ex, const explain_in_use& in_use,
                                          std::size_t i, fate action);

}  // namespace ecrlp::detail
