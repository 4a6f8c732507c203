#include "util/atomic_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace pkgsizer {

void write_output(const std::string& path, const std::string& content) {
  if (path == "-" || path.empty()) {
    std::fwrite(content.data(), 1, content.size(), stdout);
    if (std::fflush(stdout) != 0)
      throw std::runtime_error(fmt::format("standard output: {}", std::strerror(errno)));
    return;
  }
  const std::string temporary = fmt::format("{}.tmp-{}", path, ::getpid());
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (!file)
    throw std::runtime_error(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
  const bool written = std::fwrite(content.data(), 1, content.size(), file) == content.size();
  const bool flushed = std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  const int saved_errno = errno;
  std::fclose(file);
  if (!written || !flushed || std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = (!written || !flushed) ? saved_errno : errno;
    std::remove(temporary.c_str());
    throw std::runtime_error(fmt::format("{}: cannot write: {}", path, std::strerror(error)));
  }
}

}  // namespace pkgsizer
