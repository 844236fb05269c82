// SPDX-License-Identifier: MIT
//
// ingest_floor: the least work that can load an inventory, to measure `ecrlp preview` against.
//
// One simdjson On-Demand pass over a describe-images page ({"imageDetails": [...]} or a bare
// array) that extracts exactly the fields the evaluator needs, and nothing else:
//   imageDigest, imageTags      -> string_views into the input (no copy, no validation)
//   imagePushedAt, lastRecordedPullTime, lastArchivedAt, lastActivatedAt
//                                -> microseconds since the epoch (fixed ISO-8601 layout with an
//                                   offset, or epoch seconds; nothing else is recognised)
//   imageStatus, imageSizeInBytes -> a byte and an integer
// Every other member is skipped unread (simdjson's own skip: no validation of its scalars). There
// is no evaluation, no diagnostics, no duplicate-digest check and no output beyond a checksum line,
// so that the optimiser cannot drop the work.
//
// The file is read the same way ecrlp reads it (lib/read/input.cpp, lib/read/inventory/load.cpp): mapped with mmap when
// the mapping leaves SIMDJSON_PADDING readable bytes after the end, else read into a padded buffer.
// `--read` forces the buffer (simdjson::padded_string::load), to compare the two.
//
// Usage: ingest_floor [--read] FILE.json     (exit 0; 1 when the file cannot be read or parsed)

#include <simdjson.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

namespace {

namespace od = simdjson::ondemand;

/// What the evaluator needs of one image, in the smallest form.
struct floor_image {
  std::string_view digest;
  std::uint32_t first_tag = 0;  ///< tags[first_tag .. first_tag + tag_count)
  std::uint32_t tag_count = 0;
  std::int64_t pushed = 0;  ///< microseconds since the epoch; INT64_MIN = absent
  std::int64_t pulled = INT64_MIN;
  std::int64_t archived = INT64_MIN;
  std::int64_t activated = INT64_MIN;
  std::uint64_t size = 0;
  unsigned char status = 0;  ///< 0 ACTIVE, 1 ARCHIVED, 2 ACTIVATING
};

constexpr std::int64_t absent = INT64_MIN;

[[nodiscard]] constexpr bool digit(char c) noexcept { return c >= '0' && c <= '9'; }

[[nodiscard]] constexpr std::int64_t num(const char* p, int n) noexcept {
  std::int64_t v = 0;
  for (int i = 0; i < n; ++i) v = v * 10 + (p[i] - '0');
  return v;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
[[nodiscard]] constexpr std::int64_t days_from_civil(std::int64_t y, std::int64_t m,
                                                     std::int64_t d) noexcept {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|+hh:mm|-hh:mm)` or epoch seconds `123[.456]`; absent otherwise.
[[nodiscard]] std::int64_t parse_time(std::string_view s) noexcept {
  if (s.size() >= 20 && s[4] == '-') {
    const char* p = s.data();
    std::int64_t us = (days_from_civil(num(p, 4), num(p + 5, 2), num(p + 8, 2)) * 86400 +
                       num(p + 11, 2) * 3600 + num(p + 14, 2) * 60 + num(p + 17, 2)) *
                      1'000'000;
    std::size_t i = 19;
    if (s[i] == '.') {
      std::int64_t frac = 0;
      int digits = 0;
      for (++i; i < s.size() && digit(s[i]); ++i, ++digits) {
        if (digits < 6) frac = frac * 10 + (s[i] - '0');
      }
      for (; digits < 6; ++digits) frac *= 10;
      us += frac;
    }
    if (i < s.size() && (s[i] == '+' || s[i] == '-') && i + 6 == s.size()) {
      const std::int64_t off = (num(p + i + 1, 2) * 60 + num(p + i + 4, 2)) * 60'000'000;
      us += s[i] == '+' ? -off : off;
    }
    return us;
  }
  std::int64_t sec = 0;
  std::size_t i = 0;
  for (; i < s.size() && digit(s[i]); ++i) sec = sec * 10 + (s[i] - '0');
  std::int64_t frac = 0;
  int digits = 0;
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && digit(s[i]); ++i, ++digits) {
      if (digits < 6) frac = frac * 10 + (s[i] - '0');
    }
  }
  for (; digits < 6; ++digits) frac *= 10;
  return i == 0 ? absent : sec * 1'000'000 + frac;
}

/// A string value as it stands in the input (unescaped only when it has a backslash).
[[nodiscard]] std::string_view text_of(od::value& v) {
  std::string_view raw = v.raw_json_token();
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' ||
                          raw.back() == '\t')) {
    raw.remove_suffix(1);
  }
  if (raw.size() >= 2 && raw.front() == '"') {
    raw = raw.substr(1, raw.size() - 2);
    if (raw.find('\\') == std::string_view::npos) return raw;
    std::string_view s;
    if (v.get_string().get(s) == simdjson::SUCCESS) return s;
    return {};
  }
  return raw;  // a number (epoch seconds, size)
}

/// The key of a field as it stands in the input (keys of describe-images have no escapes).
[[nodiscard]] std::string_view key_of(od::field& f) noexcept {
  const char* k = f.key().raw();
  const char* q = static_cast<const char*>(std::memchr(k, '"', 64));
  return q == nullptr ? std::string_view{} : std::string_view{k, static_cast<std::size_t>(q - k)};
}

/// Reads one ImageDetail. Returns false on a structural error.
bool read_image(od::value v, floor_image& img, std::vector<std::string_view>& tags) {
  od::object obj;
  if (v.get_object().get(obj) != simdjson::SUCCESS) return false;
  for (auto member : obj) {
    od::field f;
    if (std::move(member).get(f) != simdjson::SUCCESS) return false;
    const std::string_view k = key_of(f);
    od::value fv = f.value();
    switch (k.size()) {
      case 9:  // imageTags
        if (k == "imageTags") {
          od::array arr;
          if (fv.get_array().get(arr) != simdjson::SUCCESS) break;
          img.first_tag = static_cast<std::uint32_t>(tags.size());
          for (auto element : arr) {
            od::value tv;
            if (std::move(element).get(tv) != simdjson::SUCCESS) return false;
            tags.push_back(text_of(tv));
          }
          img.tag_count = static_cast<std::uint32_t>(tags.size()) - img.first_tag;
        }
        break;
      case 11:  // imageDigest, imageStatus
        if (k == "imageDigest") {
          img.digest = text_of(fv);
        } else if (k == "imageStatus") {
          const std::string_view s = text_of(fv);
          img.status = s == "ARCHIVED" ? 1 : s == "ACTIVATING" ? 2 : 0;
        }
        break;
      case 13:  // imagePushedAt
        if (k == "imagePushedAt") img.pushed = parse_time(text_of(fv));
        break;
      case 14:  // lastArchivedAt
        if (k == "lastArchivedAt") img.archived = parse_time(text_of(fv));
        break;
      case 15:  // lastActivatedAt
        if (k == "lastActivatedAt") img.activated = parse_time(text_of(fv));
        break;
      case 16:  // imageSizeInBytes
        if (k == "imageSizeInBytes") {
          std::uint64_t n = 0;
          if (fv.get_uint64().get(n) == simdjson::SUCCESS) img.size = n;
        }
        break;
      case 20:  // lastRecordedPullTime
        if (k == "lastRecordedPullTime") img.pulled = parse_time(text_of(fv));
        break;
      default:
        break;  // skipped by the next iteration
    }
  }
  return true;
}

/// madvise(MADV_HUGEPAGE) on the 2 MiB-aligned part of a buffer (as lib/support/memory.cpp does).
void advise_huge_pages(void* data, std::size_t bytes) noexcept {
  constexpr std::uintptr_t huge = std::uintptr_t{1} << 21;
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first = (begin + huge - 1) & ~(huge - 1);
  const std::uintptr_t last = (begin + bytes) & ~(huge - 1);
  if (last > first) (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

/// The input: mapped, or copied into a padded buffer.
class input {
 public:
  bool open(const char* path, bool force_read) {
    if (!force_read) {
      const int fd = ::open(path, O_RDONLY);
      if (fd < 0) return false;
      struct stat st {};
      if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        const auto size = static_cast<std::size_t>(st.st_size);
        const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        // The rest of the last page reads as zeros: enough padding when it has room for it.
        if (page - size % page >= simdjson::SIMDJSON_PADDING && size % page != 0) {
          void* m = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
          if (m != MAP_FAILED) {
            map_ = m;
            map_size_ = size;
            text_ = {static_cast<const char*>(m), size};
            ::close(fd);
            return true;
          }
        }
      }
      ::close(fd);
    }
    if (simdjson::padded_string::load(path).get(buffer_) != simdjson::SUCCESS) return false;
    text_ = {buffer_.data(), buffer_.size()};
    return true;
  }
  ~input() {
    if (map_ != nullptr) ::munmap(map_, map_size_);
  }
  [[nodiscard]] std::string_view text() const noexcept { return text_; }
  [[nodiscard]] bool mapped() const noexcept { return map_ != nullptr; }

 private:
  void* map_ = nullptr;
  std::size_t map_size_ = 0;
  simdjson::padded_string buffer_;
  std::string_view text_;
};

}  // namespace

int main(int argc, char** argv) {
  bool force_read = false;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--read") == 0) {
      force_read = true;
    } else {
      path = argv[i];
    }
  }
  if (path == nullptr) {
    std::fputs("usage: ingest_floor [--read] FILE.json\n", stderr);
    return 2;
  }
  input in;
  if (!in.open(path, force_read)) {
    std::fprintf(stderr, "ingest_floor: cannot read %s\n", path);
    return 1;
  }
  const std::string_view text = in.text();
  od::parser parser;
  od::document doc;
  if (parser.iterate(text.data(), text.size(), text.size() + simdjson::SIMDJSON_PADDING)
          .get(doc) != simdjson::SUCCESS) {
    std::fputs("ingest_floor: not JSON\n", stderr);
    return 1;
  }
  std::vector<floor_image> images;
  std::vector<std::string_view> tags;
  images.reserve(text.size() / 1024 + 16);
  tags.reserve(text.size() / 256 + 16);
  // The same huge-page advice ecrlp's reader gives its image array (support::advise_huge_pages).
  advise_huge_pages(images.data(), images.capacity() * sizeof(floor_image));
  advise_huge_pages(tags.data(), tags.capacity() * sizeof(std::string_view));

  od::array details;
  od::json_type t{};
  if (doc.type().get(t) != simdjson::SUCCESS) return 1;
  if (t == od::json_type::array) {
    if (doc.get_array().get(details) != simdjson::SUCCESS) return 1;
  } else if (doc["imageDetails"].get_array().get(details) != simdjson::SUCCESS) {
    std::fputs("ingest_floor: no imageDetails array\n", stderr);
    return 1;
  }
  for (auto element : details) {
    od::value v;
    if (std::move(element).get(v) != simdjson::SUCCESS) return 1;
    floor_image img;
    if (!read_image(v, img, tags)) {
      std::fputs("ingest_floor: malformed ImageDetail\n", stderr);
      return 1;
    }
    images.push_back(img);
  }

  // A checksum of everything extracted, so that none of it is optimised away.
  std::uint64_t sum = 0;
  for (const auto& img : images) {
    sum += static_cast<std::uint64_t>(img.pushed) ^ static_cast<std::uint64_t>(img.pulled);
    sum += static_cast<std::uint64_t>(img.archived) + static_cast<std::uint64_t>(img.activated);
    sum += img.size + img.status + img.digest.size() + img.tag_count;
  }
  for (const auto tag : tags) sum += tag.size();
  std::printf("ingest_floor: %zu images, %zu tags, %s, checksum %llu\n", images.size(),
              tags.size(), in.mapped() ? "mmap" : "read", static_cast<unsigned long long>(sum));
  return 0;
}
