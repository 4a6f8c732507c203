// `pkgsizer recommend`: where an environment's bytes can be saved. Five kinds of findings, each
// with the bytes it would save (apparent and disk), how sure it is, the evidence and the action
// (docs/recommend.md). Pure over a finished scan and a read project: the command line locates,
// scans, reads the project and renders.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"
#include "recommend/project.hpp"

namespace pkgsizer::recommend {

// Declared in the order the table groups them.
enum class FindingKind {
  kUnused,    // "unused": distributions the project never imports
  kBloat,     // "bloat": files inside distributions the program never needs
  kNative,    // "native": unstripped, duplicated or GPU-only shared libraries
  kLeftover,  // "leftover": duplicate metadata, unclaimed files, caches
  kHeavier,   // "heavier": a lighter alternative or extra exists
};
enum class Certainty { kCertain, kLikely, kCheck };

std::string_view to_string(FindingKind kind);
std::string_view to_string(Certainty certainty);
std::optional<FindingKind> finding_kind_from_string(std::string_view text);
const std::vector<std::string>& finding_kind_names();

struct Finding {
  FindingKind kind = FindingKind::kUnused;
  std::string title;
  std::vector<std::string> distributions;  // the ones it is about, by name
  std::optional<Size> bytes;               // what acting saves; nothing when not known
  Certainty certainty = Certainty::kCheck;
  std::vector<std::string> evidence;
  std::string action;  // the command or change that acts on it
  std::string glob;    // kind bloat: the files, as a glob relative to site-packages
};

// deptry's two project checks: a declared dependency nothing imports, an import of an installed
// distribution that the project does not declare.
struct DeclaredUnused {
  std::string name;
  std::string where;  // "pyproject.toml:7"
};
struct Undeclared {
  std::string name;
  std::vector<std::string> imported_at;  // "app/main.py:3"
};

struct Recommendations {
  std::vector<Finding> findings;  // biggest saving first, unknown savings last
  Size environment;               // every file of the scanned trees
  Size savable;                   // the findings' known savings, summed
  bool with_project = false;
  std::string project_root;
  std::size_t python_files = 0;
  std::size_t imports = 0;
  std::vector<DeclaredUnused> declared_unused;
  std::vector<Undeclared> undeclared;
  std::vector<std::string> warnings;
};

// The installed size of an alternative ("opencv-python-headless"), from predict; nothing when
// it is not known.
using AlternativeSize = std::function<std::optional<std::uint64_t>(const std::string& name)>;

struct RecommendOptions {
  const Project* project = nullptr;  // kind unused needs one
  std::set<FindingKind> kinds;       // empty: all
  std::uint64_t min_bytes = 0;       // findings saving fewer apparent bytes are left out
  bool gpu_present = false;
  AlternativeSize alternative_size;  // empty: no --predict
  // False for a stored scan (`pkgsizer serve`), whose files are on another machine: nothing is
  // read from disk (the scan's paths are not this machine's, and come from an upload), so only
  // the kinds that need no files run — heavier (curated alternatives, extras).
  bool files_on_disk = true;
};

// Whether this machine has an NVIDIA or AMD GPU device (/dev/nvidiactl, /dev/kfd).
bool gpu_present();

Recommendations recommend(const Scan& scan, const RecommendOptions& options);

}  // namespace pkgsizer::recommend
