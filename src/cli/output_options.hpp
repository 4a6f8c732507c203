// Options shared by the subcommands' output: --json/--markdown/--csv with an optional FILE,
// --color and --units.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "cli/terminal.hpp"
#include "util/size_units.hpp"

namespace pkgsizer::cli {

// An option taking an optional FILE: without one (or with "-") it means stdout.
CLI::Option* add_optional_output(CLI::App& command, const std::string& name,
                                 const std::string& description);

// Where such an option asked to write: nullopt when it was not given, "-" for stdout.
std::optional<std::string> output_target(const CLI::Option* option);

void add_color_option(CLI::App& command, ColorChoice& color);
void add_units_option(CLI::App& command, SizeUnits& units);

}  // namespace pkgsizer::cli
