// A conda package record: one conda-meta/<name>-<version>-<build>.json of a conda environment,
// which lists every file the package put in the prefix (Python or not: lib/*.so, MKL, CUDA).
// The format is conda's PrefixRecord (conda/models/records.py): "files" (paths relative to the
// prefix) and, since conda 4.3, "paths_data" {"paths": [{"_path", "size_in_bytes"}]}.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::metadata {

struct CondaRecord {
  std::string name;
  std::string version;
  std::string build;
  std::string requested_spec;        // what the user asked conda for ("" when a dependency)
  std::uint64_t archive_bytes = 0;   // "size": the package archive's size, not its installed size
  std::uint64_t declared_bytes = 0;  // sum of paths_data's size_in_bytes (checked)
  std::vector<std::string> files;    // "files" and paths_data's "_path", each once, in order
};

// Parses a conda-meta record. `file_path` names the file in errors. Throws pkgsizer::Error
// (kEnvironment) with one line naming the file for JSON that does not parse, fields of the wrong
// type, absolute paths or ".." components (a record may only claim files inside its prefix), and
// sizes whose sum does not fit in 64 bits.
CondaRecord parse_conda_record(std::string_view json_text, const std::string& file_path);

// True for a conda-meta entry that is a package record ("history" and the like are not).
bool is_conda_record_name(std::string_view file_name);

}  // namespace pkgsizer::metadata
