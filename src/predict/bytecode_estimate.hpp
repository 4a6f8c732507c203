// How many bytes of bytecode pip writes when it installs a wheel: pip compiles every .py file it
// installs (PEP 3147 __pycache__/NAME.cpython-3X.pyc, default optimization level only). Only the
// sizes of the wheel's members are known before installing, so each .pyc is estimated from its
// source size by a model measured per Python version (see bytecode_estimate.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::predict {

// One member of a wheel, as its zip central directory lists it.
struct WheelMemberSize {
  std::string path;        // as stored: "pkg/mod.py", "pkg-1.0.data/scripts/tool"
  std::uint64_t size = 0;  // uncompressed bytes
};

// pyc bytes ~= bytes_per_source_byte * .py bytes + bytes_per_file.
struct PycSizeModel {
  double bytes_per_source_byte = 0;
  std::uint64_t bytes_per_file = 0;
};

// The model for the bytecode of a CPython version ("3.11", "3.12.1", "311"). Versions up to 3.10
// share one model, 3.12 and later another: 3.11's code objects (exception and location tables)
// are the largest. Throws std::invalid_argument when the text is not a version.
PycSizeModel pyc_size_model(std::string_view python_version);

std::uint64_t estimate_pyc_bytes(std::uint64_t source_bytes, const PycSizeModel& model);

// Whether pip compiles this member when it installs the wheel: every file ending in ".py",
// wherever it is installed — site-packages, but also `*.data/scripts` (bin/__pycache__) and
// `*.data/data`, as pip 23.2 does (it compiles each installed path that ends in ".py").
bool is_compiled_on_install(std::string_view member_path);

struct BytecodeEstimate {
  std::uint64_t bytes = 0;         // estimated .pyc bytes
  std::size_t files = 0;           // .py files that would be compiled
  std::uint64_t source_bytes = 0;  // their .py bytes
};

// The bytecode pip would write for a wheel with these members. A file that a `*.data/purelib`
// or `*.data/platlib` entry installs over a root-level one of the same path is compiled once.
BytecodeEstimate estimate_bytecode(const std::vector<WheelMemberSize>& members,
                                   const PycSizeModel& model);

}  // namespace pkgsizer::predict
