// `pkgsizer docker`'s views of an image analysis: a table, Markdown, and JSON (a scan of the
// final image's distributions with an "image" member: docs/json-format.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "docker/analysis.hpp"
#include "report/render_options.hpp"

namespace pkgsizer::report {

std::string render_image_table(const docker::ImageAnalysis& analysis, const RenderOptions& options,
                               std::size_t top_distributions);
std::string render_image_markdown(const docker::ImageAnalysis& analysis,
                                  const RenderOptions& options, std::size_t top_distributions);
nlohmann::ordered_json image_to_json(const docker::ImageAnalysis& analysis);

}  // namespace pkgsizer::report
