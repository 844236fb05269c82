// SPDX-License-Identifier: MIT
#pragma once

/// The lifecycle-policy evaluator (spec section 2.2 and the ecrlp decisions). Header-only; needs no
/// JSON library. `now` is an argument: evaluation never reads the clock.

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdlib>
#include <new>
#include <cstdint>
#include <cstring>
#include <limits>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include <ecrlp/diagnostic.hpp>
#include <ecrlp/image.hpp>
#include <ecrlp/policy.hpp>
#include <ecrlp/tag_match.hpp>
#include <ecrlp/time.hpp>

#if defined(__linux__) && __has_include(<sys/mman.h>)
#  include <sys/mman.h>
#  if defined(MADV_HUGEPAGE)
#    define ECRLP_HAVE_MADV_HUGEPAGE 1
#  endif
#endif

namespace ecrlp {

/// Inputs of an evaluation other than the policy and the images.
struct evaluation_options {
  timestamp now{};  ///< the instant the policy is evaluated at (required)
  /// Manifests of the repository's image indexes (inventory::indexes). An image listed by a live
  /// index (one present and not ARCHIVED) is guarded: no rule selects, counts or acts on it
  /// (spec 2.2 eligibility, 2.7). Empty: indexes are unknown and their children stand alone.
  std::span<const index_manifest> indexes{};
  /// Evaluate every image on its own (`--independent-images`): ignore `indexes` and
  /// subjectManifestDigest, as ECR did before it knew about relationships (ecrlp decision 8).
  bool independent_images = false;
};

/// What happens to an image.
enum class fate : unsigned char {
  keep,       ///< no action
  expire,     ///< deleted (EXPIRE)
  transition  ///< moved to the archive storage class (TRANSITION, targetStorageClass ARCHIVE)
};

/// Lower-case name of a fate ("keep", "expire", "transition").
[[nodiscard]] constexpr std::string_view to_string(fate f) noexcept {
  switch (f) {
    case fate::keep:
      return "keep";
    case fate::expire:
      return "expire";
    case fate::transition:
      return "transition";
  }
  return "?";
}

/// How an image's relationships decided its fate (spec 2.2 eligibility, 2.7).
enum class relation : unsigned char {
  none,         ///< judged by the rules on its own
  index_child,  ///< listed by a live image index: no rule selects, counts or acts on it
  referrer      ///< a referrer whose subject is in the repository: it follows its subject
};

/// Lower-case name of a relation ("none", "index-child", "referrer").
[[nodiscard]] constexpr std::string_view to_string(relation r) noexcept {
  switch (r) {
    case relation::none:
      return "none";
    case relation::index_child:
      return "index-child";
    case relation::referrer:
      return "referrer";
  }
  return "?";
}

/// The outcome for one image.
struct image_decision {
  fate action = fate::keep;
  /// index_child or referrer when a relationship, not the rules, decided the image.
  relation related = relation::none;
  /// Input index of the live index that guards it (index_child) or of its subject (referrer);
  /// 0 when `related` is none.
  std::uint32_t related_to = 0;
  /// rulePriority of the owning rule: the highest-priority rule whose tag requirements and storage
  /// class the image meets. Only the owner may act on the image. nullopt: no rule selects it.
  /// For a referrer, the owner of the subject it follows (the referrer goes when that rule acts
  /// on the subject).
  std::optional<std::int64_t> owner;

  /// A decision: `image_decision{fate::expire, 3}` (24 bytes: one per image of an evaluation).
  constexpr image_decision(fate a = fate::keep, std::optional<std::int64_t> o = std::nullopt,
                           relation r = relation::none, std::uint32_t to = 0) noexcept
      : action{a}, related{r}, related_to{to}, owner{o} {}

  /// appliedRulePriority: the owner's priority when the image is acted on, else nullopt.
  [[nodiscard]] std::optional<std::int64_t> applied_rule_priority() const noexcept {
    return action == fate::keep ? std::nullopt : owner;
  }
};

/// Per-rule totals of an evaluation.
struct rule_summary {
  std::int64_t priority = 0;
  std::size_t identified = 0;  ///< images meeting its storage class and tag requirements
  std::size_t marked = 0;      ///< of those, images past its count or age limit
  std::size_t owned = 0;       ///< images it is the highest-priority match for
  std::size_t acted = 0;       ///< owned and marked: expired or transitioned by this rule
  std::uint64_t owned_bytes = 0;
  std::uint64_t acted_bytes = 0;
  /// Referrers that go with the images this rule acts on (not in `acted`).
  std::size_t cascaded = 0;
  std::uint64_t cascaded_bytes = 0;
};

/// The result of evaluating a policy over a repository's images.
struct evaluation_result {
  /// One decision per input image, at the same index.
  std::vector<image_decision> decisions;
  /// Input indices ordered oldest -> newest by (reference time, imageDigest) (ecrlp decision 2).
  std::vector<std::size_t> order;
  /// One entry per rule, in priority order (lowest rulePriority first).
  std::vector<rule_summary> rules;
  std::size_t expiring = 0;       ///< expiringImageTotalCount (referrers that follow included)
  std::size_t transitioning = 0;  ///< images transitioning to ARCHIVE (referrers included)
  std::size_t guarded = 0;        ///< images guarded by a live index (relation::index_child)
  std::size_t referrers = 0;      ///< referrers following their subject (relation::referrer)
  /// Non-fatal findings about the data (e.g. an ARCHIVED image without lastArchivedAt).
  std::vector<diagnostic> warnings;
};

namespace detail {

inline constexpr std::int64_t microseconds_per_day = 86'400'000'000;

/// `now - reference > days x 86400 s` at microsecond precision, strictly (ecrlp decision 1),
/// without overflow for any countNumber.
[[nodiscard]] constexpr bool older_than(timestamp now, timestamp reference,
                                        std::int64_t days) noexcept {
  const std::int64_t age = (now - reference).count();
  constexpr std::int64_t max_days = std::numeric_limits<std::int64_t>::max() / microseconds_per_day;
  if (days > max_days) return false;  // longer than any representable age
  if (days < -max_days) return true;  // (only invalid policies have negative counts)
  return age > days * microseconds_per_day;
}

/// Storage-class code per image: 0 standard, 1 archive, 2 selected by no rule (ACTIVATING).
[[nodiscard]] constexpr unsigned char class_code(image_status s) noexcept {
  const auto sc = storage_class_of(s);
  if (!sc) return 2;
  return *sc == storage_class::archive ? 1 : 0;
}

/// Rule indices sorted by (priority, document position): the order rules are applied in.
[[nodiscard]] inline std::vector<std::size_t> priority_order(const lifecycle_policy& policy) {
  std::vector<std::size_t> idx(policy.rules.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
    return policy.rules[a].priority < policy.rules[b].priority;
  });
  return idx;
}

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

/// Sort key of a reference time: the microsecond count with its sign bit flipped, so that unsigned
/// order is time order.
[[nodiscard]] constexpr std::uint64_t time_key(timestamp t) noexcept {
  return static_cast<std::uint64_t>(t.time_since_epoch().count()) ^ (std::uint64_t{1} << 63);
}

/// An input index with its sort key.
struct keyed_index {
  std::uint64_t key;
  std::uint32_t index;
};

/// Stable LSD radix sort by key (11-bit digits; digits that are equal in every key are skipped):
/// a handful of linear passes instead of n log n comparisons.
inline void radix_sort(large_vector<keyed_index>& items) {
  constexpr unsigned digit_bits = 11;
  constexpr std::size_t buckets = std::size_t{1} << digit_bits;
  constexpr unsigned passes = (64 + digit_bits - 1) / digit_bits;
  const std::size_t n = items.size();
  if (n < 2) return;
  std::vector<std::size_t> counts(passes * buckets, 0);
  for (const auto& it : items) {
    for (unsigned p = 0; p < passes; ++p) {
      ++counts[p * buckets + ((it.key >> (p * digit_bits)) & (buckets - 1))];
    }
  }
  large_vector<keyed_index> scratch(n);
  for (unsigned p = 0; p < passes; ++p) {
    std::size_t* c = counts.data() + p * buckets;
    if (*std::max_element(c, c + buckets) == n) continue;  // one value: nothing to reorder
    std::size_t sum = 0;
    for (std::size_t b = 0; b < buckets; ++b) sum += std::exchange(c[b], sum);
    for (const auto& it : items) scratch[c[(it.key >> (p * digit_bits)) & (buckets - 1)]++] = it;
    items.swap(scratch);
  }
}

/// Input indices ordered oldest -> newest by (reference time, digest, input position) (ecrlp
/// decision 2).
[[nodiscard]] inline std::vector<std::size_t> age_order(std::span<const image> images) {
  const std::size_t n = images.size();
  std::vector<std::size_t> idx;
  idx.reserve(n);
  advise_huge_pages(idx.data(), n * sizeof(std::size_t));
  idx.resize(n);
  const auto by_digest = [&](std::size_t a, std::size_t b) {
    const int c = images[a].digest.compare(images[b].digest);
    return c != 0 ? c < 0 : a < b;
  };
  if (n > std::numeric_limits<std::uint32_t>::max()) {
    std::iota(idx.begin(), idx.end(), std::size_t{0});
    std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) {
      const timestamp ra = reference_time(images[a]);
      const timestamp rb = reference_time(images[b]);
      return ra != rb ? ra < rb : by_digest(a, b);
    });
    return idx;
  }
  large_vector<keyed_index> items(n);
  for (std::size_t i = 0; i < n; ++i) {
    items[i] = keyed_index{time_key(reference_time(images[i])), static_cast<std::uint32_t>(i)};
  }
  radix_sort(items);  // stable: equal times stay in input order
  for (std::size_t k = 0; k < n; ++k) idx[k] = items[k].index;
  // Equal reference times: by digest, then input position.
  for (std::size_t k = 1; k < n;) {
    if (items[k].key != items[k - 1].key) {
      ++k;
      continue;
    }
    std::size_t end = k + 1;
    while (end < n && items[end].key == items[k].key) ++end;
    std::sort(idx.begin() + static_cast<std::ptrdiff_t>(k - 1),
              idx.begin() + static_cast<std::ptrdiff_t>(end), by_digest);
    k = end;
  }
  return idx;
}

/// Bit number of a character in a tag's character signature: one for each of [a-z], [A-Z],
/// [0-9] and '-', 63 for every other byte.
[[nodiscard]] constexpr unsigned char_bit_number(unsigned char u) noexcept {
  if (u >= 'a' && u <= 'z') return u - 'a';
  if (u >= 'A' && u <= 'Z') return 26U + (u - 'A');
  if (u >= '0' && u <= '9') return 52U + (u - '0');
  return u == '-' ? 62U : 63U;
}

/// char_bit_number of every byte: a table lookup instead of four branches per byte of every tag.
inline constexpr auto char_bit_numbers = [] {
  std::array<unsigned char, 256> t{};
  for (unsigned u = 0; u < 256; ++u) {
    t[u] = static_cast<unsigned char>(char_bit_number(static_cast<unsigned char>(u)));
  }
  return t;
}();

/// Bit of a character in a tag's character signature (char_bit_number).
[[nodiscard]] constexpr std::uint64_t char_bit(char c) noexcept {
  return std::uint64_t{1} << char_bit_numbers[static_cast<unsigned char>(c)];
}

/// Asks for the cache line holding `p` ahead of its use (a hint; a no-op where unsupported).
inline void prefetch([[maybe_unused]] const void* p) noexcept {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
#endif
}

/// Bucket (0..255) of the byte pair `a b` in an image's bigram signature.
[[nodiscard]] constexpr unsigned bigram_hash(unsigned char a, unsigned char b) noexcept {
  return ((static_cast<std::uint32_t>(a) << 8 | b) * 0x9E3779B1U) >> 24;
}

/// The bit planes of a prepared inventory. Plane p holds, for every image, whether its tags
/// have property p: some tag starts with a character of char_bit p (firsts), or some tag
/// contains a byte pair of bigram_hash p - bigrams. A list entry needs some of these properties
/// in any image it identifies, so ANDing those planes rules out 64 images a word before any tag
/// is read. (256 bigram buckets: with 128, the multi-star patterns of the benchmark let about
/// twice as many images through to the tag test.)
struct signature_plane {
  static constexpr std::size_t firsts = 0;
  static constexpr std::size_t bigrams = 64;
  static constexpr std::size_t count = 64 + 256;
};
static_assert(signature_plane::firsts == 0 && signature_plane::bigrams == 64 &&
                  signature_plane::count == 64 + 256,
              "prepared_inventory fills the words of a signature_row one by one");

/// One image's signature: bit p of the row is its bit in plane p. Zero it with `{}`.
struct signature_row {
  static constexpr std::size_t size = signature_plane::count / 64;
  std::uint64_t words[size];

  void set(std::size_t plane) noexcept { words[plane / 64] |= std::uint64_t{1} << (plane % 64); }
  /// Calls f(plane) for every plane set, in increasing order.
  template <class F>
  void for_each(F f) const {
    for (std::size_t w = 0; w < size; ++w) {
      for (std::uint64_t x = words[w]; x != 0; x &= x - 1) {
        f(w * 64 + static_cast<std::size_t>(std::countr_zero(x)));
      }
    }
  }
};

/// Transposes a 64 x 64 bit matrix in place: bit j of a[i] becomes bit i of a[j]. Swaps ever
/// smaller blocks (32, 16, ... 1 bits): 6 x 32 word operations instead of one per set bit.
inline void transpose_bits(std::uint64_t (&a)[64]) noexcept {
  constexpr std::uint64_t masks[] = {0x00000000FFFFFFFFULL, 0x0000FFFF0000FFFFULL,
                                     0x00FF00FF00FF00FFULL, 0x0F0F0F0F0F0F0F0FULL,
                                     0x3333333333333333ULL, 0x5555555555555555ULL};
  unsigned s = 32;
  for (const std::uint64_t m : masks) {
    for (unsigned i = 0; i < 64; i = (i + s + 1) & ~s) {  // rows i with bit s clear
      const std::uint64_t t = ((a[i] >> s) ^ a[i + s]) & m;
      a[i + s] ^= t;
      a[i] ^= t << s;
    }
    s /= 2;
  }
}

/// The first 16 bytes of a string, zero-padded, as two words (memory order).
struct head_words {
  std::uint64_t w0 = 0;
  std::uint64_t w1 = 0;
};

[[nodiscard]] inline head_words head_of(std::string_view s) noexcept {
  unsigned char bytes[16] = {};
  std::memcpy(bytes, s.data(), std::min<std::size_t>(s.size(), 16));
  head_words h;
  std::memcpy(&h.w0, bytes, 8);
  std::memcpy(&h.w1, bytes + 8, 8);
  return h;
}

/// Mask words selecting the first `n` (<= 16) bytes of head_words.
[[nodiscard]] inline head_words head_mask(std::size_t n) noexcept {
  unsigned char bytes[16] = {};
  std::memset(bytes, 0xFF, std::min<std::size_t>(n, 16));
  head_words h;
  std::memcpy(&h.w0, bytes, 8);
  std::memcpy(&h.w1, bytes + 8, 8);
  return h;
}

/// Ages at or past which a since* limit marks an image: `reference < threshold` is exactly
/// older_than(now, reference, days), computed once per rule instead of once per image.
struct age_threshold {
  bool always = false;
  bool never = false;
  std::int64_t threshold = 0;

  age_threshold(timestamp now, std::int64_t days) noexcept {
    constexpr std::int64_t max_days =
        std::numeric_limits<std::int64_t>::max() / microseconds_per_day;
    if (days > max_days) {
      never = true;
      return;
    }
    if (days < -max_days) {
      always = true;
      return;
    }
    // now - reference > days * D  <=>  reference < now - days * D (exact integers). When that
    // difference leaves the int64 range, every reference or none is below it.
    const std::int64_t span = days * microseconds_per_day;
    const std::int64_t t = now.time_since_epoch().count();
    constexpr std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    if (span > 0 && t < lo + span) {
      never = true;
    } else if (span < 0 && t > hi + span) {
      always = true;
    } else {
      threshold = t - span;
    }
  }

  [[nodiscard]] bool marks(std::int64_t reference) const noexcept {
    return always || (!never && reference < threshold);
  }
};

}  // namespace detail

class prepared_inventory;
[[nodiscard]] inline evaluation_result evaluate(const lifecycle_policy& policy,
                                                const prepared_inventory& prepared,
                                                const evaluation_options& options);

/// What every evaluation of a set of images derives from the images alone, whatever the policy:
/// the age order, and per image, in that order, its storage class, reference times, size and tags
/// (with the first 16 bytes of each tag and a character signature, so that most list entries are
/// decided without reading the tag), and bitsets over that order: the storage classes, the tagged
/// images, and the signature planes (detail::signature_plane), so that a rule rules out 64 images
/// with a few word operations. Build it once and evaluate several policies against it
/// (ecrlp diff, simulations): evaluate(policy, prepared, options) skips the sort and the copying
/// that evaluate(policy, images, options) repeats on each call, and gives the same result.
///
/// It refers to `images` without copying them: they must outlive it and stay unchanged.
/// Thread-safe to share between concurrent evaluations (it is not modified after construction).
class prepared_inventory {
 public:
  /// Sorts and indexes `images` (linear in their number and total tag length, plus the sort).
  explicit prepared_inventory(std::span<const image> images)
      : images_{images}, order_{detail::age_order(images)} {
    // One pass over the images, in input order: their tags are copied in that order, one after
    // another, and everything else is written to their positions in age order. Random writes
    // into these (huge-page) arrays are much cheaper than random reads of the images, which miss
    // the cache and the TLB once per image and tag.
    const std::size_t n = images.size();
    position_.resize(n);
    for (std::size_t k = 0; k < n; ++k) position_[order_[k]] = k;
    ref_.resize(n);
    pull_ref_.resize(n);
    archived_at_.resize(n);
    size_.resize(n);
    meta_.resize(n);
    tag_range_.resize(n);
    std::size_t total_tags = 0;
    for (const image& img : images) total_tags += img.tags.size();
    tag_string_.resize(total_tags);
    tag_size_.resize(total_tags);
    tag_w0_.resize(total_tags);
    tag_w1_.resize(total_tags);
    tag_chars_.resize(total_tags);
    // Each image's signature row (detail::signature_plane), by position; transposed below.
    detail::large_vector<detail::signature_row> rows(n);
    std::size_t t = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const image& img = images[i];
      const std::size_t k = position_[i];
      ref_[k] = reference_time(img).time_since_epoch().count();
      pull_ref_[k] = pull_reference_time(img).time_since_epoch().count();
      archived_at_[k] = img.last_archived_at ? img.last_archived_at->time_since_epoch().count() : 0;
      size_[k] = img.size_bytes;
      meta_[k] = static_cast<unsigned char>(
          detail::class_code(img.status) | (img.last_archived_at ? has_archive_time : 0U) |
          (img.status == image_status::archived ? status_archived : 0U) |
          (img.tags.empty() ? 0U : has_tags));
      has_referrers_ = has_referrers_ || !img.subject_digest.empty();
      tag_range_[k] = {t, t + img.tags.size()};
      std::uint64_t firsts = 0;
      std::uint64_t pairs[4] = {};  // the row's bigram words
      for (const auto& tag : img.tags) {
        const auto head = detail::head_of(tag);
        const auto* bytes = reinterpret_cast<const unsigned char*>(tag.data());
        const std::size_t size = tag.size();
        std::uint64_t chars = 0;
        for (std::size_t b = 0; b < size; ++b) chars |= detail::char_bit(tag[b]);
        for (std::size_t b = 1; b < size; ++b) {
          const unsigned h = detail::bigram_hash(bytes[b - 1], bytes[b]);
          pairs[h / 64] |= std::uint64_t{1} << (h % 64);
        }
        if (size != 0) firsts |= detail::char_bit(tag.front());
        tag_string_[t] = &tag;
        tag_size_[t] = tag.size();
        tag_w0_[t] = head.w0;
        tag_w1_[t] = head.w1;
        tag_chars_[t] = chars;
        ++t;
      }
      detail::signature_row& row = rows[k];
      row.words[detail::signature_plane::firsts / 64] = firsts;
      for (std::size_t w = 0; w < 4; ++w) {
        row.words[detail::signature_plane::bigrams / 64 + w] = pairs[w];
      }
    }
    // Bit planes by position: 64 images a word, so that a rule tests 64 images with one AND.
    words_ = (n + 63) / 64;
    standard_bits_.assign(words_, 0);
    archive_bits_.assign(words_, 0);
    tagged_bits_.assign(words_, 0);
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t j = k / 64;
      const std::uint64_t bit = std::uint64_t{1} << (k % 64);
      const unsigned m = meta_[k];
      if ((m & 3U) == 0) standard_bits_[j] |= bit;
      if ((m & 3U) == 1) archive_bits_[j] |= bit;
      if ((m & has_tags) != 0) tagged_bits_[j] |= bit;
    }
    // The rows of 64 images at a time, transposed into the planes.
    planes_.resize(detail::signature_plane::count * words_);
    for (std::size_t j = 0; j < words_; ++j) {
      const std::size_t rows_here = std::min<std::size_t>(64, n - j * 64);
      for (std::size_t w = 0; w < detail::signature_row::size; ++w) {
        std::uint64_t block[64] = {};
        for (std::size_t r = 0; r < rows_here; ++r) block[r] = rows[j * 64 + r].words[w];
        detail::transpose_bits(block);
        for (std::size_t b = 0; b < 64; ++b) planes_[(w * 64 + b) * words_ + j] = block[b];
      }
    }
  }

  /// The images, in input order.
  [[nodiscard]] std::span<const image> images() const noexcept { return images_; }
  /// Input indices oldest -> newest (ecrlp decision 2); evaluation_result::order.
  [[nodiscard]] const std::vector<std::size_t>& order() const noexcept { return order_; }
  /// Number of images.
  [[nodiscard]] std::size_t size() const noexcept { return images_.size(); }
  /// Does any image name a subject (subjectManifestDigest)?
  [[nodiscard]] bool has_referrers() const noexcept { return has_referrers_; }

 private:
  friend evaluation_result evaluate(const lifecycle_policy&, const prepared_inventory&,
                                    const evaluation_options&);

  static constexpr unsigned has_archive_time = 4;  // meta_: lastArchivedAt present
  static constexpr unsigned status_archived = 8;   // meta_: imageStatus ARCHIVED
  static constexpr unsigned has_tags = 16;         // meta_: at least one tag

  struct tag_range {
    std::size_t begin;
    std::size_t end;
  };

  std::span<const image> images_;
  std::vector<std::size_t> order_;
  bool has_referrers_ = false;
  // Per input index: its position in age order (order_[position_[i]] == i).
  detail::large_vector<std::size_t> position_;
  // Per position in age order (index k <-> images_[order_[k]]):
  detail::large_vector<std::int64_t> ref_;          // reference_time, microseconds
  detail::large_vector<std::int64_t> pull_ref_;     // pull_reference_time, microseconds
  detail::large_vector<std::int64_t> archived_at_;  // lastArchivedAt (with has_archive_time)
  detail::large_vector<std::uint64_t> size_;        // imageSizeInBytes
  detail::large_vector<unsigned char> meta_;        // class_code | has_archive_time | ...
  detail::large_vector<tag_range> tag_range_;       // the image's tags in the tag arrays
  // Per tag, the images' tags one after another, in input order. Tags of up to 16 bytes are
  // entirely in tag_w0_/tag_w1_, so that matching them never reads the images' own memory.
  detail::large_vector<const std::string*> tag_string_;
  detail::large_vector<std::size_t> tag_size_;
  detail::large_vector<std::uint64_t> tag_w0_;     // bytes 0..7, zero-padded
  detail::large_vector<std::uint64_t> tag_w1_;     // bytes 8..15, zero-padded
  detail::large_vector<std::uint64_t> tag_chars_;  // OR of char_bit over the tag
  // Bitsets by position (bit k % 64 of word k / 64): storage class STANDARD, ARCHIVE; tagged.
  std::size_t words_ = 0;
  detail::large_vector<std::uint64_t> standard_bits_;
  detail::large_vector<std::uint64_t> archive_bits_;
  detail::large_vector<std::uint64_t> tagged_bits_;
  // detail::signature_plane::count bitsets by position, one after another (words_ words each).
  detail::large_vector<std::uint64_t> planes_;
};

namespace detail {

/// One list entry, prepared for fast tests against prepared tags.
struct compiled_entry {
  tag_list_kind kind = tag_list_kind::none;
  std::string_view text;
  std::size_t literal = 0;  ///< length of the literal prefix (before any `*`)
  head_words value;         ///< the literal prefix's first 16 bytes, zero-padded
  head_words mask;          ///< selects min(literal, 16) bytes
  bool padded_exact = true; ///< literal prefix has no NUL byte: the zero-padded test is exact
  bool whole = false;       ///< the literal prefix decides (prefix list; pattern "lit" or "lit*")
  bool exact_length = false; ///< pattern without `*`: the tag must also be exactly this long
  std::uint64_t chars = 0;  ///< char_bit of every literal character of a pattern

  compiled_entry(tag_list_kind k, std::string_view e) noexcept : kind{k}, text{e} {
    if (kind == tag_list_kind::pattern) {
      const std::size_t star = e.find('*');
      literal = star == std::string_view::npos ? e.size() : star;
      exact_length = star == std::string_view::npos;
      whole = exact_length || e.find_first_not_of('*', star) == std::string_view::npos;
      for (const char c : e) {
        if (c != '*') chars |= char_bit(c);
      }
    } else {
      literal = e.size();
      whole = true;
    }
    const std::string_view lit = e.substr(0, literal);
    value = head_of(lit);
    mask = head_mask(literal);
    padded_exact = lit.find('\0') == std::string_view::npos;
  }

  /// The prepared tags, as compiled_entry::matches reads them.
  struct tag_columns {
    const std::string* const* string;
    const std::size_t* size;
    const std::uint64_t* w0;
    const std::uint64_t* w1;
    const std::uint64_t* chars;
  };

  /// entry_matches(kind, text, tag t).
  [[nodiscard]] bool matches(const tag_columns& c, std::size_t t) const noexcept {
    if (kind == tag_list_kind::none) return false;
    if (!padded_exact) return entry_matches(kind, text, *c.string[t]);
    if ((c.w0[t] & mask.w0) != value.w0) return false;
    // Bytes 8..15 only when the literal reaches them: the load would mostly miss the cache.
    if (literal > 8 && (c.w1[t] & mask.w1) != value.w1) return false;
    if (literal > 16) {
      if (c.size[t] < literal || std::memcmp(c.string[t]->data() + 16, text.data() + 16,
                                             literal - 16) != 0) {
        return false;
      }
    }
    // A prefix (or "lit*") is decided here without reading the tag's size.
    if (whole) return !exact_length || c.size[t] == literal;
    if ((c.chars[t] & chars) != chars) return false;
    const std::size_t size = c.size[t];
    if (size <= 16) {  // the whole tag is in the head words
      char bytes[16];
      std::memcpy(bytes, &c.w0[t], 8);
      std::memcpy(bytes + 8, &c.w1[t], 8);
      return pattern_matches(text, std::string_view(bytes, size));
    }
    return pattern_matches(text, *c.string[t]);
  }
};


/// What a referrer does when its subject chain ends in an image with fate `f` (spec 2.2: "expired
/// or archived within 24 hours of the deletion or archival of the subject"). A transition moves
/// standard images only (spec 2.6), so a referrer already ARCHIVED, or ACTIVATING, stays where it
/// is; an expiry removes it whatever its class.
[[nodiscard]] constexpr fate cascaded_action(fate f, image_status referrer) noexcept {
  return f == fate::transition && referrer != image_status::active ? fate::keep : f;
}

/// The images' relationships (spec 2.2 eligibility, 2.7), by input index.
struct image_relations {
  std::vector<relation> related;          ///< empty when no image is related
  std::vector<std::uint32_t> related_to;  ///< the guarding index or the subject
  std::vector<std::uint32_t> root;        ///< referrers: the image at the end of the subject chain
};

/// Finds referrers whose subject is present (they follow the end of their subject chain) and the
/// images listed by a live index (present and not ARCHIVED), which are guarded. Referrers whose
/// subject is absent, and subject chains that loop, stand alone, with one warning each kind.
[[nodiscard]] inline image_relations relate(std::span<const image> images,
                                            std::span<const index_manifest> indexes,
                                            std::vector<diagnostic>& warnings) {
  const std::size_t n = images.size();
  image_relations rel;
  std::unordered_map<std::string_view, std::uint32_t> by_digest;
  by_digest.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    by_digest.emplace(images[i].digest, static_cast<std::uint32_t>(i));  // first one wins
  }
  rel.related.assign(n, relation::none);
  rel.related_to.assign(n, 0);
  rel.root.assign(n, 0);
  std::size_t orphans = 0;
  std::string first_orphan;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& subject = images[i].subject_digest;
    if (subject.empty()) continue;
    const auto it = by_digest.find(subject);
    if (it == by_digest.end()) {
      if (orphans++ == 0) first_orphan = images[i].digest;
      continue;
    }
    if (it->second == i) continue;  // its own subject: stands alone
    rel.related[i] = relation::referrer;
    rel.related_to[i] = it->second;
  }
  // The end of each subject chain, each image visited once. A chain that never ends (it reaches
  // a loop) leaves its referrers standing alone.
  // state: 0 unvisited, 1 on the current path, 2 resolved, 3 resolved: its chain never ends.
  std::vector<unsigned char> state(n, 0);
  std::vector<std::uint32_t> path;
  std::size_t looped = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (rel.related[i] != relation::referrer || state[i] != 0) continue;
    path.clear();
    auto j = static_cast<std::uint32_t>(i);
    while (rel.related[j] == relation::referrer && state[j] == 0) {
      state[j] = 1;
      path.push_back(j);
      j = rel.related_to[j];
    }
    const bool loop = state[j] == 1 || state[j] == 3;
    const std::uint32_t end = rel.related[j] != relation::referrer ? j : rel.root[j];
    for (const std::uint32_t q : path) {
      state[q] = loop ? 3 : 2;
      rel.root[q] = end;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (state[i] != 3) continue;
    rel.related[i] = relation::none;
    rel.related_to[i] = 0;
    ++looped;
  }
  for (const index_manifest& ix : indexes) {
    const auto it = by_digest.find(ix.digest);
    if (it == by_digest.end() || images[it->second].status == image_status::archived) continue;
    for (const std::string& child : ix.manifests) {
      const auto c = by_digest.find(child);
      if (c == by_digest.end() || c->second == it->second) continue;
      if (rel.related[c->second] != relation::none) continue;  // a referrer, or already guarded
      rel.related[c->second] = relation::index_child;
      rel.related_to[c->second] = it->second;
    }
  }
  if (orphans != 0) {
    diagnostic d;
    d.level = severity::warning;
    d.code = "image.subject_missing";
    d.message = std::to_string(orphans) + " referrer(s) name a subjectManifestDigest that is not in " +
                "the inventory (first: " + first_orphan + "); they are evaluated on their own. " +
                "Export with --filter imageStatus=ANY to include archived subjects";
    warnings.push_back(std::move(d));
  }
  if (looped != 0) {
    diagnostic d;
    d.level = severity::warning;
    d.code = "image.subject_loop";
    d.message = std::to_string(looped) + " referrer(s) form a subjectManifestDigest loop; " +
                "they are evaluated on their own";
    warnings.push_back(std::move(d));
  }
  return rel;
}

}  // namespace detail

/// Evaluates `policy` over prepared images at `options.now`: the same result as
/// evaluate(policy, prepared.images(), options), without redoing the policy-independent work.
[[nodiscard]] inline evaluation_result evaluate(const lifecycle_policy& policy,
                                                const prepared_inventory& prepared,
                                                const evaluation_options& options) {
  const prepared_inventory& p = prepared;
  const std::size_t n = p.size();
  evaluation_result result;
  result.decisions.reserve(n);
  detail::advise_huge_pages(result.decisions.data(), n * sizeof(image_decision));
  result.decisions.resize(n);
  result.order.reserve(n);
  detail::advise_huge_pages(result.order.data(), n * sizeof(std::size_t));
  result.order.assign(p.order_.begin(), p.order_.end());

  const auto rule_order = detail::priority_order(policy);
  // Relationships: referrers that follow their subject and children of live indexes are left
  // out of every rule (excluded, by position), then decided after the rules.
  detail::image_relations rel;
  if (!options.independent_images && (p.has_referrers() || !options.indexes.empty())) {
    rel = detail::relate(p.images_, options.indexes, result.warnings);
  }
  const std::size_t words = p.words_;
  detail::large_vector<std::uint64_t> excluded;  // bitset by position
  for (std::size_t i = 0; i < rel.related.size(); ++i) {
    if (rel.related[i] == relation::none) continue;
    if (excluded.empty()) excluded.assign(words, 0);
    const std::size_t k = p.position_[i];
    excluded[k / 64] |= std::uint64_t{1} << (k % 64);
  }
  const std::uint64_t* const skip = excluded.empty() ? nullptr : excluded.data();
  // By position: the owning rule (index into rule_order, `none` when unowned) and the fate,
  // each written once, by the rule that owns the image. 32 bits: a policy of 2^32 - 1 rules
  // would not fit in memory.
  constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  detail::large_vector<std::uint32_t> owner(n, none);
  detail::large_vector<unsigned char> action(n, 0);
  detail::large_vector<unsigned char> warned;  // sinceImageTransitioned rules only
  // Bitset by position of the images no rule has identified yet (bits past n stay clear in
  // the class bitsets, so they never matter).
  detail::large_vector<std::uint64_t> unowned(words, ~std::uint64_t{0});
  std::vector<detail::compiled_entry> entries;
  std::vector<const std::uint64_t*> planes;  // the signature planes a rule's images need
  constexpr std::size_t block_words = 16;
  std::uint64_t block[block_words];
  std::vector<std::size_t> candidates(block_words * 64);
  const detail::compiled_entry::tag_columns columns{p.tag_string_.data(), p.tag_size_.data(),
                                                    p.tag_w0_.data(), p.tag_w1_.data(),
                                                    p.tag_chars_.data()};

  for (std::size_t ro = 0; ro < rule_order.size(); ++ro) {
    const rule& r = policy.rules[rule_order[ro]];
    const selection& sel = r.selection;
    rule_summary summary;
    summary.priority = r.priority;
    const unsigned want = sel.storage == storage_class::archive ? 1U : 0U;
    const fate act = r.action.type == action_type::transition ? fate::transition : fate::expire;
    entries.clear();
    if (sel.status == tag_status::tagged) {
      for (const auto& e : sel.tag_list) entries.emplace_back(sel.list_kind, e);
      // Every entry must match: test first those a literal prefix decides cheaply.
      std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return a.literal > b.literal;
      });
    }
    // What every identified image's tags must have (signature_plane): for each entry with a
    // literal prefix, a tag starting with its first byte; every byte pair inside a literal run of
    // every entry somewhere. The planes of those properties are ANDed, 64 images a word, before
    // any tag is read.
    detail::signature_row need{};
    for (const auto& e : entries) {
      if (e.kind == tag_list_kind::none) continue;
      if (e.literal != 0) {
        need.set(detail::signature_plane::firsts +
                 detail::char_bit_numbers[static_cast<unsigned char>(e.text.front())]);
      }
      const bool pattern = e.kind == tag_list_kind::pattern;
      for (std::size_t b = 0; b < e.text.size(); ++b) {
        const char c = e.text[b];
        if (pattern && c == '*') continue;
        if (b != 0 && !(pattern && e.text[b - 1] == '*')) {
          need.set(detail::signature_plane::bigrams +
                   detail::bigram_hash(static_cast<unsigned char>(e.text[b - 1]),
                                       static_cast<unsigned char>(c)));
        }
      }
    }
    planes.clear();
    need.for_each([&](std::size_t plane) { planes.push_back(p.planes_.data() + plane * words); });
    const std::uint64_t* const cls = want == 1 ? p.archive_bits_.data() : p.standard_bits_.data();
    const std::uint64_t* const tagged = p.tagged_bits_.data();
    const detail::age_threshold age(options.now, sel.count_number);
    const bool count_all = sel.count_number < 0;
    const auto keep = static_cast<std::uint64_t>(sel.count_number);
    // sinceImagePushed marks exactly the positions below `pushed_cut`: reference times ascend.
    std::size_t pushed_cut = 0;
    if (sel.type == count_type::since_image_pushed) {
      pushed_cut = static_cast<std::size_t>(
          std::partition_point(p.ref_.begin(), p.ref_.end(),
                               [&age](std::int64_t t) { return age.marks(t); }) -
          p.ref_.begin());
    }
    const auto identifies_tags = [&](std::size_t k) {
      const std::size_t tb = p.tag_range_[k].begin;
      const std::size_t te = p.tag_range_[k].end;
      for (const auto& e : entries) {
        bool any = false;
        for (std::size_t t = tb; t < te && !any; ++t) any = e.matches(columns, t);
        if (!any) return false;
      }
      return true;
    };

    std::uint64_t ranked = 0;  // identified images newer than the current word
    // Blocks of words, newest first (rank 1 is the newest image). In each block the bit planes
    // come first; then the tags of the remaining candidates are fetched together, so that
    // their cache misses overlap instead of following one another; then each word is ranked.
    for (std::size_t end = words; end > 0;) {
      const std::size_t begin = end > block_words ? end - block_words : 0;
      for (std::size_t j = begin; j < end; ++j) {
        std::uint64_t w = cls[j];
        if (skip != nullptr) w &= ~skip[j];
        if (sel.status == tag_status::tagged) {
          w &= tagged[j];
        } else if (sel.status == tag_status::untagged) {
          w &= ~tagged[j];
        }
        for (const std::uint64_t* plane : planes) {
          if (w == 0) break;
          w &= plane[j];
        }
        block[j - begin] = w;
      }
      if (!entries.empty()) {
        std::size_t count = 0;
        for (std::size_t j = begin; j < end; ++j) {
          for (std::uint64_t x = block[j - begin]; x != 0; x &= x - 1) {
            const std::size_t k = j * 64 + static_cast<std::size_t>(std::countr_zero(x));
            candidates[count++] = k;
            detail::prefetch(p.tag_range_.data() + k);
          }
        }
        for (std::size_t c = 0; c < count; ++c) {
          const std::size_t tb = p.tag_range_[candidates[c]].begin;
          detail::prefetch(p.tag_w0_.data() + tb);
        }
        for (std::size_t c = 0; c < count; ++c) {
          const std::size_t k = candidates[c];
          if (!identifies_tags(k)) block[k / 64 - begin] &= ~(std::uint64_t{1} << (k % 64));
        }
      }
      for (std::size_t j = end; j-- > begin;) {
        const std::uint64_t w = block[j - begin];
        if (w == 0) continue;
        const auto found = static_cast<std::uint64_t>(std::popcount(w));
        summary.identified += found;
        std::uint64_t marked = 0;
        switch (sel.type) {
          case count_type::image_count_more_than:
            if (count_all || ranked >= keep) {
              marked = w;
            } else if (ranked + found > keep) {  // the newest keep - ranked of this word stay
              marked = w;
              for (std::uint64_t left = keep - ranked; left != 0; --left) {
                marked &= ~(std::uint64_t{1} << (63 - std::countl_zero(marked)));
              }
            }
            ranked += found;
            break;
          case count_type::since_image_pushed:
            if (j < pushed_cut / 64) {
              marked = w;
            } else if (j == pushed_cut / 64) {
              marked = w & ((std::uint64_t{1} << (pushed_cut % 64)) - 1);
            }
            break;
          case count_type::since_image_pulled:
            for (std::uint64_t x = w; x != 0; x &= x - 1) {
              const int b = std::countr_zero(x);
              if (age.marks(p.pull_ref_[j * 64 + static_cast<std::size_t>(b)])) {
                marked |= std::uint64_t{1} << b;
              }
            }
            break;
          case count_type::since_image_transitioned:
            for (std::uint64_t x = w; x != 0;) {  // newest first: the order of the warnings
              const int b = 63 - std::countl_zero(x);
              x &= ~(std::uint64_t{1} << b);
              const std::size_t k = j * 64 + static_cast<std::size_t>(b);
              const unsigned m = p.meta_[k];
              if ((m & prepared_inventory::has_archive_time) != 0) {
                if (age.marks(p.archived_at_[k])) marked |= std::uint64_t{1} << b;
              } else if ((m & prepared_inventory::status_archived) != 0 &&
                         (warned.empty() || warned[k] == 0)) {
                if (warned.empty()) warned.assign(n, 0);
                warned[k] = 1;
                diagnostic d;
                d.level = severity::warning;
                d.code = "image.archived_without_archive_time";
                d.message = "ARCHIVED image " + p.images_[p.order_[k]].digest +
                            " has no lastArchivedAt; it never meets a sinceImageTransitioned limit";
                result.warnings.push_back(std::move(d));
              }
            }
            break;
        }
        summary.marked += static_cast<std::size_t>(std::popcount(marked));
        const std::uint64_t owned = w & unowned[j];
        if (owned == 0) continue;
        unowned[j] &= ~w;
        summary.owned += static_cast<std::size_t>(std::popcount(owned));
        for (std::uint64_t x = owned; x != 0; x &= x - 1) {
          const std::size_t k = j * 64 + static_cast<std::size_t>(std::countr_zero(x));
          owner[k] = static_cast<std::uint32_t>(ro);
          summary.owned_bytes += p.size_[k];
        }
        const std::uint64_t acted = owned & marked;
        const auto acted_count = static_cast<std::size_t>(std::popcount(acted));
        summary.acted += acted_count;
        (act == fate::expire ? result.expiring : result.transitioning) += acted_count;
        for (std::uint64_t x = acted; x != 0; x &= x - 1) {
          const std::size_t k = j * 64 + static_cast<std::size_t>(std::countr_zero(x));
          action[k] = static_cast<unsigned char>(act);
          summary.acted_bytes += p.size_[k];
        }
      }
      end = begin;
    }
    result.rules.push_back(summary);
  }
  // Decisions in input order: written one after another, read from the (smaller) position arrays.
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = p.position_[i];
    if (owner[k] == none) continue;
    auto& dec = result.decisions[i];
    dec.owner = policy.rules[rule_order[owner[k]]].priority;
    dec.action = static_cast<fate>(action[k]);
  }
  for (std::size_t i = 0; i < rel.related.size(); ++i) {
    const relation r = rel.related[i];
    if (r == relation::none) continue;
    auto& dec = result.decisions[i];
    dec.related = r;
    dec.related_to = rel.related_to[i];
    if (r == relation::index_child) {
      ++result.guarded;
      continue;
    }
    ++result.referrers;
    const std::size_t k = p.position_[rel.root[i]];  // the image whose fate it takes
    if (owner[k] == none) continue;
    dec.owner = policy.rules[rule_order[owner[k]]].priority;
    dec.action = detail::cascaded_action(static_cast<fate>(action[k]), p.images_[i].status);
    if (dec.action == fate::keep) continue;
    ++(dec.action == fate::expire ? result.expiring : result.transitioning);
    auto& summary = result.rules[owner[k]];
    ++summary.cascaded;
    summary.cascaded_bytes += p.images_[i].size_bytes;
  }
  return result;
}

/// Does `r` identify image `img` (storage class and tag requirements, spec 2.2 S(r))?
[[nodiscard]] inline bool identifies(const rule& r, const image& img) noexcept {
  const auto sc = storage_class_of(img.status);
  return sc && *sc == r.selection.storage && tags_match(r.selection, img.tags);
}

/// Evaluates `policy` over `images` at `options.now` (spec 2.2).
///
/// Phase 1: every rule identifies the images of its storage class that meet its tag requirements,
/// and marks those past its limit; count limits rank all identified images newest first, including
/// images that higher-priority rules also identify. Phase 2: each image's owner is the
/// highest-priority rule identifying it, and only the owner's mark acts on it.
///
/// The policy is expected to be valid (see validate()); any policy is evaluated deterministically.
/// Digests are expected to be unique; equal digests are ordered by input position.
[[nodiscard]] inline evaluation_result evaluate(const lifecycle_policy& policy,
                                                std::span<const image> images,
                                                const evaluation_options& options) {
  return evaluate(policy, prepared_inventory(images), options);
}

}  // namespace ecrlp
