#include "metadata/record.hpp"

#include <catch2/catch.hpp>

using pkgsizer::metadata::parse_record;

TEST_CASE("RECORD rows: quoted commas, CRLF, empty hash and size") {
  const auto record = parse_record(
      "pkg/__init__.py,sha256=abc,12\r\n"
      "\"pkg/a,b.py\",sha256=def,7\r\n"
      "pkg-1.0.dist-info/RECORD,,\r\n"
      "../../../bin/tool,,100\n"
      "\"quo\"\"te.txt\",,3\n");
  REQUIRE(record.errors.empty());
  REQUIRE(record.rows.size() == 5);
  CHECK(record.rows[0].size == 12u);
  CHECK(record.rows[1].path == "pkg/a,b.py");
  CHECK(record.rows[1].line == 2);
  CHECK_FALSE(record.rows[2].size.has_value());
  CHECK(record.rows[3].path == "../../../bin/tool");
  CHECK(record.rows[4].path == "quo\"te.txt");
}

TEST_CASE("RECORD errors name the line and skip the row") {
  const auto record = parse_record("a.py,,1\nb.py,,x\nc.py,,1,extra\nd.py\n");
  CHECK_FALSE(record.unusable);
  REQUIRE(record.rows.size() == 2);
  REQUIRE(record.errors.size() == 2);
  CHECK(record.errors[0].line == 2);
  CHECK(record.errors[0].message == "bad size field 'x'");
  CHECK(record.errors[1].line == 3);
}

TEST_CASE("binary junk and unterminated quotes make RECORD unusable") {
  CHECK(parse_record(std::string("\x89PNG\0\0junk", 10)).unusable);
  CHECK(parse_record("\"never closed,,\n").unusable);
  CHECK_FALSE(parse_record("").unusable);
}
