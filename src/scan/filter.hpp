// Which distributions a report shows: -p/--package, --exclude and --include-editable.
#pragma once

#include <string>
#include <vector>

#include "scan/model.hpp"

namespace pkgsizer::scan {

enum class EditableMode { kMark, kInclude, kExclude };

struct DistributionFilter {
  std::vector<std::string> packages;       // shown only these (PEP 503-normalized); empty: all
  std::vector<std::string> exclude_globs;  // fnmatch patterns on the normalized name
  EditableMode editable = EditableMode::kMark;

  bool selects(const Distribution& distribution) const;
};

}  // namespace pkgsizer::scan
