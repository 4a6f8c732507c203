// The few questions pkgsizer's layout logic asks of a file system, behind one interface, so that
// a unit test can state a tree in a few lines (MemoryFileSystem) instead of building one on disk
// (ninja's DiskInterface and VirtualFileSystem are the model). Not a mock of the world: the
// scanner reads real trees, and the end-to-end suite keeps building them.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace pkgsizer {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Follows symbolic links, as stat(2) does; false when it cannot tell.
  virtual bool is_directory(const std::string& path) const = 0;
  // The names of a directory's entries (not "." or ".."), in no particular order; none when it
  // cannot be read.
  virtual std::vector<std::string> list_directory(const std::string& path) const = 0;
  // The absolute path with every symbolic link resolved (realpath(3)); "" when it does not
  // exist.
  virtual std::string real_path(const std::string& path) const = 0;
};

// The machine's file system (std::filesystem, never throwing).
const FileSystem& disk_file_system();

// A tree held in memory, for unit tests. Paths are absolute; adding a path adds its parents as
// directories. A link stands for its target wherever it appears in a path.
class MemoryFileSystem final : public FileSystem {
 public:
  void add_file(const std::string& path);
  void add_directory(const std::string& path);
  void add_link(const std::string& path, const std::string& target);

  bool is_directory(const std::string& path) const override;
  std::vector<std::string> list_directory(const std::string& path) const override;
  std::string real_path(const std::string& path) const override;

 private:
  enum class Kind { kFile, kDirectory, kLink };
  struct Entry {
    Kind kind = Kind::kFile;
    std::string target;  // of a link
  };
  void add(const std::string& path, Entry entry);
  std::map<std::string, Entry> entries_;  // by normalized absolute path
};

}  // namespace pkgsizer
