// The HTML report's stylesheet and script, written for it (no library, nothing fetched).
#pragma once

namespace pkgsizer::report {

extern const char* const kHtmlStyle;
extern const char* const kHtmlScript;

}  // namespace pkgsizer::report
