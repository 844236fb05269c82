// SPDX-License-Identifier: MIT
#include <exception>
#include <iostream>
#include <new>
#include <string_view>
#include <vector>

#include "app.hpp"

int main(int argc, char** argv) {
  // The library reports bad input as diagnostics; what can still escape is std::bad_alloc (an
  // input too large for the memory) or a failure to start a thread. Say so instead of letting
  // std::terminate abort. app.hpp has no internal-error code: exit_invalid (1) is used.
  try {
    const std::vector<std::string_view> args(argv + (argc > 0 ? 1 : 0), argv + argc);
    return ecrlp::cli::run(args, std::cout, std::cerr);
  } catch (const std::bad_alloc&) {
    std::cout.flush();
    std::cerr << "ecrlp: error: out of memory\n";
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "ecrlp: error: " << e.what() << "\n";
  }
  return ecrlp::cli::exit_invalid;
}
