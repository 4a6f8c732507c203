#include "util/git.hpp"

#include <chrono>

#include "util/subprocess.hpp"

namespace pkgsizer {

std::string git_output(const std::vector<std::string>& arguments) {
  std::vector<std::string> command{"git"};
  command.insert(command.end(), arguments.begin(), arguments.end());
  const ProcessResult result =
      run_process(command, std::chrono::seconds(10), /*quiet_stderr=*/true);
  if (!result.started || result.exit_code != 0) return "";
  std::string output = result.standard_output;
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  return output;
}

GitHead git_head() {
  GitHead head;
  head.commit = git_output({"rev-parse", "--short=12", "HEAD"});
  if (!head.commit.empty()) head.branch = git_output({"rev-parse", "--abbrev-ref", "HEAD"});
  return head;
}

}  // namespace pkgsizer
