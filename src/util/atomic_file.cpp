#include "util/atomic_file.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>

#include "util/error.hpp"

namespace pkgsizer {
namespace {

[[noreturn]] void fail(const std::string& path, int error) {
  throw Error(ErrorCategory::kOutput,
              fmt::format("{}: cannot write: {}", path, std::strerror(error)));
}

// Everything written and flushed.
bool put(std::FILE* stream, const std::string& content) {
  return std::fwrite(content.data(), 1, content.size(), stream) == content.size() &&
         std::fflush(stream) == 0;
}

// Devices, FIFOs, sockets, terminals: opened and written as they are.
void write_in_place(const std::string& path, const std::string& content) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) fail(path, errno);
  const bool written = put(file, content);
  const int saved_errno = errno;
  std::fclose(file);
  if (!written) fail(path, saved_errno);
}

// The file a regular `path` stands for: itself, or where its symlinks lead.
std::string real_target(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr),
                                                       &std::free);
  return resolved ? std::string(resolved.get()) : path;
}

}  // namespace

void write_output(const std::string& path, const std::string& content) {
  if (path == "-" || path.empty()) {
    if (!put(stdout, content))
      throw Error(ErrorCategory::kOutput, fmt::format("standard output: {}", std::strerror(errno)));
    return;
  }
  struct stat existing {};
  std::optional<mode_t> keep_mode;
  std::string target = path;
  if (::stat(path.c_str(), &existing) == 0) {
    if (!S_ISREG(existing.st_mode)) return write_in_place(path, content);
    keep_mode = existing.st_mode & 07777;
    target = real_target(path);
  }
  const std::string temporary = fmt::format("{}.tmp-{}", target, ::getpid());
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (!file) fail(path, errno);
  const bool written = put(file, content) && ::fsync(::fileno(file)) == 0 &&
                       (!keep_mode || ::fchmod(::fileno(file), *keep_mode) == 0);
  const int saved_errno = errno;
  std::fclose(file);
  if (!written || std::rename(temporary.c_str(), target.c_str()) != 0) {
    const int error = !written ? saved_errno : errno;
    std::remove(temporary.c_str());
    fail(path, error);
  }
}

}  // namespace pkgsizer
