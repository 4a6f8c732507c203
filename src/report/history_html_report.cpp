// The history as a standalone HTML page: the SVG chart and a table of the snapshots.
#include <fmt/format.h>

#include "report/history_common.hpp"
#include "report/history_report.hpp"
#include "util/xml_escape.hpp"

namespace pkgsizer::report {

using namespace history_detail;

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
@media (prefers-color-scheme: dark) {
  body { background: #111827; color: #e5e7eb; }
  p.summary, td.same { color: #9ca3af; }
  th { background: #1f2937; }
  th, td, figure svg { border-color: #374151; }
  td.up { color: #f87171; }
  td.down { color: #4ade80; }
}
@media print {
  body { max-width: none; margin: 0; background: #fff; color: #000; }
  .table-wrap { overflow: visible; }
  figure, tr { page-break-inside: avoid; }
}
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
