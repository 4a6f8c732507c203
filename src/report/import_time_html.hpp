// `pkgsizer import-time --html FILE`: the shared HTML page shell (html_report.hpp: one
// self-contained file, the same header, summary cards, light/dark and print styles) with the
// "import-time" view: an icicle of the import tree — each module a bar as wide as its cumulative
// time, the modules it imported below it in import order, coloured by distribution — and the
// per-distribution table.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "importtime/profile.hpp"

namespace pkgsizer::report {

// The view's data: the profile's summary and distributions (as profile_to_json writes them),
// and the icicle laid out: {"width", "rows", "bars": [[x, depth, width, name, distribution,
// cumulative_us, self_us], ...]} in import order, bars under half a unit wide left out.
nlohmann::ordered_json import_time_html_data(const importtime::ImportProfile& profile);

// The whole page.
std::string render_import_time_html(const importtime::ImportProfile& profile);

}  // namespace pkgsizer::report
