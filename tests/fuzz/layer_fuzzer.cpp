// An image layer (tar, plain or compressed, from a tarball, a directory or a registry): a bad
// one is a pkgsizer::Error (exit 3), never a crash, an escape from the root or an unbounded read.
#include "docker/layer_reader.hpp"
#include "fuzz_target.hpp"
#include "util/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input = pkgsizer::fuzz::as_text(data, size);
  // Small chunks, so that headers and data straddle the reads as they do from a socket.
  const pkgsizer::docker::ChunkSource source = [&]() -> std::string_view {
    const std::string_view chunk = input.substr(0, 97);
    input.remove_prefix(chunk.size());
    return chunk;
  };
  pkgsizer::docker::LayerLimits limits;
  limits.max_uncompressed_bytes = 64 << 20;
  try {
    const auto layer = pkgsizer::docker::read_layer(source, "fuzz", limits);
    for (const auto& entry : layer.entries)
      if (entry.path.starts_with("/") || entry.path.find("..") == 0) __builtin_trap();
  } catch (const pkgsizer::Error&) {
  }
  return 0;
}
