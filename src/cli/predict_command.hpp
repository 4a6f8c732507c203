// `pkgsizer predict FILE`: the download and installed size of a requirements file or a lock
// file, before installing it.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace pkgsizer::cli {

// Registers the subcommand; the returned function runs it and gives the exit code.
std::function<int()> register_predict(CLI::App& app);

}  // namespace pkgsizer::cli
