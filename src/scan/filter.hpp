// Which distributions a report shows: -p/--package, --exclude and --include-editable.
#pragma once

#include <string>
#include <string_view>
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

// --exclude-files: files left out of every size, as if they were not there ("*.pyc",
// "tests/*", "__pycache__/*"). A pattern (fnmatch, '*' crosses '/') matches a path relative to
// the scanned directory, or any tail of it that starts at a '/': "tests/*" matches
// "numpy/tests/test_x.py", "*.pyc" every bytecode file.
struct FileExclusion {
  std::vector<std::string> globs;

  bool empty() const { return globs.empty(); }
  bool matches(std::string_view relative_path) const;
};

// Which distributions are shown: those the filter selects, plus (with packages and a
// dependency_depth) what they require down to that depth. Needs the dependency graph.
std::vector<bool> select_distributions(const std::vector<Distribution>& distributions,
                                       const DistributionFilter& filter);

}  // namespace pkgsizer::scan
