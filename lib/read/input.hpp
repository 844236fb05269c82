// SPDX-License-Identifier: MIT
#pragma once

// Private: the one place where the readers open and read their inputs (files, and standard input
// for the path "-"). Every reader of lib/read goes through it: load_policy, load_inventory,
// load_index_manifests, load_in_use, load_case_file and the registry snapshot's small files.
//
// What it does for all of them: the regular-file checks (a directory is refused, the size of a
// regular file is checked before anything is read), the size limit while reading (pipes, files
// that grow), reading without a copy of the whole text, and the failures as io.read/io.too_large
// diagnostics. The wording of those diagnostics differs from reader to reader and is API (the CLI
// prints it): each reader passes its own io_wording.
//
// For the inventory it also gives what windowed parsing needs: the size of a regular file and
// reads at any offset (pread), and a whole file mapped with the padding simdjson reads past the
// end of a text.

#include <ecrlp/diagnostic.hpp>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ecrlp::read {

/// How a path names standard input, and how diagnostics name it. "<stdin>" as gcc and jq write
/// it: a diagnostic about `-` would read like one about a file called "-", and "<string>" is
/// already the name of text parsed from memory.
inline constexpr std::string_view stdin_path = "-";
inline constexpr std::string_view stdin_name = "<stdin>";

/// True when `path` means standard input ("-").
[[nodiscard]] bool is_stdin(const std::filesystem::path& path);

/// The name diagnostics give the input at `path`: "<stdin>" for "-", else the path as given.
[[nodiscard]] std::string input_name(const std::filesystem::path& path);

/// Bytes after every input_text that may be read (never written): simdjson's SIMDJSON_PADDING.
inline constexpr std::size_t input_padding = 64;

/// Why an input could not be read.
enum class input_problem : unsigned char {
  status,     ///< the path cannot be examined (it does not exist, ...): `reason`
  directory,  ///< the path is a directory
  size,       ///< the size of a regular file cannot be read: `reason`
  too_large,  ///< a regular file larger than `limit`, found before reading: `size`
  grew,       ///< more than `limit` bytes while reading (a pipe, or a file that grew)
  open,       ///< the file cannot be opened: `reason`
  read,       ///< a read failed: `reason`
  no_memory,  ///< no memory for the text (`size` bytes)
};

struct input_failure {
  input_problem problem = input_problem::read;
  std::string reason;        ///< the system's message, for status, size, open and read
  std::uintmax_t size = 0;   ///< the file's size (too_large) or the bytes wanted (no_memory)
  std::uintmax_t limit = 0;  ///< the reader's limit (too_large, grew)
};

/// A reader's message for a failure; `name` is input_name() of the path. The code is io.too_large
/// for too_large, grew and no_memory, io.read for the rest (io_code).
using io_wording = std::string (*)(const input_failure& failure, std::string_view name);

[[nodiscard]] std::string_view io_code(input_problem problem) noexcept;

/// The io.* diagnostic of `failure`: code, message, file; no pointer, no position.
[[nodiscard]] diagnostic io_diagnostic(const input_failure& failure, std::string_view name,
                                       io_wording wording);

/// The wording of the inventory and index-manifest readers (and of the registry snapshot's
/// metadata files), which name the file in the diagnostic's `file` only: "cannot read the file:
/// No such file or directory", "the file is larger than 67108864 bytes, the most accepted for it".
[[nodiscard]] std::string the_file_wording(const input_failure& failure, std::string_view name);

/// The wording of the policy, in-use and case-file readers, which name the file in the message:
/// "cannot read policy.json: No such file or directory", "cannot read x: it is a directory".
/// `too_large` follows the name when the file is over the limit ("NAME is larger than 16 MiB").
[[nodiscard]] std::string named_file_wording(const input_failure& failure, std::string_view name,
                                             std::string_view too_large);

struct input_limits {
  std::uintmax_t max_bytes = 0;  ///< the most bytes accepted
  /// Also while reading, not only from a regular file's size. Case files only check the size
  /// (they always have; a pipe is read whole).
  bool while_reading = true;
};

/// The whole text of an input, followed by input_padding readable bytes: a private read-only
/// mapping of a regular file, or a buffer the text was read into (grown in place where the
/// platform can, so that a large pipe is never in memory twice).
class input_text {
 public:
  input_text() = default;
  input_text(input_text&& other) noexcept;
  input_text& operator=(input_text&& other) noexcept;
  input_text(const input_text&) = delete;
  input_text& operator=(const input_text&) = delete;
  ~input_text();

  [[nodiscard]] std::string_view view() const noexcept { return {data_, size_}; }

 private:
  friend class input_file;
  enum class storage : unsigned char { none, mapping, heap };

  void release() noexcept;
  /// Room for `capacity` bytes of text and the padding, keeping the first size_ bytes.
  [[nodiscard]] bool reserve(std::size_t capacity) noexcept;
  /// Sets the size and clears the padding after it.
  void finish(std::size_t size) noexcept;

  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;  ///< bytes of text there is room for (the padding comes on top)
  std::size_t length_ = 0;    ///< bytes of the mapping or allocation
  storage storage_ = storage::none;
};

/// An open input: a regular file (its size known, readable at any offset), or a stream (standard
/// input, a pipe, a device), read once from where it stands.
class input_file {
 public:
  /// Opens `path` ("-": standard input), checking it in the order the messages have always
  /// followed: the path's status, a directory, the size of a regular file, then the open.
  [[nodiscard]] static std::optional<input_file> open(const std::filesystem::path& path,
                                                      const input_limits& limits,
                                                      input_failure& failure);

  /// An input read from a descriptor that stays open afterwards (standard input is descriptor 0).
  /// Checked as open() checks a path (fstat); read as a stream, from its current position.
  [[nodiscard]] static std::optional<input_file> from_descriptor(int fd, std::string name,
                                                                 const input_limits& limits,
                                                                 input_failure& failure);

  input_file(input_file&& other) noexcept;
  input_file& operator=(input_file&& other) noexcept;
  input_file(const input_file&) = delete;
  input_file& operator=(const input_file&) = delete;
  ~input_file();

  /// input_name() of the path.
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// A regular file opened by path: size() is its size and read_at() works. Else a stream, read
  /// once by read_all(); size() is then a hint of its size (0: unknown).
  [[nodiscard]] bool regular() const noexcept { return regular_; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

  /// Copies up to `n` bytes from `offset` of a regular file to `out`; returns how many (0 at the
  /// end or on an error).
  std::size_t read_at(std::size_t offset, char* out, std::size_t n) noexcept;

  /// Reads the whole input into `out`: mapped when `map` and it is a regular file that can be
  /// mapped, else read. False after setting `failure`.
  [[nodiscard]] bool read_all(input_text& out, input_failure& failure, bool map = false);

 private:
  input_file(int fd, bool owned, std::string name, const input_limits& limits) noexcept;
  [[nodiscard]] bool map_into(input_text& out) noexcept;
  [[nodiscard]] bool read_stream(input_text& out, input_failure& failure);

  int fd_ = -1;
  bool owned_ = false;  ///< closed by the destructor (not standard input)
  bool regular_ = false;
  std::size_t size_ = 0;
  std::string name_;
  input_limits limits_;
};

/// open() and read_all() in one: false after adding the io.* diagnostic to `diags`.
[[nodiscard]] bool read_input(const std::filesystem::path& path, const input_limits& limits,
                              io_wording wording, input_text& out, std::vector<diagnostic>& diags);

}  // namespace ecrlp::read
