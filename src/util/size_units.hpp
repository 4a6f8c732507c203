// Byte sizes as people write and read them: "500MB", "1.5GiB", "12.3 kB".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pkgsizer {

enum class SizeUnits { kDecimal, kBinary };  // kB/MB/GB (powers of 1000) or KiB/MiB/GiB (1024)

// Parses "123", "123B", "10kB", "10KB", "1.5MB", "2GB", "1TB" (decimal) and "10KiB", "1.5MiB",
// "2GiB", "1TiB" (binary). Case-insensitive units, optional space. Empty optional when invalid.
std::optional<std::uint64_t> parse_size(std::string_view text);

// "0 B", "999 B", "1.0 kB", "12.3 MB", "1.23 GB" (three significant digits at most).
std::string format_size(std::uint64_t bytes, SizeUnits units = SizeUnits::kDecimal);

// "1,234,567"
std::string format_count(std::uint64_t count);

}  // namespace pkgsizer
