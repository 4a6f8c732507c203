#include "report/history_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <optional>
#include <string_view>

#include "report/ansi_style.hpp"
#include "util/text.hpp"
#include "util/xml_escape.hpp"

namespace pkgsizer::report {
namespace {

using store::SnapshotSummary;

constexpr std::string_view kNoSnapshots =
    "No snapshots yet: take one with `pkgsizer track snapshot`.";

struct Styler {
  bool color;
  std::string operator()(const char* style, const std::string& text) const {
    return color && !text.empty() ? fmt::format("{}{}{}", style, text, kReset) : text;
  }
};

// ---- Text measures -------------------------------------------------------------------------

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

std::string truncate_to_width(std::string_view text, std::size_t width) {
  if (display_width(text) <= width) return std::string(text);
  if (width == 0) return {};
  std::size_t kept = 0;
  std::size_t end = 0;
  for (; end < text.size(); ++end) {
    if (is_continuation(static_cast<unsigned char>(text[end]))) continue;
    if (kept == width - 1) break;
    ++kept;
  }
  return std::string(text.substr(0, end)) + "…";
}

std::string pad_right(const std::string& text, std::size_t width) {
  const std::size_t used = display_width(text);
  return used >= width ? text : text + std::string(width - used, ' ');
}

std::string pad_left(const std::string& text, std::size_t width) {
  const std::size_t used = display_width(text);
  return used >= width ? text : std::string(width - used, ' ') + text;
}

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

void trim_trailing_spaces(std::string& text) {
  while (!text.empty() && text.back() == ' ') text.pop_back();
}

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

struct ValueRange {
  double low = 0;
  double high = 1;
};

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

// 1, 2 or 5 times a power of ten: steps whose multiples read well.
double nice_step(double raw) {
  if (raw <= 1) return 1;  // no fractions of a byte
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double multiple : {1.0, 2.0, 5.0})
    if (raw <= multiple * magnitude * (1 + 1e-9)) return multiple * magnitude;
  return 10 * magnitude;
}

struct GridAxis {
  double low = 0;
  double high = 1;
  double step = 1;
};

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

// ---- Table ---------------------------------------------------------------------------------

struct Column {
  std::string header;
  bool right_aligned = false;
  std::size_t min_width = 0;  // > 0: may be truncated down to this when the terminal is narrow
  std::vector<std::string> cells = {};
  std::size_t width = 0;
};

}  // namespace

std::string format_size_change(std::uint64_t previous_bytes, std::uint64_t current_bytes,
                               SizeUnits units) {
  if (current_bytes == previous_bytes) return "= 0 B";
  if (current_bytes > previous_bytes)
    return "▲ +" + format_size(current_bytes - previous_bytes, units);
  return "▼ −" + format_size(previous_bytes - current_bytes, units);
}

std::string render_history_table(const std::vector<SnapshotSummary>& snapshots,
                                 const RenderOptions& options) {
  if (snapshots.empty()) return std::string(kNoSnapshots) + "\n";
  const Styler style{options.color};
  const auto previous = previous_totals(snapshots);
  const bool show_environment = !single_environment(snapshots);
  const bool any_commit =
      std::any_of(snapshots.begin(), snapshots.end(),
                  [](const SnapshotSummary& s) { return !s.git_commit.empty(); });

  Column date{"Date (UTC)"}, id{"ID", true}, environment{"Environment", false, 12},
      label{"Label", false, 8}, total{"Total", true}, change{"Change"},
      distributions{"Dists", true}, commit{"Commit"};
  std::vector<int> directions;  // +1 grew, -1 shrank, 0 same or first
  for (std::size_t i = 0; i < snapshots.size(); ++i) {
    const SnapshotSummary& snapshot = snapshots[i];
    date.cells.push_back(date_time_of(snapshot.created_at));
    id.cells.push_back(std::to_string(snapshot.id));
    environment.cells.push_back(printable(snapshot.environment));
    label.cells.push_back(printable(snapshot.label));
    total.cells.push_back(format_size(snapshot.apparent_bytes, options.units));
    change.cells.push_back(
        previous[i] ? format_size_change(*previous[i], snapshot.apparent_bytes, options.units)
                    : "");
    directions.push_back(!previous[i]                             ? 0
                         : snapshot.apparent_bytes > *previous[i] ? 1
                         : snapshot.apparent_bytes < *previous[i] ? -1
                                                                  : 0);
    distributions.cells.push_back(format_count(snapshot.distributions));
    commit.cells.push_back(printable(short_commit(snapshot.git_commit)));
  }

  std::vector<Column*> columns{&date, &id};
  if (show_environment) columns.push_back(&environment);
  columns.insert(columns.end(), {&label, &total, &change, &distributions});
  if (any_commit) columns.push_back(&commit);
  const std::size_t change_index = static_cast<std::size_t>(
      std::find(columns.begin(), columns.end(), &change) - columns.begin());

  auto line_width = [&] {
    std::size_t sum = 2 * (columns.size() - 1);
    for (const Column* column : columns) sum += column->width;
    return sum;
  };
  for (Column* column : columns) {
    column->width = display_width(column->header);
    for (const std::string& cell : column->cells)
      column->width = std::max(column->width, display_width(cell));
  }
  // A narrow terminal: names and labels give way first, then the commit column goes.
  if (options.width > 0) {
    for (Column* shrinkable : {&environment, &label}) {
      const std::size_t used = line_width();
      if (used <= options.width || shrinkable->min_width == 0) continue;
      const std::size_t room =
          shrinkable->width - std::min(shrinkable->width, shrinkable->min_width);
      shrinkable->width -= std::min(room, used - options.width);
    }
    if (line_width() > options.width && any_commit) columns.pop_back();
  }

  // The header line without a row, a snapshot's line with its row.
  auto render_line = [&](std::optional<std::size_t> row) {
    std::string text;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const Column& column = *columns[c];
      const std::string cell =
          truncate_to_width(row ? column.cells[*row] : column.header, column.width);
      std::string padded =
          column.right_aligned ? pad_left(cell, column.width) : pad_right(cell, column.width);
      if (c + 1 == columns.size()) trim_trailing_spaces(padded);
      if (row && c == change_index && directions[*row] != 0)
        padded = style(directions[*row] > 0 ? kRed : kGreen, padded);
      text += (c == 0 ? "" : "  ") + padded;
    }
    trim_trailing_spaces(text);
    return text;
  };

  std::string out = style(kBold, render_line(std::nullopt)) + "\n";
  for (std::size_t row = 0; row < snapshots.size(); ++row) out += render_line(row) + "\n";
  out += "\n" + style(kDim, history_summary(snapshots, options.units)) + "\n";
  return out;
}

std::string render_history_chart(const std::vector<SnapshotSummary>& snapshots,
                                 const RenderOptions& options, std::size_t width,
                                 std::size_t height) {
  if (width == 0) width = options.width > 0 ? options.width : 80;
  if (height == 0) height = 10;
  if (snapshots.empty()) return truncate_to_width(kNoSnapshots, width) + "\n";
  const Styler style{options.color};
  const std::size_t count = snapshots.size();

  const ValueRange totals = total_range(snapshots);
  const double low = axis_floor(totals);
  const double high = std::max(totals.high, 1.0);
  const double row_step = (high - low) / static_cast<double>(height);

  // labels[r]: the value at the top edge of bar row r; labels[height]: the axis line's value.
  // format_size reads best; when the range is so narrow that its three significant digits make
  // two labels the same, the labels switch to one unit with more decimals.
  std::vector<std::string> labels(height + 1);
  std::vector<std::size_t> labelled_rows{0, height};
  if (height >= 4) labelled_rows.insert(labelled_rows.begin() + 1, height / 2);
  auto value_at = [&](std::size_t row) {
    return low + row_step * static_cast<double>(height - row);
  };
  for (const std::size_t row : labelled_rows)
    labels[row] =
        format_size(static_cast<std::uint64_t>(std::llround(value_at(row))), options.units);
  for (std::size_t i = 1; i < labelled_rows.size(); ++i) {
    if (labels[labelled_rows[i]] != labels[labelled_rows[i - 1]]) continue;
    for (const std::size_t row : labelled_rows)
      labels[row] = format_axis_size(value_at(row), row_step, high, options.units);
    break;
  }
  std::size_t label_width = 0;
  for (const std::string& text : labels) label_width = std::max(label_width, display_width(text));

  // The y axis needs its labels, a space and the axis line; a very narrow chart keeps the bars.
  std::size_t gutter = label_width + 2;
  if (width < gutter + 1) {
    label_width = 0;
    gutter = width >= 2 ? 1 : 0;
  }
  const std::size_t plot_width = width - gutter;

  // One column per snapshot while they fit; beyond that a column stands for a run of snapshots
  // and shows the largest, so that a spike does not vanish between samples.
  const std::size_t columns = std::min(count, plot_width);
  std::vector<std::size_t> levels(columns);  // bar heights in eighths of a row
  const std::size_t full = height * 8;
  for (std::size_t c = 0; c < columns; ++c) {
    const std::size_t begin = c * count / columns;
    const std::size_t end = (c + 1) * count / columns;
    std::uint64_t largest = 0;
    for (std::size_t i = begin; i < end; ++i)
      largest = std::max(largest, snapshots[i].apparent_bytes);
    const double fraction = (static_cast<double>(largest) - low) / (high - low);
    const auto level = static_cast<std::size_t>(std::lround(std::max(0.0, fraction) * full));
    levels[c] = std::clamp<std::size_t>(level, 1, full);  // every snapshot leaves a mark
  }
  std::size_t bar_width = 1;
  std::size_t stride = 1;
  if (plot_width / columns >= 2) {
    bar_width = std::min<std::size_t>(plot_width / columns - 1, 6);
    stride = bar_width + 1;
  }
  const std::size_t used_width = columns * stride - (stride - bar_width);

  static constexpr std::array<std::string_view, 8> kBlocks{"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  std::string out;
  for (std::size_t row = 0; row < height; ++row) {
    std::string prefix;
    if (label_width > 0) prefix = pad_left(labels[row], label_width) + " ";
    if (gutter > 0) prefix += labels[row].empty() ? "│" : "┤";
    const std::size_t row_floor = (height - 1 - row) * 8;
    std::string bars;
    for (std::size_t c = 0; c < columns; ++c) {
      const std::size_t fill =
          levels[c] > row_floor ? std::min<std::size_t>(levels[c] - row_floor, 8) : 0;
      bars += repeat(fill == 0 ? " " : kBlocks[fill - 1], bar_width);
      if (c + 1 < columns) bars += std::string(stride - bar_width, ' ');
    }
    trim_trailing_spaces(bars);
    std::string line = prefix + style(kCyan, bars);
    trim_trailing_spaces(line);
    out += line + "\n";
  }
  if (gutter > 0) {
    std::string axis = label_width > 0 ? pad_left(labels[height], label_width) + " " : "";
    out += axis + "└" + repeat("─", used_width) + "\n";
  }

  // The first and last dates under the first and last bars, or on their own when that is cramped.
  const std::string first_date = date_of(snapshots.front().created_at);
  const std::string last_date = date_of(snapshots.back().created_at);
  std::string dates;
  if (first_date == last_date) {
    dates = first_date;
    if (gutter + display_width(dates) <= width) dates = std::string(gutter, ' ') + dates;
  } else if (display_width(first_date) + 1 + display_width(last_date) <= used_width &&
             gutter + used_width <= width) {
    const std::size_t gap = used_width - display_width(first_date) - display_width(last_date);
    dates = std::string(gutter, ' ') + first_date + std::string(gap, ' ') + last_date;
  } else {
    dates = first_date + " … " + last_date;
    if (display_width(dates) > width) dates = first_date;
  }
  out += truncate_to_width(dates, width) + "\n";

  out += truncate_to_width(history_summary(snapshots, options.units), width) + "\n";
  if (columns < count) {
    const std::string note = fmt::format("(each bar: the largest of about {} snapshots)",
                                         (count + columns - 1) / columns);
    out += style(kDim, truncate_to_width(note, width)) + "\n";
  }
  return out;
}

namespace {

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

}  // namespace

std::string render_history_svg(const std::vector<SnapshotSummary>& snapshots,
                               const std::string& title) {
  return history_svg(snapshots, title, true);
}

std::string render_history_html(const std::vector<SnapshotSummary>& snapshots,
                                const std::string& title) {
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<title>{}</title>\n",
      escape_xml(title));
  out += R"(<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       color: #1f2937; max-width: 960px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
p.summary { color: #4b5563; margin: 0 0 1rem; }
figure { margin: 0 0 1.5rem; }
figure svg { display: block; max-width: 100%; height: auto; border: 1px solid #e5e7eb; border-radius: 6px; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { padding: .4rem .6rem; border-bottom: 1px solid #e5e7eb; text-align: left; white-space: nowrap; }
th { background: #f9fafb; font-weight: 600; }
td.label { white-space: normal; overflow-wrap: anywhere; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
td.up { color: #b91c1c; }
td.down { color: #15803d; }
td.same { color: #6b7280; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em; }
</style>
</head>
<body>
)";
  out += fmt::format("<h1>{}</h1>\n", escape_xml(title));
  if (snapshots.empty()) {
    out += fmt::format("<p class=\"summary\">{}</p>\n</body>\n</html>\n", escape_xml(kNoSnapshots));
    return out;
  }

  std::string summary = escape_xml(history_summary(snapshots, SizeUnits::kDecimal));
  if (single_environment(snapshots) && !snapshots.front().environment.empty())
    summary += fmt::format(" · <code>{}</code>", escape_xml(snapshots.front().environment));
  summary += fmt::format(" · {} → {} UTC", escape_xml(date_time_of(snapshots.front().created_at)),
                         escape_xml(date_time_of(snapshots.back().created_at)));
  out += fmt::format("<p class=\"summary\">{}</p>\n", summary);
  out += "<figure>\n" + history_svg(snapshots, title, false) + "</figure>\n";

  const bool show_environment = !single_environment(snapshots);
  out +=
      "<div class=\"table-wrap\">\n<table>\n<thead>\n<tr><th>Date (UTC)</th><th "
      "class=\"num\">ID</th>";
  if (show_environment) out += "<th>Environment</th>";
  out +=
      "<th>Label</th><th class=\"num\">Total</th><th>Change</th><th class=\"num\">On disk</th>"
      "<th "
      "class=\"num\">Distributions</th><th>Commit</th><th>Branch</th></tr>\n</thead>\n<tbody>\n";
  const auto previous = previous_totals(snapshots);
  for (std::size_t i = 0; i < snapshots.size(); ++i) {
    const SnapshotSummary& snapshot = snapshots[i];
    std::string change_cell = "<td></td>";
    if (previous[i]) {
      const char* direction = snapshot.apparent_bytes > *previous[i]   ? "up"
                              : snapshot.apparent_bytes < *previous[i] ? "down"
                                                                       : "same";
      change_cell =
          fmt::format("<td class=\"{}\">{}</td>", direction,
                      escape_xml(format_size_change(*previous[i], snapshot.apparent_bytes)));
    }
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td>",
                       escape_xml(date_time_of(snapshot.created_at)), snapshot.id);
    if (show_environment) out += fmt::format("<td>{}</td>", escape_xml(snapshot.environment));
    out += fmt::format(
        "<td class=\"label\">{}</td><td class=\"num\">{}</td>{}<td class=\"num\">{}</td>"
        "<td class=\"num\">{}</td><td><code title=\"{}\">{}</code></td><td>{}</td></tr>\n",
        escape_xml(snapshot.label), escape_xml(format_size(snapshot.apparent_bytes)), change_cell,
        escape_xml(format_size(snapshot.disk_bytes)), format_count(snapshot.distributions),
        escape_xml(snapshot.git_commit), escape_xml(short_commit(snapshot.git_commit)),
        escape_xml(snapshot.git_branch));
  }
  out += "</tbody>\n</table>\n</div>\n</body>\n</html>\n";
  return out;
}

}  // namespace pkgsizer::report
