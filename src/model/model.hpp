// The scan model: what every subcommand computes into and every renderer reads.
// One environment, its distributions, their sizes and module trees, and the problems met.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer {

// Apparent bytes are st_size (what `du -b` adds up); disk bytes are st_blocks * 512
// (what `du` without -b adds up). Both are kept everywhere a size is kept.
struct Size {
  std::uint64_t apparent_bytes = 0;
  std::uint64_t disk_bytes = 0;
  std::uint64_t file_count = 0;

  Size& operator+=(const Size& other) {
    apparent_bytes += other.apparent_bytes;
    disk_bytes += other.disk_bytes;
    file_count += other.file_count;
    return *this;
  }
};

// What a node of a module tree is.
enum class ModuleKind {
  kUnknown,    // "": not recorded
  kPackage,    // "package": a directory with __init__.py
  kNamespace,  // "namespace": a directory without __init__.py (PEP 420)
  kModule,     // "module": name.py
  kExtension,  // "extension": name.cpython-311-x86_64-linux-gnu.so
  kData,       // "data": any other file
};

// A top-level package or module of a distribution, with its sub-packages down to the
// depth that was asked for.
struct ModuleNode {
  std::string name;
  ModuleKind kind = ModuleKind::kUnknown;
  Size size;
  std::vector<ModuleNode> children;
  // The part of `size` that is bytecode: .pyc files (in __pycache__, PEP 3147, or beside their
  // source) and .pyo. Counted with the module it was compiled from, and shown as its own kind.
  Size bytecode;
};

// One edge of the dependency graph: a Requires-Dist whose marker holds for the target.
struct Dependency {
  std::string requirement;      // normalized PEP 508 text, as packaging.Requirement prints it
  std::string normalized_name;  // PEP 503 name of the required distribution
  std::vector<std::string> extras;
  std::string specifier;          // "" when any version will do
  bool installed = false;         // a distribution of that name is in the scan
  std::string installed_version;  // its version, when installed
  bool satisfied = true;          // installed and its version matches the specifier
};

// Where a distribution's metadata lives.
enum class MetadataKind {
  kUnknown,      // "": not recorded (a scan from elsewhere)
  kDistInfo,     // "dist-info" (PEP 376)
  kEggInfo,      // "egg-info": a directory
  kEggInfoFile,  // "egg-info-file": a single PKG-INFO file (distutils)
  kEggLink,      // "egg-link": a develop install's link
  kPrediction,   // "prediction": not installed, predicted (pkgsizer predict)
  kCondaMeta,    // "conda-meta": a conda package record (conda-meta/NAME-VERSION-BUILD.json)
};

// How a distribution's files were found.
enum class FilesSource {
  kUnknown,         // "": not recorded (a scan from elsewhere)
  kRecord,          // "RECORD" (PEP 376)
  kInstalledFiles,  // "installed-files.txt" (legacy egg-info)
  kTopLevel,        // "top_level.txt": claimed by import name
  kName,            // "name": claimed by the project's name
  kEggLink,         // "egg-link": the link file only
  kWheel,           // "wheel": predicted from a wheel
  kSdist,           // "sdist": predicted, but only an sdist exists
  kCondaMeta,       // "conda-meta": the record's "files" and "paths_data"
};

std::string_view to_string(MetadataKind kind);
std::string_view to_string(FilesSource source);
std::optional<MetadataKind> metadata_kind_from_string(std::string_view text);
std::optional<FilesSource> files_source_from_string(std::string_view text);

// What kind of environment was scanned.
enum class EnvironmentKind {
  kUnknown,       // "": not recorded
  kVenv,          // "venv": a virtual environment (pyvenv.cfg)
  kConda,         // "conda": a prefix with conda-meta/
  kSystem,        // "system": an interpreter's own prefix
  kPrefix,        // "prefix": a directory laid out as a prefix, no interpreter asked
  kSitePackages,  // "site-packages": site-packages directories given as such
  kPrediction,    // "prediction": nothing installed, predicted (pkgsizer predict)
  kImage,         // "image": the final filesystem of a container image (pkgsizer docker)
};

std::string_view to_string(ModuleKind kind);
std::string_view to_string(EnvironmentKind kind);
std::optional<ModuleKind> module_kind_from_string(std::string_view text);
std::optional<EnvironmentKind> environment_kind_from_string(std::string_view text);

// `scan-env --show-wheel-size`: the wheel the index has for an installed distribution's version.
struct WheelDownload {
  std::string file_name;                        // empty when no wheel fits the environment
  std::optional<std::uint64_t> download_bytes;  // unknown: not on the index, offline, ...
  std::string note;                             // why download_bytes is unknown
};

struct Distribution {
  std::string name;             // as written in METADATA (or the directory name)
  std::string normalized_name;  // PEP 503
  std::string version;
  std::string location;       // the site-packages directory it is installed in
  std::string metadata_path;  // the .dist-info / .egg-info / .egg-link path
  MetadataKind metadata_kind = MetadataKind::kUnknown;
  FilesSource files_source = FilesSource::kUnknown;
  std::string installer;   // INSTALLER file ("conda" for a conda package), empty when unknown
  bool requested = false;  // PEP 376 REQUESTED file present
  bool editable = false;  // PEP 610 direct_url.json dir_info.editable, .egg-link, __editable__ .pth
  std::string editable_target;  // where an editable install's sources live
  bool inherited = false;  // from the base interpreter of a venv with include-system-site-packages
  std::vector<std::string> requires_dist;  // raw Requires-Dist lines (PEP 508)
  std::vector<std::string> top_level;      // top-level import names

  Size size;                        // every file it claims, shared ones included
  std::uint64_t outside_bytes = 0;  // apparent bytes of files outside site-packages (bin/...)
  std::uint64_t shared_bytes = 0;   // apparent bytes of files another distribution claims too
  std::uint64_t shared_files = 0;
  std::uint64_t missing_files = 0;  // listed in RECORD but not on disk
  std::vector<ModuleNode> modules;  // filled only when a module tree was asked for

  // The dependency graph (graph/dependency_graph.hpp).
  std::vector<Dependency> dependencies;  // edges whose markers hold for the target
  std::vector<std::string> required_by;  // normalized names of installed dependents
  bool root = false;                     // nothing requires it, or it was REQUESTED
  std::uint64_t cumulative_bytes = 0;    // itself and every transitive dependency, once each
  std::uint64_t removal_bytes = 0;       // what uninstalling it and its unneeded deps frees
  std::optional<WheelDownload> wheel;    // only when --show-wheel-size asked for it

  // Installed (apparent) bytes per byte of wheel download; unknown without a wheel size.
  std::optional<double> installed_to_wheel_ratio() const {
    if (!wheel || !wheel->download_bytes || *wheel->download_bytes == 0) return std::nullopt;
    return static_cast<double>(size.apparent_bytes) / static_cast<double>(*wheel->download_bytes);
  }

  // Uninstalling it breaks nothing: no installed distribution requires it. Otherwise
  // removal_bytes is not something one can have, and every view says so instead of a size.
  bool removable() const { return required_by.empty(); }
};

struct Environment {
  EnvironmentKind kind = EnvironmentKind::kUnknown;
  std::string prefix;
  std::string interpreter;     // empty when the scan did not need one
  std::string python_version;  // "3.11.7", or "3.11" when read from the layout
  // How python_version was found: "interpreter", "path" (lib/python3.11/...), or, for a
  // directory without a version in its path (Debian's /usr/lib/python3/dist-packages), the
  // interpreter that owns it, its extension modules or a sibling directory, in words.
  std::string python_version_source;
  std::string platform;  // e.g. "linux-x86_64"
  std::vector<std::string> site_packages;
  std::vector<std::string> inherited_site_packages;  // base interpreter's, for system-site venvs
  bool include_system_site_packages = false;
  // PEP 508 marker values of the target interpreter, when it was asked (name -> value).
  std::map<std::string, std::string> markers;
};

struct Totals {
  std::uint64_t distributions = 0;
  Size all;          // every file and directory of the scanned trees, once each
  Size owned;        // files claimed by one or more distributions, counted once
  Size unowned;      // files claimed by none
  Size directories;  // the directories themselves (their st_size / blocks)
  Size shared;       // files claimed by two or more distributions (once)
  Size outside;      // owned files outside the scanned trees (already in owned)
  Size selected;     // the distributions shown (after -p / --exclude / editable), each file once
};

// How bad a problem is. Declared in the order problems sort in (errors first).
enum class Severity {
  kError,    // "error": results are partial (exit 4)
  kWarning,  // "warning"
};

// What a problem is about. Dependency problems fail the run only with --strict. Declared in the
// order problems sort in: scan problems first, then by name.
enum class ProblemKind {
  kScan,         // "scan": reading the trees or the metadata
  kCycle,        // "cycle": distributions that require each other
  kMissing,      // "missing": a required distribution is not installed
  kRequirement,  // "requirement": a Requires-Dist that does not parse
  kUnknownSize,  // "unknown_size": a predicted package whose size is not known (a size problem)
  kVersion,      // "version": the installed version does not match the specifier
};

// The names JSON and the cache use (docs/json-format.md), and back; nullopt for any other text.
std::string_view to_string(Severity severity);
std::string_view to_string(ProblemKind kind);
std::optional<Severity> severity_from_string(std::string_view text);
std::optional<ProblemKind> problem_kind_from_string(std::string_view text);

struct Problem {
  Severity severity = Severity::kWarning;
  std::string path;
  std::string message;
  ProblemKind kind = ProblemKind::kScan;
  bool is_dependency_problem() const {
    return kind != ProblemKind::kScan && kind != ProblemKind::kUnknownSize;
  }
};

// A file nobody claims, for the "unowned" report.
struct UnownedEntry {
  std::string path;  // relative to its site-packages directory (top-level entry)
  Size size;
};

struct Scan {
  static constexpr int kSchemaVersion = 1;
  std::string tool_version;
  std::string created_at;  // ISO 8601 UTC
  Environment environment;
  Totals totals;
  std::vector<Distribution> distributions;
  std::vector<UnownedEntry> unowned;  // grouped by top-level entry, largest first
  std::vector<Problem> problems;
};

}  // namespace pkgsizer
