// The scan as a GitHub-flavoured Markdown table, ready for a PR comment or a job summary.
#pragma once

#include <string>

#include "model/model.hpp"
#include "report/render_options.hpp"

namespace pkgsizer::report {

std::string render_markdown(const Scan& scan, const RenderOptions& options);

}  // namespace pkgsizer::report
