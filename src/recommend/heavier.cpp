// Kind "heavier": a curated lighter alternative (data/alternatives.toml, compiled in), and
// extras ("pkg[all]") that pulled in optional dependencies.
#include <fmt/format.h>
#include <toml++/toml.h>

#include <map>

#include "graph/dependency_graph.hpp"
#include "packaging/name.hpp"
#include "packaging/requirement.hpp"
#include "recommend/alternatives.hpp"
#include "recommend/context.hpp"

namespace pkgsizer::recommend {
namespace {

std::map<std::string, std::size_t> index_by_name(const Scan& scan) {
  std::map<std::string, std::size_t> by_name;
  for (std::size_t i = 0; i < scan.distributions.size(); ++i)
    if (!scan.distributions[i].inherited) by_name.emplace(scan.distributions[i].normalized_name, i);
  return by_name;
}

void alternatives(Context& context, Recommendations& out) {
  const Scan& scan = context.scan;
  const auto by_name = index_by_name(scan);
  for (const Alternative& entry : curated_alternatives()) {
    const auto it = by_name.find(entry.package);
    if (it == by_name.end() || context.removed.count(it->second) > 0) continue;
    if (!entry.when_installed.empty() &&
        std::none_of(entry.when_installed.begin(), entry.when_installed.end(),
                     [&](const std::string& name) { return by_name.count(name) > 0; }))
      continue;
    const Distribution& dist = scan.distributions[it->second];
    Finding finding;
    finding.kind = FindingKind::kHeavier;
    finding.certainty = Certainty::kCheck;
    finding.distributions = {dist.name};
    finding.title = fmt::format("{} -> {}", dist.name, entry.alternative);
    finding.evidence.push_back(entry.why);
    finding.evidence.push_back(fmt::format("source: {} (checked {})", entry.source, entry.date));
    finding.evidence.push_back(fmt::format("{} {} is installed: {} bytes", dist.name, dist.version,
                                           dist.size.apparent_bytes));
    if (entry.predict && context.options.alternative_size) {
      if (const auto predicted = context.options.alternative_size(entry.alternative)) {
        const std::uint64_t saved =
            dist.size.apparent_bytes > *predicted ? dist.size.apparent_bytes - *predicted : 0;
        // The prediction is of apparent bytes; the disk saving is not known.
        finding.bytes = Size{saved, 0, 0};
        finding.evidence.push_back(fmt::format("{} would install {} bytes (pkgsizer predict)",
                                               entry.alternative, *predicted));
      } else {
        finding.evidence.push_back(fmt::format("{}: size not predicted", entry.alternative));
      }
    } else if (entry.predict) {
      finding.evidence.push_back("run with --predict to size the alternative");
    }
    finding.action =
        fmt::format("pip uninstall -y {} && pip install '{}'", dist.name, entry.alternative);
    out.findings.push_back(std::move(finding));
  }
}

void extras(Context& context, Recommendations& out) {
  if (!context.options.project) return;
  const Scan& scan = context.scan;
  const auto by_name = index_by_name(scan);
  for (const DeclaredDependency& declared : context.options.project->declared) {
    const auto it = by_name.find(declared.normalized_name);
    if (it == by_name.end() || declared.extras.empty()) continue;
    const Distribution& dist = scan.distributions[it->second];
    for (const std::string& extra : declared.extras) {
      const std::vector<std::size_t> pulled = pulled_by_extra(scan, dist, extra, by_name);
      if (pulled.empty()) continue;
      Finding finding;
      finding.kind = FindingKind::kHeavier;
      finding.certainty = Certainty::kCheck;
      finding.distributions = {dist.name};
      std::vector<std::string> names;
      Size size;
      for (const std::size_t j : pulled) {
        names.push_back(scan.distributions[j].name);
        // Only what nothing else requires goes when the extra goes. (The graph follows an
        // extra only when an installed distribution asks for it: one the project asks for
        // leaves its targets with no dependent at all.)
        const std::vector<std::string>& dependents = scan.distributions[j].required_by;
        if (dependents.empty() ||
            (dependents.size() == 1 && dependents.front() == dist.normalized_name))
          size += scan.distributions[j].size;
      }
      finding.bytes = size;
      finding.title = fmt::format("{}[{}] pulls in {}", dist.name, extra, fmt::join(names, ", "));
      finding.evidence.push_back(
          fmt::format("declared as {} at {}", declared.requirement, declared.where));
      finding.evidence.push_back(
          fmt::format("bytes: those of them that nothing but {} requires", dist.name));
      finding.action = fmt::format("declare {} without [{}] if the program does not use it at {}",
                                   dist.name, extra, declared.where);
      out.findings.push_back(std::move(finding));
    }
  }
}

}  // namespace

// The installed distributions that `dist`'s Requires-Dist pulls in only for `extra`.
std::vector<std::size_t> pulled_by_extra(const Scan& scan, const Distribution& dist,
                                         const std::string& extra,
                                         const std::map<std::string, std::size_t>& by_name) {
  packaging::MarkerEnvironment with = graph::marker_environment_of(scan.environment);
  packaging::MarkerEnvironment without = with;
  with.extras = {extra};
  std::vector<std::size_t> pulled;
  for (const std::string& line : dist.requires_dist) {
    try {
      const packaging::Requirement requirement = packaging::Requirement::parse(line);
      if (!requirement.marker || !requirement.marker->evaluate(with) ||
          requirement.marker->evaluate(without))
        continue;
      const auto it = by_name.find(packaging::normalize_name(requirement.name));
      if (it != by_name.end()) pulled.push_back(it->second);
    } catch (const std::exception&) {
      continue;  // the scan reports bad Requires-Dist lines already
    }
  }
  return pulled;
}

void find_heavier(Context& context, Recommendations& out) {
  alternatives(context, out);
  extras(context, out);
}

}  // namespace pkgsizer::recommend
