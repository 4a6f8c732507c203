// Writing output files so that a reader never sees half of one: a temporary name, then rename.
#pragma once

#include <string>

namespace pkgsizer {

// Writes `content` to `path` ("-" means standard output). Throws pkgsizer::Error naming the
// file and the reason when it cannot.
//
// A regular file (new or existing) is written to a temporary name beside it, synced, and
// renamed over it, keeping an existing file's permissions; a symlink to one is followed, so the
// link stays a link. Anything else that exists — /dev/null, /dev/stdout, a FIFO, a terminal —
// is written in place: renaming over it would replace the device with a file.
void write_output(const std::string& path, const std::string& content);

}  // namespace pkgsizer
