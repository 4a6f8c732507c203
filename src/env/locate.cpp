#include "env/locate.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "env/interpreter.hpp"
#include "env/pyvenv_cfg.hpp"
#include "util/read_file.hpp"

namespace pkgsizer::env {
namespace {

// A directory to scan, or an error that says why not: "no such directory" must not hide a
// permission problem, nor "not a Python environment" a directory that cannot be listed.
void require_readable_directory(const std::string& path) {
  struct ::stat info {};
  if (::stat(path.c_str(), &info) != 0)
    throw EnvironmentError(errno == ENOENT
                               ? fmt::format("{}: no such directory", path)
                               : fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
  if (!S_ISDIR(info.st_mode)) throw EnvironmentError(fmt::format("{}: not a directory", path));
  if (::access(path.c_str(), R_OK | X_OK) != 0)
    throw EnvironmentError(fmt::format("{}: cannot read: {}", path, std::strerror(errno)));
}

namespace fs = std::filesystem;

// Adds the real path of `directory` unless it is already there (lib64 -> lib counts once).
void add_unique_real_directory(std::vector<std::string>& directories, const fs::path& directory,
                               const FileSystem& files = disk_file_system()) {
  if (!files.is_directory(directory.string())) return;
  const std::string real = files.real_path(directory.string());
  if (real.empty()) return;
  if (std::find(directories.begin(), directories.end(), real) == directories.end())
    directories.push_back(real);
}

std::string version_from_path(const std::string& path) {
  static const std::regex kPythonDirectory(R"(python(\d+\.\d+))");
  std::smatch match;
  return std::regex_search(path, match, kPythonDirectory) ? match[1].str() : "";
}

// The interpreter that owns a site directory without a version in its path: python3.X (or
// python3) in the prefix's bin/ whose site-packages list holds it. /usr/lib/python3/dist-packages
// belongs to /usr/bin/python3.11 on Debian 12.
bool version_from_owning_interpreter(const fs::path& directory, Environment& environment) {
  std::error_code error;
  const fs::path real = fs::canonical(directory, error);
  if (error) return false;
  // Only the Debian layout, PREFIX/lib/python3/dist-packages (or site-packages): any other
  // directory is no interpreter's, and starting one costs tens of milliseconds.
  const std::string parent = real.parent_path().filename().string();
  const std::string lib = real.parent_path().parent_path().filename().string();
  if ((parent != "python3" && parent != "python") || (lib != "lib" && lib != "lib64")) return false;
  const fs::path bin = real.parent_path().parent_path().parent_path() / "bin";
  std::vector<fs::path> candidates;
  for (const auto& entry : fs::directory_iterator(bin, error)) {
    static const std::regex kVersioned(R"(python3\.\d+)");
    if (std::regex_match(entry.path().filename().string(), kVersioned))
      candidates.push_back(entry.path());
  }
  std::sort(candidates.rbegin(), candidates.rend());
  if (fs::exists(bin / "python3", error)) candidates.insert(candidates.begin(), bin / "python3");
  for (const fs::path& candidate : candidates) {
    try {
      const InterpreterInfo info = query_interpreter(candidate.string());
      const bool owns = std::any_of(info.site_packages.begin(), info.site_packages.end(),
                                    [&](const std::string& site) {
                                      std::error_code site_error;
                                      return fs::equivalent(site, real, site_error);
                                    });
      if (!owns) continue;
      const auto found = info.markers.find("python_version");
      if (found == info.markers.end()) continue;
      environment.python_version = found->second;
      environment.markers = info.markers;
      environment.python_version_source = fmt::format(
          "interpreter {}: its site-packages include the directory", candidate.string());
      return true;
    } catch (const std::runtime_error&) {
      // Not runnable here (another machine's tree): the files decide.
    }
  }
  return false;
}

// The version most extension modules are built for (PEP 3149 tags: mod.cpython-311-x86_64-
// linux-gnu.so), looking at the directory and one level into its packages.
bool version_from_extension_modules(const fs::path& directory, Environment& environment) {
  static const std::regex kTag(R"(\.cpython-3(\d+)[a-z]*-[^.]*\.so$)");
  std::map<std::string, std::size_t> counts;
  std::error_code error;
  const auto count = [&](const fs::path& name) {
    std::smatch match;
    const std::string text = name.filename().string();
    if (std::regex_search(text, match, kTag)) ++counts["3." + match[1].str()];
  };
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    count(entry.path());
    std::error_code inner_error;
    if (entry.is_directory(inner_error) && !entry.is_symlink(inner_error))
      for (const auto& inner : fs::directory_iterator(entry.path(), inner_error))
        count(inner.path());
  }
  if (counts.empty()) return false;
  const auto most =
      std::max_element(counts.begin(), counts.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
  environment.python_version = most->first;
  environment.python_version_source =
      fmt::format("extension modules: {} *.cpython-{}-*.so", most->second,
                  most->first.substr(0, 1) + most->first.substr(2));
  return true;
}

// PREFIX/lib/python3.X next to PREFIX/lib/python3: the newest, when there are several.
bool version_from_sibling(const fs::path& directory, Environment& environment) {
  std::error_code error;
  const fs::path lib = fs::absolute(directory, error).parent_path().parent_path();
  std::string best;
  std::string best_path;
  for (const auto& entry : fs::directory_iterator(lib, error)) {
    const std::string name = entry.path().filename().string();
    const std::string version = version_from_path(name);
    if (version.empty() || name != "python" + version) continue;
    // Minor versions compared as numbers without parsing them: longer is larger.
    const auto newer = [](const std::string& a, const std::string& b) {
      if (b.empty()) return true;
      const std::string minor_a = a.substr(a.find('.') + 1), minor_b = b.substr(b.find('.') + 1);
      return minor_a.size() != minor_b.size() ? minor_a.size() > minor_b.size() : minor_a > minor_b;
    };
    if (newer(version, best)) {
      best = version;
      best_path = entry.path().string();
    }
  }
  if (best.empty()) return false;
  environment.python_version = best;
  environment.python_version_source = fmt::format("sibling directory {}", best_path);
  return true;
}

// Sets python_version (and how it was found) from the first site directory: its path
// (lib/python3.11/site-packages), else — for a directory without a version, such as Debian's
// /usr/lib/python3/dist-packages, where markers were once evaluated as Python "3" — the
// interpreter that owns it, its extension modules, or a sibling lib/python3.X.
void infer_python_version(Environment& environment) {
  if (environment.site_packages.empty()) return;
  const fs::path directory = environment.site_packages.front();
  environment.python_version = version_from_path(directory.string());
  if (!environment.python_version.empty()) {
    environment.python_version_source = "path";
    return;
  }
  if (version_from_owning_interpreter(directory, environment)) return;
  if (version_from_extension_modules(directory, environment)) return;
  version_from_sibling(directory, environment);
}

std::string platform_from_uname() {
  utsname name{};
  if (::uname(&name) != 0) return "";
  std::string system = name.sysname;
  std::transform(system.begin(), system.end(), system.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return system + "-" + name.machine;
}

}  // namespace

std::vector<std::string> layout_site_packages(const std::string& prefix_text, bool debian_style,
                                              const FileSystem& files) {
  const fs::path prefix(prefix_text);
  std::vector<std::string> found;
  for (const char* lib : {"lib", "lib64"}) {
    std::vector<fs::path> python_directories;
    for (const std::string& name : files.list_directory((prefix / lib).string()))
      if (name.rfind("python", 0) == 0) python_directories.push_back(prefix / lib / name);
    std::sort(python_directories.begin(), python_directories.end());
    for (const fs::path& python_directory : python_directories) {
      add_unique_real_directory(found, python_directory / "site-packages", files);
      if (debian_style) add_unique_real_directory(found, python_directory / "dist-packages", files);
    }
  }
  add_unique_real_directory(found, prefix / "Lib" / "site-packages", files);  // Windows layout
  return found;
}

namespace {

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
  environment.python_version_source = "interpreter";
  environment.prefix = info.prefix;
  environment.platform = info.platform;
  environment.markers = info.markers;
  std::error_code error;
  if (info.in_venv) {
    environment.kind = EnvironmentKind::kVenv;
    environment.include_system_site_packages =
        parse_pyvenv_cfg(
            read_text_file((fs::path(info.prefix) / "pyvenv.cfg").string(), kMaxMetadataFileBytes)
                .value_or(""))
            .include_system_site_packages;
  } else {
    environment.kind = fs::is_directory(fs::path(info.prefix) / "conda-meta", error)
                           ? EnvironmentKind::kConda
                           : EnvironmentKind::kSystem;
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
  require_readable_directory(prefix_text);
  Environment environment;
  environment.prefix = fs::canonical(prefix, error).string();
  environment.platform = platform_from_uname();
  environment.interpreter = first_executable(
      {prefix / "bin" / "python3", prefix / "bin" / "python", prefix / "python.exe"});

  const fs::path cfg_path = prefix / "pyvenv.cfg";
  PyvenvCfg cfg;
  if (fs::exists(cfg_path, error)) {
    environment.kind = EnvironmentKind::kVenv;
    cfg = parse_pyvenv_cfg(read_text_file(cfg_path.string(), kMaxMetadataFileBytes).value_or(""));
    environment.include_system_site_packages = cfg.include_system_site_packages;
  } else if (fs::is_directory(prefix / "conda-meta", error)) {
    environment.kind = EnvironmentKind::kConda;
  } else {
    environment.kind = EnvironmentKind::kPrefix;
  }
  // Debian's own interpreter keeps packages in dist-packages; venvs never do.
  environment.site_packages =
      layout_site_packages(prefix_text, environment.kind == EnvironmentKind::kPrefix);
  if (environment.site_packages.empty())
    throw EnvironmentError(fmt::format(
        "{}: not a Python environment (no pyvenv.cfg, conda-meta/ or lib/pythonX.Y/site-packages)",
        prefix_text));
  if (cfg.version.empty()) {
    infer_python_version(environment);
  } else {
    environment.python_version = cfg.version;
    environment.python_version_source = "pyvenv.cfg";
  }

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
    environment.kind = EnvironmentKind::kSitePackages;
    environment.platform = platform_from_uname();
    for (const std::string& directory : request.site_packages) {
      require_readable_directory(directory);
      add_unique_real_directory(environment.site_packages, directory);
    }
    infer_python_version(environment);
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
