// What every kind of finding reads: the scan, each distribution's files and the module owners.
// Internal to recommend/.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "recommend/ownership.hpp"
#include "recommend/recommend.hpp"

namespace pkgsizer::recommend {

struct Context {
  const Scan& scan;
  const RecommendOptions& options;
  std::vector<DistributionFileList> files;  // per distribution of scan.distributions
  ModuleOwners owners;
  // Distributions an unused finding already removes: the other kinds leave them out, so that
  // no byte is counted twice in the total.
  std::set<std::size_t> removed;
};

// lstat's sizes of one file (apparent st_size, disk st_blocks * 512); zero when it is gone.
Size file_size(const std::string& path);
// The sizes of a set of distributions, each counted once.
Size distributions_size(const Scan& scan, const std::vector<std::size_t>& indices);
std::string shell_quote(const std::string& text);
// The installed distributions (indices; by_name maps PEP 503 names to them) that `dist`'s
// Requires-Dist pulls in only for `extra`: markers that hold with it and not without it.
std::vector<std::size_t> pulled_by_extra(const Scan& scan, const Distribution& dist,
                                         const std::string& extra,
                                         const std::map<std::string, std::size_t>& by_name);

void find_unused(Context& context, Recommendations& out);
void find_bloat(Context& context, Recommendations& out);
void find_native(Context& context, Recommendations& out);
void find_leftovers(Context& context, Recommendations& out);
void find_heavier(Context& context, Recommendations& out);

}  // namespace pkgsizer::recommend
