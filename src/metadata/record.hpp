// PEP 376 / PEP 627 RECORD files: the CSV list of files a distribution installed.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::metadata {

struct RecordRow {
  // As written: relative to site-packages, absolute, or ../../../bin/tool. A view into the
  // RECORD text (or into Record::unquoted for quoted paths): keep the text alive.
  std::string_view path;
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
  std::deque<std::string> unquoted;  // storage for paths that needed CSV unquoting
  std::vector<RecordError> errors;   // bad rows are skipped and reported here
  bool unusable = false;             // binary junk or no valid row at all: do not trust it
};

// Parses RECORD as CSV (RFC 4180 quoting, CRLF or LF endings). Rows may omit hash and size
// (PEP 376: RECORD itself and .pyc files usually do). Row paths point into `text`, which must
// outlive the result: a large environment has hundreds of thousands of rows, and copying each
// path was the scanner's biggest cost.
Record parse_record(std::string_view text);

}  // namespace pkgsizer::metadata
