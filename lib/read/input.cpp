// SPDX-License-Identifier: MIT
//
// Opening and reading inputs (see input.hpp). POSIX descriptors throughout; where the platform
// has them, the text of a regular file is mapped (mmap with MAP_POPULATE) and a buffer read from
// a pipe grows in place (mremap), so that nothing is ever copied whole.

#include "read/input.hpp"

#include "support/memory.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__unix__) || defined(__APPLE__)
#  include <sys/mman.h>
#  define ECRLP_HAVE_PREAD 1
#  if defined(MAP_POPULATE)
#    define ECRLP_HAVE_MAP_POPULATE 1
#  endif
#  if defined(__linux__) && defined(MREMAP_MAYMOVE)
#    define ECRLP_HAVE_MREMAP 1
#  endif
#endif
#ifndef ECRLP_HAVE_PREAD
#  define ECRLP_HAVE_PREAD 0
#endif
#ifndef ECRLP_HAVE_MAP_POPULATE
#  define ECRLP_HAVE_MAP_POPULATE 0
#endif
#ifndef ECRLP_HAVE_MREMAP
#  define ECRLP_HAVE_MREMAP 0
#endif
#ifndef O_CLOEXEC
#  define O_CLOEXEC 0
#endif

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <system_error>
#include <utility>

namespace ecrlp::read {
namespace {

namespace fs = std::filesystem;

/// First buffer of a stream of unknown size; it doubles from there.
constexpr std::size_t first_stream_buffer = std::size_t{1} << 20;

[[nodiscard]] std::string system_message(int err) { return std::generic_category().message(err); }

[[nodiscard]] input_failure failure_of(input_problem problem, std::string reason = {},
                                       std::uintmax_t size = 0, std::uintmax_t limit = 0) {
  return input_failure{problem, std::move(reason), size, limit};
}

/// read() of up to `n` bytes, retried when interrupted, and waiting when the descriptor is
/// non-blocking (standard input inherited that way); -1 on an error.
[[nodiscard]] long read_some(int fd, char* out, std::size_t n) noexcept {
  for (;;) {
    const auto r = ::read(fd, out, n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, -1) >= 0 || errno == EINTR) continue;
    }
    return static_cast<long>(r);
  }
}

void close_descriptor(int fd) noexcept { (void)::close(fd); }

}  // namespace

bool is_stdin(const fs::path& path) { return path.native() == fs::path(stdin_path).native(); }

std::string input_name(const fs::path& path) {
  return is_stdin(path) ? std::string(stdin_name) : path.string();
}

std::string_view io_code(input_problem problem) noexcept {
  switch (problem) {
    case input_problem::too_large:
    case input_problem::grew:
    case input_problem::no_memory:
      return "io.too_large";
    default:
      return "io.read";
  }
}

diagnostic io_diagnostic(const input_failure& failure, std::string_view name, io_wording wording) {
  diagnostic d;
  d.code = std::string(io_code(failure.problem));
  d.message = wording(failure, name);
  d.file = std::string(name);
  return d;
}

std::string the_file_wording(const input_failure& f, std::string_view /*name*/) {
  switch (f.problem) {
    case input_problem::status:
    case input_problem::size:
      return "cannot read the file: " + f.reason;
    case input_problem::directory:
      return "is a directory, not a file";
    case input_problem::too_large:
    case input_problem::grew:
      return "the file is larger than " + std::to_string(f.limit) +
             " bytes, the most accepted for it";
    case input_problem::open:
      return "cannot open the file: " + f.reason;
    case input_problem::read:
      return "error while reading the file";
    case input_problem::no_memory:
      return "not enough memory to read " + std::to_string(f.size) + " bytes";
  }
  return "cannot read the file";
}

std::string named_file_wording(const input_failure& f, std::string_view name,
                               std::string_view too_large) {
  const std::string file(name);
  switch (f.problem) {
    case input_problem::status:
    case input_problem::size:
      return "cannot read " + file + ": " + f.reason;
    case input_problem::directory:
      return "cannot read " + file + ": it is a directory";
    case input_problem::too_large:
    case input_problem::grew:
    case input_problem::no_memory:
      return file + std::string(too_large);
    case input_problem::open:
      return "cannot open " + file + ": " + f.reason;
    case input_problem::read:
      return "error while reading " + file;
  }
  return "cannot read " + file;
}

// ---------------------------------------------------------------------------------------------
// input_text

input_text::input_text(input_text&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)),
      length_(std::exchange(other.length_, 0)),
      storage_(std::exchange(other.storage_, storage::none)) {}

input_text& input_text::operator=(input_text&& other) noexcept {
  if (this != &other) {
    release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
    length_ = std::exchange(other.length_, 0);
    storage_ = std::exchange(other.storage_, storage::none);
  }
  return *this;
}

input_text::~input_text() { release(); }

void input_text::release() noexcept {
#if ECRLP_HAVE_PREAD
  if (storage_ == storage::mapping) (void)::munmap(data_, length_);
#endif
#if ECRLP_HAVE_MREMAP
  if (storage_ == storage::heap) (void)::munmap(data_, length_);
#else
  if (storage_ == storage::heap) std::free(data_);
#endif
  data_ = nullptr;
  size_ = capacity_ = length_ = 0;
  storage_ = storage::none;
}

bool input_text::reserve(std::size_t capacity) noexcept {
  if (storage_ == storage::heap && capacity <= capacity_) return true;
  if (storage_ == storage::mapping) return false;  // a mapping is never written
  const std::size_t length = capacity + input_padding;
  if (length < capacity) return false;
  void* grown = nullptr;
#if ECRLP_HAVE_MREMAP
  // Anonymous memory, grown by moving page tables rather than copying the text. The advice covers
  // the whole mapping: advising only its 2 MiB-aligned middle would split it in several areas,
  // which mremap refuses to move.
  grown = data_ == nullptr
              ? ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
              : ::mremap(data_, length_, length, MREMAP_MAYMOVE);
  if (grown == MAP_FAILED) return false;
#  if defined(MADV_HUGEPAGE)
  (void)::madvise(grown, length, MADV_HUGEPAGE);
#  endif
#else
  grown = std::realloc(data_, length);
  if (grown == nullptr) return false;
  support::advise_huge_pages(grown, length);
#endif
  data_ = static_cast<char*>(grown);
  length_ = length;
  capacity_ = capacity;
  storage_ = storage::heap;
  return true;
}

void input_text::finish(std::size_t size) noexcept {
  size_ = size;
  std::memset(data_ + size, 0, input_padding);
}

// ---------------------------------------------------------------------------------------------
// input_file

input_file::input_file(int fd, bool owned, std::string name, const input_limits& limits) noexcept
    : fd_(fd), owned_(owned), name_(std::move(name)), limits_(limits) {}

input_file::input_file(input_file&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      owned_(std::exchange(other.owned_, false)),
      regular_(other.regular_),
      size_(other.size_),
      name_(std::move(other.name_)),
      limits_(other.limits_) {}

input_file& input_file::operator=(input_file&& other) noexcept {
  if (this != &other) {
    if (owned_ && fd_ >= 0) close_descriptor(fd_);
    fd_ = std::exchange(other.fd_, -1);
    owned_ = std::exchange(other.owned_, false);
    regular_ = other.regular_;
    size_ = other.size_;
    name_ = std::move(other.name_);
    limits_ = other.limits_;
  }
  return *this;
}

input_file::~input_file() {
  if (owned_ && fd_ >= 0) close_descriptor(fd_);
}

std::optional<input_file> input_file::open(const fs::path& path, const input_limits& limits,
                                           input_failure& failure) {
  if (is_stdin(path)) return from_descriptor(0, std::string(stdin_name), limits, failure);
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec) {
    failure = failure_of(input_problem::status, ec.message());
    return std::nullopt;
  }
  if (fs::is_directory(status)) {
    failure = failure_of(input_problem::directory);
    return std::nullopt;
  }
  std::optional<std::uintmax_t> size;
  if (fs::is_regular_file(status)) {
    size = fs::file_size(path, ec);
    if (ec) {
      failure = failure_of(input_problem::size, ec.message());
      return std::nullopt;
    }
    if (*size > limits.max_bytes) {
      failure = failure_of(input_problem::too_large, {}, *size, limits.max_bytes);
      return std::nullopt;
    }
  }
  errno = 0;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    failure = failure_of(input_problem::open, system_message(errno));
    return std::nullopt;
  }
  input_file file(fd, true, path.string(), limits);
  if (size) {
    file.regular_ = ECRLP_HAVE_PREAD != 0;
    file.size_ = static_cast<std::size_t>(*size);
  }
  return file;
}

std::optional<input_file> input_file::from_descriptor(int fd, std::string name,
                                                      const input_limits& limits,
                                                      input_failure& failure) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    failure = failure_of(input_problem::status, system_message(errno));
    return std::nullopt;
  }
  if (S_ISDIR(st.st_mode)) {
    failure = failure_of(input_problem::directory);
    return std::nullopt;
  }
  input_file file(fd, false, std::move(name), limits);
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    const auto size = static_cast<std::uintmax_t>(st.st_size);
    // A file redirected to the descriptor and not read yet: refused before reading, as by path.
    if (size > limits.max_bytes && ::lseek(fd, 0, SEEK_CUR) == 0) {
      failure = failure_of(input_problem::too_large, {}, size, limits.max_bytes);
      return std::nullopt;
    }
    file.size_ = static_cast<std::size_t>(std::min(size, limits.max_bytes));  // a hint only
  }
  return file;  // a stream: read once, from where it stands (regular_ stays false)
}

std::size_t input_file::read_at(std::size_t offset, char* out, std::size_t n) noexcept {
#if ECRLP_HAVE_PREAD
  if (!regular_ || offset >= size_) return 0;
  n = std::min(n, size_ - offset);
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd_, out + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
  }
  return got;
#else
  (void)offset;
  (void)out;
  (void)n;
  return 0;
#endif
}

bool input_file::read_all(input_text& out, input_failure& failure, bool map) {
  out.release();
  if (map && regular_ && map_into(out)) return true;
  return read_stream(out, failure);
}

/// Maps the file privately with MAP_POPULATE over an anonymous reservation one page longer than
/// the file, which supplies the padding: the page after the file's last page stays mapped (zeros).
/// Mapping avoids copying the file and zero-filling as much fresh memory; MAP_POPULATE maps the
/// page cache in one call instead of one fault per page. Caveat of any mapping: a file truncated
/// by another process while it is parsed raises SIGBUS.
bool input_file::map_into(input_text& out) noexcept {
#if ECRLP_HAVE_MAP_POPULATE
  if (size_ == 0) return false;
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (page_size <= 0) return false;
  const auto page = static_cast<std::size_t>(page_size);
  if (input_padding > page) return false;
  const std::size_t length = (size_ + page - 1) / page * page + page;
  void* base = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED) return false;
  void* file = ::mmap(base, size_, PROT_READ, MAP_PRIVATE | MAP_FIXED | MAP_POPULATE, fd_, 0);
  if (file == MAP_FAILED) {
    (void)::munmap(base, length);
    return false;
  }
  out.data_ = static_cast<char*>(base);
  out.size_ = size_;
  out.capacity_ = size_;
  out.length_ = length;
  out.storage_ = input_text::storage::mapping;
  return true;
#else
  (void)out;
  return false;
#endif
}

/// Reads to the end into one buffer: of the file's size when it is known, else doubling (in place
/// where mremap exists). The limit is checked as the bytes arrive.
bool input_file::read_stream(input_text& out, input_failure& failure) {
  // A known size, plus one byte to see the end without growing.
  std::size_t want = size_ > 0 ? size_ + 1 : first_stream_buffer;
  if (limits_.while_reading) {
    want = static_cast<std::size_t>(std::min<std::uintmax_t>(want, limits_.max_bytes + 1));
  }
  if (!out.reserve(std::max<std::size_t>(want, 1))) {
    failure = failure_of(input_problem::no_memory, {}, want);
    return false;
  }
  std::size_t got = 0;
  for (;;) {
    if (got == out.capacity_) {
      std::size_t grown = std::max(out.capacity_ * 2, first_stream_buffer);
      if (limits_.while_reading) {  // got <= max_bytes here, so this still grows
        grown = static_cast<std::size_t>(std::min<std::uintmax_t>(grown, limits_.max_bytes + 1));
      }
      if (!out.reserve(grown)) {
        failure = failure_of(input_problem::no_memory, {}, grown);
        return false;
      }
    }
    errno = 0;
    const long n = read_some(fd_, out.data_ + got, out.capacity_ - got);
    if (n < 0) {
      failure = failure_of(input_problem::read, system_message(errno));
      return false;
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
    if (limits_.while_reading && got > limits_.max_bytes) {
      failure = failure_of(input_problem::grew, {}, got, limits_.max_bytes);
      return false;
    }
  }
  out.finish(got);
  return true;
}

bool read_input(const fs::path& path, const input_limits& limits, io_wording wording,
                input_text& out, std::vector<diagnostic>& diags) {
  input_failure failure;
  auto file = input_file::open(path, limits, failure);
  if (file && file->read_all(out, failure)) return true;
  diags.push_back(io_diagnostic(failure, input_name(path), wording));
  return false;
}

}  // namespace ecrlp::read
