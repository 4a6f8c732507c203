// Finding the environment to scan: --site-packages, --venv, --python, $VIRTUAL_ENV,
// $CONDA_PREFIX, then python3 on PATH — the first that applies.
#pragma once

#include <string>
#include <vector>

#include "model/model.hpp"
#include "util/error.hpp"
#include "util/file_system.hpp"

namespace pkgsizer::env {

struct EnvironmentRequest {
  std::vector<std::string> site_packages;     // --site-packages (repeatable)
  std::string venv;                           // --venv
  std::string python;                         // --python
  std::string virtual_env;                    // $VIRTUAL_ENV
  std::string conda_prefix;                   // $CONDA_PREFIX
  bool include_system_site_packages = false;  // also scan a system-site venv's base packages
};

// "not an environment", "no such directory", "cannot run python": exit code 3 in the CLI.
class EnvironmentError : public Error {
 public:
  explicit EnvironmentError(const std::string& message)
      : Error(ErrorCategory::kEnvironment, message) {}
};

Environment locate_environment(const EnvironmentRequest& request);

// Reads a prefix's layout without starting Python: pyvenv.cfg, conda-meta/,
// lib/pythonX.Y/site-packages, lib64/..., Lib/site-packages.
// The site-packages directories a prefix's layout has: lib/python*/site-packages, the same under
// lib64 (often a link to lib: each real directory once), and Lib/site-packages (Windows); with
// `debian_style`, also lib/python*/dist-packages. Real paths, in that order.
std::vector<std::string> layout_site_packages(const std::string& prefix, bool debian_style,
                                              const FileSystem& files = disk_file_system());

Environment environment_from_prefix(const std::string& prefix, bool include_system_site_packages);

}  // namespace pkgsizer::env
