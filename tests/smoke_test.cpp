#include <ecrlp/evaluate.hpp>
#include "catch.hpp"
TEST_CASE("smoke", "[smoke]") { REQUIRE(ecrlp::pattern_matches("prod*", "prod")); }
