#include "docker/analysis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <unordered_map>

#include "graph/dependency_graph.hpp"
#include "metadata/distribution_reader.hpp"
#include "metadata/record.hpp"
#include "packaging/name.hpp"
#include "packaging/version.hpp"

namespace pkgsizer::docker {
namespace {

constexpr std::uint32_t kNoOwner = UINT32_MAX;

struct FinalFile {
  std::uint32_t layer = 0;
  std::uint32_t owner = kNoOwner;  // the number of the distribution that claims it, once known
  std::uint64_t size = 0;
  EntryType type = EntryType::kFile;
};

// path (no leading '/') -> the entry the image shows there now. The paths are views into the
// image's layers (their PathArena), which outlive the analysis: one copy of each path in memory.
using FileTree = std::map<std::string_view, FinalFile, std::less<>>;
// path -> text of the distribution metadata file the image shows there now.
using MetadataState = std::map<std::string, const std::string*, std::less<>>;

std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view parent_of(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
}

bool is_site_directory(std::string_view path) {
  const std::string_view name = base_name(path);
  return name == "site-packages" || name == "dist-packages";
}

// True when `path` needs no resolving: relative, with no empty, "." or ".." component.
bool is_plain_relative(std::string_view path) {
  if (path.empty() || path.front() == '/' || path.back() == '/' || path.back() == '.') return false;
  return path.find("//") == std::string_view::npos && path.find("./") == std::string_view::npos;
}

// "a/b" + "../../bin/x" -> "bin/x" (RECORD rows are relative to site-packages); "" when the
// result leaves the root.
std::string resolve_relative(std::string_view directory, std::string_view relative) {
  // Most rows ("numpy/core/x.py" under a plain site directory) need no resolving: join them.
  if (is_plain_relative(relative) && is_plain_relative(directory)) {
    std::string path;
    path.reserve(directory.size() + 1 + relative.size());
    path.append(directory).append("/").append(relative);
    return path;
  }
  std::vector<std::string_view> parts;
  const auto push = [&](std::string_view text) {
    while (!text.empty()) {
      const std::size_t slash = text.find('/');
      const std::string_view part = text.substr(0, slash);
      text = slash == std::string_view::npos ? std::string_view() : text.substr(slash + 1);
      if (part.empty() || part == ".") continue;
      if (part == "..") {
        if (parts.empty()) return false;
        parts.pop_back();
      } else {
        parts.push_back(part);
      }
    }
    return true;
  };
  if (!relative.empty() && relative.front() == '/') {
    if (!push(relative)) return {};
  } else if (!push(directory) || !push(relative)) {
    return {};
  }
  std::string path;
  for (std::string_view part : parts) {
    if (!path.empty()) path += '/';
    path += part;
  }
  return path;
}

// A distribution's metadata directory seen in a state: "<site>/<name>-<version>.dist-info".
struct DistKey {
  std::string site;
  std::string name;  // normalized
  bool operator<(const DistKey& other) const {
    return std::tie(site, name) < std::tie(other.site, other.name);
  }
};
struct DistDir {
  std::string directory;  // path of the .dist-info / .egg-info
  std::string version;
};

std::pair<std::string, std::string> name_and_version(std::string_view entry) {
  const std::size_t dot = entry.rfind('.');
  const std::string_view stem = entry.substr(0, dot);
  const std::size_t dash = stem.find('-');
  if (dash == std::string_view::npos) return {std::string(stem), ""};
  std::string_view version = stem.substr(dash + 1);
  if (const std::size_t py = version.find("-py"); py != std::string_view::npos)
    version = version.substr(0, py);
  return {std::string(stem.substr(0, dash)), std::string(version)};
}

std::map<DistKey, DistDir> distributions_in(const MetadataState& state) {
  std::map<DistKey, DistDir> found;
  for (const auto& [path, text] : state) {
    std::string_view directory = parent_of(path);
    std::string_view entry = base_name(directory);
    if (!entry.ends_with(".dist-info") && !entry.ends_with(".egg-info")) {
      directory = path;  // a single-file .egg-info
      entry = base_name(path);
      if (!entry.ends_with(".egg-info")) continue;
    }
    const std::string_view site = parent_of(directory);
    if (!is_site_directory(site)) continue;
    const auto [name, version] = name_and_version(entry);
    found[{std::string(site), packaging::normalize_name(name)}] = {std::string(directory), version};
  }
  return found;
}

// The paths a distribution's metadata lists (RECORD, or installed-files.txt), resolved.
std::vector<std::string> listed_paths(const MetadataState& state, const DistDir& dist,
                                      std::string_view site) {
  std::vector<std::string> paths;
  if (const auto record = state.find(dist.directory + "/RECORD"); record != state.end()) {
    const metadata::Record parsed = metadata::parse_record(*record->second);
    for (const metadata::RecordRow& row : parsed.rows)
      if (std::string path = resolve_relative(site, row.path); !path.empty())
        paths.push_back(std::move(path));
  } else if (const auto files = state.find(dist.directory + "/installed-files.txt");
             files != state.end()) {
    std::string_view text = *files->second;
    while (!text.empty()) {
      const std::size_t newline = text.find('\n');
      const std::string_view line = text.substr(0, newline);
      text = newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
      if (std::string path = resolve_relative(dist.directory, line); !path.empty())
        paths.push_back(std::move(path));
    }
  }
  return paths;
}

// The image's final files as metadata::MetadataFiles: scan-env's reader runs on them unchanged.
class ImageFiles final : public metadata::MetadataFiles {
 public:
  ImageFiles(const FileTree& tree, const MetadataState& state) : tree_(tree), state_(state) {}
  std::optional<std::string> read(const std::string& path, bool& missing,
                                  std::string& error) const override {
    const std::string key = strip(path);
    if (const auto text = state_.find(key); text != state_.end()) return *text->second;
    missing = tree_.find(key) == tree_.end();
    if (!missing) error = "not kept from the layer (not a metadata file, or too large)";
    return std::nullopt;
  }
  bool exists(const std::string& path) const override {
    return tree_.find(strip(path)) != tree_.end();
  }
  bool is_directory(const std::string& path) const override {
    const auto found = tree_.find(strip(path));
    if (found != tree_.end()) return found->second.type == EntryType::kDirectory;
    const std::string prefix = strip(path) + "/";
    const auto below = tree_.lower_bound(prefix);
    return below != tree_.end() && below->first.starts_with(prefix);
  }
  std::vector<std::string> list(const std::string& directory) const override {
    std::vector<std::string> names;
    const std::string prefix = strip(directory) + "/";
    for (auto it = tree_.lower_bound(prefix); it != tree_.end() && it->first.starts_with(prefix);
         ++it)
      if (it->first.find('/', prefix.size()) == std::string::npos)
        names.emplace_back(it->first.substr(prefix.size()));
    return names;
  }

 private:
  static std::string strip(const std::string& path) {
    return path.empty() || path.front() != '/' ? path : path.substr(1);
  }
  const FileTree& tree_;
  const MetadataState& state_;
};

// sysconfig.get_platform()'s spelling of an OCI platform: "linux/amd64" -> "linux-x86_64".
std::string python_platform(const std::string& os, const std::string& architecture) {
  if (architecture == "amd64") return os + "-x86_64";
  if (architecture == "arm64") return os + "-aarch64";
  if (architecture == "386") return os + "-i686";
  return os + "-" + architecture;
}

class Analyser {
 public:
  explicit Analyser(const Image& image) : image_(image) {}

  ImageAnalysis run() {
    result_.reference = image_.reference;
    result_.source = image_.source;
    result_.tags = image_.tags;
    result_.platform = image_.os + "/" + image_.architecture +
                       (image_.variant.empty() ? "" : "/" + image_.variant);
    result_.layers.resize(image_.layers.size());
    for (std::size_t i = 0; i < image_.layers.size(); ++i) apply_layer(i);
    for (const auto& [path, file] : tree_)
      if (file.type != EntryType::kDirectory) {
        result_.layers[file.layer].final_bytes += file.size;
        result_.final_bytes += file.size;
      }
    result_.wasted_bytes = result_.total_bytes - result_.final_bytes;
    if (result_.total_bytes > 0)
      result_.efficiency = 1.0 - static_cast<double>(result_.wasted_bytes) /
                                     static_cast<double>(result_.total_bytes);
    build_scan();
    // Layers hashed from their files were hashed while the above ran; nothing is reported
    // before their digests are checked.
    if (image_.pending_digests) {
      const std::vector<std::string> digests =
          image_.pending_digests->wait_and_check(result_.layers.size());
      for (std::size_t i = 0; i < digests.size(); ++i)
        if (!digests[i].empty()) result_.layers[i].digest = digests[i];
    }
    return std::move(result_);
  }

 private:
  // Removes `path`'s entry and everything under it (a whiteout), or only what is under it
  // (an opaque directory), counting what the layer hid.
  void remove_tree(std::string_view path, bool keep_directory, std::size_t layer) {
    if (!keep_directory) {
      if (const auto found = tree_.find(path); found != tree_.end()) {
        hide(found->first, found->second, layer, /*deleted=*/true);
        tree_.erase(found);
      }
    }
    const std::string prefix = std::string(path) + "/";
    auto it = tree_.lower_bound(prefix);
    while (it != tree_.end() && it->first.starts_with(prefix)) {
      hide(it->first, it->second, layer, /*deleted=*/true);
      it = tree_.erase(it);
    }
  }

  void hide(std::string_view path, const FinalFile& file, std::size_t layer, bool deleted) {
    if (const auto found = state_.find(path); found != state_.end()) state_.erase(found);
    if (file.type == EntryType::kDirectory) return;
    LayerAnalysis& analysis = result_.layers[layer];
    if (deleted) ++analysis.files_deleted;
    analysis.hidden_bytes += file.size;
    result_.layers[file.layer].wasted_bytes += file.size;
    if (file.size > 0) hidden_[path] += file.size;
  }

  void apply_layer(std::size_t index) {
    const ImageLayer& source = image_.layers[index];
    const Layer& layer = source.contents;
    LayerAnalysis& analysis = result_.layers[index];
    analysis.index = index;
    analysis.created_by = source.created_by;
    analysis.digest = layer.digest;
    analysis.diff_id = source.diff_id;
    analysis.media_type = source.media_type;
    analysis.compression = layer.compression;
    analysis.stored_bytes = layer.stored_bytes;
    analysis.uncompressed_bytes = layer.uncompressed_bytes;
    hidden_.clear();
    const MetadataState before = state_;
    // Whiteouts hide lower layers only, whatever their place in the tar: an opaque marker may
    // come before its directory's entry (OCI image spec, "Opaque Whiteout").
    for (const std::string& directory : layer.opaque_directories)
      remove_tree(directory, true, index);
    for (const std::string& path : layer.whiteouts) remove_tree(path, false, index);
    for (const LayerEntry& entry : layer.entries) add_entry(entry, index);
    for (const auto& [path, text] : layer.metadata_files)
      if (const auto found = tree_.find(path); found != tree_.end() && found->second.layer == index)
        state_[path] = &text;
    record_changes(before, index, layer);
  }

  void add_entry(const LayerEntry& entry, std::size_t index) {
    LayerAnalysis& analysis = result_.layers[index];
    const bool is_file = entry.type != EntryType::kDirectory;
    if (entry.type == EntryType::kFile) {
      analysis.bytes += entry.size;
      result_.total_bytes += entry.size;
    }
    // An image has far fewer than 2^32 layers (a manifest listing more could not be held).
    const FinalFile now{
        .layer = static_cast<std::uint32_t>(index), .size = entry.size, .type = entry.type};
    const auto [found, inserted] = tree_.try_emplace(entry.path, now);
    if (inserted) {
      if (is_file) ++analysis.files_added;
      return;
    }
    FinalFile& existing = found->second;
    if (existing.layer != index) {
      // A non-directory over a directory hides the directory's contents.
      if (existing.type == EntryType::kDirectory && is_file) remove_tree(entry.path, true, index);
      if (existing.type != EntryType::kDirectory) {
        hide(entry.path, existing, index, /*deleted=*/false);
        ++analysis.files_changed;
      } else if (is_file) {
        ++analysis.files_added;
      }
    } else if (existing.type == EntryType::kFile) {
      result_.total_bytes -= std::min(result_.total_bytes, existing.size);  // a duplicate member
      analysis.bytes -= std::min(analysis.bytes, existing.size);
    }
    existing = now;
  }

  // Which distributions the layer added, upgraded or removed, and their bytes.
  void record_changes(const MetadataState& before, std::size_t index, const Layer& layer) {
    const auto old_dists = distributions_in(before);
    const auto new_dists = distributions_in(state_);
    std::unordered_map<std::string_view, std::uint64_t> layer_files;
    bool layer_files_built = false;
    const auto bytes_in_layer = [&](const DistDir& dist, const std::string& site) {
      if (!layer_files_built) {
        for (const LayerEntry& entry : layer.entries)
          if (entry.type == EntryType::kFile) layer_files[entry.path] = entry.size;
        layer_files_built = true;
      }
      std::uint64_t bytes = 0;
      for (const std::string& path : listed_paths(state_, dist, site))
        if (const auto found = layer_files.find(path); found != layer_files.end())
          bytes += found->second;
      return bytes;
    };
    const auto bytes_hidden = [&](const DistDir& dist, const std::string& site) {
      std::uint64_t bytes = 0;
      for (const std::string& path : listed_paths(before, dist, site))
        if (const auto found = hidden_.find(path); found != hidden_.end()) bytes += found->second;
      return bytes;
    };
    std::vector<DistributionChange>& changes = result_.layers[index].changes;
    for (const auto& entry : new_dists) {
      const DistKey& key = entry.first;
      const DistDir& dist = entry.second;  // not a structured binding: the lambda below uses it
      const auto old = old_dists.find(key);
      const bool touched = std::any_of(
          layer.metadata_files.begin(), layer.metadata_files.end(), [&](const auto& file) {
            return file.first.starts_with(dist.directory + "/") || file.first == dist.directory;
          });
      if (old != old_dists.end() && !touched) continue;
      DistributionChange change;
      change.name = key.name;
      change.version = dist.version;
      change.site_packages = "/" + key.site;
      change.bytes = bytes_in_layer(dist, key.site);
      if (old == old_dists.end()) {
        change.kind = LayerChangeKind::kAdded;
      } else {
        change.previous_version = old->second.version;
        change.hidden_bytes = bytes_hidden(old->second, key.site);
        change.kind = version_change_kind(old->second.version, dist.version);
        note_waste(change, index);
      }
      changes.push_back(std::move(change));
    }
    for (const auto& [key, dist] : old_dists) {
      if (new_dists.count(key) != 0U) continue;
      DistributionChange change;
      change.kind = LayerChangeKind::kRemoved;
      change.name = key.name;
      change.previous_version = dist.version;
      change.site_packages = "/" + key.site;
      change.hidden_bytes = bytes_hidden(dist, key.site);
      note_waste(change, index);
      changes.push_back(std::move(change));
    }
  }

  void note_waste(const DistributionChange& change, std::size_t layer) {
    if (change.hidden_bytes == 0) return;
    result_.waste_by_distribution.push_back(
        {change.name, change.previous_version, layer, change.hidden_bytes});
  }

  void build_scan() {
    Scan& scan = result_.scan;
    scan.environment.kind = EnvironmentKind::kImage;
    scan.environment.prefix = image_.reference;
    scan.environment.platform = python_platform(image_.os, image_.architecture);
    const ImageFiles files(tree_, state_);
    std::map<std::string, std::pair<std::size_t, std::string>> owner;  // path -> (dist, name)
    std::set<std::string> sites;
    const auto dists = distributions_in(state_);
    for (const auto& [key, dist] : dists) sites.insert(key.site);
    for (const std::string& site : sites) {
      scan.environment.site_packages.push_back("/" + site);
      if (scan.environment.python_version.empty())
        if (const std::size_t at = site.find("lib/python"); at != std::string::npos) {
          const std::string rest = site.substr(at + 10);
          scan.environment.python_version = rest.substr(0, rest.find('/'));
          scan.environment.python_version_source = "path";
        }
    }
    for (const auto& [key, dist] : dists) {
      const std::string site = "/" + key.site;
      const std::string inside = key.site + "/";
      metadata::InstalledDistribution read =
          metadata::read_distribution(site, std::string(base_name(dist.directory)), files);
      for (Problem& problem : read.problems) scan.problems.push_back(std::move(problem));
      Distribution info = std::move(read.info);
      const std::size_t number = scan.distributions.size();
      for (const std::string& path : claimed_paths(read, key.site)) {
        const auto found = tree_.find(path);
        if (found == tree_.end() || found->second.type == EntryType::kDirectory) {
          if (found == tree_.end()) ++info.missing_files;
          continue;
        }
        if (found->second.owner == kNoOwner) {
          found->second.owner = static_cast<std::uint32_t>(number);
        } else {
          info.shared_bytes += found->second.size;
          ++info.shared_files;
        }
        info.size += Size{found->second.size, found->second.size, 1};
        if (!path.starts_with(inside)) info.outside_bytes += found->second.size;
      }
      const auto metadata_file = tree_.find(dist.directory + "/METADATA");
      const auto metadata_entry = tree_.find(dist.directory);
      result_.distribution_layer.push_back(
          metadata_file != tree_.end()    ? metadata_file->second.layer
          : metadata_entry != tree_.end() ? metadata_entry->second.layer
                                          : 0);
      scan.distributions.push_back(std::move(info));
    }
    claim_bytecode();
    // The dependency graph as scan-env builds it: compare and check-budget read the same fields.
    graph::analyze_dependencies(scan.distributions, scan.environment, scan.problems);
    std::map<std::string, FileGroup> groups;
    std::vector<std::map<std::string, FileGroup>> layer_groups(result_.layers.size());
    for (const auto& [path, file] : tree_) {
      if (file.type == EntryType::kDirectory) continue;
      const Size size{file.size, file.size, 1};
      scan.totals.all += size;
      if (file.owner != kNoOwner) {
        scan.totals.owned += size;
        continue;
      }
      scan.totals.unowned += size;
      const std::string group = file_group(path);
      for (FileGroup* target : {&groups[group], &layer_groups[file.layer][group]}) {
        target->directory = group;
        target->bytes += file.size;
        ++target->files;
      }
    }
    scan.totals.distributions = scan.distributions.size();
    scan.totals.selected = scan.totals.owned;
    const auto sorted = [](std::map<std::string, FileGroup>& by_name) {
      std::vector<FileGroup> list;
      list.reserve(by_name.size());
      for (auto& [name, group] : by_name) list.push_back(std::move(group));
      std::stable_sort(list.begin(), list.end(),
                       [](const FileGroup& a, const FileGroup& b) { return a.bytes > b.bytes; });
      return list;
    };
    result_.other_files = sorted(groups);
    for (std::size_t i = 0; i < layer_groups.size(); ++i)
      result_.layers[i].other_files = sorted(layer_groups[i]);
  }

  std::vector<std::string> claimed_paths(const metadata::InstalledDistribution& dist,
                                         const std::string& site) {
    std::vector<std::string> paths;
    switch (dist.info.files_source) {
      case FilesSource::kRecord:
        for (const metadata::RecordRow& row : dist.files.record.rows)
          if (std::string path = resolve_relative(site, row.path); !path.empty())
            paths.push_back(std::move(path));
        break;
      case FilesSource::kInstalledFiles:
      case FilesSource::kEggLink:
        for (const std::string& listed : dist.files.listed_paths)
          if (std::string path = resolve_relative(site, listed); !path.empty())
            paths.push_back(std::move(path));
        break;
      default:
        for (const std::string& name : dist.files.import_names) {
          const std::string base = site + "/" + name;
          for (auto it = tree_.lower_bound(base); it != tree_.end() && it->first.starts_with(base);
               ++it) {
            const std::string_view rest = std::string_view(it->first).substr(base.size());
            if (rest.empty() || rest.front() == '/' || rest.front() == '.')
              paths.emplace_back(it->first);
          }
        }
        break;
    }
    return paths;
  }

  // Bytecode compiled after install (python -m compileall in a later layer) goes to the owner
  // of its source: pkg/__pycache__/mod.cpython-311.pyc -> pkg/mod.py, as scan-env does.
  void claim_bytecode() {
    Scan& scan = result_.scan;
    for (auto& [path, file] : tree_) {
      if (file.type != EntryType::kFile || file.owner != kNoOwner) continue;
      const std::string_view cache = parent_of(path);
      if (base_name(cache) != "__pycache__") continue;
      const std::string_view name = base_name(path);
      const std::string source =
          std::string(parent_of(cache)) + "/" + std::string(name.substr(0, name.find('.'))) + ".py";
      const auto owner = tree_.find(source);
      if (owner == tree_.end() || owner->second.owner == kNoOwner) continue;
      file.owner = owner->second.owner;
      scan.distributions[file.owner].size += Size{file.size, file.size, 1};
    }
  }

  const Image& image_;
  ImageAnalysis result_;
  FileTree tree_;
  MetadataState state_;
  std::unordered_map<std::string_view, std::uint64_t> hidden_;  // this layer: path -> bytes hidden
};

}  // namespace

namespace {

constexpr std::array<std::pair<LayerChangeKind, std::string_view>, 5> kLayerChangeKindNames = {{
    {LayerChangeKind::kAdded, "added"},
    {LayerChangeKind::kUpgraded, "upgraded"},
    {LayerChangeKind::kDowngraded, "downgraded"},
    {LayerChangeKind::kReinstalled, "reinstalled"},
    {LayerChangeKind::kRemoved, "removed"},
}};

}  // namespace

std::string_view to_string(LayerChangeKind kind) {
  for (const auto& [value, name] : kLayerChangeKindNames)
    if (value == kind) return name;
  return "unknown";  // only for a value cast from outside the enum
}

std::optional<LayerChangeKind> layer_change_kind_from_string(std::string_view text) {
  for (const auto& [value, name] : kLayerChangeKindNames)
    if (name == text) return value;
  return std::nullopt;
}

LayerChangeKind version_change_kind(std::string_view previous, std::string_view current) {
  const auto before = packaging::Version::parse(previous);
  const auto after = packaging::Version::parse(current);
  const std::strong_ordering order =
      before && after ? *after <=> *before : current.compare(previous) <=> 0;
  if (order > 0) return LayerChangeKind::kUpgraded;
  if (order < 0) return LayerChangeKind::kDowngraded;
  return LayerChangeKind::kReinstalled;
}

std::string file_group(std::string_view path) {
  if (const std::size_t cache = path.find(".cache/pip/"); cache != std::string_view::npos)
    return "/" + std::string(path.substr(0, cache + 10));
  const std::size_t depth = path.starts_with("usr/") ? 3 : 2;
  std::size_t end = 0;
  for (std::size_t i = 0; i < depth; ++i) {
    const std::size_t slash = path.find('/', end == 0 && i == 0 ? 0 : end + 1);
    if (slash == std::string_view::npos) break;
    end = slash;
  }
  if (end == 0) return "/";
  return "/" + std::string(path.substr(0, end));
}

ImageAnalysis analyse_image(const Image& image) {
  Analyser analyser(image);
  return analyser.run();
}

}  // namespace pkgsizer::docker
