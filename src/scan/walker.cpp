#include "scan/walker.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for_each.h>
#include <oneapi/tbb/task_arena.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <utility>

namespace pkgsizer::scan {
namespace {

struct DirectoryTask {
  std::string relative;  // "" for the root
  bool via_symlink = false;
};

// Directories already entered, by (device, inode): only needed when symlinks are followed,
// since without that a directory tree cannot reach the same directory twice.
class VisitedDirectories {
 public:
  bool first_visit(const struct stat& info) {
    std::lock_guard lock(mutex_);
    return visited_.emplace(info.st_dev, info.st_ino).second;
  }

 private:
  std::mutex mutex_;
  std::set<std::pair<dev_t, ino_t>> visited_;
};

// Directories met through followed symlinks, walked after the real ones.
class SymlinkedDirectories {
 public:
  void add(DirectoryTask task, const struct stat& info) {
    std::lock_guard lock(mutex_);
    pending_.emplace_back(std::move(task), info);
  }
  std::vector<std::pair<DirectoryTask, struct stat>> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(pending_, {});
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<DirectoryTask, struct stat>> pending_;
};

Size size_of(const struct stat& info) {
  return {static_cast<std::uint64_t>(info.st_size),
          static_cast<std::uint64_t>(info.st_blocks) * 512, 1};
}

class Walker {
 public:
  Walker(const std::string& root, const WalkOptions& options) : root_(root), options_(options) {}

  WalkResult run() {
    struct stat root_info {};
    WalkResult result;
    if (::stat(root_.c_str(), &root_info) != 0) {
      result.problems.push_back(
          {Severity::kError, root_, std::string("cannot read: ") + std::strerror(errno)});
      return result;
    }
    result.directories += size_of(root_info);
    result.root_directory = size_of(root_info);
    result.directory_stamps.push_back(stamp_of("", root_info));
    if (options_.follow_symlinks) visited_.first_visit(root_info);

    // Real directories first; directories reached through followed symlinks only afterwards,
    // so that a directory that has a real path inside the tree is walked (once) under it.
    std::vector<DirectoryTask> tasks{{"", false}};
    auto walk = [&] {
      while (!tasks.empty()) {
        tbb::parallel_for_each(tasks.begin(), tasks.end(),
                               [&](const DirectoryTask& task, tbb::feeder<DirectoryTask>& feeder) {
                                 walk_directory(task, feeder);
                               });
        tasks.clear();
        for (auto& [task, info] : symlinked_directories_.take())
          if (visited_.first_visit(info)) {
            add_directory(partials_.local(), task.relative, info);
            tasks.push_back(std::move(task));
          }
      }
    };
    if (options_.threads > 0) {
      // TBB gives no arena more threads than the CPUs this process may use, and says so on
      // stderr ("TBB Warning: ... is ignored"), which --quiet cannot silence: ask no more.
      tbb::task_arena arena(std::min(options_.threads, tbb::info::default_concurrency()));
      arena.execute(walk);
    } else {
      walk();
    }

    for (WalkResult& partial : partials_) {
      if (result.files.empty()) {
        result.files = std::move(partial.files);
      } else {
        result.files.insert(result.files.end(), std::make_move_iterator(partial.files.begin()),
                            std::make_move_iterator(partial.files.end()));
      }
      result.directories += partial.directories;
      for (auto& [entry, size] : partial.directories_by_entry)
        result.directories_by_entry[entry] += size;
      result.root_entries.insert(result.root_entries.end(), partial.root_entries.begin(),
                                 partial.root_entries.end());
      result.root_file_stamps.insert(result.root_file_stamps.end(),
                                     std::make_move_iterator(partial.root_file_stamps.begin()),
                                     std::make_move_iterator(partial.root_file_stamps.end()));
      result.directory_stamps.insert(result.directory_stamps.end(),
                                     std::make_move_iterator(partial.directory_stamps.begin()),
                                     std::make_move_iterator(partial.directory_stamps.end()));
      for (Problem& problem : partial.problems) result.problems.push_back(std::move(problem));
    }
    return result;
  }

 private:
  static void add_directory(WalkResult& out, const std::string& relative, const struct stat& info) {
    out.directories += size_of(info);
    out.directories_by_entry[relative.substr(0, relative.find('/'))] += size_of(info);
    out.directory_stamps.push_back(stamp_of(relative, info));
  }

  std::string full_path(const std::string& relative) const {
    return relative.empty() ? root_ : root_ + "/" + relative;
  }

  void walk_directory(const DirectoryTask& task, tbb::feeder<DirectoryTask>& feeder) {
    WalkResult& out = partials_.local();
    const std::string directory_path = full_path(task.relative);
    const int fd = ::open(directory_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR* directory = fd >= 0 ? ::fdopendir(fd) : nullptr;
    if (!directory) {
      out.problems.push_back({Severity::kError, directory_path,
                              std::string("cannot read directory: ") + std::strerror(errno)});
      if (fd >= 0) ::close(fd);
      return;
    }
    std::uint64_t files_here = 0;
    while (const dirent* entry = ::readdir(directory)) {
      const char* name = entry->d_name;
      if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
      if (task.relative.empty()) {
        out.root_entries.emplace_back(name);
        if (options_.top_entries && !options_.top_entries->contains(name)) continue;
      }
      std::string relative = task.relative.empty() ? std::string(name) : task.relative + "/" + name;
      struct stat info {};
      if (::fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0) {
        out.problems.push_back({Severity::kError, full_path(relative),
                                std::string("cannot stat: ") + std::strerror(errno)});
        continue;
      }
      bool via_symlink = task.via_symlink;
      if (S_ISLNK(info.st_mode) && options_.follow_symlinks) {
        struct stat target {};
        if (::fstatat(fd, name, &target, 0) == 0) {  // a dangling link stays a link
          info = target;
          via_symlink = true;
        }
      }
      if (S_ISDIR(info.st_mode)) {
        if (via_symlink) {
          symlinked_directories_.add({std::move(relative), true}, info);
          continue;
        }
        if (options_.follow_symlinks && !visited_.first_visit(info)) continue;
        add_directory(out, relative, info);
        feeder.add({std::move(relative), false});
        continue;
      }
      if (task.relative.empty()) out.root_file_stamps.push_back(stamp_of(relative, info));
      WalkedFile file;
      file.path = std::move(relative);
      file.device = info.st_dev;
      file.inode = info.st_ino;
      file.apparent_bytes = static_cast<std::uint64_t>(info.st_size);
      file.disk_bytes = static_cast<std::uint64_t>(info.st_blocks) * 512;
      file.links = info.st_nlink;
      file.is_symlink = S_ISLNK(info.st_mode);
      file.via_symlink = via_symlink;
      out.files.push_back(std::move(file));
      ++files_here;
    }
    ::closedir(directory);
    if (options_.files_seen) options_.files_seen->fetch_add(files_here, std::memory_order_relaxed);
  }

  const std::string& root_;
  const WalkOptions& options_;
  VisitedDirectories visited_;
  SymlinkedDirectories symlinked_directories_;
  tbb::enumerable_thread_specific<WalkResult> partials_;
};

}  // namespace

DirectoryStamp stamp_of(std::string path, const struct ::stat& info) {
  return {std::move(path),
          static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec,
          static_cast<std::int64_t>(info.st_ctim.tv_sec) * 1000000000 + info.st_ctim.tv_nsec,
          static_cast<std::uint64_t>(info.st_ino)};
}

WalkResult walk_tree(const std::string& root, const WalkOptions& options) {
  return Walker(root, options).run();
}

}  // namespace pkgsizer::scan
