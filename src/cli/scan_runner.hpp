// Finding the environment and scanning it, the same way for every subcommand: the options
// that choose the environment and the cache, a progress line, cache warnings on stderr.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "pkgsizer/scan.hpp"
#include "store/scan_cache.hpp"

namespace pkgsizer::cli {

// --no-cache, --refresh-cache, --cache-dir.
struct CacheRequest {
  std::string cache_dir;  // empty: $PKGSIZER_CACHE_DIR, then XDG
  bool no_cache = false;
  bool refresh_cache = false;

  std::string path() const;  // the cache file
  store::CacheUse use() const;
};

struct ScanRequest {
  env::EnvironmentRequest environment;
  CacheRequest cache;
};

void add_cache_options(CLI::App& command, CacheRequest& request);
// Adds --site-packages, --venv, --python, --include-system-site-packages, and the cache options.
void add_scan_options(CLI::App& command, ScanRequest& request);

struct ScanOutcome {
  Environment environment;
  scan::EnvironmentScan full;
  std::string cache_summary;  // what the cache did ("" when it was not used)
};

// Locates and scans. Throws env::EnvironmentError (a pkgsizer::Error, exit 3) when there is
// no environment to scan.
ScanOutcome locate_and_scan(ScanRequest request, const scan::ScanOptions& options, bool quiet);

}  // namespace pkgsizer::cli
