// Text made safe for XML and HTML documents (SVG charts, HTML pages, JUnit reports).
#pragma once

#include <string>
#include <string_view>

namespace pkgsizer {

// Escapes & < > " ' for content and quoted attributes. Labels come from the command line and
// names from paths, so they can hold anything: what XML 1.0 cannot carry (control characters,
// bytes that are not UTF-8) is dropped or replaced by U+FFFD so that the document parses.
std::string escape_xml(std::string_view text);

}  // namespace pkgsizer
