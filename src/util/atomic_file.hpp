// Writing output files so that a reader never sees half of one: a temporary name, then rename.
#pragma once

#include <string>

namespace pkgsizer {

// Writes `content` to `path` ("-" means standard output). Throws std::runtime_error naming the
// file and the reason when it cannot.
void write_output(const std::string& path, const std::string& content);

}  // namespace pkgsizer
