// SHA-256 of byte ranges of files, on worker threads of their own. A layer stored in a file (a
// docker save member, an OCI blob) is hashed from the file while the main thread parses the same
// bytes from its own reads: both read the page cache, nothing is handed between threads, so
// neither waits for the other, and the hashes may run on while the image is analysed.
// (BackgroundSha256 in layer_reader.cpp is for streams, which can be read only once.)
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pkgsizer::docker {

class FileRangeHasher {
 public:
  // Up to `threads` ranges are hashed at once (0: one per core).
  explicit FileRangeHasher(unsigned threads = 0);
  ~FileRangeHasher();  // abandons queued ranges, waits for the ones being hashed to stop
  FileRangeHasher(const FileRangeHasher&) = delete;
  FileRangeHasher& operator=(const FileRangeHasher&) = delete;

  // Queues `size` bytes of `fd` from `offset` (the descriptor is duplicated: the caller may close
  // its own); `name` names the file in messages. Returns the ticket to ask digest() with.
  std::size_t add(int fd, const std::string& name, std::uint64_t offset, std::uint64_t size);

  // Waits for the range's digest, "sha256:<hex>". Throws pkgsizer::Error (kEnvironment) when the
  // file could not be read or ended inside the range.
  std::string digest(std::size_t ticket);

 private:
  struct Range {
    int fd = -1;  // closed once hashed
    std::string name;
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    bool done = false;
    std::string digest;  // "sha256:<hex>" once done
    std::string error;   // instead of the digest
  };

  void run();
  void hash(Range& range);
  bool stopping_now();

  std::deque<Range> ranges_;        // by ticket; a deque keeps references stable as it grows
  std::deque<std::size_t> queued_;  // tickets not started yet
  bool stopping_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::thread> workers_;  // started as ranges are added
  unsigned max_threads_;
};

// The layer digests of an image still being computed when it was opened, and what each must
// equal. analyse_image() waits for them after its analysis, so that the analysis and the hashes
// overlap; nothing is reported before they are checked.
class PendingDigests {
 public:
  PendingDigests() : hasher_(std::make_unique<FileRangeHasher>()) {}
  FileRangeHasher& hasher() { return *hasher_; }

  // Image layer `layer` gets the digest of `ticket`; `expected` ("" for none) is checked,
  // `name` names the layer in the message when it does not match.
  void expect(std::size_t layer, std::size_t ticket, std::string expected, std::string name);

  // Waits for every digest and checks it; returns them by image layer ("" where none is
  // pending). Throws pkgsizer::Error (kEnvironment) for a digest that does not match.
  std::vector<std::string> wait_and_check(std::size_t layers) const;

 private:
  struct Expectation {
    std::size_t layer = 0;
    std::size_t ticket = 0;
    std::string expected;
    std::string name;
  };
  std::unique_ptr<FileRangeHasher> hasher_;
  std::vector<Expectation> expectations_;
};

}  // namespace pkgsizer::docker
