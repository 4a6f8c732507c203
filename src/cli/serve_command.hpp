// `pkgsizer serve`: the team dashboard over the history store (src/serve/, docs/serve.md), and
// `pkgsizer serve token add|list|revoke` for its access tokens.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

namespace pkgsizer::cli {

std::function<int()> register_serve(CLI::App& app);

}  // namespace pkgsizer::cli
