// Kind "leftover": a distribution's metadata twice, metadata without files, files nobody
// claims (left by a removed distribution, or caches).
#include <fmt/format.h>

#include <filesystem>
#include <map>
#include <unordered_set>

#include "packaging/version.hpp"
#include "recommend/context.hpp"

namespace pkgsizer::recommend {
namespace {

std::string entry_of(const std::string& metadata_path) {
  return std::filesystem::path(metadata_path).filename().string();
}

// Which of two installs of one name pip would not pick: the older version; for one version,
// the .egg-info beside a .dist-info.
bool less_wanted(const Distribution& a, const Distribution& b) {
  const auto va = packaging::Version::parse(a.version);
  const auto vb = packaging::Version::parse(b.version);
  if (va && vb) {
    if (*va != *vb) return *va < *vb;
  } else if (a.version != b.version) {
    return a.version < b.version;
  }
  return a.metadata_kind != MetadataKind::kDistInfo && b.metadata_kind == MetadataKind::kDistInfo;
}

bool is_cache_entry(const std::string& path) {
  return path == "__pycache__" || path == ".pytest_cache" || path == ".mypy_cache" ||
         path == ".ruff_cache" || (path.size() > 4 && path.substr(path.size() - 4) == ".pyc");
}

// What belongs in site-packages without metadata: path configuration and site hooks.
bool is_expected_unowned(const std::string& path) {
  return (path.size() > 4 && path.substr(path.size() - 4) == ".pth") || path == "README.txt" ||
         path == "sitecustomize.py" || path == "usercustomize.py";
}

class LeftoverFinder {
 public:
  LeftoverFinder(Context& context, Recommendations& out) : context_(context), out_(out) {}

  void run() {
    duplicates();
    metadata_only();
    unowned();
  }

 private:
  const Scan& scan() const { return context_.scan; }

  void duplicates() {
    std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> by_name;
    for (std::size_t i = 0; i < scan().distributions.size(); ++i) {
      const Distribution& dist = scan().distributions[i];
      if (!dist.inherited) by_name[{dist.location, dist.normalized_name}].push_back(i);
    }
    for (auto& [key, indices] : by_name) {
      if (indices.size() < 2) continue;
      std::sort(indices.begin(), indices.end(), [&](std::size_t a, std::size_t b) {
        return less_wanted(scan().distributions[b], scan().distributions[a]);
      });
      const std::size_t kept = indices.front();
      const std::unordered_set<std::string> kept_files(context_.files[kept].paths.begin(),
                                                       context_.files[kept].paths.end());
      for (std::size_t k = 1; k < indices.size(); ++k) add_duplicate(kept, indices[k], kept_files);
    }
  }

  // Removing the unwanted metadata frees its own directory (or file), nothing else: the package
  // files stay for the install that is kept.
  void add_duplicate(std::size_t kept, std::size_t other,
                     const std::unordered_set<std::string>& kept_files) {
    const Distribution& a = scan().distributions[kept];
    const Distribution& b = scan().distributions[other];
    const std::string entry = entry_of(b.metadata_path);
    Size size;
    for (const std::string& path : context_.files[other].paths)
      if ((path == entry || path.rfind(entry + "/", 0) == 0) && kept_files.count(path) == 0)
        size += file_size(b.location + "/" + path);
    Finding finding;
    finding.kind = FindingKind::kLeftover;
    finding.certainty = Certainty::kLikely;
    finding.distributions = {b.name};
    finding.bytes = size;
    finding.title = fmt::format("{} is installed twice ({} and {})", a.name,
                                entry_of(a.metadata_path), entry_of(b.metadata_path));
    finding.evidence.push_back(fmt::format("{} {} ({}) is what pip and importlib.metadata see",
                                           a.name, a.version, entry_of(a.metadata_path)));
    finding.evidence.push_back(fmt::format("{} {} ({}) is a second copy of the metadata ({} files)",
                                           b.name, b.version, entry, size.file_count));
    finding.action = fmt::format(
        "rm -r {} (then pip install --force-reinstall --no-deps {}=={} if "
        "files are missing)",
        shell_quote(b.metadata_path), a.name, a.version);
    out_.findings.push_back(std::move(finding));
  }

  void metadata_only() {
    for (std::size_t i = 0; i < scan().distributions.size(); ++i) {
      const Distribution& dist = scan().distributions[i];
      if (dist.inherited || dist.metadata_kind != MetadataKind::kDistInfo ||
          dist.files_source != FilesSource::kRecord)
        continue;
      const std::string prefix = entry_of(dist.metadata_path) + "/";
      const auto& paths = context_.files[i].paths;
      const bool only_metadata = std::all_of(paths.begin(), paths.end(), [&](const std::string& p) {
        return p.rfind(prefix, 0) == 0;
      });
      if (!only_metadata) continue;
      Finding finding;
      finding.kind = FindingKind::kLeftover;
      finding.certainty = Certainty::kLikely;
      finding.distributions = {dist.name};
      finding.bytes = dist.size;
      finding.title = fmt::format("{}: metadata without files", dist.name);
      finding.evidence.push_back(
          fmt::format("RECORD of {} lists no file outside its metadata directory",
                      entry_of(dist.metadata_path)));
      finding.action = fmt::format("pip uninstall -y {} (or rm -r {})", dist.name,
                                   shell_quote(dist.metadata_path));
      out_.findings.push_back(std::move(finding));
    }
  }

  void unowned() {
    const std::string site =
        scan().environment.site_packages.empty() ? "" : scan().environment.site_packages.front();
    // Debian's dist-packages: dpkg owns most files, and no Python metadata says so.
    const bool system_directory = std::any_of(
        scan().environment.site_packages.begin(), scan().environment.site_packages.end(),
        [](const std::string& path) { return path.find("dist-packages") != std::string::npos; });
    for (const UnownedEntry& entry : scan().unowned) {
      const std::string name = std::filesystem::path(entry.path).filename().string();
      if (is_expected_unowned(name) || entry.size.file_count == 0) continue;
      std::string stem = name;
      if (stem.size() > 3 && stem.substr(stem.size() - 3) == ".py") stem.resize(stem.size() - 3);
      const std::set<std::size_t> owners = context_.owners.owners_of(stem);
      Finding finding;
      finding.kind = FindingKind::kLeftover;
      finding.bytes = entry.size;
      const std::string full =
          site.empty() || entry.path.front() == '/' ? entry.path : site + "/" + entry.path;
      if (system_directory && !is_cache_entry(name)) {
        finding.certainty = Certainty::kCheck;
        finding.title = fmt::format("files no Python metadata claims: {}", name);
        finding.evidence.push_back(
            "in a system directory, where the OS package manager may own them (dpkg -S)");
        finding.action =
            fmt::format("dpkg -S {} (remove it only if no package owns it)", shell_quote(full));
        out_.findings.push_back(std::move(finding));
        continue;
      }
      if (is_cache_entry(name)) {
        finding.certainty = Certainty::kCertain;
        finding.title = fmt::format("cache in site-packages: {}", name);
        finding.evidence.push_back("no distribution claims it; Python rebuilds caches on demand");
      } else if (!owners.empty()) {
        finding.certainty = Certainty::kCheck;
        finding.title = fmt::format("files nobody claims under {}", name);
        finding.evidence.push_back(fmt::format(
            "{} files under {} are in no distribution's metadata (written at run time, or left by "
            "an older version)",
            entry.size.file_count, name));
      } else {
        finding.certainty = Certainty::kLikely;
        finding.title = fmt::format("left behind: {}", name);
        finding.evidence.push_back(
            fmt::format("no installed distribution claims {} or a module of that name", name));
      }
      finding.action = owners.empty() || is_cache_entry(name)
                           ? fmt::format("rm -r {}", shell_quote(full))
                           : fmt::format("review {}, then remove the files no metadata lists",
                                         shell_quote(full));
      out_.findings.push_back(std::move(finding));
    }
  }

  Context& context_;
  Recommendations& out_;
};

}  // namespace

void find_leftovers(Context& context, Recommendations& out) { LeftoverFinder(context, out).run(); }

}  // namespace pkgsizer::recommend
