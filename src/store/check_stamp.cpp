#include "store/check_stamp.hpp"

#include <fmt/format.h>

namespace pkgsizer::store {
namespace {

// The sidecar ends with this line: a sidecar cut short by a crash is no match.
constexpr const char* kEnd = "end\n";

}  // namespace

std::string check_sidecar_path(const std::string& path) { return path + "-checked"; }

std::optional<std::string> store_file_stamp(const std::string& path, const FileSystem& files) {
  const std::optional<FileStatus> file = files.status(path);
  if (!file) return std::nullopt;
  std::string stamp =
      fmt::format("file {} {} {} {}", file->size, file->modified_ns, file->changed_ns, file->inode);
  // Readers leave an empty -wal behind; only one with frames in it holds part of the store.
  const std::optional<FileStatus> wal = files.status(path + "-wal");
  if (wal && wal->size > 0)
    stamp += fmt::format(" wal {} {} {}", wal->size, wal->modified_ns, wal->inode);
  return stamp;
}

bool checked_with_stamp(const std::string& path, const std::string& stamp,
                        const FileSystem& files) {
  const std::optional<std::string> sidecar = files.read_small_file(check_sidecar_path(path));
  return sidecar && *sidecar == stamp + "\n" + kEnd;
}

void remember_checked(const std::string& path, const std::string& stamp, FileSystem& files) {
  // Not synced: after a crash the sidecar is at worst empty or old, and the file is checked
  // again. A sidecar that cannot be written only means the same.
  files.replace_file(check_sidecar_path(path), stamp + "\n" + kEnd);
}

}  // namespace pkgsizer::store
