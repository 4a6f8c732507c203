// `pkgsizer recommend [--project DIR]`: where the environment's bytes can be saved
// (docs/recommend.md).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace pkgsizer::cli {

std::function<int()> register_recommend(CLI::App& app);

}  // namespace pkgsizer::cli
