#include "util/error.hpp"

#include <catch2/catch.hpp>

#include "util/checked.hpp"

using pkgsizer::ErrorCategory;

TEST_CASE("exit_code_for maps every category to the README's exit code") {
  CHECK(pkgsizer::exit_code_for(ErrorCategory::kUsage) == 2);
  CHECK(pkgsizer::exit_code_for(ErrorCategory::kEnvironment) == 3);
  CHECK(pkgsizer::exit_code_for(ErrorCategory::kPartial) == 4);
  CHECK(pkgsizer::exit_code_for(ErrorCategory::kOutput) == 5);
  CHECK(pkgsizer::exit_code_for(ErrorCategory::kDependencies) == 6);
  CHECK(pkgsizer::exit_code_for(ErrorCategory::kNotInstalled) == 7);
  CHECK(pkgsizer::exit_code_for(ErrorCategory::kStore) == 8);
  CHECK(pkgsizer::exit_code_for(ErrorCategory::kNotFound) == 9);
  CHECK(pkgsizer::exit_code_for(ErrorCategory::kInternal) == 10);
}

TEST_CASE("checked_add refuses a sum that wraps at 2^64") {
  CHECK(pkgsizer::checked_add(1, 2) == 3u);
  CHECK_FALSE(pkgsizer::checked_add(UINT64_MAX, 1).has_value());
  CHECK_FALSE(pkgsizer::checked_add(1ull << 63, 1ull << 63).has_value());
  CHECK_FALSE(pkgsizer::checked_sub(1, 2).has_value());
  CHECK_FALSE(pkgsizer::checked_mul(1ull << 32, 1ull << 32).has_value());
  CHECK_THROWS_AS(pkgsizer::add_or_throw(UINT64_MAX, 1, "x"), pkgsizer::Error);
}
