// The options that choose an environment, shared by every subcommand that scans one.
#pragma once

#include <CLI/CLI.hpp>

#include "pkgsizer/scan.hpp"

namespace pkgsizer::cli {

// Adds --site-packages, --venv, --python and --include-system-site-packages to `command`.
void add_environment_options(CLI::App& command, env::EnvironmentRequest& request);

// Fills in $VIRTUAL_ENV and $CONDA_PREFIX: the process environment is read here, at the edge.
void read_environment_variables(env::EnvironmentRequest& request);

}  // namespace pkgsizer::cli
