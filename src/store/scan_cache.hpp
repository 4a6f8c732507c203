// The scan cache: scans kept in SQLite, reused whole while no directory under the scanned
// site-packages has changed, and in part after a change (scan/reuse.hpp). Default file:
// $XDG_CACHE_HOME/pkgsizer/cache.sqlite3.
//
// What a hit trusts (docs/cache.md): every directory under every scanned site-packages, and
// every file directly in one, still has the inode, mtime and ctime it had — so no file was
// added, removed or renamed anywhere, since any of those changes its directory — and no file
// deeper down was rewritten in place with a new size while keeping its name (installers write
// RECORD anew, which changes its directory).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scan/scanner.hpp"
#include "util/phase_clock.hpp"

namespace pkgsizer::store {

class Database;

struct CachedEntry {
  scan::EnvironmentScan scan;
  std::int64_t stored_ns = 0;  // when it was stored (ns since the epoch)
  bool unchanged = false;      // every directory it stamped is unchanged on disk
};

class ScanCache {
 public:
  // Opens or creates the cache. A corrupt or foreign file is moved aside (to PATH.corrupt-TIME),
  // with a warning, and a new one is made. Throws StoreError only when no cache can be had.
  explicit ScanCache(const std::string& path);
  ~ScanCache();

  // The entry for `key`, and whether every directory it stamped is unchanged on disk.
  // Records "cache check" and "cache read" laps on `clock`.
  std::optional<CachedEntry> lookup(const std::string& key, PhaseClock& clock);
  void store(const std::string& key, const scan::EnvironmentScan& full);
  const std::vector<std::string>& warnings() const { return warnings_; }

 private:
  void open();

  std::string path_;
  std::unique_ptr<Database> database_;
  std::vector<std::string> warnings_;
};

// What a cached scan depends on besides the trees: the directories, the options that change
// attribution, the marker values that decide the graph, and this pkgsizer's version.
std::string cache_key(const Environment& environment, const scan::ScanOptions& options);

// $PKGSIZER_CACHE_DIR/cache.sqlite3, else $XDG_CACHE_HOME/pkgsizer/cache.sqlite3, else
// ~/.cache/pkgsizer/cache.sqlite3; "" without a home (then no cache is used).
std::string default_cache_path(const char* pkgsizer_cache_dir, const char* xdg_cache_home,
                               const char* home);

enum class CacheUse { kUse, kRefresh, kOff };

struct CachedScanResult {
  scan::EnvironmentScan scan;
  std::string summary;                // what the cache did, for --timings ("" when it was not used)
  std::vector<std::string> warnings;  // cache trouble: the scan itself went on without it
};

// scan_trees through the cache. After a change, the parts of the stored scan that did not change
// are kept and only the others scanned again (scan/reuse.hpp). Module trees
// (options.module_depth) are not cached: such scans go to the trees. A cache that cannot be
// opened or written only costs a warning.
CachedScanResult scan_trees_cached(const Environment& environment, const scan::ScanOptions& options,
                                   const std::string& cache_path, CacheUse use);

}  // namespace pkgsizer::store
