// Checks every option value gets, whatever the subcommand: an option that needs a value refuses
// an empty one ("--fail-over ''" would otherwise mean no limit at all), and no value may look
// like an option ("-p --site-packages DIR" would take "--site-packages" as a package name).
#pragma once

#include <CLI/CLI.hpp>

namespace pkgsizer::cli {

// Adds both checks to every option of `app` and of its subcommands that takes a value. A
// value of "-" (stdin or stdout) and negative numbers stay allowed.
void check_option_values(CLI::App& app);

}  // namespace pkgsizer::cli
