// The self-contained HTML report (docs/html-report.md): one file with its own CSS, JavaScript
// and data, no network, opened from disk. Every view (scan-env, compare, track graph, recommend,
// import-time) is the same page shell: a view name and its data as JSON, which the
// embedded script lays out. Reports only lay out: the data is built from model values here.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "compare/scan_diff.hpp"
#include "model/model.hpp"
#include "recommend/render.hpp"
#include "report/diff_report.hpp"

namespace pkgsizer::report {

// One page: `view` chooses the layout in the script ("scan", "compare"; an unknown view shows
// the data's summary and a note), `data` is what it lays out.
struct HtmlPage {
  std::string title;
  std::string view;
  nlohmann::ordered_json data;
};

// The whole document. The data goes into <script type="application/json"> with every '<', '>'
// and '&' written as a \u escape, so no name from the environment can close the element or open
// a comment; the script reads it with JSON.parse and writes names only as text nodes.
std::string render_html_page(const HtmlPage& page);

// Nodes of a module tree smaller than this share of the scan's selected
// bytes are merged into one "(N smaller)" node per parent: it keeps the 2000-distribution
// synthetic tree's report near 0.5 MB (docs/html-report.md).
constexpr double kHtmlAggregateShare = 1.0 / 20000;

// The scan view's data: environment, totals, every distribution with its sizes, dependency
// edges and module tree (small nodes aggregated), and the part of each distribution outside its
// module tree (metadata, scripts) as its own node.
nlohmann::ordered_json scan_html_data(const Scan& scan);
std::string render_scan_html(const Scan& scan);

// compare: the diff's JSON (diff_to_json) as a page.
std::string render_diff_html(const compare::ScanDiff& diff, const DiffOptions& diff_options);

// recommend: the findings' JSON (recommend::to_json, docs/json-format.md) as a page.
std::string render_recommend_html(const recommend::Recommendations& result,
                                  const recommend::RenderContext& context);

}  // namespace pkgsizer::report
