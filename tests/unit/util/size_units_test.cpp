#include "util/size_units.hpp"

#include <catch2/catch.hpp>

using namespace pkgsizer;

TEST_CASE("sizes parse in decimal and binary units") {
  CHECK(parse_size("123") == 123u);
  CHECK(parse_size("123B") == 123u);
  CHECK(parse_size("10kB") == 10000u);
  CHECK(parse_size("10KB") == 10000u);
  CHECK(parse_size("1.5MB") == 1500000u);
  CHECK(parse_size("2 GB") == 2000000000u);
  CHECK(parse_size("1TB") == 1000000000000u);
  CHECK(parse_size("10KiB") == 10240u);
  CHECK(parse_size("1.5MiB") == 1572864u);
  CHECK(parse_size("2gib") == 2147483648u);
  CHECK_FALSE(parse_size(""));
  CHECK_FALSE(parse_size("MB"));
  CHECK_FALSE(parse_size("10 parsecs"));
  CHECK_FALSE(parse_size("-5MB"));
  CHECK_FALSE(parse_size("1.2.3MB"));
}

TEST_CASE("sizes format with three significant digits") {
  CHECK(format_size(0) == "0 B");
  CHECK(format_size(999) == "999 B");
  CHECK(format_size(1000) == "1.00 kB");
  CHECK(format_size(12345678) == "12.3 MB");
  CHECK(format_size(999960) == "1.00 MB");
  CHECK(format_size(1536, SizeUnits::kBinary) == "1.50 KiB");
  CHECK(format_size(460 * 1000 * 1000ull) == "460 MB");
}

TEST_CASE("counts are grouped by thousands") {
  CHECK(format_count(0) == "0");
  CHECK(format_count(999) == "999");
  CHECK(format_count(1000) == "1,000");
  CHECK(format_count(1234567) == "1,234,567");
}
