// Timestamps in UTC, as the scan model and file names write them.
#pragma once

#include <chrono>
#include <string>

namespace pkgsizer {

// "2026-11-25T13:25:04Z" (ISO 8601), as `created_at` fields hold them.
std::string iso8601_utc(
    std::chrono::system_clock::time_point when = std::chrono::system_clock::now());

// "20261125T132504", for file names.
std::string compact_utc(
    std::chrono::system_clock::time_point when = std::chrono::system_clock::now());

}  // namespace pkgsizer
