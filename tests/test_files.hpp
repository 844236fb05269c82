// SPDX-License-Identifier: MIT
#pragma once

// Files for the tests: whole-file reads and scoped temporary directories.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <system_error>

#include <unistd.h>

namespace test_files {

/// The bytes of `p` (empty when it cannot be read).
inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in{p, std::ios::binary};
  return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

/// A scoped temporary directory: `prefix` + process id + a clock reading, under the system's
/// temporary directory; removed with what it holds when it goes out of scope.
struct temp_dir {
  std::filesystem::path path;
  explicit temp_dir(std::string_view prefix) {
    path = std::filesystem::temp_directory_path() /
           (std::string(prefix) + std::to_string(::getpid()) + "-" +
            std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(path);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  /// Writes `content` to the file `name` in the directory; its path.
  [[nodiscard]] std::filesystem::path write(const std::string& name,
                                            std::string_view content) const {
    const std::filesystem::path p = path / name;
    std::ofstream out{p, std::ios::binary};
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    return p;
  }
};

}  // namespace test_files
