// The human view of a scan: a table sorted as asked, optional module trees, a summary line.
#pragma once

#include <string>

#include "model/model.hpp"
#include "report/render_options.hpp"

namespace pkgsizer::report {

std::string render_table(const Scan& scan, const RenderOptions& options);

// The closing line: which environment was measured, then the selection's counts, the rows
// --top shows, and the rest of the tree: "/srv/.venv (venv, Python 3.11.7): 94 distributions ·
// 12,345 files · 460 MB · the 5 shown: 210 MB in 3,105 files · unowned 1.2 MB in 20 files · …".
std::string render_summary(const Scan& scan, const RenderOptions& options);

}  // namespace pkgsizer::report
