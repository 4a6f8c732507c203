// Reading files that come from outside, the one way every reader here does it (docs/security.md).
// Only regular files are read: a FIFO would block forever and /dev/zero never ends, so both are
// refused before a byte is read (the open is O_NONBLOCK, so opening a FIFO with no writer does
// not block either). And no file is read past a cap: a reader says how much its kind of file can
// sensibly hold, and a larger one is an error rather than a machine out of memory.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pkgsizer {

inline constexpr std::uint64_t kMebibyte = 1024 * 1024;

// Caps (docs/security.md "Limits"), each far above the largest real file of its kind.
// A metadata file of an installed distribution (METADATA, RECORD, requires.txt, INSTALLER, …):
// the largest RECORDs (tensorflow, 20k files) and METADATAs (long READMEs) are a few MiB.
inline constexpr std::uint64_t kMaxMetadataFileBytes = 64 * kMebibyte;
// A file named on the command line or found beside it: a saved scan, a history export, a budget,
// a requirements or lock file, pyvenv.cfg. Saved scans of large environments are tens of MiB.
inline constexpr std::uint64_t kMaxInputFileBytes = 256 * kMebibyte;

// The whole of the regular file `path` (symlinks followed), or nothing when it cannot be read,
// is not a regular file, or holds more than `max_bytes`. `error`, when given, receives why, to
// follow the path in a message: "is a FIFO, not a regular file", "is larger than 64 MiB (the
// limit for this kind of file)", or strerror's text. errno is set too (EFBIG for too large,
// EINVAL for not a regular file). "/dev/stdin" is read as standard input (see below).
std::optional<std::string> read_text_file(const std::string& path,
                                          std::uint64_t max_bytes = kMaxInputFileBytes,
                                          std::string* error = nullptr);

// The reason read_text_file gave, from the errno it left, for callers that only pass errno on
// (an injected loader): "not a regular file (a FIFO, a device, a socket)", "larger than the
// limit for this kind of file", or strerror's text.
std::string read_error_text(int error_number);

// All of standard input, which may be a pipe or a terminal (the user chose it: `compare - B`,
// `--report /dev/stdin`), still no more than `max_bytes`.
std::optional<std::string> read_standard_input(std::uint64_t max_bytes = kMaxInputFileBytes,
                                               std::string* error = nullptr);

// Owns a file descriptor: closes it when it goes.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor();
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  int release();

 private:
  int fd_;
};

// `length` bytes of `fd` from `offset` (pread), fewer only at the end of the file. The caller
// bounds `length` (it allocates that much). Throws pkgsizer::Error when reading fails.
std::string read_file_range(int fd, std::uint64_t offset, std::uint64_t length);

// A descriptor (O_RDONLY | O_CLOEXEC) on the regular file `path`, for readers that seek (a
// local wheel), with its size; -1 with `error` set when it cannot be opened or is not a regular
// file. The caller closes it.
int open_regular_file(const std::string& path, std::uint64_t& size, std::string* error = nullptr);

}  // namespace pkgsizer
