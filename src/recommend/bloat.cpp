// Kind "bloat": files inside distributions that the program never needs at run time.
#include <fmt/format.h>

#include <map>
#include <set>
#include <unordered_set>

#include "recommend/context.hpp"

namespace pkgsizer::recommend {
namespace {

struct Category {
  std::string_view id;
  std::string_view what;
  Certainty certainty;
};

constexpr Category kTests{"tests", "test suites", Certainty::kLikely};
constexpr Category kTesting{"testing", "testing helpers (other packages may import them)",
                            Certainty::kCheck};
constexpr Category kDocs{"docs", "documentation and examples", Certainty::kLikely};
constexpr Category kHeaders{"headers", "C/C++ headers and static libraries (for building only)",
                            Certainty::kLikely};
constexpr Category kStubs{"stubs", "type stubs (.pyi, for type checkers only)", Certainty::kLikely};
constexpr Category kOtherBytecode{"bytecode", "bytecode of other Python versions",
                                  Certainty::kCertain};
constexpr Category kOptimizedBytecode{"opt-bytecode",
                                      "optimized bytecode (.opt-1/.opt-2.pyc, used only with -O)",
                                      Certainty::kLikely};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// "311" from "3.11.7"; empty when the version is unknown.
std::string version_tag(const std::string& python_version) {
  const std::size_t dot = python_version.find('.');
  if (dot == std::string::npos) return "";
  const std::size_t end = python_version.find('.', dot + 1);
  return python_version.substr(0, dot) + python_version.substr(dot + 1, end - dot - 1);
}

// The directory components of a path, the file name left out.
std::vector<std::string_view> directories_of(std::string_view path) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0, slash; (slash = path.find('/', start)) != std::string_view::npos;
       start = slash + 1)
    parts.push_back(path.substr(start, slash - start));
  return parts;
}

const Category* classify(std::string_view path, const std::string& own_tag) {
  const std::vector<std::string_view> directories = directories_of(path);
  const std::string_view file = path.substr(path.rfind('/') + 1);
  if (!directories.empty() && directories.back() == "__pycache__" && ends_with(file, ".pyc")) {
    const std::size_t tag = file.find(".cpython-");
    if (!own_tag.empty() && tag != std::string_view::npos &&
        file.substr(tag + 9, own_tag.size() + 1) != own_tag + "." &&
        file.substr(tag + 9, own_tag.size() + 1) != own_tag + "-")
      return &kOtherBytecode;
    if (file.find(".opt-1.pyc") != std::string_view::npos ||
        file.find(".opt-2.pyc") != std::string_view::npos)
      return &kOptimizedBytecode;
  }
  // Below the top level only: a top-level "tests" package is a distribution's own content.
  for (std::size_t i = 1; i < directories.size(); ++i) {
    if (directories[i] == "tests" || directories[i] == "test") return &kTests;
    if (directories[i] == "testing") return &kTesting;
    if (directories[i] == "docs" || directories[i] == "doc" || directories[i] == "examples" ||
        directories[i] == "example")
      return &kDocs;
  }
  if (ends_with(file, ".h") || ends_with(file, ".hpp") || ends_with(file, ".hh") ||
      ends_with(file, ".a"))
    return &kHeaders;
  if (ends_with(file, ".pyi")) return &kStubs;
  return nullptr;
}

std::string glob_for(const Category& category, const std::string& top, const std::string& tag) {
  if (category.id == kTests.id) return top + "/**/tests/**";
  if (category.id == kTesting.id) return top + "/**/testing/**";
  if (category.id == kDocs.id) return top + "/**/{docs,doc,examples,example}/**";
  if (category.id == kHeaders.id) return top + "/**/*.{h,hpp,hh,a}";
  if (category.id == kStubs.id) return top + "/**/*.pyi";
  if (category.id == kOtherBytecode.id)
    return fmt::format("{}/**/__pycache__/*.pyc (not *.cpython-{}*)", top, tag);
  return top + "/**/__pycache__/*.opt-[12].pyc";
}

std::string action_for(const Category& category, const std::string& root, const std::string& tag) {
  const std::string q = shell_quote(root);
  if (category.id == kTests.id)
    return fmt::format(
        "find {} -mindepth 2 -type d \\( -name tests -o -name test \\) -prune -exec rm -rf {{}} +",
        q);
  if (category.id == kTesting.id)
    return fmt::format("find {} -mindepth 2 -type d -name testing -prune -exec rm -rf {{}} +", q);
  if (category.id == kDocs.id)
    return fmt::format(
        "find {} -mindepth 2 -type d \\( -name docs -o -name doc -o -name examples -o -name "
        "example \\) -prune -exec rm -rf {{}} +",
        q);
  if (category.id == kHeaders.id)
    return fmt::format(
        "find {} -type f \\( -name '*.h' -o -name '*.hpp' -o -name '*.hh' -o -name '*.a' \\) "
        "-delete",
        q);
  if (category.id == kStubs.id) return fmt::format("find {} -type f -name '*.pyi' -delete", q);
  if (category.id == kOtherBytecode.id)
    return fmt::format(
        "find {} -path '*/__pycache__/*.pyc' ! -name '*.cpython-{}*' -delete (or pip install "
        "--no-compile)",
        q, tag);
  return fmt::format("find {} -name '*.opt-[12].pyc' -delete", q);
}

struct Matched {
  Size size;
  std::set<std::string> tops;
};

}  // namespace

void find_bloat(Context& context, Recommendations& out) {
  const Scan& scan = context.scan;
  const std::string tag = version_tag(scan.environment.python_version);
  // A file two installs claim (a .dist-info and an .egg-info of one name) is counted once.
  std::unordered_set<std::string> counted;
  for (std::size_t i = 0; i < scan.distributions.size(); ++i) {
    const Distribution& dist = scan.distributions[i];
    if (dist.inherited || context.removed.count(i) > 0) continue;
    std::map<std::string_view, std::pair<const Category*, Matched>> matched;
    for (const std::string& path : context.files[i].paths) {
      const Category* category = classify(path, tag);
      if (!category || !counted.insert(dist.location + "/" + path).second) continue;
      auto& [kept_category, found] = matched[category->id];
      kept_category = category;
      found.size += file_size(dist.location + "/" + path);
      found.tops.insert(path.substr(0, path.find('/')));
    }
    for (const auto& [id, entry] : matched) {
      const auto& [category, found] = entry;
      Finding finding;
      finding.kind = FindingKind::kBloat;
      finding.certainty = category->certainty;
      finding.distributions = {dist.name};
      finding.bytes = found.size;
      finding.title = fmt::format("{}: {}", dist.name, category->what);
      std::vector<std::string> globs;
      std::vector<std::string> actions;
      for (const std::string& top : found.tops) {
        globs.push_back(glob_for(*category, top, tag));
        actions.push_back(action_for(*category, dist.location + "/" + top, tag));
      }
      finding.glob = fmt::format("{}", fmt::join(globs, " "));
      finding.action = fmt::format("{}", fmt::join(actions, "; "));
      finding.evidence.push_back(fmt::format("{} files listed by {}'s metadata match {}",
                                             found.size.file_count, dist.name, finding.glob));
      out.findings.push_back(std::move(finding));
    }
  }
}

}  // namespace pkgsizer::recommend
