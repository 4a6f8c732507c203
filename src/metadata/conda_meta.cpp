#include "metadata/conda_meta.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <unordered_set>

#include "util/checked.hpp"
#include "util/error.hpp"

namespace pkgsizer::metadata {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& file_path, const std::string& what) {
  throw Error(ErrorCategory::kEnvironment, fmt::format("{}: {}", file_path, what));
}

std::string string_field(const json& record, const char* key, const std::string& file_path) {
  const auto found = record.find(key);
  if (found == record.end() || found->is_null()) return "";
  if (!found->is_string()) fail(file_path, fmt::format("\"{}\" is not a string", key));
  return found->get<std::string>();
}

std::uint64_t size_field(const json& value, const std::string& file_path, const char* key) {
  if (value.is_null()) return 0;
  if (!value.is_number_unsigned())
    fail(file_path, fmt::format("\"{}\" is not a non-negative integer", key));
  return value.get<std::uint64_t>();
}

// A record claims files of its own prefix only: no absolute path, no "..", nothing empty.
void check_path(const std::string& path, const std::string& file_path) {
  if (path.empty() || path.front() == '/')
    fail(file_path, fmt::format("file path '{}' is not relative to the prefix", path));
  std::string_view rest = path;
  while (!rest.empty()) {
    const std::size_t slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    if (part == "..") fail(file_path, fmt::format("file path '{}' leaves the prefix", path));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  if (path.find('\0') != std::string::npos) fail(file_path, "a file path holds a NUL character");
}

class FileList {
 public:
  explicit FileList(const std::string& file_path) : file_path_(file_path) {}
  void add(std::string path) {
    check_path(path, file_path_);
    if (seen_.insert(path).second) files_.push_back(std::move(path));
  }
  std::vector<std::string> take() { return std::move(files_); }

 private:
  const std::string& file_path_;
  std::unordered_set<std::string> seen_;
  std::vector<std::string> files_;
};

void read_paths_data(const json& record, const std::string& file_path, FileList& files,
                     CondaRecord& result) {
  const auto paths_data = record.find("paths_data");
  if (paths_data == record.end() || paths_data->is_null()) return;
  if (!paths_data->is_object()) fail(file_path, "\"paths_data\" is not an object");
  const auto paths = paths_data->find("paths");
  if (paths == paths_data->end()) return;
  if (!paths->is_array()) fail(file_path, "\"paths_data.paths\" is not an array");
  for (const json& entry : *paths) {
    if (!entry.is_object()) fail(file_path, "an entry of \"paths_data.paths\" is not an object");
    const auto path = entry.find("_path");
    if (path == entry.end() || !path->is_string())
      fail(file_path, "an entry of \"paths_data.paths\" has no string \"_path\"");
    if (const auto size = entry.find("size_in_bytes"); size != entry.end())
      accumulate_checked(result.declared_bytes, size_field(*size, file_path, "size_in_bytes"),
                         file_path + ": the sizes in \"paths_data\" overflow");
    files.add(path->get<std::string>());
  }
}

}  // namespace

CondaRecord parse_conda_record(std::string_view json_text, const std::string& file_path) {
  const json record = json::parse(json_text, nullptr, false);
  if (record.is_discarded()) fail(file_path, "not valid JSON (a conda-meta package record)");
  if (!record.is_object()) fail(file_path, "not a JSON object (a conda-meta package record)");
  CondaRecord result;
  result.name = string_field(record, "name", file_path);
  if (result.name.empty()) fail(file_path, "no \"name\"");
  result.version = string_field(record, "version", file_path);
  result.build = string_field(record, "build", file_path);
  result.requested_spec = string_field(record, "requested_spec", file_path);
  if (const auto size = record.find("size"); size != record.end())
    result.archive_bytes = size_field(*size, file_path, "size");
  FileList files(file_path);
  if (const auto listed = record.find("files"); listed != record.end() && !listed->is_null()) {
    if (!listed->is_array()) fail(file_path, "\"files\" is not an array");
    for (const json& path : *listed) {
      if (!path.is_string()) fail(file_path, "an entry of \"files\" is not a string");
      files.add(path.get<std::string>());
    }
  }
  read_paths_data(record, file_path, files, result);
  result.files = files.take();
  return result;
}

bool is_conda_record_name(std::string_view file_name) {
  return file_name.size() > 5 && file_name.ends_with(".json") && file_name.front() != '.';
}

}  // namespace pkgsizer::metadata
