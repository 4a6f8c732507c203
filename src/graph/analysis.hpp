// A scan and what needs all of it: scan::scan_trees() attributes the bytes, then the duplicate
// check and the dependency graph run on every distribution. The graph layer sits above scan,
// so the function that runs both lives here, not in the scanner.
#pragma once

#include "model/model.hpp"
#include "scan/scanner.hpp"

namespace pkgsizer::graph {

// The steps that need every distribution: the duplicate check and the dependency graph
// (problems they add are tagged ScanParts::kDerived; those of an earlier run are replaced).
// Runs after scan_trees() of the whole trees and after scan::merge_scans().
void complete_scan(scan::EnvironmentScan& full);

// scan::scan_trees, then complete_scan (timed as the "graph" phase). A partial scan
// (options.scope) is returned as scanned: complete_scan follows its merge.
scan::EnvironmentScan scan_and_complete(const Environment& environment,
                                        const scan::ScanOptions& options);

// scan_and_complete, then the selection.
Scan scan_environment(const Environment& environment, const scan::ScanOptions& options);

}  // namespace pkgsizer::graph
