// A `docker save` tarball read from a file, as `pkgsizer docker image.tar` reads it: the outer
// tar, the members' JSON, the layers — whose digests are computed from the file on worker
// threads at the offsets the reader found — and the analysis. A bad one is a pkgsizer::Error
// (exit 3 or 9), never a crash, a hang or a read outside the file.
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "docker/analysis.hpp"
#include "docker/image.hpp"
#include "fuzz_target.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // An anonymous file: the reader needs a regular file, which /proc/self/fd/N of a memfd is.
  const int fd = ::memfd_create("docker-save", MFD_CLOEXEC);
  if (fd < 0) return 0;
  if (::write(fd, data, size) != static_cast<ssize_t>(size)) {
    ::close(fd);
    return 0;
  }
  pkgsizer::docker::ReadOptions options;
  options.limits.max_uncompressed_bytes = 64 << 20;
  try {
    const auto image =
        pkgsizer::docker::read_docker_archive("/proc/self/fd/" + std::to_string(fd), "", options);
    const auto analysis = pkgsizer::docker::analyse_image(image);
    if (analysis.final_bytes > analysis.total_bytes) __builtin_trap();
  } catch (const pkgsizer::Error&) {
  }
  ::close(fd);
  return 0;
}
