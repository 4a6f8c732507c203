// CLI11's parse errors, said so that a newcomer can act on them: an unknown command or option
// names the closest one ("did you mean scan-env?"), and every message says where the options
// are listed.
#pragma once

#include <CLI/CLI.hpp>

namespace pkgsizer::cli {

// Prints what went wrong (or the help or version asked for) and returns the exit code:
// 0 for --help and --version, 2 (usage) for the rest.
int report_parse_error(CLI::App& app, const CLI::ParseError& error, int argc, char** argv);

}  // namespace pkgsizer::cli
