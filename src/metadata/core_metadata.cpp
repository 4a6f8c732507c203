#include "metadata/core_metadata.hpp"

#include <cctype>

#include "util/text.hpp"

namespace pkgsizer::metadata {
CoreMetadata parse_core_metadata(std::string_view text) {
  CoreMetadata metadata;
  std::string* last_field = nullptr;
  LineReader lines(text);
  std::string_view line;
  while (lines.next(line)) {
    // Only an empty line ends the headers; a whitespace-only line is a folded continuation
    // (multi-line License fields have those).
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      if (last_field) *last_field += " " + std::string(trim(line));
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      last_field = nullptr;
      continue;
    }
    const std::string_view key = trim(line.substr(0, colon));
    const std::string value(trim(line.substr(colon + 1)));
    last_field = nullptr;
    if (iequals(key, "Name") && metadata.name.empty()) {
      metadata.name = value;
    } else if (iequals(key, "Version") && metadata.version.empty()) {
      metadata.version = value;
    } else if (iequals(key, "Requires-Dist")) {
      metadata.requires_dist.push_back(value);
      last_field = &metadata.requires_dist.back();
    } else if (iequals(key, "Requires-Python")) {
      metadata.requires_python = value;
    }
  }
  return metadata;
}

}  // namespace pkgsizer::metadata
