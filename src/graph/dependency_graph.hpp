// The dependency graph of a scan: edges from Requires-Dist (markers evaluated for the target
// environment, extras followed), and what each distribution costs with its dependencies.
#pragma once

#include "model/model.hpp"
#include "packaging/marker.hpp"

namespace pkgsizer::graph {

// The marker values of the scanned environment: its interpreter's when it was asked, otherwise
// inferred from the Python version and platform of the layout.
packaging::MarkerEnvironment marker_environment_of(const Environment& environment);

// Fills requires, required_by, root, cumulative_bytes and removal_bytes of every distribution,
// and appends dependency problems (missing, version, cycle, requirement) to scan.problems.
//
// removal_bytes comes from the dominator tree of the graph rooted at a virtual node that points
// to every root (nothing requires it, or it was REQUESTED, or it is in a cycle nothing outside
// requires): a distribution dominates exactly the ones that only it keeps installed.
void analyze_dependencies(std::vector<Distribution>& distributions, const Environment& environment,
                          std::vector<Problem>& problems);

}  // namespace pkgsizer::graph
