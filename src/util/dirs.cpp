#include "util/dirs.hpp"

namespace pkgsizer {
namespace {

bool set(const char* value) { return value && *value; }

}  // namespace

std::string user_cache_dir(const char* pkgsizer_cache_dir, const char* xdg_cache_home,
                           const char* home) {
  if (set(pkgsizer_cache_dir)) return pkgsizer_cache_dir;
  if (set(xdg_cache_home)) return std::string(xdg_cache_home) + "/pkgsizer";
  if (!set(home)) return "";  // no home: no default place (never "./.cache")
  return std::string(home) + "/.cache/pkgsizer";
}

std::string user_data_dir(const char* xdg_data_home, const char* home) {
  if (set(xdg_data_home)) return std::string(xdg_data_home) + "/pkgsizer";
  if (!set(home)) return "";  // no home: no default place (never "./.local")
  return std::string(home) + "/.local/share/pkgsizer";
}

}  // namespace pkgsizer
