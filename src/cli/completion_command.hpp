// Hidden subcommands for shells and packagers, generated from the option definitions:
//   pkgsizer completion bash|zsh|fish   the completion script (cli/completion_scripts.hpp)
//   pkgsizer man                        the manual page pkgsizer.1 (cli/man_page.hpp)
//   pkgsizer complete-names [--venv D]  installed distribution names, one a line, for the
//                                       completion of -p, --exclude and `why`
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace pkgsizer::cli {

// Registers the three; call it after every other subcommand, so that the tree is complete.
std::function<int()> register_completion(CLI::App& app);

}  // namespace pkgsizer::cli
