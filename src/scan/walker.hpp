// The parallel directory walker: every file, symlink and directory under a root, with sizes.
// It knows nothing of Python; the scanner decides who owns what.
#pragma once

#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "model/model.hpp"

namespace pkgsizer::scan {

struct WalkedFile {
  std::string path;  // relative to the root, '/'-separated
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::uint64_t apparent_bytes = 0;  // st_size
  std::uint64_t disk_bytes = 0;      // st_blocks * 512
  std::uint64_t links = 1;           // st_nlink
  bool is_symlink = false;           // a link that was not followed (its own size is counted)
  bool via_symlink = false;          // reached through a followed symlink: may repeat an inode
};

// A directory's identity and times: any file added to or removed from it changes them, which
// is what a cache hit checks (store/scan_cache.hpp).
struct DirectoryStamp {
  std::string path;  // relative to the root; "" for the root itself
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  std::uint64_t inode = 0;

  bool operator==(const DirectoryStamp&) const = default;
};

struct WalkOptions {
  bool follow_symlinks = false;
  int threads = 0;                                   // 0: one per core
  std::atomic<std::uint64_t>* files_seen = nullptr;  // progress counter, may be null
  // When set, only these entries of the root are walked (a partial scan, scan/reuse.hpp); the
  // root itself is always listed and stamped.
  const std::unordered_set<std::string>* top_entries = nullptr;
};

struct WalkResult {
  std::vector<WalkedFile> files;  // in no particular order
  Size directories;               // the directory entries themselves, the root included
  std::vector<DirectoryStamp> directory_stamps;  // every directory walked, the root included
  std::vector<Problem> problems;
  // For a scan that may later be reused in parts: every entry of the root (walked or not), the
  // stamps of the files that sit directly in it, and the directories' sizes per top-level entry.
  std::vector<std::string> root_entries;
  std::vector<DirectoryStamp> root_file_stamps;
  std::unordered_map<std::string, Size> directories_by_entry;
  Size root_directory;  // the root's own entry (also in `directories`)
};

// Walks `root` in parallel. Unreadable directories are reported as problems and skipped; the
// walk never stops early. Symlinks are counted as links (like `du`) unless follow_symlinks,
// which follows them with loop protection (each directory is entered once).
WalkResult walk_tree(const std::string& root, const WalkOptions& options);

DirectoryStamp stamp_of(std::string path, const struct ::stat& info);

}  // namespace pkgsizer::scan
