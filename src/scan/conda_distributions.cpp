#include "scan/conda_distributions.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <unordered_set>

#include "metadata/conda_meta.hpp"
#include "packaging/name.hpp"
#include "util/error.hpp"
#include "util/read_file.hpp"

namespace pkgsizer::scan {
namespace {

namespace fs = std::filesystem;
using metadata::InstalledDistribution;

constexpr const char* kCondaMeta = "conda-meta";

std::string top_entry(const std::string& relative) {
  return relative.substr(0, relative.find('/'));
}

// `path` relative to `prefix` when inside it, else as it is (absolute).
std::string relative_to(const std::string& prefix, const std::string& path) {
  if (path.rfind(prefix + "/", 0) == 0) return path.substr(prefix.size() + 1);
  return path;
}

// One package record as a distribution; nothing (and an error problem) when it is unreadable.
std::optional<InstalledDistribution> read_record(const std::string& prefix,
                                                 const std::string& file_name,
                                                 std::vector<Problem>& problems) {
  const std::string relative = std::string(kCondaMeta) + "/" + file_name;
  const std::string path = prefix + "/" + relative;
  std::string read_error;
  const std::optional<std::string> text = read_text_file(path, kMaxMetadataFileBytes, &read_error);
  if (!text) {
    problems.push_back({Severity::kError, path, "cannot read conda package record: " + read_error});
    return std::nullopt;
  }
  metadata::CondaRecord record;
  try {
    record = metadata::parse_conda_record(*text, path);
  } catch (const Error& error) {
    problems.push_back({Severity::kError, path, error.what()});
    return std::nullopt;
  }
  InstalledDistribution dist;
  dist.info.name = record.name;
  dist.info.normalized_name = packaging::normalize_name(record.name);
  dist.info.version = record.version;
  dist.info.location = prefix;
  dist.info.metadata_path = path;
  dist.info.metadata_kind = MetadataKind::kCondaMeta;
  dist.info.files_source = FilesSource::kCondaMeta;
  dist.info.installer = "conda";
  dist.info.requested = !record.requested_spec.empty();
  dist.metadata_entry = kCondaMeta;
  dist.claims_metadata_entry = false;
  dist.files.listed_paths = std::move(record.files);
  dist.files.listed_paths.push_back(relative);  // the record is its package's own
  return dist;
}

// The paths a Python distribution's metadata claims, made relative to the prefix, and every file
// of its own metadata directory (REQUESTED, caches), which the walk of its site-packages would
// otherwise have given it.
void rebase_python_distribution(const std::string& prefix, const std::string& site_packages,
                                InstalledDistribution& dist) {
  const std::string base = relative_to(prefix, site_packages);
  std::vector<std::string> paths;
  for (const auto& row : dist.files.record.rows)
    paths.push_back(base + "/" + std::string(row.path));
  for (const std::string& path : dist.files.listed_paths)
    paths.push_back(path.starts_with('/') ? path : base + "/" + path);
  const std::string own = site_packages + "/" + dist.metadata_entry;
  std::error_code error;
  if (fs::is_directory(fs::symlink_status(own, error))) {
    for (fs::recursive_directory_iterator it(own, error), end; !error && it != end;
         it.increment(error))
      if (!it->is_directory(error)) paths.push_back(relative_to(prefix, it->path().string()));
  } else {
    paths.push_back(relative_to(prefix, own));
  }
  dist.files = {};
  dist.files.listed_paths = std::move(paths);
  dist.metadata_entry = top_entry(relative_to(prefix, own));
  dist.claims_metadata_entry = false;
}

}  // namespace

bool scans_conda_prefix(const Environment& environment, const FileSystem& files) {
  return environment.kind == EnvironmentKind::kConda && !environment.prefix.empty() &&
         files.is_directory((fs::path(environment.prefix) / kCondaMeta).string());
}

std::vector<std::string> conda_record_names(const std::string& conda_meta,
                                            std::vector<Problem>& problems,
                                            const FileSystem& files) {
  std::string error;
  const std::optional<std::vector<std::string>> listed = files.read_directory(conda_meta, error);
  if (!listed) {
    problems.push_back({Severity::kError, conda_meta, "cannot list: " + error});
    return {};
  }
  std::vector<std::string> names;
  for (const std::string& name : *listed)
    if (metadata::is_conda_record_name(name)) names.push_back(name);
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> unrecorded_metadata_entries(const std::string& prefix,
                                                     const std::string& site_packages,
                                                     const std::unordered_set<std::string>& claimed,
                                                     const FileSystem& files) {
  std::vector<std::string> entries;
  for (const std::string& entry : files.list_directory(site_packages))
    if (metadata::is_metadata_entry(entry) &&
        !claimed.contains(relative_to(prefix, site_packages + "/" + entry)))
      entries.push_back(entry);
  std::sort(entries.begin(), entries.end());
  return entries;
}

std::vector<InstalledDistribution> read_conda_distributions(const Environment& environment,
                                                            std::vector<Problem>& problems) {
  const std::string& prefix = environment.prefix;
  std::vector<InstalledDistribution> dists;
  std::unordered_set<std::string> claimed;  // every path a record lists, and its directory
  for (const std::string& name : conda_record_names(prefix + "/" + kCondaMeta, problems)) {
    std::optional<InstalledDistribution> dist = read_record(prefix, name, problems);
    if (!dist) continue;
    for (const std::string& path : dist->files.listed_paths) {
      claimed.insert(path);
      claimed.insert(path.substr(0, path.rfind('/')));
    }
    dists.push_back(std::move(*dist));
  }
  // A Python distribution conda installed is listed in its package's record: it is that package.
  for (const std::string& site_packages : environment.site_packages) {
    for (const std::string& entry : unrecorded_metadata_entries(prefix, site_packages, claimed)) {
      InstalledDistribution dist = metadata::read_distribution(site_packages, entry);
      rebase_python_distribution(prefix, site_packages, dist);
      dists.push_back(std::move(dist));
    }
  }
  return dists;
}

}  // namespace pkgsizer::scan
