#include "cli/predict_command.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/exit_codes.hpp"
#include "cli/output_options.hpp"
#include "env/interpreter.hpp"
#include "predict/bytecode_estimate.hpp"
#include "predict/index_cache.hpp"
#include "predict/prediction_scan.hpp"
#include "predict/predictor.hpp"
#include "report/predict_report.hpp"
#include "util/atomic_file.hpp"
#include "util/read_file.hpp"
#include "util/utc_time.hpp"

namespace pkgsizer::cli {
namespace {

// Without --python-version/--platform the target is the current interpreter ($VIRTUAL_ENV's,
// else python3 on PATH), as pip would install for it; when there is none, CPython 3.11 on
// manylinux x86_64. CI jobs that predict for another machine pass both options.
constexpr const char* kDefaultPython = "3.11";
constexpr const char* kDefaultPlatform = "linux-x86_64";

// Fills in what the command line left out from the current interpreter.
void default_target_from_interpreter(std::string& python_version, std::string& platform,
                                     bool quiet) {
  if (!python_version.empty() && !platform.empty()) return;
  std::string interpreter = "python3";
  if (const char* venv = std::getenv("VIRTUAL_ENV"); venv && *venv)
    interpreter = std::string(venv) + "/bin/python";
  try {
    const env::InterpreterInfo info = env::query_interpreter(interpreter);
    if (python_version.empty()) {
      const auto found = info.markers.find("python_version");
      python_version = found != info.markers.end() ? found->second : kDefaultPython;
    }
    if (platform.empty()) platform = info.platform.empty() ? kDefaultPlatform : info.platform;
  } catch (const std::exception& error) {
    if (!quiet)
      fmt::print(
          stderr,
          "pkgsizer: warning: no interpreter to take the target from ({}); using Python {} on {}\n",
          error.what(), kDefaultPython, kDefaultPlatform);
    if (python_version.empty()) python_version = kDefaultPython;
    if (platform.empty()) platform = kDefaultPlatform;
  }
}

struct PredictCliOptions {
  std::string input;
  std::vector<std::string> index_urls;
  std::vector<std::string> extra_index_urls;
  std::vector<std::string> find_links;
  bool no_index = false;
  std::string python_version;         // empty: the current interpreter's
  std::string platform;               // empty: the current interpreter's
  std::string implementation = "cp";  // PEP 425 abbreviation
  std::vector<std::string> abis;      // empty: the implementation's own
  bool no_compile = false;
  bool offline = false;
  bool no_cache = false;
  bool pre = false;
  bool quiet = false;
  std::optional<std::string> json_path, markdown_path;
  ColorChoice color = ColorChoice::kAuto;
  SizeUnits units = SizeUnits::kDecimal;
};

constexpr const char* kExamples = R"(
Examples:
  pkgsizer predict requirements.txt                 sizes of what pip would install
  pkgsizer predict uv.lock --offline                download sizes recorded in the lock
  pkgsizer predict requirements.txt --json pred.json --no-compile
  pkgsizer predict requirements.txt --python-version 3.12 --platform macosx-14.0-arm64
  pkgsizer predict requirements.txt --no-index -f wheelhouse/   from local wheels only
Exit codes: 0 ok, 2 bad input (FILE:LINE: ...), 3 index unreachable or package not found,
            5 output not written.
)";

// Reads the input and predicts; on failure prints one line and sets the exit code.
std::optional<predict::Prediction> run_prediction(const PredictCliOptions& options,
                                                  int& exit_code) {
  const std::optional<std::string> text = read_text_file(options.input);
  if (!text) {
    fmt::print(stderr, "pkgsizer: error: {}: cannot read the file\n", options.input);
    exit_code = kExitUsage;
    return std::nullopt;
  }
  predict::PredictOptions predict_options;
  predict_options.index_urls = options.index_urls;
  predict_options.extra_index_urls = options.extra_index_urls;
  predict_options.find_links = options.find_links;
  predict_options.no_index = options.no_index;
  predict_options.target.python_version = options.python_version;
  predict_options.target.platforms = predict::platform_tags_for(options.platform);
  predict_options.target.implementation = options.implementation;
  predict_options.target.abis = options.abis;
  predict_options.compile = !options.no_compile;
  if (!options.no_cache)
    predict_options.http_cache_path = predict::default_http_cache_path(
        std::getenv("PKGSIZER_CACHE_DIR"), std::getenv("XDG_CACHE_HOME"), std::getenv("HOME"));
  predict_options.offline = options.offline;
  predict_options.pre = options.pre;
  const predict::EnvironmentLookup environment =
      [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    return value ? std::optional<std::string>(value) : std::nullopt;
  };
  try {
    // Target values are checked first: a bad --python-version is a usage error, not a crash.
    (void)predict::pyc_size_model(options.python_version);
    predict::Prediction prediction =
        predict::predict(options.input, *text, predict_options, read_text_file, environment);
    if (!options.quiet)
      for (const std::string& warning : prediction.warnings)
        fmt::print(stderr, "pkgsizer: warning: {}\n", warning);
    return prediction;
  } catch (const predict::PredictError& error) {
    fmt::print(stderr, "pkgsizer: error: {}\n", error.what());
    exit_code =
        error.kind() == predict::PredictError::Kind::bad_input ? kExitUsage : kExitEnvironment;
  } catch (const std::invalid_argument& error) {
    fmt::print(stderr, "pkgsizer: error: --python-version {}: {}\n", options.python_version,
               error.what());
    exit_code = kExitUsage;
  } catch (const std::runtime_error& error) {
    // What keeps the index out of reach from this machine, such as libcurl not installed.
    fmt::print(stderr, "pkgsizer: error: {}\n", error.what());
    exit_code = kExitEnvironment;
  }
  return std::nullopt;
}

int run_predict(PredictCliOptions options) {
  default_target_from_interpreter(options.python_version, options.platform, options.quiet);
  if ((options.json_path == "-") + (options.markdown_path == "-") > 1) {
    fmt::print(stderr, "pkgsizer: error: only one of --json and --markdown can write to stdout\n");
    return kExitUsage;
  }
  int exit_code = kExitOk;
  const std::optional<predict::Prediction> predicted = run_prediction(options, exit_code);
  if (!predicted) return exit_code;
  const predict::Prediction& prediction = *predicted;
  predict::PredictionContext context{options.input, options.platform, iso8601_utc()};
  report::RenderOptions render;
  render.units = options.units;
  try {
    if (options.json_path)
      write_output(*options.json_path,
                   report::prediction_to_json(prediction, context).dump(2) + "\n");
    if (options.markdown_path)
      write_output(*options.markdown_path,
                   report::render_prediction_markdown(prediction, context, render));
    if (options.json_path != "-" && options.markdown_path != "-")
      write_output("-", report::render_prediction_table(prediction, context, render));
  } catch (const std::runtime_error& error) {
    fmt::print(stderr, "pkgsizer: error: {}\n", error.what());
    return kExitOutput;
  }
  return kExitOk;
}

}  // namespace

std::function<int()> register_predict(CLI::App& app) {
  auto options = std::make_shared<PredictCliOptions>();
  CLI::App* command = app.add_subcommand(
      "predict", "Predict download and installed size of a requirements or lock file");
  command->footer(kExamples);
  command
      ->add_option("FILE", options->input,
                   "requirements.txt, uv.lock, pylock.toml, poetry.lock or pip --report JSON")
      ->required();
  command
      ->add_option(
          "-i,--index-url", options->index_urls,
          "Simple API index (PEP 691, or 503); default: the file's, PIP_INDEX_URL, then PyPI")
      ->type_name("URL")
      ->group("Index");
  command->add_option("--extra-index-url", options->extra_index_urls, "Another index (repeatable)")
      ->type_name("URL")
      ->group("Index");
  command
      ->add_option("-f,--find-links", options->find_links,
                   "Also look for files in this directory, or in the links of this page "
                   "(repeatable)")
      ->type_name("DIR|URL")
      ->group("Index");
  command->add_flag("--no-index", options->no_index, "Ask no index: --find-links only")
      ->group("Index");
  command
      ->add_flag("--no-cache", options->no_cache,
                 "Neither read nor write the HTTP cache ($XDG_CACHE_HOME/pkgsizer/http.sqlite3)")
      ->group("Index");
  command->add_flag("--offline", options->offline, "Never use the network (lock files only)")
      ->group("Index");
  command->add_flag("--pre", options->pre, "Allow pre-releases")->group("Index");
  command
      ->add_option("--python-version", options->python_version,
                   "Target Python version (default: the current interpreter's)")
      ->type_name("X.Y")
      ->group("Target");
  command
      ->add_option("--platform", options->platform,
                   "Target platform (default: the current interpreter's): linux-x86_64, "
                   "manylinux_2_28_aarch64, "
                   "macosx-14.0-arm64, win-amd64, ...")
      ->type_name("PLATFORM")
      ->group("Target");
  command
      ->add_option("--implementation", options->implementation,
                   "Target interpreter, as in wheel tags: cp (CPython, default), pp (PyPy)")
      ->type_name("cp|pp")
      ->group("Target");
  command
      ->add_option("--abi", options->abis,
                   "Target ABI (repeatable): cp312, cp313t, abi3, ... (default: the interpreter's)")
      ->type_name("ABI")
      ->group("Target");
  command->add_flag("--no-compile", options->no_compile, "Leave out the bytecode pip would write")
      ->group("Target");
  CLI::Option* json_option = add_optional_output(
      *command, "--json", "Write the prediction as a scan-model JSON to FILE (or stdout)");
  CLI::Option* markdown_option =
      add_optional_output(*command, "--markdown", "Write a Markdown table to FILE (or stdout)");
  add_color_option(*command, options->color);
  add_units_option(*command, options->units);
  command->add_flag("-q,--quiet", options->quiet, "No warnings on stderr")->group("Output");

  return [=]() -> int {
    if (!command->parsed()) return -1;
    options->json_path = output_target(json_option);
    options->markdown_path = output_target(markdown_option);
    return run_predict(*options);
  };
}

std::optional<Scan> predict_as_scan(const std::string& file, bool quiet, int& exit_code) {
  PredictCliOptions options;
  options.input = file;
  options.quiet = quiet;
  default_target_from_interpreter(options.python_version, options.platform, options.quiet);
  const std::optional<predict::Prediction> prediction = run_prediction(options, exit_code);
  if (!prediction) return std::nullopt;
  return predict::prediction_scan(*prediction, {file, options.platform, iso8601_utc()});
}

}  // namespace pkgsizer::cli
