#include "store/scan_cache.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_set>
#include <vector>

#include "graph/analysis.hpp"
#include "pkgsizer/version.hpp"
#include "scan/conda_distributions.hpp"
#include "scan/file_index.hpp"
#include "scan/reuse.hpp"
#include "store/database.hpp"
#include "store/scan_archive.hpp"
#include "util/dirs.hpp"
#include "util/json_text.hpp"
#include "util/utc_time.hpp"

namespace pkgsizer::store {
namespace {

constexpr std::int32_t kCacheApplicationId = 0x706B7363;  // "pksc"

const std::vector<Database::Migration>& cache_migrations() {
  static const std::vector<Database::Migration> migrations{
      [](Database& db) {
        db.exec(R"SQL(
          CREATE TABLE scans (
            key TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            stored_ns INTEGER NOT NULL,  -- when it was stored, for the racy-directory check
            payload BLOB NOT NULL,  -- MessagePack: the scan, its roots and shared files
            stamps BLOB NOT NULL    -- per root: "#root\n" then "path\tmtime\tctime\tinode\n" lines
          );
        )SQL");
      },
      // 2: the whole entry (scan, shared files, roots, stamps) is one cereal archive
      // (store/scan_archive.hpp). Cached scans are only a cache: the old ones are dropped.
      [](Database& db) {
        db.exec(R"SQL(
          DROP TABLE scans;
          CREATE TABLE scans (
            key TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            stored_ns INTEGER NOT NULL,  -- when it was stored, for the racy-directory check
            payload BLOB NOT NULL        -- store/scan_archive.hpp
          );
        )SQL");
      },
      // 3: entries also hold the scan's parts (scan/reuse.hpp); older ones lack them.
      [](Database& db) { db.exec("DELETE FROM scans;"); },
      // 4: each entry carries a checksum, so that a damaged one is a miss and not a wrong
      // scan (entry_checksum). Older entries have none: they are dropped.
      [](Database& db) {
        db.exec(R"SQL(
          DROP TABLE scans;
          CREATE TABLE scans (
            key TEXT PRIMARY KEY,
            created_at TEXT NOT NULL,
            stored_ns INTEGER NOT NULL,  -- when it was stored, for the racy-directory check
            -- entry_checksum(payload, stored_ns). Before the payload: a column after a blob
            -- that spans overflow pages is reached by walking all of them.
            checksum INTEGER NOT NULL,
            payload BLOB NOT NULL        -- store/scan_archive.hpp
          );
        )SQL");
      },
      // 5: module nodes carry their bytecode bytes (ModuleNode::bytecode), one more field in
      // the archive: entries written before would not decode as they are. Dropped.
      [](Database& db) { db.exec("DELETE FROM scans;"); },
  };
  return migrations;
}

// CRC-32 (zlib's) of the payload and of the time it was stored, the two things a hit trusts.
// SQLite checks its pages' structure, not the bytes of a blob: a flipped bit in an entry would
// otherwise decode into a wrong scan, or into sizes that make no sense. A CRC-32 finds every
// burst of up to 32 flipped bits, and any other damage but once in 2^32. zlib's reads the 1 MB
// entry of a 94-distribution venv in 0.2 ms, the 8.7 MB one of the 2000-distribution tree in
// 2.7-3.7 ms: 3-4 % of a hit (docs/cache.md "Failure").
std::int64_t entry_checksum(std::string_view payload, std::int64_t stored_ns) {
  uLong crc = crc32_z(0L, reinterpret_cast<const Bytef*>(payload.data()), payload.size());
  unsigned char stamp[8];
  for (int i = 0; i < 8; ++i)
    stamp[i] = static_cast<unsigned char>(static_cast<std::uint64_t>(stored_ns) >> (8 * i));
  crc = crc32_z(crc, stamp, sizeof stamp);
  return static_cast<std::int64_t>(crc);
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A directory changed within this long before the scan was stored may change again within the
// same timestamp tick (file systems stamp with a coarse clock): such a stamp proves nothing,
// as git's "racily clean" index entries.
constexpr std::int64_t kRacyWindowNs = 2'000'000'000;

// True when a directory, or a file directly in a root, still has its stamp: for a directory,
// nothing in it was added, removed or renamed; for a file, it was not rewritten.
bool stamp_holds(int root_fd, const scan::DirectoryStamp& stamp, std::int64_t stored_ns) {
  if (std::max(stamp.mtime_ns, stamp.ctime_ns) >= stored_ns - kRacyWindowNs) return false;
  auto same = [&](const struct stat& info) {
    const scan::DirectoryStamp now = scan::stamp_of({}, info);
    return now.mtime_ns == stamp.mtime_ns && now.ctime_ns == stamp.ctime_ns &&
           now.inode == stamp.inode;
  };
  struct stat info {};
  // Paths relative to the root keep each lookup short.
  const int result = stamp.path.empty()
                         ? ::fstat(root_fd, &info)
                         : ::fstatat(root_fd, stamp.path.c_str(), &info, AT_SYMLINK_NOFOLLOW);
  if (result != 0) return false;
  if (same(info)) return true;
  // An entry reached through a followed symlink was stamped with its target's times.
  return S_ISLNK(info.st_mode) && ::fstatat(root_fd, stamp.path.c_str(), &info, 0) == 0 &&
         same(info);
}

// Checks that every directory still has its stamp (nothing was added, removed or renamed), on
// one thread per core, and every file directly in a root its own; the first stamp that fails
// stops the others. The helper threads start
// at once, so that the caller can do other work (decode the rest of the entry) meanwhile and
// then join in with wait().
class StampCheck {
 public:
  StampCheck(const scan::EnvironmentScan& full, std::int64_t stored_ns)
      : full_(full), stored_ns_(stored_ns) {
    for (const std::string& root : full.roots) {
      root_fds_.push_back(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      if (root_fds_.back() < 0) unchanged_ = false;
    }
    for (std::size_t root = 0; root < full.directory_stamps.size(); ++root)
      for (std::size_t i = 0; i < full.directory_stamps[root].size(); i += kBatch)
        batches_.emplace_back(root, i);
    const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    for (unsigned i = 1; i < threads && i < batches_.size(); ++i)
      helpers_.emplace_back([this] { check(); });
  }
  ~StampCheck() {
    unchanged_ = false;  // an early return stops the helpers
    helpers_.clear();    // joins them
    for (const int fd : root_fds_)
      if (fd >= 0) ::close(fd);
  }
  StampCheck(const StampCheck&) = delete;
  StampCheck& operator=(const StampCheck&) = delete;

  // True when every stamp holds. Checks alongside the helpers, then the files directly in each
  // root (a few dozen), then joins the helpers.
  bool wait() {
    check();
    for (std::size_t root = 0; root < full_.file_stamps.size() && unchanged_; ++root)
      for (const scan::DirectoryStamp& stamp : full_.file_stamps[root])
        if (!stamp_holds(root_fds_[root], stamp, stored_ns_)) {
          unchanged_ = false;
          break;
        }
    helpers_.clear();
    return unchanged_;
  }

 private:
  static constexpr std::size_t kBatch = 128;

  void check() {
    while (unchanged_.load(std::memory_order_relaxed)) {
      const std::size_t batch = next_.fetch_add(1, std::memory_order_relaxed);
      if (batch >= batches_.size()) return;
      const auto [root, begin] = batches_[batch];
      const auto& stamps = full_.directory_stamps[root];
      for (std::size_t i = begin; i < std::min(stamps.size(), begin + kBatch); ++i)
        if (!stamp_holds(root_fds_[root], stamps[i], stored_ns_)) {
          unchanged_ = false;
          return;
        }
    }
  }

  const scan::EnvironmentScan& full_;
  const std::int64_t stored_ns_;
  std::vector<int> root_fds_;
  std::vector<std::pair<std::size_t, std::size_t>> batches_;  // (root, first stamp)
  std::atomic<bool> unchanged_{true};
  std::atomic<std::size_t> next_{0};
  std::vector<std::jthread> helpers_;
};

// Per root, the top-level entries that are new, gone, or hold a directory or are a file whose
// stamp changed since `earlier` was stored. Empty when a root cannot be read.
std::optional<std::vector<std::unordered_set<std::string>>> changed_entries(
    const scan::EnvironmentScan& earlier, std::int64_t stored_ns) {
  const std::size_t roots = earlier.roots.size();
  if (earlier.directory_stamps.size() != roots || earlier.file_stamps.size() != roots)
    return std::nullopt;
  std::vector<std::unordered_set<std::string>> changed(roots);
  std::vector<std::unordered_set<std::string>> known(roots);
  for (const scan::ScanComponent& component : earlier.parts.components)
    for (const auto& [root, entry] : component.entries) known[root].insert(entry);
  for (std::size_t root = 0; root < roots; ++root) {
    const int fd = ::open(earlier.roots[root].c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::mutex mutex;
    const auto& stamps = earlier.directory_stamps[root];
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, stamps.size(), 256),
                      [&](const auto& range) {
                        for (std::size_t i = range.begin(); i < range.end(); ++i)
                          if (!stamps[i].path.empty() && !stamp_holds(fd, stamps[i], stored_ns)) {
                            std::lock_guard lock(mutex);
                            changed[root].emplace(scan::top_entry_of(stamps[i].path));
                          }
                      });
    for (const scan::DirectoryStamp& stamp : earlier.file_stamps[root])
      if (!stamp_holds(fd, stamp, stored_ns)) changed[root].insert(stamp.path);
    // Entries added or removed since (the root's own stamp would say only that some were).
    DIR* listing = ::fdopendir(fd);
    if (!listing) {
      ::close(fd);
      return std::nullopt;
    }
    std::unordered_set<std::string> now;
    while (const dirent* entry = ::readdir(listing)) {
      const std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      if (!known[root].contains(name)) changed[root].insert(name);
      now.insert(name);
    }
    ::closedir(listing);
    for (const std::string& entry : known[root])
      if (!now.contains(entry)) changed[root].insert(entry);
  }
  return changed;
}

}  // namespace

ScanCache::ScanCache(const std::string& path) : path_(path) {
  try {
    open();
  } catch (const StoreCorrupt& error) {
    // A cache holds nothing that a scan cannot make again: keep the bad file for a post-mortem.
    const std::string aside = move_aside_damaged(path_, std::chrono::system_clock::now());
    warnings_.push_back(
        fmt::format("{}; moved it aside to {} and started a new cache", error.what(), aside));
    open();
  }
}

ScanCache::~ScanCache() = default;

void ScanCache::open() {
  database_ = std::make_unique<Database>(path_, kCacheApplicationId, cache_migrations());
}

std::optional<CachedEntry> ScanCache::lookup(const std::string& key, PhaseClock& clock) {
  Statement query =
      database_->prepare("SELECT payload, stored_ns, checksum FROM scans WHERE key = ?");
  query.bind(1, key);
  if (!query.step()) return std::nullopt;
  CachedEntry entry;
  entry.stored_ns = query.column_int(1);
  const std::int64_t stored_checksum = query.column_int(2);
  const std::string_view payload = query.column_view(0);
  clock.lap("cache load");
  const bool sound = entry_checksum(payload, entry.stored_ns) == stored_checksum;
  clock.lap("cache checksum");
  if (!sound) {
    warnings_.push_back(fmt::format(
        "{}: the cached scan of these trees is damaged (its checksum does not match); they "
        "were scanned again",
        path_));
    return std::nullopt;  // a miss: the store after the scan replaces the entry
  }
  // The stamps come first in an entry: their check starts while the rest is decoded.
  // The parts (for reuse after a change) are read only when the check failed.
  std::optional<StampCheck> check;
  auto parts_wanted = [&] {
    clock.lap("cache read");
    entry.unchanged = check && check->wait();
    clock.lap("cache check");
    return !entry.unchanged;
  };
  try {
    decode_scan(
        payload, entry.scan,
        [&](const scan::EnvironmentScan& stamps) {
          if (stamps.directory_stamps.size() == stamps.roots.size() &&
              stamps.file_stamps.size() == stamps.roots.size())
            check.emplace(stamps, entry.stored_ns);
        },
        parts_wanted);
  } catch (const std::exception& error) {
    // An entry we cannot read is a miss; the next store replaces it.
    warnings_.push_back(fmt::format("{}: {}; the trees were scanned again", path_, error.what()));
    return std::nullopt;
  }
  return entry;
}

void ScanCache::store(const std::string& key, const scan::EnvironmentScan& full) {
  const std::string payload = encode_scan(full);
  const std::int64_t stored_ns = now_ns();
  const std::int64_t checksum = entry_checksum(payload, stored_ns);
  database_->transaction([&] {
    Statement upsert = database_->prepare(
        "INSERT INTO scans (key, created_at, stored_ns, payload, checksum) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET created_at = excluded.created_at, "
        "stored_ns = excluded.stored_ns, payload = excluded.payload, "
        "checksum = excluded.checksum");
    upsert.bind(1, key)
        .bind(2, full.scan.created_at)
        .bind(3, stored_ns)
        .bind_blob(4, payload)
        .bind(5, checksum);
    upsert.run();
  });
}

std::string cache_key(const Environment& environment, const scan::ScanOptions& options) {
  const nlohmann::json key = {{"pkgsizer", kVersion},
                              {"site_packages", environment.site_packages},
                              {"inherited_site_packages", environment.inherited_site_packages},
                              {"follow_symlinks", options.follow_symlinks},
                              {"python_version", environment.python_version},
                              {"platform", environment.platform},
                              {"markers", environment.markers}};
  return dump_json(key);
}

std::string default_cache_path(const char* pkgsizer_cache_dir, const char* xdg_cache_home,
                               const char* home) {
  const std::string directory = user_cache_dir(pkgsizer_cache_dir, xdg_cache_home, home);
  return directory.empty() ? "" : directory + "/cache.sqlite3";
}

namespace {

// The scan after a change: the components of `earlier` that did not change, and a partial scan
// of the others. Empty when nothing can be kept (then a full scan is cheaper).
std::optional<scan::EnvironmentScan> rescan_changed_parts(const Environment& environment,
                                                          const scan::ScanOptions& options,
                                                          CachedEntry& earlier,
                                                          std::string& summary, PhaseClock& clock) {
  // Followed symlinks may reach one directory from several entries: scan it all again.
  if (options.follow_symlinks || earlier.scan.parts.components.empty()) return std::nullopt;
  const auto changed = changed_entries(earlier.scan, earlier.stored_ns);
  clock.lap("cache changes");
  if (!changed) return std::nullopt;
  scan::ReusePlan plan = scan::plan_reuse(earlier.scan, *changed);
  scan::ScanOptions partial_options = options;
  partial_options.scope = &plan.scope;
  for (;;) {
    if (plan.kept_components() == 0) return std::nullopt;
    scan::EnvironmentScan partial = scan::scan_trees(environment, partial_options);
    clock = PhaseClock(options.timings);
    if (scan::widen_plan(earlier.scan, partial, plan)) continue;
    std::size_t walked = 0;
    for (const auto& entries : plan.scope) walked += entries.size();
    summary = fmt::format("cache: {} of {} parts reused; {} top-level entries walked again",
                          plan.kept_components(), plan.keep.size(), walked);
    scan::EnvironmentScan merged =
        scan::merge_scans(std::move(earlier.scan), plan, std::move(partial));
    graph::complete_scan(merged);
    clock.lap("cache merge");
    return merged;
  }
}

}  // namespace

CachedScanResult scan_trees_cached(const Environment& environment, const scan::ScanOptions& options,
                                   const std::string& cache_path, CacheUse use) {
  CachedScanResult result;
  // A conda prefix is one root whose top-level entries every package spans: scanned whole.
  if (use == CacheUse::kOff || options.module_depth > 0 || scan::scans_conda_prefix(environment)) {
    result.scan = graph::scan_and_complete(environment, options);
    return result;
  }
  if (cache_path.empty()) {  // see default_cache_path
    result.warnings.push_back(
        "cache not used: no home directory to keep it in (set PKGSIZER_CACHE_DIR or HOME)");
    result.scan = scan::scan_trees(environment, options);
    return result;
  }
  PhaseClock clock(options.timings);
  std::unique_ptr<ScanCache> cache;
  try {
    cache = std::make_unique<ScanCache>(cache_path);
    clock.lap("cache open");
  } catch (const std::exception& error) {
    result.warnings.push_back(fmt::format("cache not used: {}", error.what()));
  }
  const std::string key = cache_key(environment, options);
  bool reused = false;
  if (cache && use == CacheUse::kRefresh) result.summary = "cache refreshed: the trees were walked";
  if (cache && use == CacheUse::kUse) {
    result.summary = "cache miss: no entry for these trees yet";
    try {
      if (std::optional<CachedEntry> cached = cache->lookup(key, clock)) {
        if (cached->unchanged) {
          result.scan = std::move(cached->scan);
          result.scan.scan.created_at = iso8601_utc();
          result.scan.scan.environment = environment;
          result.summary = "cache hit: no tree was walked";
          result.warnings.insert(result.warnings.begin(), cache->warnings().begin(),
                                 cache->warnings().end());
          return result;
        }
        result.summary = "cache: nothing could be reused; the trees were walked again";
        if (auto merged =
                rescan_changed_parts(environment, options, *cached, result.summary, clock)) {
          result.scan = std::move(*merged);
          reused = true;
        }
      }
    } catch (const std::exception& error) {
      result.warnings.push_back(fmt::format("cache not used: {}", error.what()));
    }
  }
  if (!reused) result.scan = graph::scan_and_complete(environment, options);
  if (cache) {
    result.warnings.insert(result.warnings.begin(), cache->warnings().begin(),
                           cache->warnings().end());
    try {
      clock = PhaseClock(options.timings);
      cache->store(key, result.scan);
      clock.lap("cache store");
    } catch (const std::exception& error) {
      result.warnings.push_back(fmt::format("cache not updated: {}", error.what()));
    }
  }
  return result;
}

}  // namespace pkgsizer::store
