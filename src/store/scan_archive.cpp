#include "store/scan_archive.hpp"

#include <cereal/archives/binary.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/utility.hpp>
#include <cereal/types/vector.hpp>
#include <istream>
#include <sstream>
#include <stdexcept>
#include <streambuf>

#include "util/error.hpp"

namespace pkgsizer {

template <typename Archive>
void serialize(Archive& archive, Size& size) {
  archive(size.apparent_bytes, size.disk_bytes, size.file_count);
}

// The closed sets are kept as their names, as before they became enums: entries stay readable.
template <typename Archive>
void serialize(Archive& archive, ModuleNode& node) {
  std::string kind(to_string(node.kind));
  archive(node.name, kind, node.size, node.children, node.bytecode);
  if constexpr (Archive::is_loading::value) {
    const auto value = module_kind_from_string(kind);
    if (!value) throw Error(ErrorCategory::kStore, "damaged cache entry: a module of unknown kind");
    node.kind = *value;
  }
}

template <typename Archive>
void serialize(Archive& archive, Dependency& dependency) {
  archive(dependency.requirement, dependency.normalized_name, dependency.extras,
          dependency.specifier, dependency.installed, dependency.installed_version,
          dependency.satisfied);
}

// The closed sets are kept as their names, as before they became enums: entries stay readable.
template <typename Archive>
void serialize(Archive& archive, Distribution& d) {
  std::string metadata_kind(to_string(d.metadata_kind)), files_source(to_string(d.files_source));
  archive(d.name, d.normalized_name, d.version, d.location, d.metadata_path, metadata_kind,
          files_source, d.installer, d.requested, d.editable, d.editable_target, d.inherited,
          d.requires_dist, d.top_level, d.size, d.outside_bytes, d.shared_bytes, d.shared_files,
          d.missing_files, d.modules, d.dependencies, d.required_by, d.root, d.cumulative_bytes,
          d.removal_bytes);
  if constexpr (Archive::is_loading::value) {
    const auto kind = metadata_kind_from_string(metadata_kind);
    const auto source = files_source_from_string(files_source);
    if (!kind || !source)
      throw Error(ErrorCategory::kStore,
                  "damaged cache entry: a distribution of unknown metadata kind");
    d.metadata_kind = *kind;
    d.files_source = *source;
  }
}

template <typename Archive>
void serialize(Archive& archive, Environment& e) {
  std::string kind(to_string(e.kind));
  archive(kind, e.prefix, e.interpreter, e.python_version, e.platform, e.site_packages,
          e.inherited_site_packages, e.include_system_site_packages, e.markers);
  if constexpr (Archive::is_loading::value) {
    const auto value = environment_kind_from_string(kind);
    if (!value)
      throw Error(ErrorCategory::kStore, "damaged cache entry: an environment of unknown kind");
    e.kind = *value;
  }
}

template <typename Archive>
void serialize(Archive& archive, Totals& t) {
  archive(t.distributions, t.all, t.owned, t.unowned, t.directories, t.shared, t.outside,
          t.selected);
}

// The enums are kept as the text they were before they became enums ("" for a scan problem),
// so that the entries of the cache stay readable.
template <typename Archive>
void save(Archive& archive, const Problem& problem) {
  const std::string kind(problem.kind == ProblemKind::kScan ? "" : to_string(problem.kind));
  archive(std::string(to_string(problem.severity)), problem.path, problem.message, kind);
}

template <typename Archive>
void load(Archive& archive, Problem& problem) {
  std::string severity, kind;
  archive(severity, problem.path, problem.message, kind);
  const auto severity_value = severity_from_string(severity);
  const auto kind_value = kind.empty() ? ProblemKind::kScan : problem_kind_from_string(kind);
  if (!severity_value || !kind_value)
    throw Error(ErrorCategory::kStore,
                "damaged cache entry: a problem of unknown severity or kind");
  problem.severity = *severity_value;
  problem.kind = *kind_value;
}

template <typename Archive>
void serialize(Archive& archive, UnownedEntry& entry) {
  archive(entry.path, entry.size);
}

template <typename Archive>
void serialize(Archive& archive, Scan& scan) {
  archive(scan.tool_version, scan.created_at, scan.environment, scan.totals, scan.distributions,
          scan.unowned, scan.problems);
}

namespace scan {

template <typename Archive>
void serialize(Archive& archive, SharedFile& file) {
  archive(file.size, file.owners);
}

template <typename Archive>
void serialize(Archive& archive, DirectoryStamp& stamp) {
  archive(stamp.path, stamp.mtime_ns, stamp.ctime_ns, stamp.inode);
}

template <typename Archive>
void serialize(Archive& archive, ScanComponent& component) {
  archive(component.entries, component.absent_entries, component.claimed_stems,
          component.outside_paths, component.inodes, component.linked_inodes, component.files,
          component.directories, component.owned, component.unowned, component.shared,
          component.outside);
}

// Not the escapes nor the roots' own entries: only a partial scan in progress needs them.
template <typename Archive>
void serialize(Archive& archive, ScanParts& parts) {
  archive(parts.components, parts.of_distribution, parts.of_unowned, parts.of_shared,
          parts.of_problem);
}

}  // namespace scan

namespace store {

std::string encode_scan(const scan::EnvironmentScan& full) {
  std::ostringstream bytes;
  {
    cereal::BinaryOutputArchive archive(bytes);
    archive(full.roots, full.directory_stamps, full.file_stamps, full.scan, full.shared_files,
            full.parts);
  }
  return std::move(bytes).str();
}

namespace {

// An input stream over bytes that stay where they are (cereal reads from a std::istream).
class ViewBuffer : public std::streambuf {
 public:
  explicit ViewBuffer(std::string_view bytes) {
    char* begin = const_cast<char*>(bytes.data());  // only ever read
    setg(begin, begin, begin + bytes.size());
  }
};

}  // namespace

void decode_scan(std::string_view bytes, scan::EnvironmentScan& full,
                 const std::function<void(const scan::EnvironmentScan&)>& stamps_read,
                 const std::function<bool()>& parts_wanted) {
  ViewBuffer buffer(bytes);
  std::istream input(&buffer);
  try {
    cereal::BinaryInputArchive archive(input);
    archive(full.roots, full.directory_stamps, full.file_stamps);
    if (stamps_read) stamps_read(full);
    archive(full.scan, full.shared_files);
    if (!parts_wanted || parts_wanted()) archive(full.parts);
  } catch (const cereal::Exception& error) {
    throw Error(ErrorCategory::kStore, std::string("unreadable cached scan: ") + error.what());
  }
}

}  // namespace store
}  // namespace pkgsizer
