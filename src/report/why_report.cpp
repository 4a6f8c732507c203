#include "report/why_report.hpp"

#include <fmt/format.h>

#include "util/text.hpp"

namespace pkgsizer::report {
namespace {

std::uint64_t bytes_of(const std::vector<Distribution>& distributions,
                       const std::vector<std::size_t>& indices) {
  std::uint64_t bytes = 0;
  for (std::size_t index : indices) bytes += distributions[index].size.apparent_bytes;
  return bytes;
}

}  // namespace

std::string render_why(const std::vector<Distribution>& distributions, const WhyAnswer& answer,
                       const RenderOptions& options) {
  const Distribution& target = distributions[answer.target];
  auto size = [&](std::uint64_t bytes) { return format_size(bytes, options.units); };
  auto bold = [&](const std::string& text) {
    return options.color ? "\033[1m" + text + "\033[0m" : text;
  };
  std::string out = fmt::format("{} {}: {} (with its dependencies {})\n",
                                bold(printable(target.name)), printable(target.version),
                                size(target.size.apparent_bytes), size(target.cumulative_bytes));
  if (target.required_by.empty()) {
    out += target.requested ? "Installed on request (REQUESTED), and nothing requires it.\n"
                            : "Nothing requires it: it was installed directly.\n";
  } else {
    out += fmt::format("Installed because of {} dependency path{}{}:\n", answer.paths.total,
                       answer.paths.total == 1 ? "" : "s",
                       answer.paths.total_is_lower_bound ? " or more" : "");
    std::size_t number = 0;
    for (const auto& path : answer.paths.paths) {
      std::string line;
      for (std::size_t step = 0; step < path.size(); ++step) {
        const Distribution& dist = distributions[path[step]];
        if (step > 0) line += " → ";
        line += fmt::format("{} ({})", printable(dist.name), size(dist.size.apparent_bytes));
      }
      out += fmt::format("  {:>2}. {}\n", ++number, line);
    }
    if (answer.paths.total > answer.paths.paths.size())
      out += fmt::format("      … and {} more (--max-paths to see them)\n",
                         answer.paths.total - answer.paths.paths.size());
  }
  out += "\nCan I remove it? ";
  if (!target.required_by.empty()) {
    out += fmt::format("Not without breaking what requires it: {}.\n",
                       printable(fmt::format("{}", fmt::join(target.required_by, ", "))));
    return out;
  }
  std::vector<std::string> names;
  for (std::size_t i = 1; i < answer.freed.size(); ++i)
    names.push_back(printable(distributions[answer.freed[i]].name));
  out += fmt::format("Yes. Uninstalling it frees {}", size(bytes_of(distributions, answer.freed)));
  out += names.empty() ? ".\n"
                       : fmt::format(", with the dependencies nothing else needs: {}.\n",
                                     fmt::join(names, ", "));
  return out;
}

nlohmann::ordered_json why_to_json(const std::vector<Distribution>& distributions,
                                   const WhyAnswer& answer) {
  const Distribution& target = distributions[answer.target];
  nlohmann::ordered_json paths = nlohmann::ordered_json::array();
  for (const auto& path : answer.paths.paths) {
    nlohmann::ordered_json steps = nlohmann::ordered_json::array();
    for (std::size_t index : path)
      steps.push_back({{"name", distributions[index].name},
                       {"normalized_name", distributions[index].normalized_name},
                       {"version", distributions[index].version},
                       {"apparent_bytes", distributions[index].size.apparent_bytes}});
    paths.push_back(std::move(steps));
  }
  nlohmann::ordered_json freed = nlohmann::ordered_json::array();
  if (target.removable())
    for (std::size_t index : answer.freed) freed.push_back(distributions[index].normalized_name);
  return {{"schema_version", 1},
          {"name", target.name},
          {"normalized_name", target.normalized_name},
          {"version", target.version},
          {"apparent_bytes", target.size.apparent_bytes},
          {"cumulative_bytes", target.cumulative_bytes},
          {"removal_bytes", target.removable() ? nlohmann::ordered_json(target.removal_bytes)
                                               : nlohmann::ordered_json(nullptr)},
          {"requested", target.requested},
          {"required_by", target.required_by},
          {"paths", std::move(paths)},
          {"paths_total", answer.paths.total},
          {"paths_total_is_lower_bound", answer.paths.total_is_lower_bound},
          {"removable", target.removable()},
          {"freed", std::move(freed)},
          {"freed_bytes", target.removable()
                              ? nlohmann::ordered_json(bytes_of(distributions, answer.freed))
                              : nlohmann::ordered_json(nullptr)}};
}

}  // namespace pkgsizer::report
