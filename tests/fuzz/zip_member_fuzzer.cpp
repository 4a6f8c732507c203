// A wheel member's local header (APPNOTE 4.3.7) and data, stored or deflated, as `predict` reads
// a wheel's METADATA: the central directory first, then each member from the offsets it gives.
// The input is the whole file.
#include <algorithm>

#include "fuzz_target.hpp"
#include "predict/zip_central_directory.hpp"
#include "predict/zip_member.hpp"

using namespace pkgsizer::predict;

namespace {

void read_member(std::string_view file, const ZipMember& member) {
  if (member.local_header_offset >= file.size()) return;
  const std::string_view header = file.substr(member.local_header_offset);
  if (header.size() < kLocalHeaderFixedSize) return;
  const std::uint64_t data = member.local_header_offset + local_data_offset(header, member);
  if (data > file.size()) return;
  extract_member(file.substr(data, member.compressed_size), member, 64 << 20);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = pkgsizer::fuzz::as_text(data, size);
  try {
    const ZipTailRead read = read_zip_tail(file, size);
    if (!read.complete) return 0;
    // A few members are enough: each is read the same way, and a crafted directory can list
    // thousands that all point at the same bytes.
    const std::size_t count = std::min<std::size_t>(read.members.size(), 8);
    for (std::size_t i = 0; i < count; ++i) {
      try {
        read_member(file, read.members[i]);
      } catch (const ZipFormatError&) {
      }
    }
  } catch (const ZipFormatError&) {
  }
  return 0;
}
