// Reading a zip file's member list from its last bytes: the End Of Central Directory record
// (and its ZIP64 forms) says where the central directory is, and the central directory lists
// every member with its compressed and uncompressed size. A wheel is a zip (PEP 427), so this
// gives a remote wheel's installed size from a Range request for its tail. Pure: bytes in,
// values out; the network is in wheel_size.*.
//
// Section numbers are those of PKWARE's APPNOTE.TXT (version 6.3.10).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace pkgsizer::predict {

// One central directory entry (APPNOTE 4.3.12), sizes already widened by the ZIP64 extended
// information extra field (4.5.3) when the 32-bit fields hold 0xFFFFFFFF. Directory entries
// (names ending in '/') are members too, with size 0.
struct ZipMember {
  std::string name;  // as stored: UTF-8 for wheels (PEP 427), bytes kept verbatim otherwise
  std::uint64_t compressed_size = 0;
  std::uint64_t uncompressed_size = 0;
  std::uint16_t method = 0;               // 4.4.5: 0 stored, 8 deflated
  std::uint64_t local_header_offset = 0;  // where its local header (4.3.7) starts in the file
};

// The file is not a zip, or its records contradict each other. The message says which record
// and what was wrong ("central directory entry 12: bad signature").
class ZipFormatError : public Error {
 public:
  explicit ZipFormatError(const std::string& message)
      : Error(ErrorCategory::kEnvironment, message) {}
};

// Where the central directory is, as the end records say (APPNOTE 4.3.14-4.3.16).
struct CentralDirectoryLocation {
  std::uint64_t offset = 0;             // of its first byte in the file
  std::uint64_t size = 0;               // in bytes
  std::uint64_t entry_count = 0;        // as recorded (not trusted: entries are read by size)
  std::uint64_t end_record_offset = 0;  // of the EOCD record (or the ZIP64 EOCD record)
  bool zip64 = false;
  // Bytes before the zip proper (a self-extracting stub): offsets in the records are shifted
  // by this much. Always 0 for a wheel.
  std::uint64_t prefix_bytes = 0;
};

// What the tail gave. Either `complete` (members filled), or more bytes are needed: fetch
// [missing_offset, missing_offset + missing_bytes) — which ends where the given tail starts —
// put them in front of the tail, and call again.
struct ZipTailRead {
  bool complete = false;
  std::vector<ZipMember> members;
  CentralDirectoryLocation location;  // valid once the end records were read
  bool location_known = false;
  std::uint64_t missing_offset = 0;
  std::uint64_t missing_bytes = 0;
};

// The largest tail the EOCD record can hide in: the record (22 bytes) plus the longest
// comment (65535 bytes), APPNOTE 4.3.16.
inline constexpr std::uint64_t kMaxEndRecordSearch = 22 + 65535;

// `tail` holds the last tail.size() bytes of a zip file of `file_size` bytes. Throws
// ZipFormatError when the bytes cannot be a zip (no EOCD where one must be, inconsistent
// records, malformed entries), std::invalid_argument when tail.size() > file_size.
ZipTailRead read_zip_tail(std::string_view tail, std::uint64_t file_size);

// The end records only (what read_zip_tail does first): `location_known` once they were read,
// `complete` when the whole directory is in the tail too. Members are not read.
ZipTailRead locate_central_directory(std::string_view tail, std::uint64_t file_size);

// Parses a whole central directory (exactly `location.size` bytes starting at the first
// entry). Throws ZipFormatError naming the entry that is malformed.
std::vector<ZipMember> parse_central_directory(std::string_view directory,
                                               const CentralDirectoryLocation& location);

}  // namespace pkgsizer::predict
