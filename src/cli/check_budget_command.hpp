// `pkgsizer check-budget`: the environment (or a saved scan) against the budget of
// pkgsizer.toml or pyproject.toml, for CI jobs and pre-commit hooks (docs/budget.md).
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace pkgsizer::cli {

// Registers the subcommand; the returned function runs it and gives the exit code (-1 when
// another subcommand was chosen).
std::function<int()> register_check_budget(CLI::App& app);

}  // namespace pkgsizer::cli
