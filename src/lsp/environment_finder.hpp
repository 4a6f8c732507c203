// Which environment a document's project uses, in this order (docs/lsp.md "Which
// environment"): walking up from the document's directory to the workspace folder that holds it
// (or to / when none does), in each directory first pkgsizer.toml's [environment] venv, then a
// .venv holding pyvenv.cfg; then $VIRTUAL_ENV. Never the interpreter on PATH: a scan of /usr
// answers a question the project did not ask.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pkgsizer::lsp {

struct FoundEnvironment {
  std::string prefix;  // absolute, lexically normal
  std::string why;     // "pkgsizer.toml [environment] venv", ".venv", "$VIRTUAL_ENV"
};

// `directory` is absolute. `workspace_roots` are absolute folders; `virtual_env` may be empty.
std::optional<FoundEnvironment> find_environment(const std::string& directory,
                                                 const std::vector<std::string>& workspace_roots,
                                                 const std::string& virtual_env);

// The project a document belongs to: the nearest directory up from `directory` (to the workspace
// folder) that looks like a project (recommend::looks_like_project), else `directory`.
std::string find_project_root(const std::string& directory,
                              const std::vector<std::string>& workspace_roots);

}  // namespace pkgsizer::lsp
