#include "predict/zip_member.hpp"

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <limits>

namespace pkgsizer::predict {
namespace {

constexpr std::uint32_t kLocalHeaderSignature = 0x04034b50;  // "PK\3\4"
constexpr std::uint16_t kStored = 0;
constexpr std::uint16_t kDeflated = 8;

std::uint32_t read_le(std::string_view bytes, std::size_t at, int width) {
  std::uint32_t value = 0;
  for (int i = width - 1; i >= 0; --i)
    value = value << 8 | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  return value;
}

}  // namespace

std::uint64_t local_data_offset(std::string_view header, const ZipMember& member) {
  if (header.size() < kLocalHeaderFixedSize || read_le(header, 0, 4) != kLocalHeaderSignature)
    throw ZipFormatError(
        fmt::format("{}: no local header at offset {}", member.name, member.local_header_offset));
  return kLocalHeaderFixedSize + read_le(header, 26, 2) + read_le(header, 28, 2);
}

std::string extract_member(std::string_view data, const ZipMember& member,
                           std::uint64_t max_bytes) {
  if (member.uncompressed_size > max_bytes)
    throw ZipFormatError(fmt::format("{}: {} bytes unpacked, more than the {} allowed here",
                                     member.name, member.uncompressed_size, max_bytes));
  if (data.size() != member.compressed_size)
    throw ZipFormatError(fmt::format("{}: {} bytes of data given, the directory says {}",
                                     member.name, data.size(), member.compressed_size));
  if (member.method == kStored) {
    if (member.uncompressed_size != data.size())
      throw ZipFormatError(fmt::format("{}: stored, yet its sizes differ", member.name));
    return std::string(data);
  }
  if (member.method != kDeflated)
    throw ZipFormatError(
        fmt::format("{}: compression method {} (only stored and deflated are read)", member.name,
                    member.method));
  constexpr auto kMax = std::numeric_limits<uInt>::max();
  if (data.size() > kMax || member.uncompressed_size > kMax)
    throw ZipFormatError(fmt::format("{}: too large to read here", member.name));
  z_stream stream{};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK)  // raw deflate: zip has no zlib wrapper
    throw ZipFormatError(fmt::format("{}: cannot start inflating", member.name));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  // The output grows as inflating produces it, not to the size the directory claims: an entry
  // may claim 4 GiB for a few bytes of data (found by tests/fuzz/zip_member). Deflate expands
  // at most ~1032:1, so memory stays proportional to the bytes actually read. One byte of room
  // past the claimed size lets a stream that is longer than claimed show itself.
  constexpr std::uint64_t kChunk = std::uint64_t{64} * 1024;
  std::string out;
  std::uint64_t produced = 0;
  int status = Z_OK;
  while (status == Z_OK && produced <= member.uncompressed_size) {
    const std::uint64_t room = std::min(kChunk, member.uncompressed_size + 1 - produced);
    out.resize(produced + room);
    stream.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    stream.avail_out = static_cast<uInt>(room);
    status = inflate(&stream, Z_NO_FLUSH);
    produced = out.size() - stream.avail_out;
  }
  inflateEnd(&stream);
  if (status != Z_STREAM_END || produced != member.uncompressed_size)
    throw ZipFormatError(fmt::format("{}: corrupt deflated data", member.name));
  out.resize(produced);
  return out;
}

}  // namespace pkgsizer::predict
