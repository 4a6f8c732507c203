#include "predict/bytecode_estimate.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>

using namespace pkgsizer::predict;

TEST_CASE("pyc size models by Python version") {
  const PycSizeModel py311 = pyc_size_model("3.11");
  CHECK(py311.bytes_per_source_byte == Approx(1.22));
  CHECK(py311.bytes_per_file == 650);
  CHECK(pyc_size_model("3.11.7").bytes_per_file == 650);
  CHECK(pyc_size_model("311").bytes_per_file == 650);

  // 3.11's code objects are the largest; before it bytecode was smaller than its source.
  for (const char* version : {"3.8", "3.9", "3.10", "3.7", "3", "2.7"})
    CHECK(pyc_size_model(version).bytes_per_source_byte == Approx(0.80));
  for (const char* version : {"3.12", "3.13", "3.14", "4.0"})
    CHECK(pyc_size_model(version).bytes_per_source_byte == Approx(1.14));

  CHECK_THROWS_AS(pyc_size_model(""), std::invalid_argument);
  CHECK_THROWS_AS(pyc_size_model("three"), std::invalid_argument);
  CHECK_THROWS_AS(pyc_size_model("3.x"), std::invalid_argument);
  CHECK_THROWS_AS(pyc_size_model("3.11b1"), std::invalid_argument);
}

TEST_CASE("one pyc: a per-file constant plus a share of the source") {
  const PycSizeModel model{1.5, 100};
  CHECK(estimate_pyc_bytes(0, model) == 100);  // an empty __init__.py still compiles
  CHECK(estimate_pyc_bytes(1000, model) == 1600);
  CHECK(estimate_pyc_bytes(3, model) == 105);  // 4.5 rounds to nearest (away from zero)
  // Measured with CPython 3.11.7: a 16,000-byte module compiles to about 20 kB.
  CHECK(estimate_pyc_bytes(16000, pyc_size_model("3.11")) == 20170);
}

TEST_CASE("which wheel members pip compiles") {
  CHECK(is_compiled_on_install("requests/__init__.py"));
  CHECK(is_compiled_on_install("six.py"));
  CHECK(is_compiled_on_install("pkg-1.0.data/purelib/extra.py"));
  // pip 23.2 compiles every installed .py, scripts and data files included
  // (bin/__pycache__/tool.cpython-311.pyc).
  CHECK(is_compiled_on_install("pkg-1.0.data/scripts/tool.py"));
  CHECK(is_compiled_on_install("pkg-1.0.data/data/share/pkg/hook.py"));
  CHECK_FALSE(is_compiled_on_install("pkg-1.0.data/scripts/tool"));
  CHECK_FALSE(is_compiled_on_install("pkg/__pycache__/mod.cpython-311.pyc"));
  CHECK_FALSE(is_compiled_on_install("pkg/_speedups.cpython-311-x86_64-linux-gnu.so"));
  CHECK_FALSE(is_compiled_on_install("pkg/py.typed"));
  CHECK_FALSE(is_compiled_on_install("pkg/stubs.pyi"));
  CHECK_FALSE(is_compiled_on_install("pkg/template.py.jinja"));
  CHECK_FALSE(is_compiled_on_install("pkg/sub.py/"));  // a directory entry
  CHECK_FALSE(is_compiled_on_install("pkg/MOD.PY"));
}

TEST_CASE("a wheel's bytecode: .py members only, each installed file once") {
  // The members of a small pure-Python wheel, as its central directory lists them.
  const std::vector<WheelMemberSize> members{
      {"attrs/__init__.py", 1917},
      {"attrs/__init__.pyi", 7198},
      {"attrs/py.typed", 0},
      {"attrs/converters.py", 70},
      {"attrs/exceptions.py", 70},
      {"attrs/empty/__init__.py", 0},
      {"attrs/empty/", 0},
      {"attrs-23.2.0.dist-info/METADATA", 11352},
      {"attrs-23.2.0.dist-info/RECORD", 3460},
      {"attrs-23.2.0.data/scripts/attrs-tool.py", 500},
      {"attrs-23.2.0.data/purelib/attrs/converters.py", 70},  // installs over the root one
      {"attrs-23.2.0.data/platlib/attrs/filters.py", 70},
  };
  const PycSizeModel model{1.0, 100};
  const BytecodeEstimate estimate = estimate_bytecode(members, model);
  CHECK(estimate.files == 6);
  CHECK(estimate.source_bytes == 1917 + 70 + 70 + 0 + 500 + 70);
  CHECK(estimate.bytes == estimate.source_bytes + 6 * 100);

  CHECK(estimate_bytecode({}, model).bytes == 0);
  CHECK(estimate_bytecode({{"lib.so", 1000000}}, model).files == 0);
  // The same relative path under two different schemes is two files.
  CHECK(
      estimate_bytecode({{"p-1.data/data/x.py", 10}, {"p-1.data/scripts/x.py", 10}}, model).files ==
      2);
}
