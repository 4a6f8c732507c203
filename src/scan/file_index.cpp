#include "scan/file_index.hpp"

#include <oneapi/tbb/parallel_for_each.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <tuple>

namespace pkgsizer::scan {
namespace {

// RECORD paths are usually plain ("pkg/mod.py"); only the others need lexical normalization.
bool needs_normalization(std::string_view path) {
  if (path.empty() || path.front() == '/') return true;
  if (path.find("//") != std::string_view::npos || path.find('\\') != std::string_view::npos)
    return true;
  if (path.substr(0, 2) == "./" || path.substr(0, 3) == "../") return true;
  return path.find("/./") != std::string_view::npos || path.find("/../") != std::string_view::npos;
}

}  // namespace

FileIndex::FileIndex(std::vector<std::string> roots, std::vector<WalkResult>& walks)
    : roots_(std::move(roots)), root_indexes_(roots_.size()) {
  for (std::size_t root = 0; root < walks.size(); ++root) {
    for (WalkedFile& walked : walks[root].files) {
      IndexedFile& indexed = files_.emplace_back();
      indexed.file = std::move(walked);
      indexed.root = static_cast<int>(root);
      indexed.top_entry = top_entry_of(indexed.file.path);  // a view into the stored path
    }
    walks[root].files.clear();
    walks[root].files.shrink_to_fit();
  }
  canonical_.resize(files_.size());
  bool followed_symlinks = false;
  for (FileId id = 0; id < files_.size(); ++id) {
    const IndexedFile& indexed = files_[id];
    RootIndex& index = root_indexes_[indexed.root];
    auto [group, inserted] = index.by_top_entry.try_emplace(indexed.top_entry);
    if (inserted)
      index.entries_by_stem[std::string(stem_of_entry(indexed.top_entry))].emplace_back(
          indexed.top_entry);
    group->second.files.push_back(id);
    canonical_[id] = id;
    followed_symlinks = followed_symlinks || indexed.file.via_symlink;
  }
  std::vector<TopEntry*> groups;
  for (RootIndex& index : root_indexes_)
    for (auto& [name, group] : index.by_top_entry) groups.push_back(&group);
  tbb::parallel_for_each(groups.begin(), groups.end(), [this](TopEntry* group) {
    group->by_path.reserve(group->files.size());
    for (const FileId id : group->files) group->by_path.emplace(files_[id].file.path, id);
  });
  // Hardlinks repeat an inode: count it once. When symlinks were followed any file may be
  // reached twice, so then every inode is checked. The file that stands for an inode is a real
  // path (not via a link) before others, then the first by (root, path): the same file whatever
  // order the threads of the walk met them in (an unowned one is reported under its entry).
  auto stands_before = [this](FileId a, FileId b) {
    const IndexedFile& x = files_[a];
    const IndexedFile& y = files_[b];
    if (x.file.via_symlink != y.file.via_symlink) return !x.file.via_symlink;
    return std::tie(x.root, x.file.path) < std::tie(y.root, y.file.path);
  };
  auto linked = [&](const WalkedFile& file) { return file.links > 1 || followed_symlinks; };
  for (FileId id = 0; id < files_.size(); ++id) {
    const WalkedFile& file = files_[id].file;
    if (!linked(file)) continue;
    auto [first, new_inode] = by_inode_[file.device].try_emplace(file.inode, id);
    if (!new_inode && stands_before(id, first->second)) first->second = id;
  }
  for (FileId id = 0; id < files_.size(); ++id) {
    const WalkedFile& file = files_[id].file;
    if (linked(file)) canonical_[id] = by_inode_[file.device].at(file.inode);
  }
}

std::optional<FileId> FileIndex::find(int root, std::string_view relative_path) const {
  const auto& groups = root_indexes_[root].by_top_entry;
  const auto group = groups.find(top_entry_of(relative_path));
  if (group == groups.end()) return std::nullopt;
  const auto found = group->second.by_path.find(relative_path);
  if (found == group->second.by_path.end()) return std::nullopt;
  return found->second;
}

const std::vector<FileId>& FileIndex::files_under(int root, std::string_view top_entry) const {
  static const std::vector<FileId> kNone;
  const auto& groups = root_indexes_[root].by_top_entry;
  const auto found = groups.find(top_entry);
  return found == groups.end() ? kNone : found->second.files;
}

const std::vector<std::string>& FileIndex::entries_with_stem(int root,
                                                             std::string_view stem) const {
  static const std::vector<std::string> kNone;
  const auto& stems = root_indexes_[root].entries_by_stem;
  const auto found = stems.find(std::string(stem));
  return found == stems.end() ? kNone : found->second;
}

std::optional<std::pair<int, std::string>> FileIndex::locate_in_roots(
    const std::string& absolute) const {
  for (std::size_t root = 0; root < roots_.size(); ++root) {
    const std::string& prefix = roots_[root];
    if (absolute.size() > prefix.size() + 1 && absolute.compare(0, prefix.size(), prefix) == 0 &&
        absolute[prefix.size()] == '/')
      return std::make_pair(static_cast<int>(root), absolute.substr(prefix.size() + 1));
  }
  return std::nullopt;
}

std::optional<FileIndex::Resolution> FileIndex::resolve_plain(int base_root,
                                                              std::string_view path) const {
  if (needs_normalization(path)) return std::nullopt;
  return Resolution{find(base_root, path), false};
}

FileIndex::Resolution FileIndex::resolve(int base_root, std::string_view path) {
  if (auto plain = resolve_plain(base_root, path)) return *plain;
  namespace fs = std::filesystem;
  fs::path joined =
      path.front() == '/' ? fs::path(path) : fs::path(roots_[base_root]) / fs::path(path);
  std::string absolute = joined.lexically_normal().string();
  if (auto in_root = locate_in_roots(absolute)) {
    if (auto id = find(in_root->first, in_root->second)) return {id, false};
    return {std::nullopt, false, std::move(in_root)};
  }
  // A path through a symlinked directory (lib64 -> lib) may still land in a scanned tree.
  std::error_code error;
  const fs::path parent = fs::canonical(fs::path(absolute).parent_path(), error);
  if (!error) {
    const std::string real = (parent / fs::path(absolute).filename()).string();
    if (auto in_root = locate_in_roots(real)) {
      if (auto id = find(in_root->first, in_root->second)) return {id, false};
      return {std::nullopt, false, std::move(in_root)};
    }
  }
  if (auto known = outside_by_path_.find(absolute); known != outside_by_path_.end())
    return {known->second, true};
  struct stat info {};
  if (::lstat(absolute.c_str(), &info) != 0 || S_ISDIR(info.st_mode)) return {};
  return {add_outside_file(absolute), true};
}

FileId FileIndex::add_outside_file(const std::string& absolute) {
  struct stat info {};
  ::lstat(absolute.c_str(), &info);
  IndexedFile indexed;
  indexed.file.path = absolute;
  indexed.file.device = info.st_dev;
  indexed.file.inode = info.st_ino;
  indexed.file.apparent_bytes = static_cast<std::uint64_t>(info.st_size);
  indexed.file.disk_bytes = static_cast<std::uint64_t>(info.st_blocks) * 512;
  indexed.file.links = info.st_nlink;
  indexed.file.is_symlink = S_ISLNK(info.st_mode);
  const FileId id = static_cast<FileId>(files_.size());
  files_.push_back(std::move(indexed));
  auto [first, new_inode] = by_inode_[info.st_dev].try_emplace(info.st_ino, id);
  canonical_.push_back(new_inode ? id : first->second);
  outside_by_path_.emplace(absolute, id);
  return id;
}

}  // namespace pkgsizer::scan
