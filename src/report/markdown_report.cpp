#include "report/markdown_report.hpp"

#include <fmt/format.h>

#include "report/table_report.hpp"
#include "report/view.hpp"
#include "util/text.hpp"

namespace pkgsizer::report {
std::string render_markdown(const Scan& scan, const RenderOptions& options) {
  std::string out = "| Distribution | Version | Size | Files | Share |\n|---|---|--:|--:|--:|\n";
  for (const Distribution& dist : scan.distributions) {
    std::string name = escape_markup_cell(dist.name);
    if (dist.editable && options.mark_editable) name += " *(editable)*";
    if (dist.inherited) name += " *(inherited)*";
    out += fmt::format("| {} | {} | {} | {} | {} |\n", name, escape_markup_cell(dist.version),
                       format_size(dist.size.apparent_bytes, options.units),
                       format_count(dist.size.file_count),
                       format_share(dist.size.apparent_bytes, scan.totals.all.apparent_bytes));
  }
  RenderOptions plain = options;
  plain.color = false;
  out += "\n" + render_summary(scan, plain) + "\n";
  return out;
}

}  // namespace pkgsizer::report
