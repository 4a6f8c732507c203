#include "util/utc_time.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace pkgsizer {

std::string iso8601_utc(std::chrono::system_clock::time_point when) {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(when)));
}

std::string compact_utc(std::chrono::system_clock::time_point when) {
  return fmt::format("{:%Y%m%dT%H%M%S}", fmt::gmtime(std::chrono::system_clock::to_time_t(when)));
}

}  // namespace pkgsizer
