#include "graph/paths.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

using namespace pkgsizer;

namespace {

// app -> (web, cli); web -> (http); cli -> (http); http -> (idna); tool -> (idna)
std::vector<Distribution> diamond() {
  auto make = [](std::string name, std::uint64_t bytes,
                 const std::vector<std::string>& requires_names,
                 std::vector<std::string> required_by) {
    Distribution dist;
    dist.name = dist.normalized_name = std::move(name);
    dist.size.apparent_bytes = bytes;
    for (auto& required : requires_names) {
      Dependency edge;
      edge.normalized_name = required;
      edge.installed = true;
      dist.dependencies.push_back(edge);
    }
    dist.required_by = std::move(required_by);
    dist.root = dist.required_by.empty();
    return dist;
  };
  return {make("app", 1, {"web", "cli"}, {}),        make("web", 10, {"http"}, {"app"}),
          make("cli", 100, {"http"}, {"app"}),       make("http", 1000, {"idna"}, {"cli", "web"}),
          make("idna", 10000, {}, {"http", "tool"}), make("tool", 5, {"idna"}, {})};
}

}  // namespace

TEST_CASE("every path from a root to a distribution, shortest first") {
  const auto dists = diamond();
  const auto paths = graph::dependency_paths(dists, 4, 10);
  CHECK(paths.total == 3);  // tool->idna, app->web->http->idna, app->cli->http->idna
  REQUIRE(paths.paths.size() == 3);
  CHECK(paths.paths[0] == std::vector<std::size_t>{5, 4});
  CHECK(paths.paths[1].front() == 0);
  CHECK(paths.paths[1].back() == 4);
  CHECK(graph::dependency_paths(dists, 4, 1).paths.size() == 1);
  CHECK(graph::dependency_paths(dists, 4, 1).total == 3);
}

TEST_CASE("removal frees only what nothing else keeps") {
  const auto dists = diamond();
  auto freed = graph::removal_set(dists, 0);  // app: web, cli, http go; idna stays for tool
  std::sort(freed.begin() + 1, freed.end());
  CHECK(freed == std::vector<std::size_t>{0, 1, 2, 3});
  CHECK(graph::removal_set(dists, 5) == std::vector<std::size_t>{5});  // tool: idna stays for app
  CHECK(graph::find_distribution(dists, "IDNA") == 4);
  CHECK(graph::find_distribution(dists, "nope") == dists.size());
}

TEST_CASE("paths through a dense cycle: bounded work, and the shortest path is still shown") {
  // 16 distributions all requiring each other, and one root requiring the first: the simple
  // paths number in the trillions (16!), which `why` used to walk for minutes (issue 19).
  constexpr std::size_t kMembers = 16;
  std::vector<Distribution> dists(kMembers + 1);
  for (std::size_t i = 0; i < kMembers; ++i) {
    dists[i].name = dists[i].normalized_name = "p" + std::to_string(i);
    for (std::size_t j = 0; j < kMembers; ++j)
      if (j != i) dists[i].required_by.push_back("p" + std::to_string(j));
  }
  dists[kMembers].name = dists[kMembers].normalized_name = "top";
  dists[kMembers].root = true;
  dists[0].required_by.push_back("top");
  const auto paths = graph::dependency_paths(dists, kMembers - 1, 10);
  CHECK(paths.total_is_lower_bound);
  REQUIRE_FALSE(paths.paths.empty());
  CHECK(paths.paths.front() == std::vector<std::size_t>{kMembers, 0, kMembers - 1});

  // Without a root nothing keeps them installed, and nothing is walked at all.
  dists.pop_back();
  for (auto& dist : dists)
    dist.required_by.erase(std::remove(dist.required_by.begin(), dist.required_by.end(), "top"),
                           dist.required_by.end());
  const auto none = graph::dependency_paths(dists, 3, 10);
  CHECK(none.total == 0);
  CHECK_FALSE(none.total_is_lower_bound);
}
