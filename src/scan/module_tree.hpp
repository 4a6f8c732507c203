// A distribution's import tree (packages, PEP 420 namespace packages, modules, extension
// modules) with the bytes beneath each node, built from the files it owns.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace pkgsizer::scan {

struct OwnedFile {
  std::string path;  // relative to site-packages
  Size size;
};

// `depth` 1 gives top-level names only. `is_file` tells whether a path exists in the tree,
// which decides package (has __init__.py) versus namespace package (PEP 420).
// Files of the distribution's own metadata directory are left out.
std::vector<ModuleNode> build_module_tree(const std::vector<OwnedFile>& files, int depth,
                                          const std::string& metadata_entry,
                                          const std::function<bool(const std::string&)>& is_file);

}  // namespace pkgsizer::scan
