# SPDX-License-Identifier: MIT
# Writes OUT, a C++ file that defines ecrlp::cli::build_commit: `git describe --always --dirty` of
# SOURCE_DIR, or "unknown" when git is missing, fails, or SOURCE_DIR is not the top of a git
# checkout (a tarball unpacked inside some other repository must not report that one's commit).
# Run at build time (the target ecrlp-git-commit), so that the commit is the one built, not the one
# configured; OUT is rewritten only when the commit changes, so an unchanged one rebuilds nothing.
#   cmake -DSOURCE_DIR=<repository> -DOUT=<file.cpp> -P git-commit.cmake
set(commit unknown)
find_program(GIT_EXECUTABLE git)
if(GIT_EXECUTABLE)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} rev-parse --show-toplevel
                  RESULT_VARIABLE rc OUTPUT_VARIABLE top ERROR_QUIET
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  file(REAL_PATH "${SOURCE_DIR}" source_real)
  if(rc EQUAL 0 AND NOT top STREQUAL "")
    file(REAL_PATH "${top}" top)
  endif()
  if(rc EQUAL 0 AND top STREQUAL source_real)
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} describe --always --dirty
                    RESULT_VARIABLE rc OUTPUT_VARIABLE described ERROR_QUIET
                    OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(rc EQUAL 0 AND NOT described STREQUAL "")
      # A tag may hold any character: keep those that need no escaping in a C++ string.
      string(REGEX REPLACE "[^A-Za-z0-9._+-]" "_" commit "${described}")
    endif()
  endif()
endif()

set(text "// SPDX-License-Identifier: MIT
// Generated at build time by cmake/git-commit.cmake; do not edit.
#include \"build_info.hpp\"

namespace ecrlp::cli {
const char build_commit[] = \"${commit}\";
}  // namespace ecrlp::cli
")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
  if(old STREQUAL text)
    return()
  endif()
endif()
file(WRITE "${OUT}" "${text}")
