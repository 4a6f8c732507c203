#include "graph/dependency_graph.hpp"

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>

using namespace pkgsizer;

namespace {

Distribution dist(const std::string& name, std::string version, std::uint64_t bytes,
                  std::vector<std::string> requires_dist, bool requested = false) {
  Distribution d;
  d.name = name;
  d.normalized_name = name;
  d.version = std::move(version);
  d.size.apparent_bytes = bytes;
  d.requires_dist = std::move(requires_dist);
  d.requested = requested;
  return d;
}

const Distribution& named(const std::vector<Distribution>& dists, const std::string& name) {
  return *std::find_if(dists.begin(), dists.end(),
                       [&](const Distribution& d) { return d.normalized_name == name; });
}

Environment linux_311() {
  Environment environment;
  environment.python_version = "3.11";
  environment.platform = "linux-x86_64";
  return environment;
}

}  // namespace

TEST_CASE("markers for the target, extras followed, names normalized") {
  std::vector<Distribution> dists{
      dist("app", "1.0", 1,
           {"Typing_Extensions>=4", "lib[fast]", "old; python_version < '3.8'",
            "win; sys_platform == 'win32'"}),
      dist("typing-extensions", "4.12.0", 10, {}),
      dist("lib", "2.0", 100, {"speedups; extra == 'fast'", "docs; extra == 'docs'"}),
      dist("speedups", "0.1", 1000, {}),
  };
  std::vector<Problem> problems;
  graph::analyze_dependencies(dists, linux_311(), problems);
  CHECK(problems.empty());
  const Distribution& app = named(dists, "app");
  REQUIRE(app.dependencies.size() == 2);  // old and win do not apply on Linux 3.11
  CHECK(app.dependencies[0].normalized_name == "typing-extensions");
  CHECK(app.dependencies[0].satisfied);
  CHECK(named(dists, "lib").dependencies.size() == 1);  // [fast] activated, [docs] not
  CHECK(named(dists, "speedups").required_by == std::vector<std::string>{"lib"});
  CHECK(app.cumulative_bytes == 1111);
  CHECK(app.removal_bytes == 1111);
  CHECK(app.root);
  CHECK_FALSE(named(dists, "lib").root);
}

TEST_CASE("shared dependencies: cumulative counts them, removal does not") {
  std::vector<Distribution> dists{dist("a", "1", 1, {"shared", "only-a"}),
                                  dist("b", "1", 2, {"shared"}), dist("shared", "1", 100, {}),
                                  dist("only-a", "1", 1000, {})};
  std::vector<Problem> problems;
  graph::analyze_dependencies(dists, linux_311(), problems);
  CHECK(named(dists, "a").cumulative_bytes == 1101);
  CHECK(named(dists, "a").removal_bytes == 1001);  // shared stays for b
  CHECK(named(dists, "b").removal_bytes == 2);
  CHECK(named(dists, "shared").removal_bytes == 100);
}

TEST_CASE("REQUESTED distributions are roots even when required") {
  std::vector<Distribution> dists{dist("a", "1", 1, {"b"}), dist("b", "1", 10, {}, true)};
  std::vector<Problem> problems;
  graph::analyze_dependencies(dists, linux_311(), problems);
  CHECK(named(dists, "b").root);
  CHECK(named(dists, "a").removal_bytes == 1);  // b was asked for: removing a keeps it
}

TEST_CASE("missing, version and cycle problems are reported") {
  std::vector<Distribution> dists{dist("a", "1", 1, {"gone>=1", "b<2"}),
                                  dist("b", "2.0", 10, {"c"}), dist("c", "1", 100, {"b"}),
                                  dist("d", "1", 5, {"not a requirement!!"})};
  std::vector<Problem> problems;
  graph::analyze_dependencies(dists, linux_311(), problems);
  auto has = [&](const std::string& kind) {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const Problem& p) { return to_string(p.kind) == kind; });
  };
  CHECK(has("missing"));
  CHECK(has("version"));
  CHECK(has("cycle"));
  CHECK(has("requirement"));
  CHECK_FALSE(named(dists, "a").dependencies[1].satisfied);
  CHECK(named(dists, "a").cumulative_bytes == 111);
  CHECK(named(dists, "a").removal_bytes == 111);  // the b<->c cycle hangs only from a
}

TEST_CASE("a cycle nothing requires is its own root") {
  std::vector<Distribution> dists{dist("x", "1", 1, {"y"}), dist("y", "1", 10, {"x"})};
  std::vector<Problem> problems;
  graph::analyze_dependencies(dists, linux_311(), problems);
  CHECK(named(dists, "x").root);
  CHECK(named(dists, "y").root);
  CHECK(named(dists, "x").cumulative_bytes == 11);
}

TEST_CASE("cumulative sizes agree with a walk per distribution on random graphs with cycles") {
  // The shortcut through "closed" distributions must never change a number: compare it with
  // the plain definition (everything reachable, once each) on graphs of every shape.
  std::uint64_t seed = 12345;
  auto next = [&](std::uint64_t bound) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (seed >> 33) % bound;
  };
  for (int round = 0; round < 300; ++round) {
    const std::size_t n = 1 + next(14);
    const std::uint64_t density = 1 + next(4);
    std::vector<std::vector<std::size_t>> edges(n);
    std::vector<Distribution> dists;
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<std::string> requires_dist;
      for (std::size_t j = 0; j < n; ++j)
        if (j != i && next(n) < density) {
          requires_dist.push_back("d" + std::to_string(j));
          edges[i].push_back(j);
        }
      dists.push_back(dist("d" + std::to_string(i), "1", std::uint64_t{1} << i,
                           std::move(requires_dist), next(5) == 0));
    }
    std::vector<Problem> problems;
    graph::analyze_dependencies(dists, linux_311(), problems);
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<bool> seen(n, false);
      std::vector<std::size_t> stack{i};
      seen[i] = true;
      std::uint64_t expected = 0;
      while (!stack.empty()) {
        const std::size_t node = stack.back();
        stack.pop_back();
        expected += std::uint64_t{1} << node;
        for (std::size_t to : edges[node])
          if (!seen[to]) {
            seen[to] = true;
            stack.push_back(to);
          }
      }
      INFO("round " << round << ", d" << i);
      CHECK(dists[i].cumulative_bytes == expected);
    }
  }
}

TEST_CASE("a chain of 50,000 distributions is analyzed in linear time") {
  // Quadratic walks took 65 s here (issue 19); each link is one step now.
  std::vector<Distribution> dists;
  constexpr std::size_t kLength = 50000;
  for (std::size_t i = 0; i < kLength; ++i)
    dists.push_back(dist("c" + std::to_string(i), "1", 1,
                         i + 1 < kLength ? std::vector<std::string>{"c" + std::to_string(i + 1)}
                                         : std::vector<std::string>{}));
  std::vector<Problem> problems;
  const auto started = std::chrono::steady_clock::now();
  graph::analyze_dependencies(dists, linux_311(), problems);
  // 0.1-0.5 s even on a loaded machine; the quadratic walks took over a minute.
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(15));
  CHECK(dists.front().cumulative_bytes == kLength);
  CHECK(dists.front().removal_bytes == kLength);
  CHECK(dists[kLength - 1].cumulative_bytes == 1);
}
