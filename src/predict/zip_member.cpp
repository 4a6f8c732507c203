#include "predict/zip_member.hpp"

#include <fmt/format.h>
#include <zlib.h>

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
  std::string out(member.uncompressed_size, '\0');
  z_stream stream{};
  if (inflateInit2(&stream, -MAX_WBITS) != Z_OK)  // raw deflate: zip has no zlib wrapper
    throw ZipFormatError(fmt::format("{}: cannot start inflating", member.name));
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  const int status = inflate(&stream, Z_FINISH);
  const auto produced = stream.total_out;
  inflateEnd(&stream);
  if (status != Z_STREAM_END || produced != member.uncompressed_size)
    throw ZipFormatError(fmt::format("{}: corrupt deflated data", member.name));
  return out;
}

}  // namespace pkgsizer::predict
