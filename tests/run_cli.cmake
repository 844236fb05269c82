# SPDX-License-Identifier: MIT
# Runs the real ecrlp binary once and checks what a user would see. Invoked by ctest as
#   cmake -DECRLP=<binary> -DARGS=<;-list> -DEXIT=<code> [-DGOLDEN=<file>] [-DSTDOUT_REGEX=<re>]
#         [-DSTDERR_REGEX=<re>] [-DSTDOUT_EMPTY=ON] -P run_cli.cmake
# With ECRLP_UPDATE_GOLDEN=1 in the environment, GOLDEN files are rewritten instead of compared.
string(REPLACE "@@" ";" ARGS "${ARGS}")
execute_process(COMMAND ${ECRLP} ${ARGS}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
set(context "command: ecrlp ${ARGS}\nexit: ${rc}\n--- stdout ---\n${out}\n--- stderr ---\n${err}")
if(NOT rc STREQUAL EXIT)
  message(FATAL_ERROR "expected exit ${EXIT}, got ${rc}\n${context}")
endif()
if(DEFINED GOLDEN)
  if("$ENV{ECRLP_UPDATE_GOLDEN}" STREQUAL "1")
    file(WRITE ${GOLDEN} "${out}")
  else()
    file(READ ${GOLDEN} expected)
    if(NOT out STREQUAL expected)
      file(WRITE ${GOLDEN}.actual "${out}")
      message(FATAL_ERROR "stdout differs from ${GOLDEN} (actual output written to "
                          "${GOLDEN}.actual; ECRLP_UPDATE_GOLDEN=1 rewrites)\n${context}")
    endif()
  endif()
endif()
if(DEFINED STDOUT_REGEX AND NOT out MATCHES "${STDOUT_REGEX}")
  message(FATAL_ERROR "stdout does not match '${STDOUT_REGEX}'\n${context}")
endif()
if(DEFINED STDERR_REGEX AND NOT err MATCHES "${STDERR_REGEX}")
  message(FATAL_ERROR "stderr does not match '${STDERR_REGEX}'\n${context}")
endif()
if(STDOUT_EMPTY AND NOT out STREQUAL "")
  message(FATAL_ERROR "expected nothing on stdout\n${context}")
endif()
