// `pkgsizer browse`: the environment in an interactive full-screen view (src/browse/).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace pkgsizer::cli {

std::function<int()> register_browse(CLI::App& app);

}  // namespace pkgsizer::cli
