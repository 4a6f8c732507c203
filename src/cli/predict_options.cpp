#include "cli/predict_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "env/interpreter.hpp"
#include "predict/index_cache.hpp"
#include "util/home.hpp"

namespace pkgsizer::cli {
namespace {

// Without --python-version/--platform and without an interpreter to ask: CPython 3.11 on
// manylinux x86_64. CI jobs that predict for another machine pass both options.
constexpr const char* kDefaultPython = "3.11";
constexpr const char* kDefaultPlatform = "linux-x86_64";

void add_index_options(CLI::App& command, PredictSourceOptions& options, bool with_no_cache) {
  command
      .add_option(
          "-i,--index-url", options.index_urls,
          "Simple API index (PEP 691, or 503); default: the file's, PIP_INDEX_URL, then PyPI")
      ->type_name("URL")
      ->group("Index");
  command.add_option("--extra-index-url", options.extra_index_urls, "Another index (repeatable)")
      ->type_name("URL")
      ->group("Index");
  command
      .add_option("-f,--find-links", options.find_links,
                  "Also look for files in this directory, or in the links of this page "
                  "(repeatable)")
      ->type_name("DIR|URL")
      ->group("Index");
  command.add_flag("--no-index", options.no_index, "Ask no index: --find-links only")
      ->group("Index");
  if (with_no_cache)
    command
        .add_flag("--no-cache", options.no_cache,
                  "Neither read nor write the HTTP cache ($XDG_CACHE_HOME/pkgsizer/http.sqlite3)")
        ->group("Index");
  command
      .add_flag("--offline", options.offline,
                "Never use the network: sizes a lock file records, or the HTTP cache")
      ->group("Index");
  command.add_flag("--pre", options.pre, "Allow pre-releases")->group("Index");
  command
      .add_flag("--no-deps", options.no_deps,
                "Do not add dependencies: the file lists everything (as pip install --no-deps)")
      ->group("Index");
}

void add_target_options(CLI::App& command, PredictSourceOptions& options) {
  command
      .add_option("--python-version", options.python_version,
                  "Target Python version (default: the current interpreter's)")
      ->type_name("X.Y")
      ->group("Target");
  command
      .add_option("--platform", options.platform,
                  "Target platform (default: the current interpreter's): linux-x86_64, "
                  "manylinux_2_28_aarch64, macosx-14.0-arm64, win-amd64, ...")
      ->type_name("PLATFORM")
      ->group("Target");
  command
      .add_option("--implementation", options.implementation,
                  "Target interpreter, as in wheel tags: cp (CPython, default), pp (PyPy)")
      ->type_name("cp|pp")
      ->group("Target");
  command
      .add_option("--abi", options.abis,
                  "Target ABI (repeatable): cp312, cp313t, abi3, ... (default: the interpreter's)")
      ->type_name("ABI")
      ->group("Target");
  command.add_flag("--no-compile", options.no_compile, "Leave out the bytecode pip would write")
      ->group("Target");
  command
      .add_flag("--exact-bytecode", options.exact_bytecode,
                "Download the wheels and compile them with the target's interpreter (python3.X "
                "on PATH) instead of estimating the bytecode; cached by wheel hash")
      ->group("Target");
}

}  // namespace

void add_predict_options(CLI::App& command, PredictSourceOptions& options, bool with_no_cache) {
  add_index_options(command, options, with_no_cache);
  add_target_options(command, options);
}

void default_target_from_interpreter(PredictSourceOptions& options, bool quiet) {
  if (!options.python_version.empty() && !options.platform.empty()) return;
  std::string interpreter = "python3";
  if (const char* venv = std::getenv("VIRTUAL_ENV"); venv && *venv)
    interpreter = std::string(venv) + "/bin/python";
  try {
    const env::InterpreterInfo info = env::query_interpreter(interpreter);
    if (options.python_version.empty()) {
      const auto found = info.markers.find("python_version");
      options.python_version = found != info.markers.end() ? found->second : kDefaultPython;
    }
    if (options.platform.empty())
      options.platform = info.platform.empty() ? kDefaultPlatform : info.platform;
  } catch (const std::exception& error) {
    if (!quiet)
      fmt::print(
          stderr,
          "pkgsizer: warning: no interpreter to take the target from ({}); using Python {} on {}\n",
          error.what(), kDefaultPython, kDefaultPlatform);
    if (options.python_version.empty()) options.python_version = kDefaultPython;
    if (options.platform.empty()) options.platform = kDefaultPlatform;
  }
}

predict::PredictOptions to_predict_options(const PredictSourceOptions& options) {
  predict::PredictOptions result;
  result.index_urls = options.index_urls;
  result.extra_index_urls = options.extra_index_urls;
  result.find_links = options.find_links;
  result.no_index = options.no_index;
  result.target.python_version = options.python_version;
  result.target.platforms = predict::platform_tags_for(options.platform);
  result.target.implementation = options.implementation;
  result.target.abis = options.abis;
  result.compile = !options.no_compile;
  result.exact_bytecode = options.exact_bytecode;
  result.no_deps = options.no_deps;
  if (!options.no_cache)
    result.http_cache_path = predict::default_http_cache_path(
        std::getenv("PKGSIZER_CACHE_DIR"), std::getenv("XDG_CACHE_HOME"), home_directory().c_str());
  result.offline = options.offline;
  result.pre = options.pre;
  return result;
}

// The target is the scanned environment's own Python and platform, unless given.
void target_from_environment(PredictSourceOptions& source, const Environment& environment) {
  if (source.python_version.empty()) {
    const std::vector<std::string> parts = [&] {
      std::vector<std::string> found;
      std::size_t start = 0;
      const std::string& version = environment.python_version;
      while (start <= version.size() && found.size() < 2) {
        const std::size_t dot = std::min(version.find('.', start), version.size());
        found.push_back(version.substr(start, dot - start));
        start = dot + 1;
      }
      return found;
    }();
    if (parts.size() == 2 && !parts[0].empty() && !parts[1].empty())
      source.python_version = parts[0] + "." + parts[1];
  }
  if (source.platform.empty()) source.platform = environment.platform;
}

}  // namespace pkgsizer::cli
