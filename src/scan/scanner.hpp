// The scanner: walks an environment's site-packages, reads every distribution's metadata and
// attributes each byte to the distributions that own it. Paths in, one Scan out.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "model/model.hpp"
#include "scan/filter.hpp"
#include "scan/walker.hpp"
#include "util/phase_clock.hpp"

namespace pkgsizer::scan {

// Files whose owners a caller wants to know (pkgsizer import-time: the file of each imported
// module), answered with the scan's own ownership: RECORD, file lists, top_level.txt, bytecode.
struct OwnerQuery {
  std::vector<std::string> paths;  // absolute, as the interpreter reports them
  // Filled by scan_trees: per path, indices into EnvironmentScan::scan.distributions (before
  // any selection); empty when no distribution claims it or it lies outside the trees.
  std::vector<std::vector<std::uint32_t>> owners;
};

struct ScanOptions {
  bool follow_symlinks = false;
  int threads = 0;       // 0: one per core
  int module_depth = 0;  // 0: no module tree
  DistributionFilter filter;
  FileExclusion exclude_files;  // left out of the walk: in no size, not missing either
  std::atomic<std::uint64_t>* files_seen = nullptr;  // progress counter, may be null
  // When set, the seconds each phase took are appended ("walk", "metadata", ...): for
  // benchmarks and --timings, which show where a scan's time goes.
  PhaseTimings* timings = nullptr;
  // A partial scan (scan/reuse.hpp): per root, the only top-level entries to walk and attribute.
  const std::vector<std::unordered_set<std::string>>* scope = nullptr;
  OwnerQuery* owner_query = nullptr;  // may be null
};

// A file claimed by several distributions, kept so that the total of any selection can count
// it once without walking again.
struct SharedFile {
  Size size;
  std::vector<std::uint32_t> owners;  // indices into EnvironmentScan::scan.distributions
};

// A part of a scan that stands on its own: top-level entries of the scanned trees that no
// claim, shared file or hardlink ties to any other entry, with the distributions whose metadata
// sits in them. A scan's totals are its components' sums plus the roots' own directory entries,
// so the cache can scan again only the components that changed (scan/reuse.hpp).
struct ScanComponent {
  std::vector<std::pair<std::uint32_t, std::string>> entries;  // (root, top-level entry)
  // Entries its distributions would take files from if they appeared or changed: those of the
  // missing files they claim, and the import names they claim by (legacy egg-info: entries
  // "name", "name.py", "name.*.so").
  std::vector<std::pair<std::uint32_t, std::string>> absent_entries;
  std::vector<std::pair<std::uint32_t, std::string>> claimed_stems;
  std::vector<std::string> outside_paths;  // claimed files outside the trees (absolute)
  // Inodes of its files, sorted, and of those with more than one link: a partial scan that
  // meets a linked inode of a kept component scans that component too (scan/reuse.hpp). Device
  // numbers are left out: two files on two devices with one inode number cost a rescan, no more.
  std::vector<std::uint64_t> inodes;
  std::vector<std::uint64_t> linked_inodes;
  Size files;  // every file once per inode
  Size directories;
  Size owned, unowned, shared, outside;
};

// How a scan splits into components.
struct ScanParts {
  static constexpr std::int32_t kWholeScan = -1;  // a problem of no one component
  static constexpr std::int32_t kDerived = -2;    // from the graph or the duplicate check
  std::vector<ScanComponent> components;
  // The component of each of the scan's distributions, unowned entries, shared files and
  // problems, in their order.
  std::vector<std::int32_t> of_distribution, of_unowned, of_shared, of_problem;
  std::vector<Size> root_directories;  // per root: its own entry (a partial scan's; not stored)
  // A partial scan only: entries it did not walk that its distributions turned out to claim
  // (root, entry). Not stored.
  std::vector<std::pair<std::uint32_t, std::string>> escapes;
};

// Everything a scan learns from the trees, before any -p/--exclude selection: what the scan
// cache stores. scan.distributions holds every distribution (dependency graph included);
// totals.selected is not filled yet.
struct EnvironmentScan {
  Scan scan;
  std::vector<std::string> roots;  // the directories walked (nested ones dropped)
  std::vector<std::vector<DirectoryStamp>> directory_stamps;  // per root
  std::vector<std::vector<DirectoryStamp>> file_stamps;       // per root: the files directly in it
  std::vector<SharedFile> shared_files;
  ScanParts parts;
};

// Walks and attributes. With options.module_depth, module trees are built for the
// distributions options.filter selects. Never throws for bad content: problems are collected.
// With options.scope, only those entries are walked and only the distributions whose metadata
// is among them are read. The steps that need every distribution (the dependency graph) are
// left to the caller: graph::complete_scan() (graph/analysis.hpp) runs them.
EnvironmentScan scan_trees(const Environment& environment, const ScanOptions& options);

// Appends a warning per distribution whose metadata sits twice in one directory.
void report_duplicates(const std::vector<Distribution>& distributions,
                       std::vector<Problem>& problems);

// The order of the "unowned" report: largest first, then by path. `components` (ScanParts::
// of_unowned) follows along.
void sort_unowned(std::vector<UnownedEntry>& unowned, std::vector<std::int32_t>& components);
// The order of a scan's problems, which does not depend on threads or on which parts came
// from the cache.
bool problem_order(const Problem& a, const Problem& b);

// The roots a scan of this environment walks: its site-packages, then the inherited ones, each
// once, nested ones dropped.
std::vector<std::string> scan_roots(const Environment& environment,
                                    std::size_t* own_roots = nullptr);

// The view a report shows: the selected distributions (filter and --depth), sorted by size,
// and totals.selected with every shared file once.
Scan select_distributions_view(EnvironmentScan full, const DistributionFilter& filter);

}  // namespace pkgsizer::scan
