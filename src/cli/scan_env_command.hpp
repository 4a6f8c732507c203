// `pkgsizer scan-env`: measure every distribution of an environment and show it.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace pkgsizer::cli {

// Registers the subcommand; the returned function runs it and gives the exit code.
std::function<int()> register_scan_env(CLI::App& app);

}  // namespace pkgsizer::cli
