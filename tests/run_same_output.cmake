# SPDX-License-Identifier: MIT
# Runs ecrlp once per argument list and checks that every run exits 0 and writes the same bytes to
# standard output as the first.
#   cmake -DECRLP=<binary> -DRUNS=<runs joined by @@@, each run's arguments by @@> [-DDIR=<cwd>]
#         -P run_same_output.cmake
string(REPLACE "@@@" ";" runs "${RUNS}")
if(NOT DIR)
  set(DIR ${CMAKE_CURRENT_BINARY_DIR})
endif()
set(first "")
set(first_args "")
foreach(run IN LISTS runs)
  string(REPLACE "@@" ";" args "${run}")
  execute_process(COMMAND ${ECRLP} ${args} WORKING_DIRECTORY ${DIR} OUTPUT_VARIABLE out
                  ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "exit ${rc}: ecrlp ${args}\n${err}")
  endif()
  if(out STREQUAL "")
    message(FATAL_ERROR "no output: ecrlp ${args}")
  endif()
  if(first_args STREQUAL "")
    set(first "${out}")
    set(first_args "${args}")
  elseif(NOT out STREQUAL first)
    message(FATAL_ERROR "ecrlp ${args}\nwrites other bytes than\necrlp ${first_args}")
  endif()
endforeach()
