// Reads one installed distribution's metadata (.dist-info, .egg-info, .egg-link) from disk:
// who it is, and what it says about its files. Attribution to bytes happens in scan/.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/record.hpp"
#include "model/model.hpp"

namespace pkgsizer::metadata {

struct DistributionFiles {
  // files_source == FilesSource::kRecord. The rows point into record_text, held by pointer so that
  // moving a DistributionFiles never moves the characters (short strings live inside std::string).
  std::unique_ptr<const std::string> record_text;
  Record record;
  // files_source == FilesSource::kInstalledFiles: paths already joined to the egg-info directory,
  // relative to site-packages (may start with "../") or absolute.
  std::vector<std::string> listed_paths;
  // files_source == FilesSource::kTopLevel or kName: import names whose files are claimed by name.
  std::vector<std::string> import_names;
};

struct InstalledDistribution {
  Distribution info;
  DistributionFiles files;
  std::string metadata_entry;  // the entry in site-packages: "foo-1.0.dist-info"
  // Whether every file under metadata_entry is its own. Not in a conda prefix, whose top-level
  // entries ("lib", "conda-meta") hold many packages: there every claim is listed.
  bool claims_metadata_entry = true;
  std::vector<Problem> problems;
};

// True when a top-level site-packages entry is distribution metadata worth reading.
bool is_metadata_entry(std::string_view entry_name);

// Where the metadata files are read from: the disk (scan-env), or the layers of a container
// image (pkgsizer docker), so that both read a distribution with the same code.
class MetadataFiles {
 public:
  MetadataFiles() = default;
  MetadataFiles(const MetadataFiles&) = delete;
  MetadataFiles& operator=(const MetadataFiles&) = delete;
  virtual ~MetadataFiles() = default;
  // The whole file, at most kMaxMetadataFileBytes; nothing when it cannot be read, with
  // `missing` set when it does not exist and `error` saying why otherwise.
  virtual std::optional<std::string> read(const std::string& path, bool& missing,
                                          std::string& error) const = 0;
  virtual bool exists(const std::string& path) const = 0;
  virtual bool is_directory(const std::string& path) const = 0;
  // The names in a directory (for an .egg-link's target); empty when it cannot be listed.
  virtual std::vector<std::string> list(const std::string& directory) const = 0;
};

// The files on this machine's disk.
const MetadataFiles& disk_files();

// Reads the metadata entry `entry_name` of `site_packages`. Never throws for bad content:
// problems are recorded and the best available fallback is used.
InstalledDistribution read_distribution(const std::string& site_packages,
                                        const std::string& entry_name,
                                        const MetadataFiles& files = disk_files());

}  // namespace pkgsizer::metadata
