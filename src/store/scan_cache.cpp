#include "store/scan_cache.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>

#include "pkgsizer/version.hpp"
#include "report/json_report.hpp"
#include "store/database.hpp"
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
  };
  return migrations;
}

std::string encode_stamps(const scan::EnvironmentScan& full) {
  std::string text;
  for (std::size_t root = 0; root < full.roots.size(); ++root) {
    text += "#" + full.roots[root] + "\n";
    for (const scan::DirectoryStamp& stamp : full.directory_stamps[root])
      text +=
          fmt::format("{}\t{}\t{}\t{}\n", stamp.path, stamp.mtime_ns, stamp.ctime_ns, stamp.inode);
  }
  return text;
}

template <typename Number>
bool parse_number(std::string_view text, Number& value) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size();
}

bool decode_stamps(std::string_view text, std::vector<std::string>& roots,
                   std::vector<std::vector<scan::DirectoryStamp>>& stamps) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) return false;
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.front() == '#') {
      roots.emplace_back(line.substr(1));
      stamps.emplace_back();
      continue;
    }
    if (stamps.empty()) return false;
    std::string_view fields[4];
    std::size_t start = 0;
    for (int i = 0; i < 4; ++i) {
      const std::size_t tab = i < 3 ? line.find('\t', start) : line.size();
      if (tab == std::string_view::npos) return false;
      fields[i] = line.substr(start, tab - start);
      start = tab + 1;
    }
    scan::DirectoryStamp stamp;
    stamp.path = std::string(fields[0]);
    if (!parse_number(fields[1], stamp.mtime_ns) || !parse_number(fields[2], stamp.ctime_ns) ||
        !parse_number(fields[3], stamp.inode))
      return false;
    stamps.back().push_back(std::move(stamp));
  }
  return true;
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

// True when every directory still has its stamp: nothing was added, removed or renamed.
bool stamp_holds(int root_fd, const scan::DirectoryStamp& stamp, std::int64_t stored_ns) {
  if (std::max(stamp.mtime_ns, stamp.ctime_ns) >= stored_ns - kRacyWindowNs) return false;
  struct stat info {};
  // Paths relative to the root keep each lookup short.
  int result = stamp.path.empty()
                   ? ::fstat(root_fd, &info)
                   : ::fstatat(root_fd, stamp.path.c_str(), &info, AT_SYMLINK_NOFOLLOW);
  // A directory reached through a followed symlink was stamped with its target's times.
  if (result == 0 && S_ISLNK(info.st_mode))
    result = ::fstatat(root_fd, stamp.path.c_str(), &info, 0);
  if (result != 0) return false;
  const scan::DirectoryStamp now = scan::stamp_of({}, info);
  return now.mtime_ns == stamp.mtime_ns && now.ctime_ns == stamp.ctime_ns &&
         now.inode == stamp.inode;
}

// True when every directory still has its stamp: nothing was added, removed or renamed.
// The checks run in parallel; the first that fails stops the others.
bool directories_unchanged(const scan::EnvironmentScan& full, std::int64_t stored_ns) {
  for (std::size_t root = 0; root < full.roots.size(); ++root) {
    const int root_fd = ::open(full.roots[root].c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root_fd < 0) return false;
    const auto& stamps = full.directory_stamps[root];
    std::atomic<bool> unchanged{true};
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, stamps.size(), 512),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        for (std::size_t i = range.begin(); i != range.end() && unchanged.load();
                             ++i)
                          if (!stamp_holds(root_fd, stamps[i], stored_ns)) unchanged = false;
                      });
    ::close(root_fd);
    if (!unchanged) return false;
  }
  return true;
}

// What a cache entry holds besides the directory stamps.
struct Payload {
  Scan scan;
  std::vector<scan::SharedFile> shared_files;
};

Payload decode_payload(const std::string& bytes) {
  const nlohmann::json data = nlohmann::json::from_msgpack(bytes);
  Payload payload;
  payload.scan = report::scan_from_json(data.at("scan"));
  for (const auto& shared : data.at("shared")) {
    scan::SharedFile file;
    file.size = {shared.at(0).get<std::uint64_t>(), shared.at(1).get<std::uint64_t>(),
                 shared.at(2).get<std::uint64_t>()};
    file.owners = shared.at(3).get<std::vector<std::uint32_t>>();
    payload.shared_files.push_back(std::move(file));
  }
  return payload;
}

bool storable(const scan::EnvironmentScan& full) {
  for (const auto& stamps : full.directory_stamps)
    for (const scan::DirectoryStamp& stamp : stamps)
      if (stamp.path.find_first_of("\t\n") != std::string::npos) return false;
  return true;
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
      database_->prepare("SELECT payload, stamps, stored_ns FROM scans WHERE key = ?");
  query.bind(1, key);
  if (!query.step()) return std::nullopt;
  CachedEntry entry;
  entry.stored_ns = query.column_int(2);
  // The payload is decoded while the stamps are checked: the check waits on the kernel, and
  // on a hit the decoded scan is ready when it ends. On a miss it is thrown away.
  std::future<Payload> payload =
      std::async(std::launch::async, decode_payload, query.column_text(0));
  const bool fresh =
      decode_stamps(query.column_text(1), entry.scan.roots, entry.scan.directory_stamps) &&
      directories_unchanged(entry.scan, entry.stored_ns);
  clock.lap("cache check");
  try {
    Payload decoded = payload.get();
    if (!fresh) return std::nullopt;
    entry.scan.scan = std::move(decoded.scan);
    entry.scan.shared_files = std::move(decoded.shared_files);
    clock.lap("cache read");
    return entry;
  } catch (const std::exception&) {
    return std::nullopt;  // an entry we cannot read is a miss; the next store replaces it
  }
}

void ScanCache::store(const std::string& key, const scan::EnvironmentScan& full) {
  if (!storable(full)) return;
  nlohmann::json shared = nlohmann::json::array();
  for (const scan::SharedFile& file : full.shared_files)
    shared.push_back(
        {file.size.apparent_bytes, file.size.disk_bytes, file.size.file_count, file.owners});
  const nlohmann::json data = {{"scan", report::scan_to_json(full.scan)}, {"shared", shared}};
  const std::vector<std::uint8_t> payload = nlohmann::json::to_msgpack(data);
  database_->transaction([&] {
    Statement upsert = database_->prepare(
        "INSERT INTO scans (key, created_at, stored_ns, payload, stamps) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET created_at = excluded.created_at, stored_ns = "
        "excluded.stored_ns, "
        "payload = excluded.payload, stamps = excluded.stamps");
    upsert.bind(1, key)
        .bind(2, full.scan.created_at)
        .bind(3, now_ns())
        .bind_blob(4, std::string(payload.begin(), payload.end()))
        .bind_blob(5, encode_stamps(full));
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
  return key.dump();
}

std::string default_cache_path(const char* pkgsizer_cache_dir, const char* xdg_cache_home,
                               const char* home) {
  if (pkgsizer_cache_dir && *pkgsizer_cache_dir)
    return std::string(pkgsizer_cache_dir) + "/cache.sqlite3";
  if (xdg_cache_home && *xdg_cache_home)
    return std::string(xdg_cache_home) + "/pkgsizer/cache.sqlite3";
  return std::string(home && *home ? home : ".") + "/.cache/pkgsizer/cache.sqlite3";
}

CachedScanResult scan_trees_cached(const Environment& environment, const scan::ScanOptions& options,
                                   const std::string& cache_path, CacheUse use) {
  CachedScanResult result;
  if (use == CacheUse::kOff || options.module_depth > 0) {
    result.scan = scan::scan_trees(environment, options);
    return result;
  }
  PhaseClock clock(options.timings);
  std::unique_ptr<ScanCache> cache;
  try {
    cache = std::make_unique<ScanCache>(cache_path);
    clock.lap("cache open");
    result.warnings = cache->warnings();
  } catch (const std::exception& error) {
    result.warnings.push_back(fmt::format("cache not used: {}", error.what()));
  }
  const std::string key = cache_key(environment, options);
  if (cache && use == CacheUse::kUse) {
    try {
      if (std::optional<CachedEntry> cached = cache->lookup(key, clock)) {
        result.scan = std::move(cached->scan);
        result.scan.scan.created_at = iso8601_utc();
        result.scan.scan.environment = environment;
        result.hit = true;
        return result;
      }
    } catch (const std::exception& error) {
      result.warnings.push_back(fmt::format("cache not used: {}", error.what()));
    }
  }
  result.scan = scan::scan_trees(environment, options);
  if (cache) {
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
