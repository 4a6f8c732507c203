// Small ASCII text helpers that the parsers share. They work byte by byte in the "C" locale's
// terms, whatever the user's locale: names, versions, headers and keys are ASCII.
#pragma once

#include <string>
#include <string_view>

namespace pkgsizer {

// `text` with every ASCII letter in lower case.
std::string lowercase(std::string_view text);

// `text` without the white space (space, tab, CR, LF, VT, FF) at either end.
std::string_view trim(std::string_view text);

// Equal but for the case of ASCII letters (header field names, RFC 822 style).
bool iequals(std::string_view a, std::string_view b);

// Terminal columns of UTF-8 text, counted as one per code point: the arrows, minus sign, blocks
// and sizes pkgsizer prints are all one column wide, and names in wide scripts are rare enough
// not to need a width table.
std::size_t display_width(std::string_view text);

// The lines of a text one by one, without their "\n" or "\r\n"; the last may lack an end.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}
  // The next line into `line`; false at the end of the text.
  bool next(std::string_view& line);

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace pkgsizer
