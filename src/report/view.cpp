#include "report/view.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace pkgsizer::report {

void order_distributions(Scan& scan, SortKey key, std::size_t top) {
  auto& dists = scan.distributions;
  std::stable_sort(dists.begin(), dists.end(), [key](const Distribution& a, const Distribution& b) {
    switch (key) {
      case SortKey::kSize:
        if (a.size.apparent_bytes != b.size.apparent_bytes)
          return a.size.apparent_bytes > b.size.apparent_bytes;
        break;
      case SortKey::kFiles:
        if (a.size.file_count != b.size.file_count) return a.size.file_count > b.size.file_count;
        break;
      case SortKey::kName:
        break;
    }
    return a.normalized_name != b.normalized_name ? a.normalized_name < b.normalized_name
                                                  : a.location < b.location;
  });
  if (top > 0 && dists.size() > top) dists.resize(top);
}

std::string format_share(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "-";
  const double percent = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  if (part > 0 && percent < 0.1) return "<0.1%";
  return fmt::format("{:.1f}%", percent);
}

}  // namespace pkgsizer::report
