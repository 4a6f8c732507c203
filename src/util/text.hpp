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

// Length of the well-formed UTF-8 sequence that starts at text[at] (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF); 0 when there is none there.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at);

// `text` safe to show on a terminal or in a CI log, whatever a package put in it: C0 controls
// (CR, LF and tab included), DEL and C1 controls (U+0080-U+009F), the bidirectional controls
// that reorder what is shown (U+200E/F, U+202A-U+202E, U+2066-U+2069) and bytes that are not
// UTF-8 become visible escapes: \x1b, \n, \x7f, \u009b, \u202e, \xff. No name can then set
// the window title, clear the screen, move the cursor or hide text (ECMA-48 5.3: every control
// function starts with a C0 or C1 control). Everything else is kept as it is.
std::string printable(std::string_view text);

// One cell or phrase of Markdown (GitHub Flavored) that a browser shows as HTML: printable(),
// then & < > as entities, so that no tag or entity can form, and | \ ` * _ [ ] ~ # ! with a
// backslash (GFM 6.1), so that no table cell ends, no link, image or emphasis starts.
std::string escape_markup_cell(std::string_view text);

// `text` as a Markdown code span (CommonMark 6.1) that stays inside a table cell: printable(),
// | as \|, and backtick fences longer than any run of backticks in it. Text with < > or & is
// given as escape_markup_cell() instead, without a span.
std::string markdown_code_span(std::string_view text);

// A multi-line text for a GitHub Actions job log, where a line that starts with "::" (after
// blanks) is a workflow command and "##[" a legacy one: those are written "%3A%3A" and "##%5B",
// which the runner passes on as text. A raw CR (a line break to the log viewer) becomes \r.
std::string neutralize_workflow_commands(std::string_view text);

// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`, ignoring ASCII
// case: the optimal-string-alignment form of the Damerau-Levenshtein distance. "pygment" is 1
// from "Pygments", "scan-evn" 1 from "scan-env".
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` by edit_distance, when it is close enough to be a typo of it:
// at most 1 edit for words up to 4 characters, 2 up to 8, 3 beyond. Ties go to the first.
std::optional<std::string> closest_match(std::string_view word,
                                         const std::vector<std::string>& candidates);

// `text` with the symbols pkgsizer's views draw spelled in ASCII, for a terminal whose
// locale is not UTF-8: → as "->", · as "|", … as "...", — as "-", ▲ ▼ as "^" "v",
// ✚ ✖ as "+" "x", tree lines as "|--" and "`--", ✅ ❌ ⚠️ as "ok" "FAIL" "!".
// Every other byte is left as it is.
std::string ascii_symbols(std::string_view text);

// `text` itself when it is at most `max_bytes` long, else its first `max_bytes` bytes and
// "... (N bytes)": for quoting untrusted input in a one-line message (a 20 KB marker).
std::string excerpt(std::string_view text, std::size_t max_bytes = 100);

// True for a non-empty text of ASCII digits only ("42"; not "", "-1", "4.2", "٤").
bool is_all_digits(std::string_view text);

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
