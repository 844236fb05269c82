# Renders an HTML report with ecrlp and checks it: the elements with the expected ids are there, and
# it is well-formed XML (xmllint --noout, when XMLLINT is set). The pages are used in a real browser
# by tests/browser/ (browser_tests.cmake).
#   cmake -DECRLP=<binary> -DARGS=<@@-joined list> -DOUT=<file.html> [-DXMLLINT=<path>]
#         [-DEXPECT_IDS=<@@-joined element ids>] -P html_check.cmake
string(REPLACE "@@" ";" args "${ARGS}")
execute_process(COMMAND ${ECRLP} ${args} OUTPUT_FILE ${OUT} ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ecrlp exited with ${rc}: ${err}")
endif()
file(READ ${OUT} html)
string(REPLACE "@@" ";" ids "${EXPECT_IDS}")
foreach(id IN LISTS ids)
  string(FIND "${html}" "id=\"${id}\"" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${OUT}: no element with id ${id}")
  endif()
endforeach()
if(XMLLINT)
  execute_process(COMMAND ${XMLLINT} --noout ${OUT} ERROR_VARIABLE xerr RESULT_VARIABLE xrc)
  if(NOT xrc EQUAL 0)
    message(FATAL_ERROR "${OUT} is not well-formed:\n${xerr}")
  endif()
else()
  message(STATUS "xmllint not installed: well-formedness checked by the unit tests only")
endif()
