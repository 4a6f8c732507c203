// `pkgsizer compare A B`: what changed between two scans, environments or snapshots.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace pkgsizer::cli {

// Registers the subcommand; the returned function runs it and gives the exit code (-1 when
// another subcommand was chosen).
std::function<int()> register_compare(CLI::App& app);

}  // namespace pkgsizer::cli
