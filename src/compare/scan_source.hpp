// One side of `compare`, resolved to a scan: a JSON scan file, an environment directory (venv,
// conda env, prefix), a site-packages directory, an interpreter, or a tracked snapshot (@label).
#pragma once

#include <string>
#include <vector>

#include "model/model.hpp"
#include "scan/scanner.hpp"
#include "store/scan_cache.hpp"
#include "util/error.hpp"

namespace pkgsizer::compare {

// Always "<side>: <reason>" ("before.json: not JSON (line 3, column 5)"): exit code 3 in the CLI.
class SourceError : public Error {
 public:
  explicit SourceError(const std::string& message) : Error(ErrorCategory::kEnvironment, message) {}
};

struct SourceOptions {
  std::string history_path;         // the store of `track`, for @references
  int connect_timeout_seconds = 0;  // a PostgreSQL history's (--timeout; 0: libpq's default)
  scan::ScanOptions scan_options;   // for sides that are scanned now
  // The scan cache, for sides that are scanned now (store/scan_cache.hpp).
  std::string cache_path;
  store::CacheUse cache_use = store::CacheUse::kOff;
  std::vector<std::string>* cache_warnings = nullptr;  // cache trouble is appended here
};

// "@label", "@12", "@latest": a snapshot; an existing file: a JSON scan; a directory with
// *.dist-info or *.egg-info entries: site-packages; any other directory: an environment prefix.
Scan load_scan_source(const std::string& side, const SourceOptions& options);

// The environment this interpreter reports (--python-a / --python-b), scanned now.
Scan scan_interpreter(const std::string& python, const SourceOptions& options);

// Parses the text of a JSON scan; `name` is the side, for messages. Pure.
Scan scan_from_text(const std::string& text, const std::string& name);

}  // namespace pkgsizer::compare
