// Where pkgsizer keeps its files by default: the XDG Base Directory Specification
// (https://specifications.freedesktop.org/basedir-spec/), in one place. Callers pass the
// variables' values (null or empty: unset), so that the rules are pure and testable.
#pragma once

#include <string>

namespace pkgsizer {

// $PKGSIZER_CACHE_DIR, else $XDG_CACHE_HOME/pkgsizer, else $HOME/.cache/pkgsizer (the spec's
// default), else ./.cache/pkgsizer: the scan cache and the HTTP cache live here.
std::string user_cache_dir(const char* pkgsizer_cache_dir, const char* xdg_cache_home,
                           const char* home);

// $XDG_DATA_HOME/pkgsizer, else $HOME/.local/share/pkgsizer (the spec's default), else
// ./.local/share/pkgsizer: the `track` history lives here.
std::string user_data_dir(const char* xdg_data_home, const char* home);

}  // namespace pkgsizer
