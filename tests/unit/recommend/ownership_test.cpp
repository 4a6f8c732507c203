#include "recommend/ownership.hpp"

#include <catch2/catch.hpp>

using namespace pkgsizer::recommend;

TEST_CASE("module names of installed paths") {
  CHECK(module_name_of("six.py") == "six");
  CHECK(module_name_of("yaml/__init__.py") == "yaml");
  CHECK(module_name_of("numpy/core/_x.cpython-311-x86_64-linux-gnu.so") == "numpy.core._x");
  CHECK(module_name_of("numpy/core/data.txt").empty());
  CHECK(module_name_of("numpy.libs/libgomp.so").empty());
  CHECK(module_name_of("foo-1.0.dist-info/METADATA").empty());
  CHECK(module_name_of("../../../bin/tool").empty());
}

TEST_CASE("import names resolve to the distributions that provide them") {
  ModuleOwners owners;
  owners.add(0, {"yaml/__init__.py", "yaml/reader.py", "_yaml/__init__.py"});
  owners.add(1, {"six.py", "__pycache__/six.cpython-311.pyc"});
  // A namespace package shared by two distributions (PEP 420: no nsroot/__init__.py).
  owners.add(2, {"nsroot/alpha/__init__.py", "nsroot/alpha/x.py"});
  owners.add(3, {"nsroot/beta/__init__.py"});
  owners.add(4, {"google/cloud/storage/__init__.py"});

  CHECK(owners.owners_of("yaml") == std::set<std::size_t>{0});
  CHECK(owners.owners_of("yaml.reader.Reader") == std::set<std::size_t>{0});
  CHECK(owners.owners_of("_yaml") == std::set<std::size_t>{0});
  CHECK(owners.owners_of("six") == std::set<std::size_t>{1});
  CHECK(owners.owners_of("nsroot.alpha.x") == std::set<std::size_t>{2});
  CHECK(owners.owners_of("nsroot.beta") == std::set<std::size_t>{3});
  CHECK(owners.owners_of("nsroot") == std::set<std::size_t>{2, 3});
  CHECK(owners.owners_of("google.cloud.storage.blob") == std::set<std::size_t>{4});
  CHECK(owners.owners_of("google.cloud") == std::set<std::size_t>{4});
  CHECK(owners.owners_of("os").empty());
  CHECK(owners.owners_of("yamlish").empty());
}
