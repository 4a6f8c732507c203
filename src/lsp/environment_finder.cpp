#include "lsp/environment_finder.hpp"

#include <toml++/toml.h>

#include <filesystem>
#include <system_error>

#include "recommend/project.hpp"
#include "util/read_file.hpp"

namespace pkgsizer::lsp {

namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kMaxConfigBytes = 1 << 20;

bool is_venv(const fs::path& prefix) {
  std::error_code error;
  return fs::is_regular_file(prefix / "pyvenv.cfg", error);
}

// pkgsizer.toml's [environment] venv, relative to the file's directory.
std::optional<fs::path> configured_venv(const fs::path& directory) {
  const fs::path config = directory / "pkgsizer.toml";
  std::error_code error;
  if (!fs::is_regular_file(config, error)) return std::nullopt;
  const auto text = read_text_file(config.string(), kMaxConfigBytes);
  if (!text) return std::nullopt;
  try {
    const toml::table document = toml::parse(*text, config.string());
    if (const auto venv = document["environment"]["venv"].value<std::string>())
      return (directory / *venv).lexically_normal();
  } catch (const toml::parse_error&) {
    // check-budget reports the file's syntax; here it only names no environment.
  }
  return std::nullopt;
}

// The directories from `directory` up to the workspace folder holding it (to / when none does).
std::vector<fs::path> upward(const std::string& directory,
                             const std::vector<std::string>& workspace_roots) {
  fs::path current = fs::path(directory).lexically_normal();
  std::optional<fs::path> stop;
  for (const std::string& root : workspace_roots) {
    const fs::path normal = fs::path(root).lexically_normal();
    const auto relative = current.lexically_relative(normal);
    if (!relative.empty() && *relative.begin() != "..") stop = normal;
  }
  std::vector<fs::path> chain;
  while (true) {
    chain.push_back(current);
    if ((stop && current == *stop) || current == current.parent_path()) break;
    current = current.parent_path();
  }
  return chain;
}

}  // namespace

std::optional<FoundEnvironment> find_environment(const std::string& directory,
                                                 const std::vector<std::string>& workspace_roots,
                                                 const std::string& virtual_env) {
  for (const fs::path& candidate : upward(directory, workspace_roots)) {
    if (const auto configured = configured_venv(candidate))
      return FoundEnvironment{configured->string(), "pkgsizer.toml [environment] venv"};
    if (is_venv(candidate / ".venv"))
      return FoundEnvironment{(candidate / ".venv").string(), ".venv"};
  }
  if (!virtual_env.empty())
    return FoundEnvironment{fs::path(virtual_env).lexically_normal().string(), "$VIRTUAL_ENV"};
  return std::nullopt;
}

std::string find_project_root(const std::string& directory,
                              const std::vector<std::string>& workspace_roots) {
  for (const fs::path& candidate : upward(directory, workspace_roots))
    if (recommend::looks_like_project(candidate.string())) return candidate.string();
  return directory;
}

}  // namespace pkgsizer::lsp
