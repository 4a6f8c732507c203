// PEP 376 / PEP 627 RECORD files: the CSV list of files a distribution installed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::metadata {

struct RecordRow {
  std::string path;  // as written: relative to site-packages, absolute, or ../../../bin/tool
  // The hash column is checked for shape but not kept: sizes come from the disk, and keeping
  // 400k hashes of a large environment would cost tens of megabytes.
  std::optional<std::uint64_t> size;
  std::size_t line = 0;
};

struct RecordError {
  std::size_t line = 0;
  std::string message;
};

struct Record {
  std::vector<RecordRow> rows;
  std::vector<RecordError> errors;  // bad rows are skipped and reported here
  bool unusable = false;            // binary junk or no valid row at all: do not trust it
};

// Parses RECORD as CSV (RFC 4180 quoting, CRLF or LF endings). Rows may omit hash and size
// (PEP 376: RECORD itself and .pyc files usually do).
Record parse_record(std::string_view text);

}  // namespace pkgsizer::metadata
