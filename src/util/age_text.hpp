// An age given on the command line ("90d", "12w", "36h"), as `track delete --older-than` takes.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace pkgsizer {

// A whole number followed by h (hours), d (days) or w (weeks); nullopt for anything else, and
// for an age beyond a century (a typo, not a retention policy).
std::optional<std::chrono::hours> parse_age(std::string_view text);

}  // namespace pkgsizer
