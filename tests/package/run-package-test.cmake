# SPDX-License-Identifier: MIT
# Staged install of an ecrlp build tree (MODE=install, ctest package.consumer) or its Debian
# packages unpacked (MODE=deb, ctest package.deb: deb-package.cmake), then configure, build and run
# tests/package against it.
#   cmake -DECRLP_BUILD=<build dir> -DCONSUMER_SOURCE=<tests/package> -DWORK=<scratch dir>
#         -DGENERATOR=<generator> [-DBUILD_TYPE=<type>] [-DCXX_COMPILER=<path>]
#         [-DMODE=deb -DCPACK=<cpack> -DCPACK_CONFIG=<CPackConfig.cmake> -DVERSION=<version>]
#         -P run-package-test.cmake
foreach(var ECRLP_BUILD CONSUMER_SOURCE WORK GENERATOR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run-package-test.cmake: -D${var}=... is required")
  endif()
endforeach()
if(NOT BUILD_TYPE)
  set(BUILD_TYPE Release)
endif()

function(run step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "package test: ${step} failed (exit ${rc})\ncommand: ${ARGN}\n"
                        "--- stdout ---\n${out}\n--- stderr ---\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

set(consumer_build ${WORK}/consumer)
file(REMOVE_RECURSE ${WORK})

if(MODE STREQUAL "deb")
  include(${CMAKE_CURRENT_LIST_DIR}/deb-package.cmake)  # sets prefix: WORK/root/usr
else()
  set(prefix ${WORK}/prefix)
  run("install" ${CMAKE_COMMAND} --install ${ECRLP_BUILD} --prefix ${prefix} --config ${BUILD_TYPE})
endif()

# What a consumer relies on is in place.
file(GLOB config ${prefix}/lib*/cmake/ecrlp/ecrlp-config.cmake)
file(GLOB library ${prefix}/lib*/libecrlp.a)
foreach(f ${prefix}/include/ecrlp/evaluate.hpp ${prefix}/include/ecrlp/testing.hpp
          ${prefix}/include/ecrlp/version.hpp "${config}" "${library}")
  if(f STREQUAL "" OR NOT EXISTS "${f}")
    message(FATAL_ERROR "package test: the install lacks '${f}' (prefix ${prefix})")
  endif()
endforeach()

set(configure ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE} -B ${consumer_build} -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=${BUILD_TYPE} -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(CXX_COMPILER)
  list(APPEND configure -DCMAKE_CXX_COMPILER=${CXX_COMPILER})
endif()
run("configure the consumer" ${configure})

# find_package must have found the staged install, not a build tree.
file(STRINGS ${consumer_build}/CMakeCache.txt found REGEX "^ecrlp_DIR:")
string(REGEX REPLACE "^ecrlp_DIR:[A-Z]+=" "" found "${found}")
get_filename_component(found "${found}" REALPATH)
get_filename_component(prefix_real "${prefix}" REALPATH)
string(FIND "${found}" "${prefix_real}/" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "package test: the consumer found ecrlp in '${found}', not under ${prefix}")
endif()

run("build the consumer" ${CMAKE_COMMAND} --build ${consumer_build} --config ${BUILD_TYPE})
find_program(consumer_exe consumer PATHS ${consumer_build} ${consumer_build}/${BUILD_TYPE}
             NO_DEFAULT_PATH REQUIRED)
run("run the consumer" ${consumer_exe})
message(STATUS "${last_output}")
