#include "util/age_text.hpp"

#include <catch2/catch.hpp>

using pkgsizer::parse_age;
using std::chrono::hours;

TEST_CASE("parse_age: hours, days and weeks") {
  CHECK(parse_age("36h") == hours(36));
  CHECK(parse_age("90d") == hours(90 * 24));
  CHECK(parse_age("12w") == hours(12 * 7 * 24));
  CHECK(parse_age("0d") == hours(0));
}

TEST_CASE("parse_age: anything else is not an age") {
  for (const char* text : {"", "d", "90", "90 d", "-1d", "1.5d", "90D", "1y", "d90",
                           "99999999999999999999d", "1000000w"})
    CHECK_FALSE(parse_age(text).has_value());
}
