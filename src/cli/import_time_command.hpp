// `pkgsizer import-time MODULE…`: what importing costs, per module and per distribution
// (src/importtime/). Also the measuring options `check-budget --import` shares.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "env/locate.hpp"
#include "importtime/measure.hpp"
#include "importtime/profile.hpp"

namespace pkgsizer::cli {

struct ImportMeasureOptions {
  env::EnvironmentRequest environment;
  importtime::MeasureRequest measure;
  double timeout_seconds = 120;
  bool quiet = false;
};

// --runs, --warmup, --cold, --timeout (the environment options are added by the caller).
void add_import_measure_options(CLI::App& command, ImportMeasureOptions& options);

// Locates the environment and measures; warnings the measured code printed go to stderr
// unless quiet. Throws pkgsizer::Error (a missing interpreter, a failing import: exit 3).
importtime::ImportProfile measure_from_options(ImportMeasureOptions& options);

std::function<int()> register_import_time(CLI::App& app);

// `compare A.json B.json` of two `import-time --json` files: which distribution got slower.
// nullopt when either file is not such a profile (then compare reads them as scans); otherwise
// the exit code (0, or 5 when the output could not be written). Throws pkgsizer::Error.
std::optional<int> compare_import_profiles(const std::string& first, const std::string& second,
                                           const std::optional<std::string>& json_path);

}  // namespace pkgsizer::cli
