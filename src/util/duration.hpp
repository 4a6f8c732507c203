// Durations as people write and read them: "300ms", "1.5s", "250us" in, "35.0 ms" out. For
// import times (pkgsizer import-time, [budget.import_time]), kept in integer microseconds as
// `python -X importtime` gives them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pkgsizer {

// A number (decimals allowed) and a unit: us, µs, ms or s; nullopt for anything else (a bare
// number has no unit: is "300" milliseconds or seconds?).
std::optional<std::int64_t> parse_duration_us(std::string_view text);

// "1.25 s", "35.0 ms", "420 us".
std::string format_duration_us(std::int64_t microseconds);

}  // namespace pkgsizer
