#include "env/locate.hpp"

#include <fmt/format.h>
#include <sys/utsname.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "env/interpreter.hpp"
#include "env/pyvenv_cfg.hpp"
#include "util/read_file.hpp"

namespace pkgsizer::env {
namespace {

namespace fs = std::filesystem;

// Adds the real path of `directory` unless it is already there (lib64 -> lib counts once).
void add_unique_real_directory(std::vector<std::string>& directories, const fs::path& directory) {
  std::error_code error;
  if (!fs::is_directory(directory, error)) return;
  const std::string real = fs::canonical(directory, error).string();
  if (error || real.empty()) return;
  if (std::find(directories.begin(), directories.end(), real) == directories.end())
    directories.push_back(real);
}

std::string version_from_path(const std::string& path) {
  static const std::regex kPythonDirectory(R"(python(\d+\.\d+))");
  std::smatch match;
  return std::regex_search(path, match, kPythonDirectory) ? match[1].str() : "";
}

std::string platform_from_uname() {
  utsname name{};
  if (::uname(&name) != 0) return "";
  std::string system = name.sysname;
  std::transform(system.begin(), system.end(), system.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return system + "-" + name.machine;
}

std::vector<std::string> layout_site_packages(const fs::path& prefix, bool debian_style) {
  std::vector<std::string> found;
  for (const char* lib : {"lib", "lib64"}) {
    std::error_code error;
    std::vector<fs::path> python_directories;
    for (const auto& entry : fs::directory_iterator(prefix / lib, error))
      if (entry.path().filename().string().rfind("python", 0) == 0)
        python_directories.push_back(entry.path());
    std::sort(python_directories.begin(), python_directories.end());
    for (const fs::path& python_directory : python_directories) {
      add_unique_real_directory(found, python_directory / "site-packages");
      if (debian_style) add_unique_real_directory(found, python_directory / "dist-packages");
    }
  }
  add_unique_real_directory(found, prefix / "Lib" / "site-packages");  // Windows layout
  return found;
}

Environment environment_from_interpreter(const std::string& python,
                                         bool include_system_site_packages) {
  InterpreterInfo info;
  try {
    info = query_interpreter(python);
  } catch (const std::runtime_error& error) {
    throw EnvironmentError(error.what());
  }
  Environment environment;
  environment.interpreter = info.executable;
  environment.python_version = info.version;
  environment.prefix = info.prefix;
  environment.platform = info.platform;
  environment.markers = info.markers;
  std::error_code error;
  if (info.in_venv) {
    environment.kind = "venv";
    environment.include_system_site_packages =
        parse_pyvenv_cfg(
            read_text_file((fs::path(info.prefix) / "pyvenv.cfg").string(), kMaxMetadataFileBytes)
                .value_or(""))
            .include_system_site_packages;
  } else {
    environment.kind =
        fs::is_directory(fs::path(info.prefix) / "conda-meta", error) ? "conda" : "system";
  }
  for (const std::string& directory : info.site_packages)
    add_unique_real_directory(environment.site_packages, directory);
  if (environment.include_system_site_packages && include_system_site_packages)
    for (const std::string& directory : info.base_site_packages)
      if (std::find(environment.site_packages.begin(), environment.site_packages.end(),
                    directory) == environment.site_packages.end())
        add_unique_real_directory(environment.inherited_site_packages, directory);
  if (environment.site_packages.empty())
    throw EnvironmentError(fmt::format("{} reports no existing site-packages directory", python));
  return environment;
}

std::string first_executable(const std::vector<fs::path>& candidates) {
  std::error_code error;
  for (const fs::path& candidate : candidates)
    if (fs::exists(candidate, error)) return candidate.string();
  return "";
}

}  // namespace

Environment environment_from_prefix(const std::string& prefix_text,
                                    bool include_system_site_packages) {
  std::error_code error;
  const fs::path prefix(prefix_text);
  if (!fs::exists(prefix, error))
    throw EnvironmentError(fmt::format("{}: no such directory", prefix_text));
  if (!fs::is_directory(prefix, error))
    throw EnvironmentError(fmt::format("{}: not a directory", prefix_text));
  Environment environment;
  environment.prefix = fs::canonical(prefix, error).string();
  environment.platform = platform_from_uname();
  environment.interpreter = first_executable(
      {prefix / "bin" / "python3", prefix / "bin" / "python", prefix / "python.exe"});

  const fs::path cfg_path = prefix / "pyvenv.cfg";
  PyvenvCfg cfg;
  if (fs::exists(cfg_path, error)) {
    environment.kind = "venv";
    cfg = parse_pyvenv_cfg(read_text_file(cfg_path.string(), kMaxMetadataFileBytes).value_or(""));
    environment.include_system_site_packages = cfg.include_system_site_packages;
  } else if (fs::is_directory(prefix / "conda-meta", error)) {
    environment.kind = "conda";
  } else {
    environment.kind = "prefix";
  }
  // Debian's own interpreter keeps packages in dist-packages; venvs never do.
  environment.site_packages = layout_site_packages(prefix, environment.kind == "prefix");
  if (environment.site_packages.empty())
    throw EnvironmentError(fmt::format(
        "{}: not a Python environment (no pyvenv.cfg, conda-meta/ or lib/pythonX.Y/site-packages)",
        prefix_text));
  environment.python_version =
      cfg.version.empty() ? version_from_path(environment.site_packages.front()) : cfg.version;

  if (environment.include_system_site_packages && include_system_site_packages) {
    // The base interpreter knows its own directories; ask it (this is the one case that needs it).
    const std::string base_python = first_executable(
        {fs::path(cfg.home) / ("python" + version_from_path(environment.site_packages.front())),
         fs::path(cfg.home) / "python3", fs::path(cfg.home) / "python"});
    if (base_python.empty())
      throw EnvironmentError(
          fmt::format("{}: base interpreter not found in home = {}", cfg_path.string(), cfg.home));
    const Environment base = environment_from_interpreter(base_python, false);
    for (const std::string& directory : base.site_packages)
      if (std::find(environment.site_packages.begin(), environment.site_packages.end(),
                    directory) == environment.site_packages.end())
        environment.inherited_site_packages.push_back(directory);
  }
  return environment;
}

Environment locate_environment(const EnvironmentRequest& request) {
  if (!request.site_packages.empty()) {
    Environment environment;
    environment.kind = "site-packages";
    environment.platform = platform_from_uname();
    for (const std::string& directory : request.site_packages) {
      std::error_code error;
      if (!fs::exists(directory, error))
        throw EnvironmentError(fmt::format("{}: no such directory", directory));
      if (!fs::is_directory(directory, error))
        throw EnvironmentError(fmt::format("{}: not a directory", directory));
      add_unique_real_directory(environment.site_packages, directory);
    }
    environment.python_version = version_from_path(environment.site_packages.front());
    return environment;
  }
  if (!request.venv.empty())
    return environment_from_prefix(request.venv, request.include_system_site_packages);
  if (!request.python.empty())
    return environment_from_interpreter(request.python, request.include_system_site_packages);
  if (!request.virtual_env.empty())
    return environment_from_prefix(request.virtual_env, request.include_system_site_packages);
  if (!request.conda_prefix.empty())
    return environment_from_prefix(request.conda_prefix, request.include_system_site_packages);
  return environment_from_interpreter("python3", request.include_system_site_packages);
}

}  // namespace pkgsizer::env
