#include "graph/digraph.hpp"

#include <catch2/catch.hpp>

using namespace pkgsizer::graph;

TEST_CASE("strongly connected components find cycles") {
  // 0 -> 1 -> 2 -> 0 (a cycle), 2 -> 3, 4 alone
  const Adjacency graph{{1}, {2}, {0, 3}, {}, {}};
  std::size_t count = 0;
  const auto component = strongly_connected_components(graph, count);
  CHECK(count == 3);
  CHECK(component[0] == component[1]);
  CHECK(component[1] == component[2]);
  CHECK(component[3] != component[0]);
  CHECK(component[3] < component[0]);  // reverse topological: successors first
  CHECK(component[4] != component[3]);
}

TEST_CASE("reachability visits each node once") {
  const Adjacency graph{{1, 2}, {3}, {3}, {}};
  CHECK(reachable_from(graph, 0).size() == 4);
  CHECK(reachable_from(graph, 1) == std::vector<std::size_t>{1, 3});
}

TEST_CASE("dominators of a diamond and a chain") {
  // root 0 -> a 1, b 2; a -> c 3; b -> c 3; c -> d 4; a -> e 5
  const Adjacency graph{{1, 2}, {3, 5}, {3}, {4}, {}, {}, {}};
  const auto idom = immediate_dominators(graph, 0);
  CHECK(idom[0] == 0);
  CHECK(idom[1] == 0);
  CHECK(idom[2] == 0);
  CHECK(idom[3] == 0);  // reached through a and through b: only the root dominates it
  CHECK(idom[4] == 3);
  CHECK(idom[5] == 1);
  CHECK(idom[6] == kNoDominator);  // unreachable
}

TEST_CASE("dominators through a cycle") {
  // 0 -> 1 <-> 2 -> 3
  const Adjacency graph{{1}, {2}, {1, 3}, {}};
  const auto idom = immediate_dominators(graph, 0);
  CHECK(idom[1] == 0);
  CHECK(idom[2] == 1);
  CHECK(idom[3] == 2);
}
