#include "lsp/text_position.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "util/text.hpp"

namespace pkgsizer::lsp {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    lines.push_back(text.substr(begin, i - begin));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    begin = i + 1;
  }
  lines.push_back(text.substr(begin));
  return lines;
}

std::size_t utf16_length(std::string_view utf8) {
  std::size_t units = 0;
  for (std::size_t at = 0; at < utf8.size();) {
    const std::size_t length = utf8_sequence_length(utf8, at);
    if (length == 0) {  // not well-formed: one replacement character
      ++units;
      ++at;
      continue;
    }
    units += length == 4 ? 2 : 1;  // four bytes: above U+FFFF, a surrogate pair
    at += length;
  }
  return units;
}

std::optional<std::size_t> byte_offset(std::string_view text, std::size_t line,
                                       std::size_t character) {
  std::size_t begin = 0;
  for (std::size_t at_line = 0; at_line < line; ++at_line) {
    const std::size_t end = text.find_first_of("\r\n", begin);
    if (end == std::string_view::npos) return std::nullopt;  // past the last line
    begin = end + (text.compare(end, 2, "\r\n") == 0 ? 2 : 1);
  }
  const std::size_t line_end = std::min(text.find_first_of("\r\n", begin), text.size());
  std::size_t at = begin;
  for (std::size_t units = 0; at < line_end;) {
    const std::size_t length = utf8_sequence_length(text, at);
    const std::size_t width = length == 4 ? 2 : 1;
    if (units + width > character) break;  // inside a surrogate pair: before its character
    units += width;
    at += length == 0 ? 1 : length;
  }
  return at;
}

bool apply_change(std::string& text, const TextRange& range, std::string_view new_text) {
  const auto [start_line, start_character] = range.start;
  const auto [end_line, end_character] = range.end;
  if (std::pair(end_line, end_character) < std::pair(start_line, start_character)) return false;
  const std::optional<std::size_t> start = byte_offset(text, start_line, start_character);
  const std::optional<std::size_t> end = byte_offset(text, end_line, end_character);
  if (!start || !end || *end < *start) return false;
  text.replace(*start, *end - *start, new_text);
  return true;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '/';
}

}  // namespace

std::optional<std::string> path_from_uri(std::string_view uri) {
  constexpr std::string_view kScheme = "file://";
  if (uri.size() < kScheme.size() || !iequals(uri.substr(0, kScheme.size()), kScheme))
    return std::nullopt;
  std::string_view rest = uri.substr(kScheme.size());
  // "file://localhost/p" names this machine too (RFC 8089 2); any other host does not.
  if (rest.substr(0, 9) == "localhost") rest.remove_prefix(9);
  if (rest.empty() || rest.front() != '/') return std::nullopt;
  rest = rest.substr(0, rest.find_first_of("?#"));
  std::string path;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '%' && i + 2 < rest.size() && hex_value(rest[i + 1]) >= 0 &&
        hex_value(rest[i + 2]) >= 0) {
      const char byte = static_cast<char>(hex_value(rest[i + 1]) * 16 + hex_value(rest[i + 2]));
      if (byte == '\0') return std::nullopt;
      path.push_back(byte);
      i += 2;
      continue;
    }
    path.push_back(rest[i]);
  }
  return path;
}

std::string uri_from_path(std::string_view path) {
  std::string uri = "file://";
  for (const char c : path) {
    if (unreserved(c))
      uri.push_back(c);
    else
      uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
  }
  return uri;
}

}  // namespace pkgsizer::lsp
