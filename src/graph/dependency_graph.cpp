#include "graph/dependency_graph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "graph/digraph.hpp"
#include "packaging/name.hpp"
#include "packaging/requirement.hpp"
#include "packaging/version.hpp"
#include "util/text.hpp"

namespace pkgsizer::graph {
namespace {

struct ParsedRequirement {
  packaging::Requirement requirement;
  std::string normalized_name;
};

// A requirement applies when its marker holds with no extra, or with one of the extras that
// dependents asked for (PEP 508: `extra` is only defined while installing that extra).
bool applies(const ParsedRequirement& parsed, packaging::MarkerEnvironment& environment,
             const std::set<std::string>& active_extras) {
  if (!parsed.requirement.marker) return true;
  environment.extras = active_extras;
  return parsed.requirement.marker->evaluate(environment);
}

// Depth of every node in the dominator tree (the root 0, unreachable nodes 0), each chain walked
// once: walking every node's chain to the root was quadratic on a 50,000-long dependency chain.
std::vector<std::size_t> dominator_depths(const std::vector<std::size_t>& idom, std::size_t root) {
  constexpr std::size_t kUnknown = static_cast<std::size_t>(-1);
  std::vector<std::size_t> depth(idom.size(), kUnknown);
  depth[root] = 0;
  std::vector<std::size_t> chain;
  for (std::size_t node = 0; node < idom.size(); ++node) {
    std::size_t at = node;
    while (depth[at] == kUnknown && idom[at] != kNoDominator) {
      chain.push_back(at);
      at = idom[at];
    }
    std::size_t known = depth[at] == kUnknown ? 0 : depth[at];
    if (depth[at] == kUnknown) depth[at] = 0;  // unreachable: no chain to the root
    for (auto each = chain.rbegin(); each != chain.rend(); ++each) depth[*each] = ++known;
    chain.clear();
  }
  return depth;
}

// Size of everything reachable from each node, each distribution once. A walk per node is
// quadratic on a long chain (50,000 distributions: 65 s), so the walk from a node stops at a
// node D of another component that is "closed": D dominates everything it reaches (the counts of
// its dominator subtree and of its reachable set agree). Every path into what D reaches then
// passes through D, so D's own total is added whole and nothing below it can be met again.
// Components are numbered in reverse topological order, so D is done before any node above it.
std::vector<std::uint64_t> cumulative_bytes(const std::vector<Distribution>& distributions,
                                            const Adjacency& successors,
                                            const std::vector<std::size_t>& component,
                                            const std::vector<std::size_t>& dominated_count) {
  const std::size_t n = distributions.size();
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return component[a] < component[b]; });
  std::vector<std::uint64_t> bytes(n, 0);
  std::vector<std::size_t> reached_count(n, 0);
  std::vector<bool> closed(n, false);
  std::vector<std::size_t> seen_in(n, static_cast<std::size_t>(-1));  // the walk that saw it
  std::vector<std::size_t> stack;
  for (const std::size_t start : order) {
    std::uint64_t total = 0;
    std::size_t count = 0;
    seen_in[start] = start;
    stack.assign(1, start);
    while (!stack.empty()) {
      const std::size_t node = stack.back();
      stack.pop_back();
      if (node != start && component[node] != component[start] && closed[node]) {
        total += bytes[node];
        count += reached_count[node];
        continue;
      }
      total += distributions[node].size.apparent_bytes;
      ++count;
      for (const std::size_t next : successors[node])
        if (seen_in[next] != start) {
          seen_in[next] = start;
          stack.push_back(next);
        }
    }
    bytes[start] = total;
    reached_count[start] = count;
    closed[start] = count == dominated_count[start];
  }
  return bytes;
}

}  // namespace

packaging::MarkerEnvironment marker_environment_of(const Environment& environment) {
  packaging::MarkerEnvironment markers = packaging::MarkerEnvironment::for_cpython(
      environment.python_version.empty() ? "3" : environment.python_version,
      environment.platform.empty() ? "linux-x86_64" : environment.platform);
  const auto set = [&](const char* name, std::string& field) {
    if (auto found = environment.markers.find(name); found != environment.markers.end())
      field = found->second;
  };
  set("implementation_name", markers.implementation_name);
  set("implementation_version", markers.implementation_version);
  set("os_name", markers.os_name);
  set("platform_machine", markers.platform_machine);
  set("platform_python_implementation", markers.platform_python_implementation);
  set("platform_release", markers.platform_release);
  set("platform_system", markers.platform_system);
  set("platform_version", markers.platform_version);
  set("python_full_version", markers.python_full_version);
  set("python_version", markers.python_version);
  set("sys_platform", markers.sys_platform);
  return markers;
}

void analyze_dependencies(std::vector<Distribution>& distributions, const Environment& environment,
                          std::vector<Problem>& problems) {
  const std::size_t n = distributions.size();
  std::unordered_map<std::string, std::size_t>
      by_name;  // the first of a name wins (own over inherited)
  for (std::size_t i = 0; i < n; ++i) by_name.try_emplace(distributions[i].normalized_name, i);

  // Parse every Requires-Dist once.
  std::vector<std::vector<ParsedRequirement>> parsed(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (const std::string& text : distributions[i].requires_dist) {
      try {
        packaging::Requirement requirement = packaging::Requirement::parse(text);
        std::string normalized = packaging::normalize_name(requirement.name);
        parsed[i].push_back({std::move(requirement), std::move(normalized)});
      } catch (const std::exception& error) {
        problems.push_back({Severity::kWarning, distributions[i].metadata_path,
                            fmt::format("{} {}: Requires-Dist '{}': {}", distributions[i].name,
                                        distributions[i].version, excerpt(text), error.what()),
                            ProblemKind::kRequirement});
      }
    }
  }

  // Follow extras to a fixed point: requiring `b[x]` activates b's `extra == "x"` requirements,
  // which may in turn activate extras of others.
  packaging::MarkerEnvironment markers = marker_environment_of(environment);
  std::vector<std::set<std::string>> active_extras(n);
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::size_t i = 0; i < n; ++i)
      for (const ParsedRequirement& requirement : parsed[i]) {
        if (requirement.requirement.extras.empty() ||
            !applies(requirement, markers, active_extras[i]))
          continue;
        const auto target = by_name.find(requirement.normalized_name);
        if (target == by_name.end()) continue;
        for (const std::string& extra : requirement.requirement.extras)
          changed |= active_extras[target->second].insert(packaging::normalize_name(extra)).second;
      }
  }

  // Edges, and problems with them.
  Adjacency successors(n);
  for (std::size_t i = 0; i < n; ++i) {
    Distribution& dist = distributions[i];
    dist.dependencies.clear();
    std::set<std::string> seen;  // one edge per target, even when several lines name it
    for (const ParsedRequirement& requirement : parsed[i]) {
      // `pkg[all]` requiring `pkg[a]` only switches on extras (done above): not an edge.
      if (requirement.normalized_name == dist.normalized_name) continue;
      if (!applies(requirement, markers, active_extras[i])) continue;
      Dependency edge;
      edge.requirement = requirement.requirement.str();
      edge.normalized_name = requirement.normalized_name;
      edge.extras.assign(requirement.requirement.extras.begin(),
                         requirement.requirement.extras.end());
      edge.specifier = requirement.requirement.specifier.str();
      const auto target = by_name.find(requirement.normalized_name);
      edge.installed = target != by_name.end();
      if (!edge.installed) {
        edge.satisfied = false;
        problems.push_back({Severity::kWarning, dist.metadata_path,
                            fmt::format("{} {} requires {}, which is not installed", dist.name,
                                        dist.version, edge.requirement),
                            ProblemKind::kMissing});
      } else {
        const Distribution& installed = distributions[target->second];
        edge.installed_version = installed.version;
        if (!requirement.requirement.specifier.empty()) {
          const auto version = packaging::Version::parse(installed.version);
          edge.satisfied = version && requirement.requirement.specifier.contains(*version, true);
          if (!edge.satisfied)
            problems.push_back(
                {Severity::kWarning, dist.metadata_path,
                 fmt::format("{} {} requires {}, but {} {} is installed", dist.name, dist.version,
                             edge.requirement, installed.name, installed.version),
                 ProblemKind::kVersion});
        }
        if (target->second != i && seen.insert(requirement.normalized_name).second)
          successors[i].push_back(target->second);
      }
      dist.dependencies.push_back(std::move(edge));
    }
  }
  for (Distribution& dist : distributions) dist.required_by.clear();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t target : successors[i])
      distributions[target].required_by.push_back(distributions[i].normalized_name);
  for (Distribution& dist : distributions)
    std::sort(dist.required_by.begin(), dist.required_by.end());

  // Cycles, and the roots: members of components that nothing outside requires, and REQUESTED.
  std::size_t component_count = 0;
  const std::vector<std::size_t> component =
      strongly_connected_components(successors, component_count);
  std::vector<std::vector<std::size_t>> members(component_count);
  std::vector<bool> component_required(component_count, false);
  for (std::size_t i = 0; i < n; ++i) {
    members[component[i]].push_back(i);
    for (std::size_t target : successors[i])
      if (component[target] != component[i]) component_required[component[target]] = true;
  }
  for (const auto& cycle : members) {
    if (cycle.size() < 2) continue;
    std::vector<std::string> names;
    names.reserve(cycle.size());
    for (std::size_t member : cycle) names.push_back(distributions[member].normalized_name);
    std::sort(names.begin(), names.end());
    problems.push_back({Severity::kWarning, distributions[cycle.front()].metadata_path,
                        fmt::format("dependency cycle among {}", fmt::join(names, ", ")),
                        ProblemKind::kCycle});
  }
  const std::size_t virtual_root = n;
  Adjacency rooted = successors;
  rooted.emplace_back();
  for (std::size_t i = 0; i < n; ++i) {
    Distribution& dist = distributions[i];
    dist.root = !component_required[component[i]] || dist.requested || dist.required_by.empty();
    if (dist.root) rooted[virtual_root].push_back(i);
  }

  // removal: the dominator subtree. cumulative: everything reachable, once each.
  const std::vector<std::size_t> idom = immediate_dominators(rooted, virtual_root);
  std::vector<std::uint64_t> removal(n + 1, 0);
  std::vector<std::size_t> dominated_count(n + 1, 0);  // nodes in each dominator subtree
  for (std::size_t i = 0; i < n; ++i) {
    removal[i] = distributions[i].size.apparent_bytes;
    dominated_count[i] = 1;
  }
  // Children before parents: deepest first in the dominator tree.
  const std::vector<std::size_t> depth = dominator_depths(idom, virtual_root);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < n; ++i)
    if (idom[i] != kNoDominator) order.push_back(i);
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return depth[a] > depth[b]; });
  for (std::size_t node : order)
    if (idom[node] != virtual_root) {
      removal[idom[node]] += removal[node];
      dominated_count[idom[node]] += dominated_count[node];
    }
  const std::vector<std::uint64_t> cumulative =
      cumulative_bytes(distributions, successors, component, dominated_count);
  for (std::size_t i = 0; i < n; ++i) distributions[i].cumulative_bytes = cumulative[i];
  for (std::size_t i = 0; i < n; ++i) distributions[i].removal_bytes = removal[i];
}

}  // namespace pkgsizer::graph
