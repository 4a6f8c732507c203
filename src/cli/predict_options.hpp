// The options of a prediction — where packages are looked for (the index options) and what they
// are installed for (the target) — defined once, for `predict` and `check-budget --requirements`.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "model/model.hpp"
#include "predict/predictor.hpp"

namespace pkgsizer::cli {

struct PredictSourceOptions {
  std::vector<std::string> index_urls;
  std::vector<std::string> extra_index_urls;
  std::vector<std::string> find_links;
  bool no_index = false;
  bool no_cache = false;  // the HTTP cache
  bool offline = false;
  bool pre = false;
  bool no_deps = false;
  std::string python_version;         // empty: the current interpreter's
  std::string platform;               // empty: the current interpreter's
  std::string implementation = "cp";  // PEP 425 abbreviation
  std::vector<std::string> abis;      // empty: the implementation's own
  bool no_compile = false;
  bool exact_bytecode = false;
};

// Adds the "Index" and "Target" groups. `with_no_cache`: also --no-cache (a command that has its
// own --no-cache, as check-budget has for the scan cache, sets no_cache from it instead).
void add_predict_options(CLI::App& command, PredictSourceOptions& options, bool with_no_cache);

// Fills in --python-version and --platform left out, from the current interpreter
// ($VIRTUAL_ENV's, else python3 on PATH), as pip would install for it; CPython 3.11 on
// linux-x86_64 when there is none (with a warning unless quiet).
void default_target_from_interpreter(PredictSourceOptions& options, bool quiet);

// The target of an installed environment (outdated, scan-env --show-wheel-size): its own
// Python (major.minor) and platform, for what --python-version and --platform leave out.
void target_from_environment(PredictSourceOptions& source, const Environment& environment);

// The library's options for these command-line options (the HTTP cache path from the
// environment unless --no-cache).
predict::PredictOptions to_predict_options(const PredictSourceOptions& options);

}  // namespace pkgsizer::cli
