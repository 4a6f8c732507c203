// `pkgsizer why PKG`: why a distribution is installed, and whether it can go.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "graph/paths.hpp"
#include "model/model.hpp"
#include "report/render_options.hpp"

namespace pkgsizer::report {

struct WhyAnswer {
  std::size_t target = 0;
  graph::DependencyPaths paths;
  std::vector<std::size_t> freed;  // what uninstalling it frees, when nothing requires it
};

std::string render_why(const std::vector<Distribution>& distributions, const WhyAnswer& answer,
                       const RenderOptions& options);
nlohmann::ordered_json why_to_json(const std::vector<Distribution>& distributions,
                                   const WhyAnswer& answer);

}  // namespace pkgsizer::report
