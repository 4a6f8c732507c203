#include "lsp/framing.hpp"

#include <fmt/format.h>

#include "util/text.hpp"

namespace pkgsizer::lsp {

namespace {

constexpr std::string_view kHeaderEnd = "\r\n\r\n";

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
    if (skipping_) {  // the rest of an overlong header part, up to its empty line
      if (end == std::string_view::npos) {
        // Keep the last bytes: they may be the start of the empty line.
        start_ += rest.size() - std::min(rest.size(), kHeaderEnd.size() - 1);
        compact();
        return std::nullopt;
      }
      start_ += end + kHeaderEnd.size();
      skipping_ = false;
      continue;
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
    const std::optional<std::size_t> length = parse_content_length(rest.substr(0, end));
    if (!length)
      problems_.push_back(fmt::format("a header part without a valid Content-Length: \"{}\"",
                                      printable(excerpt(rest.substr(0, end)))));
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
