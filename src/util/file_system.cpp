#include "util/file_system.hpp"

#include <filesystem>

namespace pkgsizer {
namespace {

namespace fs = std::filesystem;

class DiskFileSystem final : public FileSystem {
 public:
  bool is_directory(const std::string& path) const override {
    std::error_code error;
    return fs::is_directory(path, error);
  }

  std::vector<std::string> list_directory(const std::string& path) const override {
    std::vector<std::string> names;
    std::error_code error;
    for (fs::directory_iterator it(path, error), end; !error && it != end; it.increment(error))
      names.push_back(it->path().filename().string());
    return names;
  }

  std::string real_path(const std::string& path) const override {
    std::error_code error;
    std::string real = fs::canonical(path, error).string();
    return error ? std::string() : real;
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

const FileSystem& disk_file_system() {
  static const DiskFileSystem disk;
  return disk;
}

void MemoryFileSystem::add(const std::string& path, Entry entry) {
  const std::vector<std::string> parts = components(path);
  for (std::size_t i = 1; i < parts.size(); ++i)
    entries_.try_emplace(join(parts, i), Entry{Kind::kDirectory, {}});
  entries_[join(parts, parts.size())] = std::move(entry);
}

void MemoryFileSystem::add_file(const std::string& path) { add(path, {Kind::kFile, {}}); }
void MemoryFileSystem::add_directory(const std::string& path) { add(path, {Kind::kDirectory, {}}); }
void MemoryFileSystem::add_link(const std::string& path, const std::string& target) {
  add(path, {Kind::kLink, target});
}

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

bool MemoryFileSystem::is_directory(const std::string& path) const {
  const std::string real = real_path(path);
  const auto found = entries_.find(real);
  return !real.empty() &&
         (real == "/" || (found != entries_.end() && found->second.kind == Kind::kDirectory));
}

std::vector<std::string> MemoryFileSystem::list_directory(const std::string& path) const {
  std::vector<std::string> names;
  if (!is_directory(path)) return names;
  const std::string real = real_path(path);
  const std::string prefix = real == "/" ? "/" : real + "/";
  for (auto it = entries_.lower_bound(prefix); it != entries_.end(); ++it) {
    if (it->first.compare(0, prefix.size(), prefix) != 0) break;
    const std::string name = it->first.substr(prefix.size());
    if (name.find('/') == std::string::npos) names.push_back(name);
  }
  return names;
}

}  // namespace pkgsizer
