#include "util/json_text.hpp"

#include <catch2/catch.hpp>

TEST_CASE("number_or_null: a known count is its number, an unknown one null") {
  CHECK(pkgsizer::number_or_null(std::uint64_t{0}) == 0);
  CHECK(pkgsizer::number_or_null(std::uint64_t{1} << 62).dump() == "4611686018427387904");
  CHECK(pkgsizer::number_or_null(std::nullopt).is_null());
}
