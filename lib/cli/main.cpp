// SPDX-License-Identifier: MIT
#include <iostream>
#include <string_view>
#include <vector>

#include "app.hpp"

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  return ecrlp::cli::run(args, std::cout, std::cerr);
}
