#include "importtime/profile_diff.hpp"

#include <algorithm>
#include <map>

namespace pkgsizer::importtime {

ProfileDiff diff_profiles(const ImportProfile& before, const ImportProfile& after) {
  ProfileDiff diff;
  diff.before_target = before.target;
  diff.after_target = after.target;
  diff.before_total = before.total;
  diff.after_total = after.total;
  std::map<std::string, DistributionChange> by_name;
  for (const DistributionTiming& dist : before.distributions) {
    DistributionChange& change = by_name[dist.name];
    change.name = dist.name;
    change.before_present = true;
    change.before_version = dist.version;
    change.before_us = dist.self_us;
  }
  for (const DistributionTiming& dist : after.distributions) {
    DistributionChange& change = by_name[dist.name];
    change.name = dist.name;
    change.after_present = true;
    change.after_version = dist.version;
    change.after_us = dist.self_us;
  }
  for (auto& [name, change] : by_name) diff.changes.push_back(std::move(change));
  std::stable_sort(diff.changes.begin(), diff.changes.end(),
                   [](const DistributionChange& a, const DistributionChange& b) {
                     return a.change_us() > b.change_us();
                   });
  return diff;
}

}  // namespace pkgsizer::importtime
