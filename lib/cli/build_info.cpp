// SPDX-License-Identifier: MIT
// The versions of the libraries ecrlp was built with, from their own headers where they say it
// (simdjson, fmt, nlohmann_json) and from their CMake packages where they do not (date and yaml-cpp
// have no version macro: CMakeLists.txt passes date_VERSION and yaml-cpp_VERSION to this file).

#include "build_info.hpp"

#include <ecrlp/version.hpp>

#include <fmt/format.h>
#include <simdjson.h>
#include <nlohmann/json_fwd.hpp>

#include <string>

#ifndef ECRLP_DATE_VERSION
#  define ECRLP_DATE_VERSION "unknown"
#endif
#ifndef ECRLP_YAML_CPP_VERSION
#  define ECRLP_YAML_CPP_VERSION "unknown"
#endif
// SIMDJSON_VERSION is a bare token (3.0.1).
#define ECRLP_STRINGIFY_TOKEN(x) #x
#define ECRLP_STRINGIFY(x) ECRLP_STRINGIFY_TOKEN(x)

namespace ecrlp::cli {

std::string version_text() {
  return fmt::format(
      "ecrlp {} (commit {})\n"
      "simdjson {}, fmt {}.{}.{}, nlohmann_json {}.{}.{}, date {}, yaml-cpp {}\n",
      version_string, build_commit, ECRLP_STRINGIFY(SIMDJSON_VERSION), FMT_VERSION / 10000,
      FMT_VERSION / 100 % 100, FMT_VERSION % 100, NLOHMANN_JSON_VERSION_MAJOR,
      NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH, ECRLP_DATE_VERSION,
      ECRLP_YAML_CPP_VERSION);
}

}  // namespace ecrlp::cli
