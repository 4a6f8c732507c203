#include "util/age_text.hpp"

#include <charconv>

namespace pkgsizer {

std::optional<std::chrono::hours> parse_age(std::string_view text) {
  if (text.size() < 2) return std::nullopt;
  const char unit = text.back();
  const std::string_view digits = text.substr(0, text.size() - 1);
  if (digits.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  std::uint64_t count = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  std::uint64_t hours_per_unit = 0;
  switch (unit) {
    case 'h':
      hours_per_unit = 1;
      break;
    case 'd':
      hours_per_unit = 24;
      break;
    case 'w':
      hours_per_unit = 24 * 7;
      break;
    default:
      return std::nullopt;
  }
  constexpr std::uint64_t kCenturyHours = 100ULL * 366 * 24;
  if (count > kCenturyHours / hours_per_unit) return std::nullopt;
  return std::chrono::hours(static_cast<std::chrono::hours::rep>(count * hours_per_unit));
}

}  // namespace pkgsizer
