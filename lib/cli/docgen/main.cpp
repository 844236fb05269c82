// SPDX-License-Identifier: MIT
// ecrlp-docgen OUT: writes the manual pages and the shell completions, generated from the option
// tables (lib/cli/docs.hpp), into OUT:
//   OUT/man/ecrlp.1, OUT/man/ecrlp-COMMAND.1 (one per command)
//   OUT/bash-completion/ecrlp, OUT/zsh/_ecrlp
// Run at build time (CMakeLists.txt, cmake/docs.cmake); not installed. Exit status 0, or 1 when a
// file cannot be written, 2 on a bad command line.

#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "docs.hpp"
#include "options.hpp"

namespace {

namespace fs = std::filesystem;

bool write(const fs::path& path, const std::string& text) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "ecrlp-docgen: cannot write " << path.string() << "\n";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: ecrlp-docgen OUT_DIR\n";
    return 2;
  }
  try {
    const fs::path out = argv[1];
    bool ok = write(out / "man" / "ecrlp.1", ecrlp::cli::man_page());
    for (const ecrlp::cli::command_def* c : ecrlp::cli::commands()) {
      ok = write(out / "man" / ecrlp::cli::man_page_name(*c), ecrlp::cli::man_page(*c)) && ok;
    }
    ok = write(out / "bash-completion" / "ecrlp", ecrlp::cli::bash_completion()) && ok;
    ok = write(out / "zsh" / "_ecrlp", ecrlp::cli::zsh_completion()) && ok;
    return ok ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "ecrlp-docgen: " << e.what() << "\n";
    return 1;
  }
}
