// A size badge for a README: a standalone shields.io-style SVG ("flat" style, two parts), the
// label on the left and on the right the newest snapshot's total with its change against the
// snapshot of the same environment before it ("142 MB ▲ +3.10 MB").
#pragma once

#include <string>
#include <vector>

#include "report/render_options.hpp"
#include "store/history.hpp"

namespace pkgsizer::report {

// The badge's right-hand text: "142 MB ▲ +3.10 MB", "142 MB" for a first snapshot, "no data".
std::string badge_value(const std::vector<store::SnapshotSummary>& snapshots, SizeUnits units);

// The SVG document. Colours: green when the total did not grow, orange when it grew, grey
// without snapshots. Every text is XML-escaped.
std::string render_badge_svg(const std::vector<store::SnapshotSummary>& snapshots,
                             const std::string& label, SizeUnits units = SizeUnits::kDecimal);

}  // namespace pkgsizer::report
