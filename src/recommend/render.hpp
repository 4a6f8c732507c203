// The three views of recommend's findings: a table grouped by kind for the terminal, JSON
// (docs/json-format.md, "recommend"), and Markdown for a pull request.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "recommend/recommend.hpp"
#include "util/size_units.hpp"

namespace pkgsizer::recommend {

struct RenderContext {
  std::string environment;  // the prefix or site-packages shown in the heading
  std::string python_version;
  SizeUnits units = SizeUnits::kDecimal;
};

std::string render_table(const Recommendations& result, const RenderContext& context);
std::string render_markdown(const Recommendations& result, const RenderContext& context);
nlohmann::ordered_json to_json(const Recommendations& result, const RenderContext& context);

}  // namespace pkgsizer::recommend
