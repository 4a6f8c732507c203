// `predict`: the download and installed size of what a requirements file or a lock file would
// install, before installing it. Reads the input, picks one file per package for a target
// (wheel_tags), asks the index (simple_index) and measures wheels from their central directory
// (wheel_size). Requirements files are resolved simply — breadth first, first choice wins — so
// their result is an estimate; a lock file's is exact.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "predict/lock_files.hpp"
#include "predict/requirements_file.hpp"
#include "predict/wheel_tags.hpp"
#include "util/error.hpp"

namespace pkgsizer::predict {

struct PredictOptions {
  std::vector<std::string> index_urls;        // --index-url (first wins); empty: file, env, PyPI
  std::vector<std::string> extra_index_urls;  // --extra-index-url, added to the file's
  std::vector<std::string> find_links;        // -f, --find-links, added to the file's
  bool no_index = false;                      // --no-index (or the file's): find-links only
  Target target;                              // python_version and platforms
  bool compile = true;                        // add pip's bytecode (false: --no-compile)
  // Download the wheels and compile them with the target's interpreter instead of estimating
  // (exact_bytecode.hpp); cached by the wheel's hash.
  bool exact_bytecode = false;
  bool no_deps = false;  // --no-deps: the input lists everything (pip-compile output)
  bool offline = false;  // never touch the network
  bool pre = false;      // pre-releases allowed
  // The SQLite cache of index pages and wheel file lists (index_cache.hpp); empty: none.
  std::string http_cache_path;
};

struct PredictedPackage {
  std::string name;
  std::string normalized_name;
  std::string version;
  std::string chosen_file;  // empty when no file fits the target
  std::string url;
  std::string hash;  // "sha256:<hex>" of the chosen file, when the index or lock gave it
  std::optional<std::uint64_t> download_bytes;
  std::optional<std::uint64_t> installed_bytes;  // without bytecode; unknown for sdists
  std::uint64_t bytecode_bytes = 0;
  std::uint64_t file_count = 0;  // wheel members that are files, plus .pyc files
  bool sdist_only = false;       // "size unknown until built"
  bool not_found = false;        // not on the index (or no version fits): size unknown
  bool bytecode_exact = false;   // bytecode_bytes measured by compiling, not estimated
  std::string note;              // why a size is unknown
};

struct Prediction {
  InputKind kind = InputKind::requirements_txt;
  bool estimate = true;  // unpinned input resolved here; false for lock files
  std::vector<PredictedPackage> packages;
  std::vector<std::string> warnings;  // conflicts, skipped lines, unknown sizes
  std::vector<std::string> index_urls;
};

// What went wrong: bad input is a usage error (exit 2), an unreachable index an environment
// error (exit 3).
class PredictError : public Error {
 public:
  enum class Kind { bad_input, unreachable };
  PredictError(Kind kind, const std::string& message)
      : Error(kind == Kind::bad_input ? ErrorCategory::kUsage : ErrorCategory::kEnvironment,
              message),
        kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// `environment` gives PIP_INDEX_URL / PIP_EXTRA_INDEX_URL and ${VAR} expansion; `load` reads
// -r/-c includes. Throws PredictError.
Prediction predict(const std::string& file_name, const std::string& text,
                   const PredictOptions& options, const FileLoader& load,
                   const EnvironmentLookup& environment);

// The indexes asked, in order: --index-url (else $PIP_INDEX_URL, else PyPI), then each
// --extra-index-url and $PIP_EXTRA_INDEX_URL; as predict() asks them for a requirements file
// without index options of its own.
std::vector<std::string> index_urls_for(const PredictOptions& options,
                                        const EnvironmentLookup& environment);

// "linux-x86_64" (a sysconfig platform, as --platform takes it) or a wheel platform tag
// ("manylinux_2_28_x86_64", "macosx_11_0_arm64", "win_amd64") as wheel platform tags.
std::vector<std::string> platform_tags_for(const std::string& platform);

}  // namespace pkgsizer::predict
