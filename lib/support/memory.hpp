// SPDX-License-Identifier: MIT
#pragma once

// Memory hints for the large buffers of the readers and writers (a no-op where the platform has
// none). The OS headers they need stay in memory.cpp, out of every header.

#include <cstddef>

namespace ecrlp::support {

/// Asks the kernel to back the 2 MiB-aligned part of [data, data + bytes) with transparent huge
/// pages (Linux, THP in "madvise" mode). Large buffers that are written once from start to end are
/// then faulted in 2 MiB at a time instead of 4 KiB: on virtual machines where a page fault costs
/// tens of microseconds, that is most of the time spent filling them. A no-op elsewhere.
void advise_huge_pages(void* data, std::size_t bytes) noexcept;

/// Asks for the cache line holding `p` ahead of its use (a hint; a no-op where unsupported).
inline void prefetch([[maybe_unused]] const void* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
#endif
}

}  // namespace ecrlp::support
