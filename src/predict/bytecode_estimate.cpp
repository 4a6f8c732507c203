#include "predict/bytecode_estimate.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <unordered_set>

namespace pkgsizer::predict {
namespace {

// How the models were measured (November 2025, on the development machine):
//
// Corpus: every .py file of two real package directories, 115 MB of source in 11,496 files
// across 118 packages with at least three files (the pyenv 3.11.7 site-packages: boto3,
// botocore, sympy, networkx, pip, setuptools, pygments, pydantic, moto, IPython, ... and
// Debian's /usr/lib/python3/dist-packages). Each of CPython 3.8.18, 3.9.18, 3.10.13, 3.11.7,
// 3.12.1 and 3.13.0 compiled every file in memory — compile(source, path, "exec") and
// importlib._bootstrap_external._code_to_timestamp_pyc(), which is exactly what py_compile
// writes — and recorded (source bytes, pyc bytes). A file a version could not compile was left
// out for that version, as pip leaves it uncompiled. The paths were real site-packages paths
// (~60 characters): co_filename is stored in the .pyc, so a longer venv path adds a few bytes.
//
// A pure ratio fits badly: an empty __init__.py still compiles to ~230-250 bytes, and small
// files have ratios of 2-5 while large ones approach 1.3 (3.11). So the model is linear with a
// per-file constant, chosen by grid search to minimize the median error of package totals:
//
//   version     pyc bytes per file       median   90th pct   whole corpus
//   3.8-3.10    0.80 * py + 450          8.3%     28-30%     -1.4% .. +0.9%
//   3.11        1.22 * py + 650          7.6%     24.5%      -7.7%
//   3.12-3.13   1.14 * py + 450          7.3-7.8% 25-26%     -6%
//
// (aggregate pyc/py ratios: 0.84-0.86 for 3.8-3.10, 1.39 for 3.11, 1.26 for 3.12-3.13). The
// spread between packages is what the source sizes cannot tell: docstrings and comments make
// source without bytecode (pygments' lexers: 0.88 under 3.11), dense code the opposite (sympy:
// 1.86). The corpus total is under-estimated because its biggest packages (sympy, botocore's
// code) are dense. Checked end to end on the wheels ensurepip bundles with 3.11.7, installed
// with pip 23.2.1 into a fresh venv: pip-23.2.1 (491 .py, 5.95 MB) wrote 7,233,791 pyc bytes,
// the model says 7,576,377 (+4.7%); setuptools-65.5.0 (223 .py, 3.17 MB) wrote 4,134,607, the
// model says 4,007,679 (-3.1%).
constexpr PycSizeModel kUpTo310{0.80, 450};
constexpr PycSizeModel kPython311{1.22, 650};
constexpr PycSizeModel kFrom312{1.14, 450};

// Where a member lands, as a key that is equal for two members that install to the same file
// (pip's `installed` map, keyed by destination). PEP 427: `NAME-VER.data/SCHEME/rest` installs
// `rest` into that scheme's directory; purelib and platlib are both site-packages, like the root.
std::string install_key(std::string_view path) {
  const std::size_t first = path.find('/');
  if (first == std::string_view::npos || !path.substr(0, first).ends_with(".data"))
    return std::string(path);
  const std::size_t second = path.find('/', first + 1);
  if (second == std::string_view::npos) return std::string(path);
  const std::string_view scheme = path.substr(first + 1, second - first - 1);
  const std::string_view rest = path.substr(second + 1);
  if (scheme == "purelib" || scheme == "platlib") return std::string(rest);
  return fmt::format("{}:{}", scheme, rest);
}

}  // namespace

PycSizeModel pyc_size_model(std::string_view python_version) {
  const auto fail = [&] {
    throw std::invalid_argument(
        fmt::format("python version '{}' is not like 3.11", python_version));
  };
  unsigned major = 0;
  unsigned minor = 0;
  const char* begin = python_version.data();
  const char* end = begin + python_version.size();
  if (python_version.find('.') == std::string_view::npos && python_version.size() > 1) {
    // pip's spelling without a dot: "311" is 3.11.
    const auto [major_end, major_error] = std::from_chars(begin, begin + 1, major);
    const auto [minor_end, minor_error] = std::from_chars(begin + 1, end, minor);
    if (major_error != std::errc() || minor_error != std::errc() || minor_end != end) fail();
  } else {
    const auto [major_end, major_error] = std::from_chars(begin, end, major);
    if (major_error != std::errc()) fail();
    if (major_end != end) {
      if (*major_end != '.') fail();
      const auto [minor_end, minor_error] = std::from_chars(major_end + 1, end, minor);
      if (minor_error != std::errc() || (minor_end != end && *minor_end != '.')) fail();
    }
  }
  if (major < 3 || (major == 3 && minor <= 10)) return kUpTo310;
  if (major == 3 && minor == 11) return kPython311;
  return kFrom312;
}

std::uint64_t estimate_pyc_bytes(std::uint64_t source_bytes, const PycSizeModel& model) {
  return static_cast<std::uint64_t>(
             std::llround(model.bytes_per_source_byte * static_cast<double>(source_bytes))) +
         model.bytes_per_file;
}

bool is_compiled_on_install(std::string_view member_path) {
  // pip's pyc_source_file_paths(): every installed file whose path ends in ".py" (directories
  // end in '/'). A name that is only ".py" is a hidden file, not a module, but pip compiles it
  // too, so it counts.
  return member_path.ends_with(".py");
}

BytecodeEstimate estimate_bytecode(const std::vector<WheelMemberSize>& members,
                                   const PycSizeModel& model) {
  BytecodeEstimate estimate;
  std::unordered_set<std::string> installed;
  for (const WheelMemberSize& member : members) {
    if (!is_compiled_on_install(member.path)) continue;
    if (!installed.insert(install_key(member.path)).second) continue;
    ++estimate.files;
    estimate.source_bytes += member.size;
    estimate.bytes += estimate_pyc_bytes(member.size, model);
  }
  return estimate;
}

}  // namespace pkgsizer::predict
