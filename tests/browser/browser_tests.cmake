# SPDX-License-Identifier: MIT
# Browser tests (docs/testing.md): each kind of HTML report, rendered by the real `ecrlp` and used
# in headless Chromium as a person would, through chromedriver (WebDriver) from Python's standard
# library: check_report.py clicks every sortable heading (ascending, then descending), unfolds an
# explanation, measures the layout in a 1280 px window and the texts of the SVG charts.
# Included from tests/CMakeLists.txt (needs the ecrlp-cli target).
#
# Without chromium and chromedriver a test says SKIPPED (exit 77), except under CI=true, where it
# fails. scripts/test installs both (scripts/setup.sh). Each test writes its pages, and a screenshot
# of each, to build/.../tests/browser/<test>/ (nothing shared, so they run in parallel).

set(ECRLP_BROWSER_DIR ${CMAKE_CURRENT_BINARY_DIR}/browser)
# Debian's python3 (scripts/setup.sh installs it; the standard library is all these tests use)
# before another one on PATH: a pyenv shim takes a second to start.
find_program(ECRLP_PYTHON3 python3 HINTS /usr/bin)

# ecrlp_browser_page(NAME CHARTS id... ARGS ecrlp-argument...): a page to check, written as
# browser/NAME.json for check_report.py: how ecrlp makes it and which charts it must draw.
function(ecrlp_browser_page name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "CHARTS;ARGS")
  foreach(list IN ITEMS CHARTS ARGS)
    set(items "")
    foreach(item IN LISTS arg_${list})
      string(REPLACE "\\" "\\\\" item "${item}")
      string(REPLACE "\"" "\\\"" item "${item}")
      list(APPEND items "\"${item}\"")
    endforeach()
    list(JOIN items ", " ${list}_json)
  endforeach()
  file(WRITE ${ECRLP_BROWSER_DIR}/${name}.json
       "{\"name\": \"${name}\", \"charts\": [${CHARTS_json}],\n \"args\": [${ARGS_json}]}\n")
endfunction()

# ecrlp_browser_test(NAME PAGES page... [ONLY check...] [SKIP check...] [EXPECT_FAILURE regex]):
# the ctest browser.NAME, which checks PAGES in one browser. EXPECT_FAILURE marks a known bug: the
# test passes while checks fail, each with a message matching the regex (Python's re.search), and
# says so; it fails on any other failure, and once they all pass, so that it is made a normal test
# when the bug is fixed. Such tests are labelled known-bug.
function(ecrlp_browser_test name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "EXPECT_FAILURE" "PAGES;ONLY;SKIP")
  set(labels browser)
  if(NOT ECRLP_PYTHON3)
    add_test(NAME browser.${name} COMMAND ${CMAKE_COMMAND} -DWHAT=python3
             -P ${CMAKE_CURRENT_LIST_DIR}/missing.cmake)
  else()
    set(command ${ECRLP_PYTHON3} -B ${CMAKE_CURRENT_LIST_DIR}/check_report.py
        --ecrlp $<TARGET_FILE:ecrlp-cli> --out ${ECRLP_BROWSER_DIR}/${name})
    foreach(check IN LISTS arg_ONLY)
      list(APPEND command --only ${check})
    endforeach()
    foreach(check IN LISTS arg_SKIP)
      list(APPEND command --skip ${check})
    endforeach()
    if(arg_EXPECT_FAILURE)
      list(APPEND command --expect-failure ${arg_EXPECT_FAILURE})
      list(APPEND labels known-bug)
    endif()
    list(TRANSFORM arg_PAGES REPLACE "(.+)" "${ECRLP_BROWSER_DIR}/\\1.json")
    add_test(NAME browser.${name} COMMAND ${command} ${arg_PAGES})
  endif()
  set_tests_properties(browser.${name} PROPERTIES TIMEOUT 120 LABELS "${labels}"
                       ENVIRONMENT "TZ=Europe/Kyiv" SKIP_RETURN_CODE 77
                       SKIP_REGULAR_EXPRESSION "^SKIPPED:")
endfunction()

set(BROWSER_SIM --policy ${CMAKE_CURRENT_SOURCE_DIR}/data/simulate/policy.json
                --images ${CMAKE_CURRENT_SOURCE_DIR}/data/simulate/images.json)
set(BROWSER_EXPLAIN ${CMAKE_CURRENT_SOURCE_DIR}/data/explain)
set(BROWSER_SNAP ${CMAKE_CURRENT_SOURCE_DIR}/data/registry/snapshot)
set(BROWSER_REG ${CMAKE_CURRENT_SOURCE_DIR}/data/registry-cli)

ecrlp_browser_page(preview
  CHARTS before-after-images before-after-bytes before-after-findings rules
  ARGS preview ${BROWSER_SIM} --now 2025-03-15T00:00:00Z --format html)
# tests/data/explain's images with three sizes changed (700 kB, 2.5 MB, 600 MB), so that sizes
# sort differently as numbers and as text (check "sort" requires such a column on each page).
# They have no scan findings: before-after-findings has no bar to draw.
ecrlp_browser_page(diff
  CHARTS before-after-images before-after-bytes changes rules-old rules-new
  ARGS diff --policy ${BROWSER_EXPLAIN}/policy.json --policy ${BROWSER_EXPLAIN}/policy-new.json
       --images ${CMAKE_CURRENT_LIST_DIR}/data/diff-images.json --now 2025-01-31T00:00:00Z
       --format html)
ecrlp_browser_page(simulate
  CHARTS images-over-time bytes-over-time rules
  ARGS simulate ${BROWSER_SIM} --from 2025-01-01T00:00:00Z --to 2025-06-30T00:00:00Z
       --watch rel-2.0 --format html)
ecrlp_browser_page(registry_preview
  CHARTS repository-bytes findings
  ARGS preview --registry ${BROWSER_SNAP} --now 2026-11-28T06:00:00Z
       --in-use ${BROWSER_REG}/in-use.txt --format html)
ecrlp_browser_page(registry_diff
  CHARTS changes repository-changes repo-0-bytes repo-2-bytes
  ARGS diff --registry ${BROWSER_SNAP} --policy ${BROWSER_REG}/everywhere-policy.json
       --now 2026-11-28T06:00:00Z --format html)
ecrlp_browser_page(registry_simulate
  CHARTS images-over-time bytes-over-time repo-2-images-over-time repo-2-bytes-over-time
  ARGS simulate --registry ${BROWSER_SNAP} --from 2026-07-01T00:00:00Z --to 2026-12-31T00:00:00Z
       --every 1d --format html)
ecrlp_browser_page(plan_check
  CHARTS changes-0 changes-1 changes-2
  ARGS plan-check ${CMAKE_CURRENT_SOURCE_DIR}/data/plan-check/plan.json --registry ${BROWSER_SNAP}
       --in-use ${CMAKE_CURRENT_SOURCE_DIR}/data/plan-check/in-use.txt --now 2026-11-28T06:00:00Z
       --format html)

# One test per kind of report, every check. The rule charts once cut each description to 32
# bytes ("rule 1: Keep the 3 newest production ima") and the registry diff's repositories table
# was wider than the window (a policy path that could not wrap): check "svg-labels" and
# "layout" keep them fixed.
ecrlp_browser_test(preview PAGES preview)
ecrlp_browser_test(diff PAGES diff)
ecrlp_browser_test(simulate PAGES simulate)
ecrlp_browser_test(registry_preview PAGES registry_preview)
ecrlp_browser_test(registry_diff PAGES registry_diff)
ecrlp_browser_test(registry_simulate PAGES registry_simulate)
ecrlp_browser_test(plan_check PAGES plan_check)

# The checks themselves: each fails on a page broken on purpose (a sort that compares numbers as
# text, an explanation that never shows, an element wider than the window ...), and the intact
# page passes (tests/browser/self_test.py).
if(ECRLP_PYTHON3)
  add_test(NAME browser.checks_can_fail
           COMMAND ${ECRLP_PYTHON3} -B ${CMAKE_CURRENT_LIST_DIR}/self_test.py
                   --ecrlp $<TARGET_FILE:ecrlp-cli> --out ${ECRLP_BROWSER_DIR}/checks_can_fail
                   ${ECRLP_BROWSER_DIR}/preview.json)
  set_tests_properties(browser.checks_can_fail PROPERTIES TIMEOUT 120 LABELS browser
                       ENVIRONMENT "TZ=Europe/Kyiv" SKIP_RETURN_CODE 77)
endif()
