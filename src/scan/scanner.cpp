#include "scan/scanner.hpp"

#include <dirent.h>
#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <unordered_map>

#include "graph/dependency_graph.hpp"
#include "metadata/distribution_reader.hpp"
#include "pkgsizer/version.hpp"
#include "scan/file_index.hpp"
#include "scan/module_tree.hpp"
#include "scan/walker.hpp"
#include "util/phase_clock.hpp"
#include "util/utc_time.hpp"

namespace pkgsizer::scan {
namespace {

using metadata::InstalledDistribution;

constexpr int kNoOwner = -1;

std::vector<std::string> metadata_entries(const std::string& root, std::vector<Problem>& problems) {
  std::vector<std::string> entries;
  DIR* directory = ::opendir(root.c_str());
  if (!directory) {
    problems.push_back(
        {"error", root, std::string("cannot read directory: ") + std::strerror(errno)});
    return entries;
  }
  while (const dirent* entry = ::readdir(directory))
    if (metadata::is_metadata_entry(entry->d_name)) entries.emplace_back(entry->d_name);
  ::closedir(directory);
  std::sort(entries.begin(), entries.end());
  return entries;
}

std::string_view file_name_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view parent_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

bool is_extension_module(std::string_view name) {
  return name.ends_with(".so") || name.ends_with(".pyd");
}

// Who owns each file: the first owner inline, further owners (shared files) on the side.
class Ownership {
 public:
  explicit Ownership(std::size_t file_count) : first_(file_count, kNoOwner) {}

  void claim(FileId id, int owner) {
    if (id >= first_.size()) first_.resize(id + 1, kNoOwner);
    if (first_[id] == kNoOwner) {
      first_[id] = owner;
    } else if (first_[id] != owner) {
      auto& more = more_[id];
      if (std::find(more.begin(), more.end(), owner) == more.end()) more.push_back(owner);
    }
  }
  bool owned(FileId id) const { return id < first_.size() && first_[id] != kNoOwner; }
  bool shared(FileId id) const { return more_.count(id) != 0; }
  std::vector<int> owners(FileId id) const {
    if (!owned(id)) return {};
    std::vector<int> all{first_[id]};
    if (auto more = more_.find(id); more != more_.end())
      all.insert(all.end(), more->second.begin(), more->second.end());
    return all;
  }

 private:
  std::vector<int> first_;
  std::unordered_map<FileId, std::vector<int>> more_;
};

struct Claims {
  std::vector<FileId> files;  // canonical ids, sorted, unique
  // Claims by import name (no RECORD or file list): a guess, so they only take files that no
  // exact claim takes. A top_level.txt naming a namespace package ("google") would otherwise
  // swallow every distribution's files under it.
  std::vector<FileId> weak_files;
  std::vector<std::string> deferred_paths;  // need FileIndex::resolve (absolute, ../, ./)
  std::uint64_t missing = 0;
};

// The files a distribution claims by import name: name/, name.py, name.*.so, and the bytecode
// of a top-level name.py in __pycache__/.
void claim_import_name(const FileIndex& index, int root, const std::string& import_name,
                       Claims& claims) {
  const std::string top = import_name.substr(0, import_name.find('/'));
  const std::string sub_prefix = import_name.size() > top.size() ? import_name + "/" : "";
  for (const std::string& entry : index.entries_with_stem(root, top)) {
    const bool matches =
        entry == top || entry == top + ".py" ||
        (is_extension_module(entry) && entry.compare(0, top.size() + 1, top + ".") == 0);
    if (!matches) continue;
    for (FileId id : index.files_under(root, entry))
      if (sub_prefix.empty() || index.file(id).file.path.rfind(sub_prefix, 0) == 0)
        claims.weak_files.push_back(id);
  }
  if (!sub_prefix.empty()) return;
  const std::string bytecode_prefix = "__pycache__/" + top + ".";
  for (FileId id : index.files_under(root, "__pycache__"))
    if (index.file(id).file.path.rfind(bytecode_prefix, 0) == 0) claims.weak_files.push_back(id);
}

Claims collect_claims(const FileIndex& index, int root, const InstalledDistribution& dist) {
  Claims claims;
  auto claim_path = [&](std::string_view path) {
    if (auto plain = index.resolve_plain(root, path)) {
      if (plain->id)
        claims.files.push_back(*plain->id);
      else
        ++claims.missing;
    } else {
      claims.deferred_paths.emplace_back(path);
    }
  };
  for (const auto& row : dist.files.record.rows) claim_path(row.path);
  for (const auto& path : dist.files.listed_paths) claim_path(path);
  for (const auto& name : dist.files.import_names) claim_import_name(index, root, name, claims);
  // Whatever sits in a distribution's own metadata directory is its own (REQUESTED, caches).
  for (FileId id : index.files_under(root, dist.metadata_entry)) claims.files.push_back(id);
  return claims;
}

void add_size(Size& size, const WalkedFile& file) {
  size += Size{file.apparent_bytes, file.disk_bytes, 1};
}

// Two metadata entries of one project in one directory (Debian ships some packages with both a
// .dist-info and an .egg-info): both are listed, and said to be there twice.
void report_duplicates(const std::vector<Distribution>& distributions,
                       std::vector<Problem>& problems) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> entries;
  for (const Distribution& dist : distributions)
    entries[{dist.location, dist.normalized_name}].push_back(dist.metadata_path);
  for (const auto& [key, paths] : entries)
    if (paths.size() > 1)
      problems.push_back({"warning", key.first,
                          fmt::format("{} is installed {} times here: {}", key.second, paths.size(),
                                      fmt::join(paths, ", "))});
}

}  // namespace

EnvironmentScan scan_trees(const Environment& environment, const ScanOptions& options) {
  EnvironmentScan full;
  Scan& scan = full.scan;
  scan.tool_version = kVersion;
  scan.created_at = iso8601_utc();
  scan.environment = environment;

  std::vector<std::string> roots;
  std::size_t own_roots = 0;
  // A directory inside another scanned one is already walked with it: scanning it again would
  // count its files twice.
  auto add_root = [&](const std::string& candidate) {
    for (const std::string& root : roots)
      if (candidate == root || candidate.rfind(root + "/", 0) == 0) return;
    std::erase_if(roots,
                  [&](const std::string& root) { return root.rfind(candidate + "/", 0) == 0; });
    roots.push_back(candidate);
  };
  for (const std::string& root : environment.site_packages) add_root(root);
  own_roots = roots.size();
  for (const std::string& root : environment.inherited_site_packages) add_root(root);

  PhaseClock clock(options.timings);
  // 1. Walk every tree.
  WalkOptions walk_options{options.follow_symlinks, options.threads, options.files_seen};
  std::vector<WalkResult> walks;
  for (const std::string& root : roots) {
    walks.push_back(walk_tree(root, walk_options));
    for (Problem& problem : walks.back().problems) scan.problems.push_back(std::move(problem));
    scan.totals.directories += walks.back().directories;
    full.directory_stamps.push_back(std::move(walks.back().directory_stamps));
  }
  full.roots = roots;
  FileIndex index(roots, walks);

  clock.lap("walk");
  // 2. Every distribution's metadata, and what it claims resolved to files (plain paths in
  //    parallel; RECORD rows are dropped as soon as they are resolved, to keep memory flat).
  std::vector<InstalledDistribution> dists;
  std::vector<int> dist_root;
  std::vector<std::string> entries;
  for (std::size_t root = 0; root < roots.size(); ++root)
    for (std::string& entry : metadata_entries(roots[root], scan.problems)) {
      entries.push_back(std::move(entry));
      dist_root.push_back(static_cast<int>(root));
    }
  dists.resize(entries.size());
  std::vector<Claims> claims(dists.size());
  tbb::parallel_for(std::size_t{0}, entries.size(), [&](std::size_t d) {
    dists[d] = metadata::read_distribution(roots[dist_root[d]], entries[d]);
    dists[d].info.inherited = static_cast<std::size_t>(dist_root[d]) >= own_roots;
    claims[d] = collect_claims(index, dist_root[d], dists[d]);
    dists[d].files = {};
  });
  for (std::size_t d = 0; d < dists.size(); ++d) {
    for (const std::string& path : claims[d].deferred_paths) {
      const FileIndex::Resolution resolution = index.resolve(dist_root[d], path);
      if (resolution.id)
        claims[d].files.push_back(*resolution.id);
      else
        ++claims[d].missing;
    }
    for (std::vector<FileId>* ids : {&claims[d].files, &claims[d].weak_files}) {
      for (FileId& id : *ids) id = index.canonical(id);
      std::sort(ids->begin(), ids->end());
      ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
    }
  }

  clock.lap("metadata");
  // 3. Ownership; then bytecode compiled after install goes to the owner of its source
  //    (pkg/__pycache__/mod.cpython-311.pyc -> pkg/mod.py), or of its directory.
  Ownership ownership(index.size());
  for (std::size_t d = 0; d < dists.size(); ++d)
    for (FileId id : claims[d].files) ownership.claim(id, static_cast<int>(d));
  std::vector<bool> claimed_exactly(index.size(), false);
  for (FileId id = 0; id < index.size(); ++id) claimed_exactly[id] = ownership.owned(id);
  for (std::size_t d = 0; d < dists.size(); ++d) {
    for (FileId id : claims[d].weak_files)
      if (!claimed_exactly[id]) {
        ownership.claim(id, static_cast<int>(d));
        claims[d].files.push_back(id);
      }
    claims[d].weak_files = {};
  }
  // Directory -> owners of the files in it, keyed by (root, relative directory); built on first
  // need.
  std::vector<std::unordered_map<std::string_view, std::vector<int>>> directory_owners(
      roots.size());
  bool directory_owners_built = false;
  auto build_directory_owners = [&] {
    for (FileId other = 0; other < index.size(); ++other) {
      const IndexedFile& owned_file = index.file(other);
      if (owned_file.root < 0 || !ownership.owned(index.canonical(other))) continue;
      auto& list = directory_owners[owned_file.root][parent_of(owned_file.file.path)];
      for (int owner : ownership.owners(index.canonical(other)))
        if (std::find(list.begin(), list.end(), owner) == list.end()) list.push_back(owner);
    }
    directory_owners_built = true;
  };
  for (FileId id = 0; id < index.size(); ++id) {
    const IndexedFile& indexed = index.file(id);
    if (index.canonical(id) != id || ownership.owned(id) || indexed.root < 0) continue;
    const std::string_view path = indexed.file.path;
    const std::string_view pycache_dir = parent_of(path);
    if (!(pycache_dir == "__pycache__" || pycache_dir.ends_with("/__pycache__"))) continue;
    const std::string_view package_dir = parent_of(pycache_dir);
    const std::string_view file_name = file_name_of(path);
    const std::string source = std::string(package_dir) + (package_dir.empty() ? "" : "/") +
                               std::string(file_name.substr(0, file_name.find('.'))) + ".py";
    std::vector<int> owners;
    if (auto source_id = index.find(indexed.root, source))
      owners = ownership.owners(index.canonical(*source_id));
    if (owners.empty() && !package_dir.empty()) {
      if (!directory_owners_built) build_directory_owners();
      const auto& by_directory = directory_owners[indexed.root];
      if (auto found = by_directory.find(package_dir); found != by_directory.end())
        owners = found->second;
    }
    for (int owner : owners) {
      ownership.claim(id, owner);
      claims[owner].files.push_back(id);
    }
  }

  clock.lap("ownership");
  // 4. Sizes per distribution; the dependency graph; what is shown.
  std::vector<Distribution> infos;
  infos.reserve(dists.size());
  for (std::size_t d = 0; d < dists.size(); ++d) {
    Distribution& info = dists[d].info;
    for (FileId id : claims[d].files) {
      const IndexedFile& indexed = index.file(id);
      add_size(info.size, indexed.file);
      if (indexed.root < 0) info.outside_bytes += indexed.file.apparent_bytes;
      if (ownership.shared(id)) {
        info.shared_bytes += indexed.file.apparent_bytes;
        ++info.shared_files;
      }
    }
    info.missing_files = claims[d].missing;
    for (Problem& problem : dists[d].problems) scan.problems.push_back(std::move(problem));
    infos.push_back(std::move(info));
  }
  report_duplicates(infos, scan.problems);
  clock.lap("sizes");
  graph::analyze_dependencies(infos, environment, scan.problems);
  clock.lap("graph");

  // 5. Totals, every inode once; shared files kept for the selection's total.
  std::unordered_map<std::string, Size> unowned_by_entry;
  for (FileId id = 0; id < index.size(); ++id) {
    if (index.canonical(id) != id) continue;
    const IndexedFile& indexed = index.file(id);
    if (indexed.root >= 0) add_size(scan.totals.all, indexed.file);
    if (!ownership.owned(id)) {
      add_size(scan.totals.unowned, indexed.file);
      add_size(unowned_by_entry[indexed.root >= 0
                                    ? roots[indexed.root] + "/" + std::string(indexed.top_entry)
                                    : indexed.file.path],
               indexed.file);
      continue;
    }
    add_size(scan.totals.owned, indexed.file);
    if (indexed.root < 0) add_size(scan.totals.outside, indexed.file);
    if (ownership.shared(id)) {
      add_size(scan.totals.shared, indexed.file);
      SharedFile shared{{indexed.file.apparent_bytes, indexed.file.disk_bytes, 1}, {}};
      for (int owner : ownership.owners(id))
        shared.owners.push_back(static_cast<std::uint32_t>(owner));
      full.shared_files.push_back(std::move(shared));
    }
  }
  scan.totals.all += scan.totals.directories;
  for (auto& [path, size] : unowned_by_entry) scan.unowned.push_back({path, size});
  std::sort(scan.unowned.begin(), scan.unowned.end(),
            [](const UnownedEntry& a, const UnownedEntry& b) {
              return a.size.apparent_bytes != b.size.apparent_bytes
                         ? a.size.apparent_bytes > b.size.apparent_bytes
                         : a.path < b.path;
            });

  clock.lap("totals");
  // 6. Module trees, for what will be shown.
  if (options.module_depth > 0) {
    const std::vector<bool> selected = select_distributions(infos, options.filter);
    for (std::size_t d = 0; d < infos.size(); ++d) {
      if (!selected[d]) continue;
      std::vector<OwnedFile> owned_files;
      for (FileId id : claims[d].files) {
        const IndexedFile& indexed = index.file(id);
        if (indexed.root == dist_root[d])
          owned_files.push_back(
              {indexed.file.path, {indexed.file.apparent_bytes, indexed.file.disk_bytes, 1}});
      }
      const int root = dist_root[d];
      infos[d].modules = build_module_tree(
          owned_files, options.module_depth, dists[d].metadata_entry,
          [&](const std::string& path) { return index.find(root, path).has_value(); });
    }
  }
  scan.distributions = std::move(infos);
  clock.lap("modules");
  return full;
}

Scan select_distributions_view(EnvironmentScan full, const DistributionFilter& filter) {
  Scan& scan = full.scan;
  const std::vector<bool> selected = select_distributions(scan.distributions, filter);
  Size total;
  for (std::size_t d = 0; d < scan.distributions.size(); ++d)
    if (selected[d]) total += scan.distributions[d].size;
  // A file shared by k selected distributions was added k times: keep it once.
  for (const SharedFile& shared : full.shared_files) {
    const auto selected_owners = static_cast<std::uint64_t>(
        std::count_if(shared.owners.begin(), shared.owners.end(),
                      [&](std::uint32_t owner) { return selected[owner]; }));
    if (selected_owners < 2) continue;
    total.apparent_bytes -= (selected_owners - 1) * shared.size.apparent_bytes;
    total.disk_bytes -= (selected_owners - 1) * shared.size.disk_bytes;
    total.file_count -= (selected_owners - 1) * shared.size.file_count;
  }
  scan.totals.selected = total;
  std::vector<Distribution> shown;
  for (std::size_t d = 0; d < scan.distributions.size(); ++d)
    if (selected[d]) shown.push_back(std::move(scan.distributions[d]));
  scan.distributions = std::move(shown);
  scan.totals.distributions = scan.distributions.size();
  std::sort(scan.distributions.begin(), scan.distributions.end(),
            [](const Distribution& a, const Distribution& b) {
              return a.size.apparent_bytes != b.size.apparent_bytes
                         ? a.size.apparent_bytes > b.size.apparent_bytes
                         : a.normalized_name < b.normalized_name;
            });
  return std::move(full.scan);
}

Scan scan_environment(const Environment& environment, const ScanOptions& options) {
  return select_distributions_view(scan_trees(environment, options), options.filter);
}

}  // namespace pkgsizer::scan
