#include "util/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

#include "util/error.hpp"

namespace pkgsizer {
namespace {

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

std::optional<std::string> fail(std::string* error, int error_number, std::string reason) {
  if (error) *error = std::move(reason);
  errno = error_number;
  return std::nullopt;
}

std::string too_large(std::uint64_t max_bytes) {
  return "is larger than " + std::to_string(max_bytes / kMebibyte) +
         " MiB (the limit for this kind of file, docs/security.md)";
}

// Reads `fd` to its end, but never more than `max_bytes`: a file that grows while it is read,
// or a pipe, is cut off by the count, not by its size.
std::optional<std::string> read_capped(int fd, std::uint64_t max_bytes, std::uint64_t expected,
                                       std::string* error) {
  std::string content;
  content.reserve(static_cast<std::size_t>(std::min(expected, max_bytes)));
  char buffer[65536];
  while (true) {
    const ssize_t count = ::read(fd, buffer, sizeof buffer);
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) {
      const int saved = errno;
      return fail(error, saved, std::strerror(saved));
    }
    if (count == 0) return content;
    if (content.size() + static_cast<std::size_t>(count) > max_bytes)
      return fail(error, EFBIG, too_large(max_bytes));
    content.append(buffer, static_cast<std::size_t>(count));
  }
}

}  // namespace

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

int FileDescriptor::release() { return std::exchange(fd_, -1); }

std::string read_file_range(int fd, std::uint64_t offset, std::uint64_t length) {
  std::string bytes(static_cast<std::size_t>(length), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t count =
        ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (count < 0 && errno == EINTR) continue;
    if (count < 0) throw Error(ErrorCategory::kEnvironment, std::strerror(errno));
    if (count == 0) break;
    done += static_cast<std::size_t>(count);
  }
  bytes.resize(done);
  return bytes;
}

int open_regular_file(const std::string& path, std::uint64_t& size, std::string* error) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (fd.get() < 0) {
    const int saved = errno;
    fail(error, saved, std::strerror(saved));
    return -1;
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    const int saved = errno;
    fail(error, saved, std::strerror(saved));
    return -1;
  }
  if (!S_ISREG(info.st_mode)) {
    fail(error, S_ISDIR(info.st_mode) ? EISDIR : EINVAL,
         std::string("is ") + kind_of(info.st_mode) + ", not a regular file");
    return -1;
  }
  // Reads of a regular file never block; clearing the flag keeps them ordinary all the same.
  ::fcntl(fd.get(), F_SETFL, ::fcntl(fd.get(), F_GETFL) & ~O_NONBLOCK);
  size = static_cast<std::uint64_t>(info.st_size);
  return fd.release();
}

std::optional<std::string> read_text_file(const std::string& path, std::uint64_t max_bytes,
                                          std::string* error) {
  if (path == "/dev/stdin") return read_standard_input(max_bytes, error);
  std::uint64_t size = 0;
  FileDescriptor fd(open_regular_file(path, size, error));
  if (fd.get() < 0) return std::nullopt;
  if (size > max_bytes) return fail(error, EFBIG, too_large(max_bytes));
  return read_capped(fd.get(), max_bytes, size, error);
}

std::string read_error_text(int error_number) {
  if (error_number == EINVAL) return "not a regular file (a FIFO, a device, a socket)";
  if (error_number == EFBIG)
    return "larger than the limit for this kind of file (docs/security.md)";
  return std::strerror(error_number);
}

std::optional<std::string> read_standard_input(std::uint64_t max_bytes, std::string* error) {
  return read_capped(STDIN_FILENO, max_bytes, 0, error);
}

}  // namespace pkgsizer
