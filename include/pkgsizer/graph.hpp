// pkgsizer's public interface: the dependency graph of a scan — why a distribution is
// installed (pkgsizer::graph::dependency_paths) and what removing it frees (removal_set). A
// scan from pkgsizer/scan.hpp already carries each distribution's edges and sizes.
#pragma once

#include "graph/dependency_graph.hpp"  // IWYU pragma: export
#include "graph/paths.hpp"             // IWYU pragma: export
#include "pkgsizer/model.hpp"
