#include "metadata/distribution_reader.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "metadata/core_metadata.hpp"
#include "packaging/name.hpp"
#include "packaging/requires_txt.hpp"
#include "util/read_file.hpp"
#include "util/text.hpp"

namespace pkgsizer::metadata {
namespace {

namespace fs = std::filesystem;

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

class DiskFiles final : public MetadataFiles {
 public:
  std::optional<std::string> read(const std::string& path, bool& missing,
                                  std::string& error) const override {
    std::optional<std::string> text = read_text_file(path, kMaxMetadataFileBytes, &error);
    missing = !text && (errno == ENOENT || errno == ENOTDIR);
    return text;
  }
  bool exists(const std::string& path) const override {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 || errno != ENOENT;
  }
  bool is_directory(const std::string& path) const override {
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
  }
  std::vector<std::string> list(const std::string& directory) const override {
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(directory, error))
      names.push_back(entry.path().filename().string());
    return names;
  }
};

std::vector<std::string> non_empty_lines(std::string_view text) {
  std::vector<std::string> lines;
  LineReader reader(text);
  std::string_view line;
  while (reader.next(line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (!line.empty()) lines.emplace_back(line);
  }
  return lines;
}

// "PyYAML-6.0.1.dist-info" -> {"PyYAML", "6.0.1"}; "foo-1.0-py3.11.egg-info" -> {"foo", "1.0"}.
// Wheel-installed names are escaped (no '-' inside the name), so the first '-' splits them.
std::pair<std::string, std::string> name_and_version_from_entry(std::string_view entry) {
  const std::size_t dot = entry.rfind('.');
  std::string_view stem = entry.substr(0, dot);
  const std::size_t dash = stem.find('-');
  if (dash == std::string_view::npos) return {std::string(stem), ""};
  std::string_view version = stem.substr(dash + 1);
  if (const std::size_t py = version.find("-py"); py != std::string_view::npos)
    version = version.substr(0, py);
  return {std::string(stem.substr(0, dash)), std::string(version)};
}

// Import names to look for when nothing lists the files: the escaped project name, and the
// name as written with '-' turned into '_' (PEP 8 module names are lowercase, but not always).
std::vector<std::string> import_names_from_project_name(const std::string& name) {
  std::vector<std::string> names{packaging::escape_name(name)};
  std::string as_written = name;
  for (char& c : as_written)
    if (c == '-' || c == '.') c = '_';
  if (as_written != names.front()) names.push_back(as_written);
  return names;
}

// An optional metadata file: nothing when it does not exist. One that exists but cannot be read
// (a FIFO, a device, larger than kMaxMetadataFileBytes) counts as absent, and a warning says so.
std::optional<std::string> read_optional(InstalledDistribution& dist, const MetadataFiles& files,
                                         const std::string& path) {
  std::string error;
  bool missing = false;
  std::optional<std::string> text = files.read(path, missing, error);
  if (!text && !missing)
    dist.problems.push_back(
        {Severity::kWarning, path, fmt::format("cannot read ({}); ignored", error)});
  return text;
}

void apply_core_metadata(InstalledDistribution& dist, const MetadataFiles& files,
                         const std::string& metadata_file, const std::string& entry_name) {
  const auto [entry_project, entry_version] = name_and_version_from_entry(entry_name);
  std::string error;
  bool missing = false;
  const std::optional<std::string> text = files.read(metadata_file, missing, error);
  CoreMetadata core;
  if (!text) {
    dist.problems.push_back(
        {Severity::kError, metadata_file, "cannot read core metadata: " + error});
  } else {
    core = parse_core_metadata(*text);
    if (core.name.empty())
      dist.problems.push_back(
          {Severity::kError, metadata_file,
           fmt::format("no Name field; using '{}' from the directory name", entry_project)});
  }
  dist.info.name = core.name.empty() ? entry_project : core.name;
  dist.info.version = core.version.empty() ? entry_version : core.version;
  dist.info.requires_dist = std::move(core.requires_dist);
  dist.info.normalized_name = packaging::normalize_name(dist.info.name);
}

// PEP 610: direct_url.json with {"dir_info": {"editable": true}} marks an editable install.
void apply_direct_url(InstalledDistribution& dist, const MetadataFiles& files,
                      const std::string& path) {
  const std::optional<std::string> text = read_optional(dist, files, path);
  if (!text) return;
  const nlohmann::json direct_url = nlohmann::json::parse(*text, nullptr, false);
  if (direct_url.is_discarded() || !direct_url.is_object()) {
    dist.problems.push_back({Severity::kWarning, path, "not valid JSON"});
    return;
  }
  const auto dir_info = direct_url.find("dir_info");
  if (dir_info == direct_url.end() || !dir_info->is_object()) return;
  if (dir_info->value("editable", false)) {
    dist.info.editable = true;
    std::string url = direct_url.value("url", "");
    if (url.rfind("file://", 0) == 0) url = url.substr(7);
    dist.info.editable_target = url;
  }
}

void read_top_level_or_name(InstalledDistribution& dist, const MetadataFiles& files,
                            const std::string& top_level_path) {
  if (const std::optional<std::string> top_level = read_optional(dist, files, top_level_path)) {
    dist.info.top_level = non_empty_lines(*top_level);
    dist.files.import_names = dist.info.top_level;
    dist.info.files_source = FilesSource::kTopLevel;
    return;
  }
  dist.files.import_names = import_names_from_project_name(dist.info.name);
  dist.info.files_source = FilesSource::kName;
}

void read_dist_info(InstalledDistribution& dist, const MetadataFiles& files,
                    const std::string& directory) {
  apply_core_metadata(dist, files, directory + "/METADATA", dist.metadata_entry);
  if (std::optional<std::string> installer = read_optional(dist, files, directory + "/INSTALLER")) {
    const auto lines = non_empty_lines(*installer);
    if (!lines.empty()) dist.info.installer = lines.front();
  }
  dist.info.requested = files.exists(directory + "/REQUESTED");
  apply_direct_url(dist, files, directory + "/direct_url.json");
  if (std::optional<std::string> top_level =
          read_optional(dist, files, directory + "/top_level.txt"))
    dist.info.top_level = non_empty_lines(*top_level);

  const std::string record_path = directory + "/RECORD";
  if (!files.exists(record_path)) {
    dist.problems.push_back(
        {Severity::kWarning, record_path, "missing; files found by top-level name instead"});
    read_top_level_or_name(dist, files, directory + "/top_level.txt");
    return;
  }
  std::string record_error;
  bool record_missing = false;
  std::optional<std::string> record_text = files.read(record_path, record_missing, record_error);
  if (!record_text) {
    dist.problems.push_back(
        {Severity::kError, record_path,
         fmt::format("cannot read ({}); files found by top-level name instead", record_error)});
    read_top_level_or_name(dist, files, directory + "/top_level.txt");
    return;
  }
  dist.files.record_text = std::make_unique<const std::string>(std::move(*record_text));
  Record record = parse_record(*dist.files.record_text);
  for (const RecordError& error : record.errors)
    dist.problems.push_back(
        {Severity::kError, fmt::format("{}:{}", record_path, error.line), error.message});
  if (record.unusable) {
    dist.files.record_text.reset();
    read_top_level_or_name(dist, files, directory + "/top_level.txt");
    return;
  }
  dist.files.record = std::move(record);
  dist.info.files_source = FilesSource::kRecord;
  // PEP 660 editable wheels install a `__editable__.NAME-VER.pth` (setuptools) or `_NAME.pth`
  // (hatchling et al.); without direct_url.json the setuptools name is the tell.
  if (!dist.info.editable)
    for (const RecordRow& row : dist.files.record.rows)
      if (row.path.starts_with("__editable__.") && ends_with(row.path, ".pth")) {
        dist.info.editable = true;
        std::string pth_error;
        bool pth_missing = false;
        if (std::optional<std::string> pth = files.read(
                dist.info.location + "/" + std::string(row.path), pth_missing, pth_error)) {
          const auto lines = non_empty_lines(*pth);
          if (!lines.empty() && lines.front().front() == '/')
            dist.info.editable_target = lines.front();
        }
        break;
      }
}

void read_egg_info_directory(InstalledDistribution& dist, const MetadataFiles& files,
                             const std::string& directory) {
  apply_core_metadata(dist, files, directory + "/PKG-INFO", dist.metadata_entry);
  if (std::optional<std::string> requires_txt =
          read_optional(dist, files, directory + "/requires.txt")) {
    try {
      dist.info.requires_dist = packaging::parse_requires_txt(*requires_txt);
    } catch (const packaging::RequiresTxtError& error) {
      dist.problems.push_back({Severity::kWarning,
                               fmt::format("{}/requires.txt:{}", directory, error.line()),
                               error.what()});
    }
  }
  if (std::optional<std::string> top_level =
          read_optional(dist, files, directory + "/top_level.txt"))
    dist.info.top_level = non_empty_lines(*top_level);
  if (std::optional<std::string> installed =
          read_optional(dist, files, directory + "/installed-files.txt")) {
    // setuptools writes these relative to the .egg-info directory ("../pkg/__init__.py").
    for (const std::string& line : non_empty_lines(*installed)) {
      // pip lists the .egg-info directory itself as "./": a directory, not a file to count.
      if (line == "./" || line == "." || line.back() == '/') continue;
      if (!line.empty() && line.front() == '/')
        dist.files.listed_paths.push_back(line);
      else
        dist.files.listed_paths.push_back(dist.metadata_entry + "/" + line);
    }
    dist.info.files_source = FilesSource::kInstalledFiles;
    return;
  }
  read_top_level_or_name(dist, files, directory + "/top_level.txt");
}

// setuptools' `develop`: NAME.egg-link holds the source directory on its first line.
void read_egg_link(InstalledDistribution& dist, const MetadataFiles& files,
                   const std::string& path) {
  dist.info.editable = true;
  const auto [entry_project, entry_version] = name_and_version_from_entry(dist.metadata_entry);
  dist.info.name = entry_project;
  std::string link_error;
  bool link_missing = false;
  const std::optional<std::string> text = files.read(path, link_missing, link_error);
  const std::vector<std::string> lines = text ? non_empty_lines(*text) : std::vector<std::string>{};
  if (lines.empty()) {
    dist.problems.push_back({Severity::kError, path, "empty or unreadable .egg-link"});
  } else {
    dist.info.editable_target = lines.front();
    for (const std::string& name : files.list(lines.front())) {
      if (ends_with(name, ".egg-info") &&
          packaging::normalize_name(name_and_version_from_entry(name).first) ==
              packaging::normalize_name(entry_project)) {
        const std::string entry_path = lines.front() + "/" + name;
        const std::string pkg_info =
            files.is_directory(entry_path) ? entry_path + "/PKG-INFO" : entry_path;
        apply_core_metadata(dist, files, pkg_info, name);
        if (std::optional<std::string> top_level =
                read_optional(dist, files, entry_path + "/top_level.txt"))
          dist.info.top_level = non_empty_lines(*top_level);
        break;
      }
    }
  }
  dist.info.normalized_name = packaging::normalize_name(dist.info.name);
  // Only the link itself lives in site-packages; the sources stay where they are.
  dist.files.listed_paths.push_back(dist.metadata_entry);
  dist.info.files_source = FilesSource::kEggLink;
}

}  // namespace

const MetadataFiles& disk_files() {
  static const DiskFiles files;
  return files;
}

bool is_metadata_entry(std::string_view entry_name) {
  return ends_with(entry_name, ".dist-info") || ends_with(entry_name, ".egg-info") ||
         ends_with(entry_name, ".egg-link");
}

InstalledDistribution read_distribution(const std::string& site_packages,
                                        const std::string& entry_name, const MetadataFiles& files) {
  InstalledDistribution dist;
  dist.metadata_entry = entry_name;
  dist.info.location = site_packages;
  const std::string path = site_packages + "/" + entry_name;
  dist.info.metadata_path = path;
  if (ends_with(entry_name, ".dist-info")) {
    dist.info.metadata_kind = MetadataKind::kDistInfo;
    read_dist_info(dist, files, path);
  } else if (ends_with(entry_name, ".egg-link")) {
    dist.info.metadata_kind = MetadataKind::kEggLink;
    read_egg_link(dist, files, path);
  } else if (files.is_directory(path)) {
    dist.info.metadata_kind = MetadataKind::kEggInfo;
    read_egg_info_directory(dist, files, path);
  } else {
    dist.info.metadata_kind = MetadataKind::kEggInfoFile;  // distutils: a lone PKG-INFO
    apply_core_metadata(dist, files, path, entry_name);
    dist.files.import_names = import_names_from_project_name(dist.info.name);
    dist.info.files_source = FilesSource::kName;
  }
  return dist;
}

}  // namespace pkgsizer::metadata
