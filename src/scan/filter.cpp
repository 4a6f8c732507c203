#include "scan/filter.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <unordered_map>

#include "packaging/name.hpp"

namespace pkgsizer::scan {

bool DistributionFilter::selects(const Distribution& distribution) const {
  if (editable == EditableMode::kExclude && distribution.editable) return false;
  if (!packages.empty() &&
      std::none_of(packages.begin(), packages.end(), [&](const std::string& wanted) {
        return packaging::normalize_name(wanted) == distribution.normalized_name;
      }))
    return false;
  for (const std::string& pattern : exclude_globs) {
    // Patterns match the normalized name, or the name as written ("PyYAML", "zope.*").
    if (fnmatch(packaging::normalize_name(pattern).c_str(), distribution.normalized_name.c_str(),
                0) == 0 ||
        fnmatch(pattern.c_str(), distribution.name.c_str(), 0) == 0)
      return false;
  }
  return true;
}

bool FileExclusion::matches(std::string_view relative_path) const {
  const std::string path(relative_path);
  for (const std::string& glob : globs)
    for (std::size_t start = 0; start != std::string::npos;) {
      if (fnmatch(glob.c_str(), path.c_str() + start, 0) == 0) return true;
      const std::size_t slash = path.find('/', start);
      start = slash == std::string::npos ? slash : slash + 1;
    }
  return false;
}

std::vector<bool> select_distributions(const std::vector<Distribution>& distributions,
                                       const DistributionFilter& filter) {
  std::vector<bool> selected(distributions.size());
  for (std::size_t i = 0; i < distributions.size(); ++i)
    selected[i] = filter.selects(distributions[i]);
  if (filter.packages.empty() || filter.dependency_depth <= 0) return selected;
  std::unordered_map<std::string, std::size_t> by_name;
  for (std::size_t i = 0; i < distributions.size(); ++i)
    by_name.try_emplace(distributions[i].normalized_name, i);
  std::vector<std::size_t> frontier;
  for (std::size_t i = 0; i < distributions.size(); ++i)
    if (selected[i]) frontier.push_back(i);
  for (int level = 0; level < filter.dependency_depth && !frontier.empty(); ++level) {
    std::vector<std::size_t> next;
    for (std::size_t i : frontier)
      for (const Dependency& dependency : distributions[i].dependencies) {
        const auto found = by_name.find(dependency.normalized_name);
        if (found == by_name.end() || selected[found->second]) continue;
        // --exclude and --include-editable exclude still apply to what the depth pulls in.
        DistributionFilter without_packages = filter;
        without_packages.packages.clear();
        if (!without_packages.selects(distributions[found->second])) continue;
        selected[found->second] = true;
        next.push_back(found->second);
      }
    frontier = std::move(next);
  }
  return selected;
}

}  // namespace pkgsizer::scan
