// Shell completion scripts for bash, zsh and fish, generated from the command tree
// (cli/command_tree.hpp). Subcommands, options and choice values are written into the script;
// distribution names are asked for when completing, with `pkgsizer complete-names` and the
// environment options already on the command line (--venv, --python, --site-packages).
#pragma once

#include <string>
#include <vector>

#include "cli/command_tree.hpp"

namespace pkgsizer::cli {

std::string bash_completion(const std::vector<CommandSpec>& commands);
std::string zsh_completion(const std::vector<CommandSpec>& commands);
std::string fish_completion(const std::vector<CommandSpec>& commands);

}  // namespace pkgsizer::cli
