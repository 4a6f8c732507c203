// Reusing the unchanged parts of an earlier scan: after one package is installed into an
// environment of a hundred, only the components it touches are walked and attributed again
// (docs/cache.md). Pure logic: what changed on disk is found by the caller (store/scan_cache).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "scan/scanner.hpp"

namespace pkgsizer::scan {

// Which components of an earlier scan to keep, and which top-level entries to scan again.
struct ReusePlan {
  std::vector<bool> keep;                              // per component of the earlier scan
  std::vector<std::unordered_set<std::string>> scope;  // per root: the entries to walk again
  std::size_t kept_components() const;
};

// `changed`: per root, the top-level entries that are new, gone, or have a changed stamp.
// Each component with a changed entry is scanned again, with every entry of it.
ReusePlan plan_reuse(const EnvironmentScan& earlier,
                     const std::vector<std::unordered_set<std::string>>& changed);

// After a partial scan: components it must not be merged with are dropped from the plan (the
// ones its distributions claimed into, and the ones that share a hardlinked inode or a file
// outside the trees with it). True when the plan changed, and the partial scan must be redone.
bool widen_plan(const EnvironmentScan& earlier, const EnvironmentScan& partial, ReusePlan& plan);

// The kept components of `earlier` and the whole of `partial`, as one scan: what scan_trees()
// of the whole trees would give (graph::complete_scan() follows, as after scan_trees()).
EnvironmentScan merge_scans(EnvironmentScan earlier, const ReusePlan& plan,
                            EnvironmentScan partial);

}  // namespace pkgsizer::scan
