// The scanner: walks an environment's site-packages, reads every distribution's metadata and
// attributes each byte to the distributions that own it. Paths in, one Scan out.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "scan/filter.hpp"
#include "scan/model.hpp"
#include "scan/walker.hpp"
#include "util/phase_clock.hpp"

namespace pkgsizer::scan {

struct ScanOptions {
  bool follow_symlinks = false;
  int threads = 0;       // 0: one per core
  int module_depth = 0;  // 0: no module tree
  DistributionFilter filter;
  std::atomic<std::uint64_t>* files_seen = nullptr;  // progress counter, may be null
  // When set, the seconds each phase took are appended ("walk", "metadata", ...): for
  // benchmarks and --timings, which show where a scan's time goes.
  PhaseTimings* timings = nullptr;
};

// A file claimed by several distributions, kept so that the total of any selection can count
// it once without walking again.
struct SharedFile {
  Size size;
  std::vector<std::uint32_t> owners;  // indices into EnvironmentScan::scan.distributions
};

// Everything a scan learns from the trees, before any -p/--exclude selection: what the scan
// cache stores. scan.distributions holds every distribution (dependency graph included);
// totals.selected is not filled yet.
struct EnvironmentScan {
  Scan scan;
  std::vector<std::string> roots;  // the directories walked (nested ones dropped)
  std::vector<std::vector<DirectoryStamp>> directory_stamps;  // per root
  std::vector<SharedFile> shared_files;
};

// Walks and attributes. With options.module_depth, module trees are built for the
// distributions options.filter selects. Never throws for bad content: problems are collected.
EnvironmentScan scan_trees(const Environment& environment, const ScanOptions& options);

// The view a report shows: the selected distributions (filter and --depth), sorted by size,
// and totals.selected with every shared file once.
Scan select_distributions_view(EnvironmentScan full, const DistributionFilter& filter);

// scan_trees, then the selection.
Scan scan_environment(const Environment& environment, const ScanOptions& options);

}  // namespace pkgsizer::scan
