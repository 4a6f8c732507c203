// Two import-time profiles compared (before and after an upgrade): which distribution got
// slower, by the change of its self time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "importtime/profile.hpp"

namespace pkgsizer::importtime {

struct DistributionChange {
  std::string name;
  std::string before_version;  // empty when it was not imported before
  std::string after_version;   // empty when it is no longer imported
  bool before_present = false;
  bool after_present = false;
  std::int64_t before_us = 0;  // self time (median sum)
  std::int64_t after_us = 0;
  std::int64_t change_us() const { return after_us - before_us; }
};

struct ProfileDiff {
  std::string before_target, after_target;
  TimeStats before_total, after_total;
  std::vector<DistributionChange> changes;  // the largest slow-down first, then speed-ups
};

ProfileDiff diff_profiles(const ImportProfile& before, const ImportProfile& after);

}  // namespace pkgsizer::importtime
