#include "scan/components.hpp"

#include <algorithm>
#include <utility>

namespace pkgsizer::scan {
std::vector<std::int32_t> Components::number(
    std::vector<ScanComponent>& components,
    const std::function<bool(int, std::string_view)>& listed) {
  std::vector<std::int32_t> of_set(parent_.size(), -1), of_node(parent_.size(), -1);
  for (std::size_t root = 0; root < entry_nodes_.size(); ++root) {
    std::vector<std::pair<std::string_view, int>> sorted(entry_nodes_[root].begin(),
                                                         entry_nodes_[root].end());
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [name, node] : sorted) {
      std::int32_t& component = of_set[find(node)];
      if (component < 0) {
        component = static_cast<std::int32_t>(components.size());
        components.emplace_back();
      }
      of_node[node] = component;
      auto& list = listed(static_cast<int>(root), name) ? components[component].entries
                                                        : components[component].absent_entries;
      list.emplace_back(static_cast<std::uint32_t>(root), std::string(name));
    }
  }
  for (const auto& [file, node] : outside_nodes_) {
    std::int32_t& component = of_set[find(node)];
    if (component < 0) {  // cannot happen: an outside file is there because it was claimed
      component = static_cast<std::int32_t>(components.size());
      components.emplace_back();
    }
    of_node[node] = component;
  }
  return of_node;
}

std::int32_t component_of_path(
    const std::vector<std::string>& roots,
    const std::vector<std::unordered_map<std::string, std::int32_t>>& entry_components,
    const std::string& path) {
  for (std::size_t root = 0; root < roots.size(); ++root) {
    const std::string& prefix = roots[root];
    if (path.size() <= prefix.size() + 1 || path.compare(0, prefix.size(), prefix) != 0 ||
        path[prefix.size()] != '/')
      continue;
    const auto found =
        entry_components[root].find(std::string(top_entry_of(path.substr(prefix.size() + 1))));
    if (found != entry_components[root].end()) return found->second;
  }
  return ScanParts::kWholeScan;
}

}  // namespace pkgsizer::scan
