// What importing costs: the median time of each imported module over several runs, attributed
// to the installed distribution that owns its file (or the standard library, or the start-up of
// the interpreter), with the chains of imports that pulled each distribution in. Built from the
// parsed logs of the runs (import_log.hpp) and the interpreter's module table; pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importtime/import_log.hpp"

namespace pkgsizer::importtime {

// The attribution kinds a module can have, besides an installed distribution's name.
inline constexpr const char* kStdlib = "stdlib";
inline constexpr const char* kStartup = "startup";
inline constexpr const char* kUnowned = "unowned";
// Imported but not in sys.modules afterwards: an import that failed and was caught (an optional
// dependency that is not installed), or a module that removed itself.
inline constexpr const char* kNotLoaded = "not-loaded";

// What a DistributionTiming stands for: an installed distribution, or one of the kinds above
// (a closed set; its JSON "kind" is to_string's text).
enum class AttributionKind { kDistribution, kStdlib, kStartup, kUnowned, kNotLoaded };
std::string_view to_string(AttributionKind kind);
std::optional<AttributionKind> attribution_kind_from_string(std::string_view text);
// The kind of an attribution name: kStdlib for "stdlib", ..., kDistribution for any other name.
AttributionKind attribution_kind_of(std::string_view name);

struct TimeStats {
  std::int64_t median_us = 0;
  std::int64_t min_us = 0;
  std::int64_t max_us = 0;
};

struct ModuleTiming {
  std::string name;
  std::string file;          // where it was loaded from; empty for built-in and frozen modules
  std::string distribution;  // an installed distribution's name, or stdlib, startup, unowned
  bool startup = false;      // imported by the interpreter before the measured code ran
  bool cached = false;       // an -X importtime=2 line: already imported, no time
  TimeStats self;
  TimeStats cumulative;
  std::size_t parent = kNoParent;
  std::vector<std::size_t> children;
};

struct DistributionTiming {
  std::string name;  // as installed, or stdlib / startup / unowned
  AttributionKind kind = AttributionKind::kDistribution;
  std::string version;       // installed distributions only
  std::int64_t self_us = 0;  // the sum of its modules' median self times
  std::size_t modules = 0;
  double share = 0;  // self_us / the measured modules' self times (start-up: 0), in percent
  // The first chain of imports that reached it, from the measured code: module names, the last
  // one its own.
  std::vector<std::string> chain;
  std::vector<std::string> importers;  // modules of other distributions that import it
  std::int64_t cumulative_us =
      0;  // its entry modules' cumulative times: what not importing it saves
};

struct LazyCandidate {
  std::string distribution;
  std::string importer;    // the one module that imports it
  std::int64_t saving_us;  // the cumulative time of its imports under that module
};

struct ImportProfile {
  static constexpr int kSchemaVersion = 1;
  std::string target;  // "import requests", "-c CODE", "--script app.py"
  std::string interpreter;
  std::string python_version;
  int runs = 0;
  int warmup = 0;
  bool cold = false;
  TimeStats total;                    // the measured code's imports (roots after start-up), per run
  TimeStats startup;                  // the interpreter's own start-up imports, per run
  std::vector<ModuleTiming> modules;  // in log order of the reference run
  std::vector<std::size_t> roots;     // in import order
  std::vector<DistributionTiming> distributions;  // by self time, highest first
  std::vector<LazyCandidate> lazy_candidates;     // by saving, highest first
  std::vector<std::string> other_lines;           // stderr lines that were not import-time lines
};

// The interpreter's answer for one module: kind "file", "built-in", "frozen", "namespace"
// (path: its first directory) or "none".
struct ModuleOrigin {
  std::string kind;
  std::string path;
};

struct Attribution {
  std::map<std::string, ModuleOrigin> origins;  // by module name
  // Distribution (name, version) owning each origin path, found by the scan's ownership.
  std::map<std::string, std::pair<std::string, std::string>> owner_of_path;
  std::vector<std::string> stdlib_dirs;    // sysconfig stdlib, platstdlib
  std::vector<std::string> site_packages;  // never the standard library
};

// One measured run: the start-up part (before the measured code) and the measured part.
struct RunLogs {
  ImportLog startup;
  ImportLog measured;
};

// Medians over `runs` (at least one), the tree of the first run, attribution, the summaries.
ImportProfile build_profile(const std::vector<RunLogs>& runs, const Attribution& attribution);

// The indices of profile.modules in pre-order (parents first).
std::vector<std::size_t> preorder(const ImportProfile& profile);

// Module names from the root of the measured code down to `module`.
std::vector<std::string> chain_to(const ImportProfile& profile, std::size_t module);

}  // namespace pkgsizer::importtime
