# SPDX-License-Identifier: MIT
# The Debian packages, made by `cpack -G DEB` in the build tree (or `cmake --build build --target
# package`), as DEB-DEFAULT names them: <name>_<version>_<architecture>.deb.
#
# Two packages, as Debian splits a library from its users:
#   ecrlp         the command, its man pages and its bash and zsh completions. Depends: the shared
#                 libraries it loads (libsimdjson, libfmt, libyaml-cpp, libstdc++, libc), with the
#                 minimum versions dpkg-shlibdeps reads from their symbols files.
#   libecrlp-dev  the headers, the static library and the CMake package. Depends: the development
#                 packages whose CMake packages ecrlp-config.cmake finds (find_dependency), which a
#                 static library's consumer links against.
# One package would make everyone who wants the command install five development packages and
# their headers; the split keeps `apt install ./ecrlp_*.deb` to what the command runs with.
#
# Binaries are stripped (CPACK_STRIP_FILES); so is the static library's debug information (the
# install rule in CMakeLists.txt, as dh_strip does): 10 MB instead of 200 in a RelWithDebInfo tree.
set(ECRLP_PACKAGE_MAINTAINER "ecrlp maintainers <maintainers@users.noreply.r-seed-21f398dc.example>"
    CACHE STRING "Maintainer field of the Debian packages")
set(ECRLP_PACKAGE_HOMEPAGE "https://ecrlp.invalid/"
    CACHE STRING "Homepage field of the Debian packages")

set(CPACK_PACKAGE_NAME ecrlp)
set(CPACK_PACKAGE_VENDOR "ecrlp")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${ECRLP_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${ECRLP_PACKAGE_HOMEPAGE}")
# Each package's description starts with its own summary line (below); a package-wide summary
# would be put before both.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_GENERATOR DEB)
set(CPACK_STRIP_FILES ON)
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_CURRENT_LIST_DIR}/cpack-project.cmake)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ECRLP_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${ECRLP_PACKAGE_HOMEPAGE}")
set(CPACK_DEBIAN_COMPRESSION_TYPE gzip)  # xz is a third of the size and 3 s slower to make

set(CPACK_COMPONENTS_ALL dev)
if(ECRLP_BUILD_CLI)
  list(PREPEND CPACK_COMPONENTS_ALL cli)
endif()

set(CPACK_DEBIAN_CLI_PACKAGE_NAME ecrlp)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_CLI_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_CLI_DESCRIPTION
    "offline simulator of Amazon ECR lifecycle policies
Given a lifecycle policy and an export of a repository's images (aws ecr
describe-images), or a snapshot of a whole registry, ecrlp tells which images
the policy would expire or archive, which rule acts on each image and which
rule protects it, and what that frees in bytes and findings: validate,
preview, explain, diff, lint, simulate, the pull-request check of a Terraform
plan or CloudFormation change (plan-check) and unit tests of policies.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME libecrlp-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# The minimum versions are those this tree was built with: the static library expects them.
set(ecrlp_dev_depends
    "nlohmann-json3-dev (>= ${nlohmann_json_VERSION})" "libsimdjson-dev (>= ${simdjson_VERSION})"
    "libhowardhinnant-date-dev (>= ${date_VERSION})" "libfmt-dev (>= ${fmt_VERSION})"
    "libyaml-cpp-dev (>= ${yaml-cpp_VERSION})")
list(JOIN ecrlp_dev_depends ", " CPACK_DEBIAN_DEV_PACKAGE_DEPENDS)
set(CPACK_DEBIAN_DEV_DESCRIPTION
    "offline simulator of Amazon ECR lifecycle policies - development files
The C++20 library behind the ecrlp command: the policy and image model and the
evaluator (header-only, no JSON library needed), and the static library that
reads policies, inventories and registry snapshots and renders reports, with
its CMake package: find_package(ecrlp CONFIG REQUIRED), then link
ecrlp::ecrlp.")

include(CPack)
