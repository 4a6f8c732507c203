#include "cli/scan_runner.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include "cli/environment_options.hpp"
#include "cli/terminal.hpp"
#include "util/home.hpp"
#include "util/phase_clock.hpp"
#include "util/text.hpp"

namespace pkgsizer::cli {

void add_cache_options(CLI::App& command, CacheRequest& request) {
  command.add_flag("--no-cache", request.no_cache, "Neither read nor write the scan cache")
      ->group("Cache");
  command
      .add_flag("--refresh-cache", request.refresh_cache,
                "Scan the trees and replace the cached result")
      ->group("Cache");
  command
      .add_option(
          "--cache-dir", request.cache_dir,
          "Where the cache lives (default: $PKGSIZER_CACHE_DIR, else $XDG_CACHE_HOME/pkgsizer)")
      ->type_name("DIR")
      ->group("Cache");
}

void add_scan_options(CLI::App& command, ScanRequest& request) {
  add_environment_options(command, request.environment);
  add_cache_options(command, request.cache);
}

std::string CacheRequest::path() const {
  return cache_dir.empty()
             ? store::default_cache_path(std::getenv("PKGSIZER_CACHE_DIR"),
                                         std::getenv("XDG_CACHE_HOME"), home_directory().c_str())
             : cache_dir + "/cache.sqlite3";
}

store::CacheUse CacheRequest::use() const {
  return no_cache        ? store::CacheUse::kOff
         : refresh_cache ? store::CacheUse::kRefresh
                         : store::CacheUse::kUse;
}

ScanOutcome locate_and_scan(ScanRequest request, const scan::ScanOptions& options, bool quiet) {
  PhaseClock clock(options.timings);
  read_environment_variables(request.environment);
  ScanOutcome outcome;
  outcome.environment = env::locate_environment(request.environment);
  clock.lap("locate");
  // The interpreter on PATH is often not the one a project runs: a scan of /usr's packages
  // answers a question nobody asked, so say which environment this is.
  if (!quiet && outcome.environment.kind == EnvironmentKind::kSystem)
    fmt::print(stderr,
               "pkgsizer: scanning the system Python at {}; use --venv for a project environment\n",
               printable(outcome.environment.prefix));
  Progress progress("scanning", !quiet);
  scan::ScanOptions with_progress = options;
  with_progress.files_seen = &progress.counter();
  // The cache holds whole scans: one that left files out is neither read from it nor stored.
  const store::CacheUse cache_use =
      options.exclude_files.empty() ? request.cache.use() : store::CacheUse::kOff;
  store::CachedScanResult result =
      store::scan_trees_cached(outcome.environment, with_progress, request.cache.path(), cache_use);
  progress.stop();
  if (!quiet)
    for (const std::string& warning : result.warnings)
      fmt::print(stderr, "pkgsizer: warning: {}\n", printable(warning));
  outcome.full = std::move(result.scan);
  outcome.cache_summary = std::move(result.summary);
  return outcome;
}

}  // namespace pkgsizer::cli
