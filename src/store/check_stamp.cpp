#include "store/check_stamp.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "util/read_file.hpp"

namespace pkgsizer::store {
namespace {

// The sidecar ends with this line: a sidecar cut short by a crash is no match.
constexpr const char* kEnd = "end\n";

std::int64_t nanoseconds(const struct timespec& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

}  // namespace

std::string check_sidecar_path(const std::string& path) { return path + "-checked"; }

std::optional<std::string> store_file_stamp(const std::string& path) {
  struct stat file {};
  if (::stat(path.c_str(), &file) != 0) return std::nullopt;
  std::string stamp = fmt::format("file {} {} {} {}", file.st_size, nanoseconds(file.st_mtim),
                                  nanoseconds(file.st_ctim), file.st_ino);
  // Readers leave an empty -wal behind; only one with frames in it holds part of the store.
  struct stat wal {};
  if (::stat((path + "-wal").c_str(), &wal) == 0 && wal.st_size > 0)
    stamp += fmt::format(" wal {} {} {}", wal.st_size, nanoseconds(wal.st_mtim), wal.st_ino);
  return stamp;
}

bool checked_with_stamp(const std::string& path, const std::string& stamp) {
  const std::optional<std::string> sidecar = read_text_file(check_sidecar_path(path));
  return sidecar && *sidecar == stamp + "\n" + kEnd;
}

void remember_checked(const std::string& path, const std::string& stamp) {
  const std::string sidecar = check_sidecar_path(path);
  const std::string temporary = fmt::format("{}.tmp-{}", sidecar, ::getpid());
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (!file) return;
  const std::string content = stamp + "\n" + kEnd;
  // No fsync: after a crash the sidecar is at worst empty or old, and the file is checked again.
  const bool written = std::fwrite(content.data(), 1, content.size(), file) == content.size();
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed || std::rename(temporary.c_str(), sidecar.c_str()) != 0)
    std::remove(temporary.c_str());
}

}  // namespace pkgsizer::store
