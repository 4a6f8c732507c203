#include "report/deps_tree_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <unordered_map>

#include "packaging/name.hpp"
#include "report/ansi_style.hpp"
#include "util/text.hpp"

namespace pkgsizer::report {
namespace {

class TreeWriter {
 public:
  TreeWriter(const std::vector<Distribution>& distributions, const DependencyTreeOptions& tree,
             const RenderOptions& options)
      : distributions_(distributions), tree_(tree), options_(options) {
    for (std::size_t i = 0; i < distributions.size(); ++i)
      by_name_.try_emplace(distributions[i].normalized_name, i);
  }

  std::string write() {
    std::vector<std::size_t> roots;
    for (const std::string& name : tree_.roots) {
      const auto found = by_name_.find(packaging::normalize_name(name));
      if (found != by_name_.end()) roots.push_back(found->second);
    }
    if (tree_.roots.empty()) {
      for (std::size_t i = 0; i < distributions_.size(); ++i)
        if (tree_.reverse ? distributions_[i].dependencies.empty() : distributions_[i].root)
          roots.push_back(i);
      std::sort(roots.begin(), roots.end(), [&](std::size_t a, std::size_t b) {
        return distributions_[a].cumulative_bytes > distributions_[b].cumulative_bytes;
      });
    }
    for (std::size_t root : roots) {
      std::vector<std::size_t> path{root};
      out_ += label(root) + "\n";
      expanded_.insert(root);
      children(root, "", 1, path);
    }
    return out_;
  }

 private:
  std::string style(const char* code, const std::string& text) const {
    return options_.color ? fmt::format("{}{}{}", code, text, kReset) : text;
  }

  std::string label(std::size_t index) const {
    const Distribution& dist = distributions_[index];
    std::string text =
        fmt::format("{} {}  {}", printable(dist.name), printable(dist.version),
                    style(kCyan, format_size(dist.size.apparent_bytes, options_.units)));
    if (!tree_.reverse && dist.cumulative_bytes != dist.size.apparent_bytes)
      text += style(kDim, fmt::format("  (with deps {})",
                                      format_size(dist.cumulative_bytes, options_.units)));
    return text;
  }

  void children(std::size_t index, const std::string& indent, int level,
                std::vector<std::size_t>& path) {
    struct Child {
      std::string text;
      std::size_t target = static_cast<std::size_t>(-1);
    };
    std::vector<Child> items;
    if (tree_.reverse) {
      for (const std::string& dependent : distributions_[index].required_by)
        if (auto found = by_name_.find(dependent); found != by_name_.end())
          items.push_back({"", found->second});
    } else {
      for (const Dependency& dependency : distributions_[index].dependencies) {
        const auto found = by_name_.find(dependency.normalized_name);
        if (found == by_name_.end()) {
          items.push_back(
              {style(kRed, fmt::format("{} (missing)", printable(dependency.requirement)))});
        } else {
          Child child{"", found->second};
          if (!dependency.satisfied)
            child.text =
                style(kYellow, fmt::format("  (requires {})", printable(dependency.requirement)));
          items.push_back(std::move(child));
        }
      }
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      const bool last = i + 1 == items.size();
      const std::string branch = indent + (last ? "└── " : "├── ");
      const Child& child = items[i];
      if (child.target == static_cast<std::size_t>(-1)) {
        out_ += branch + child.text + "\n";
        continue;
      }
      const std::size_t target = child.target;
      if (std::find(path.begin(), path.end(), target) != path.end()) {
        out_ += branch + printable(distributions_[target].name) + style(kYellow, " (cycle)") + "\n";
        continue;
      }
      if (expanded_.count(target)) {  // a shared dependency: expanded once, above
        out_ += fmt::format("{}{} {}{}\n", branch, printable(distributions_[target].name),
                            printable(distributions_[target].version), style(kDim, " (see above)"));
        continue;
      }
      out_ += branch + label(target) + child.text + "\n";
      expanded_.insert(target);
      if (tree_.depth > 0 && level >= tree_.depth) continue;
      path.push_back(target);
      children(target, indent + (last ? "    " : "│   "), level + 1, path);
      path.pop_back();
    }
  }

  const std::vector<Distribution>& distributions_;
  const DependencyTreeOptions& tree_;
  const RenderOptions& options_;
  std::unordered_map<std::string, std::size_t> by_name_;
  std::set<std::size_t> expanded_;
  std::string out_;
};

}  // namespace

std::string render_dependency_tree(const std::vector<Distribution>& distributions,
                                   const DependencyTreeOptions& tree,
                                   const RenderOptions& options) {
  return TreeWriter(distributions, tree, options).write();
}

std::string render_dependency_problems(const std::vector<Problem>& problems,
                                       const RenderOptions& options) {
  constexpr std::size_t kShown = 20;  // the rest are counted; --json has them all
  std::string out;
  std::size_t count = 0;
  for (const Problem& problem : problems) {
    if (!problem.is_dependency_problem() || count++ >= kShown) continue;
    out += fmt::format("  {} {}\n", options.color ? fmt::format("{}!{}", kYellow, kReset) : "!",
                       problem.message);
  }
  if (count > kShown)
    out += fmt::format("  … and {} more (all of them are in --json output)\n", count - kShown);
  return out.empty() ? out : "\nDependency problems:\n" + out;
}

}  // namespace pkgsizer::report
