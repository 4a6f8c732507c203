// Small pieces of HTTP that the client's files share: field values (RFC 9110 section 5), the
// body's declared length, and Range headers (RFC 9110 section 14). Internal to predict's HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "predict/http_client.hpp"

namespace pkgsizer::predict {

// The end of a file that a full download keeps in memory: a wheel's central directory is a
// few megabytes at most even for the largest wheels on PyPI (~100 bytes per member), so this
// is plenty; a larger one costs wheel_size a second request, not a wrong answer.
inline constexpr std::uint64_t kFullDownloadKeep = 16ull << 20;

// A field value without the optional white space around it (RFC 9110 section 5.6.3: spaces
// and tabs), and without the CR LF that ends a header line as libcurl hands it over.
std::string_view trim_field_value(std::string_view text);

// A decimal number of bytes, nothing else around it but white space.
std::optional<std::uint64_t> parse_uint(std::string_view text);

// The declared size of the body as sent (not when it is content-coded: then the length is
// of the coded bytes).
std::optional<std::uint64_t> content_length(const HttpHeaders& headers);

// "bytes=FIRST-LAST" (RFC 9110 section 14.1.2).
std::string range_header(std::uint64_t first, std::uint64_t last);

}  // namespace pkgsizer::predict
