// `pkgsizer import-time --html FILE`: one self-contained page (no script, no CDN, no external
// resource) with an icicle of the import tree in inline SVG — each module a bar as wide as its
// cumulative time, its children below it in import order, coloured by distribution — and the
// per-distribution table. Its own file so that a shared HTML report can embed the SVG later.
#pragma once

#include <string>

#include "importtime/profile.hpp"

namespace pkgsizer::report {

// The icicle alone: an <svg> element.
std::string import_time_icicle_svg(const importtime::ImportProfile& profile);

// The whole page.
std::string render_import_time_html(const importtime::ImportProfile& profile);

}  // namespace pkgsizer::report
