// The few questions pkgsizer's layout logic asks of a file system, behind one interface, so that
// a unit test can state a tree in a few lines (MemoryFileSystem) instead of building one on disk
// (ninja's DiskInterface and VirtualFileSystem are the model). Not a mock of the world: the
// scanner's walk reads real trees, and the end-to-end suite keeps building them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pkgsizer {

// What stat(2) says of a file that pkgsizer compares between two runs.
struct FileStatus {
  std::uint64_t size = 0;
  std::int64_t modified_ns = 0;  // st_mtim
  std::int64_t changed_ns = 0;   // st_ctim
  std::uint64_t inode = 0;
  bool operator==(const FileStatus&) const = default;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Follows symbolic links, as stat(2) does; false when it cannot tell.
  virtual bool is_directory(const std::string& path) const = 0;
  // The names of a directory's entries (not "." or ".."), in no particular order; nothing when
  // it cannot be read, with `error` saying why ("Permission denied", "Not a directory").
  virtual std::optional<std::vector<std::string>> read_directory(const std::string& path,
                                                                 std::string& error) const = 0;
  // The absolute path with every symbolic link resolved (realpath(3)); "" when it does not
  // exist.
  virtual std::string real_path(const std::string& path) const = 0;
  // stat(2) of `path` (links followed); nothing when it does not exist or cannot be reached.
  virtual std::optional<FileStatus> status(const std::string& path) const = 0;
  // The whole of a small regular file pkgsizer wrote itself (a sidecar); nothing when it cannot
  // be read. Files from outside go through util/read_file.hpp, with its caps.
  virtual std::optional<std::string> read_small_file(const std::string& path) const = 0;
  // Replaces `path` with `content` so that a reader sees the old file or the new one, never
  // half of one: written beside it, then renamed over it (rename(2) is atomic). Not synced: for
  // files that may be lost in a crash (a cache's stamp). False, leaving nothing behind, when it
  // cannot.
  virtual bool replace_file(const std::string& path, const std::string& content) = 0;

  // read_directory() without the reason: no names when the directory cannot be read.
  std::vector<std::string> list_directory(const std::string& path) const;
};

// The machine's file system (std::filesystem and POSIX calls, never throwing).
FileSystem& disk_file_system();

// A tree held in memory, for unit tests. Paths are absolute; adding a path adds its parents as
// directories. A link stands for its target wherever it appears in a path. Every change gets
// the next tick of a clock as its modification and change time, and a file written by
// replace_file() a new inode, as rename(2) gives one.
class MemoryFileSystem final : public FileSystem {
 public:
  void add_file(const std::string& path, const std::string& content = "");
  void add_directory(const std::string& path);
  void add_link(const std::string& path, const std::string& target);
  // Makes a directory unreadable (read_directory fails with EACCES's text) or a path
  // unwritable (replace_file fails), as a permission would.
  void deny_reading(const std::string& path);
  void deny_writing(const std::string& path);
  void remove(const std::string& path);

  bool is_directory(const std::string& path) const override;
  std::optional<std::vector<std::string>> read_directory(const std::string& path,
                                                         std::string& error) const override;
  std::string real_path(const std::string& path) const override;
  std::optional<FileStatus> status(const std::string& path) const override;
  std::optional<std::string> read_small_file(const std::string& path) const override;
  bool replace_file(const std::string& path, const std::string& content) override;

 private:
  enum class Kind { kFile, kDirectory, kLink };
  struct Entry {
    Kind kind = Kind::kFile;
    std::string target;   // of a link
    std::string content;  // of a file
    std::int64_t changed = 0;
    std::uint64_t inode = 0;
    bool readable = true;
    bool writable = true;
  };
  void add(const std::string& path, Entry entry);
  const Entry* find(const std::string& path) const;  // links resolved; null when absent
  std::map<std::string, Entry> entries_;             // by normalized absolute path
  std::int64_t clock_ = 0;
  std::uint64_t next_inode_ = 1;
};

}  // namespace pkgsizer
