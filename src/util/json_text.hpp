// JSON text for strings that may hold any bytes. Names and paths come from the file system and
// from METADATA files, and on Linux those are bytes, not necessarily UTF-8; JSON text is UTF-8
// (RFC 8259 section 8.1), and nlohmann::json refuses to write anything else. So a byte that is
// not part of well-formed UTF-8 is written as Python's "surrogateescape" error handler gives it
// to json.dumps: byte 0xNN as the escape \udcNN (U+DC80..U+DCFF, lone low surrogates, which no
// UTF-8 text can hold). parse_json turns those escapes back into the bytes: the round trip is
// lossless (docs/json-format.md, "Bytes that are not UTF-8").
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace pkgsizer {

// value.dump(indent), with the bytes that are not UTF-8 written as \udcNN.
std::string dump_json(const nlohmann::json& value, int indent = -1);
std::string dump_json(const nlohmann::ordered_json& value, int indent = -1);

// nlohmann::json::parse(text), reading \udcNN escapes (not after a high surrogate) back as the
// byte 0xNN. Throws what nlohmann::json::parse throws.
nlohmann::json parse_json(std::string_view text);

// A count or size that may be unknown, as JSON: the number, or null (docs/json-format.md).
nlohmann::ordered_json number_or_null(const std::optional<std::uint64_t>& value);

}  // namespace pkgsizer
