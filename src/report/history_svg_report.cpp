// The history as a standalone SVG line chart (also embedded in the HTML page).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/history_common.hpp"
#include "report/history_report.hpp"
#include "util/xml_escape.hpp"

namespace pkgsizer::report {
namespace history_detail {

// The chart, with its title and summary written above the plot when it stands alone; inside the
// HTML page the page's heading says the same, so the plot takes the room.
std::string history_svg(const std::vector<SnapshotSummary>& snapshots, const std::string& title,
                        bool heading) {
  constexpr double kWidth = 900, kHeight = 400;
  constexpr double kLeft = 88, kRight = 48, kBottom = 56;
  const double top = heading ? 64 : 24;
  constexpr double kPlotLeft = kLeft, kPlotRight = kWidth - kRight;
  const double plot_top = top;
  constexpr double kPlotBottom = kHeight - kBottom;
  constexpr double kInset = 14;  // keeps the first and last points off the axes
  constexpr const char* kFont =
      "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
  constexpr const char* kLineColor = "#2563eb";

  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" role=\"img\" font-family=\"{2}\" font-size=\"12\">\n"
      "<title>{3}</title>\n"
      "<rect width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n",
      kWidth, kHeight, kFont, escape_xml(title));
  if (heading || snapshots.empty())
    out += fmt::format(
        "<text x=\"{}\" y=\"30\" font-size=\"17\" font-weight=\"600\" fill=\"#111827\">{}</text>\n",
        kPlotLeft, escape_xml(title));

  if (snapshots.empty()) {
    out += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\" "
        "fill=\"#6b7280\">{}</text>\n",
        kWidth / 2, kHeight / 2, escape_xml(kNoSnapshots));
    return out + "</svg>\n";
  }
  const std::size_t count = snapshots.size();
  const auto previous = previous_totals(snapshots);
  if (heading)
    out += fmt::format("<text x=\"{}\" y=\"30\" text-anchor=\"end\" fill=\"#4b5563\">{}</text>\n",
                       kPlotRight, escape_xml(history_summary(snapshots, SizeUnits::kDecimal)));

  const GridAxis axis = grid_axis(total_range(snapshots));
  auto y_of = [&](double bytes) {
    return kPlotBottom - (bytes - axis.low) / (axis.high - axis.low) * (kPlotBottom - plot_top);
  };
  // Evenly spaced rather than on a time scale: snapshots come in bursts (several in a day, then
  // none for weeks), and on a time scale a burst would pile its points on top of each other.
  auto x_of = [&](std::size_t index) {
    if (count == 1) return (kPlotLeft + kPlotRight) / 2;
    return kPlotLeft + kInset +
           static_cast<double>(index) * (kPlotRight - kPlotLeft - 2 * kInset) /
               static_cast<double>(count - 1);
  };

  // Gridlines and size labels.
  out += "<g stroke=\"#e5e7eb\" stroke-width=\"1\">\n";
  const auto ticks = static_cast<std::size_t>(std::lround((axis.high - axis.low) / axis.step));
  for (std::size_t t = 0; t <= ticks; ++t) {
    const double y = y_of(axis.low + axis.step * static_cast<double>(t));
    out += fmt::format("<line x1=\"{:.1f}\" y1=\"{:.1f}\" x2=\"{:.1f}\" y2=\"{:.1f}\"/>\n",
                       kPlotLeft, y, kPlotRight, y);
  }
  out += "</g>\n<g fill=\"#4b5563\" text-anchor=\"end\">\n";
  for (std::size_t t = 0; t <= ticks; ++t) {
    const double value = axis.low + axis.step * static_cast<double>(t);
    out += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" dy=\"0.32em\">{}</text>\n", kPlotLeft - 8, y_of(value),
        escape_xml(format_axis_size(value, axis.step, axis.high, SizeUnits::kDecimal)));
  }
  out += "</g>\n";
  // Heights are read against zero unless told otherwise: say so when the axis is cut.
  if (axis.low > 0)
    out += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" fill=\"#6b7280\" font-size=\"11\">"
        "y axis from {}, not zero</text>\n",
        kPlotLeft + 4, kPlotBottom - 6,
        escape_xml(format_axis_size(axis.low, axis.step, axis.high, SizeUnits::kDecimal)));

  // Dates under up to six evenly spread snapshots, always the first and the last; with the time
  // of day when the dates alone would repeat.
  const std::size_t date_labels = std::min<std::size_t>(count, 6);
  std::vector<std::size_t> dated;
  for (std::size_t j = 0; j < date_labels; ++j) {
    const std::size_t index =
        date_labels == 1 ? 0 : (j * (count - 1) + (date_labels - 1) / 2) / (date_labels - 1);
    if (dated.empty() || dated.back() != index) dated.push_back(index);
  }
  bool dates_repeat = false;
  for (std::size_t j = 1; j < dated.size(); ++j)
    dates_repeat |=
        date_of(snapshots[dated[j]].created_at) == date_of(snapshots[dated[j - 1]].created_at);
  out += "<g fill=\"#4b5563\" text-anchor=\"middle\">\n";
  for (const std::size_t index : dated) {
    const std::string& created_at = snapshots[index].created_at;
    const std::string text = dates_repeat ? date_time_of(created_at) : date_of(created_at);
    const double x = x_of(index);
    out += fmt::format(
        "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"#9ca3af\"/>\n"
        "<text x=\"{0:.1f}\" y=\"{3:.1f}\">{4}</text>\n",
        x, kPlotBottom, kPlotBottom + 5, kPlotBottom + 20, escape_xml(text));
  }
  out += "</g>\n";

  // Axes.
  out += fmt::format(
      "<path d=\"M{0:.1f} {1:.1f} V{2:.1f} H{3:.1f}\" fill=\"none\" stroke=\"#9ca3af\"/>\n",
      kPlotLeft, plot_top, kPlotBottom, kPlotRight);

  // The area under the line, the line, then the points on top with their tooltips.
  std::string points;
  for (std::size_t i = 0; i < count; ++i)
    points += fmt::format("{}{:.1f},{:.1f}", i == 0 ? "" : " ", x_of(i),
                          y_of(static_cast<double>(snapshots[i].apparent_bytes)));
  if (count > 1) {
    out += fmt::format(
        "<path d=\"M{:.1f},{:.1f} L{} L{:.1f},{:.1f} Z\" fill=\"{}\" fill-opacity=\"0.10\" "
        "stroke=\"none\"/>\n",
        x_of(0), kPlotBottom, points, x_of(count - 1), kPlotBottom, kLineColor);
    out += fmt::format(
        "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" "
        "stroke-linejoin=\"round\"/>\n",
        points, kLineColor);
  }
  const double radius = count > 80 ? 2 : count > 30 ? 3 : 4;
  out += fmt::format("<g fill=\"#ffffff\" stroke=\"{}\" stroke-width=\"{}\">\n", kLineColor,
                     count > 80 ? 1 : 2);
  for (std::size_t i = 0; i < count; ++i) {
    const SnapshotSummary& snapshot = snapshots[i];
    std::string tooltip = fmt::format("#{}", snapshot.id);
    if (!snapshot.label.empty()) tooltip += " " + snapshot.label;
    tooltip += fmt::format("\n{} UTC\n{}", date_time_of(snapshot.created_at),
                           format_size(snapshot.apparent_bytes));
    tooltip += previous[i]
                   ? fmt::format(" ({})", format_size_change(*previous[i], snapshot.apparent_bytes))
                   : " (first snapshot)";
    tooltip += fmt::format("\n{}", plural(snapshot.distributions, "distribution", "distributions"));
    if (!snapshot.git_commit.empty())
      tooltip += fmt::format("\ncommit {}", short_commit(snapshot.git_commit));
    // Tinted like the table's arrows: red where the environment grew, green where it shrank.
    const char* fill = !previous[i]                             ? "#ffffff"
                       : snapshot.apparent_bytes > *previous[i] ? "#fecaca"
                       : snapshot.apparent_bytes < *previous[i] ? "#bbf7d0"
                                                                : "#ffffff";
    out += fmt::format(
        "<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"{}\" fill=\"{}\"><title>{}</title></circle>\n",
        x_of(i), y_of(static_cast<double>(snapshot.apparent_bytes)), radius, fill,
        escape_xml(tooltip));
  }
  out += "</g>\n";

  // The latest total, written beside its point.
  const double last_y = y_of(static_cast<double>(snapshots.back().apparent_bytes));
  out += fmt::format(
      "<text x=\"{:.1f}\" y=\"{:.1f}\" text-anchor=\"{}\" font-weight=\"600\" "
      "fill=\"#1e3a8a\">{}</text>\n",
      count == 1 ? x_of(0) : x_of(count - 1) - 2, last_y - 10, count == 1 ? "middle" : "end",
      escape_xml(format_size(snapshots.back().apparent_bytes)));
  return out + "</svg>\n";
}

}  // namespace history_detail

std::string render_history_svg(const std::vector<store::SnapshotSummary>& snapshots,
                               const std::string& title) {
  return history_detail::history_svg(snapshots, title, true);
}

}  // namespace pkgsizer::report
