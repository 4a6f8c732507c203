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

// `text` itself when it is at most `max_bytes` long, else its first `max_bytes` bytes and
// "... (N bytes)": for quoting untrusted input in a one-line message (a 20 KB marker).
std::string excerpt(std::string_view text, std::size_t max_bytes = 100);

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
