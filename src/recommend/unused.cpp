// Kind "unused": distributions the project never imports and no used distribution requires.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "graph/paths.hpp"
#include "recommend/context.hpp"

namespace pkgsizer::recommend {
namespace {

// Installers and build tools: nothing imports them, and removing them breaks the environment's
// upkeep, not the program. Never reported unused (docs/recommend.md).
bool is_tooling(const std::string& normalized_name) {
  return normalized_name == "pip" || normalized_name == "setuptools" ||
         normalized_name == "wheel" || normalized_name == "pkgsizer";
}

// Whole-word occurrence of a console script's name in the project's tool files.
bool names_command(const std::string& text, const std::string& command) {
  auto is_word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
  };
  for (std::size_t at = text.find(command); at != std::string::npos;
       at = text.find(command, at + 1)) {
    const bool left = at == 0 || !is_word(text[at - 1]);
    const std::size_t end = at + command.size();
    const bool right = end >= text.size() || !is_word(text[end]);
    if (left && right) return true;
  }
  return false;
}

struct Usage {
  std::vector<std::string> runtime;    // "app/main.py:3"
  std::vector<std::string> type_only;  // under TYPE_CHECKING
  std::vector<std::string> other;      // console script, plugin, the project itself
};

class UnusedFinder {
 public:
  UnusedFinder(Context& context, Recommendations& out)
      : context_(context),
        out_(out),
        project_(*context.options.project),
        dists_(context.scan.distributions),
        usage_(dists_.size()) {}

  void run() {
    record_imports();
    record_other_uses();
    const std::vector<bool> used = close_over_dependencies();
    report_unused(used);
    report_project_checks();
  }

 private:
  static std::string top_of(const std::string& module) {
    return module.substr(0, module.find('.'));
  }

  void record_imports() {
    for (const ProjectImport& item : project_.imports) {
      const ImportReference& reference = item.reference;
      if (project_.local_modules.count(top_of(reference.module)) > 0) continue;
      const std::string where = fmt::format("{}:{}", item.file, reference.line);
      for (const std::size_t owner : context_.owners.owners_of(reference.module)) {
        auto& list = reference.type_only ? usage_[owner].type_only : usage_[owner].runtime;
        list.push_back(where);
      }
    }
  }

  void record_other_uses() {
    bool pytest_used = false;
    for (std::size_t i = 0; i < dists_.size(); ++i)
      if (dists_[i].normalized_name == "pytest" && !usage_[i].runtime.empty()) pytest_used = true;
    for (std::size_t i = 0; i < dists_.size(); ++i) {
      const Distribution& dist = dists_[i];
      const DistributionFileList& files = context_.files[i];
      if (!project_.normalized_name.empty() && dist.normalized_name == project_.normalized_name)
        usage_[i].other.push_back("the project itself");
      if (is_tooling(dist.normalized_name)) usage_[i].other.push_back("installer tooling");
      for (const std::string& command : files.console_scripts)
        if (names_command(project_.tool_text, command)) {
          usage_[i].other.push_back(
              fmt::format("console script '{}' is run by the project", command));
          break;
        }
      if (files.pytest_plugin && pytest_used)
        usage_[i].other.push_back("a pytest plugin (pytest11), loaded when pytest runs");
    }
  }

  bool directly_used(std::size_t i) const {
    return !usage_[i].runtime.empty() || !usage_[i].type_only.empty() || !usage_[i].other.empty();
  }

  bool used_at_run_time(std::size_t i) const {
    return !usage_[i].runtime.empty() || !usage_[i].other.empty();
  }

  // Used: imported, run or loaded, and whatever those require, transitively.
  std::vector<bool> close_over_dependencies() const {
    std::map<std::string, std::size_t> by_name;
    for (std::size_t i = 0; i < dists_.size(); ++i) by_name.emplace(dists_[i].normalized_name, i);
    std::vector<bool> used(dists_.size(), false);
    std::vector<std::size_t> queue;
    for (std::size_t i = 0; i < dists_.size(); ++i)
      if (used_at_run_time(i) || dists_[i].inherited) {
        used[i] = true;
        queue.push_back(i);
      }
    auto use = [&](std::size_t j) {
      if (!used[j]) {
        used[j] = true;
        queue.push_back(j);
      }
    };
    for (std::size_t at = 0; at < queue.size(); ++at) {
      const Distribution& dist = dists_[queue[at]];
      for (const Dependency& dependency : dist.dependencies)
        if (const auto it = by_name.find(dependency.normalized_name); it != by_name.end())
          use(it->second);
      // The extras the project declares it with ("pkg[all]") pull in their requirements too.
      for (const DeclaredDependency& declared : project_.declared)
        if (declared.normalized_name == dist.normalized_name)
          for (const std::string& extra : declared.extras)
            for (const std::size_t j : pulled_by_extra(context_.scan, dist, extra, by_name)) use(j);
    }
    return used;
  }

  std::string declared_at(const std::string& normalized_name) const {
    for (const DeclaredDependency& declared : project_.declared)
      if (declared.normalized_name == normalized_name) return declared.where;
    return "";
  }

  std::vector<std::string> import_names(std::size_t i) const {
    std::vector<std::string> names;
    for (const auto& [name, owners] : context_.owners.claims())
      if (owners.count(i) > 0) names.push_back(name);
    return names;
  }

  void report_unused(const std::vector<bool>& used) {
    std::vector<bool> covered(dists_.size(), false);
    for (std::size_t i = 0; i < dists_.size(); ++i) {
      if (used[i] || !dists_[i].required_by.empty() || !usage_[i].type_only.empty()) continue;
      std::vector<std::size_t> freed = graph::removal_set(dists_, i);
      freed.erase(std::remove_if(freed.begin(), freed.end(),
                                 [&](std::size_t j) {
                                   return used[j] || covered[j] || !usage_[j].type_only.empty();
                                 }),
                  freed.end());
      for (const std::size_t j : freed) covered[j] = true;
      add_finding(freed, Certainty::kLikely, "");
    }
    // Unused distributions that two or more unused ones require: they go when all of those go.
    for (std::size_t i = 0; i < dists_.size(); ++i)
      if (!used[i] && !covered[i] && usage_[i].type_only.empty()) {
        covered[i] = true;
        add_finding({i}, Certainty::kLikely,
                    fmt::format("required only by unused distributions ({})",
                                fmt::join(dists_[i].required_by, ", ")));
      }
    // Imported only for type checking: not needed at run time, needed by the type checker.
    for (std::size_t i = 0; i < dists_.size(); ++i)
      if (!used[i] && !covered[i]) {
        covered[i] = true;
        add_finding({i}, Certainty::kCheck,
                    fmt::format("imported only under TYPE_CHECKING ({}): needed by the type "
                                "checker, not at run time",
                                fmt::join(usage_[i].type_only, ", ")));
      }
  }

  void add_finding(const std::vector<std::size_t>& freed, Certainty certainty,
                   const std::string& extra_evidence) {
    if (freed.empty()) return;
    const Distribution& head = dists_[freed.front()];
    Finding finding;
    finding.kind = FindingKind::kUnused;
    finding.certainty = certainty;
    finding.bytes = distributions_size(context_.scan, freed);
    std::vector<std::string> names;
    for (const std::size_t j : freed) {
      names.push_back(dists_[j].name);
      context_.removed.insert(j);
    }
    finding.distributions = names;
    finding.title = freed.size() == 1
                        ? fmt::format("{} is not used", head.name)
                        : fmt::format("{} is not used (with {} dependencies only it needs)",
                                      head.name, freed.size() - 1);
    const std::vector<std::string> modules = import_names(freed.front());
    finding.evidence.push_back(fmt::format(
        "no import of {} in {} Python files of {}",
        modules.empty() ? std::string("its modules") : fmt::format("{}", fmt::join(modules, ", ")),
        project_.python_files, project_.root));
    if (!extra_evidence.empty()) finding.evidence.push_back(extra_evidence);
    finding.evidence.push_back("no used distribution requires it");
    if (const std::string where = declared_at(head.normalized_name); !where.empty())
      finding.evidence.push_back(fmt::format("declared at {}", where));
    if (freed.size() > 1)
      finding.evidence.push_back(fmt::format("removal frees {} (dominator tree)",
                                             fmt::join(names.begin() + 1, names.end(), ", ")));
    finding.action = fmt::format("pip uninstall -y {}", fmt::join(names, " "));
    out_.findings.push_back(std::move(finding));
  }

  void report_project_checks() {
    std::map<std::string, std::size_t> installed;
    for (std::size_t i = 0; i < dists_.size(); ++i) installed.emplace(dists_[i].normalized_name, i);
    std::set<std::string> declared_names;
    for (const DeclaredDependency& declared : project_.declared) {
      declared_names.insert(declared.normalized_name);
      const auto it = installed.find(declared.normalized_name);
      const bool imported = it != installed.end() && directly_used(it->second);
      if (!imported && declared.normalized_name != project_.normalized_name)
        out_.declared_unused.push_back({declared.requirement, declared.where});
    }
    if (project_.declared.empty()) return;  // nothing declared: every import would be listed
    for (std::size_t i = 0; i < dists_.size(); ++i) {
      const Distribution& dist = dists_[i];
      if (usage_[i].runtime.empty() || declared_names.count(dist.normalized_name) > 0 ||
          dist.normalized_name == project_.normalized_name || dist.inherited)
        continue;
      out_.undeclared.push_back({dist.name, usage_[i].runtime});
    }
  }

  Context& context_;
  Recommendations& out_;
  const Project& project_;
  const std::vector<Distribution>& dists_;
  std::vector<Usage> usage_;
};

}  // namespace

void find_unused(Context& context, Recommendations& out) { UnusedFinder(context, out).run(); }

}  // namespace pkgsizer::recommend
