# SPDX-License-Identifier: MIT
# Stands in for a browser test when ${WHAT} (python3) was not found at configure time: skipped
# (SKIP_REGULAR_EXPRESSION "^SKIPPED:") except under CI=true, where it fails.
if("$ENV{CI}" STREQUAL "true")
  message(FATAL_ERROR "${WHAT} not found, and CI=true: the browser tests must run "
                      "(scripts/setup.sh installs it)")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E echo "SKIPPED: ${WHAT} not found when cmake configured")
