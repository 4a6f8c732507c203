// An ImportProfile as JSON (docs/json-format.md, "import-time"), and back, for `compare` of two
// saved profiles. Times are integer microseconds, as -X importtime gives them.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "importtime/profile.hpp"

namespace pkgsizer::importtime {

inline constexpr const char* kJsonKind = "pkgsizer-import-time";

nlohmann::ordered_json profile_to_json(const ImportProfile& profile);

// True when the text looks like an import-time profile (its "kind"), for `compare` to choose.
bool is_profile_json(std::string_view text);

// Reads what profile_to_json wrote (distributions, totals, modules' times). Throws
// pkgsizer::Error(kEnvironment) naming `source` when it is not that.
ImportProfile profile_from_json(std::string_view text, const std::string& source);

// "1.2 s", "35.0 ms", "420 us": a time for people.
std::string format_time(std::int64_t microseconds);

// "300ms", "1.5s", "250us" (or "250µs"); nullopt for anything else. Used by budgets too.
std::optional<std::int64_t> parse_duration(std::string_view text);

}  // namespace pkgsizer::importtime
