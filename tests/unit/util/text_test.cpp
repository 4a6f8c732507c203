#include "util/text.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace pkgsizer;

namespace {

std::vector<std::string> all_lines(std::string_view text) {
  std::vector<std::string> lines;
  LineReader reader(text);
  std::string_view line;
  while (reader.next(line)) lines.emplace_back(line);
  return lines;
}

}  // namespace

TEST_CASE("LineReader splits on LF and CRLF; the last line may lack an end") {
  CHECK(all_lines("").empty());
  CHECK(all_lines("a") == std::vector<std::string>{"a"});
  CHECK(all_lines("a\n") == std::vector<std::string>{"a"});
  CHECK(all_lines("a\r\nb\n\nc") == std::vector<std::string>{"a", "b", "", "c"});
  CHECK(all_lines("\n\n") == std::vector<std::string>{"", ""});
  CHECK(all_lines("x\ry\r\n") == std::vector<std::string>{"x\ry"});  // a lone CR is content
}

TEST_CASE("trim and lowercase work on ASCII whatever the locale") {
  CHECK(trim(" \t\r\n name \v\f") == "name");
  CHECK(trim("   ").empty());
  CHECK(lowercase("Django-REST_framework") == "django-rest_framework");
}

TEST_CASE("iequals compares ASCII letters without their case") {
  CHECK(iequals("Requires-Dist", "requires-dist"));
  CHECK(iequals("", ""));
  CHECK_FALSE(iequals("Name", "Names"));
  CHECK_FALSE(iequals("Name", "Nane"));
}

TEST_CASE("display_width counts code points, not bytes") {
  CHECK(display_width("") == 0);
  CHECK(display_width("numpy") == 5);
  CHECK(display_width("▲ 1.2 MB") == 8);  // ▲ is three bytes, one column
  CHECK(display_width("−") == 1);
}
