// The distributions of a conda environment: one per conda-meta/*.json package record (every file
// it put in the prefix, Python or not), and the Python distributions of its site-packages that
// no record lists (installed by pip, uv, …). The scan walks the whole prefix for such an
// environment, so each claim here is a path relative to the prefix (or an absolute one).
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "metadata/distribution_reader.hpp"
#include "model/model.hpp"
#include "util/file_system.hpp"

namespace pkgsizer::scan {

// True when the scan walks the prefix of `environment` rather than its site-packages: a conda
// environment (a prefix with conda-meta/).
bool scans_conda_prefix(const Environment& environment,
                        const FileSystem& files = disk_file_system());

// The package records of a conda-meta directory (conda_meta.hpp's names), sorted; an error
// problem naming the directory when it cannot be listed.
std::vector<std::string> conda_record_names(const std::string& conda_meta,
                                            std::vector<Problem>& problems,
                                            const FileSystem& files = disk_file_system());

// The metadata entries (*.dist-info, *.egg-info, ...) of a site-packages directory of `prefix`
// that no package record claims (`claimed`: paths relative to the prefix), sorted: the
// distributions pip or uv installed into the conda environment. None when it cannot be listed.
std::vector<std::string> unrecorded_metadata_entries(const std::string& prefix,
                                                     const std::string& site_packages,
                                                     const std::unordered_set<std::string>& claimed,
                                                     const FileSystem& files = disk_file_system());

// Reads conda-meta/*.json of environment.prefix and the metadata entries of its site-packages
// directories that no record lists. Never throws for bad content: a record that cannot be read
// or parsed is an error problem naming the file, and its files are left unowned.
std::vector<metadata::InstalledDistribution> read_conda_distributions(
    const Environment& environment, std::vector<Problem>& problems);

}  // namespace pkgsizer::scan
