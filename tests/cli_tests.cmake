# SPDX-License-Identifier: MIT
# Tests that run the real `ecrlp` binary: exit codes, output shapes, error messages.

set(CLI_DATA ${CMAKE_CURRENT_SOURCE_DIR}/data/cli)
set(GOLDEN_DIR ${CMAKE_CURRENT_SOURCE_DIR}/golden)

# ecrlp_cli_test(NAME EXIT code ARGS a b c [GOLDEN file] [STDOUT_REGEX re] [STDERR_REGEX re]
#                [STDOUT_EMPTY])
function(ecrlp_cli_test name)
  cmake_parse_arguments(T "STDOUT_EMPTY" "EXIT;GOLDEN;STDOUT_REGEX;STDERR_REGEX" "ARGS" ${ARGN})
  # ctest would split a ;-list into separate arguments: pass ARGS joined with a separator that no
  # argument contains, and let run_cli.cmake split it again.
  string(REPLACE ";" "@@" args_joined "${T_ARGS}")
  set(defs -DECRLP=$<TARGET_FILE:ecrlp-cli> "-DARGS=${args_joined}" -DEXIT=${T_EXIT})
  if(T_GOLDEN)
    list(APPEND defs -DGOLDEN=${GOLDEN_DIR}/${T_GOLDEN})
  endif()
  if(T_STDOUT_REGEX)
    list(APPEND defs "-DSTDOUT_REGEX=${T_STDOUT_REGEX}")
  endif()
  if(T_STDERR_REGEX)
    list(APPEND defs "-DSTDERR_REGEX=${T_STDERR_REGEX}")
  endif()
  if(T_STDOUT_EMPTY)
    list(APPEND defs -DSTDOUT_EMPTY=ON)
  endif()
  add_test(NAME cli.${name} COMMAND ${CMAKE_COMMAND} ${defs} -P ${CMAKE_CURRENT_SOURCE_DIR}/run_cli.cmake)
  set_tests_properties(cli.${name} PROPERTIES ENVIRONMENT "TZ=Europe/Kyiv" TIMEOUT 60)
endfunction()

set(TC8 --policy ${CLI_DATA}/tc8-policy.json --images ${CLI_DATA}/tc8-images.json
        --images ${CLI_DATA}/tc8-images-page2.json --now 2025-01-31T00:00:00Z)

ecrlp_cli_test(help EXIT 0 ARGS --help STDOUT_REGEX "Usage:.*validate.*preview")
ecrlp_cli_test(no_args EXIT 2 ARGS "" STDERR_REGEX "unknown command|Usage")
ecrlp_cli_test(unknown_command EXIT 2 ARGS frobnicate STDERR_REGEX "unknown command 'frobnicate'")
ecrlp_cli_test(version EXIT 0 ARGS --version STDOUT_REGEX "^ecrlp [0-9]+\\.[0-9]+\\.[0-9]+")
ecrlp_cli_test(preview_help EXIT 0 ARGS preview --help STDOUT_REGEX "--images FILE.*--now TIME.*--format")
ecrlp_cli_test(validate_help EXIT 0 ARGS validate --help STDOUT_REGEX "--format text\\|json")

ecrlp_cli_test(validate_ok EXIT 0 ARGS validate ${CLI_DATA}/tc8-policy.json
               STDOUT_REGEX "tc8-policy.json: valid \\(3 rules\\)")
ecrlp_cli_test(validate_invalid EXIT 1 ARGS validate ${CLI_DATA}/tc8-policy.json ${CLI_DATA}/invalid-policy.json
               STDOUT_REGEX "invalid-policy.json:[0-9]+:[0-9]+: error\\[[a-z_.]+\\] at /rules/0/")
ecrlp_cli_test(validate_json EXIT 1 ARGS validate --format json ${CLI_DATA}/invalid-policy.json
               STDOUT_REGEX "\"valid\": false.*\"code\": \"[a-z_.]+\".*\"pointer\": \"/rules/0/")
ecrlp_cli_test(validate_missing_file EXIT 3 ARGS validate ${CLI_DATA}/does-not-exist.json
               STDOUT_REGEX "io\\.read")
ecrlp_cli_test(validate_no_file EXIT 2 ARGS validate STDERR_REGEX "no POLICY")
ecrlp_cli_test(validate_bad_format EXIT 2 ARGS validate --format xml ${CLI_DATA}/tc8-policy.json
               STDERR_REGEX "unknown --format 'xml'")

ecrlp_cli_test(preview_tc8_json EXIT 0 ARGS preview ${TC8} --format json GOLDEN tc8-preview.json)
ecrlp_cli_test(preview_tc8_table EXIT 0 ARGS preview ${TC8} GOLDEN tc8-preview.txt)
ecrlp_cli_test(preview_tc8_csv EXIT 0 ARGS preview ${TC8} --format csv GOLDEN tc8-preview.csv)
ecrlp_cli_test(preview_now_epoch EXIT 0 ARGS preview --policy ${CLI_DATA}/tc8-policy.json
               --images ${CLI_DATA}/tc8-images.json --images ${CLI_DATA}/tc8-images-page2.json
               --now 1738281600 --format json GOLDEN tc8-preview.json)
ecrlp_cli_test(preview_missing_policy EXIT 2 ARGS preview --images ${CLI_DATA}/tc8-images.json
               STDERR_REGEX "--policy FILE is required")
ecrlp_cli_test(preview_bad_now EXIT 2 ARGS preview --policy ${CLI_DATA}/tc8-policy.json
               --images ${CLI_DATA}/tc8-images.json --now yesterday
               STDERR_REGEX "--now 'yesterday' is not a time")
ecrlp_cli_test(preview_invalid_policy EXIT 1 ARGS preview --policy ${CLI_DATA}/invalid-policy.json
               --images ${CLI_DATA}/tc8-images.json --now 2025-01-31T00:00:00Z
               STDERR_REGEX "invalid-policy.json:[0-9]+:[0-9]+: error.* at /rules/0/" STDOUT_EMPTY)
ecrlp_cli_test(preview_bad_inventory EXIT 1 ARGS preview --policy ${CLI_DATA}/tc8-policy.json
               --images ${CLI_DATA}/bad-images.json --now 2025-01-31T00:00:00Z
               STDERR_REGEX "bad-images.json.*/imageDetails/0/imagePushedAt" STDOUT_EMPTY)
ecrlp_cli_test(preview_unreadable EXIT 3 ARGS preview --policy ${CLI_DATA}/tc8-policy.json
               --images ${CLI_DATA}/nope.json --now 2025-01-31T00:00:00Z
               STDERR_REGEX "nope.json.*io\\.read" STDOUT_EMPTY)
ecrlp_cli_test(preview_duplicate_pages EXIT 1 ARGS preview --policy ${CLI_DATA}/tc8-policy.json
               --images ${CLI_DATA}/tc8-images.json --images ${CLI_DATA}/tc8-images.json
               --now 2025-01-31T00:00:00Z STDERR_REGEX "duplicate" STDOUT_EMPTY)
