// A Python project as recommend sees it: the imports of its Python files, the names of its own
// modules, the dependencies it declares (pyproject.toml, requirements*.txt, setup.cfg) with the
// line that declares each, and the text of its tool configuration, where console scripts are
// named (Makefile, tox.ini, CI workflows).
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "recommend/python_imports.hpp"

namespace pkgsizer::recommend {

struct ProjectImport {
  std::string file;  // relative to the project directory
  ImportReference reference;
};

struct DeclaredDependency {
  std::string normalized_name;   // PEP 503
  std::string requirement;       // as written
  std::string where;             // "pyproject.toml:12"
  std::set<std::string> extras;  // "pkg[all]": {"all"}
};

struct Project {
  std::string root;
  std::string normalized_name;  // [project] name, empty when none
  std::size_t python_files = 0;
  std::vector<ProjectImport> imports;
  std::set<std::string> local_modules;  // top-level names of the project's own code
  std::vector<DeclaredDependency> declared;
  std::string tool_text;              // configuration and script files, for console scripts
  std::vector<std::string> warnings;  // files that could not be read or parsed
};

// The files that mark a directory as a project: pyproject.toml, setup.py, setup.cfg,
// requirements*.txt.
bool looks_like_project(const std::string& directory);

// Walks `directory` (hidden directories, __pycache__, node_modules, site-packages and virtual
// environments, i.e. directories holding pyvenv.cfg, are left out) and reads what it finds.
// Throws pkgsizer::Error (kEnvironment, exit 3) when `directory` is not a readable directory.
Project read_project(const std::string& directory);

}  // namespace pkgsizer::recommend
