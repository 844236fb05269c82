# SPDX-License-Identifier: MIT
# Runs the real ecrlp binary twice, once reading FILE by its path and once with FILE piped to its
# standard input (`cmake -E cat FILE | ecrlp ...`, a pipe, not a redirected file), and checks that
# both give the same exit status, the same stdout and stderr once FILE's path is written
# `<stdin>`, the name diagnostics give standard input. Invoked by ctest as
#   cmake -DECRLP=<binary> -DFILE=<input> -DARGS=<;-list with %FILE%> -DEXIT=<code>
#         [-DSTDERR_REGEX=<re>] -P run_stdin_cli.cmake
string(REPLACE "@@" ";" ARGS "${ARGS}")
string(REPLACE "%FILE%" "${FILE}" by_path "${ARGS}")
string(REPLACE "%FILE%" "-" by_stdin "${ARGS}")
execute_process(COMMAND ${ECRLP} ${by_path}
                RESULT_VARIABLE rc_path OUTPUT_VARIABLE out_path ERROR_VARIABLE err_path)
execute_process(COMMAND ${CMAKE_COMMAND} -E cat ${FILE}
                COMMAND ${ECRLP} ${by_stdin}
                RESULTS_VARIABLE rcs OUTPUT_VARIABLE out_stdin ERROR_VARIABLE err_stdin)
list(GET rcs 1 rc_stdin)
set(context "command: ecrlp ${by_stdin} < ${FILE} (a pipe)\nexit: ${rc_stdin}\n"
            "--- stderr ---\n${err_stdin}\n--- stderr by path ---\n${err_path}")
if(NOT rc_path STREQUAL EXIT)
  message(FATAL_ERROR "by path: expected exit ${EXIT}, got ${rc_path}\n${context}")
endif()
if(NOT rc_stdin STREQUAL rc_path)
  message(FATAL_ERROR "from a pipe: exit ${rc_stdin}, by path ${rc_path}\n${context}")
endif()
# validate prints its diagnostics on stdout: they name the file too.
string(REPLACE "${FILE}" "<stdin>" expected_out "${out_path}")
if(NOT out_stdin STREQUAL expected_out)
  message(FATAL_ERROR "stdout differs between the path and the pipe\n${context}")
endif()
string(REPLACE "${FILE}" "<stdin>" expected_err "${err_path}")
if(NOT err_stdin STREQUAL expected_err)
  message(FATAL_ERROR "stderr from the pipe is not stderr by path with <stdin> for the path\n"
                      "${context}")
endif()
if(DEFINED STDERR_REGEX AND NOT err_stdin MATCHES "${STDERR_REGEX}")
  message(FATAL_ERROR "stderr does not match '${STDERR_REGEX}'\n${context}")
endif()
if(out_path STREQUAL "" AND err_path STREQUAL "")
  message(FATAL_ERROR "the command printed nothing: the comparison proves nothing\n${context}")
endif()
