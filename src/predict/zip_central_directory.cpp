#include "predict/zip_central_directory.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "util/checked.hpp"

namespace pkgsizer::predict {
namespace {

// Record signatures (APPNOTE 4.3.12-4.3.16), little-endian "PK" + two bytes.
constexpr std::uint32_t kCentralEntrySignature = 0x02014b50;
constexpr std::uint32_t kDigitalSignatureSignature = 0x05054b50;
constexpr std::uint32_t kEndRecordSignature = 0x06054b50;
constexpr std::uint32_t kZip64EndRecordSignature = 0x06064b50;
constexpr std::uint32_t kZip64LocatorSignature = 0x07064b50;

constexpr std::uint64_t kEndRecordSize = 22;          // 4.3.16, without the comment
constexpr std::uint64_t kZip64LocatorSize = 20;       // 4.3.15
constexpr std::uint64_t kZip64EndRecordSize = 56;     // 4.3.14, without extensible data
constexpr std::uint64_t kCentralEntryFixedSize = 46;  // 4.3.12, without name/extra/comment
constexpr std::uint16_t kZip64ExtraId = 0x0001;       // 4.5.3

constexpr std::uint16_t kSaturated16 = 0xFFFF;
constexpr std::uint32_t kSaturated32 = 0xFFFFFFFF;

std::uint16_t read16(std::string_view bytes, std::size_t at) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at);
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}

std::uint32_t read32(std::string_view bytes, std::size_t at) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at);
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}

std::uint64_t read64(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint64_t>(read32(bytes, at)) |
         (static_cast<std::uint64_t>(read32(bytes, at + 4)) << 32);
}

std::uint64_t saturating_sub(std::uint64_t a, std::uint64_t b) { return a > b ? a - b : 0; }

// The tail as a window on the file: absolute offsets in, bytes out.
class Window {
 public:
  Window(std::string_view tail, std::uint64_t file_size)
      : tail_(tail), start_(file_size - tail.size()), file_size_(file_size) {}

  std::uint64_t start() const { return start_; }
  std::uint64_t file_size() const { return file_size_; }
  // Written so that no sum can wrap: offsets and lengths come from the file itself.
  bool has(std::uint64_t offset, std::uint64_t length) const {
    return offset >= start_ && length <= file_size_ && offset <= file_size_ - length;
  }
  // Only after has(offset, length).
  std::string_view at(std::uint64_t offset, std::uint64_t length) const {
    return tail_.substr(static_cast<std::size_t>(offset - start_),
                        static_cast<std::size_t>(length));
  }
  std::string_view tail() const { return tail_; }

 private:
  std::string_view tail_;
  std::uint64_t start_;
  std::uint64_t file_size_;
};

ZipTailRead need_from(const Window& window, std::uint64_t offset) {
  ZipTailRead result;
  result.missing_offset = offset;
  result.missing_bytes = window.start() - offset;
  return result;
}

// APPNOTE 4.3.16: the EOCD record ends the file, followed only by its comment. Searching
// backwards, a record whose comment reaches exactly the end of the file is the one; a
// signature inside a comment, or trailing junk after the comment, is told apart that way. A
// record that does not reach the end is accepted only when the whole search window was seen
// (zipfile and Info-ZIP accept trailing junk too).
std::optional<std::uint64_t> find_end_record(const Window& window, bool& window_complete) {
  const std::string_view tail = window.tail();
  const std::uint64_t search = std::min<std::uint64_t>(tail.size(), kMaxEndRecordSearch);
  window_complete = window.start() == 0 || tail.size() >= kMaxEndRecordSearch;
  if (tail.size() < kEndRecordSize) return std::nullopt;
  std::optional<std::uint64_t> loose;
  const std::size_t lowest = tail.size() - search;
  for (std::size_t pos = tail.size() - kEndRecordSize;; --pos) {
    if (read32(tail, pos) == kEndRecordSignature) {
      const std::uint64_t end = pos + kEndRecordSize + read16(tail, pos + 20);
      if (end == tail.size()) return window.start() + pos;
      if (end < tail.size() && !loose) loose = window.start() + pos;
    }
    if (pos == lowest) break;
  }
  return window_complete ? loose : std::nullopt;
}

struct EndRecord {
  std::uint64_t disk = 0;
  std::uint64_t directory_disk = 0;
  std::uint64_t entries = 0;
  std::uint64_t directory_size = 0;
  std::uint64_t directory_offset = 0;
};

void reject_spanned(const EndRecord& record, const char* which) {
  if (record.disk != 0 || record.directory_disk != 0)
    throw ZipFormatError(
        fmt::format("{} says the archive spans several disks (disk {}, central "
                    "directory on disk {}): not supported",
                    which, record.disk, record.directory_disk));
}

// Fills in where the ZIP64 EOCD record is (4.3.14), or says which bytes are missing.
// Writers put it right before the locator; the locator's offset is tried first, and the
// position before the locator second (the offset is wrong when bytes were prepended).
std::optional<std::uint64_t> find_zip64_end_record(const Window& window, std::uint64_t locator,
                                                   std::optional<std::uint64_t>& missing) {
  const std::string_view locator_bytes = window.at(locator, kZip64LocatorSize);
  if (read32(locator_bytes, 16) > 1)
    throw ZipFormatError(
        fmt::format("ZIP64 end of central directory locator says the archive spans "
                    "{} disks: not supported",
                    read32(locator_bytes, 16)));
  const std::uint64_t recorded = read64(locator_bytes, 8);
  std::vector<std::uint64_t> candidates;
  if (recorded <= locator && locator - recorded >= kZip64EndRecordSize)
    candidates.push_back(recorded);
  if (locator >= kZip64EndRecordSize && locator - kZip64EndRecordSize != recorded)
    candidates.push_back(locator - kZip64EndRecordSize);
  for (const std::uint64_t candidate : candidates) {
    if (!window.has(candidate, kZip64EndRecordSize)) {
      missing = candidate;
      return std::nullopt;
    }
    if (read32(window.at(candidate, 4), 0) == kZip64EndRecordSignature) return candidate;
  }
  throw ZipFormatError(fmt::format(
      "ZIP64 end of central directory record not found (the locator points at offset {})",
      recorded));
}

}  // namespace

ZipTailRead locate_central_directory(std::string_view tail, std::uint64_t file_size) {
  if (tail.size() > file_size)
    throw std::invalid_argument(fmt::format(
        "zip tail of {} bytes is longer than the file ({} bytes)", tail.size(), file_size));
  const Window window(tail, file_size);

  bool window_complete = false;
  const std::optional<std::uint64_t> end_offset = find_end_record(window, window_complete);
  if (!end_offset) {
    if (!window_complete) return need_from(window, saturating_sub(file_size, kMaxEndRecordSearch));
    throw ZipFormatError(
        fmt::format("no end of central directory record in the last {} bytes: not a "
                    "zip file, or a truncated one",
                    std::min<std::uint64_t>(file_size, kMaxEndRecordSearch)));
  }

  const std::string_view end_bytes = window.at(*end_offset, kEndRecordSize);
  EndRecord record;
  record.disk = read16(end_bytes, 4);
  record.directory_disk = read16(end_bytes, 6);
  record.entries = read16(end_bytes, 10);
  record.directory_size = read32(end_bytes, 12);
  record.directory_offset = read32(end_bytes, 16);
  // APPNOTE 4.4.1.4: a field too small for its value holds all ones, and the ZIP64 record
  // holds the value.
  const bool saturated = record.disk == kSaturated16 || record.directory_disk == kSaturated16 ||
                         read16(end_bytes, 8) == kSaturated16 || record.entries == kSaturated16 ||
                         record.directory_size == kSaturated32 ||
                         record.directory_offset == kSaturated32;

  // A ZIP64 locator, when there is one, sits right before the EOCD record (4.3.6). Some
  // writers add it even when no field is saturated, and then its record is the truth.
  std::uint64_t end_record = *end_offset;
  bool zip64 = false;
  if (*end_offset >= kZip64LocatorSize) {
    const std::uint64_t locator = *end_offset - kZip64LocatorSize;
    if (!window.has(locator, kZip64LocatorSize)) {
      // One request should bring the locator, the ZIP64 record if any, and the directory.
      const std::uint64_t guess =
          saturated ? saturating_sub(locator, kZip64EndRecordSize)
                    : saturating_sub(*end_offset, record.directory_size + kZip64LocatorSize +
                                                      kZip64EndRecordSize);
      return need_from(window, std::min(guess, locator));
    }
    if (read32(window.at(locator, 4), 0) == kZip64LocatorSignature) {
      std::optional<std::uint64_t> missing;
      const std::optional<std::uint64_t> zip64_offset =
          find_zip64_end_record(window, locator, missing);
      if (!zip64_offset) return need_from(window, *missing);
      const std::string_view zip64_bytes = window.at(*zip64_offset, kZip64EndRecordSize);
      record.disk = read32(zip64_bytes, 16);
      record.directory_disk = read32(zip64_bytes, 20);
      record.entries = read64(zip64_bytes, 32);
      record.directory_size = read64(zip64_bytes, 40);
      record.directory_offset = read64(zip64_bytes, 48);
      reject_spanned(record, "ZIP64 end of central directory record");
      end_record = *zip64_offset;
      zip64 = true;
    }
  }
  if (!zip64) {
    if (record.disk != kSaturated16 && record.directory_disk != kSaturated16)
      reject_spanned(record, "end of central directory record");
  }

  // The directory ends where the end records begin. When the recorded offset disagrees, bytes
  // were prepended to the zip and every offset is shifted (zipfile reads such files too).
  if (record.directory_size > end_record)
    throw ZipFormatError(
        fmt::format("central directory of {} bytes does not fit before the end "
                    "record at offset {}",
                    record.directory_size, end_record));
  const std::uint64_t directory_start = end_record - record.directory_size;
  if (record.directory_offset > directory_start)
    throw ZipFormatError(
        fmt::format("central directory offset {} plus its size {} runs past the end "
                    "record at offset {}",
                    record.directory_offset, record.directory_size, end_record));

  ZipTailRead result;
  result.location_known = true;
  result.location.offset = directory_start;
  result.location.size = record.directory_size;
  result.location.entry_count = record.entries;
  result.location.end_record_offset = end_record;
  result.location.zip64 = zip64;
  result.location.prefix_bytes = directory_start - record.directory_offset;
  if (!window.has(directory_start, record.directory_size)) {
    ZipTailRead missing = need_from(window, directory_start);
    missing.location_known = true;
    missing.location = result.location;
    return missing;
  }
  result.complete = true;
  return result;
}

std::vector<ZipMember> parse_central_directory(std::string_view directory,
                                               const CentralDirectoryLocation& location) {
  if (directory.size() != location.size)
    throw std::invalid_argument(fmt::format("central directory of {} bytes given {} bytes",
                                            location.size, directory.size()));
  std::vector<ZipMember> members;
  if (location.entry_count != kSaturated16 &&
      location.entry_count < directory.size() / kCentralEntryFixedSize)
    members.reserve(static_cast<std::size_t>(location.entry_count));
  std::size_t pos = 0;
  while (pos < directory.size()) {
    const std::size_t number = members.size() + 1;
    const std::uint64_t file_offset = location.offset + pos;
    if (directory.size() - pos >= 4 && read32(directory, pos) == kDigitalSignatureSignature)
      break;  // 4.3.13: the optional digital signature closes the directory
    if (directory.size() - pos < kCentralEntryFixedSize)
      throw ZipFormatError(
          fmt::format("central directory entry {} at offset {}: truncated", number, file_offset));
    if (read32(directory, pos) != kCentralEntrySignature)
      throw ZipFormatError(fmt::format("central directory entry {} at offset {}: bad signature",
                                       number, file_offset));
    const std::size_t name_length = read16(directory, pos + 28);
    const std::size_t extra_length = read16(directory, pos + 30);
    const std::size_t comment_length = read16(directory, pos + 32);
    const std::size_t entry_size =
        kCentralEntryFixedSize + name_length + extra_length + comment_length;
    if (directory.size() - pos < entry_size)
      throw ZipFormatError(
          fmt::format("central directory entry {} at offset {}: its name, extra field "
                      "and comment run past the end of the directory",
                      number, file_offset));
    ZipMember member;
    member.name = std::string(directory.substr(pos + kCentralEntryFixedSize, name_length));
    member.method = read16(directory, pos + 10);
    const std::uint32_t compressed = read32(directory, pos + 20);
    const std::uint32_t uncompressed = read32(directory, pos + 24);
    const std::uint32_t local_offset = read32(directory, pos + 42);
    member.compressed_size = compressed;
    member.uncompressed_size = uncompressed;
    member.local_header_offset = local_offset;

    // 4.5.3: the ZIP64 extra field holds, in this order, only the values whose 32-bit field
    // is saturated: uncompressed size, compressed size, local header offset, disk number.
    const std::string_view extra =
        directory.substr(pos + kCentralEntryFixedSize + name_length, extra_length);
    std::size_t at = 0;
    while (extra.size() - at >= 4) {
      const std::uint16_t id = read16(extra, at);
      const std::size_t size = read16(extra, at + 2);
      if (extra.size() - at - 4 < size) break;  // a torn extra field: zipfile ignores it too
      if (id == kZip64ExtraId) {
        const std::string_view data = extra.substr(at + 4, size);
        std::size_t field = 0;
        auto take64 = [&](const char* what) {
          if (data.size() - field < 8)
            throw ZipFormatError(
                fmt::format("central directory entry {} ({}): ZIP64 extra field too "
                            "short for the {}",
                            number, member.name, what));
          const std::uint64_t value = read64(data, field);
          field += 8;
          return value;
        };
        if (uncompressed == kSaturated32) member.uncompressed_size = take64("uncompressed size");
        if (compressed == kSaturated32) member.compressed_size = take64("compressed size");
        if (local_offset == kSaturated32)
          member.local_header_offset = take64("local header offset");
      }
      at += 4 + size;
    }
    // Offsets count from the zip proper; a sum past 2^64 is no offset in any file.
    const std::optional<std::uint64_t> shifted =
        checked_add(member.local_header_offset, location.prefix_bytes);
    if (!shifted)
      throw ZipFormatError(
          fmt::format("central directory entry {} ({}): local header offset {} "
                      "is past any file",
                      number, member.name, member.local_header_offset));
    member.local_header_offset = *shifted;
    members.push_back(std::move(member));
    pos += entry_size;
  }
  return members;
}

ZipTailRead read_zip_tail(std::string_view tail, std::uint64_t file_size) {
  ZipTailRead result = locate_central_directory(tail, file_size);
  if (!result.complete) return result;
  const std::uint64_t tail_start = file_size - tail.size();
  const std::string_view directory =
      tail.substr(static_cast<std::size_t>(result.location.offset - tail_start),
                  static_cast<std::size_t>(result.location.size));
  result.members = parse_central_directory(directory, result.location);
  return result;
}

}  // namespace pkgsizer::predict
