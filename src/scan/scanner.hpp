// The scanner: walks an environment's site-packages, reads every distribution's metadata and
// attributes each byte to the distributions that own it. Paths in, one Scan out.
#pragma once

#include <atomic>
#include <cstdint>

#include "scan/filter.hpp"
#include "scan/model.hpp"

namespace pkgsizer::scan {

struct ScanOptions {
  bool follow_symlinks = false;
  int threads = 0;       // 0: one per core
  int module_depth = 0;  // 0: no module tree
  DistributionFilter filter;
  std::atomic<std::uint64_t>* files_seen = nullptr;  // progress counter, may be null
};

// Scans env.site_packages (and env.inherited_site_packages, whose distributions are marked
// inherited). Problems are collected in the result; this never throws for bad content.
Scan scan_environment(const Environment& environment, const ScanOptions& options);

}  // namespace pkgsizer::scan
