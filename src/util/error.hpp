// The one error vocabulary of pkgsizer: an error carries its category (which is what the user
// sees as the exit code, README.md "Exit codes") and a one-line message that already names its
// context (`RECORD of numpy-1.26.4.dist-info, line 12: bad size field 'x'`). Throw it where the
// context is known; `main` catches it once and maps the category with exit_code_for().
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace pkgsizer {

// One value per documented exit code that an error can cause (0 and 1 are results, not errors).
enum class ErrorCategory {
  kUsage,         // 2: a bad option, value or configuration file
  kEnvironment,   // 3: no environment, unreadable or malformed input, index unreachable
  kPartial,       // 4: finished, but some results are partial
  kOutput,        // 5: an output could not be written
  kDependencies,  // 6: --strict dependency problems
  kNotInstalled,  // 7: `why PKG` of a distribution that is not installed
  kStore,         // 8: the history store is damaged, foreign or cannot be written
  kNotFound,      // 9: no such snapshot (or package on an index)
  kInternal,      // 10: a resource limit or a bug
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCategory category, const std::string& message)
      : std::runtime_error(message), category_(category) {}
  ErrorCategory category() const { return category_; }

 private:
  ErrorCategory category_;
};

// The exit code of a category (README.md "Exit codes"); pure, unit-tested.
int exit_code_for(ErrorCategory category);

// "usage", "environment", … : the category's name, for logs and JSON.
std::string_view to_string(ErrorCategory category);

}  // namespace pkgsizer
