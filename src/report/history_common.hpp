// What the history views share (internal to report/): the snapshot fields as they are shown,
// the summary line, and the value axis. The views themselves are in history_text_report.cpp
// (table and block chart), history_svg_report.cpp and history_html_report.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/history.hpp"
#include "util/size_units.hpp"

namespace pkgsizer::report::history_detail {

using store::SnapshotSummary;

inline constexpr std::string_view kNoSnapshots =
    "No snapshots yet: take one with `pkgsizer track snapshot`.";

// "2024-05-01T12:34:56Z" -> "2024-05-01 12:34"; anything unexpected is shown as it is (but
// printable: a store is a file anyone may have written).
std::string date_time_of(const std::string& created_at);
std::string date_of(const std::string& created_at);
std::string short_commit(const std::string& commit);

// The total of the snapshot before each one in the same environment: History::list("") mixes
// environments, and a change between two different environments would mean nothing.
std::vector<std::optional<std::uint64_t>> previous_totals(
    const std::vector<SnapshotSummary>& snapshots);
bool single_environment(const std::vector<SnapshotSummary>& snapshots);
std::string plural(std::size_t count, const char* singular, const char* many);
// "12 snapshots · 400 MB → 460 MB (▲ +60.0 MB)"; the change only within one environment.
std::string history_summary(const std::vector<SnapshotSummary>& snapshots, SizeUnits units);

// Axis labels in one unit, with as many decimals as the step between them needs.
std::string format_axis_size(double bytes, double step, double largest, SizeUnits units);

struct ValueRange {
  double low = 0;
  double high = 1;
};
ValueRange total_range(const std::vector<SnapshotSummary>& snapshots);
// Where the value axis starts: zero, or just under the smallest total (the views say so).
double axis_floor(const ValueRange& totals);

struct GridAxis {
  double low = 0;
  double high = 1;
  double step = 1;
};
GridAxis grid_axis(const ValueRange& totals);

// The SVG chart; `heading`: its title and summary written above the plot (standalone).
std::string history_svg(const std::vector<SnapshotSummary>& snapshots, const std::string& title,
                        bool heading);

}  // namespace pkgsizer::report::history_detail
