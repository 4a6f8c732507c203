#include "recommend/ownership.hpp"

#include <filesystem>
#include <system_error>
#include <unordered_set>

#include "metadata/distribution_reader.hpp"
#include "recommend/python_imports.hpp"
#include "util/read_file.hpp"
#include "util/text.hpp"

namespace pkgsizer::recommend {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxEntryPointsBytes = 4 << 20;

std::string entry_of(const std::string& metadata_path) {
  return fs::path(metadata_path).filename().string();
}

bool is_extension_file(std::string_view name) {
  return name.size() > 3 && name.substr(name.size() - 3) == ".so";
}

// Every regular file under site_packages/entry, as paths relative to site_packages.
void add_files_under(const std::string& site_packages, const std::string& entry,
                     std::vector<std::string>& paths) {
  std::error_code error;
  const fs::path root = fs::path(site_packages) / entry;
  const fs::file_status status = fs::symlink_status(root, error);
  if (error) return;
  if (fs::is_regular_file(status)) {
    paths.push_back(entry);
    return;
  }
  if (!fs::is_directory(status)) return;
  // Lexically relative: fs::relative would resolve every path (a realpath per file).
  const std::size_t prefix = site_packages.size() + 1;
  for (fs::recursive_directory_iterator it(root, error), end; !error && it != end;
       it.increment(error))
    if (it->is_regular_file(error) && !it->is_symlink(error))
      paths.push_back(it->path().string().substr(prefix));
}

// The files a claim by import name takes: name/, name.py, name.*.so (as the scanner claims).
void add_import_name_files(const Distribution& dist, const std::vector<std::string>& names,
                           std::vector<std::string>& paths) {
  std::error_code error;
  std::vector<std::string> entries;
  for (fs::directory_iterator it(dist.location, error), end; !error && it != end;
       it.increment(error))
    entries.push_back(it->path().filename().string());
  for (const std::string& name : names) {
    if (name.empty() || name.find("..") != std::string::npos) continue;
    for (const std::string& entry : entries)
      if (entry == name || entry == name + ".py" ||
          (is_extension_file(entry) && entry.rfind(name + ".", 0) == 0))
        add_files_under(dist.location, entry, paths);
  }
}

// entry_points.txt: an INI file of groups ([console_scripts]) of "name = module:attr" lines.
void read_entry_points(const Distribution& dist, DistributionFileList& list) {
  const auto text = read_text_file(dist.metadata_path + "/entry_points.txt", kMaxEntryPointsBytes);
  if (!text) return;
  std::string group;
  std::string_view rest = *text;
  while (!rest.empty()) {
    const std::size_t newline = rest.find('\n');
    const std::string_view line = trim(rest.substr(0, newline));
    rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    if (line.front() == '[') {
      group = std::string(trim(line.substr(1, line.find(']') - 1)));
      if (group == "pytest11") list.pytest_plugin = true;
      continue;
    }
    const std::size_t equals = line.find('=');
    if ((group == "console_scripts" || group == "gui_scripts") && equals != std::string::npos)
      list.console_scripts.emplace_back(trim(line.substr(0, equals)));
  }
}

// The modules of the directories a .pth file adds (the site module's documentation): each
// package (a directory with an identifier's name) and module (name.py, name.*.so) at the top.
void read_pth_modules(const Distribution& dist, const std::string& pth,
                      std::vector<std::string>& modules) {
  constexpr std::uint64_t kMaxPthBytes = 1 << 20;
  const auto text = read_text_file(dist.location + "/" + pth, kMaxPthBytes);
  if (!text) return;
  std::string_view rest = *text;
  while (!rest.empty()) {
    const std::size_t newline = rest.find('\n');
    const std::string_view line = trim(rest.substr(0, newline));
    rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
    if (line.empty() || line.front() == '#' || line.rfind("import", 0) == 0) continue;
    const fs::path directory =
        fs::path(line).is_absolute() ? fs::path(line) : fs::path(dist.location) / line;
    std::error_code error;
    for (fs::directory_iterator it(directory, error), end; !error && it != end;
         it.increment(error)) {
      std::string name = it->path().filename().string();
      if (it->is_directory(error)) {
        if (is_dotted_name(name) && name.find('.') == std::string::npos)
          modules.push_back(std::move(name));
      } else if (std::string module = module_name_of(name); !module.empty()) {
        modules.push_back(std::move(module));
      }
    }
  }
}

}  // namespace

DistributionFileList list_distribution_files(const Distribution& dist) {
  DistributionFileList list;
  if (dist.location.empty() || dist.metadata_path.empty()) return list;
  const metadata::InstalledDistribution installed =
      metadata::read_distribution(dist.location, entry_of(dist.metadata_path));
  std::unordered_set<std::string> seen;
  auto add = [&](std::string_view path) {
    std::string relative(path);
    if (!relative.empty() && relative.front() == '/') {
      const std::string prefix = dist.location + "/";
      if (relative.rfind(prefix, 0) != 0) return;
      relative = relative.substr(prefix.size());
    }
    if (relative.empty() || relative.rfind("../", 0) == 0) return;
    if (seen.insert(relative).second) list.paths.push_back(std::move(relative));
  };
  for (const auto& row : installed.files.record.rows) add(row.path);
  for (const auto& path : installed.files.listed_paths) add(path);
  std::vector<std::string> by_name;
  add_import_name_files(dist, installed.files.import_names, by_name);
  // A metadata directory's own files are its own (REQUESTED, caches), as the scanner counts.
  add_files_under(dist.location, entry_of(dist.metadata_path), by_name);
  for (const std::string& path : by_name) add(path);
  read_entry_points(dist, list);
  for (const std::string& path : list.paths)
    if (path.find('/') == std::string::npos && path.size() > 4 &&
        path.substr(path.size() - 4) == ".pth")
      read_pth_modules(dist, path, list.pth_modules);
  return list;
}

std::string module_name_of(const std::string& path) {
  std::string name;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    std::string part =
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (slash == std::string::npos) {
      if (part.size() > 3 && part.substr(part.size() - 3) == ".py") {
        part.resize(part.size() - 3);
      } else if (is_extension_file(part)) {
        part.resize(part.find('.'));
      } else {
        return "";
      }
      if (part == "__init__") return name;
    }
    if (!is_dotted_name(part) || part.find('.') != std::string::npos) return "";
    if (!name.empty()) name += '.';
    name += part;
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return name;
}

void ModuleOwners::add(std::size_t distribution, const std::vector<std::string>& paths) {
  constexpr std::size_t kMaxNamespaceDepth = 4;
  std::unordered_set<std::string> packages;  // dotted names with an __init__ of this dist
  std::vector<std::string> modules;
  for (const std::string& path : paths) {
    std::string module = module_name_of(path);
    if (module.empty()) continue;
    const std::string file = path.substr(path.rfind('/') + 1);
    if (file.rfind("__init__.", 0) == 0) packages.insert(module);
    modules.push_back(std::move(module));
  }
  for (const std::string& module : modules) {
    // The first level that is a regular package or the module itself.
    std::size_t dot = module.find('.');
    for (std::size_t depth = 1;; ++depth) {
      const std::string prefix = module.substr(0, dot);
      if (dot == std::string::npos || packages.count(prefix) > 0 || depth >= kMaxNamespaceDepth) {
        claims_[prefix].insert(distribution);
        break;
      }
      dot = module.find('.', dot + 1);
    }
  }
}

void ModuleOwners::add_names(std::size_t distribution, const std::vector<std::string>& names) {
  for (const std::string& name : names) claims_[name].insert(distribution);
}

std::set<std::size_t> ModuleOwners::owners_of(const std::string& module) const {
  // Longest claimed prefix first: "google.cloud.storage.blob" -> "google.cloud.storage".
  std::string prefix = module;
  while (true) {
    if (const auto it = claims_.find(prefix); it != claims_.end()) return it->second;
    const std::size_t dot = prefix.rfind('.');
    if (dot == std::string::npos) break;
    prefix.resize(dot);
  }
  // A namespace package itself: every distribution with a claim inside it.
  std::set<std::size_t> owners;
  const std::string inside = module + ".";
  for (auto it = claims_.lower_bound(inside);
       it != claims_.end() && it->first.rfind(inside, 0) == 0; ++it)
    owners.insert(it->second.begin(), it->second.end());
  return owners;
}

}  // namespace pkgsizer::recommend
