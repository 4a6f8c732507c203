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

DependencyPaths dependency_paths(const std::vector<Distribution>& distributions, std::size_t target,
                                 std::size_t max_paths, std::size_t count_limit) {
  const auto by_name = index_by_name(distributions);
  DependencyPaths result;
  // Walk backwards from the target along required_by; a path ends at a root. Depth-first with
  // the current path marked, so cycles are cut.
  std::vector<std::size_t> path{target};
  std::vector<bool> on_path(distributions.size(), false);
  on_path[target] = true;
  std::vector<std::vector<std::size_t>> found;
  auto visit = [&](auto&& self, std::size_t node) -> void {
    if (result.total >= count_limit) {
      result.total_is_lower_bound = true;
      return;
    }
    const Distribution& dist = distributions[node];
    // A root ends a path (it was requested, or nothing requires it), yet what requires a
    // REQUESTED distribution is a reason too, so the walk goes on through it.
    if (dist.root) {
      ++result.total;
      found.emplace_back(path.rbegin(), path.rend());
    }
    for (const std::string& dependent : dist.required_by) {
      const auto it = by_name.find(dependent);
      if (it == by_name.end() || on_path[it->second]) continue;
      on_path[it->second] = true;
      path.push_back(it->second);
      self(self, it->second);
      path.pop_back();
      on_path[it->second] = false;
    }
  };
  visit(visit, target);
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
