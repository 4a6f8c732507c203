// Directed graphs over node indices 0..n-1, and the algorithms the dependency views need:
// strongly connected components (cycles), reachability, and dominators (what removal frees).
#pragma once

#include <cstddef>
#include <vector>

namespace pkgsizer::graph {

using Adjacency = std::vector<std::vector<std::size_t>>;

// Tarjan's algorithm. Returns the component index of every node; components are numbered in
// reverse topological order (a component's successors have smaller numbers).
std::vector<std::size_t> strongly_connected_components(const Adjacency& successors,
                                                       std::size_t& component_count);

// Every node reachable from `start`, `start` included, in visiting order.
std::vector<std::size_t> reachable_from(const Adjacency& successors, std::size_t start);

// Immediate dominators of every node reachable from `root` (Cooper, Harvey & Kennedy, "A Simple,
// Fast Dominance Algorithm", 2001). idom[root] == root; unreachable nodes get `kNoDominator`.
inline constexpr std::size_t kNoDominator = static_cast<std::size_t>(-1);
std::vector<std::size_t> immediate_dominators(const Adjacency& successors, std::size_t root);

}  // namespace pkgsizer::graph
