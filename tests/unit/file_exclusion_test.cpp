#include <catch2/catch.hpp>

#include "scan/filter.hpp"

using pkgsizer::scan::FileExclusion;

TEST_CASE("FileExclusion matches the path or any tail of it that starts at a slash") {
  const FileExclusion tests{{"tests/*"}};
  CHECK(tests.matches("tests/test_x.py"));
  CHECK(tests.matches("numpy/tests/test_x.py"));
  CHECK(tests.matches("numpy/core/tests/data/a.bin"));
  CHECK_FALSE(tests.matches("numpy/mytests/test_x.py"));
  CHECK_FALSE(tests.matches("numpy/tests"));
  const FileExclusion bytecode{{"*.pyc"}};
  CHECK(bytecode.matches("six.cpython-311.pyc"));
  CHECK(bytecode.matches("numpy/__pycache__/x.cpython-311.pyc"));
  CHECK_FALSE(bytecode.matches("numpy/x.py"));
  CHECK_FALSE(FileExclusion{}.matches("anything"));
}
