#include "cli/completion_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <string>

#include "cli/choice.hpp"
#include "cli/command_tree.hpp"
#include "cli/completion_scripts.hpp"
#include "cli/environment_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/man_page.hpp"
#include "pkgsizer/version.hpp"
#include "util/error.hpp"

namespace pkgsizer::cli {
namespace {

enum class Shell { kBash, kZsh, kFish };

struct CompletionOptions {
  Shell shell = Shell::kBash;
  env::EnvironmentRequest environment;
};

// The distribution name of a metadata directory: "PyYAML-6.0.1.dist-info" → "PyYAML". The
// directory names are escaped (PEP 427, PEP 491: '-' in a name becomes '_'), so the name ends
// at the first '-'. Listing directories is enough here and keeps completion instant: no
// METADATA is read.
std::string name_of_metadata_dir(const std::string& entry) {
  for (const char* suffix : {".dist-info", ".egg-info"}) {
    const std::string tail = suffix;
    if (entry.size() > tail.size() &&
        entry.compare(entry.size() - tail.size(), tail.size(), tail) == 0)
      return entry.substr(0, std::min(entry.find('-'), entry.size() - tail.size()));
  }
  return "";
}

int print_names(CompletionOptions& options) {
  read_environment_variables(options.environment);
  Environment environment;
  try {
    environment = env::locate_environment(options.environment);
  } catch (const env::EnvironmentError& error) {
    throw Error(ErrorCategory::kEnvironment, error.what());
  }
  std::set<std::string> names;
  for (const std::string& directory : environment.site_packages) {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error))
      if (std::string name = name_of_metadata_dir(entry.path().filename().string()); !name.empty())
        names.insert(std::move(name));
  }
  for (const std::string& name : names) fmt::print("{}\n", name);
  return kExitOk;
}

int print_script(const CLI::App& app, Shell shell) {
  const std::vector<CommandSpec> commands = describe_commands(app);
  switch (shell) {
    case Shell::kBash:
      fmt::print("{}", bash_completion(commands));
      break;
    case Shell::kZsh:
      fmt::print("{}", zsh_completion(commands));
      break;
    case Shell::kFish:
      fmt::print("{}", fish_completion(commands));
      break;
  }
  return kExitOk;
}

}  // namespace

std::function<int()> register_completion(CLI::App& app) {
  auto options = std::make_shared<CompletionOptions>();
  CLI::App* completion =
      app.add_subcommand("completion", "Print the shell completion script for SHELL");
  completion->group("");  // hidden: for packagers and shell set-up, see docs/install.md
  completion->add_option("shell", options->shell, "bash, zsh or fish")
      ->required()
      ->transform(
          choice<Shell>({{"bash", Shell::kBash}, {"zsh", Shell::kZsh}, {"fish", Shell::kFish}}))
      ->type_name("bash|zsh|fish");
  CLI::App* man = app.add_subcommand("man", "Print the manual page pkgsizer.1 (roff)");
  man->group("");
  CLI::App* names = app.add_subcommand(
      "complete-names", "Print the names of the installed distributions, one a line");
  names->group("");
  add_environment_options(*names, options->environment);
  return [&app, completion, man, names, options]() -> int {
    if (completion->parsed()) return print_script(app, options->shell);
    if (man->parsed()) {
      fmt::print("{}", man_page(describe_commands(app), pkgsizer::kVersion));
      return kExitOk;
    }
    if (names->parsed()) return print_names(*options);
    return -1;
  };
}

}  // namespace pkgsizer::cli
