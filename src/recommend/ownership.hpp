// Which files each installed distribution has, and which import names it provides: the same
// claims the scanner makes (RECORD, installed-files.txt, top_level.txt), read again per
// distribution so that recommend can look at single files, which the scan model does not keep.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace pkgsizer::recommend {

struct DistributionFileList {
  // Paths relative to the distribution's site-packages directory ("numpy/core/x.so"); files
  // outside it ("../../../bin/tool") are left out: nothing recommend looks at lives there.
  std::vector<std::string> paths;
  std::vector<std::string> console_scripts;  // entry_points.txt [console_scripts] names
  bool pytest_plugin = false;                // entry_points.txt has a [pytest11] group
  // Top-level modules of the directories its .pth files add to sys.path (site module: one
  // directory per line, relative to site-packages; lines starting with "import" run code and
  // are skipped): an old-style editable install provides its modules that way.
  std::vector<std::string> pth_modules;
};

// The files of `dist`, read from its metadata again (RECORD, installed-files.txt) or, for a
// claim by import name (Debian's egg-info with top_level.txt), found on disk.
DistributionFileList list_distribution_files(const Distribution& dist);

// Import name -> indices of the distributions that provide it. A regular package or module
// claims its name ("yaml"); a namespace package (PEP 420: no __init__.py) claims the names one
// level down ("google.cloud.storage"), so two distributions sharing "google" are told apart.
class ModuleOwners {
 public:
  void add(std::size_t distribution, const std::vector<std::string>& paths);
  // Top-level names it provides without listing their files (.pth directories).
  void add_names(std::size_t distribution, const std::vector<std::string>& names);
  // The distributions a dotted import name resolves to, by the longest claimed prefix; an
  // import of a namespace package itself ("google") resolves to every distribution in it.
  std::set<std::size_t> owners_of(const std::string& module) const;
  const std::map<std::string, std::set<std::size_t>>& claims() const { return claims_; }

 private:
  std::map<std::string, std::set<std::size_t>> claims_;
};

// "numpy/core/_x.cpython-311-x86_64-linux-gnu.so" -> "numpy.core._x"; "six.py" -> "six".
// Empty for a path that is no module (data, metadata, scripts).
std::string module_name_of(const std::string& path);

}  // namespace pkgsizer::recommend
