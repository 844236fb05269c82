# SPDX-License-Identifier: MIT
# `-` reads standard input: the real binary, with every loader's input piped (run_stdin_cli.cmake
# compares each run with the same command reading the file by its path).

# stdin_cli_test(NAME FILE EXIT ARGS... [STDERR_REGEX re]): ARGS name the piped file %FILE%.
function(ecrlp_stdin_cli_test name file exit)
  cmake_parse_arguments(T "" "STDERR_REGEX" "ARGS" ${ARGN})
  string(REPLACE ";" "@@" args_joined "${T_ARGS}")
  set(defs -DECRLP=$<TARGET_FILE:ecrlp-cli> -DFILE=${file} "-DARGS=${args_joined}" -DEXIT=${exit})
  if(T_STDERR_REGEX)
    list(APPEND defs "-DSTDERR_REGEX=${T_STDERR_REGEX}")
  endif()
  add_test(NAME cli.stdin.${name}
           COMMAND ${CMAKE_COMMAND} ${defs} -P ${CMAKE_CURRENT_SOURCE_DIR}/run_stdin_cli.cmake)
  set_tests_properties(cli.stdin.${name} PROPERTIES ENVIRONMENT "TZ=Europe/Kyiv")
endfunction()

set(STDIN_STORY ${PROJECT_SOURCE_DIR}/examples/story)
set(STDIN_CLI ${CMAKE_CURRENT_SOURCE_DIR}/data/cli)
set(STDIN_NOW --now 2026-11-28T00:00:00Z)

# The bundled 2,200-image example through a pipe, every format.
foreach(format json table csv)
  ecrlp_stdin_cli_test(preview_images_${format} ${STDIN_STORY}/images.json 0
                       ARGS preview --policy ${STDIN_STORY}/policy.json --images %FILE%
                            ${STDIN_NOW} --format ${format})
endforeach()
# A page from a file and one from standard input.
ecrlp_stdin_cli_test(preview_second_page ${STDIN_CLI}/tc8-images-page2.json 0
                     ARGS preview --policy ${STDIN_CLI}/tc8-policy.json
                          --images ${STDIN_CLI}/tc8-images.json --images %FILE% ${STDIN_NOW})
# Diagnostics name <stdin>, with the same line and column.
ecrlp_stdin_cli_test(preview_bad_images ${STDIN_CLI}/bad-images.json 1
                     ARGS preview --policy ${STDIN_CLI}/tc8-policy.json --images %FILE% ${STDIN_NOW}
                     STDERR_REGEX "<stdin>:[0-9]+:[0-9]+: ")
ecrlp_stdin_cli_test(preview_policy ${STDIN_STORY}/policy.json 0
                     ARGS preview --policy %FILE% --images ${STDIN_STORY}/images.json ${STDIN_NOW})
# validate's diagnostics and verdict go to stdout, naming <stdin> (run_stdin_cli.cmake compares).
ecrlp_stdin_cli_test(validate_invalid_policy ${STDIN_CLI}/invalid-policy.json 1
                     ARGS validate %FILE%)
ecrlp_stdin_cli_test(preview_in_use ${CMAKE_CURRENT_SOURCE_DIR}/data/in_use/refs.txt 0
                     ARGS preview --policy ${STDIN_STORY}/policy.json
                          --images ${STDIN_STORY}/images.json --in-use %FILE% ${STDIN_NOW})
ecrlp_stdin_cli_test(preview_manifests
                     ${CMAKE_CURRENT_SOURCE_DIR}/data/registry-lib/manifests/batch-a.json 0
                     ARGS preview --policy ${STDIN_STORY}/policy.json
                          --images ${STDIN_STORY}/images.json --manifests %FILE% ${STDIN_NOW})
