// `pkgsizer predict FILE`: the download and installed size of a requirements file or a lock
// file, before installing it.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "cli/predict_options.hpp"
#include "pkgsizer/model.hpp"

namespace pkgsizer::cli {

// Registers the subcommand; the returned function runs it and gives the exit code.
std::function<int()> register_predict(CLI::App& app);

// The prediction for `file` (requirements or lock file) as a scan, with the options of
// `pkgsizer predict`: what `check-budget --requirements` checks. Packages whose size is unknown
// (not found, sdist-only, offline) are Problems of kind ProblemKind::kUnknownSize. Throws
// pkgsizer::Error: kUsage for bad input, kEnvironment when the index is out of reach.
Scan predict_as_scan(const std::string& file, PredictSourceOptions options, bool quiet);

}  // namespace pkgsizer::cli
