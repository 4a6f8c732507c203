// The language server's input: LSP base-protocol frames (Content-Length headers and bodies) fed
// in pieces of the size the input's first byte picks, as a pipe delivers them. What comes out
// must not depend on the split, and each body framed again must decode to itself.
#include <string>
#include <vector>

#include "fuzz_target.hpp"
#include "lsp/framing.hpp"

using namespace pkgsizer::lsp;

namespace {

std::vector<std::string> decode(std::string_view text, std::size_t piece) {
  FrameDecoder decoder;
  std::vector<std::string> bodies;
  for (std::size_t at = 0; at < text.size(); at += piece) {
    decoder.feed(text.substr(at, piece));
    while (auto body = decoder.next()) bodies.push_back(*body);
    decoder.take_problems();
  }
  return bodies;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 64;
  const std::string_view text = pkgsizer::fuzz::as_text(data + 1, size - 1);
  const std::vector<std::string> whole = decode(text, text.size() + 1);
  if (decode(text, piece) != whole) __builtin_trap();
  for (const std::string& body : whole) {
    // Each body re-framed decodes to itself.
    if (decode(encode_frame(body), piece) != std::vector<std::string>{body}) __builtin_trap();
  }
  return 0;
}
