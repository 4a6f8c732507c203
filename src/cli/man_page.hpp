// The manual page pkgsizer.1 (roff, man(7) macros), generated from the command tree
// (cli/command_tree.hpp): one page with a section per subcommand and every option.
#pragma once

#include <string>
#include <vector>

#include "cli/command_tree.hpp"

namespace pkgsizer::cli {

std::string man_page(const std::vector<CommandSpec>& commands, const std::string& version);

// Text made safe for roff (groff(7)): a backslash becomes \e, a '-' \- (so that options can be
// searched and copied), and a line starting with '.' or '\'' is not taken as a request.
std::string roff_escape(const std::string& text);

}  // namespace pkgsizer::cli
