#include "importtime/profile.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <unordered_map>
#include <utility>

namespace pkgsizer::importtime {
namespace {

TimeStats stats_of(std::vector<std::int64_t> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  // The median of an even count is the mean of the two middle values (rounded down).
  const std::int64_t median =
      values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  return {median, values.front(), values.back()};
}

bool under(const std::string& path, const std::string& directory) {
  return !directory.empty() && path.size() > directory.size() &&
         path.compare(0, directory.size(), directory) == 0 && path[directory.size()] == '/';
}

// Self and cumulative times of one run by module name (cached lines have none).
using RunTimes = std::unordered_map<std::string, std::pair<std::int64_t, std::int64_t>>;

void add_times(const ImportLog& log, RunTimes& times) {
  for (const ImportNode& node : log.nodes)
    if (!node.cached) times.emplace(node.name, std::make_pair(node.self_us, node.cumulative_us));
}

std::int64_t roots_total(const ImportLog& log) {
  std::int64_t total = 0;
  for (std::size_t root : log.roots)
    if (!log.nodes[root].cached) total += log.nodes[root].cumulative_us;
  return total;
}

// Copies a log's tree into the profile, its indices shifted.
void append_tree(const ImportLog& log, bool startup, ImportProfile& profile) {
  const std::size_t offset = profile.modules.size();
  for (const ImportNode& node : log.nodes) {
    ModuleTiming& module = profile.modules.emplace_back();
    module.name = node.name;
    module.startup = startup;
    module.cached = node.cached;
    module.parent = node.parent == kNoParent ? kNoParent : node.parent + offset;
    for (std::size_t child : node.children) module.children.push_back(child + offset);
  }
  for (std::size_t root : log.roots) profile.roots.push_back(root + offset);
  for (const std::string& line : log.other_lines) profile.other_lines.push_back(line);
}

// Marks a namespace package until its submodules are attributed (no distribution has this name:
// it is no valid project name).
constexpr const char* kNamespacePending = " namespace";

class Attributor {
 public:
  Attributor(ImportProfile& profile, const Attribution& attribution)
      : profile_(profile), attribution_(attribution) {}

  void run() {
    for (ModuleTiming& module : profile_.modules) module.distribution = attribute(module);
    // A namespace package (PEP 420) has no file of its own: it goes with the distribution of
    // the first of its submodules that one owns. `import ns.part` imports ns before ns.part,
    // as siblings, so every module is looked at, not its children only.
    for (ModuleTiming& module : profile_.modules) {
      if (module.distribution != kNamespacePending) continue;
      module.distribution = kUnowned;
      const std::string prefix = module.name + ".";
      for (const ModuleTiming& other : profile_.modules)
        if (other.name.starts_with(prefix) &&
            attribution_kind_of(other.distribution) == AttributionKind::kDistribution) {
          module.distribution = other.distribution;
          break;
        }
    }
  }

 private:
  std::string attribute(ModuleTiming& module) {
    const auto origin = attribution_.origins.find(module.name);
    if (origin != attribution_.origins.end()) module.file = origin->second.path;
    if (module.startup) return kStartup;
    if (origin == attribution_.origins.end()) return kNotLoaded;
    const ModuleOrigin& found = origin->second;
    if (found.kind == "built-in" || found.kind == "frozen") return kStdlib;
    if (found.kind == "namespace") return kNamespacePending;
    if (found.kind != "file") return kUnowned;
    if (auto owner = attribution_.owner_of_path.find(found.path);
        owner != attribution_.owner_of_path.end()) {
      versions_[owner->second.first] = owner->second.second;
      return owner->second.first;
    }
    for (const std::string& site : attribution_.site_packages)
      if (under(found.path, site)) return kUnowned;
    for (const std::string& stdlib : attribution_.stdlib_dirs)
      if (under(found.path, stdlib)) return kStdlib;
    return kUnowned;
  }

 public:
  std::map<std::string, std::string> versions_;

 private:
  ImportProfile& profile_;
  const Attribution& attribution_;
};

void summarise_distributions(ImportProfile& profile,
                             const std::map<std::string, std::string>& versions) {
  std::map<std::string, DistributionTiming> by_name;
  std::int64_t all_self = 0;
  const std::vector<std::size_t> order = preorder(profile);
  for (std::size_t index : order) {
    const ModuleTiming& module = profile.modules[index];
    DistributionTiming& dist = by_name[module.distribution];
    if (dist.name.empty()) {
      dist.name = module.distribution;
      dist.kind = attribution_kind_of(dist.name);
      if (auto version = versions.find(dist.name); version != versions.end())
        dist.version = version->second;
      dist.chain = chain_to(profile, index);
    }
    const bool entry = module.parent == kNoParent ||
                       profile.modules[module.parent].distribution != module.distribution;
    if (entry && module.parent != kNoParent) {
      const std::string& importer = profile.modules[module.parent].name;
      if (std::find(dist.importers.begin(), dist.importers.end(), importer) == dist.importers.end())
        dist.importers.push_back(importer);
    }
    if (module.cached) continue;
    ++dist.modules;
    dist.self_us += module.self.median_us;
    if (!module.startup) all_self += module.self.median_us;
    if (entry) dist.cumulative_us += module.cumulative.median_us;
  }
  for (auto& [name, dist] : by_name) {
    dist.share = all_self > 0 && dist.kind != AttributionKind::kStartup
                     ? 100.0 * static_cast<double>(dist.self_us) / static_cast<double>(all_self)
                     : 0.0;
    profile.distributions.push_back(std::move(dist));
  }
  std::sort(profile.distributions.begin(), profile.distributions.end(),
            [](const DistributionTiming& a, const DistributionTiming& b) {
              // The interpreter's start-up last: it is not what the measured code costs.
              const bool a_startup = a.kind == AttributionKind::kStartup;
              const bool b_startup = b.kind == AttributionKind::kStartup;
              if (a_startup != b_startup) return b_startup;
              return a.self_us != b.self_us ? a.self_us > b.self_us : a.name < b.name;
            });
}

// Heavy distributions that a single module of another distribution imports (and that the
// measured code does not import itself): a lazy import there would save their cumulative time.
void find_lazy_candidates(ImportProfile& profile) {
  std::set<std::string> requested;
  for (std::size_t root : profile.roots)
    if (!profile.modules[root].startup) requested.insert(profile.modules[root].distribution);
  const std::int64_t threshold = profile.total.median_us / 100;  // 1% of the total
  for (const DistributionTiming& dist : profile.distributions) {
    if (dist.kind != AttributionKind::kDistribution || requested.contains(dist.name)) continue;
    if (dist.importers.size() != 1 || dist.cumulative_us <= 0 || dist.cumulative_us < threshold)
      continue;
    profile.lazy_candidates.push_back({dist.name, dist.importers.front(), dist.cumulative_us});
  }
  std::sort(profile.lazy_candidates.begin(), profile.lazy_candidates.end(),
            [](const LazyCandidate& a, const LazyCandidate& b) {
              return a.saving_us != b.saving_us ? a.saving_us > b.saving_us
                                                : a.distribution < b.distribution;
            });
  constexpr std::size_t kShown = 10;
  if (profile.lazy_candidates.size() > kShown) profile.lazy_candidates.resize(kShown);
}

constexpr std::array<std::pair<AttributionKind, std::string_view>, 5> kAttributionKindNames = {{
    {AttributionKind::kDistribution, "distribution"},
    {AttributionKind::kStdlib, kStdlib},
    {AttributionKind::kStartup, kStartup},
    {AttributionKind::kUnowned, kUnowned},
    {AttributionKind::kNotLoaded, kNotLoaded},
}};

}  // namespace

std::string_view to_string(AttributionKind kind) {
  for (const auto& [value, name] : kAttributionKindNames)
    if (value == kind) return name;
  return "distribution";
}

std::optional<AttributionKind> attribution_kind_from_string(std::string_view text) {
  for (const auto& [value, name] : kAttributionKindNames)
    if (name == text) return value;
  return std::nullopt;
}

AttributionKind attribution_kind_of(std::string_view name) {
  const std::optional<AttributionKind> kind = attribution_kind_from_string(name);
  return kind && *kind != AttributionKind::kDistribution ? *kind : AttributionKind::kDistribution;
}

std::vector<std::size_t> preorder(const ImportProfile& profile) {
  std::vector<std::size_t> order;
  order.reserve(profile.modules.size());
  std::vector<std::size_t> stack(profile.roots.rbegin(), profile.roots.rend());
  while (!stack.empty()) {
    const std::size_t node = stack.back();
    stack.pop_back();
    order.push_back(node);
    const auto& children = profile.modules[node].children;
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
  return order;
}

std::vector<std::string> chain_to(const ImportProfile& profile, std::size_t module) {
  std::vector<std::string> chain;
  for (std::size_t at = module; at != kNoParent; at = profile.modules[at].parent)
    chain.push_back(profile.modules[at].name);
  std::reverse(chain.begin(), chain.end());
  return chain;
}

ImportProfile build_profile(const std::vector<RunLogs>& runs, const Attribution& attribution) {
  ImportProfile profile;
  if (runs.empty()) return profile;
  profile.runs = static_cast<int>(runs.size());
  append_tree(runs.front().startup, true, profile);
  append_tree(runs.front().measured, false, profile);

  std::vector<RunTimes> times(runs.size());
  std::vector<std::int64_t> totals;
  std::vector<std::int64_t> startups;
  for (std::size_t run = 0; run < runs.size(); ++run) {
    add_times(runs[run].startup, times[run]);
    add_times(runs[run].measured, times[run]);
    totals.push_back(roots_total(runs[run].measured));
    startups.push_back(roots_total(runs[run].startup));
  }
  profile.total = stats_of(totals);
  profile.startup = stats_of(startups);
  for (ModuleTiming& module : profile.modules) {
    if (module.cached) continue;
    std::vector<std::int64_t> self;
    std::vector<std::int64_t> cumulative;
    for (const RunTimes& run : times)
      if (auto found = run.find(module.name); found != run.end()) {
        self.push_back(found->second.first);
        cumulative.push_back(found->second.second);
      }
    module.self = stats_of(std::move(self));
    module.cumulative = stats_of(std::move(cumulative));
  }
  Attributor attributor(profile, attribution);
  attributor.run();
  summarise_distributions(profile, attributor.versions_);
  find_lazy_candidates(profile);
  return profile;
}

}  // namespace pkgsizer::importtime
