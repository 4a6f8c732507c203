// The requires.txt of an .egg-info directory: setuptools' own layout of a distribution's
// dependencies, turned into PEP 508 requirement strings like those of Requires-Dist.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace pkgsizer::packaging {

// A malformed section header, with its 1-based line number.
class RequiresTxtError : public Error {
 public:
  RequiresTxtError(const std::string& problem, std::size_t line);
  std::size_t line() const { return line_; }

 private:
  std::size_t line_;
};

// Lines before any header are unconditional. Lines under "[extra]" gain '; extra == "extra"',
// under "[:marker]" gain '; marker', under "[extra:marker]" gain '; (marker) and extra ==
// "extra"' (the layout importlib.metadata produces). Blank lines and '#' comments are skipped.
// The requirements themselves are not checked: Requirement::parse does that.
std::vector<std::string> parse_requires_txt(std::string_view text);

}  // namespace pkgsizer::packaging
