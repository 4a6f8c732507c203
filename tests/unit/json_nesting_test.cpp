#include "util/json_nesting.hpp"

#include <catch2/catch.hpp>
#include <string>

using pkgsizer::json_too_deep_at;

TEST_CASE("json_too_deep_at: the bracket that opens one level too many") {
  CHECK_FALSE(json_too_deep_at(R"({"a": [1, {"b": []}]})", 4));
  CHECK(json_too_deep_at(R"({"a": [1, {"b": []}]})", 3) == 16u);
  CHECK(json_too_deep_at(R"({"a": [1, {"b": []}]})", 2) == 10u);
  CHECK(json_too_deep_at(std::string(100000, '['), 256) == 256u);
  CHECK_FALSE(json_too_deep_at(std::string(256, '[') + std::string(256, ']') + "[", 256));
}

TEST_CASE("json_too_deep_at: brackets inside strings, escaped quotes included, do not count") {
  CHECK_FALSE(json_too_deep_at(R"(["[[[[", "\"[[[[", "\\"])", 1));
  CHECK(json_too_deep_at(R"(["\\", [[]]])", 2) == 8u);
}
