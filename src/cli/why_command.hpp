// `pkgsizer why PKG`: every dependency path that keeps PKG installed, and what removing it frees.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace pkgsizer::cli {

std::function<int()> register_why(CLI::App& app);

}  // namespace pkgsizer::cli
