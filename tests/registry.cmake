# SPDX-License-Identifier: MIT
# registry.export: examples/export-registry.sh against the fake `aws` and its recorded registry
# (tests/registry), compared with the committed snapshot tests/data/registry/snapshot. With the CLI
# built, every exported lifecycle policy is also checked with `ecrlp validate`.
# Regenerate the snapshot after changing the recordings or the script:
#   bash tests/registry/export_test.sh . --update-fixture

find_program(ECRLP_BASH bash)
if(ECRLP_BASH)
  set(registry_ecrlp "")
  if(TARGET ecrlp-cli)
    set(registry_ecrlp $<TARGET_FILE:ecrlp-cli>)
  endif()
  add_test(NAME registry.export
           COMMAND ${ECRLP_BASH} ${CMAKE_CURRENT_SOURCE_DIR}/registry/export_test.sh
                   ${PROJECT_SOURCE_DIR} ${registry_ecrlp})
  set_tests_properties(registry.export PROPERTIES TIMEOUT 300 ENVIRONMENT "TZ=Europe/Kyiv")
endif()
