// Lock files and resolver reports as one list of pinned packages with their files: uv's
// uv.lock, PEP 751's pylock.toml, Poetry's poetry.lock and pip's installation report
// (`pip install --dry-run --report`). Those that record file sizes (uv.lock, pylock.toml) give
// download sizes without any network. Pure: text and a file name in, values or a
// "FILE:LINE:COLUMN: what is wrong" error out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "packaging/marker.hpp"
#include "util/error.hpp"

namespace pkgsizer::predict {

// Every problem with a lock file. The message is "FILE:LINE:COLUMN: what is wrong" where the
// parser knows the place, "FILE: what is wrong" otherwise.
class LockFileError : public Error {
 public:
  explicit LockFileError(const std::string& message) : Error(ErrorCategory::kUsage, message) {}
};

// One distribution file (a wheel or an sdist) that the lock file pins.
struct LockedFile {
  std::string filename;  // "numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
  std::string url;       // empty when the lock file names only the file (poetry.lock) or a path
  std::string path;      // a local file the lock names instead of a URL (uv.lock, pylock.toml)
  std::optional<std::uint64_t> size;  // bytes, when recorded
  std::string hash;                   // "sha256:<hex>" (the strongest recorded); empty when none
};

// Where a package comes from. `kind` is one of "registry" (an index), "url", "path",
// "directory", "editable", "virtual" (a uv project without a build), "git" (any VCS), or empty
// when the lock file does not say.
struct LockedSource {
  std::string kind;
  std::string location;  // the index URL, the URL, the path, or the repository URL
};

// An edge of the locked dependency graph, as far as the lock file records it.
struct LockedDependency {
  std::string name;
  std::string normalized_name;  // PEP 503
  std::string version;  // uv.lock names the version when the package is locked more than once
  std::set<std::string> extras;  // extras of the dependency that are wanted
  std::string marker;            // PEP 508 marker text; empty when unconditional
  // Which optional part of the depending package brings this edge, where the lock file says
  // so in a table of its own: an extra (uv's [package.optional-dependencies], poetry's
  // [package.extras]; "*" for a poetry dependency that is optional but named by no extra) or a
  // uv dependency group ([package.dev-dependencies]). Requires-Dist (pip's report) says it in
  // the marker instead: `extra == "socks"`.
  std::string for_extra;
  std::string for_group;
};

struct LockedPackage {
  std::string name;             // as written
  std::string normalized_name;  // PEP 503
  std::string version;          // as written; empty for a uv.lock package without one (dynamic)
  std::vector<LockedFile> wheels;
  std::optional<LockedFile> sdist;
  // PEP 508 marker saying on which environments the package is installed (pylock.toml's
  // `marker`, poetry.lock's `markers`); empty when always. uv.lock puts markers on the
  // dependency edges instead.
  std::string marker;
  LockedSource source;
  std::vector<LockedDependency> dependencies;
  // poetry.lock: the dependency groups that need it ("main", "dev"; `category` before Poetry 2).
  std::vector<std::string> groups;
  // pip's report: the user asked for this one (not a dependency). uv.lock: a workspace member
  // (or the project itself).
  bool requested = false;
};

enum class InputKind { requirements_txt, uv_lock, pylock_toml, poetry_lock, pip_report };

// "requirements.txt", "uv.lock", "pylock.toml", "poetry.lock", "pip report".
std::string_view input_kind_name(InputKind kind);

// Decides from the file name first (uv.lock, poetry.lock, pylock.toml and pylock.NAME.toml per
// PEP 751, *.json), then from the content (a JSON object with "install"; TOML with
// `lock-version` and [[packages]]; [[package]] with `source =` or `version = 1`; Poetry's
// header or [metadata] content-hash); anything else is a requirements file.
InputKind detect_input_kind(std::string_view path, std::string_view text);

struct LockFile {
  InputKind kind = InputKind::uv_lock;
  std::vector<LockedPackage> packages;  // in the order of the file
  // pip's report only: the environment the resolution was made for (its "environment" object).
  std::optional<packaging::MarkerEnvironment> environment;
};

// Each throws LockFileError. `file_name` only labels messages.
LockFile parse_uv_lock(std::string_view text, const std::string& file_name);
LockFile parse_pylock(std::string_view text, const std::string& file_name);
LockFile parse_poetry_lock(std::string_view text, const std::string& file_name);
LockFile parse_pip_report(std::string_view text, const std::string& file_name);

// The parser for `kind`; std::invalid_argument for requirements_txt, which is not a lock file
// (requirements_file.hpp reads it).
LockFile parse_lock_file(InputKind kind, std::string_view text, const std::string& file_name);

// The last path segment of a URL, without query or fragment, percent-decoded:
// ".../torch-2.1.0%2Bcpu-cp311-cp311-linux_x86_64.whl#sha256=..." -> "torch-2.1.0+cpu-...whl".
std::string filename_from_url(std::string_view url);

}  // namespace pkgsizer::predict
