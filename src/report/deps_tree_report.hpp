// The dependency tree as indented text: each distribution with its size and its cumulative
// size, every dependency expanded once (later mentions point back), cycles cut.
#pragma once

#include <string>
#include <vector>

#include "model/model.hpp"
#include "report/render_options.hpp"

namespace pkgsizer::report {

struct DependencyTreeOptions {
  std::vector<std::string> roots;  // normalized names; empty: every root of the graph
  int depth = 0;                   // 0: unlimited
  bool reverse = false;            // walk required_by instead of requires
};

std::string render_dependency_tree(const std::vector<Distribution>& distributions,
                                   const DependencyTreeOptions& tree, const RenderOptions& options);

// Dependency problems (missing, version, cycle, requirement) as a section for the table.
std::string render_dependency_problems(const std::vector<Problem>& problems,
                                       const RenderOptions& options);

}  // namespace pkgsizer::report
