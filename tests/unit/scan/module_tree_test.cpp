#include "scan/module_tree.hpp"

#include <catch2/catch.hpp>
#include <set>

using namespace pkgsizer;

TEST_CASE("module tree: bytecode counts with its module and is kept apart as bytecode") {
  const std::vector<scan::OwnedFile> files = {
      {"pkg/__init__.py", {100, 4096, 1}},
      {"pkg/__pycache__/__init__.cpython-311.pyc", {30, 4096, 1}},
      {"pkg/core.py", {1000, 4096, 1}},
      {"pkg/__pycache__/core.cpython-311.pyc", {400, 4096, 1}},
      {"pkg/__pycache__/core.cpython-311.opt-1.pyc", {380, 4096, 1}},
      {"pkg/legacy.pyc", {50, 4096, 1}},  // sourceless, beside the package's files
      {"pkg/data.bin", {7, 4096, 1}},
      {"pkg-1.0.dist-info/RECORD", {9, 4096, 1}},
  };
  const std::set<std::string> existing = {"pkg/__init__.py"};
  const auto tree = scan::build_module_tree(
      files, 4, "pkg-1.0.dist-info", [&](const auto& path) { return existing.contains(path); });
  REQUIRE(tree.size() == 1);
  const ModuleNode& pkg = tree[0];
  CHECK(pkg.kind == ModuleKind::kPackage);
  CHECK(pkg.size.apparent_bytes == 1967);
  CHECK(pkg.bytecode.apparent_bytes == 860);
  CHECK(pkg.bytecode.file_count == 4);
  const auto core = std::find_if(pkg.children.begin(), pkg.children.end(),
                                 [](const ModuleNode& node) { return node.name == "core"; });
  REQUIRE(core != pkg.children.end());
  CHECK(core->kind == ModuleKind::kModule);
  CHECK(core->size.apparent_bytes == 1780);
  CHECK(core->bytecode.apparent_bytes == 780);
  CHECK(core->bytecode.file_count == 2);
  // At depth 1 the package holds it all, its bytecode too.
  const auto top = scan::build_module_tree(
      files, 1, "pkg-1.0.dist-info", [&](const auto& path) { return existing.contains(path); });
  REQUIRE(top.size() == 1);
  CHECK(top[0].children.empty());
  CHECK(top[0].bytecode.apparent_bytes == 860);
}
