#include "graph/paths.hpp"

#include <algorithm>
#include <unordered_map>

#include "packaging/name.hpp"

namespace pkgsizer::graph {
namespace {

std::unordered_map<std::string, std::size_t> index_by_name(
    const std::vector<Distribution>& distributions) {
  std::unordered_map<std::string, std::size_t> by_name;
  for (std::size_t i = 0; i < distributions.size(); ++i)
    by_name.try_emplace(distributions[i].normalized_name, i);
  return by_name;
}

}  // namespace

std::size_t find_distribution(const std::vector<Distribution>& distributions,
                              const std::string& name) {
  const std::string normalized = packaging::normalize_name(name);
  for (std::size_t i = 0; i < distributions.size(); ++i)
    if (distributions[i].normalized_name == normalized) return i;
  return distributions.size();
}

namespace {

// required_by as indices: the edges the walk follows, looked up once.
std::vector<std::vector<std::size_t>> dependents_of(
    const std::vector<Distribution>& distributions) {
  const auto by_name = index_by_name(distributions);
  std::vector<std::vector<std::size_t>> dependents(distributions.size());
  for (std::size_t i = 0; i < distributions.size(); ++i)
    for (const std::string& dependent : distributions[i].required_by)
      if (const auto it = by_name.find(dependent); it != by_name.end())
        dependents[i].push_back(it->second);
  return dependents;
}

// The distributions from which some root can be reached along required_by: only those can
// continue a path. Without this, a cycle that no root requires (16 distributions all requiring
// each other) was walked through all its 16! orders.
std::vector<bool> leads_to_a_root(const std::vector<Distribution>& distributions,
                                  const std::vector<std::vector<std::size_t>>& dependents) {
  std::vector<std::vector<std::size_t>> required(distributions.size());
  for (std::size_t i = 0; i < dependents.size(); ++i)
    for (const std::size_t dependent : dependents[i]) required[dependent].push_back(i);
  std::vector<bool> leads(distributions.size(), false);
  std::vector<std::size_t> queue;
  for (std::size_t i = 0; i < distributions.size(); ++i)
    if (distributions[i].root) {
      leads[i] = true;
      queue.push_back(i);
    }
  for (std::size_t at = 0; at < queue.size(); ++at)
    for (const std::size_t next : required[queue[at]])
      if (!leads[next]) {
        leads[next] = true;
        queue.push_back(next);
      }
  return leads;
}

// One shortest path from a root to the target (breadth-first, root first), for when the walk
// stopped before it found one; empty when no root requires the target at all.
std::vector<std::size_t> shortest_path(const std::vector<Distribution>& distributions,
                                       const std::vector<std::vector<std::size_t>>& dependents,
                                       std::size_t target) {
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> parent(distributions.size(), kNone);
  parent[target] = target;
  std::vector<std::size_t> queue{target};
  for (std::size_t at = 0; at < queue.size(); ++at) {
    const std::size_t node = queue[at];
    if (distributions[node].root) {
      std::vector<std::size_t> path{node};
      for (std::size_t each = node; each != target; each = parent[each])
        path.push_back(parent[each]);
      return path;
    }
    for (const std::size_t next : dependents[node])
      if (parent[next] == kNone) {
        parent[next] = node;
        queue.push_back(next);
      }
  }
  return {};
}

}  // namespace

DependencyPaths dependency_paths(const std::vector<Distribution>& distributions, std::size_t target,
                                 std::size_t max_paths, std::size_t count_limit,
                                 std::size_t step_limit) {
  const std::vector<std::vector<std::size_t>> dependents = dependents_of(distributions);
  const std::vector<bool> leads = leads_to_a_root(distributions, dependents);
  DependencyPaths result;
  // Walk backwards from the target along required_by; a path ends at a root. Depth-first with
  // the current path marked, so cycles are cut; with an explicit stack, since a chain of 50,000
  // distributions is 50,000 levels deep. The number of simple paths grows factorially in a dense
  // graph, so the walk is bounded by steps as well as by paths found.
  struct Frame {
    std::size_t node;
    std::size_t next_edge = 0;
  };
  std::vector<Frame> stack;
  std::vector<bool> on_path(distributions.size(), false);
  std::vector<std::vector<std::size_t>> found;
  std::size_t steps = 0;
  auto enter = [&](std::size_t node) {
    on_path[node] = true;
    stack.push_back({node});
    // A root ends a path (it was requested, or nothing requires it), yet what requires a
    // REQUESTED distribution is a reason too, so the walk goes on through it.
    if (distributions[node].root) {
      ++result.total;
      std::vector<std::size_t>& path = found.emplace_back();
      for (auto frame = stack.rbegin(); frame != stack.rend(); ++frame) path.push_back(frame->node);
    }
  };
  if (leads[target]) enter(target);
  while (!stack.empty()) {
    if (result.total >= count_limit || ++steps > step_limit) {
      result.total_is_lower_bound = true;
      break;
    }
    Frame& frame = stack.back();
    const std::vector<std::size_t>& next = dependents[frame.node];
    if (frame.next_edge == next.size()) {
      on_path[frame.node] = false;
      stack.pop_back();
      continue;
    }
    const std::size_t dependent = next[frame.next_edge++];
    if (leads[dependent] && !on_path[dependent]) enter(dependent);
  }
  if (result.total_is_lower_bound) {
    // The shortest path must be among those shown, and the walk may not have reached it.
    std::vector<std::size_t> shortest = shortest_path(distributions, dependents, target);
    if (!shortest.empty() && std::find(found.begin(), found.end(), shortest) == found.end()) {
      found.push_back(std::move(shortest));
      ++result.total;
    }
  }
  std::stable_sort(found.begin(), found.end(),
                   [](const auto& a, const auto& b) { return a.size() < b.size(); });
  if (found.size() > max_paths) found.resize(max_paths);
  result.paths = std::move(found);
  return result;
}

std::vector<std::size_t> removal_set(const std::vector<Distribution>& distributions,
                                     std::size_t target) {
  const auto by_name = index_by_name(distributions);
  auto successors_of = [&](std::size_t node) {
    std::vector<std::size_t> next;
    for (const Dependency& dependency : distributions[node].dependencies)
      if (auto it = by_name.find(dependency.normalized_name); it != by_name.end())
        next.push_back(it->second);
    return next;
  };
  // What the other roots keep installed, never passing through the target.
  std::vector<bool> kept(distributions.size(), false);
  std::vector<std::size_t> queue;
  for (std::size_t i = 0; i < distributions.size(); ++i)
    if (distributions[i].root && i != target) {
      kept[i] = true;
      queue.push_back(i);
    }
  for (std::size_t at = 0; at < queue.size(); ++at)
    for (std::size_t next : successors_of(queue[at]))
      if (next != target && !kept[next]) {
        kept[next] = true;
        queue.push_back(next);
      }
  std::vector<std::size_t> freed{target};
  std::vector<bool> seen(distributions.size(), false);
  seen[target] = true;
  for (std::size_t at = 0; at < freed.size(); ++at)
    for (std::size_t next : successors_of(freed[at]))
      if (!seen[next] && !kept[next]) {
        seen[next] = true;
        freed.push_back(next);
      }
  return freed;
}

}  // namespace pkgsizer::graph
