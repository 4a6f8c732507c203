#include "scan/filter.hpp"

#include <fnmatch.h>

#include <algorithm>

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
    if (fnmatch(packaging::normalize_name(pattern).c_str(), distribution.normalized_name.c_str(), 0) == 0 ||
        fnmatch(pattern.c_str(), distribution.name.c_str(), 0) == 0)
      return false;
  }
  return true;
}

}  // namespace pkgsizer::scan
