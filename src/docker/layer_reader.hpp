// One image layer, read once as a stream with libarchive (tar, plain or compressed: the filter
// is found from the bytes, not from the media type, since skopeo labels plain tars gzip). What is
// kept is a summary keyed by path, never the layer: the entries with their sizes, the whiteouts
// (OCI image spec, "Representing Changes", .wh.NAME and .wh..wh..opq) and the text of the few
// files that describe Python distributions.
#pragma once

#include <nettle/sha2.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::docker {

enum class EntryType : std::uint8_t { kFile, kDirectory, kSymlink, kHardlink, kOther };

// The paths of a layer's entries, stored end to end in large blocks: one allocation per MiB
// rather than one per path (a layer may list hundreds of thousands, and memory is bounded by
// their number). Blocks never move, so the views it gives stay valid as long as it lives.
class PathArena {
 public:
  std::string_view add(std::string_view path);

 private:
  static constexpr std::size_t kBlockBytes = 1 << 20;
  std::vector<std::unique_ptr<char[]>> blocks_;  // kBlockBytes each
  std::size_t used_ = kBlockBytes;               // in the last block
  std::vector<std::unique_ptr<char[]>> large_;   // one path each
};

struct LayerEntry {
  std::string_view path;  // in the Layer's arena; relative to the root, no "./", no trailing '/'
  EntryType type = EntryType::kFile;
  std::uint64_t size = 0;  // regular files only
};

struct Layer {
  std::string digest;       // "sha256:<hex>" of the bytes as stored (compressed when compressed)
  std::string compression;  // "none", "gzip", "zstd", ... as libarchive found it
  std::uint64_t stored_bytes = 0;
  std::uint64_t uncompressed_bytes = 0;                              // the tar stream
  std::shared_ptr<PathArena> paths = std::make_shared<PathArena>();  // shared by copies
  std::vector<LayerEntry> entries;                                   // their paths are in `paths`
  std::vector<std::string> whiteouts;                 // paths of lower layers this layer deletes
  std::vector<std::string> opaque_directories;        // directories whose lower contents it hides
  std::map<std::string, std::string> metadata_files;  // distribution metadata: path -> text
};

struct LayerLimits {
  // A layer that expands past this is refused: a decompression bomb, or an image too large to
  // be real.
  std::uint64_t max_uncompressed_bytes = 256ULL << 30;
  // Past 1 GiB of output, more than this many bytes out per byte in is a bomb: real layers
  // compress 2-10x, and gzip cannot exceed ~1032x.
  std::uint64_t max_ratio = 500;
};

// A pull source of bytes: each call gives the next chunk, an empty one at the end. Throws
// pkgsizer::Error when reading fails.
using ChunkSource = std::function<std::string_view()>;

// Whether read_layer hashes the bytes it reads: kElsewhere when the caller hashes the same bytes
// itself (FileRangeHasher, for a layer in a file), leaving Layer::digest empty.
enum class StreamDigest { kCompute, kElsewhere };

// Reads one layer from `source` to its end (so that `digest` covers every byte). `name` is the
// layer's name in messages. Throws pkgsizer::Error (kEnvironment) for a layer that is not a tar,
// is truncated, names a path outside the root (absolute, or "..") or exceeds a limit.
Layer read_layer(const ChunkSource& source, const std::string& name, const LayerLimits& limits,
                 StreamDigest digest = StreamDigest::kCompute);

// "./usr//lib/" -> "usr/lib"; nothing for an absolute name or one with a ".." component.
std::optional<std::string> normalize_entry_path(std::string_view raw);

// True when the file at `path` (normalized) is distribution metadata worth keeping the text of.
bool is_distribution_metadata(std::string_view path);

// SHA-256 of a stream, as "sha256:<hex>".
class Sha256 {
 public:
  Sha256();
  void update(std::string_view bytes);
  std::string hex_digest();  // "sha256:<hex>"

 private:
  sha256_ctx context_;
};

}  // namespace pkgsizer::docker
