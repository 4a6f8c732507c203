// `pkgsizer outdated`: installed distributions with a newer version on the index, and the size
// change each upgrade would bring, largest growth first (predict/outdated.hpp).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace pkgsizer::cli {

std::function<int()> register_outdated(CLI::App& app);

}  // namespace pkgsizer::cli
