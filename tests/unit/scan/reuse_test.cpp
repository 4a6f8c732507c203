#include "scan/reuse.hpp"

#include <catch2/catch.hpp>

using namespace pkgsizer;
using namespace pkgsizer::scan;

namespace {

const std::string kRoot = "/site";

// A scan of one root with one component per distribution: NAME/ and NAME-1.0.dist-info, `bytes`
// in one file, each file its own inode (`inode`).
struct Part {
  std::string name;
  std::uint64_t bytes;
  std::uint64_t inode;
};

EnvironmentScan scan_of(const std::vector<Part>& list) {
  EnvironmentScan full;
  full.roots = {kRoot};
  full.directory_stamps = {{{"", 1, 1, 1}}};
  full.file_stamps = {{}};
  full.parts.root_directories = {Size{4096, 4096, 1}};
  for (const Part& part : list) {
    const auto c = static_cast<std::int32_t>(full.parts.components.size());
    ScanComponent component;
    component.entries = {{0, part.name}, {0, part.name + "-1.0.dist-info"}};
    component.inodes = {part.inode};
    component.files = component.owned = Size{part.bytes, part.bytes, 1};
    component.directories = Size{8192, 8192, 2};
    full.parts.components.push_back(component);
    Distribution dist;
    dist.name = dist.normalized_name = part.name;
    dist.version = "1.0";
    dist.location = kRoot;
    dist.metadata_path = kRoot + "/" + part.name + "-1.0.dist-info";
    dist.size = Size{part.bytes, part.bytes, 1};
    full.scan.distributions.push_back(dist);
    full.parts.of_distribution.push_back(c);
    full.directory_stamps[0].push_back({part.name, 2, 2, part.inode + 100});
    full.directory_stamps[0].push_back({part.name + "-1.0.dist-info", 2, 2, part.inode + 200});
  }
  return full;
}

std::vector<std::string> names(const EnvironmentScan& full) {
  std::vector<std::string> result;
  for (const Distribution& dist : full.scan.distributions) result.push_back(dist.name);
  return result;
}

}  // namespace

TEST_CASE("plan_reuse scans again every entry of a component with a changed entry") {
  const EnvironmentScan earlier = scan_of({{"alpha", 10, 1}, {"beta", 20, 2}, {"gamma", 30, 3}});
  const ReusePlan plan = plan_reuse(earlier, {{"beta", "new"}});
  CHECK(plan.keep == std::vector<bool>{true, false, true});
  CHECK(plan.kept_components() == 2);
  CHECK(plan.scope[0] == std::unordered_set<std::string>{"beta", "beta-1.0.dist-info", "new"});
}

TEST_CASE("plan_reuse drops the components that would claim from a new or changed entry") {
  EnvironmentScan earlier = scan_of({{"alpha", 10, 1}, {"beta", 20, 2}, {"gamma", 30, 3}});
  earlier.parts.components[0].absent_entries = {{0, "alpha_data"}};  // RECORD names a missing file
  earlier.parts.components[1].claimed_stems = {{0, "legacy"}};       // an egg-info claims by name
  CHECK(plan_reuse(earlier, {{"alpha_data"}}).keep == std::vector<bool>{false, true, true});
  CHECK(plan_reuse(earlier, {{"legacy.cpython-311-x86_64-linux-gnu.so"}}).keep ==
        std::vector<bool>{true, false, true});
  CHECK(plan_reuse(earlier, {{"legacy_not"}}).keep == std::vector<bool>{true, true, true});
}

TEST_CASE(
    "widen_plan drops the kept components a partial scan escaped into or shares an inode with") {
  const EnvironmentScan earlier = scan_of({{"alpha", 10, 1}, {"beta", 20, 2}, {"gamma", 30, 3}});
  ReusePlan plan = plan_reuse(earlier, {{"new"}});
  EnvironmentScan partial = scan_of({{"new", 5, 9}});

  SECTION("nothing shared: the plan holds") { CHECK_FALSE(widen_plan(earlier, partial, plan)); }
  SECTION("a claim into a kept entry") {
    partial.parts.escapes = {{0, "beta"}};
    CHECK(widen_plan(earlier, partial, plan));
    CHECK(plan.keep == std::vector<bool>{true, false, true});
    CHECK(plan.scope[0].contains("beta-1.0.dist-info"));
  }
  SECTION("a hardlink of a kept file") {
    partial.parts.components[0].linked_inodes = {3};
    CHECK(widen_plan(earlier, partial, plan));
    CHECK(plan.keep == std::vector<bool>{true, true, false});
  }
  SECTION("an entry of the partial scan that a kept component holds") {
    partial.parts.components[0].entries.push_back({0, "gamma"});
    CHECK(widen_plan(earlier, partial, plan));
    CHECK(plan.keep == std::vector<bool>{true, true, false});
  }
  SECTION("an inode with several links that no kept component has") {
    partial.parts.components[0].linked_inodes = {77};
    CHECK_FALSE(widen_plan(earlier, partial, plan));
  }
}

TEST_CASE("merge_scans gives the distributions, totals and stamps of a full scan") {
  EnvironmentScan earlier = scan_of({{"alpha", 10, 1}, {"beta", 20, 2}, {"gamma", 30, 3}});
  const ReusePlan plan = plan_reuse(earlier, {{"beta", "beta-1.0.dist-info"}});
  // beta was upgraded to 25 bytes, and "aardvark" installed.
  EnvironmentScan partial = scan_of({{"aardvark", 1, 7}, {"beta", 25, 8}});
  const EnvironmentScan merged = merge_scans(earlier, plan, partial);

  CHECK(names(merged) == std::vector<std::string>{"aardvark", "alpha", "beta", "gamma"});
  CHECK(merged.scan.distributions[2].size.apparent_bytes == 25);
  CHECK(merged.parts.components.size() == 4);
  CHECK(merged.scan.totals.owned.apparent_bytes == 10 + 30 + 1 + 25);
  CHECK(merged.scan.totals.directories.apparent_bytes == 4096 + 4 * 8192);
  CHECK(merged.scan.totals.all.apparent_bytes == 66 + 4096 + 4 * 8192);
  // The partial scan's stamps (root, aardvark, beta) and the kept ones of alpha and gamma.
  CHECK(merged.directory_stamps[0].size() == 1 + 4 + 4);
  for (std::size_t d = 0; d < merged.scan.distributions.size(); ++d)
    CHECK(merged.parts.components[merged.parts.of_distribution[d]].entries[0].second ==
          merged.scan.distributions[d].name);
}
