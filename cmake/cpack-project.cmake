# SPDX-License-Identifier: MIT
# Read by cpack for each generator (CPACK_PROJECT_CONFIG_FILE, cmake/packaging.cmake). Without
# dpkg-shlibdeps (Debian package dpkg-dev), CPack would quietly make an ecrlp package with no
# Depends at all: refuse instead.
if(CPACK_GENERATOR STREQUAL "DEB")
  find_program(ECRLP_DPKG_SHLIBDEPS dpkg-shlibdeps)
  if(NOT ECRLP_DPKG_SHLIBDEPS)
    message(FATAL_ERROR "dpkg-shlibdeps is missing: it computes the Depends of the ecrlp package. "
                        "Install it: sudo apt-get install dpkg-dev")
  endif()
endif()
