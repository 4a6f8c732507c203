#include "lsp/framing.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "util/text.hpp"

namespace pkgsizer::lsp {

namespace {

constexpr std::string_view kHeaderEnd = "\r\n\r\n";
constexpr std::string_view kLengthField = "content-length:";

// Where the last "Content-Length:" (any case) starts in `text`, or npos. After bytes that are not
// a header (the body of a message whose header was dropped), that is where the next header most
// likely starts: clients write Content-Length first (LSP 3.17 examples, vscode-jsonrpc).
std::size_t find_last_length_field(std::string_view text) {
  for (std::size_t at = text.size(); at >= kLengthField.size(); --at) {
    const std::size_t start = at - kLengthField.size();
    if (iequals(text.substr(start, kLengthField.size()), kLengthField)) return start;
  }
  return std::string_view::npos;
}

// How many bytes at the end of `text` could still start a "Content-Length:" split by the read.
std::size_t partial_length_field(std::string_view text) {
  for (std::size_t size = std::min(text.size(), kLengthField.size() - 1); size > 0; --size)
    if (iequals(text.substr(text.size() - size), kLengthField.substr(0, size))) return size;
  return 0;
}

std::optional<std::size_t> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::size_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::size_t>(c - '0');
  }
  if (value > kMaxContentLength) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::size_t> parse_content_length(std::string_view header) {
  std::optional<std::size_t> length;
  bool seen = false;
  while (!header.empty()) {
    const std::size_t end = header.find("\r\n");
    const std::string_view field = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 2);
    const std::size_t colon = field.find(':');
    if (colon == std::string_view::npos) return std::nullopt;  // not a header field
    if (!iequals(trim(field.substr(0, colon)), "Content-Length")) continue;
    if (seen) return std::nullopt;
    seen = true;
    length = parse_decimal(trim(field.substr(colon + 1)));
    if (!length) return std::nullopt;
  }
  return length;
}

std::string encode_frame(std::string_view body) {
  return fmt::format("Content-Length: {}\r\n\r\n{}", body.size(), body);
}

void FrameDecoder::feed(std::string_view bytes) { buffer_.append(bytes); }

void FrameDecoder::compact() {
  if (start_ > 0 && start_ * 2 >= buffer_.size()) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
}

std::optional<std::string> FrameDecoder::next() {
  while (true) {
    const std::string_view rest = std::string_view(buffer_).substr(start_);
    if (content_length_) {
      if (rest.size() < *content_length_) return std::nullopt;
      std::string body(rest.substr(0, *content_length_));
      start_ += *content_length_;
      content_length_.reset();
      compact();
      return body;
    }
    const std::size_t end = rest.find(kHeaderEnd);
    if (skipping_) {  // bytes that are not a header: an overlong one, or a dropped message's body
      const std::string_view before_end = rest.substr(0, end);
      const std::size_t field = find_last_length_field(before_end);
      if (end != std::string_view::npos) {
        skipping_ = false;
        if (field != std::string_view::npos && end - field <= kMaxHeaderLength) {
          start_ += field;  // the next header starts there
        } else {
          start_ += end + kHeaderEnd.size();
        }
        continue;
      }
      // Keep what may still start the next header (a "Content-Length:" within a header's length
      // of the end, or the start of one or of the empty line), so that the outcome does not
      // depend on how the bytes arrive.
      std::size_t keep = std::max(kHeaderEnd.size() - 1, partial_length_field(rest));
      if (field != std::string_view::npos && rest.size() - field <= kMaxHeaderLength)
        keep = std::max(keep, rest.size() - field);
      start_ += rest.size() - std::min(rest.size(), keep);
      compact();
      return std::nullopt;
    }
    // Too long whether or not its end has come: the same answer however the bytes arrive.
    if ((end == std::string_view::npos && rest.size() > kMaxHeaderLength) ||
        (end != std::string_view::npos && end > kMaxHeaderLength)) {
      problems_.push_back(
          fmt::format("a header part of more than {} bytes: dropped", kMaxHeaderLength));
      skipping_ = true;
      continue;
    }
    if (end == std::string_view::npos) return std::nullopt;
    const std::string_view header = rest.substr(0, end);
    const std::optional<std::size_t> length = parse_content_length(header);
    if (!length) {
      const std::size_t field = find_last_length_field(header);
      if (field != std::string_view::npos && field > 0 && header[field - 1] != '\n') {
        // Bytes glued before a header (not a field of its own line): the rest of a body whose
        // Content-Length was too small. Dropped; the header after them is read.
        problems_.push_back(fmt::format("{} bytes before a header: dropped", field));
        start_ += field;
        continue;
      }
      problems_.push_back(fmt::format("a header part without a valid Content-Length: \"{}\"",
                                      printable(excerpt(header))));
      // Its body, if it has one, follows: what comes up to the next header is not a message.
      start_ += end + kHeaderEnd.size();
      skipping_ = true;
      compact();
      continue;
    }
    start_ += end + kHeaderEnd.size();
    content_length_ = length;
    compact();
  }
}

std::vector<std::string> FrameDecoder::take_problems() {
  std::vector<std::string> taken;
  taken.swap(problems_);
  return taken;
}

}  // namespace pkgsizer::lsp
