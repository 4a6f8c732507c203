#include "recommend/python_imports.hpp"

#include <catch2/catch.hpp>

using namespace pkgsizer::recommend;

namespace {

std::vector<std::string> modules(const std::vector<ImportReference>& found) {
  std::vector<std::string> names;
  names.reserve(found.size());
  for (const ImportReference& reference : found) names.push_back(reference.module);
  return names;
}

const ImportReference& find(const std::vector<ImportReference>& found, const std::string& name) {
  for (const ImportReference& reference : found)
    if (reference.module == name) return reference;
  FAIL("no import of " << name);
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("import statements, with aliases and lists") {
  const auto found = find_imports("import os, sys as system\nimport a.b.c\nfrom x.y import z\n");
  CHECK(modules(found) == std::vector<std::string>{"os", "sys", "a.b.c", "x.y"});
  CHECK(found[2].line == 2);
  CHECK(found[3].line == 3);
  CHECK(found[3].kind == ImportKind::kImport);
}

TEST_CASE("relative imports and __future__ are left out") {
  const auto found = find_imports(
      "from . import local\nfrom ..pkg import thing\nfrom .x import y\n"
      "from __future__ import annotations\nimport real\n");
  CHECK(modules(found) == std::vector<std::string>{"real"});
}

TEST_CASE("strings, docstrings and comments are no imports") {
  const auto found = find_imports(
      "\"\"\"import not_this\nfrom not_that import x\n\"\"\"\ns = 'import nope'\n"
      "t = f\"{x} import nope\"\nr = rb'\\'import nope'\n# import commented\nimport yes\n");
  CHECK(modules(found) == std::vector<std::string>{"yes"});
  CHECK(found[0].line == 8);
}

TEST_CASE("imports inside functions and under TYPE_CHECKING are marked") {
  const auto found = find_imports(
      "from typing import TYPE_CHECKING\n"
      "if TYPE_CHECKING:\n"
      "    import typed_only\n"
      "\n"
      "    # a comment at another indentation\n"
      "    from typed.mod import T\n"
      "else:\n"
      "    import runtime_mod\n"
      "class C:\n"
      "    def method(self):\n"
      "        import in_method\n"
      "    x = 1\n"
      "import top\n"
      "def one(): import same_line\n"
      "if typing.TYPE_CHECKING: import also_typed\n"
      "async def go():\n"
      "    import in_async\n");
  CHECK(find(found, "typed_only").type_only);
  CHECK(find(found, "typed.mod").type_only);
  CHECK_FALSE(find(found, "runtime_mod").type_only);
  CHECK(find(found, "in_method").in_function);
  CHECK_FALSE(find(found, "top").in_function);
  CHECK_FALSE(find(found, "top").type_only);
  CHECK(find(found, "same_line").in_function);
  CHECK(find(found, "also_typed").type_only);
  CHECK(find(found, "in_async").in_function);
  CHECK_FALSE(find(found, "typing").type_only);
}

TEST_CASE("import_module and __import__ with a literal") {
  const auto found = find_imports(
      "importlib.import_module('a.dyn')\n__import__(\"legacy\")\n"
      "importlib.import_module('.relative', package='p')\nimport_module(name)\n"
      "def import_module(x): pass\n");
  CHECK(modules(found) == std::vector<std::string>{"a.dyn", "legacy"});
  CHECK(found[0].kind == ImportKind::kDynamic);
}

TEST_CASE("Django INSTALLED_APPS strings") {
  const auto found = find_imports(
      "INSTALLED_APPS = [\n    'django.contrib.admin',\n    \"rest_framework\",\n    f(x),\n]\n"
      "INSTALLED_APPS += ('extra_app',)\nOTHER = ['not_an_app']\n");
  CHECK(modules(found) ==
        std::vector<std::string>{"django.contrib.admin", "rest_framework", "extra_app"});
  CHECK(found[0].kind == ImportKind::kInstalledApps);
  CHECK(found[1].line == 3);
}

TEST_CASE("continuation lines and brackets keep the logical line") {
  const auto found = find_imports(
      "x = (1,\nimport_module('inside.brackets'))\nimport a \\\n    , b\nfrom c import (\n  d,\n  "
      "e)\n"
      "import after\n");
  CHECK(modules(found) == std::vector<std::string>{"inside.brackets", "a", "b", "c", "after"});
  CHECK(find(found, "after").line == 8);
}

TEST_CASE("statements after a semicolon or a compound header") {
  const auto found = find_imports("x = 1; import after_semicolon\nif x: import after_colon\n");
  CHECK(modules(found) == std::vector<std::string>{"after_semicolon", "after_colon"});
}

TEST_CASE("broken input ends without a crash") {
  CHECK(modules(find_imports("x = \"\"\"\nimport in_unterminated_string")).empty());
  CHECK(modules(find_imports("import")).empty());
  CHECK(modules(find_imports("from")).empty());
  CHECK(modules(find_imports("'unterminated\nimport next_line\n")) ==
        std::vector<std::string>{"next_line"});
  CHECK(modules(find_imports(")))]]\nimport z\n")) == std::vector<std::string>{"z"});
  CHECK(modules(find_imports("import a.\n")) == std::vector<std::string>{"a"});
}

TEST_CASE("dotted names") {
  CHECK(is_dotted_name("a.b_c.d1"));
  CHECK(is_dotted_name("_x"));
  CHECK_FALSE(is_dotted_name(""));
  CHECK_FALSE(is_dotted_name(".a"));
  CHECK_FALSE(is_dotted_name("a..b"));
  CHECK_FALSE(is_dotted_name("a."));
  CHECK_FALSE(is_dotted_name("1a"));
  CHECK_FALSE(is_dotted_name("a-b"));
}
