#include "util/duration.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <utility>

namespace pkgsizer {

std::optional<std::int64_t> parse_duration_us(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  double scale = 0;
  for (const auto& [unit, factor] : {std::pair<std::string_view, double>{"ms", 1e3},
                                     {"us", 1.0},
                                     {"\xc2\xb5s", 1.0},
                                     {"s", 1e6}}) {
    if (text.ends_with(unit)) {
      text.remove_suffix(unit.size());
      scale = factor;
      break;
    }
  }
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (scale == 0 || text.empty()) return std::nullopt;
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  // A week is more than any import takes; the bound keeps the conversion in range.
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value) ||
      value < 0 || value * scale > 6.048e11)
    return std::nullopt;
  return static_cast<std::int64_t>(std::llround(value * scale));
}

std::string format_duration_us(std::int64_t microseconds) {
  if (microseconds >= 1000000) return fmt::format("{:.2f} s", microseconds / 1e6);
  if (microseconds >= 1000) return fmt::format("{:.1f} ms", microseconds / 1e3);
  return fmt::format("{} us", microseconds);
}

}  // namespace pkgsizer
