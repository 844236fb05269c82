// SPDX-License-Identifier: MIT
#pragma once

// Private: what the in-use reader shares with parse_image_reference (lib/read/image_reference.cpp).

#include <string>
#include <string_view>

namespace ecrlp::read {

/// Why `d` is not a digest, or "" when it is one: `sha256:<64 lower-case hex>` or
/// `sha512:<128 lower-case hex>`.
[[nodiscard]] std::string digest_problem(std::string_view d);

}  // namespace ecrlp::read
