// Positions as LSP counts them (LSP 3.17 "Position"): a zero-based line, and a character offset
// in UTF-16 code units, the default position encoding, on lines ended by \n, \r\n or \r. And the
// file: URIs documents are named by (RFC 8089, percent-encoding per RFC 3986 2.1). Pure.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pkgsizer::lsp {

// The lines of a text without their line ends; a text ending in a line end has an empty last
// line, as editors show it.
std::vector<std::string_view> split_lines(std::string_view text);

// The UTF-16 length of UTF-8 text: 2 for a character above U+FFFF, 1 for any other (a byte that
// is not well-formed UTF-8 counts 1, as editors show it as U+FFFD).
std::size_t utf16_length(std::string_view utf8);

// The byte offset of an LSP position in `text`; nothing when the line is past the last one. A
// character past the line's end is the line's end (LSP 3.17 "Position": it "defaults back to the
// line length"); one inside a surrogate pair is the start of its character.
std::optional<std::size_t> byte_offset(std::string_view text, std::size_t line,
                                       std::size_t character);

// LSP 3.17 Range: (line, character) of its start and of its end, end excluded.
struct TextRange {
  std::pair<std::size_t, std::size_t> start;
  std::pair<std::size_t, std::size_t> end;
};

// Replaces `range` of `text` by `new_text` (an incremental TextDocumentContentChangeEvent); false,
// and `text` unchanged, when the range ends before it starts or a line is past the last one.
bool apply_change(std::string& text, const TextRange& range, std::string_view new_text);

// The local path of a "file:" URI ("file:///home/a%20b/x.txt" -> "/home/a b/x.txt"); nothing for
// another scheme, a remote host or a path that is not absolute.
std::optional<std::string> path_from_uri(std::string_view uri);

// The "file:" URI of an absolute path, with every byte but RFC 3986's unreserved ones and '/'
// percent-encoded.
std::string uri_from_path(std::string_view path);

}  // namespace pkgsizer::lsp
