# SPDX-License-Identifier: MIT
# The man pages and shell completions the build generates (cmake/docs.cmake, into build/docs),
# checked against the real ecrlp. Label "docs". The [docs] cases of ecrlp-tests check the same
# generators in-process against the option tables and the parser. The completion tests run ecrlp
# about 70 times: 3 to 8 s, but about a minute under the sanitizers of scripts/test's second pass.
set(ECRLP_DOCS_TEST_DIR ${CMAKE_CURRENT_LIST_DIR})
foreach(what man zsh)
  if(what STREQUAL "man")
    set(name docs.man_pages)
  else()
    set(name docs.zsh_completion)
  endif()
  add_test(NAME ${name}
           COMMAND ${CMAKE_COMMAND} -DECRLP=$<TARGET_FILE:ecrlp-cli> -DDOCS=${ECRLP_DOCS_DIR}
                   -DWHAT=${what} -DWORK=${CMAKE_CURRENT_BINARY_DIR}/docs-zsh-completion
                   -P ${ECRLP_DOCS_TEST_DIR}/check_docs.cmake)
  set_tests_properties(${name} PROPERTIES LABELS docs TIMEOUT 300
                                          SKIP_REGULAR_EXPRESSION "SKIPPED:")
endforeach()
add_test(NAME docs.bash_completion
         COMMAND bash ${ECRLP_DOCS_TEST_DIR}/bash_completion.sh
                 ${ECRLP_DOCS_DIR}/bash-completion/ecrlp $<TARGET_FILE:ecrlp-cli>
                 ${CMAKE_CURRENT_BINARY_DIR}/docs-bash-completion)
set_tests_properties(docs.bash_completion PROPERTIES LABELS docs TIMEOUT 300)
