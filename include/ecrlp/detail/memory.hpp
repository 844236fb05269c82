// SPDX-License-Identifier: MIT
#pragma once

// How the evaluator allocates its large flat arrays (large_allocator, large_vector) and reads
// ahead of use (prefetch). Internal to <ecrlp/evaluate.hpp>.
//
// No OS header and no memory advice: the header-only evaluator allocates through the standard
// allocator and leaves the process's memory to the program that owns it. The ecrlp command
// advises its main heap into transparent huge pages (lib/cli/main.cpp) and serves blocks of up to
// 32 MiB from it; the evaluator's arrays are at most 24 bytes an image (most 8: the bit planes are
// split by word, plane_columns), so at 1M images every one of them comes from that heap. A
// program that links the library can do the same for its own heap, or, with glibc 2.35 and later,
// run with GLIBC_TUNABLES=glibc.malloc.hugetlb=1 (docs/performance.md has the measurements).

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace ecrlp::detail {

/// std::allocator, except that elements are default-initialised: a resized vector of integers
/// holds unspecified values until written. For the large flat arrays of prepared_inventory and
/// of an evaluation, which are written in full right after they are sized; zeroing them first
/// would touch every page twice.
template <class T>
struct large_allocator {
  using value_type = T;

  large_allocator() noexcept = default;
  template <class U>
  large_allocator(const large_allocator<U>&) noexcept {}  // NOLINT: allocator conversion

  [[nodiscard]] T* allocate(std::size_t n) { return std::allocator<T>{}.allocate(n); }
  void deallocate(T* p, std::size_t n) noexcept { std::allocator<T>{}.deallocate(p, n); }

  /// Default-initialises: resize(n) leaves trivial elements unwritten.
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
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
