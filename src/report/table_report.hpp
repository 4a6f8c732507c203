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

// --show-wheel-size: whether any distribution carries a wheel (the columns are shown then).
bool has_wheel_sizes(const Scan& scan);
// The wheel's download size, or "—" when unknown.
std::string format_wheel_size(const Distribution& dist, SizeUnits units);
// Installed bytes per wheel byte, "3.4×"; "—" when the wheel's size is unknown.
std::string format_wheel_ratio(const Distribution& dist);
// The notes under a table: one line per distribution whose wheel size is unknown, and why.
std::string render_wheel_notes(const Scan& scan);

}  // namespace pkgsizer::report
