// Which distributions a report shows: -p/--package, --exclude and --include-editable.
#pragma once

#include <string>
#include <vector>

#include "model/model.hpp"

namespace pkgsizer::scan {

enum class EditableMode { kMark, kInclude, kExclude };

struct DistributionFilter {
  std::vector<std::string> packages;       // shown only these (PEP 503-normalized); empty: all
  std::vector<std::string> exclude_globs;  // fnmatch patterns on the normalized name
  EditableMode editable = EditableMode::kMark;
  // With `packages`: also show their dependencies this many levels down (--depth N).
  int dependency_depth = 0;

  bool selects(const Distribution& distribution) const;
};

// Which distributions are shown: those the filter selects, plus (with packages and a
// dependency_depth) what they require down to that depth. Needs the dependency graph.
std::vector<bool> select_distributions(const std::vector<Distribution>& distributions,
                                       const DistributionFilter& filter);

}  // namespace pkgsizer::scan
