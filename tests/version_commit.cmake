# SPDX-License-Identifier: MIT
# cmake/git-commit.cmake says "unknown" where it cannot know the commit: a source tree that is not a
# git checkout (a tarball), and one inside another repository's checkout but not its top (a tarball
# unpacked in some project's tree must not report that project's commit).
#   cmake -DSCRIPT=<cmake/git-commit.cmake> -DNESTED=<a directory below a checkout's top>
#         -DWORK=<scratch dir> -P version_commit.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/tarball)
foreach(case tarball nested)
  if(case STREQUAL "tarball")
    set(SOURCE_DIR ${WORK}/tarball)
  else()
    set(SOURCE_DIR ${NESTED})
  endif()
  set(OUT ${WORK}/${case}.cpp)
  include(${SCRIPT})
  file(READ ${OUT} text)
  if(NOT text MATCHES "build_commit\\[\\] = \"unknown\";")
    message(FATAL_ERROR "${case}: expected the commit \"unknown\" for ${SOURCE_DIR}:\n${text}")
  endif()
endforeach()
