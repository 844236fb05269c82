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
# --version: the version, the commit (cmake/git-commit.cmake) and the versions of the libraries as
# their CMake packages give them (the command takes simdjson's, fmt's and nlohmann_json's from
# their headers: both must agree).
set(version_line "simdjson ${simdjson_VERSION}, fmt ${fmt_VERSION}, nlohmann_json ${nlohmann_json_VERSION}, date ${date_VERSION}, yaml-cpp ${yaml-cpp_VERSION}")
string(REPLACE "." "[.]" version_line "${version_line}")
ecrlp_cli_test(version EXIT 0 ARGS --version STDOUT_REGEX
  "^ecrlp ${PROJECT_VERSION_MAJOR}[.]${PROJECT_VERSION_MINOR}[.]${PROJECT_VERSION_PATCH} [(]commit ([0-9a-f]+(-dirty)?|[A-Za-z0-9._+-]+-g[0-9a-f]+(-dirty)?|unknown)[)]\n${version_line}\n$")
ecrlp_cli_test(version_word EXIT 0 ARGS version STDOUT_REGEX "^ecrlp [0-9.]+ [(]commit ")
add_test(NAME cli.version_commit_unknown
         COMMAND ${CMAKE_COMMAND} -DSCRIPT=${PROJECT_SOURCE_DIR}/cmake/git-commit.cmake
                 -DNESTED=${CMAKE_CURRENT_SOURCE_DIR}/data -DWORK=${CMAKE_CURRENT_BINARY_DIR}/version-commit
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/version_commit.cmake)
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

# ---------------------------------------------------------------------------------------------
# explain, diff and lint (issue 3). These run in tests/data/explain and name their inputs
# relative to it, so that outputs which print a file name (diff, lint) can be golden files.
# ---------------------------------------------------------------------------------------------
set(EXPLAIN_DIR ${CMAKE_CURRENT_SOURCE_DIR}/data/explain)
set(EXPLAIN_INPUTS --policy policy.json --images images.json --now 2025-01-31T00:00:00Z)
set(DIFF_INPUTS --policy policy.json --policy policy-new.json --images images.json
                --now 2025-01-31T00:00:00Z)
set(LINT_IMAGES --images images.json --now 2025-01-31T00:00:00Z)

function(ecrlp_explain_cli_test name)
  ecrlp_cli_test(${name} ${ARGN})
  set_tests_properties(cli.${name} PROPERTIES WORKING_DIRECTORY ${EXPLAIN_DIR})
endfunction()

ecrlp_explain_cli_test(help_lists_explain EXIT 0 ARGS --help STDOUT_REGEX "explain.*diff.*lint")
ecrlp_explain_cli_test(explain_help EXIT 0 ARGS explain --help
                       STDOUT_REGEX "--image NAME.*digest prefix")
ecrlp_explain_cli_test(explain_all_text EXIT 0 ARGS explain ${EXPLAIN_INPUTS}
                       GOLDEN explain-all.txt)
ecrlp_explain_cli_test(explain_all_json EXIT 0 ARGS explain ${EXPLAIN_INPUTS} --format json
                       GOLDEN explain-all.json)
ecrlp_explain_cli_test(explain_named EXIT 0 ARGS explain ${EXPLAIN_INPUTS} --image 02020202
                       --image v3.0 --image sha256:0b --image release-1.0
                       GOLDEN explain-named.txt)
ecrlp_explain_cli_test(explain_protected EXIT 0 ARGS explain ${EXPLAIN_INPUTS} --image release-1.0
                       STDOUT_REGEX "rule 300 would expire it: 95 days since push [^\n]* > 90; protected by rule 100\\.")
ecrlp_explain_cli_test(explain_unknown_image EXIT 1 ARGS explain ${EXPLAIN_INPUTS} --image v3.0
                       --image nope STDERR_REGEX "no image matches 'nope'" STDOUT_EMPTY)
ecrlp_explain_cli_test(explain_no_images EXIT 2 ARGS explain --policy policy.json
                       STDERR_REGEX "--images FILE is required" STDOUT_EMPTY)
ecrlp_explain_cli_test(explain_bad_format EXIT 2 ARGS explain ${EXPLAIN_INPUTS} --format csv
                       STDERR_REGEX "unknown --format 'csv'" STDOUT_EMPTY)
ecrlp_explain_cli_test(explain_invalid_policy EXIT 1 ARGS explain --policy ${CLI_DATA}/invalid-policy.json
                       --images images.json STDERR_REGEX "invalid-policy.json" STDOUT_EMPTY)

ecrlp_explain_cli_test(diff_help EXIT 0 ARGS diff --help STDOUT_REGEX "--policy FILE +Give twice")
ecrlp_explain_cli_test(diff_table EXIT 0 ARGS diff ${DIFF_INPUTS} GOLDEN diff-table.txt)
ecrlp_explain_cli_test(diff_json EXIT 0 ARGS diff ${DIFF_INPUTS} --format json GOLDEN diff.json)
ecrlp_explain_cli_test(diff_csv EXIT 0 ARGS diff ${DIFF_INPUTS} --format csv GOLDEN diff.csv)
ecrlp_explain_cli_test(diff_self_empty EXIT 0 ARGS diff --policy policy.json --policy policy.json
                       --images images.json --now 2025-01-31T00:00:00Z --format csv
                       GOLDEN diff-self.csv)
ecrlp_explain_cli_test(diff_one_policy EXIT 2 ARGS diff --policy policy.json --images images.json
                       STDERR_REGEX "give --policy twice" STDOUT_EMPTY)
ecrlp_explain_cli_test(diff_invalid_policy EXIT 1 ARGS diff --policy policy.json
                       --policy ${CLI_DATA}/invalid-policy.json --images images.json
                       STDERR_REGEX "invalid-policy.json" STDOUT_EMPTY)

ecrlp_explain_cli_test(lint_help EXIT 0 ARGS lint --help STDOUT_REGEX "--fail-on LEVEL")
ecrlp_explain_cli_test(lint_findings EXIT 1 ARGS lint lint-policy.json GOLDEN lint-policy.txt)
ecrlp_explain_cli_test(lint_findings_with_images EXIT 1 ARGS lint lint-policy.json ${LINT_IMAGES}
                       GOLDEN lint-policy-images.txt)
ecrlp_explain_cli_test(lint_json EXIT 1 ARGS lint lint-tagged-only.json --format json
                       GOLDEN lint-tagged-only.json)
ecrlp_explain_cli_test(lint_clean EXIT 0 ARGS lint policy.json ${LINT_IMAGES}
                       STDOUT_REGEX "^policy.json: no findings\n$")
ecrlp_explain_cli_test(lint_fail_on_error_ignores_warnings EXIT 0 ARGS lint lint-policy.json
                       --fail-on error STDOUT_REGEX "0 errors, 6 warnings")
ecrlp_explain_cli_test(lint_removes_too_much EXIT 1 ARGS lint policy.json ${LINT_IMAGES}
                       --max-remove-percent 25 --fail-on error
                       STDOUT_REGEX "error\\[lint\\.removes_too_much\\]: the policy would expire 4 of the 12 images \\(33\\.3%")
ecrlp_explain_cli_test(lint_bad_fail_on EXIT 2 ARGS lint policy.json --fail-on note
                       STDERR_REGEX "--fail-on takes warning or error" STDOUT_EMPTY)
ecrlp_explain_cli_test(lint_bad_percent EXIT 2 ARGS lint policy.json --max-remove-percent 150
                       STDERR_REGEX "--max-remove-percent takes a number from 0 to 100" STDOUT_EMPTY)
ecrlp_explain_cli_test(lint_no_policy EXIT 2 ARGS lint STDERR_REGEX "no POLICY" STDOUT_EMPTY)
ecrlp_explain_cli_test(lint_invalid_policy EXIT 1 ARGS lint ${CLI_DATA}/invalid-policy.json
                       STDERR_REGEX "invalid-policy.json" STDOUT_EMPTY)

# ---- ecrlp test (policy unit tests; docs/policy-tests.md) ----------------------------------------
set(POLICY_TESTS ${PROJECT_SOURCE_DIR}/examples/policy-tests)
set(CASE_DATA ${CMAKE_CURRENT_SOURCE_DIR}/data/policy-tests)
# The bundled example policy's intent, as tests: all must pass.
ecrlp_cli_test(test_story_intent EXIT 0 ARGS test ${POLICY_TESTS}/story.json
               STDOUT_REGEX "PASS  production images are kept.*PASS  catch-all removes old untagged images.*PASS  catch-all removes old non-production images.*\n6 passed, 0 failed\n$")
# A case file that fails on purpose: exit 1, the failed expectation and why the image was kept.
ecrlp_cli_test(test_deliberately_failing EXIT 1 ARGS test ${POLICY_TESTS}/deliberately-failing.json
               STDOUT_REGEX "PASS  untagged images go after 7 days\n  FAIL  feature branches go after 30 days.*deliberately-failing.json:/cases/1/expect/0/image: expected image 'feature-branch' expired by rule priority 5, but it was kept \\(owned by rule priority 5\\)\n.*rule priority 5 \"Catch-all[^\n]*: owns it. pushed 60d ago, not more than 90 days. so it is kept\n.*\n1 passed, 1 failed\n$")
ecrlp_cli_test(test_help EXIT 0 ARGS test --help STDOUT_REGEX "Usage: ecrlp test \\[--junit FILE\\]")
ecrlp_cli_test(test_no_case EXIT 2 ARGS test STDERR_REGEX "no CASE file given" STDOUT_EMPTY)
ecrlp_cli_test(test_bad_format EXIT 2 ARGS test --format json ${POLICY_TESTS}/story.json
               STDERR_REGEX "unknown --format 'json'" STDOUT_EMPTY)
ecrlp_cli_test(test_malformed EXIT 1 ARGS test ${CASE_DATA}/malformed.json
               STDERR_REGEX "malformed.json.*error\\[case.unknown_image\\].*/cases/0/expect/0/image"
               STDOUT_REGEX "0 passed, 1 failed\n$")
ecrlp_cli_test(test_unreadable EXIT 3 ARGS test ${CASE_DATA}/does-not-exist.json
               STDERR_REGEX "does-not-exist.json.*io\\.read")
ecrlp_cli_test(test_mixed EXIT 1 ARGS test ${POLICY_TESTS}/story.json ${CASE_DATA}/failing.json
               STDOUT_REGEX "\n7 passed, 1 failed\n$")

# ---------------------------------------------------------------------------------------------
# Hostile input (issue 6). Every file of tests/data/hostile/manifest.txt runs through the real
# binary: a policy through `validate` (the code on stdout, exit 1; 3 for io.*) and through
# `preview` with a valid inventory, an inventory through `preview` with a valid policy (the code
# and the file:line:column on stderr, NOTHING on stdout). Inputs too big to commit are generated
# at test time by tests/hostile_cli.cmake. tests/hostile_test.cpp checks the same files in-process.
# ---------------------------------------------------------------------------------------------
set(HOSTILE_DIR ${CMAKE_CURRENT_SOURCE_DIR}/data/hostile)
set(HOSTILE_NOW 2025-01-31T00:00:00Z)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${HOSTILE_DIR}/manifest.txt)
file(STRINGS ${HOSTILE_DIR}/manifest.txt hostile_manifest)
foreach(entry IN LISTS hostile_manifest)
  if(entry MATCHES "^[ \t]*(#|$)")
    continue()
  endif()
  string(REGEX MATCHALL "[^ \t]+" fields "${entry}")
  list(GET fields 0 file)
  list(GET fields 1 code)
  list(GET fields 3 position)
  get_filename_component(name "${file}" NAME)
  # File names and codes hold no regex character but '.'.
  string(REPLACE "." "\\." name_re "${name}")
  string(REPLACE "." "\\." code_re "${code}")
  if(position STREQUAL "-")
    set(where_re "${name_re}: error\\[${code_re}\\]")
  else()
    set(where_re "${name_re}:${position}: error\\[${code_re}\\]")
  endif()
  set(exit 1)
  if(code MATCHES "^io\\.")
    set(exit 3)
  endif()
  if(file MATCHES "^iac/")
    # Infrastructure code as --policy: the located error on stderr, nothing on stdout.
    ecrlp_cli_test(hostile.preview_iac.${name} EXIT ${exit}
                   ARGS preview --policy ${HOSTILE_DIR}/${file} --images ${CLI_DATA}/tc8-images.json
                        --now ${HOSTILE_NOW}
                   STDERR_REGEX "${where_re}" STDOUT_EMPTY)
  elseif(file MATCHES "^policies/")
    ecrlp_cli_test(hostile.validate.${name} EXIT ${exit} ARGS validate ${HOSTILE_DIR}/${file}
                   STDOUT_REGEX "${where_re}.*${name_re}: invalid")
    ecrlp_cli_test(hostile.preview_policy.${name} EXIT ${exit}
                   ARGS preview --policy ${HOSTILE_DIR}/${file} --images ${CLI_DATA}/tc8-images.json
                        --now ${HOSTILE_NOW}
                   STDERR_REGEX "${where_re}" STDOUT_EMPTY)
  else()
    ecrlp_cli_test(hostile.preview_images.${name} EXIT ${exit}
                   ARGS preview --policy ${CLI_DATA}/tc8-policy.json --images ${HOSTILE_DIR}/${file}
                        --now ${HOSTILE_NOW} --format json
                   STDERR_REGEX "${where_re}" STDOUT_EMPTY)
  endif()
endforeach()

# The other commands that read inventories keep stdout clean on errors too.
foreach(file IN ITEMS truncated-in-string.json nul-then-garbage.json duplicate-digest.json)
  ecrlp_cli_test(hostile.explain.${file} EXIT 1
                 ARGS explain --policy ${CLI_DATA}/tc8-policy.json
                      --images ${HOSTILE_DIR}/inventories/${file} --now ${HOSTILE_NOW}
                 STDERR_REGEX "${file}:[0-9]+:[0-9]+: error.(inventory|image)\\." STDOUT_EMPTY)
  ecrlp_cli_test(hostile.diff.${file} EXIT 1
                 ARGS diff --policy ${CLI_DATA}/tc8-policy.json --policy ${CLI_DATA}/tc8-policy.json
                      --images ${HOSTILE_DIR}/inventories/${file} --now ${HOSTILE_NOW}
                 STDERR_REGEX "${file}:[0-9]+:[0-9]+: error.(inventory|image)\\." STDOUT_EMPTY)
endforeach()

# Generated inputs: 100,000-deep nesting, 16 MiB of whitespace (and one byte more), 4 MiB strings.
foreach(case IN ITEMS policy_deep_100k policy_objects_100k policy_whitespace_16mib
                      policy_over_16mib policy_huge_description policy_huge_unterminated_string
                      inventory_deep_100k inventory_whitespace_16mib inventory_huge_tag
                      inventory_huge_digest inventory_huge_number)
  add_test(NAME cli.hostile.generated.${case}
           COMMAND ${CMAKE_COMMAND} -DECRLP=$<TARGET_FILE:ecrlp-cli> -DCASE=${case}
                   -DWORK=${CMAKE_CURRENT_BINARY_DIR}/hostile-generated -DCLI_DATA=${CLI_DATA}
                   -P ${CMAKE_CURRENT_SOURCE_DIR}/hostile_cli.cmake)
  set_tests_properties(cli.hostile.generated.${case} PROPERTIES ENVIRONMENT "TZ=Europe/Kyiv"
                       TIMEOUT 120)
endforeach()

# ---- ecrlp simulate (docs/simulate.md) ------------------------------------------------------------
set(SIM_DATA ${CMAKE_CURRENT_SOURCE_DIR}/data/simulate)
set(SIM --policy ${SIM_DATA}/policy.json --images ${SIM_DATA}/images.json)
set(SIM_RANGE --from 2025-01-01T00:00:00Z --to 2025-06-30T00:00:00Z)
ecrlp_cli_test(simulate_help EXIT 0 ARGS simulate --help
               STDOUT_REGEX "Usage: ecrlp simulate.*--from TIME.*--every INTERVAL.*--watch KEY")
ecrlp_cli_test(simulate_listed EXIT 0 ARGS --help STDOUT_REGEX "simulate   Apply a policy")
# Half a year, daily, replay: releases archived after 30 days and deleted 90 days after that.
ecrlp_cli_test(simulate_table EXIT 0 ARGS simulate ${SIM} ${SIM_RANGE} --watch rel-2.0
               --watch latest --watch sha256:50010000 GOLDEN simulate-table.txt)
ecrlp_cli_test(simulate_json EXIT 0 ARGS simulate ${SIM} ${SIM_RANGE} --every 7d --watch rel-1.0
               --format json GOLDEN simulate-weekly.json)
ecrlp_cli_test(simulate_csv EXIT 0 ARGS simulate ${SIM} ${SIM_RANGE} --every 7d --format csv
               GOLDEN simulate-weekly.csv)
ecrlp_cli_test(simulate_watch_answer EXIT 0 ARGS simulate ${SIM} ${SIM_RANGE} --watch rel-1.0
               STDOUT_REGEX "rel-1.0 = sha256:200100000000 \\[rel-1.0\\]\n    present at the start; archived at 2025-01-10T00:00:00\\+00:00 \\(step 9\\) by rule 3; expires at 2025-04-11T00:00:00\\+00:00 \\(step 100\\) by rule 4\n")
ecrlp_cli_test(simulate_static_mode EXIT 0 ARGS simulate ${SIM} ${SIM_RANGE} --mode static
               STDOUT_REGEX "\\(static mode\\).*13 images in the inventory: 13 present at the start")
# One step over TC-8 does what preview does: 3 of 5 images expire.
ecrlp_cli_test(simulate_one_step_tc8 EXIT 0 ARGS simulate --policy ${CLI_DATA}/tc8-policy.json
               --images ${CLI_DATA}/tc8-images.json --images ${CLI_DATA}/tc8-images-page2.json
               --from 2025-01-31T00:00:00Z --to 2025-01-31T00:00:00Z
               STDOUT_REGEX "1 steps.*\n  Expired             3    6.8 KiB\n")
ecrlp_cli_test(simulate_no_from EXIT 2 ARGS simulate ${SIM} --to 2025-06-30T00:00:00Z
               STDERR_REGEX "--from TIME is required" STDOUT_EMPTY)
ecrlp_cli_test(simulate_bad_time EXIT 2 ARGS simulate ${SIM} --from yesterday --to 2025-06-30T00:00:00Z
               STDERR_REGEX "--from 'yesterday' is not a time" STDOUT_EMPTY)
ecrlp_cli_test(simulate_backwards EXIT 2 ARGS simulate ${SIM} --from 2025-06-30T00:00:00Z
               --to 2025-01-01T00:00:00Z STDERR_REGEX "--to is before --from" STDOUT_EMPTY)
ecrlp_cli_test(simulate_bad_every EXIT 2 ARGS simulate ${SIM} ${SIM_RANGE} --every 1w
               STDERR_REGEX "--every takes a positive whole number" STDOUT_EMPTY)
ecrlp_cli_test(simulate_bad_mode EXIT 2 ARGS simulate ${SIM} ${SIM_RANGE} --mode forecast
               STDERR_REGEX "--mode takes replay or static" STDOUT_EMPTY)
ecrlp_cli_test(simulate_too_many_steps EXIT 2 ARGS simulate ${SIM} ${SIM_RANGE} --every 1s
               STDERR_REGEX "error\\[simulate.too_many_steps\\]" STDOUT_EMPTY)
ecrlp_cli_test(simulate_watch_unknown EXIT 1 ARGS simulate ${SIM} ${SIM_RANGE} --watch no-such-tag
               STDERR_REGEX "--watch 'no-such-tag' names no image" STDOUT_EMPTY)
ecrlp_cli_test(simulate_missing_images EXIT 3 ARGS simulate --policy ${SIM_DATA}/policy.json
               --images ${SIM_DATA}/does-not-exist.json ${SIM_RANGE} STDERR_REGEX "io\\.read")

# The real binary under other time zones and locales prints the same golden outputs byte for byte
# (tests/hostile_determinism_test.cpp covers shuffled, re-paginated and reordered inputs).
foreach(format IN ITEMS json txt csv)
  set(format_arg ${format})
  if(format STREQUAL "txt")
    set(format_arg table)
  endif()
  ecrlp_cli_test(hostile.tz_locale_${format_arg} EXIT 0 ARGS preview ${TC8} --format ${format_arg}
                 GOLDEN tc8-preview.${format})
  set_tests_properties(cli.hostile.tz_locale_${format_arg} PROPERTIES ENVIRONMENT
                       "TZ=Pacific/Kiritimati;LC_ALL=de_DE.UTF-8;LANG=ru_RU.UTF-8")
endforeach()
# Forecast: synthetic pushes join like replayed ones; {n} continues after prod-7, `latest` moves.
ecrlp_cli_test(simulate_forecast EXIT 0 ARGS simulate ${SIM} --from 2025-03-01T00:00:00Z
               --to 2025-04-15T00:00:00Z --every 3d --push-rate prod-{n}=0.25 --push-rate latest=0.2
               --push-rate <untagged>=0.5 --push-size 1000000 --watch latest --max-rows 0
               GOLDEN simulate-forecast.txt)
ecrlp_cli_test(simulate_bad_push_rate EXIT 2 ARGS simulate ${SIM} ${SIM_RANGE} --push-rate main-{n}
               STDERR_REGEX "--push-rate takes TAG_TEMPLATE=PUSHES_PER_DAY" STDOUT_EMPTY)
ecrlp_cli_test(simulate_too_many_pushes EXIT 2 ARGS simulate ${SIM} ${SIM_RANGE} --push-rate x=100000
               STDERR_REGEX "error\\[simulate.too_many_pushes\\]" STDOUT_EMPTY)
# --format html: one self-contained page, well-formed (xmllint when installed), with the named
# elements. Each kind of page is also used in a real browser: tests/browser/browser_tests.cmake.
find_program(ECRLP_XMLLINT xmllint)
function(ecrlp_html_test name ids)
  string(REPLACE ";" "@@" args_joined "${ARGN}")
  string(REPLACE ";" "@@" ids_joined "${ids}")
  set(defs -DECRLP=$<TARGET_FILE:ecrlp-cli> "-DARGS=${args_joined}" "-DEXPECT_IDS=${ids_joined}"
      -DOUT=${CMAKE_CURRENT_BINARY_DIR}/${name}.html)
  if(ECRLP_XMLLINT)
    list(APPEND defs -DXMLLINT=${ECRLP_XMLLINT})
  endif()
  add_test(NAME cli.${name} COMMAND ${CMAKE_COMMAND} ${defs} -P ${CMAKE_CURRENT_SOURCE_DIR}/html_check.cmake)
  set_tests_properties(cli.${name} PROPERTIES ENVIRONMENT "TZ=Europe/Kyiv" TIMEOUT 60)
endfunction()
ecrlp_html_test(simulate_html "images-over-time;bytes-over-time;rules" simulate ${SIM} ${SIM_RANGE}
                --watch rel-2.0 --format html)
ecrlp_html_test(preview_html "before-after-images;before-after-bytes;before-after-findings;rules"
                preview ${SIM} --now 2025-03-15T00:00:00Z --format html)
ecrlp_html_test(diff_html "before-after-images;before-after-bytes;before-after-findings;changes;rules-old;rules-new"
                diff --policy ${EXPLAIN_DIR}/policy.json --policy ${EXPLAIN_DIR}/policy-new.json
                --images ${EXPLAIN_DIR}/images.json --now 2025-01-31T00:00:00Z --format html)
