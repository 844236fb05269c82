// SPDX-License-Identifier: MIT
#pragma once

// How the evaluator allocates its large flat arrays (large_allocator, large_vector) and reads
// ahead of use (prefetch). Internal to <ecrlp/evaluate.hpp>.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#if defined(__linux__) && __has_include(<sys/mman.h>)
#  include <sys/mman.h>
#  if defined(MADV_HUGEPAGE)
#    define ECRLP_HAVE_MADV_HUGEPAGE 1
#  endif
#endif

namespace ecrlp::detail {

/// Asks the kernel to back the 2 MiB-aligned part of [data, data + bytes) with transparent huge
/// pages (Linux, THP in "madvise" mode). Large buffers that are written once from start to end are
/// then faulted in 2 MiB at a time instead of 4 KiB: on virtual machines where a page fault costs
/// tens of microseconds, that is most of the time spent filling them. A no-op elsewhere.
inline void advise_huge_pages([[maybe_unused]] void* data,
                              [[maybe_unused]] std::size_t bytes) noexcept {
#if defined(ECRLP_HAVE_MADV_HUGEPAGE)
  constexpr std::uintptr_t huge = std::uintptr_t{1} << 21;
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (begin + huge - 1) & ~(huge - 1);
  const std::uintptr_t last = (begin + bytes) & ~(huge - 1);
  if (last > first) {
    (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
  }
#endif
}

/// std::allocator, except that blocks of 2 MiB and more are 2 MiB-aligned and advised to use huge
/// pages (advise_huge_pages), and that elements are default-initialised (a resized vector of
/// integers holds unspecified values until written). For the large flat arrays of
/// prepared_inventory.
template <class T>
struct large_allocator {
  using value_type = T;
  static constexpr std::size_t huge = std::size_t{1} << 21;

  large_allocator() noexcept = default;
  template <class U>
  large_allocator(const large_allocator<U>&) noexcept {}  // NOLINT: allocator conversion

  [[nodiscard]] T* allocate(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_alloc();
    const std::size_t bytes = n * sizeof(T);
    if (bytes < huge) return std::allocator<T>{}.allocate(n);
    const std::size_t rounded = (bytes + huge - 1) / huge * huge;
    void* p = ::operator new(rounded, std::align_val_t{huge});
    advise_huge_pages(p, rounded);
    return static_cast<T*>(p);
  }

  /// Default-initialises: resize(n) leaves trivial elements unwritten (the prepared arrays are
  /// written in full right after; zeroing them first would touch every page twice).
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < huge) {
      std::allocator<T>{}.deallocate(p, n);
    } else {
      ::operator delete(p, std::align_val_t{huge});
    }
  }

  template <class U>
  friend bool operator==(const large_allocator&, const large_allocator<U>&) noexcept {
    return true;
  }
};

/// A vector of large_allocator.
template <class T>
using large_vector = std::vector<T, large_allocator<T>>;

/// Asks for the cache line holding `p` ahead of its use (a hint; a no-op where unsupported).
inline void prefetch([[maybe_unused]] const void* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
#endif
}

}  // namespace ecrlp::detail
