#include "graph/analysis.hpp"

#include "graph/dependency_graph.hpp"
#include "util/phase_clock.hpp"

namespace pkgsizer::graph {

using scan::EnvironmentScan;
using scan::ScanParts;

void complete_scan(EnvironmentScan& full) {
  Scan& scan = full.scan;
  ScanParts& parts = full.parts;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < scan.problems.size(); ++i)
    if (parts.of_problem[i] != ScanParts::kDerived) {
      if (kept != i) {
        scan.problems[kept] = std::move(scan.problems[i]);
        parts.of_problem[kept] = parts.of_problem[i];
      }
      ++kept;
    }
  scan.problems.resize(kept);
  scan::report_duplicates(scan.distributions, scan.problems);
  analyze_dependencies(scan.distributions, scan.environment, scan.problems);
  parts.of_problem.resize(scan.problems.size(), ScanParts::kDerived);
}

EnvironmentScan scan_and_complete(const Environment& environment,
                                  const scan::ScanOptions& options) {
  EnvironmentScan full = scan::scan_trees(environment, options);
  if (options.scope) return full;
  PhaseClock clock(options.timings);
  complete_scan(full);
  clock.lap("graph");
  return full;
}

Scan scan_environment(const Environment& environment, const scan::ScanOptions& options) {
  return scan::select_distributions_view(scan_and_complete(environment, options), options.filter);
}

}  // namespace pkgsizer::graph
