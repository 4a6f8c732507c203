// The base protocol of the Language Server Protocol (LSP 3.17, "Base Protocol"): each message is
// a header part (fields "Name: value" ending in \r\n, then an empty line) and a content part of
// exactly Content-Length bytes of JSON. Pure: bytes in, message bodies out.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::lsp {

// Far above any real message (a whole requirements file in a didOpen is kilobytes): a larger
// Content-Length is refused rather than buffered (docs/security.md "Limits").
inline constexpr std::size_t kMaxContentLength = 64 << 20;
// A header part longer than this without its empty line is not a header.
inline constexpr std::size_t kMaxHeaderLength = 8 << 10;

// Splits a byte stream into message bodies. A header part without a valid Content-Length, or
// longer than kMaxHeaderLength, is dropped with a problem noted, and so is what follows it up to
// the next header: one bad message must not end the session. The spec gives no way to
// resynchronise, so the next header is found as the last "Content-Length:" before an empty line
// (within kMaxHeaderLength of it); bytes glued before a header (the rest of a body whose
// Content-Length was too small) are dropped the same way. The bodies do not depend on how the
// bytes are split into feed() calls.
class FrameDecoder {
 public:
  void feed(std::string_view bytes);
  // The next complete body, or nothing until more bytes come.
  std::optional<std::string> next();
  // What was dropped since the last call, one line each ("Content-Length missing").
  std::vector<std::string> take_problems();
  // Bytes held that do not make a message yet.
  std::size_t buffered() const { return buffer_.size() - start_; }

 private:
  void compact();
  std::string buffer_;
  std::size_t start_ = 0;                      // bytes before it are consumed
  std::optional<std::size_t> content_length_;  // of the message whose header was read
  bool skipping_ = false;  // in bytes that are not a header: an overlong one, a dropped body
  std::vector<std::string> problems_;
};

// The Content-Length of a header part (without its final empty line), or nothing when it has
// none, has two, or its value is not a decimal number up to kMaxContentLength. Field names are
// case-insensitive (RFC 7230 3.2); other fields (Content-Type) are ignored.
std::optional<std::size_t> parse_content_length(std::string_view header);

// "Content-Length: N\r\n\r\n" + body.
std::string encode_frame(std::string_view body);

}  // namespace pkgsizer::lsp
