# SPDX-License-Identifier: MIT
# `--format markdown` of the real binary against golden files: one report per command, for one
# repository and for a registry snapshot. The inputs are named relative to the test's working
# directory, so that the paths the reports print do not depend on where the tree is.

function(ecrlp_markdown_test name dir)
  ecrlp_cli_test(${name} ${ARGN})
  set_tests_properties(cli.${name} PROPERTIES WORKING_DIRECTORY ${dir})
endfunction()

set(MD_DATA ${CMAKE_CURRENT_SOURCE_DIR}/data)
set(MD_REGISTRY registry/snapshot)
set(MD_REG_NOW --now 2026-11-28T06:00:00Z)
set(MD_EVERYWHERE registry-cli/everywhere-policy.json)
set(MD_IN_USE registry-cli/in-use.txt)

ecrlp_markdown_test(markdown_preview ${MD_DATA}/cli EXIT 0
  ARGS preview --policy tc8-policy.json --images tc8-images.json --images tc8-images-page2.json
       --now 2025-01-31T00:00:00Z --impact --format markdown GOLDEN tc8-preview.md)
ecrlp_markdown_test(markdown_explain ${EXPLAIN_DIR} EXIT 0
  ARGS explain ${EXPLAIN_INPUTS} --format markdown GOLDEN explain-all.md)
ecrlp_markdown_test(markdown_diff ${EXPLAIN_DIR} EXIT 0
  ARGS diff ${DIFF_INPUTS} --format markdown GOLDEN diff.md)
ecrlp_markdown_test(markdown_lint ${EXPLAIN_DIR} EXIT 1
  ARGS lint lint-policy.json ${LINT_IMAGES} --format markdown GOLDEN lint-policy-images.md)
ecrlp_markdown_test(markdown_simulate ${MD_DATA}/simulate EXIT 0
  ARGS simulate --policy policy.json --images images.json --from 2025-01-01T00:00:00Z
       --to 2025-06-30T00:00:00Z --every 7d --format markdown GOLDEN simulate-weekly.md)
ecrlp_markdown_test(markdown_registry_preview ${MD_DATA} EXIT 0
  ARGS preview --registry ${MD_REGISTRY} ${MD_REG_NOW} --policy ${MD_EVERYWHERE}
       --in-use ${MD_IN_USE} --format markdown GOLDEN registry-preview.md)
ecrlp_markdown_test(markdown_registry_diff ${MD_DATA} EXIT 0
  ARGS diff --policy ${MD_EVERYWHERE} --registry ${MD_REGISTRY} ${MD_REG_NOW} --format markdown
       GOLDEN registry-diff.md)
ecrlp_markdown_test(markdown_registry_simulate ${MD_DATA} EXIT 0
  ARGS simulate --registry ${MD_REGISTRY} --from 2026-11-01T00:00:00Z --to 2027-02-01T00:00:00Z
       --every 7d --policy ${MD_EVERYWHERE} --in-use ${MD_IN_USE} --format markdown
       GOLDEN registry-simulate.md)
ecrlp_markdown_test(markdown_registry_lint ${MD_DATA} EXIT 1
  ARGS lint --registry ${MD_REGISTRY} ${MD_REG_NOW} --format markdown GOLDEN registry-lint.md)
ecrlp_markdown_test(markdown_registry_explain ${MD_DATA} EXIT 0
  ARGS explain --registry ${MD_REGISTRY} ${MD_REG_NOW} --image latest --format markdown
       GOLDEN registry-explain.md)

# The same files as GitHub's parser reads them (tests/markdown_gfm.cmake).
find_program(ECRLP_CMARK_GFM cmark-gfm)
file(GLOB ECRLP_MARKDOWN_GOLDEN CONFIGURE_DEPENDS ${GOLDEN_DIR}/*.md)
string(REPLACE ";" "@@" md_files "${ECRLP_MARKDOWN_GOLDEN}")
add_test(NAME cli.markdown_gfm
         COMMAND ${CMAKE_COMMAND} "-DCMARK=${ECRLP_CMARK_GFM}" "-DFILES=${md_files}"
                 -P ${CMAKE_CURRENT_SOURCE_DIR}/markdown_gfm.cmake)
set_tests_properties(cli.markdown_gfm PROPERTIES SKIP_REGULAR_EXPRESSION "SKIPPED:")
