#include "docker/layer_reader.hpp"

#include <fmt/format.h>

#include <array>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "docker/archive_api.hpp"
#include "util/checked.hpp"
#include "util/error.hpp"
#include "util/read_file.hpp"

namespace pkgsizer::docker {
namespace {

constexpr std::string_view kWhiteoutPrefix = ".wh.";
constexpr std::string_view kOpaqueMarker = ".wh..wh..opq";
constexpr std::uint64_t kRatioFloor = 1ULL << 30;

struct ArchiveDeleter {
  void operator()(archive* handle) const { libarchive().read_free(handle); }
};
using ArchivePointer = std::unique_ptr<archive, ArchiveDeleter>;

// SHA-256 on a second thread, overlapping the parse: hashing a layer costs as much as parsing
// it (SHA-NI included). A large chunk is hashed where it lies, while libarchive parses it: the
// source reuses its buffer only at its next call, so the reader calls release() before that.
// Small chunks (a socket's) are gathered into 1 MiB batches first: a hand-over costs two
// context switches, and on a busy machine a wait for the other thread's turn. One job is in
// flight at a time, so the bytes are hashed in order.
class BackgroundSha256 {
 public:
  BackgroundSha256() : worker_([this] { run(); }) {}
  ~BackgroundSha256() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    worker_.join();
  }
  BackgroundSha256(const BackgroundSha256&) = delete;
  BackgroundSha256& operator=(const BackgroundSha256&) = delete;

  // `bytes` must stay valid until the next release() returns.
  void update(std::string_view bytes) {
    if (bytes.size() >= kDirectBytes) {
      flush_batch();
      submit(bytes);
      borrowed_ = true;
      return;
    }
    batches_[filling_].append(bytes);
    if (batches_[filling_].size() >= kBatchBytes) flush_batch();
  }

  // Returns once no chunk given to update() is still read here: each may be overwritten. Waits
  // only for a chunk hashed in place (a batch is a copy).
  void release() {
    if (!borrowed_) return;
    wait_idle();
    borrowed_ = false;
  }

  std::string hex_digest() {
    flush_batch();
    wait_idle();
    return hash_.hex_digest();
  }

 private:
  static constexpr std::size_t kBatchBytes = 1 << 20;
  static constexpr std::size_t kDirectBytes = 256 << 10;

  void wait_idle() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !pending_ && !busy_; });
  }

  // Hands the batch being filled over, and fills the other one (idle by then: submit waits).
  void flush_batch() {
    if (batches_[filling_].empty()) return;
    submit(batches_[filling_]);
    filling_ ^= 1U;
    batches_[filling_].clear();
  }

  void submit(std::string_view bytes) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !pending_ && !busy_; });
    job_ = bytes;
    pending_ = true;
    lock.unlock();
    changed_.notify_all();
  }

  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      changed_.wait(lock, [this] { return pending_ || stopping_; });
      if (!pending_) return;
      const std::string_view job = job_;
      pending_ = false;
      busy_ = true;
      lock.unlock();
      hash_.update(job);
      lock.lock();
      busy_ = false;
      changed_.notify_all();
    }
  }

  Sha256 hash_;
  std::array<std::string, 2> batches_;  // small chunks gathered; one filling, one maybe hashed
  unsigned filling_ = 0;
  bool borrowed_ = false;  // the reader's side: a chunk hashed in place may be in flight
  std::string_view job_;   // handed over, not taken yet
  bool pending_ = false;   // job_ holds bytes not taken yet
  bool busy_ = false;      // the worker is hashing
  bool stopping_ = false;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread worker_;  // last: started once the rest is built
};

// What libarchive's read callback sees: the source, and the hash and count of what it gave.
struct StreamState {
  const ChunkSource* source;
  std::optional<BackgroundSha256> hash;  // none when the caller hashes the bytes elsewhere
  std::uint64_t bytes = 0;
  bool ended = false;
  std::string failure;  // an exception from the source, rethrown after libarchive returns
};

la_ssize_t read_callback(archive* handle, void* data, const void** buffer) {
  auto& state = *static_cast<StreamState*>(data);
  if (state.ended) return 0;
  try {
    if (state.hash)
      state.hash->release();  // the source may now reuse the buffer of the chunk before
    const std::string_view chunk = (*state.source)();
    if (chunk.empty()) {
      state.ended = true;
      return 0;
    }
    if (state.hash) state.hash->update(chunk);
    state.bytes += chunk.size();
    *buffer = chunk.data();
    return static_cast<la_ssize_t>(chunk.size());
  } catch (const std::exception& error) {
    state.failure = error.what();
    libarchive().set_error(handle, EIO, "%s", error.what());
    return -1;
  }
}

std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string parent_path(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(path.substr(0, slash));
}

std::string join(const std::string& directory, std::string_view name) {
  return directory.empty() ? std::string(name) : directory + "/" + std::string(name);
}

EntryType entry_type(archive_entry* entry) {
  if (libarchive().entry_hardlink(entry) != nullptr) return EntryType::kHardlink;
  switch (libarchive().entry_filetype(entry)) {
    case AE_IFREG:
      return EntryType::kFile;
    case AE_IFDIR:
      return EntryType::kDirectory;
    case AE_IFLNK:
      return EntryType::kSymlink;
    default:
      return EntryType::kOther;
  }
}

class LayerReader {
 public:
  LayerReader(const ChunkSource& source, const std::string& name, const LayerLimits& limits,
              StreamDigest digest)
      : name_(name), limits_(limits), handle_(libarchive().read_new()) {
    state_.source = &source;
    if (digest == StreamDigest::kCompute) state_.hash.emplace();
    if (!handle_) throw Error(ErrorCategory::kInternal, "libarchive: out of memory");
    libarchive().read_support_filter_all(handle_.get());
    libarchive().read_support_format_tar(handle_.get());
    libarchive().read_support_format_empty(handle_.get());
  }

  Layer read() {
    if (libarchive().read_open(handle_.get(), &state_, nullptr, read_callback, nullptr) !=
        ARCHIVE_OK)
      fail("not a layer");
    archive_entry* entry = nullptr;
    for (;;) {
      const int status = libarchive().read_next_header(handle_.get(), &entry);
      if (status == ARCHIVE_EOF) break;
      if (status < ARCHIVE_WARN) fail("truncated or not a tar");
      add_entry(entry);
    }
    layer_.compression = compression_name();
    layer_.uncompressed_bytes =
        static_cast<std::uint64_t>(libarchive().filter_bytes(handle_.get(), 0));
    // The tar's end blocks and any padding after them: the digest covers the whole blob.
    while (!state_.ended) {
      const void* buffer = nullptr;
      if (read_callback(handle_.get(), &state_, &buffer) < 0) fail("read error");
    }
    layer_.entries.shrink_to_fit();  // kept for the whole analysis: no growth slack
    layer_.stored_bytes = state_.bytes;
    if (state_.hash) layer_.digest = state_.hash->hex_digest();
    return std::move(layer_);
  }

 private:
  [[noreturn]] void fail(std::string_view what) {
    if (!state_.failure.empty())
      throw Error(ErrorCategory::kEnvironment, fmt::format("{}: {}", name_, state_.failure));
    const char* detail = libarchive().error_string(handle_.get());
    throw Error(ErrorCategory::kEnvironment,
                fmt::format("{}: {} ({})", name_, what, detail ? detail : "no detail"));
  }

  std::string compression_name() {
    const int filters = libarchive().filter_count(handle_.get());
    if (filters <= 1) return "none";
    const char* filter = libarchive().filter_name(handle_.get(), 0);
    return filter ? filter : "unknown";
  }

  void check_limits() {
    const auto out = static_cast<std::uint64_t>(libarchive().filter_bytes(handle_.get(), 0));
    const auto in = static_cast<std::uint64_t>(libarchive().filter_bytes(handle_.get(), -1));
    if (out > limits_.max_uncompressed_bytes)
      throw Error(ErrorCategory::kEnvironment,
                  fmt::format("{}: expands past {} bytes (the limit, --max-layer-size); refused",
                              name_, limits_.max_uncompressed_bytes));
    if (out > kRatioFloor && in > 0 && out / in > limits_.max_ratio)
      throw Error(ErrorCategory::kEnvironment,
                  fmt::format("{}: expands more than {}:1 ({} bytes from {}): a decompression "
                              "bomb; refused",
                              name_, limits_.max_ratio, out, in));
  }

  void add_entry(archive_entry* entry) {
    const char* raw = libarchive().entry_pathname(entry);
    const std::optional<std::string> path = normalize_entry_path(raw ? raw : "");
    if (!path)
      throw Error(ErrorCategory::kEnvironment,
                  fmt::format("{}: entry '{}' points outside the image's root (absolute or ..); "
                              "refused",
                              name_, raw ? raw : ""));
    if (const char* link = libarchive().entry_hardlink(entry); link && !normalize_entry_path(link))
      throw Error(ErrorCategory::kEnvironment,
                  fmt::format("{}: hard link '{}' -> '{}' points outside the image's root; refused",
                              name_, *path, link));
    if (path->empty()) return consume_data(entry, nullptr);  // "./", the root itself
    const std::string_view name = base_name(*path);
    if (name == kOpaqueMarker) {
      layer_.opaque_directories.push_back(parent_path(*path));
      return consume_data(entry, nullptr);
    }
    if (name.starts_with(kWhiteoutPrefix)) {
      layer_.whiteouts.push_back(join(parent_path(*path), name.substr(kWhiteoutPrefix.size())));
      return consume_data(entry, nullptr);
    }
    const EntryType type = entry_type(entry);
    const std::uint64_t size =
        type == EntryType::kFile ? static_cast<std::uint64_t>(libarchive().entry_size(entry)) : 0;
    std::string* text = nullptr;
    if (type == EntryType::kFile && size <= kMaxMetadataFileBytes &&
        is_distribution_metadata(*path))
      text = &layer_.metadata_files[*path];
    layer_.entries.push_back({layer_.paths->add(*path), type, size});
    consume_data(entry, text);
  }

  // Reads (and so decompresses) the entry's data block by block, keeping it only when asked,
  // checking the limits as the output grows.
  void consume_data(archive_entry* /*entry*/, std::string* keep) {
    const void* block = nullptr;
    std::size_t length = 0;
    la_int64_t offset = 0;
    for (;;) {
      const int status = libarchive().read_data_block(handle_.get(), &block, &length, &offset);
      if (status == ARCHIVE_EOF) break;
      if (status < ARCHIVE_WARN) fail("truncated or corrupt");
      if (keep) keep->append(static_cast<const char*>(block), length);
      check_limits();
    }
    check_limits();
  }

  std::string name_;
  LayerLimits limits_;
  ArchivePointer handle_;
  StreamState state_;
  Layer layer_;
};

}  // namespace

std::string_view PathArena::add(std::string_view path) {
  if (path.empty()) return {};
  if (path.size() > kBlockBytes / 16) {  // a long path (pax allows any length) gets its own
    large_.push_back(std::make_unique<char[]>(path.size()));
    std::copy(path.begin(), path.end(), large_.back().get());
    return {large_.back().get(), path.size()};
  }
  if (kBlockBytes - used_ < path.size()) {
    blocks_.push_back(std::make_unique<char[]>(kBlockBytes));
    used_ = 0;
  }
  char* start = blocks_.back().get() + used_;
  std::copy(path.begin(), path.end(), start);
  used_ += path.size();
  return {start, path.size()};
}

Sha256::Sha256() { sha256_init(&context_); }

void Sha256::update(std::string_view bytes) {
  sha256_update(&context_, bytes.size(), reinterpret_cast<const std::uint8_t*>(bytes.data()));
}

std::string Sha256::hex_digest() {
  std::array<std::uint8_t, SHA256_DIGEST_SIZE> digest{};
  sha256_digest(&context_, digest.size(), digest.data());
  std::string text = "sha256:";
  for (std::uint8_t byte : digest) text += fmt::format("{:02x}", byte);
  return text;
}

std::optional<std::string> normalize_entry_path(std::string_view raw) {
  if (!raw.empty() && raw.front() == '/') return std::nullopt;
  std::string path;
  while (!raw.empty()) {
    const std::size_t slash = raw.find('/');
    const std::string_view part = raw.substr(0, slash);
    raw = slash == std::string_view::npos ? std::string_view() : raw.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") return std::nullopt;
    if (!path.empty()) path += '/';
    path += part;
  }
  return path;
}

bool is_distribution_metadata(std::string_view path) {
  const std::string_view name = base_name(path);
  if (name.ends_with(".egg-info") || name.ends_with(".egg-link")) return true;  // single files
  if (name.starts_with("__editable__.") && name.ends_with(".pth")) return true;
  const std::string parent = parent_path(path);
  const std::string_view directory = base_name(parent);
  if (!directory.ends_with(".dist-info") && !directory.ends_with(".egg-info")) return false;
  static constexpr std::array<std::string_view, 9> kFiles{
      "METADATA", "RECORD",       "INSTALLER",           "direct_url.json", "top_level.txt",
      "PKG-INFO", "requires.txt", "installed-files.txt", "REQUESTED"};
  for (std::string_view file : kFiles)
    if (name == file) return true;
  return false;
}

Layer read_layer(const ChunkSource& source, const std::string& name, const LayerLimits& limits,
                 StreamDigest digest) {
  LayerReader reader(source, name, limits, digest);
  return reader.read();
}

}  // namespace pkgsizer::docker
