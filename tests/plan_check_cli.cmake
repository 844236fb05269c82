# SPDX-License-Identifier: MIT
# `ecrlp plan-check` (docs/iac.md#pull-request-check): a Terraform plan over a registry snapshot
# (data/plan-check/plan.json: an update, a create, a delete, a no-op, a create for a repository the
# snapshot does not have), its reports against golden files, the exit codes a CI job gates on,
# two template revisions, and that each change's diff is exactly `ecrlp diff`'s.

set(PC_DATA ${CMAKE_CURRENT_SOURCE_DIR}/data)
# Debian's python3 (scripts/setup.sh installs it) for plan_check_agrees.py.
find_program(ECRLP_PYTHON3 python3 HINTS /usr/bin REQUIRED)
set(PC_ARGS plan-check plan-check/plan.json --registry registry/snapshot
            --now 2026-11-28T06:00:00Z --in-use plan-check/in-use.txt)

function(ecrlp_plan_check_test name)
  ecrlp_cli_test(${name} ${ARGN})
  set_tests_properties(cli.${name} PROPERTIES WORKING_DIRECTORY ${PC_DATA})
endfunction()

ecrlp_plan_check_test(plan_check_text EXIT 0 ARGS ${PC_ARGS} GOLDEN plan-check.txt)
ecrlp_plan_check_test(plan_check_json EXIT 0 ARGS ${PC_ARGS} --format json GOLDEN plan-check.json)
ecrlp_plan_check_test(plan_check_markdown EXIT 5 ARGS ${PC_ARGS} --format markdown
                      --max-removed 40 --max-removed-bytes 2GiB GOLDEN plan-check.md)
ecrlp_plan_check_test(plan_check_csv EXIT 0 ARGS ${PC_ARGS} --format csv
  STDOUT_REGEX "^address,action,repositoryName,imageDigest,imageTags,imagePushedAt,imageSizeInBytes,change,oldAction,oldOwnerRulePriority,newAction,newOwnerRulePriority\r\n\"module.ecr\\[\"\"payments\"\"\\].aws_ecr_lifecycle_policy.this\\[0\\]\",update,payments,sha256:")
ecrlp_html_test(plan_check_html "in-use;in-use-violations;changes;change-0;images-0;change-1" ${PC_ARGS}
                --format html)
set_tests_properties(cli.plan_check_html PROPERTIES WORKING_DIRECTORY ${PC_DATA})
# A change that cannot be evaluated for want of images is said on stderr, and is no failure.
ecrlp_plan_check_test(plan_check_skipped_warning EXIT 0 ARGS ${PC_ARGS}
  STDERR_REGEX "warning: aws_ecr_lifecycle_policy.new_service is not evaluated: repository new-service is not in the snapshot")

# The gates: in use (4), the share of a repository newly expired and the bytes of the plan (5).
ecrlp_plan_check_test(plan_check_fail_on_in_use EXIT 4 ARGS ${PC_ARGS} --fail-on-in-use
  STDOUT_REGEX "IN-USE VIOLATIONS: 2 running images would be removed after the changes\n[^\n]*\n[^\n]*already[^\n]*v1.4.2[^\n]*\n[^\n]*this change[^\n]*v1.8.2")
ecrlp_plan_check_test(plan_check_in_use_before_limits EXIT 4 ARGS ${PC_ARGS} --fail-on-in-use
                      --max-removed 10)
ecrlp_plan_check_test(plan_check_max_removed EXIT 5 ARGS ${PC_ARGS} --max-removed 40
  STDOUT_REGEX "--max-removed 40%: EXCEEDED by aws_ecr_lifecycle_policy.batch_jobs \\(50.0% of 4 images\\)")
ecrlp_plan_check_test(plan_check_max_removed_within EXIT 0 ARGS ${PC_ARGS} --max-removed 50%
  STDOUT_REGEX "--max-removed 50%: within \\(a change newly expires at most 50.0% of")
ecrlp_plan_check_test(plan_check_max_bytes EXIT 5 ARGS ${PC_ARGS} --max-removed-bytes 1GiB
  STDOUT_REGEX "--max-removed-bytes 1,073,741,824: EXCEEDED \\(1.5 GiB newly expire")
ecrlp_plan_check_test(plan_check_max_bytes_within EXIT 0 ARGS ${PC_ARGS} --max-removed-bytes 2000000000)
ecrlp_plan_check_test(plan_check_bad_percent EXIT 2 ARGS ${PC_ARGS} --max-removed 120
  STDERR_REGEX "--max-removed takes a percentage from 0 to 100, not '120'")
ecrlp_plan_check_test(plan_check_bad_bytes EXIT 2 ARGS ${PC_ARGS} --max-removed-bytes 5parsecs
  STDERR_REGEX "--max-removed-bytes takes a number of bytes")
# Usage: a plan or two revisions, never both; a template is no plan.
ecrlp_plan_check_test(plan_check_no_plan EXIT 2 ARGS plan-check --registry registry/snapshot
  STDERR_REGEX "no PLAN file given|give a PLAN file")
ecrlp_plan_check_test(plan_check_both EXIT 2
  ARGS plan-check plan-check/plan.json --before iac/template.yaml --after iac/template.json
       --registry registry/snapshot
  STDERR_REGEX "give a PLAN file, or --before OLD --after NEW")
ecrlp_plan_check_test(plan_check_not_a_plan EXIT 2
  ARGS plan-check iac/template.json --registry registry/snapshot
  STDERR_REGEX "iac/template.json is a cloudformation document, not a Terraform plan")
# A policy known only after apply: the check is incomplete, exit 1, located.
ecrlp_plan_check_test(plan_check_unknown_policy EXIT 1
  ARGS plan-check iac/plan.json --images cli/tc8-images.json --now 2025-01-31T00:00:00Z
  STDERR_REGEX "iac/plan.json:1:[0-9]+: error\\[iac.unknown_value\\]"
  STDOUT_REGEX "not evaluated: the new policy cannot be known")
# Two revisions of a template (YAML before, JSON after): AppRepo's policy changes.
ecrlp_plan_check_test(plan_check_revisions EXIT 0
  ARGS plan-check --before plan-check/template-before.yaml --after plan-check/template-after.json
       --registry registry/snapshot --now 2026-11-28T06:00:00Z
  STDOUT_REGEX "Plan check of plan-check/template-before.yaml -> plan-check/template-after.json[^\n]*\n.*PaymentsRepo +update +payments +12 +4 ")

# Each change's diff is exactly what `ecrlp diff` reports for its two policies.
add_test(NAME cli.plan_check_agrees_with_diff
         COMMAND ${ECRLP_PYTHON3} -B ${CMAKE_CURRENT_SOURCE_DIR}/plan_check_agrees.py
                 --ecrlp $<TARGET_FILE:ecrlp-cli> --plan ${PC_DATA}/plan-check/plan.json
                 --registry ${PC_DATA}/registry/snapshot --now 2026-11-28T06:00:00Z)
add_test(NAME cli.plan_check_agrees_with_diff_images
         COMMAND ${ECRLP_PYTHON3} -B ${CMAKE_CURRENT_SOURCE_DIR}/plan_check_agrees.py
                 --ecrlp $<TARGET_FILE:ecrlp-cli> --plan ${PROJECT_SOURCE_DIR}/examples/ci/plan.json
                 --images ${PROJECT_SOURCE_DIR}/examples/story/images.json
                 --now 2026-11-28T00:00:00Z)
set_tests_properties(cli.plan_check_agrees_with_diff cli.plan_check_agrees_with_diff_images
                     PROPERTIES ENVIRONMENT "TZ=Europe/Kyiv" TIMEOUT 120)

# The CI examples of examples/ci/ run here without network (tests/ci_examples.py): the GitHub
# workflow's steps, the GitLab job's script and the pre-commit hooks (through pre-commit itself,
# which scripts/setup.sh installs with python3-yaml for the tests).
foreach(example IN ITEMS github gitlab pre-commit)
  add_test(NAME cli.ci_example_${example}
           COMMAND ${ECRLP_PYTHON3} -B ${CMAKE_CURRENT_SOURCE_DIR}/ci_examples.py
                   --ecrlp $<TARGET_FILE:ecrlp-cli> --source ${PROJECT_SOURCE_DIR} --only ${example})
  set_tests_properties(cli.ci_example_${example} PROPERTIES TIMEOUT 300)
endforeach()
