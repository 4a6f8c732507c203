// Output for a terminal whose locale is not UTF-8 (LANG unset, LANG=C, POSIX): the symbols the
// views draw are spelled in ASCII (util/text.hpp ascii_symbols) rather than written as UTF-8
// bytes the terminal would show as garbage. Decided once, in main, for stdout and stderr.
#pragma once

namespace pkgsizer::cli {

// Whether the character encoding of the user's locale (LC_ALL, LC_CTYPE, LANG) is UTF-8. The
// process's own locale is left as it is ("C": number parsing stays locale-independent).
bool locale_is_utf8();

// Replaces stdout and stderr with streams that write through ascii_symbols to the same file
// descriptors. Called before anything is written.
void write_ascii_symbols();

}  // namespace pkgsizer::cli
