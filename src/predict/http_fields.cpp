#include "predict/http_fields.hpp"

#include <fmt/format.h>

#include <charconv>

#include "util/text.hpp"

namespace pkgsizer::predict {

std::string_view trim_field_value(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n'))
    text.remove_suffix(1);
  return text;
}

std::optional<std::uint64_t> parse_uint(std::string_view text) {
  text = trim_field_value(text);
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> content_length(const HttpHeaders& headers) {
  const std::optional<std::string> encoding = headers.get("Content-Encoding");
  if (encoding && !iequals(trim_field_value(*encoding), "identity")) return std::nullopt;
  const std::optional<std::string> length = headers.get("Content-Length");
  return length ? parse_uint(*length) : std::nullopt;
}

std::string range_header(std::uint64_t first, std::uint64_t last) {
  return fmt::format("bytes={}-{}", first, last);
}

}  // namespace pkgsizer::predict
