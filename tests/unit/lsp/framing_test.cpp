#include "lsp/framing.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace pkgsizer::lsp;

TEST_CASE("a frame is the Content-Length header, an empty line and the body", "[lsp]") {
  CHECK(encode_frame("{}") == "Content-Length: 2\r\n\r\n{}");
  FrameDecoder decoder;
  decoder.feed(encode_frame(R"({"a":1})") + encode_frame("[]"));
  CHECK(decoder.next() == R"({"a":1})");
  CHECK(decoder.next() == "[]");
  CHECK_FALSE(decoder.next());
  CHECK(decoder.take_problems().empty());
}

TEST_CASE("a message split anywhere comes out whole, once", "[lsp]") {
  const std::string stream = encode_frame(R"({"jsonrpc":"2.0","method":"x"})") + encode_frame("ü");
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    FrameDecoder decoder;
    decoder.feed(stream.substr(0, cut));
    std::vector<std::string> bodies;
    while (auto body = decoder.next()) bodies.push_back(*body);
    decoder.feed(stream.substr(cut));
    while (auto body = decoder.next()) bodies.push_back(*body);
    REQUIRE(bodies == std::vector<std::string>{R"({"jsonrpc":"2.0","method":"x"})", "ü"});
    CHECK(decoder.buffered() == 0);
  }
}

TEST_CASE("Content-Length: case-insensitive, other fields ignored, bad values refused", "[lsp]") {
  CHECK(parse_content_length("content-length: 12") == 12u);
  CHECK(parse_content_length("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
                             "Content-Length:7") == 7u);
  CHECK_FALSE(parse_content_length("Content-Type: x"));
  CHECK_FALSE(parse_content_length("Content-Length: -1"));
  CHECK_FALSE(parse_content_length("Content-Length: 1x"));
  CHECK_FALSE(parse_content_length("Content-Length: "));
  CHECK_FALSE(parse_content_length("Content-Length: 1\r\nContent-Length: 1"));
  CHECK_FALSE(parse_content_length("Content-Length: 99999999999999999999"));
  CHECK_FALSE(parse_content_length("Content-Length: 67108865"));  // over kMaxContentLength
  CHECK_FALSE(parse_content_length("garbage"));
}

TEST_CASE("a header without a valid length is dropped and decoding goes on", "[lsp]") {
  FrameDecoder decoder;
  decoder.feed("Content-Length: x\r\n\r\n" + encode_frame("{}"));
  CHECK(decoder.next() == "{}");
  CHECK(decoder.take_problems().size() == 1);
  CHECK(decoder.take_problems().empty());
}

TEST_CASE("an overlong header part is dropped up to its end, however it arrives", "[lsp]") {
  const std::string overlong =
      std::string(kMaxHeaderLength, 'a') + "\r\nContent-Length: 1\r\n\r\nx" + encode_frame("1");
  for (const std::size_t piece : {std::size_t{1}, std::size_t{7}, overlong.size()}) {
    FrameDecoder decoder;
    std::vector<std::string> bodies;
    for (std::size_t at = 0; at < overlong.size(); at += piece) {
      decoder.feed(std::string_view(overlong).substr(at, piece));
      while (auto body = decoder.next()) bodies.push_back(*body);
    }
    // The overlong part is dropped up to the last Content-Length before its empty line, where
    // the next header is taken to start.
    CHECK(bodies == std::vector<std::string>{"x", "1"});
    CHECK(decoder.take_problems().size() == 1);
  }
  FrameDecoder decoder;
  decoder.feed(std::string(kMaxHeaderLength + 1, 'a'));
  CHECK_FALSE(decoder.next());
  CHECK(decoder.buffered() < 4);
  decoder.feed("\r\n\r\n" + encode_frame("1"));
  CHECK(decoder.next() == "1");
}

// Bodies the framing cannot know about: what a hostile or broken client sends after a header it
// refused. The next valid message must still come out, however the bytes arrive.
TEST_CASE("after a refused header, its body is skipped up to the next header", "[lsp]") {
  const std::string next = encode_frame(R"({"id":2})");
  const std::string body = R"({"jsonrpc":"2.0","id":1,"method":"shutdown"})";
  const std::string big_body(3 * kMaxHeaderLength, '{');
  for (const std::string& bad :
       {"X-Nothing: 1\r\n\r\n" + body, "Content-Length: -5\r\n\r\n" + body,
        "Content-Length: 9223372036854775808\r\n\r\n" + body,
        "Content-Length: 18446744073709551616\r\n\r\n" + big_body,
        "Content-Length: 3\r\n\r\n" + body,  // too short: "{\"j" is a body, the rest junk
        "Content-Length: 1\r\nContent-Length: 1\r\n\r\n" + body,
        "Content-Length: 1\r\n\r\n" + big_body}) {
    const std::string stream = bad + next;
    for (const std::size_t piece :
         {std::size_t{1}, std::size_t{5}, std::size_t{4096}, stream.size()}) {
      FrameDecoder decoder;
      std::vector<std::string> bodies;
      for (std::size_t at = 0; at < stream.size(); at += piece) {
        decoder.feed(std::string_view(stream).substr(at, piece));
        while (auto out = decoder.next()) bodies.push_back(*out);
      }
      INFO(bad.substr(0, 40) << " in pieces of " << piece);
      REQUIRE_FALSE(bodies.empty());
      CHECK(bodies.back() == R"({"id":2})");
      CHECK(bodies.size() <= 2);  // at most the too-short body before it
      CHECK_FALSE(decoder.take_problems().empty());
      CHECK(decoder.buffered() == 0);
    }
  }
}

TEST_CASE("junk without a header end is not kept beyond a header's length", "[lsp]") {
  FrameDecoder decoder;
  decoder.feed("X: 1\r\n\r\n");
  CHECK_FALSE(decoder.next());
  for (int i = 0; i < 1000; ++i) {
    decoder.feed(std::string(1000, 'j') + "Content-Len");
    CHECK_FALSE(decoder.next());
  }
  CHECK(decoder.buffered() <= kMaxHeaderLength);
  decoder.feed("gth: 2\r\n\r\n{}");
  CHECK(decoder.next() == "{}");
}
