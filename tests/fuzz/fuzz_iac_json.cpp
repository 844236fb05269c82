// SPDX-License-Identifier: MIT
// libFuzzer target: parse_policy_sources on arbitrary bytes as JSON infrastructure code (Terraform
// plans and states, CloudFormation JSON), detected and forced; the checks are in
// fuzz_iac_check.hpp.

#include <ecrlp/iac.hpp>

#include "fuzz_iac_check.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto format :
       {ecrlp::policy_source_format::automatic, ecrlp::policy_source_format::terraform_plan,
        ecrlp::policy_source_format::terraform_state}) {
    ecrlp::fuzz::check_sources(text, "fuzz.json", format);
  }
  return 0;
}
