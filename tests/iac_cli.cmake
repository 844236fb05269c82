# SPDX-License-Identifier: MIT
# Policies read from infrastructure code by the commands (docs/iac.md): FILE#ADDRESS, a file of
# several policies, --policy-format, validate and lint over every policy, preview --registry with
# the policies of a plan, and the same report whatever source the policy comes from.

set(IAC ${CMAKE_CURRENT_SOURCE_DIR}/data/iac)
set(IAC_IMAGES --images ${CLI_DATA}/tc8-images.json --now 2025-01-31T00:00:00Z)

# The same policy from a policy file, a plan, a state, templates in JSON and YAML and cdk.out: the
# same bytes in every format. JSON echoes the policy text as its source holds it (as AWS's preview
# does), so for JSON every source holds the same text (data/iac/same-text/).
function(ecrlp_same_output name)
  cmake_parse_arguments(S "" "DIR" "RUNS" ${ARGN})
  set(runs "")
  foreach(run IN LISTS S_RUNS)
    string(REPLACE " " "@@" run "${run}")
    list(APPEND runs "${run}")
  endforeach()
  string(REPLACE ";" "@@@" runs "${runs}")
  add_test(NAME cli.${name}
           COMMAND ${CMAKE_COMMAND} -DECRLP=$<TARGET_FILE:ecrlp-cli> "-DRUNS=${runs}"
                   -DDIR=${S_DIR} -P ${CMAKE_CURRENT_SOURCE_DIR}/run_same_output.cmake)
  set_tests_properties(cli.${name} PROPERTIES ENVIRONMENT "TZ=Europe/Kyiv" TIMEOUT 60)
endfunction()

foreach(format IN ITEMS table csv markdown html)
  set(tail "--images ../cli/tc8-images.json --now 2025-01-31T00:00:00Z --format ${format}")
  ecrlp_same_output(iac_same_preview_${format} DIR ${IAC} RUNS
    "preview --policy policy.json ${tail}"
    "preview --policy plan.json#aws_ecr_lifecycle_policy.main ${tail}"
    "preview --policy state.json#aws_ecr_lifecycle_policy.main ${tail}"
    "preview --policy template.json#AppRepo ${tail}"
    "preview --policy template.yaml#AppRepo ${tail}"
    "preview --policy cdk.out#AppRepo6B5BD0A1 ${tail}"
    "preview --policy cdk.out/AppStack.template.json#AppRepo6B5BD0A1 ${tail}"
    "preview --policy plan.json#aws_ecr_lifecycle_policy.main --policy-format terraform-plan ${tail}")
endforeach()
ecrlp_same_output(iac_same_preview_json DIR ${IAC} RUNS
  "preview --policy same-text/policy.json --images ../cli/tc8-images.json --now 2025-01-31T00:00:00Z --format json"
  "preview --policy plan.json#aws_ecr_lifecycle_policy.main --images ../cli/tc8-images.json --now 2025-01-31T00:00:00Z --format json"
  "preview --policy same-text/template.json#AppRepo --images ../cli/tc8-images.json --now 2025-01-31T00:00:00Z --format json"
  "preview --policy same-text/template.yaml#AppRepo --images ../cli/tc8-images.json --now 2025-01-31T00:00:00Z --format json")
# A file of several policies: a command that evaluates one lists the addresses (exit 2).
ecrlp_cli_test(iac_several_policies EXIT 2 ARGS preview --policy ${IAC}/plan.json ${IAC_IMAGES}
               STDERR_REGEX "holds [0-9]+ lifecycle policies; name one as FILE#ADDRESS:\n  [^\n]*plan.json#aws_ecr_lifecycle_policy.main  \\(repository main\\)"
               STDOUT_EMPTY)
ecrlp_cli_test(iac_no_such_address EXIT 2
               ARGS preview --policy "${IAC}/template.yaml#NoSuchRepo" ${IAC_IMAGES}
               STDERR_REGEX "holds no lifecycle policy at 'NoSuchRepo'; it holds:\n  [^\n]*template.yaml#AppRepo"
               STDOUT_EMPTY)
# A policy known only after apply, or built by an intrinsic function: located, exit 1.
ecrlp_cli_test(iac_unknown_after_apply EXIT 1
               ARGS preview --policy "${IAC}/plan.json#module.ecr[\"worker\"].aws_ecr_lifecycle_policy.this[0]" ${IAC_IMAGES}
               STDERR_REGEX "plan.json:1:[0-9]+: error\\[iac.unknown_value\\] at /resource_changes/8/change/after/policy: the policy of module.ecr\\[\"worker\"\\][^\n]* is known only after apply"
               STDOUT_EMPTY)
ecrlp_cli_test(iac_intrinsic EXIT 1 ARGS preview --policy "${IAC}/template.yaml#WorkerRepo" ${IAC_IMAGES}
               STDERR_REGEX "template.yaml:[0-9]+:[0-9]+: error\\[iac.intrinsic\\][^\n]*WorkerRepo"
               STDOUT_EMPTY)
# A forced format that the content does not match.
ecrlp_cli_test(iac_format_mismatch EXIT 1
               ARGS preview --policy ${IAC}/template.json --policy-format terraform-plan ${IAC_IMAGES}
               STDERR_REGEX "error\\[iac.format_mismatch\\]" STDOUT_EMPTY)
ecrlp_cli_test(iac_bad_policy_format EXIT 2
               ARGS preview --policy ${IAC}/policy.json --policy-format hcl ${IAC_IMAGES}
               STDERR_REGEX "--policy-format takes")
# validate and lint check every policy of the file.
ecrlp_cli_test(iac_validate_all EXIT 1 ARGS validate ${IAC}/template.yaml
               STDOUT_REGEX "template.yaml#AppRepo: valid[^\n]*\n.*WorkerRepo")
ecrlp_cli_test(iac_validate_one EXIT 0 ARGS validate "${IAC}/template.yaml#AppRepo"
               STDOUT_REGEX "template.yaml#AppRepo: valid")
# The CDK stage's policy B keeps 500 images with an `any` rule under another: a warning.
ecrlp_cli_test(iac_lint_all EXIT 1 ARGS lint ${IAC}/cdk.out --format markdown
               STDOUT_REGEX "## Lint of every policy\n\n### Policy `[^`]*cdk.out#AppRepo6B5BD0A1`: 0 errors, 0 warnings\n.*### Policy `[^`]*cdk.out#WorkerRepoB8F9D7C6`: 0 errors, 1 warning")
# preview --registry with the policies of a plan: each applies to the repository it names.
ecrlp_cli_test(iac_registry_plan EXIT 0
               ARGS preview --registry ${CMAKE_CURRENT_SOURCE_DIR}/data/registry/snapshot
                    --policy ${CMAKE_CURRENT_SOURCE_DIR}/data/plan-check/plan.json
                    --now 2026-11-28T06:00:00Z
               STDOUT_REGEX "Policy: those of [^\n]*plan.json for the 4 repositories it names; the others their own")
# A policy test case whose policy is FILE#ADDRESS of a template.
ecrlp_cli_test(iac_policy_test EXIT 0 ARGS test ${CMAKE_CURRENT_SOURCE_DIR}/data/policy-tests/iac-template.json
               STDOUT_REGEX "PASS  iac-template\n\n1 passed, 0 failed")
