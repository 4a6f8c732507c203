#include "report/history_common.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include "report/history_report.hpp"
#include "util/text.hpp"

namespace pkgsizer::report::history_detail {

// ---- Snapshot fields -----------------------------------------------------------------------

// "2024-05-01T12:34:56Z" -> "2024-05-01 12:34"; anything unexpected is shown as it is (but
// printable: a store is a file anyone may have written).
std::string date_time_of(const std::string& created_at) {
  if (created_at.size() < 16 || (created_at[10] != 'T' && created_at[10] != ' '))
    return printable(created_at);
  std::string shown = created_at.substr(0, 16);
  shown[10] = ' ';
  return printable(shown);
}

std::string date_of(const std::string& created_at) { return printable(created_at.substr(0, 10)); }

std::string short_commit(const std::string& commit) { return commit.substr(0, 8); }

// The total of the snapshot before each one in the same environment: History::list("") mixes
// environments, and a change between two different environments would mean nothing.
std::vector<std::optional<std::uint64_t>> previous_totals(
    const std::vector<SnapshotSummary>& snapshots) {
  std::vector<std::optional<std::uint64_t>> previous;
  previous.reserve(snapshots.size());
  std::map<std::string, std::uint64_t> last_total;
  for (const SnapshotSummary& snapshot : snapshots) {
    const auto found = last_total.find(snapshot.environment);
    previous.push_back(found == last_total.end() ? std::nullopt : std::optional(found->second));
    last_total[snapshot.environment] = snapshot.apparent_bytes;
  }
  return previous;
}

bool single_environment(const std::vector<SnapshotSummary>& snapshots) {
  return std::all_of(snapshots.begin(), snapshots.end(), [&](const SnapshotSummary& snapshot) {
    return snapshot.environment == snapshots.front().environment;
  });
}

std::string plural(std::size_t count, const char* singular, const char* many) {
  return fmt::format("{} {}", format_count(count), count == 1 ? singular : many);
}

// "12 snapshots · 400 MB → 460 MB (▲ +60.0 MB)"; the change only within one environment.
std::string history_summary(const std::vector<SnapshotSummary>& snapshots, SizeUnits units) {
  std::string summary = plural(snapshots.size(), "snapshot", "snapshots");
  if (snapshots.size() >= 2 && single_environment(snapshots)) {
    const std::uint64_t first = snapshots.front().apparent_bytes;
    const std::uint64_t last = snapshots.back().apparent_bytes;
    summary += fmt::format(" · {} → {} ({})", format_size(first, units), format_size(last, units),
                           format_size_change(first, last, units));
  }
  return summary;
}

// ---- Axes ----------------------------------------------------------------------------------

// Axis labels in one unit, with as many decimals as the step between them needs: format_size's
// three significant digits would print 1,002 MB and 1,004 MB both as "1.00 GB".
std::string format_axis_size(double bytes, double step, double largest, SizeUnits units) {
  static constexpr std::array<const char*, 6> kDecimal{"B", "kB", "MB", "GB", "TB", "PB"};
  static constexpr std::array<const char*, 6> kBinary{"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  const bool binary = units == SizeUnits::kBinary;
  const double base = binary ? 1024.0 : 1000.0;
  std::size_t unit = 0;
  double scale = 1;
  while (largest >= scale * base && unit + 1 < kDecimal.size()) {
    scale *= base;
    ++unit;
  }
  const double scaled_step = step / scale;
  int decimals = 0;
  if (unit > 0 && bytes > 0 && scaled_step > 0 && scaled_step < 1)
    decimals = std::min(3, static_cast<int>(std::ceil(-std::log10(scaled_step) - 1e-9)));
  return fmt::format("{:.{}f} {}", bytes / scale, decimals,
                     binary ? kBinary[unit] : kDecimal[unit]);
}

ValueRange total_range(const std::vector<SnapshotSummary>& snapshots) {
  const auto [smallest, largest] = std::minmax_element(
      snapshots.begin(), snapshots.end(), [](const SnapshotSummary& a, const SnapshotSummary& b) {
        return a.apparent_bytes < b.apparent_bytes;
      });
  return {static_cast<double>(smallest->apparent_bytes),
          static_cast<double>(largest->apparent_bytes)};
}

// Where the value axis starts. From zero when the totals are flat or spread widely; otherwise
// just under the smallest total, because from zero a change of a few percent in a large
// environment would be a flat line. The axis labels say where it starts.
double axis_floor(const ValueRange& totals) {
  const double spread = totals.high - totals.low;
  if (spread <= 0 || totals.low <= spread) return 0;
  return totals.low - spread / 4;
}

namespace {

// 1, 2 or 5 times a power of ten: steps whose multiples read well.
double nice_step(double raw) {
  if (raw <= 1) return 1;  // no fractions of a byte
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double multiple : {1.0, 2.0, 5.0})
    if (raw <= multiple * magnitude * (1 + 1e-9)) return multiple * magnitude;
  return 10 * magnitude;
}

}  // namespace

GridAxis grid_axis(const ValueRange& totals) {
  const double floor_value = axis_floor(totals);
  const double top = std::max(totals.high, 1.0);
  GridAxis axis;
  axis.step = nice_step((top - floor_value) / 5);
  axis.low = std::floor(floor_value / axis.step) * axis.step;
  axis.high = std::ceil(top / axis.step) * axis.step;
  if (axis.high <= axis.low) axis.high = axis.low + axis.step;
  return axis;
}

}  // namespace pkgsizer::report::history_detail
