// The components of a scan (ScanParts): union-find over the top-level entries of the scanned
// trees, and over files outside them. What a claim, a shared file or a hardlink ties together
// ends up in one component.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "scan/file_index.hpp"
#include "scan/scanner.hpp"

namespace pkgsizer::scan {

class Components {
 public:
  explicit Components(std::size_t roots) : entry_nodes_(roots) {}

  // The node of a top-level entry of a root, of a file outside the trees (by its canonical
  // id), or of the entry a file lies in; each made on first use.
  int entry(int root, std::string_view name) {
    auto& nodes = entry_nodes_[root];
    if (auto found = nodes.find(name); found != nodes.end()) return found->second;
    const int node = add_node();
    nodes.emplace(names_.emplace_back(name), node);
    return node;
  }
  int outside(FileId canonical) {
    auto [found, inserted] = outside_nodes_.try_emplace(canonical, 0);
    if (inserted) found->second = add_node();
    return found->second;
  }
  int node_of(const FileIndex& index, FileId id) {
    const IndexedFile& indexed = index.file(id);
    return indexed.root >= 0 ? entry(indexed.root, indexed.top_entry)
                             : outside(index.canonical(id));
  }
  // The two nodes belong to one component.
  void join(int a, int b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }
  // Numbers the components in the order of their first entry (roots in order, names sorted),
  // lists their entries (those `listed` says are on disk; the others as absent), and returns
  // the component of every node.
  std::vector<std::int32_t> number(std::vector<ScanComponent>& components,
                                   const std::function<bool(int, std::string_view)>& listed);

 private:
  int add_node() {
    parent_.push_back(static_cast<int>(parent_.size()));
    return parent_.back();
  }
  int find(int node) {
    while (parent_[node] != node) node = parent_[node] = parent_[parent_[node]];
    return node;
  }

  std::deque<std::string> names_;  // the entries' names, where the maps' keys point
  std::vector<std::unordered_map<std::string_view, int>> entry_nodes_;
  std::unordered_map<FileId, int> outside_nodes_;
  std::vector<int> parent_;
};

// The component of a path (a problem's): the one of the entry it lies in, if any, else
// ScanParts::kWholeScan.
std::int32_t component_of_path(
    const std::vector<std::string>& roots,
    const std::vector<std::unordered_map<std::string, std::int32_t>>& entry_components,
    const std::string& path);

}  // namespace pkgsizer::scan
