#include "graph/digraph.hpp"

#include <algorithm>
#include <utility>

namespace pkgsizer::graph {

std::vector<std::size_t> strongly_connected_components(const Adjacency& successors,
                                                       std::size_t& component_count) {
  const std::size_t n = successors.size();
  constexpr std::size_t kUnvisited = static_cast<std::size_t>(-1);
  std::vector<std::size_t> index(n, kUnvisited), low(n, 0), component(n, kUnvisited);
  std::vector<bool> on_stack(n, false);
  std::vector<std::size_t> stack;
  std::size_t next_index = 0;
  component_count = 0;
  // Iterative Tarjan: (node, next successor position) frames instead of recursion, so that a
  // long dependency chain cannot overflow the call stack.
  std::vector<std::pair<std::size_t, std::size_t>> frames;
  for (std::size_t start = 0; start < n; ++start) {
    if (index[start] != kUnvisited) continue;
    frames.push_back({start, 0});
    index[start] = low[start] = next_index++;
    stack.push_back(start);
    on_stack[start] = true;
    while (!frames.empty()) {
      auto& [node, position] = frames.back();
      if (position < successors[node].size()) {
        const std::size_t next = successors[node][position++];
        if (index[next] == kUnvisited) {
          index[next] = low[next] = next_index++;
          stack.push_back(next);
          on_stack[next] = true;
          frames.push_back({next, 0});
        } else if (on_stack[next]) {
          low[node] = std::min(low[node], index[next]);
        }
        continue;
      }
      const std::size_t finished = node;
      frames.pop_back();
      if (!frames.empty())
        low[frames.back().first] = std::min(low[frames.back().first], low[finished]);
      if (low[finished] == index[finished]) {
        std::size_t member;
        do {
          member = stack.back();
          stack.pop_back();
          on_stack[member] = false;
          component[member] = component_count;
        } while (member != finished);
        ++component_count;
      }
    }
  }
  return component;
}

std::vector<std::size_t> reachable_from(const Adjacency& successors, std::size_t start) {
  std::vector<bool> seen(successors.size(), false);
  std::vector<std::size_t> order{start};
  seen[start] = true;
  for (std::size_t i = 0; i < order.size(); ++i)
    for (std::size_t next : successors[order[i]])
      if (!seen[next]) {
        seen[next] = true;
        order.push_back(next);
      }
  return order;
}

std::vector<std::size_t> immediate_dominators(const Adjacency& successors, std::size_t root) {
  const std::size_t n = successors.size();
  // Reverse postorder from the root.
  std::vector<std::size_t> postorder_number(n, kNoDominator);
  std::vector<std::size_t> postorder;
  std::vector<bool> visited(n, false);
  std::vector<std::pair<std::size_t, std::size_t>> frames{{root, 0}};
  visited[root] = true;
  while (!frames.empty()) {
    auto& [node, position] = frames.back();
    if (position < successors[node].size()) {
      const std::size_t next = successors[node][position++];
      if (!visited[next]) {
        visited[next] = true;
        frames.push_back({next, 0});
      }
      continue;
    }
    postorder_number[node] = postorder.size();
    postorder.push_back(node);
    frames.pop_back();
  }
  Adjacency predecessors(n);
  for (std::size_t node = 0; node < n; ++node)
    if (visited[node])
      for (std::size_t next : successors[node]) predecessors[next].push_back(node);

  std::vector<std::size_t> idom(n, kNoDominator);
  idom[root] = root;
  auto intersect = [&](std::size_t a, std::size_t b) {
    while (a != b) {
      while (postorder_number[a] < postorder_number[b]) a = idom[a];
      while (postorder_number[b] < postorder_number[a]) b = idom[b];
    }
    return a;
  };
  bool changed = true;
  while (changed) {
    changed = false;
    for (auto it = postorder.rbegin(); it != postorder.rend(); ++it) {
      const std::size_t node = *it;
      if (node == root) continue;
      std::size_t new_idom = kNoDominator;
      for (std::size_t predecessor : predecessors[node]) {
        if (idom[predecessor] == kNoDominator) continue;
        new_idom = new_idom == kNoDominator ? predecessor : intersect(predecessor, new_idom);
      }
      if (new_idom != kNoDominator && idom[node] != new_idom) {
        idom[node] = new_idom;
        changed = true;
      }
    }
  }
  return idom;
}

}  // namespace pkgsizer::graph
