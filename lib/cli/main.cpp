// SPDX-License-Identifier: MIT
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <limits>
#include <new>
#include <string_view>
#include <vector>

#if defined(__GLIBC__) && defined(__linux__)
#  include <malloc.h>
#  include <sys/mman.h>
#  include <unistd.h>
#endif

#include "app.hpp"

namespace {

/// Lets the heap of the main thread grow in transparent huge pages (Linux with glibc; a no-op
/// elsewhere, or where the kernel does not have them).
///
/// An inventory is hundreds of thousands of small allocations (a digest and a tag list per
/// image), written once, in order, into fresh heap pages. Each fresh 4 KiB page is a page fault;
/// on virtual machines a fault costs tens of microseconds, and at 100k images the faults were a
/// quarter of `ecrlp preview` (about 9,000 of them). With THP in "madvise" mode (the usual
/// default) a heap advised MADV_HUGEPAGE faults once per 2 MiB instead: about 1,000 faults.
///
/// How: the next growth of the heap reserves 1 GiB of address space at once (M_TOP_PAD; address
/// space only: a page is resident once written), that range is advised, and glibc is told not to
/// give it back (M_TRIM_THRESHOLD) and to serve blocks of up to 32 MiB from it (M_MMAP_THRESHOLD)
/// rather than from separate mappings. If the reservation is refused (strict overcommit, a
/// small RLIMIT_AS), the probe allocation fails and the heap simply grows as usual. What grows
/// past the gibibyte, and the arenas of other threads, keep ordinary pages.
void heap_in_huge_pages() noexcept {
#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_HUGEPAGE) && defined(M_TOP_PAD)
  constexpr int reserve = 1 << 30;
  constexpr std::uintptr_t huge = std::uintptr_t{1} << 21;
  (void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
  (void)mallopt(M_TRIM_THRESHOLD, std::numeric_limits<int>::max());
  (void)mallopt(M_TOP_PAD, reserve);
  // Larger than the free top of the young heap, below the mmap threshold: the heap must grow.
  void* probe = std::malloc(std::size_t{16} << 20);
  (void)mallopt(M_TOP_PAD, 128 << 10);  // glibc's default, for any later growth
  if (probe == nullptr) return;
  const auto begin = reinterpret_cast<std::uintptr_t>(probe);
  const auto end = reinterpret_cast<std::uintptr_t>(sbrk(0));
  const std::uintptr_t first = (begin + huge - 1) & ~(huge - 1);
  const std::uintptr_t last = end & ~(huge - 1);
  if (end > begin && last > first) {
    (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
  }
  std::free(probe);
#endif
}

}  // namespace

int main(int argc, char** argv) {
  heap_in_huge_pages();
  // The library reports bad input as diagnostics; what can still escape is std::bad_alloc (an
  // input too large for the memory) or a failure to start a thread. Say so instead of letting
  // std::terminate abort. app.hpp has no internal-error code: exit_invalid (1) is used.
  try {
    const std::vector<std::string_view> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    return ecrlp::cli::run(args, std::cout, std::cerr);
  } catch (const std::bad_alloc&) {
    std::cout.flush();
    std::cerr << "ecrlp: error: out of memory\n";
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "ecrlp: error: " << e.what() << "\n";
  }
  return ecrlp::cli::exit_invalid;
}
