// Asking git about the working directory: `track snapshot` labels a snapshot with the commit.
#pragma once

#include <string>
#include <vector>

namespace pkgsizer {

// The output of `git ARGUMENTS...` without its trailing line ends; "" when git is missing,
// fails (not a repository) or takes more than 10 s. Its standard error is not shown.
std::string git_output(const std::vector<std::string>& arguments);

// The current commit, abbreviated to 12 hex digits, and branch ("HEAD" when detached); both ""
// outside a git repository.
struct GitHead {
  std::string commit;
  std::string branch;
};
GitHead git_head();

}  // namespace pkgsizer
