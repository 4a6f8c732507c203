#include "scan/module_tree.hpp"

#include <algorithm>
#include <map>
#include <string_view>

namespace pkgsizer::scan {
namespace {

struct Node {
  ModuleKind kind = ModuleKind::kUnknown;
  Size size;
  Size bytecode;
  std::map<std::string, Node> children;
};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Compiled bytecode, whatever directory it is in: by suffix, as the import system finds it
// (importlib.machinery.BYTECODE_SUFFIXES; .pyo before Python 3.5, PEP 488).
bool is_bytecode(std::string_view path) {
  return ends_with(path, ".pyc") || ends_with(path, ".pyo");
}

std::string stem(std::string_view file_name) {
  return std::string(file_name.substr(0, file_name.find('.')));
}

// What a file contributes at one level: ("mod", "module") for mod.py, ("_speedups",
// "extension") for _speedups.cpython-311-x86_64-linux-gnu.so, ("", "") for __init__.py
// (it belongs to the package itself), or (file name, "data").
std::pair<std::string, ModuleKind> classify_file(std::string_view file_name) {
  if (file_name == "__init__.py") return {"", ModuleKind::kUnknown};
  if (ends_with(file_name, ".py") || ends_with(file_name, ".pyi"))
    return {stem(file_name), ModuleKind::kModule};
  if (ends_with(file_name, ".so") || ends_with(file_name, ".pyd"))
    return {stem(file_name), ModuleKind::kExtension};
  return {std::string(file_name), ModuleKind::kData};
}

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

ModuleNode to_module_node(const std::string& name, const Node& node) {
  ModuleNode module{name, node.kind, node.size, {}, node.bytecode};
  for (const auto& [child_name, child] : node.children)
    module.children.push_back(to_module_node(child_name, child));
  std::stable_sort(module.children.begin(), module.children.end(),
                   [](const ModuleNode& a, const ModuleNode& b) {
                     return a.size.apparent_bytes > b.size.apparent_bytes;
                   });
  return module;
}

struct Step {
  std::string name;
  ModuleKind kind = ModuleKind::kUnknown;
};

// The chain of tree nodes a file falls under, at most `depth` deep.
std::vector<Step> steps_for(const std::vector<std::string_view>& parts, int depth,
                            const std::function<bool(const std::string&)>& is_file) {
  std::vector<Step> steps;
  std::string directory;  // relative path of the last directory step
  for (std::size_t level = 0;
       level < parts.size() && steps.size() < static_cast<std::size_t>(depth); ++level) {
    if (parts[level] == "__pycache__" && level + 2 == parts.size()) {
      // Bytecode belongs to the module it was compiled from (PEP 3147); __init__'s to the package.
      const std::string module = stem(parts[level + 1]);
      if (module != "__init__") steps.push_back({module, ModuleKind::kModule});
      break;
    }
    if (level + 1 == parts.size()) {
      auto [name, kind] = classify_file(parts[level]);
      if (!name.empty()) steps.push_back({std::move(name), kind});
      break;
    }
    directory =
        directory.empty() ? std::string(parts[level]) : directory + "/" + std::string(parts[level]);
    steps.push_back({std::string(parts[level]), is_file(directory + "/__init__.py")
                                                    ? ModuleKind::kPackage
                                                    : ModuleKind::kNamespace});
  }
  return steps;
}

}  // namespace

std::vector<ModuleNode> build_module_tree(const std::vector<OwnedFile>& files, int depth,
                                          const std::string& metadata_entry,
                                          const std::function<bool(const std::string&)>& is_file) {
  Node root;
  for (const OwnedFile& file : files) {
    if (file.path.empty() || file.path.front() == '/' || file.path.rfind("../", 0) == 0) continue;
    const std::vector<std::string_view> parts = split(file.path);
    if (parts.front() == metadata_entry) continue;
    Node* node = &root;
    const bool bytecode = is_bytecode(file.path);
    for (Step& step : steps_for(parts, depth, is_file)) {
      Node& child = node->children[step.name];
      // A module and its bytecode meet in one node; a package's kind wins over a module's.
      if (child.kind == ModuleKind::kUnknown || child.kind == ModuleKind::kModule ||
          child.kind == ModuleKind::kData)
        child.kind = step.kind;
      child.size += file.size;
      if (bytecode) child.bytecode += file.size;
      node = &child;
    }
  }
  std::vector<ModuleNode> modules;
  for (const auto& [name, node] : root.children) modules.push_back(to_module_node(name, node));
  std::stable_sort(modules.begin(), modules.end(), [](const ModuleNode& a, const ModuleNode& b) {
    return a.size.apparent_bytes > b.size.apparent_bytes;
  });
  return modules;
}

}  // namespace pkgsizer::scan
