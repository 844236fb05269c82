# SPDX-License-Identifier: MIT
# The real `ecrlp` binary on a registry snapshot (issue 7): --registry with and without --policy,
# in-use violations reported first and exit 4 with --fail-on-in-use, the registry options of every
# command. Uses ecrlp_cli_test() from cli_tests.cmake (include this file after it). The totals are
# recomputed independently in tests/registry_cli_test.cpp.

set(REG_SNAP ${CMAKE_CURRENT_SOURCE_DIR}/data/registry/snapshot)
set(REG_DATA ${CMAKE_CURRENT_SOURCE_DIR}/data/registry-cli)
set(REG_NOW --now 2026-11-28T06:00:00Z)
set(REG_EVERYWHERE ${REG_DATA}/everywhere-policy.json)

# preview --registry: each repository's own policy, then one policy everywhere.
ecrlp_cli_test(registry_preview_own EXIT 0 ARGS preview --registry ${REG_SNAP} ${REG_NOW}
               STDOUT_REGEX "6 repositories \\(6 evaluated, 0 skipped, 1 without a policy\\), 38 images.*payments +own +12 .*Total +38 ")
ecrlp_cli_test(registry_preview_override EXIT 0 ARGS preview --registry ${REG_SNAP}
               --policy ${REG_EVERYWHERE} ${REG_NOW}
               STDOUT_REGEX "applied to every repository \\(what-if\\).*batch-jobs +override +4 ")
ecrlp_cli_test(registry_preview_json EXIT 0 ARGS preview --registry ${REG_SNAP} ${REG_NOW}
               --format json
               STDOUT_REGEX "\"format\": \"ecrlp-registry-preview\".*\"repositories\": \\[.*\"ecrlpImpact\": \\{")
ecrlp_cli_test(registry_preview_csv EXIT 0 ARGS preview --registry ${REG_SNAP} ${REG_NOW}
               --format csv STDOUT_REGEX "^repositoryName,imageDigest,")
# The progress bar never shows when stderr is not a terminal.
ecrlp_cli_test(registry_preview_no_progress EXIT 0 ARGS preview --registry ${REG_SNAP} ${REG_NOW}
               --format json STDERR_REGEX "^$")

# In use: payments:v1.4.2 is expired by the catch-all rule 3 of its own policy, and transitioned
# by rule 2 of the what-if policy. The violation comes first; exit 4 only with --fail-on-in-use.
ecrlp_cli_test(registry_in_use_table EXIT 0 ARGS preview --registry ${REG_SNAP} ${REG_NOW}
               --in-use ${REG_DATA}/in-use.txt
               STDOUT_REGEX "^Registry preview[^\n]*\n[^\n]*\n[^\n]*\n\nIN-USE VIOLATIONS: 1 running image would be removed\n[^\n]*\n +payments +EXPIRE +3 +[^\n]*sha256:c95f8becb89a"
               STDERR_REGEX "in-use reference 'ghcr.io/acme/sidecar:1.0' names no image")
ecrlp_cli_test(registry_in_use_fail EXIT 4 ARGS preview --registry ${REG_SNAP} ${REG_NOW}
               --in-use ${REG_DATA}/in-use.txt --fail-on-in-use --format json
               STDOUT_REGEX "^\\{\n    \"ecrlpInUseViolations\": \\[\n        \\{\n            \"repositoryName\": \"payments\",\n            \"imageDigest\": \"sha256:c95f8becb89a56fc20939ff5f6a721012b67ea19f03af2a602bc479fe0293472\"")
ecrlp_cli_test(registry_in_use_fail_override EXIT 4 ARGS preview --registry ${REG_SNAP}
               --policy ${REG_EVERYWHERE} ${REG_NOW} --in-use ${REG_DATA}/in-use.txt
               --fail-on-in-use
               STDOUT_REGEX "IN-USE VIOLATIONS: 1 running image[^\n]*\n[^\n]*\n +payments +TRANSITION +2 ")
ecrlp_cli_test(registry_in_use_csv_first EXIT 4 ARGS preview --registry ${REG_SNAP} ${REG_NOW}
               --in-use ${REG_DATA}/in-use.txt --fail-on-in-use --format csv
               STDOUT_REGEX "^[^\n]*\npayments,sha256:c95f8becb89a[0-9a-f]*,v1.4.2,[^\n]*,EXPIRE,3,true,")
ecrlp_cli_test(registry_in_use_safe EXIT 0 ARGS preview --registry ${REG_SNAP} ${REG_NOW}
               --in-use ${REG_DATA}/in-use-safe.txt --fail-on-in-use
               STDOUT_REGEX "In use: no in-use image is expired or transitioned")

# Usage errors.
ecrlp_cli_test(registry_with_images EXIT 2 ARGS preview --registry ${REG_SNAP}
               --images ${REG_SNAP}/repositories/web/images/page-0001.json
               STDERR_REGEX "--images and --registry cannot be used together" STDOUT_EMPTY)
ecrlp_cli_test(registry_fail_without_in_use EXIT 2 ARGS preview --registry ${REG_SNAP}
               --fail-on-in-use STDERR_REGEX "--fail-on-in-use needs --in-use" STDOUT_EMPTY)
ecrlp_cli_test(registry_bad_price EXIT 2 ARGS preview --registry ${REG_SNAP} --price-archive x
               STDERR_REGEX "--price-archive takes a price" STDOUT_EMPTY)
ecrlp_cli_test(registry_not_a_snapshot EXIT 1 ARGS preview --registry ${REG_DATA}
               STDERR_REGEX "registry\\.not_snapshot" STDOUT_EMPTY)

# The other commands with --registry.
ecrlp_cli_test(registry_explain_in_use EXIT 0 ARGS explain --registry ${REG_SNAP} --image v1.4.2
               ${REG_NOW} --in-use ${REG_DATA}/in-use.txt
               STDOUT_REGEX "^Repository payments\n.*expired by rule 3\\..*IN USE as [^\n]*payments:v1\\.4\\.2 \\([^\n]*in-use.txt:2\\): expiring it")
ecrlp_cli_test(registry_explain_repository EXIT 0 ARGS explain --registry ${REG_SNAP}
               --repository web ${REG_NOW} STDOUT_REGEX "^Repository web\nExplanation at [^\n]*: 9 of 9 images")
ecrlp_cli_test(registry_explain_needs_target EXIT 2 ARGS explain --registry ${REG_SNAP} ${REG_NOW}
               STDERR_REGEX "give --repository NAME or --image NAME" STDOUT_EMPTY)
ecrlp_cli_test(registry_explain_unknown_repository EXIT 1 ARGS explain --registry ${REG_SNAP}
               --repository nope ${REG_NOW} STDERR_REGEX "no repository 'nope'" STDOUT_EMPTY)
ecrlp_cli_test(registry_diff EXIT 0 ARGS diff --registry ${REG_SNAP} --policy ${REG_EVERYWHERE}
               ${REG_NOW} STDOUT_REGEX "^Registry diff of [^\n]*: \\(own policies\\) -> [^\n]*everywhere-policy.json\n.*Repository payments\n.*Total\n  keptToExpired: ")
ecrlp_cli_test(registry_diff_json EXIT 0 ARGS diff --registry ${REG_SNAP} --policy ${REG_EVERYWHERE}
               ${REG_NOW} --format json
               STDOUT_REGEX "\"repositories\": \\[.*\"repositoryName\": \"analytics/etl\".*\"totals\": \\{\n    \"repositoriesChanged\": ")
ecrlp_cli_test(registry_lint EXIT 1 ARGS lint --registry ${REG_SNAP} ${REG_NOW}
               STDOUT_REGEX "Repository batch-jobs: no lifecycle policy.*Repository web\n[^\n]*lint\\.rule_owns_nothing")
ecrlp_cli_test(registry_validate EXIT 0 ARGS validate --registry ${REG_SNAP}
               STDOUT_REGEX "payments/lifecycle-policy.json: valid \\(3 rules\\).*batch-jobs: no lifecycle policy")
ecrlp_cli_test(registry_simulate_in_use EXIT 4 ARGS simulate
               --policy ${REG_SNAP}/repositories/payments/lifecycle-policy.json
               --images ${REG_SNAP}/repositories/payments/images/page-0001.json
               --images ${REG_SNAP}/repositories/payments/images/page-0002.json
               --images ${REG_SNAP}/repositories/payments/images/page-0003.json
               --from 2026-07-01T00:00:00Z --to 2026-12-31T00:00:00Z
               --in-use ${REG_DATA}/in-use.txt --fail-on-in-use
               STDOUT_REGEX "^IN USE: 1 in-use image is removed; the first at step [0-9]+ \\(2026-08-07T00:00:00")

# --format html with --registry: well-formed, self-contained, with its charts (used in a browser in
# tests/browser/browser_tests.cmake).
ecrlp_html_test(registry_html "repository-bytes;findings"
                preview --registry ${REG_SNAP} ${REG_NOW} --in-use ${REG_DATA}/in-use.txt
                --format html)
# diff --registry --format html (issue 8): the totals per kind, the repositories, and the sections
# of two of the changed repositories (analytics/etl, payments) drawn; the whole-page row cap; a
# repository with errors listed as skipped (exit 1, as for the other formats).
ecrlp_html_test(registry_diff_html "changes;repository-changes;repo-0-bytes;repo-2-bytes"
                diff --registry ${REG_SNAP} --policy ${REG_EVERYWHERE} ${REG_NOW} --format html)
ecrlp_cli_test(registry_diff_html_max_rows EXIT 0 ARGS diff --registry ${REG_SNAP}
               --policy ${REG_EVERYWHERE} ${REG_NOW} --format html --max-rows 2
               STDOUT_REGEX "<p class=\"muted\" id=\"rows-note\">The first 2 of [0-9]+ changed images are listed \\(at most 2 rows on the page")
ecrlp_cli_test(registry_diff_html_skipped EXIT 1 ARGS diff
               --registry ${REG_DATA}/broken-snapshot --policy ${REG_EVERYWHERE} ${REG_NOW}
               --format html
               STDOUT_REGEX "<p id=\"skipped\"><strong>Skipped</strong>[^\n]*<code>broken</code>\\.</p>.*<tr class=\"skipped\"><td>broken</td>"
               STDERR_REGEX "repository 'broken' has errors \\(above\\) and is skipped")
ecrlp_cli_test(registry_html_in_use_first EXIT 0 ARGS preview --registry ${REG_SNAP} ${REG_NOW}
               --in-use ${REG_DATA}/in-use.txt --format html
               STDOUT_REGEX "<h1>[^<]*</h1>[^<]*<p>[^\n]*</p>\n<div id=\"in-use\"[^>]*>\n<h2[^>]*>IN USE: 1 running image would be removed</h2>")

# A repository whose files have errors is reported and skipped; the others are evaluated; exit 1.
ecrlp_cli_test(registry_broken_repository EXIT 1 ARGS preview
               --registry ${REG_DATA}/broken-snapshot ${REG_NOW}
               STDOUT_REGEX "\\(1 evaluated, 1 skipped, 1 without a policy\\).*batch-jobs +none +4 .*broken +skipped"
               STDERR_REGEX "error\\[image.timestamp\\].*repository 'broken' has errors \\(above\\) and is skipped")
