#include "graph/dependency_graph.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "graph/digraph.hpp"
#include "packaging/name.hpp"
#include "packaging/requirement.hpp"
#include "packaging/version.hpp"

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
        problems.push_back({"warning", distributions[i].metadata_path,
                            fmt::format("{} {}: Requires-Dist '{}': {}", distributions[i].name,
                                        distributions[i].version, text, error.what()),
                            "requirement"});
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
        problems.push_back({"warning", dist.metadata_path,
                            fmt::format("{} {} requires {}, which is not installed", dist.name,
                                        dist.version, edge.requirement),
                            "missing"});
      } else {
        const Distribution& installed = distributions[target->second];
        edge.installed_version = installed.version;
        if (!requirement.requirement.specifier.empty()) {
          const auto version = packaging::Version::parse(installed.version);
          edge.satisfied = version && requirement.requirement.specifier.contains(*version, true);
          if (!edge.satisfied)
            problems.push_back(
                {"warning", dist.metadata_path,
                 fmt::format("{} {} requires {}, but {} {} is installed", dist.name, dist.version,
                             edge.requirement, installed.name, installed.version),
                 "version"});
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
    problems.push_back({"warning", distributions[cycle.front()].metadata_path,
                        fmt::format("dependency cycle among {}", fmt::join(names, ", ")), "cycle"});
  }
  const std::size_t virtual_root = n;
  Adjacency rooted = successors;
  rooted.emplace_back();
  for (std::size_t i = 0; i < n; ++i) {
    Distribution& dist = distributions[i];
    dist.root = !component_required[component[i]] || dist.requested || dist.required_by.empty();
    if (dist.root) rooted[virtual_root].push_back(i);
  }

  // cumulative: everything reachable, once each. removal: the dominator subtree.
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t bytes = 0;
    for (std::size_t reached : reachable_from(successors, i))
      bytes += distributions[reached].size.apparent_bytes;
    distributions[i].cumulative_bytes = bytes;
  }
  const std::vector<std::size_t> idom = immediate_dominators(rooted, virtual_root);
  std::vector<std::uint64_t> removal(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) removal[i] = distributions[i].size.apparent_bytes;
  // Children before parents: walk each node's dominator chain once in depth order.
  std::vector<std::size_t> depth(n + 1, 0);
  auto depth_of = [&](std::size_t node) {
    std::size_t d = 0;
    for (std::size_t at = node; at != virtual_root && idom[at] != kNoDominator; at = idom[at]) ++d;
    return d;
  };
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < n; ++i)
    if (idom[i] != kNoDominator) {
      depth[i] = depth_of(i);
      order.push_back(i);
    }
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return depth[a] > depth[b]; });
  for (std::size_t node : order)
    if (idom[node] != virtual_root) removal[idom[node]] += removal[node];
  for (std::size_t i = 0; i < n; ++i) distributions[i].removal_bytes = removal[i];
}

}  // namespace pkgsizer::graph
