# SPDX-License-Identifier: MIT
# Generates the manual pages and shell completions into OUT (build time; CMakeLists.txt):
# ecrlp-docgen writes OUT/man/*.1 (roff, for `man -l`), OUT/bash-completion/ecrlp and
# OUT/zsh/_ecrlp; then each page is compressed as Debian installs them, OUT/man1/*.1.gz, with
# `gzip -9n` (no name or time stamp in the file: the same sources give the same bytes). OUT is
# emptied first, so a command removed from the tables leaves no page behind.
#   cmake -DDOCGEN=<ecrlp-docgen> -DOUT=<dir> -P docs.cmake
foreach(var DOCGEN OUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "docs.cmake: -D${var}=... is required")
  endif()
endforeach()
find_program(GZIP_EXECUTABLE gzip REQUIRED)

file(REMOVE_RECURSE ${OUT}/man ${OUT}/man1 ${OUT}/bash-completion ${OUT}/zsh)
execute_process(COMMAND ${DOCGEN} ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ecrlp-docgen failed (exit ${rc})")
endif()
file(MAKE_DIRECTORY ${OUT}/man1)
file(GLOB pages ${OUT}/man/*.1)
foreach(page IN LISTS pages)
  get_filename_component(name ${page} NAME)
  execute_process(COMMAND ${GZIP_EXECUTABLE} -9n -c ${page} OUTPUT_FILE ${OUT}/man1/${name}.gz
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${page} failed (exit ${rc})")
  endif()
endforeach()
file(TOUCH ${OUT}/stamp)
