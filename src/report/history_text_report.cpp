// The terminal views of the history: the table and the block chart.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string_view>

#include "report/ansi_style.hpp"
#include "report/history_common.hpp"
#include "report/history_report.hpp"
#include "util/text.hpp"

namespace pkgsizer::report {
namespace {

using namespace history_detail;

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
  // A bar's height is read against zero unless told otherwise: say so when the axis is cut.
  if (low > 0) {
    const std::string note = fmt::format("(the y axis starts at {}, not at zero)", labels[height]);
    out += style(kDim, truncate_to_width(note, width)) + "\n";
  }
  if (columns < count) {
    const std::string note = fmt::format("(each bar: the largest of about {} snapshots)",
                                         (count + columns - 1) / columns);
    out += style(kDim, truncate_to_width(note, width)) + "\n";
  }
  return out;
}

}  // namespace pkgsizer::report
