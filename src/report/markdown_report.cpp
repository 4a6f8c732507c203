#include "report/markdown_report.hpp"

#include <fmt/format.h>

#include "report/table_report.hpp"
#include "report/view.hpp"
#include "util/text.hpp"

namespace pkgsizer::report {
std::string render_markdown(const Scan& scan, const RenderOptions& options) {
  const bool wheels = has_wheel_sizes(scan);
  std::string out =
      wheels ? "| Distribution | Version | Size | Files | Share | Wheel | Size/Wheel "
               "|\n|---|---|--:|--:|--:|--:|--:|\n"
             : "| Distribution | Version | Size | Files | Share |\n|---|---|--:|--:|--:|\n";
  for (const Distribution& dist : scan.distributions) {
    std::string name = escape_markup_cell(dist.name);
    if (dist.editable && options.mark_editable) name += " *(editable)*";
    if (dist.inherited) name += " *(inherited)*";
    out += fmt::format("| {} | {} | {} | {} | {} |", name, escape_markup_cell(dist.version),
                       format_size(dist.size.apparent_bytes, options.units),
                       format_count(dist.size.file_count),
                       format_share(dist.size.apparent_bytes, scan.totals.all.apparent_bytes));
    if (wheels)
      out += fmt::format(" {} | {} |", format_wheel_size(dist, options.units),
                         format_wheel_ratio(dist));
    out += "\n";
  }
  RenderOptions plain = options;
  plain.color = false;
  out += "\n" + render_summary(scan, plain) + "\n";
  std::string notes;
  for (const Distribution& dist : scan.distributions)
    if (dist.wheel && !dist.wheel->download_bytes)
      notes += fmt::format("- {} {}: {}\n", escape_markup_cell(dist.name),
                           escape_markup_cell(dist.version), escape_markup_cell(dist.wheel->note));
  if (!notes.empty()) out += "\nWheel —, size unknown:\n\n" + notes;
  return out;
}

}  // namespace pkgsizer::report
