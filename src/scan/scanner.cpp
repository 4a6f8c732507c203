#include "scan/scanner.hpp"

#include <dirent.h>
#include <fmt/format.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "metadata/distribution_reader.hpp"
#include "pkgsizer/version.hpp"
#include "scan/components.hpp"
#include "scan/conda_distributions.hpp"
#include "scan/file_index.hpp"
#include "scan/module_tree.hpp"
#include "scan/walker.hpp"
#include "util/phase_clock.hpp"
#include "util/utc_time.hpp"

namespace pkgsizer::scan {
namespace {

using metadata::InstalledDistribution;

constexpr int kNoOwner = -1;

// The distributions' metadata entries of a root, from its walk's listing, in name order.
std::vector<std::string> metadata_entries(const WalkResult& walk,
                                          const std::unordered_set<std::string>* scope) {
  std::vector<std::string> entries;
  for (const std::string& entry : walk.root_entries)
    if (metadata::is_metadata_entry(entry) && (!scope || scope->contains(entry)))
      entries.push_back(entry);
  std::sort(entries.begin(), entries.end());
  return entries;
}

// What a partial scan walked, to tell a file it did not walk from a missing one.
class ScopeCheck {
 public:
  // `listed`: per root, every entry in it (walked or not).
  ScopeCheck(const ScanOptions& options, const std::vector<std::unordered_set<std::string>>& listed)
      : scope_(options.scope), listed_(listed) {}
  bool partial() const { return scope_ != nullptr; }
  const std::unordered_set<std::string>* walked(int root) const {
    return scope_ ? &(*scope_)[root] : nullptr;
  }
  // True when `entry` of `root` exists but was not walked.
  bool unwalked(int root, std::string_view entry) const {
    if (!scope_) return false;
    const std::string name(entry);
    return !(*scope_)[root].contains(name) && listed_[root].contains(name);
  }
  const std::unordered_set<std::string>& listed(int root) const { return listed_[root]; }

 private:
  const std::vector<std::unordered_set<std::string>>* scope_;
  const std::vector<std::unordered_set<std::string>>& listed_;
};

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
  std::vector<std::pair<std::uint32_t, std::string>> escapes;  // see ScanParts::escapes
  // Top-level entries of the files it claims that are missing: if such a file appears, its
  // entry changes, and this distribution must be scanned with it (ScanComponent).
  std::vector<std::pair<int, std::string>> missing_entries;
  std::vector<std::string> import_stems;  // the top-level names it claims by name
};

// The files a distribution claims by import name: name/, name.py, name.*.so, and the bytecode
// of a top-level name.py in __pycache__/.
void claim_import_name(const FileIndex& index, const ScopeCheck& scope, int root,
                       const std::string& import_name, Claims& claims) {
  const std::string top = import_name.substr(0, import_name.find('/'));
  const std::string sub_prefix = import_name.size() > top.size() ? import_name + "/" : "";
  claims.import_stems.push_back(top);
  auto matches = [&](const std::string& entry) {
    return entry == top || entry == top + ".py" ||
           (is_extension_module(entry) && entry.compare(0, top.size() + 1, top + ".") == 0);
  };
  if (scope.partial()) {
    for (const std::string& entry : scope.listed(root))
      if (matches(entry) && scope.unwalked(root, entry))
        claims.escapes.emplace_back(static_cast<std::uint32_t>(root), entry);
    if (scope.unwalked(root, "__pycache__"))  // tied to every claim by name (ScanComponent)
      claims.escapes.emplace_back(static_cast<std::uint32_t>(root), "__pycache__");
  }
  for (const std::string& entry : index.entries_with_stem(root, top)) {
    if (!matches(entry)) continue;
    for (FileId id : index.files_under(root, entry))
      if (sub_prefix.empty() || index.file(id).file.path.rfind(sub_prefix, 0) == 0)
        claims.weak_files.push_back(id);
  }
  if (!sub_prefix.empty()) return;
  const std::string bytecode_prefix = "__pycache__/" + top + ".";
  for (FileId id : index.files_under(root, "__pycache__"))
    if (index.file(id).file.path.rfind(bytecode_prefix, 0) == 0) claims.weak_files.push_back(id);
}

Claims collect_claims(const FileIndex& index, const ScopeCheck& scope, int root,
                      const InstalledDistribution& dist, const FileExclusion& excluded) {
  Claims claims;
  auto claim_path = [&](std::string_view path) {
    if (auto plain = index.resolve_plain(root, path)) {
      if (plain->id)
        claims.files.push_back(*plain->id);
      else if (excluded.matches(path))
        return;  // left out on purpose (--exclude-files), not missing
      else if (scope.unwalked(root, top_entry_of(path)))
        claims.escapes.emplace_back(static_cast<std::uint32_t>(root), top_entry_of(path));
      else {
        ++claims.missing;
        claims.missing_entries.emplace_back(root, top_entry_of(path));
      }
    } else {
      claims.deferred_paths.emplace_back(path);
    }
  };
  for (const auto& row : dist.files.record.rows) claim_path(row.path);
  for (const auto& path : dist.files.listed_paths) claim_path(path);
  for (const auto& name : dist.files.import_names)
    claim_import_name(index, scope, root, name, claims);
  // Whatever sits in a distribution's own metadata directory is its own (REQUESTED, caches).
  if (dist.claims_metadata_entry)
    for (FileId id : index.files_under(root, dist.metadata_entry)) claims.files.push_back(id);
  return claims;
}

void add_size(Size& size, const WalkedFile& file) {
  size += Size{file.apparent_bytes, file.disk_bytes, 1};
}

// One scan_trees() run: its phases in order, each a method, sharing what the earlier ones found.
class TreeScan {
 public:
  TreeScan(const Environment& environment, const ScanOptions& options)
      : options_(options),
        roots_(scan_roots(environment, &own_roots_)),
        clock_(options.timings),
        components_(roots_.size()),
        conda_(scans_conda_prefix(environment)) {
    full_.scan.tool_version = kVersion;
    full_.scan.created_at = iso8601_utc();
    full_.scan.environment = environment;
    full_.roots = roots_;
  }

  EnvironmentScan run() {
    walk();
    clock_.lap("walk");
    read_metadata();
    clock_.lap("metadata");
    assign_ownership();
    if (options_.owner_query) answer_owner_query(*options_.owner_query);
    clock_.lap("ownership");
    split_components();
    clock_.lap("components");
    sum_distributions();
    clock_.lap("sizes");
    sum_totals();
    clock_.lap("totals");
    if (options_.scope) return std::move(full_);  // module trees are never asked of a part
    if (options_.module_depth > 0 && !conda_) {
      build_module_trees();
      clock_.lap("modules");
    }
    return std::move(full_);
  }

 private:
  // 1. Walk every tree (in a partial scan, only the entries in scope) and index the files.
  void walk() {
    for (std::size_t root = 0; root < roots_.size(); ++root) {
      WalkOptions walk_options{options_.follow_symlinks, options_.threads, options_.files_seen,
                               options_.scope ? &(*options_.scope)[root] : nullptr};
      WalkResult& walk = walks_.emplace_back(walk_tree(roots_[root], walk_options));
      if (!options_.exclude_files.empty())
        std::erase_if(walk.files, [&](const WalkedFile& file) {
          return options_.exclude_files.matches(file.path);
        });
      for (Problem& problem : walk.problems) full_.scan.problems.push_back(std::move(problem));
      full_.scan.totals.directories += walk.directories;
      full_.directory_stamps.push_back(std::move(walk.directory_stamps));
      full_.file_stamps.push_back(std::move(walk.root_file_stamps));
      full_.parts.root_directories.push_back(walk.root_directory);
    }
    for (const WalkResult& walk : walks_)
      listed_.emplace_back(walk.root_entries.begin(), walk.root_entries.end());
    scope_.emplace(options_, listed_);
    index_.emplace(roots_, walks_);
  }

  // 2. Every distribution's metadata, and what it claims resolved to files (plain paths in
  //    parallel; RECORD rows are dropped as soon as they are resolved, to keep memory flat).
  void read_metadata() {
    if (conda_) {
      read_conda_metadata();
      return;
    }
    const FileIndex& index = *index_;
    std::vector<std::string> entries;
    for (std::size_t root = 0; root < roots_.size(); ++root)
      for (std::string& entry : metadata_entries(walks_[root], scope_->walked(root))) {
        entries.push_back(std::move(entry));
        dist_root_.push_back(static_cast<int>(root));
      }
    dists_.resize(entries.size());
    claims_.resize(entries.size());
    tbb::parallel_for(std::size_t{0}, entries.size(), [&](std::size_t d) {
      dists_[d] = metadata::read_distribution(roots_[dist_root_[d]], entries[d]);
      dists_[d].info.inherited = static_cast<std::size_t>(dist_root_[d]) >= own_roots_;
      claims_[d] = collect_claims(index, *scope_, dist_root_[d], dists_[d], options_.exclude_files);
      dists_[d].files = {};
    });
    resolve_deferred_claims();
  }

  // 2'. A conda prefix (the one root): its package records and the Python distributions no
  //     record lists, each claim relative to the prefix (scan/conda_distributions.hpp).
  void read_conda_metadata() {
    dists_ = read_conda_distributions(full_.scan.environment, full_.scan.problems);
    dist_root_.assign(dists_.size(), 0);
    claims_.resize(dists_.size());
    tbb::parallel_for(std::size_t{0}, dists_.size(), [&](std::size_t d) {
      claims_[d] = collect_claims(*index_, *scope_, 0, dists_[d], options_.exclude_files);
      dists_[d].files = {};
    });
    resolve_deferred_claims();
  }

  void resolve_deferred_claims() {
    FileIndex& index = *index_;
    for (std::size_t d = 0; d < dists_.size(); ++d) {
      Claims& claims = claims_[d];
      for (const std::string& path : claims.deferred_paths) {
        const FileIndex::Resolution resolution = index.resolve(dist_root_[d], path);
        if (resolution.id) {
          claims.files.push_back(*resolution.id);
        } else if (resolution.in_tree &&
                   scope_->unwalked(resolution.in_tree->first,
                                    top_entry_of(resolution.in_tree->second))) {
          claims.escapes.emplace_back(static_cast<std::uint32_t>(resolution.in_tree->first),
                                      top_entry_of(resolution.in_tree->second));
        } else if (resolution.in_tree &&
                   options_.exclude_files.matches(resolution.in_tree->second)) {
          continue;  // left out on purpose (--exclude-files), not missing
        } else {
          ++claims.missing;
          if (resolution.in_tree)
            claims.missing_entries.emplace_back(resolution.in_tree->first,
                                                top_entry_of(resolution.in_tree->second));
        }
      }
      for (std::vector<FileId>* ids : {&claims.files, &claims.weak_files}) {
        for (FileId& id : *ids) id = index.canonical(id);
        std::sort(ids->begin(), ids->end());
        ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
      }
      for (auto& escape : claims.escapes) full_.parts.escapes.push_back(std::move(escape));
    }
  }

  // 3. Ownership; then bytecode compiled after install goes to the owner of its source
  //    (pkg/__pycache__/mod.cpython-311.pyc -> pkg/mod.py), or of its directory.
  void assign_ownership() {
    const FileIndex& index = *index_;
    ownership_.emplace(index.size());
    Ownership& ownership = *ownership_;
    for (std::size_t d = 0; d < dists_.size(); ++d)
      for (FileId id : claims_[d].files) ownership.claim(id, static_cast<int>(d));
    std::vector<bool> claimed_exactly(index.size(), false);
    for (FileId id = 0; id < index.size(); ++id) claimed_exactly[id] = ownership.owned(id);
    for (std::size_t d = 0; d < dists_.size(); ++d) {
      for (FileId id : claims_[d].weak_files)
        if (!claimed_exactly[id]) {
          ownership.claim(id, static_cast<int>(d));
          claims_[d].files.push_back(id);
        }
      claims_[d].weak_files = {};
    }
    // Directory -> owners of the files in it, keyed by (root, relative directory); built on
    // first need.
    std::vector<std::unordered_map<std::string_view, std::vector<int>>> directory_owners(
        roots_.size());
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
      else if (scope_->unwalked(indexed.root, top_entry_of(source)))
        full_.parts.escapes.emplace_back(static_cast<std::uint32_t>(indexed.root),
                                         top_entry_of(source));
      if (owners.empty() && !package_dir.empty()) {
        if (!directory_owners_built) build_directory_owners();
        const auto& by_directory = directory_owners[indexed.root];
        if (auto found = by_directory.find(package_dir); found != by_directory.end())
          owners = found->second;
      }
      for (int owner : owners) {
        ownership.claim(id, owner);
        claims_[owner].files.push_back(id);
      }
    }
  }

  // 3b. Who owns each queried path. The interpreter may name a file through a symbolic link
  //     (lib64/, a linked /tmp): a path under no root as given is tried again resolved.
  void answer_owner_query(OwnerQuery& query) const {
    const FileIndex& index = *index_;
    std::vector<std::string> real_roots;
    for (const std::string& root : roots_) {
      std::error_code error;
      const std::filesystem::path real = std::filesystem::weakly_canonical(root, error);
      real_roots.push_back(error ? root : real.string());
    }
    auto find_in = [&](const std::vector<std::string>& roots,
                       const std::string& path) -> std::optional<FileId> {
      for (std::size_t root = 0; root < roots.size(); ++root) {
        const std::string& base = roots[root];
        if (path.size() > base.size() + 1 && path.compare(0, base.size(), base) == 0 &&
            path[base.size()] == '/')
          if (auto id = index.find(static_cast<int>(root), path.substr(base.size() + 1)))
            return index.canonical(*id);
      }
      return std::nullopt;
    };
    query.owners.assign(query.paths.size(), {});
    for (std::size_t i = 0; i < query.paths.size(); ++i) {
      std::optional<FileId> id = find_in(roots_, query.paths[i]);
      if (!id) {
        std::error_code error;
        const std::filesystem::path real = std::filesystem::weakly_canonical(query.paths[i], error);
        if (!error) id = find_in(real_roots, real.string());
      }
      if (!id) continue;
      for (int owner : ownership_->owners(*id))
        query.owners[i].push_back(static_cast<std::uint32_t>(owner));
    }
  }

  // 4. Components: the entries that claims, shared files and hardlinks tie together.
  void split_components() {
    const FileIndex& index = *index_;
    ScanParts& parts = full_.parts;
    for (std::size_t root = 0; root < roots_.size(); ++root)
      for (const auto& [entry, size] : walks_[root].directories_by_entry)
        if (!entry.empty()) components_.entry(static_cast<int>(root), entry);
    file_node_.resize(index.size());
    for (FileId id = 0; id < index.size(); ++id) file_node_[id] = components_.node_of(index, id);
    for (FileId id = 0; id < index.size(); ++id)
      if (index.canonical(id) != id)
        components_.join(file_node_[id], file_node_[index.canonical(id)]);
    // Besides the files it claims, a distribution is tied to the entries its claims would take
    // files from if they appeared: those of its missing files, and by name.
    std::vector<std::unordered_map<std::string_view, std::vector<std::string_view>>> by_stem(
        roots_.size());
    for (std::size_t root = 0; root < roots_.size(); ++root)
      for (const std::string& entry : walks_[root].root_entries)
        by_stem[root][stem_of_entry(entry)].push_back(entry);
    for (std::size_t d = 0; d < dists_.size(); ++d) {
      const int root = dist_root_[d];
      const int own = components_.entry(root, dists_[d].metadata_entry);
      for (FileId id : claims_[d].files) components_.join(own, file_node_[id]);
      for (const auto& [entry_root, entry] : claims_[d].missing_entries)
        components_.join(own, components_.entry(entry_root, entry));
      for (const std::string& stem : claims_[d].import_stems) {
        if (auto found = by_stem[root].find(stem); found != by_stem[root].end())
          for (std::string_view entry : found->second)
            components_.join(own, components_.entry(root, entry));
        if (auto cache = by_stem[root].find("__pycache__"); cache != by_stem[root].end())
          components_.join(own, components_.entry(root, "__pycache__"));
      }
    }
    node_component_ = components_.number(parts.components, [&](int root, std::string_view entry) {
      return listed_[root].contains(std::string(entry));
    });
    for (std::size_t d = 0; d < dists_.size(); ++d)
      for (const std::string& stem : claims_[d].import_stems)
        parts
            .components[node_component_[components_.entry(dist_root_[d], dists_[d].metadata_entry)]]
            .claimed_stems.emplace_back(static_cast<std::uint32_t>(dist_root_[d]), stem);
    entry_components_.resize(roots_.size());
    for (std::size_t c = 0; c < parts.components.size(); ++c)
      for (const auto& [root, entry] : parts.components[c].entries)
        entry_components_[root].emplace(entry, static_cast<std::int32_t>(c));
    for (std::size_t root = 0; root < roots_.size(); ++root)
      for (const auto& [entry, size] : walks_[root].directories_by_entry)
        if (!entry.empty()) parts.components[entry_components_[root].at(entry)].directories += size;
  }

  // 5. Sizes per distribution.
  void sum_distributions() {
    const FileIndex& index = *index_;
    std::vector<Distribution>& infos = full_.scan.distributions;
    infos.reserve(dists_.size());
    for (std::size_t d = 0; d < dists_.size(); ++d) {
      Distribution& info = dists_[d].info;
      for (FileId id : claims_[d].files) {
        const IndexedFile& indexed = index.file(id);
        add_size(info.size, indexed.file);
        if (indexed.root < 0) info.outside_bytes += indexed.file.apparent_bytes;
        if (ownership_->shared(id)) {
          info.shared_bytes += indexed.file.apparent_bytes;
          ++info.shared_files;
        }
      }
      info.missing_files = claims_[d].missing;
      const std::int32_t component =
          node_component_[components_.entry(dist_root_[d], dists_[d].metadata_entry)];
      full_.parts.of_distribution.push_back(component);
      for (Problem& problem : dists_[d].problems)
        dist_problems_.emplace_back(std::move(problem), component);
      infos.push_back(std::move(info));
    }
  }

  // 6. Totals and component sums, every inode once; shared files kept for the selection's
  //    total; unowned files by top-level entry; problems in a stable order.
  void sum_totals() {
    const FileIndex& index = *index_;
    Scan& scan = full_.scan;
    ScanParts& parts = full_.parts;
    std::map<std::string, std::pair<Size, std::int32_t>> unowned_by_entry;
    for (FileId id = 0; id < index.size(); ++id) {
      if (index.canonical(id) != id) continue;
      const IndexedFile& indexed = index.file(id);
      const std::int32_t component = node_component_[file_node_[id]];
      ScanComponent& part = parts.components[component];
      if (indexed.root >= 0) {
        add_size(scan.totals.all, indexed.file);
        add_size(part.files, indexed.file);
      }
      part.inodes.push_back(indexed.file.inode);
      if (indexed.file.links > 1) part.linked_inodes.push_back(indexed.file.inode);
      if (!ownership_->owned(id)) {
        add_size(scan.totals.unowned, indexed.file);
        add_size(part.unowned, indexed.file);
        auto& [size, of_entry] =
            unowned_by_entry[indexed.root >= 0
                                 ? roots_[indexed.root] + "/" + std::string(indexed.top_entry)
                                 : indexed.file.path];
        add_size(size, indexed.file);
        of_entry = component;
        continue;
      }
      add_size(scan.totals.owned, indexed.file);
      add_size(part.owned, indexed.file);
      if (indexed.root < 0) {
        add_size(scan.totals.outside, indexed.file);
        add_size(part.outside, indexed.file);
        part.outside_paths.push_back(indexed.file.path);
      }
      if (ownership_->shared(id)) {
        add_size(scan.totals.shared, indexed.file);
        add_size(part.shared, indexed.file);
        SharedFile shared{{indexed.file.apparent_bytes, indexed.file.disk_bytes, 1}, {}};
        for (int owner : ownership_->owners(id))
          shared.owners.push_back(static_cast<std::uint32_t>(owner));
        full_.shared_files.push_back(std::move(shared));
        parts.of_shared.push_back(component);
      }
    }
    scan.totals.all += scan.totals.directories;
    for (ScanComponent& part : parts.components) std::sort(part.inodes.begin(), part.inodes.end());
    for (auto& [path, entry] : unowned_by_entry) {
      scan.unowned.push_back({path, entry.first});
      parts.of_unowned.push_back(entry.second);
    }
    sort_unowned(scan.unowned, parts.of_unowned);
    // A walk's problem belongs to the entry its path lies in; a distribution's to its component.
    std::vector<std::pair<Problem, std::int32_t>> problems = std::move(dist_problems_);
    for (Problem& problem : scan.problems) {
      const std::int32_t component = component_of_path(roots_, entry_components_, problem.path);
      problems.emplace_back(std::move(problem), component);
    }
    std::sort(problems.begin(), problems.end(),
              [](const auto& a, const auto& b) { return problem_order(a.first, b.first); });
    scan.problems.clear();
    for (auto& [problem, component] : problems) {
      scan.problems.push_back(std::move(problem));
      parts.of_problem.push_back(component);
    }
  }

  // 7. Module trees, for what will be shown.
  void build_module_trees() {
    const FileIndex& index = *index_;
    std::vector<Distribution>& shown = full_.scan.distributions;
    const std::vector<bool> selected = select_distributions(shown, options_.filter);
    for (std::size_t d = 0; d < shown.size(); ++d) {
      if (!selected[d]) continue;
      std::vector<OwnedFile> owned_files;
      for (FileId id : claims_[d].files) {
        const IndexedFile& indexed = index.file(id);
        if (indexed.root == dist_root_[d])
          owned_files.push_back(
              {indexed.file.path, {indexed.file.apparent_bytes, indexed.file.disk_bytes, 1}});
      }
      const int root = dist_root_[d];
      shown[d].modules = build_module_tree(
          owned_files, options_.module_depth, dists_[d].metadata_entry,
          [&](const std::string& path) { return index.find(root, path).has_value(); });
    }
  }

  const ScanOptions& options_;
  std::size_t own_roots_ = 0;  // roots_[own_roots_..] are inherited (system site-packages)
  const std::vector<std::string> roots_;
  PhaseClock clock_;
  EnvironmentScan full_;
  std::vector<WalkResult> walks_;  // their files move into index_
  std::optional<ScopeCheck> scope_;
  std::vector<std::unordered_set<std::string>> listed_;  // per root: every entry in it
  std::optional<FileIndex> index_;
  std::vector<InstalledDistribution> dists_;
  std::vector<int> dist_root_;  // the root each of dists_ is installed in
  std::vector<Claims> claims_;  // what each of dists_ claims, as file ids
  std::vector<std::pair<Problem, std::int32_t>> dist_problems_;  // with their component
  std::optional<Ownership> ownership_;
  Components components_;
  std::vector<int> file_node_;                // the component node of each file
  std::vector<std::int32_t> node_component_;  // the component of each node
  std::vector<std::unordered_map<std::string, std::int32_t>> entry_components_;  // per root
  bool conda_ = false;  // the one root is a conda prefix (read_conda_metadata)
};

}  // namespace

// Two metadata entries of one project in one directory (Debian ships some packages with both a
// .dist-info and an .egg-info): both are listed, and said to be there twice.
void report_duplicates(const std::vector<Distribution>& distributions,
                       std::vector<Problem>& problems) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> entries;
  for (const Distribution& dist : distributions)
    entries[{dist.location, dist.normalized_name}].push_back(dist.metadata_path);
  for (const auto& [key, paths] : entries)
    if (paths.size() > 1)
      problems.push_back({Severity::kWarning, key.first,
                          fmt::format("{} is installed {} times here: {}", key.second, paths.size(),
                                      fmt::join(paths, ", "))});
}

void sort_unowned(std::vector<UnownedEntry>& unowned, std::vector<std::int32_t>& components) {
  std::vector<std::size_t> order(unowned.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const UnownedEntry& x = unowned[a];
    const UnownedEntry& y = unowned[b];
    return x.size.apparent_bytes != y.size.apparent_bytes
               ? x.size.apparent_bytes > y.size.apparent_bytes
               : x.path < y.path;
  });
  std::vector<UnownedEntry> sorted;
  std::vector<std::int32_t> sorted_components;
  for (std::size_t i : order) {
    sorted.push_back(std::move(unowned[i]));
    sorted_components.push_back(components[i]);
  }
  unowned = std::move(sorted);
  components = std::move(sorted_components);
}

bool problem_order(const Problem& a, const Problem& b) {
  return std::tie(a.path, a.message, a.severity, a.kind) <
         std::tie(b.path, b.message, b.severity, b.kind);
}

std::vector<std::string> scan_roots(const Environment& environment, std::size_t* own_roots) {
  std::vector<std::string> roots;
  // A conda environment is measured whole: its packages' files are everywhere in the prefix.
  if (scans_conda_prefix(environment)) {
    if (own_roots) *own_roots = 1;
    return {environment.prefix};
  }
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
  if (own_roots) *own_roots = roots.size();
  for (const std::string& root : environment.inherited_site_packages) add_root(root);
  return roots;
}

EnvironmentScan scan_trees(const Environment& environment, const ScanOptions& options) {
  return TreeScan(environment, options).run();
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

}  // namespace pkgsizer::scan
