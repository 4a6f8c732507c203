#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "report/table_report.hpp"
#include "util/text.hpp"

using namespace pkgsizer;

TEST_CASE("the module tree: sizes end in one column, with a bar of the distribution's share") {
  Scan scan;
  Distribution dist;
  dist.name = "numlike";
  dist.version = "1.0";
  dist.size = {1000000, 1000000, 10};
  dist.modules = {
      {"numlike",
       pkgsizer::ModuleKind::kPackage,
       {900000, 0, 8},
       {{"core", pkgsizer::ModuleKind::kPackage, {500000, 0, 4}, {}, {}},
        {"a_module_with_a_long_name", pkgsizer::ModuleKind::kModule, {1000, 0, 1}, {}, {}}},
       {}},
      {"_speedups", pkgsizer::ModuleKind::kExtension, {100000, 0, 1}, {}, {}}};
  scan.distributions.push_back(dist);
  scan.totals.distributions = 1;
  report::RenderOptions options;
  options.show_modules = true;
  const std::string table = report::render_table(scan, options);
  std::vector<std::string> tree;
  std::istringstream lines(table);
  for (std::string line; std::getline(lines, line);)
    if (line.find("── ") != std::string::npos) tree.push_back(line);
  REQUIRE(tree.size() == 4);
  // The end of each size (the "B" of its unit) is in the same column on every line.
  std::vector<std::size_t> ends;
  for (const std::string& line : tree) {
    const std::size_t unit = line.find(" kB");
    REQUIRE(unit != std::string::npos);
    ends.push_back(display_width(line.substr(0, unit + 3)));
  }
  for (const std::size_t end : ends) CHECK(end == ends.front());
  CHECK(tree[0].find("█████████") != std::string::npos);  // 90% of 10 cells
  CHECK(tree[1].find("█████") != std::string::npos);
  CHECK(tree[2].find("█") == std::string::npos);  // 0.1%: no cell
}
