#include "scan/reuse.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <utility>

#include "scan/file_index.hpp"

namespace pkgsizer::scan {
namespace {

using EntryKey = std::pair<std::uint32_t, std::string>;  // (root, top-level entry)

std::map<EntryKey, std::size_t> component_of_entry(const ScanParts& parts) {
  std::map<EntryKey, std::size_t> of_entry;
  for (std::size_t c = 0; c < parts.components.size(); ++c)
    for (const EntryKey& entry : parts.components[c].entries) of_entry.emplace(entry, c);
  return of_entry;
}

// The components that would claim files from an entry if it appeared: by the entries of their
// missing files (`absent`), and by the import names they claim by (`by_stem`).
struct Claiming {
  std::multimap<EntryKey, std::size_t> absent, by_stem;

  explicit Claiming(const ScanParts& parts) {
    for (std::size_t c = 0; c < parts.components.size(); ++c) {
      for (const EntryKey& entry : parts.components[c].absent_entries) absent.emplace(entry, c);
      for (const EntryKey& stem : parts.components[c].claimed_stems) by_stem.emplace(stem, c);
    }
  }
  std::vector<std::size_t> of(std::uint32_t root, const std::string& entry) const {
    std::vector<std::size_t> found;
    for (auto [map, key] :
         {std::pair{&absent, EntryKey{root, entry}},
          std::pair{&by_stem, EntryKey{root, std::string(stem_of_entry(entry))}}}) {
      const auto [begin, end] = map->equal_range(key);
      for (auto it = begin; it != end; ++it) found.push_back(it->second);
    }
    return found;
  }
};

void drop(const ScanParts& parts, std::size_t component, ReusePlan& plan) {
  plan.keep[component] = false;
  for (const auto& [root, entry] : parts.components[component].entries)
    plan.scope[root].insert(entry);
}

}  // namespace

std::size_t ReusePlan::kept_components() const {
  return static_cast<std::size_t>(std::count(keep.begin(), keep.end(), true));
}

ReusePlan plan_reuse(const EnvironmentScan& earlier,
                     const std::vector<std::unordered_set<std::string>>& changed) {
  const ScanParts& parts = earlier.parts;
  ReusePlan plan{std::vector<bool>(parts.components.size(), true), changed};
  plan.scope.resize(earlier.roots.size());
  const std::map<EntryKey, std::size_t> of_entry = component_of_entry(parts);
  const Claiming claiming(parts);
  for (std::uint32_t root = 0; root < changed.size(); ++root)
    for (const std::string& entry : changed[root]) {
      if (auto found = of_entry.find({root, entry}); found != of_entry.end())
        drop(parts, found->second, plan);
      for (std::size_t component : claiming.of(root, entry)) drop(parts, component, plan);
    }
  return plan;
}

bool widen_plan(const EnvironmentScan& earlier, const EnvironmentScan& partial, ReusePlan& plan) {
  const ScanParts& parts = earlier.parts;
  const std::size_t kept_before = plan.kept_components();
  const std::map<EntryKey, std::size_t> of_entry = component_of_entry(parts);
  for (const EntryKey& escape : partial.parts.escapes)
    if (auto found = of_entry.find(escape); found != of_entry.end() && plan.keep[found->second])
      drop(parts, found->second, plan);
  // A safety net: no entry may end up in a kept component and in the partial scan's.
  for (const ScanComponent& component : partial.parts.components)
    for (const EntryKey& entry : component.entries)
      if (auto found = of_entry.find(entry); found != of_entry.end() && plan.keep[found->second])
        drop(parts, found->second, plan);
  // A hardlink of a kept component's file, or a file outside the trees that a kept component
  // claims too, would be counted twice: scan them together.
  std::set<std::uint64_t> linked;
  std::set<std::string> outside;
  for (const ScanComponent& component : partial.parts.components) {
    linked.insert(component.linked_inodes.begin(), component.linked_inodes.end());
    outside.insert(component.outside_paths.begin(), component.outside_paths.end());
  }
  for (std::size_t c = 0; c < parts.components.size(); ++c) {
    if (!plan.keep[c]) continue;
    const ScanComponent& component = parts.components[c];
    const bool shares_inode = std::any_of(linked.begin(), linked.end(), [&](std::uint64_t inode) {
      return std::binary_search(component.inodes.begin(), component.inodes.end(), inode);
    });
    const bool shares_outside =
        std::any_of(component.outside_paths.begin(), component.outside_paths.end(),
                    [&](const std::string& path) { return outside.contains(path); });
    if (shares_inode || shares_outside) drop(parts, c, plan);
  }
  return plan.kept_components() != kept_before;
}

EnvironmentScan merge_scans(EnvironmentScan earlier, const ReusePlan& plan,
                            EnvironmentScan partial) {
  EnvironmentScan merged;
  merged.roots = std::move(partial.roots);
  Scan& scan = merged.scan;
  scan.tool_version = std::move(partial.scan.tool_version);
  scan.created_at = std::move(partial.scan.created_at);
  scan.environment = std::move(partial.scan.environment);
  ScanParts& parts = merged.parts;
  ScanParts& old_parts = earlier.parts;
  ScanParts& new_parts = partial.parts;

  // Components: the kept ones, in their order, then the partial scan's.
  std::vector<std::int32_t> old_component(old_parts.components.size(), -1);
  for (std::size_t c = 0; c < old_parts.components.size(); ++c)
    if (plan.keep[c]) {
      old_component[c] = static_cast<std::int32_t>(parts.components.size());
      parts.components.push_back(std::move(old_parts.components[c]));
    }
  const auto offset = static_cast<std::int32_t>(parts.components.size());
  for (ScanComponent& component : new_parts.components)
    parts.components.push_back(std::move(component));
  auto kept = [&](std::int32_t component) { return component >= 0 && plan.keep[component]; };

  // Distributions in a full scan's order: by root, then by metadata entry.
  struct Source {
    Distribution* dist;
    std::int32_t component;
    std::uint32_t* new_index;
  };
  std::vector<std::uint32_t> old_index(earlier.scan.distributions.size(), UINT32_MAX);
  std::vector<std::uint32_t> new_index(partial.scan.distributions.size(), UINT32_MAX);
  std::vector<Source> sources;
  for (std::size_t d = 0; d < earlier.scan.distributions.size(); ++d)
    if (kept(old_parts.of_distribution[d]))
      sources.push_back({&earlier.scan.distributions[d],
                         old_component[old_parts.of_distribution[d]], &old_index[d]});
  for (std::size_t d = 0; d < partial.scan.distributions.size(); ++d)
    sources.push_back(
        {&partial.scan.distributions[d], offset + new_parts.of_distribution[d], &new_index[d]});
  auto root_of = [&](const Distribution& dist) {
    return std::find(merged.roots.begin(), merged.roots.end(), dist.location) -
           merged.roots.begin();
  };
  std::stable_sort(sources.begin(), sources.end(), [&](const Source& a, const Source& b) {
    const auto root_a = root_of(*a.dist), root_b = root_of(*b.dist);
    return root_a != root_b ? root_a < root_b : a.dist->metadata_path < b.dist->metadata_path;
  });
  for (Source& source : sources) {
    *source.new_index = static_cast<std::uint32_t>(scan.distributions.size());
    scan.distributions.push_back(std::move(*source.dist));
    parts.of_distribution.push_back(source.component);
  }

  // Shared files, unowned entries and problems of the kept components, then the partial scan's.
  auto take_shared = [&](std::vector<SharedFile>& files, const std::vector<std::int32_t>& of,
                         const std::vector<std::uint32_t>& index, auto&& component_of) {
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::int32_t component = component_of(of[i]);
      if (component < 0) continue;
      for (std::uint32_t& owner : files[i].owners) owner = index[owner];
      merged.shared_files.push_back(std::move(files[i]));
      parts.of_shared.push_back(component);
    }
  };
  auto old_kept = [&](std::int32_t c) { return kept(c) ? old_component[c] : -1; };
  auto from_partial = [&](std::int32_t c) { return offset + c; };
  take_shared(earlier.shared_files, old_parts.of_shared, old_index, old_kept);
  take_shared(partial.shared_files, new_parts.of_shared, new_index, from_partial);

  for (std::size_t i = 0; i < earlier.scan.unowned.size(); ++i)
    if (kept(old_parts.of_unowned[i])) {
      scan.unowned.push_back(std::move(earlier.scan.unowned[i]));
      parts.of_unowned.push_back(old_component[old_parts.of_unowned[i]]);
    }
  for (std::size_t i = 0; i < partial.scan.unowned.size(); ++i) {
    scan.unowned.push_back(std::move(partial.scan.unowned[i]));
    parts.of_unowned.push_back(offset + new_parts.of_unowned[i]);
  }
  sort_unowned(scan.unowned, parts.of_unowned);

  // Problems of the whole scan come from the partial one (it listed every root again); the
  // graph's and the duplicate check's are made again by graph::complete_scan().
  std::vector<std::pair<Problem, std::int32_t>> problems;
  for (std::size_t i = 0; i < earlier.scan.problems.size(); ++i)
    if (kept(old_parts.of_problem[i]))
      problems.emplace_back(std::move(earlier.scan.problems[i]),
                            old_component[old_parts.of_problem[i]]);
  for (std::size_t i = 0; i < partial.scan.problems.size(); ++i) {
    const std::int32_t component = new_parts.of_problem[i];
    if (component == ScanParts::kDerived) continue;
    problems.emplace_back(std::move(partial.scan.problems[i]),
                          component >= 0 ? offset + component : component);
  }
  std::stable_sort(problems.begin(), problems.end(),
                   [](const auto& a, const auto& b) { return problem_order(a.first, b.first); });
  for (auto& [problem, component] : problems) {
    scan.problems.push_back(std::move(problem));
    parts.of_problem.push_back(component);
  }

  // Totals: the components' sums, and the roots' own directory entries.
  Totals& totals = scan.totals;
  for (const Size& root : new_parts.root_directories) totals.directories += root;
  Size files;
  for (const ScanComponent& component : parts.components) {
    files += component.files;
    totals.directories += component.directories;
    totals.owned += component.owned;
    totals.unowned += component.unowned;
    totals.shared += component.shared;
    totals.outside += component.outside;
  }
  totals.all = files;
  totals.all += totals.directories;

  // Stamps: the partial scan's, and the earlier ones of every kept entry (they were checked).
  std::vector<std::unordered_set<std::string>> kept_entries(merged.roots.size());
  for (std::size_t c = 0; c < old_parts.components.size(); ++c)
    if (plan.keep[c])
      for (const auto& [root, entry] : parts.components[old_component[c]].entries)
        kept_entries[root].insert(entry);
  auto kept_stamp = [&](std::size_t root, const DirectoryStamp& stamp) {
    return !stamp.path.empty() &&
           kept_entries[root].contains(std::string(top_entry_of(stamp.path)));
  };
  merged.directory_stamps = std::move(partial.directory_stamps);
  merged.file_stamps = std::move(partial.file_stamps);
  for (std::size_t root = 0; root < merged.roots.size(); ++root) {
    for (DirectoryStamp& stamp : earlier.directory_stamps[root])
      if (kept_stamp(root, stamp)) merged.directory_stamps[root].push_back(std::move(stamp));
    for (DirectoryStamp& stamp : earlier.file_stamps[root])
      if (kept_stamp(root, stamp)) merged.file_stamps[root].push_back(std::move(stamp));
  }
  parts.root_directories = std::move(new_parts.root_directories);
  return merged;
}

}  // namespace pkgsizer::scan
