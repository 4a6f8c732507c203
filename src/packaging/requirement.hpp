// PEP 508 dependency specifications ('requests[socks] >=2.8, <3 ; python_version >= "3.8"'),
// as found in Requires-Dist, requires.txt and requirements files.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "packaging/marker.hpp"
#include "packaging/specifier.hpp"
#include "util/error.hpp"

namespace pkgsizer::packaging {

// A syntax error: "expected version after '>=' at column 8 in 'foo >= '".
class RequirementError : public Error {
 public:
  RequirementError(std::string problem, std::size_t column, std::string_view text);
  // What went wrong, without the position.
  const std::string& problem() const { return problem_; }
  // 1-based column in the requirement text.
  std::size_t column() const { return column_; }

 private:
  std::string problem_;
  std::size_t column_;
};

struct Requirement {
  std::string name;              // as written; compare with normalize_name()
  std::set<std::string> extras;  // as written
  SpecifierSet specifier;        // empty when any version will do, and for URL requirements
  std::string url;               // after '@'; empty when none
  std::optional<Marker> marker;

  // Throws RequirementError, naming the column and what was expected there.
  static Requirement parse(std::string_view text);

  // The normalized text, in `packaging`'s layout: 'name[a,b]>=1,<2; python_version < "3.8"',
  // 'name @ https://x/y.whl ; sys_platform == "linux"'.
  std::string str() const;
};

}  // namespace pkgsizer::packaging
