#include "lsp/text_position.hpp"

#include <catch2/catch.hpp>

using namespace pkgsizer::lsp;

TEST_CASE("lines end at \\n, \\r\\n and \\r", "[lsp]") {
  CHECK(split_lines("a\nb\r\nc\rd") == std::vector<std::string_view>{"a", "b", "c", "d"});
  CHECK(split_lines("a\n") == std::vector<std::string_view>{"a", ""});
  CHECK(split_lines("") == std::vector<std::string_view>{""});
}

TEST_CASE("characters are UTF-16 code units", "[lsp]") {
  CHECK(utf16_length("abc") == 3);
  CHECK(utf16_length("é") == 1);           // two bytes, one unit
  CHECK(utf16_length("€") == 1);           // three bytes, one unit
  CHECK(utf16_length("\U0001F600") == 2);  // four bytes: a surrogate pair
  CHECK(utf16_length("\xff") == 1);        // not UTF-8: one replacement character
}

TEST_CASE("file URIs and paths", "[lsp]") {
  CHECK(path_from_uri("file:///home/a%20b/r.txt") == "/home/a b/r.txt");
  CHECK(path_from_uri("FILE:///x") == "/x");
  CHECK(path_from_uri("file://localhost/x") == "/x");
  CHECK(path_from_uri("file:///x%C3%A9?q#f") == "/x\xc3\xa9");
  CHECK_FALSE(path_from_uri("untitled:Untitled-1"));
  CHECK_FALSE(path_from_uri("file://host/x"));
  CHECK_FALSE(path_from_uri("file:///a%00b"));
  CHECK(uri_from_path("/home/a b/é") == "file:///home/a%20b/%C3%A9");
  CHECK(path_from_uri(uri_from_path("/p/#%?")) == "/p/#%?");
}
