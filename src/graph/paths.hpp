// Questions about one distribution's place in the dependency graph, for `pkgsizer why`:
// the paths from roots that keep it installed, and what uninstalling it would free.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace pkgsizer::graph {

struct DependencyPaths {
  std::vector<std::vector<std::size_t>>
      paths;                          // root first, the target last; indices into distributions
  std::size_t total = 0;              // all paths found (up to the count limit)
  bool total_is_lower_bound = false;  // counting stopped at the limit
};

// Every simple path from a root (Distribution::root) to `target` along `requires` edges, the
// first `max_paths` kept, shortest first. Counting stops at `count_limit` paths or after
// `step_limit` edges walked (a dense graph has factorially many paths; docs/security.md), and
// then the total is a lower bound, and one shortest path is among those kept all the same.
DependencyPaths dependency_paths(const std::vector<Distribution>& distributions, std::size_t target,
                                 std::size_t max_paths, std::size_t count_limit = 100000,
                                 std::size_t step_limit = 2000000);

// What uninstalling `target` frees: it, and every distribution that only it keeps installed
// (reachable from it, and from no other root without passing through it). Target first.
std::vector<std::size_t> removal_set(const std::vector<Distribution>& distributions,
                                     std::size_t target);

// Index of the distribution with this (PEP 503-normalized) name, or distributions.size().
std::size_t find_distribution(const std::vector<Distribution>& distributions,
                              const std::string& name);

}  // namespace pkgsizer::graph
