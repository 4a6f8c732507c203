#include "docker/file_hasher.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "docker/layer_reader.hpp"
#include "docker/oci.hpp"
#include "util/error.hpp"

namespace pkgsizer::docker {
namespace {

constexpr std::size_t kReadBytes = 1 << 20;

}  // namespace

FileRangeHasher::FileRangeHasher(unsigned threads)
    : max_threads_(threads != 0 ? threads : std::max(1U, std::thread::hardware_concurrency())) {}

FileRangeHasher::~FileRangeHasher() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (std::thread& worker : workers_) worker.join();
  for (Range& range : ranges_)
    if (range.fd >= 0) ::close(range.fd);
}

std::size_t FileRangeHasher::add(int fd, const std::string& name, std::uint64_t offset,
                                 std::uint64_t size) {
  const int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (own < 0)
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("{}: cannot duplicate its descriptor: {}", name, std::strerror(errno)));
  std::size_t ticket = 0;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    ticket = ranges_.size();
    ranges_.push_back({own, name, offset, size, false, {}, {}});
    queued_.push_back(ticket);
    // One worker per range in flight, up to the limit: a range is hashed by one thread, in order.
    if (workers_.size() < max_threads_ && workers_.size() < ranges_.size())
      workers_.emplace_back([this] { run(); });
  }
  changed_.notify_all();
  return ticket;
}

std::string FileRangeHasher::digest(std::size_t ticket) {
  std::unique_lock<std::mutex> lock(mutex_);
  const Range& range = ranges_.at(ticket);
  changed_.wait(lock, [&] { return range.done; });
  if (!range.error.empty()) throw Error(ErrorCategory::kEnvironment, range.error);
  return range.digest;
}

void FileRangeHasher::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return stopping_ || !queued_.empty(); });
    if (stopping_) return;
    Range& range = ranges_[queued_.front()];  // stable: only this thread touches it until done
    queued_.pop_front();
    lock.unlock();
    hash(range);
    lock.lock();
    range.done = true;
    changed_.notify_all();
  }
}

// Reads the range in large pread()s and hashes it; records the digest or why it failed.
void FileRangeHasher::hash(Range& range) {
  Sha256 sha;
  std::string buffer(kReadBytes, '\0');
  std::uint64_t offset = range.offset;
  std::uint64_t left = range.size;
  while (left > 0 && range.error.empty()) {
    if (stopping_now()) return;
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, kReadBytes));
    const ssize_t got = ::pread(range.fd, buffer.data(), want, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      range.error =
          fmt::format("{}: read error at byte {}: {}", range.name, offset, std::strerror(errno));
    } else if (got == 0) {
      range.error =
          fmt::format("{}: ends at byte {}, {} bytes before the end of a layer: truncated",
                      range.name, offset, left);
    } else {
      sha.update({buffer.data(), static_cast<std::size_t>(got)});
      offset += static_cast<std::uint64_t>(got);
      left -= static_cast<std::uint64_t>(got);
    }
  }
  if (range.error.empty()) range.digest = sha.hex_digest();
  ::close(range.fd);
  range.fd = -1;
}

bool FileRangeHasher::stopping_now() {
  const std::lock_guard<std::mutex> lock(mutex_);
  return stopping_;
}

void PendingDigests::expect(std::size_t layer, std::size_t ticket, std::string expected,
                            std::string name) {
  expectations_.push_back({layer, ticket, std::move(expected), std::move(name)});
}

std::vector<std::string> PendingDigests::wait_and_check(std::size_t layers) const {
  std::vector<std::string> digests(layers);
  for (const Expectation& expectation : expectations_) {
    std::string digest = hasher_->digest(expectation.ticket);
    if (!expectation.expected.empty()) check_digest(expectation.expected, digest, expectation.name);
    if (expectation.layer < digests.size()) digests[expectation.layer] = std::move(digest);
  }
  return digests;
}

}  // namespace pkgsizer::docker
