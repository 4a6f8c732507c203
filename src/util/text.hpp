// Small ASCII text helpers that the parsers share. They work byte by byte in the "C" locale's
// terms, whatever the user's locale: names, versions, headers and keys are ASCII.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer {

// `text` with every ASCII letter in lower case.
std::string lowercase(std::string_view text);

// `text` without the white space (space, tab, CR, LF, VT, FF) at either end.
std::string_view trim(std::string_view text);

// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`, ignoring ASCII
// case: the optimal-string-alignment form of the Damerau-Levenshtein distance. "pygment" is 1
// from "Pygments", "scan-evn" 1 from "scan-env".
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` by edit_distance, when it is close enough to be a typo of it:
// at most 1 edit for words up to 4 characters, 2 up to 8, 3 beyond. Ties go to the first.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

// `text` with the symbols pkgsizer's views draw (→ · … — ▲ ▼ ✚ ✖ ├── └── ✅ ❌ ⚠️ …)
// spelled in ASCII ("->", "|", "...", "-", "^", "v", "+", "x", "|--", "`--", "ok", "FAIL", "!"),
// for a terminal whose locale is not UTF-8. Every other byte is left as it is.
std::string ascii_symbols(std::string_view text);

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
