// `pkgsizer lsp`: the language server (src/lsp/, docs/lsp.md) on stdin and stdout.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace pkgsizer::cli {

std::function<int()> register_lsp(CLI::App& app);

}  // namespace pkgsizer::cli
