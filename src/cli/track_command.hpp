// `pkgsizer track`: size history of environments in SQLite — snapshots, history, trends, graphs.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace pkgsizer::cli {

std::function<int()> register_track(CLI::App& app);

}  // namespace pkgsizer::cli
