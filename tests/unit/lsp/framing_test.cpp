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
    // After the dropped part, "x" starts the next header part ("xContent-Length: 1": no
    // length, dropped too), and the last "1" waits for a header end that never comes.
    CHECK(bodies.empty());
    CHECK(decoder.take_problems().size() == 2);
  }
  FrameDecoder decoder;
  decoder.feed(std::string(kMaxHeaderLength + 1, 'a'));
  CHECK_FALSE(decoder.next());
  CHECK(decoder.buffered() < 4);
  decoder.feed("\r\n\r\n" + encode_frame("1"));
  CHECK(decoder.next() == "1");
}
