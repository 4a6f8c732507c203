// Views of an environment's size history for `pkgsizer track`: a table and a block chart for
// the terminal, a standalone SVG line chart and an HTML page (chart + table) to share or archive.
// Pure renderers: snapshots in (oldest first, as History::list returns them), text out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "report/render_options.hpp"
#include "store/history.hpp"

namespace pkgsizer::report {

// The change from one total to the next: "▲ +130 MB", "▼ −60.0 MB" (U+2212 minus), "= 0 B".
std::string format_size_change(std::uint64_t previous_bytes, std::uint64_t current_bytes,
                               SizeUnits units = SizeUnits::kDecimal);

// One line per snapshot under a header: date, id, label, total, change against the previous
// snapshot of the same environment, distributions, short git commit (when any snapshot has one),
// then a closing line with the change from first to last. Labels give way to options.width.
// No snapshots: a line that says so and how to take one.
std::string render_history_table(const std::vector<store::SnapshotSummary>& snapshots,
                                 const RenderOptions& options);

// A bar chart of block characters (▁▂▃▄▅▆▇█) with sizes on the y axis and the first and last
// dates under it, `height` rows of bars (0: 10), no line wider than `width` columns (0:
// options.width, and 80 when that is 0 too). More snapshots than columns: each column shows the
// largest of the snapshots it stands for.
std::string render_history_chart(const std::vector<store::SnapshotSummary>& snapshots,
                                 const RenderOptions& options, std::size_t width = 0,
                                 std::size_t height = 0);

// A standalone SVG document (900×400) of the totals as a line chart: size gridlines, dates on the
// x axis, one <circle> per snapshot whose <title> tooltip gives its label, date, size and change.
std::string render_history_svg(const std::vector<store::SnapshotSummary>& snapshots,
                               const std::string& title);

// A standalone HTML5 page (inline CSS, no scripts, no external resources): the SVG chart and a
// table of the snapshots.
std::string render_history_html(const std::vector<store::SnapshotSummary>& snapshots,
                                const std::string& title);

}  // namespace pkgsizer::report
