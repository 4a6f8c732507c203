#include "util/size_units.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

#include "util/text.hpp"

namespace pkgsizer {
namespace {

std::optional<double> unit_multiplier(std::string_view unit) {
  struct Unit {
    const char* name;
    double multiplier;
  };
  static constexpr std::array<Unit, 10> kUnits{{{"", 1},
                                                {"b", 1},
                                                {"kb", 1e3},
                                                {"mb", 1e6},
                                                {"gb", 1e9},
                                                {"tb", 1e12},
                                                {"kib", 1024.0},
                                                {"mib", 1024.0 * 1024},
                                                {"gib", 1024.0 * 1024 * 1024},
                                                {"tib", 1024.0 * 1024 * 1024 * 1024}}};
  const std::string lowered = lowercase(unit);
  for (const Unit& candidate : kUnits)
    if (lowered == candidate.name) return candidate.multiplier;
  return std::nullopt;
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  std::size_t number_end = 0;
  while (number_end < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[number_end])) || text[number_end] == '.'))
    ++number_end;
  if (number_end == 0) return std::nullopt;
  double number = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + number_end, number);
  if (error != std::errc() || end != text.data() + number_end) return std::nullopt;
  std::string_view unit = text.substr(number_end);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  const std::optional<double> multiplier = unit_multiplier(unit);
  if (!multiplier) return std::nullopt;
  const double bytes = std::round(number * *multiplier);
  if (bytes < 0 || bytes > 1.8e19) return std::nullopt;
  return static_cast<std::uint64_t>(bytes);
}

std::string format_size(std::uint64_t bytes, SizeUnits units) {
  const bool binary = units == SizeUnits::kBinary;
  const double base = binary ? 1024.0 : 1000.0;
  static constexpr std::array<const char*, 6> kDecimal{"B", "kB", "MB", "GB", "TB", "PB"};
  static constexpr std::array<const char*, 6> kBinary{"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  if (bytes < base) return fmt::format("{} B", bytes);
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= base && unit + 1 < kDecimal.size()) {
    value /= base;
    ++unit;
  }
  // Rounding can carry into the next unit (999.96 kB -> "1000.0 kB"): step up instead.
  if (value >= 999.95 && unit + 1 < kDecimal.size()) {
    value /= base;
    ++unit;
  }
  const char* name = binary ? kBinary[unit] : kDecimal[unit];
  if (value >= 100) return fmt::format("{:.0f} {}", value, name);
  if (value >= 10) return fmt::format("{:.1f} {}", value, name);
  return fmt::format("{:.2f} {}", value, name);
}

std::string format_count(std::uint64_t count) {
  std::string digits = std::to_string(count);
  std::string grouped;
  const std::size_t lead = digits.size() % 3;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i != 0 && (i - lead) % 3 == 0 && i >= lead) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  return grouped;
}

}  // namespace pkgsizer
