# `ecrlp simulate --registry DIR --format html` (docs/simulate.md, "A whole registry"): the page is
# well-formed and self-contained, with the registry-total charts and those of a repository's section
# (repo-2: payments, the third repository by name); tests/browser/browser_tests.cmake uses it in a
# browser.
# Included from tests/CMakeLists.txt after registry_cli.cmake (ecrlp_html_test and ecrlp_cli_test
# come from cli_tests.cmake).
set(REGSIM_SNAP ${CMAKE_CURRENT_SOURCE_DIR}/data/registry/snapshot)
set(REGSIM_DATA ${CMAKE_CURRENT_SOURCE_DIR}/data/registry-cli)
set(REGSIM_RANGE --from 2026-07-01T00:00:00Z --to 2026-12-31T00:00:00Z --every 1d)

ecrlp_html_test(registry_simulate_html
                "images-over-time;bytes-over-time;repo-2-images-over-time;repo-2-bytes-over-time"
                simulate --registry ${REGSIM_SNAP} ${REGSIM_RANGE} --format html)
# In-use removals come first, and --fail-on-in-use still sets the exit status.
ecrlp_cli_test(registry_simulate_html_in_use EXIT 4 ARGS simulate --registry ${REGSIM_SNAP}
               ${REGSIM_RANGE} --in-use ${REGSIM_DATA}/in-use.txt --fail-on-in-use --format html
               STDOUT_REGEX "^<!DOCTYPE html>.*IN USE: 1 in-use image is removed.*id=\"images-over-time\".*id=\"repo-2-events\"")
# The row cap applies per repository and is stated in every section.
ecrlp_cli_test(registry_simulate_html_max_rows EXIT 0 ARGS simulate --registry ${REGSIM_SNAP}
               ${REGSIM_RANGE} --format html --max-rows 2
               STDOUT_REGEX "id=\"repo-2-rows-note\">The first 2 of [0-9]+ archive and expiry events")
