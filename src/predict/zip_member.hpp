// One member of a zip file read out of the bytes around it: its local header (APPNOTE 4.3.7)
// says where its data starts, and the data is stored or deflated (4.4.5). With the central
// directory (zip_central_directory.hpp) this reads a wheel's METADATA from two Range requests
// when an index does not serve it on its own (PEP 658). Pure: bytes in, bytes out.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "predict/zip_central_directory.hpp"

namespace pkgsizer::predict {

// The fixed part of a local header; its file name and extra field follow.
inline constexpr std::uint64_t kLocalHeaderFixedSize = 30;

// How far past member.local_header_offset the member's data starts, read from `header`, the
// file's bytes from that offset on (at least kLocalHeaderFixedSize of them). Throws
// ZipFormatError when they are not a local header.
std::uint64_t local_data_offset(std::string_view header, const ZipMember& member);

// The member's contents from its `compressed_size` bytes of data: stored, or deflated (zlib).
// Throws ZipFormatError on another method, corrupt data, a size that disagrees with the
// central directory's, or contents larger than `max_bytes` (a zip bomb is not inflated: at
// most max_bytes are ever produced, whatever the directory says).
std::string extract_member(std::string_view data, const ZipMember& member, std::uint64_t max_bytes);

}  // namespace pkgsizer::predict
