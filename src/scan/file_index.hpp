// Every walked file of the scanned site-packages directories, addressable by path, by top-level
// entry and by inode, so that claims (RECORD rows, top-level names) can be resolved to files.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "scan/walker.hpp"

namespace pkgsizer::scan {

using FileId = std::uint32_t;

// The top-level entry a path relative to site-packages lies in: its first component.
inline std::string_view top_entry_of(std::string_view path) {
  return path.substr(0, path.find('/'));
}

// The import name a top-level entry may stand for: "six.py" -> "six", "_cffi.cpython-311.so"
// -> "_cffi".
inline std::string_view stem_of_entry(std::string_view entry) {
  return entry.substr(0, entry.find('.'));
}

struct IndexedFile {
  WalkedFile file;
  int root = -1;               // index into roots(); -1 for a file outside every scanned tree
  std::string_view top_entry;  // first path component (the site-packages entry it belongs to)
};

class FileIndex {
 public:
  // Takes the walks of each root (real paths, each once) and indexes them.
  FileIndex(std::vector<std::string> roots, std::vector<WalkResult>& walks);

  const std::vector<std::string>& roots() const { return roots_; }
  const IndexedFile& file(FileId id) const { return files_[id]; }
  std::size_t size() const { return files_.size(); }

  // The file that stands for this one's inode: hardlinks (and followed symlinks) map to one.
  FileId canonical(FileId id) const { return canonical_[id]; }

  std::optional<FileId> find(int root, std::string_view relative_path) const;
  // Files whose path starts with `top_entry` as its first component (the entry itself if a file).
  const std::vector<FileId>& files_under(int root, std::string_view top_entry) const;
  // Top-level entries whose name starts with `stem` followed by '.' or end: "six" -> "six.py".
  const std::vector<std::string>& entries_with_stem(int root, std::string_view stem) const;

  // Resolves a path (absolute, or relative to root `base_root`) to a scanned file; paths outside
  // every tree are stat'ed and added (once per inode) as outside files. Thread-unsafe: adds.
  struct Resolution {
    std::optional<FileId> id;
    bool outside = false;
    // Where the path lands when that is inside a scanned tree: (root, relative path). Set by
    // resolve() only, for a partial scan to tell a missing file from one it did not walk.
    std::optional<std::pair<int, std::string>> in_tree = {};
  };
  Resolution resolve(int base_root, std::string_view path);
  // The common case without side effects (safe from many threads): a plain relative path.
  // Empty when the path needs resolve().
  std::optional<Resolution> resolve_plain(int base_root, std::string_view path) const;

 private:
  // The files under one top-level entry, and their paths. One small map per entry rather than
  // one for the whole tree: a distribution's RECORD rows all fall in a few entries, whose maps
  // stay in the CPU cache while the rows are looked up, and the maps are built in parallel.
  struct TopEntry {
    std::vector<FileId> files;
    std::unordered_map<std::string_view, FileId> by_path;  // the whole relative path
  };
  struct RootIndex {
    std::unordered_map<std::string_view, TopEntry> by_top_entry;
    std::unordered_map<std::string, std::vector<std::string>> entries_by_stem;
  };

  std::optional<std::pair<int, std::string>> locate_in_roots(const std::string& absolute) const;
  FileId add_outside_file(const std::string& absolute);

  std::vector<std::string> roots_;
  std::deque<IndexedFile> files_;  // a deque: the indexes hold string_views into its paths
  std::vector<FileId> canonical_;
  std::vector<RootIndex> root_indexes_;
  std::unordered_map<std::string, FileId> outside_by_path_;
  std::unordered_map<std::uint64_t, std::unordered_map<std::uint64_t, FileId>> by_inode_;
};

}  // namespace pkgsizer::scan
