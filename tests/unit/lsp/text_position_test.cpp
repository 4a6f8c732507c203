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

TEST_CASE("byte offsets of positions: clamped characters, lines past the end refused", "[lsp]") {
  const std::string text = "ab\r\n€😀x\rlast";
  CHECK(byte_offset(text, 0, 0) == 0u);
  CHECK(byte_offset(text, 0, 2) == 2u);
  CHECK(byte_offset(text, 0, 99) == 2u);  // past the line's end: its end (LSP 3.17)
  CHECK(byte_offset(text, 1, 0) == 4u);
  CHECK(byte_offset(text, 1, 1) == 7u);  // after €, 3 bytes, one unit
  CHECK(byte_offset(text, 1, 2) == 7u);  // inside 😀's surrogate pair: before it
  CHECK(byte_offset(text, 1, 3) == 11u);
  CHECK(byte_offset(text, 2, 4) == text.size());
  CHECK_FALSE(byte_offset(text, 3, 0));
  CHECK_FALSE(byte_offset(text, static_cast<std::size_t>(-1), 0));
  CHECK(byte_offset("\xff\xfe", 0, 1) == 1u);  // a byte that is not UTF-8: one unit
}

TEST_CASE("incremental changes apply in range, and refuse reversed or outside ranges", "[lsp]") {
  std::string text = "flask\nrequests\n";
  CHECK(apply_change(text, {{1, 0}, {1, 8}}, "httpx"));
  CHECK(text == "flask\nhttpx\n");
  CHECK(apply_change(text, {{2, 0}, {2, 0}}, "rich\n"));
  CHECK(text == "flask\nhttpx\nrich\n");
  CHECK(apply_change(text, {{0, 2}, {0, 1000}}, ""));
  CHECK(text == "fl\nhttpx\nrich\n");
  CHECK_FALSE(apply_change(text, {{1, 3}, {1, 1}}, "x"));  // reversed
  CHECK_FALSE(apply_change(text, {{2, 0}, {0, 0}}, "x"));
  CHECK_FALSE(apply_change(text, {{0, 0}, {9, 0}}, "x"));  // past the last line
  CHECK(text == "fl\nhttpx\nrich\n");
}
