// Reading a whole file into memory, the way every reader here needs it.
#pragma once

#include <optional>
#include <string>

namespace pkgsizer {

// The whole file, read with one fstat and as few reads as it takes (no stream copies: the
// scanner reads every RECORD of the environment). Empty when it cannot be read; errno says why.
std::optional<std::string> read_text_file(const std::string& path);

}  // namespace pkgsizer
