#include "util/file_system.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "util/read_file.hpp"

namespace pkgsizer {
namespace {

namespace fs = std::filesystem;

// Sidecars and stamps are a few lines; anything larger is not one of them.
constexpr std::uint64_t kSmallFileBytes = 1024 * 1024;

std::int64_t nanoseconds(const struct timespec& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

class DiskFileSystem final : public FileSystem {
 public:
  bool is_directory(const std::string& path) const override {
    std::error_code error;
    return fs::is_directory(path, error);
  }

  std::optional<std::vector<std::string>> read_directory(const std::string& path,
                                                         std::string& error) const override {
    std::vector<std::string> names;
    std::error_code failure;
    for (fs::directory_iterator it(path, failure), end; !failure && it != end;
         it.increment(failure))
      names.push_back(it->path().filename().string());
    if (!failure) return names;
    error = failure.message();
    return std::nullopt;
  }

  std::string real_path(const std::string& path) const override {
    std::error_code error;
    std::string real = fs::canonical(path, error).string();
    return error ? std::string() : real;
  }

  std::optional<FileStatus> status(const std::string& path) const override {
    struct stat file {};
    if (::stat(path.c_str(), &file) != 0) return std::nullopt;
    return FileStatus{static_cast<std::uint64_t>(file.st_size), nanoseconds(file.st_mtim),
                      nanoseconds(file.st_ctim), static_cast<std::uint64_t>(file.st_ino)};
  }

  std::optional<std::string> read_small_file(const std::string& path) const override {
    return read_text_file(path, kSmallFileBytes);
  }

  bool replace_file(const std::string& path, const std::string& content) override {
    const std::string temporary = fmt::format("{}.tmp-{}", path, ::getpid());
    std::FILE* file = std::fopen(temporary.c_str(), "wb");
    if (!file) return false;
    const bool written = std::fwrite(content.data(), 1, content.size(), file) == content.size();
    const bool closed = std::fclose(file) == 0;
    if (written && closed && std::rename(temporary.c_str(), path.c_str()) == 0) return true;
    std::remove(temporary.c_str());
    return false;
  }
};

// "/a/./b/../c/" as its components {"a", "c"}.
std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> parts;
  for (const fs::path& part : fs::path(path).lexically_normal().relative_path())
    if (!part.empty() && part != ".") parts.push_back(part.string());
  return parts;
}

std::string join(const std::vector<std::string>& parts, std::size_t count) {
  std::string path;
  for (std::size_t i = 0; i < count; ++i) path += "/" + parts[i];
  return path.empty() ? "/" : path;
}

}  // namespace

std::vector<std::string> FileSystem::list_directory(const std::string& path) const {
  std::string error;
  return read_directory(path, error).value_or(std::vector<std::string>{});
}

FileSystem& disk_file_system() {
  static DiskFileSystem disk;
  return disk;
}

void MemoryFileSystem::add(const std::string& path, Entry entry) {
  const std::vector<std::string> parts = components(path);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    Entry directory;
    directory.kind = Kind::kDirectory;
    directory.inode = next_inode_;
    if (entries_.try_emplace(join(parts, i), directory).second) ++next_inode_;
  }
  entry.changed = ++clock_;
  entry.inode = next_inode_++;
  entries_[join(parts, parts.size())] = std::move(entry);
}

void MemoryFileSystem::add_file(const std::string& path, const std::string& content) {
  Entry entry;
  entry.content = content;
  add(path, std::move(entry));
}
void MemoryFileSystem::add_directory(const std::string& path) {
  Entry entry;
  entry.kind = Kind::kDirectory;
  add(path, std::move(entry));
}
void MemoryFileSystem::add_link(const std::string& path, const std::string& target) {
  Entry entry;
  entry.kind = Kind::kLink;
  entry.target = target;
  add(path, std::move(entry));
}

void MemoryFileSystem::deny_reading(const std::string& path) {
  entries_.at(real_path(path)).readable = false;
}
void MemoryFileSystem::deny_writing(const std::string& path) {
  entries_.at(real_path(path)).writable = false;
}
void MemoryFileSystem::remove(const std::string& path) { entries_.erase(real_path(path)); }

std::string MemoryFileSystem::real_path(const std::string& path) const {
  std::vector<std::string> parts = components(path);
  // Resolve one component at a time; 40 links at most, as Linux allows (ELOOP).
  for (int links = 0; links <= 40;) {
    bool resolved = true;
    for (std::size_t i = 1; i <= parts.size(); ++i) {
      const auto found = entries_.find(join(parts, i));
      if (found == entries_.end()) return "";
      if (found->second.kind != Kind::kLink) continue;
      // An absolute target replaces what came before it; a relative one is read from the
      // link's directory.
      fs::path rest = fs::path(join(parts, i - 1)) / found->second.target;
      for (std::size_t j = i; j < parts.size(); ++j) rest /= parts[j];
      parts = components(rest.string());
      ++links;
      resolved = false;
      break;
    }
    if (resolved) return join(parts, parts.size());
  }
  return "";
}

const MemoryFileSystem::Entry* MemoryFileSystem::find(const std::string& path) const {
  const std::string real = real_path(path);
  if (real.empty()) return nullptr;
  const auto found = entries_.find(real);
  return found == entries_.end() ? nullptr : &found->second;
}

bool MemoryFileSystem::is_directory(const std::string& path) const {
  if (real_path(path) == "/") return true;
  const Entry* entry = find(path);
  return entry && entry->kind == Kind::kDirectory;
}

std::optional<std::vector<std::string>> MemoryFileSystem::read_directory(const std::string& path,
                                                                         std::string& error) const {
  const Entry* entry = find(path);
  if (!is_directory(path)) {
    error = std::strerror(entry ? ENOTDIR : ENOENT);
    return std::nullopt;
  }
  if (entry && !entry->readable) {
    error = std::strerror(EACCES);
    return std::nullopt;
  }
  std::vector<std::string> names;
  const std::string real = real_path(path);
  const std::string prefix = real == "/" ? "/" : real + "/";
  for (auto it = entries_.lower_bound(prefix); it != entries_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    const std::string name = it->first.substr(prefix.size());
    if (name.find('/') == std::string::npos) names.push_back(name);
  }
  return names;
}

std::optional<FileStatus> MemoryFileSystem::status(const std::string& path) const {
  const Entry* entry = find(path);
  if (!entry) return std::nullopt;
  return FileStatus{entry->content.size(), entry->changed, entry->changed, entry->inode};
}

std::optional<std::string> MemoryFileSystem::read_small_file(const std::string& path) const {
  const Entry* entry = find(path);
  if (!entry || entry->kind != Kind::kFile || !entry->readable) return std::nullopt;
  return entry->content;
}

bool MemoryFileSystem::replace_file(const std::string& path, const std::string& content) {
  const Entry* directory = find(fs::path(path).parent_path().string());
  const Entry* existing = find(path);
  if (!directory || directory->kind != Kind::kDirectory || !directory->writable ||
      (existing && existing->kind == Kind::kDirectory))
    return false;
  const std::string real = existing ? real_path(path) : path;
  add_file(real, content);
  return true;
}

}  // namespace pkgsizer
