// Project names as the packaging standards compare them.
#pragma once

#include <string>
#include <string_view>

namespace pkgsizer::packaging {

// PEP 503: lowercase, and every run of '-', '_' and '.' becomes a single '-'.
// "PyYAML" -> "pyyaml", "typing_extensions" -> "typing-extensions", "zope.interface" ->
// "zope-interface".
std::string normalize_name(std::string_view name);

// The escaped form used in .dist-info directory names and wheel file names (PEP 427/491):
// the normalized name with '-' replaced by '_'.
std::string escape_name(std::string_view name);

}  // namespace pkgsizer::packaging
