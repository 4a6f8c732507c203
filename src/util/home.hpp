// The user's home directory, for the default places of the cache and the history store.
#pragma once

#include <string>

namespace pkgsizer {

// $HOME when it is an absolute path; else the home directory of the passwd entry of the real
// user (as Python's os.path.expanduser does); else "". Never the current directory: a cache
// written to ./.cache of wherever a command ran would litter every project it ran in.
std::string home_directory();

}  // namespace pkgsizer
