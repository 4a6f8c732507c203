// Core metadata (METADATA, PKG-INFO): RFC 822-style headers, of which the scanner needs a few.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::metadata {

struct CoreMetadata {
  std::string name;
  std::string version;
  std::vector<std::string> requires_dist;  // PEP 508 strings, as written
  std::string requires_python;
};

// Reads the header block (up to the first blank line). Continuation lines (starting with
// whitespace) extend the previous field. Unknown fields are ignored.
CoreMetadata parse_core_metadata(std::string_view text);

}  // namespace pkgsizer::metadata
