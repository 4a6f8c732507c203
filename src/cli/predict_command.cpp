#include "cli/predict_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "cli/exit_codes.hpp"
#include "cli/output_options.hpp"
#include "cli/predict_options.hpp"
#include "predict/bytecode_estimate.hpp"
#include "predict/index_cache.hpp"
#include "predict/prediction_scan.hpp"
#include "predict/predictor.hpp"
#include "report/predict_report.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/home.hpp"
#include "util/json_text.hpp"
#include "util/read_file.hpp"
#include "util/utc_time.hpp"

namespace pkgsizer::cli {
namespace {

struct PredictCliOptions {
  std::string input;
  PredictSourceOptions source;
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
  pkgsizer predict requirements.lock.txt --no-deps    a pip-compile output, everything pinned
  pkgsizer predict uv.lock --exact-bytecode          download and compile: the bytecode exactly
Exit codes: 0 ok, 2 bad input (FILE:LINE: ...), 3 index unreachable, 5 output not written,
            9 a package not found (the others are predicted and written all the same).
)";

// A file named by -r or -c: read as the input is, with the same checks and cap.
std::optional<std::string> load_included_file(const std::string& path) {
  return read_text_file(path, kMaxInputFileBytes);
}

// Reads the input and predicts. Throws pkgsizer::Error: predict::PredictError for bad input (2)
// or an index out of reach (3), and kEnvironment for what keeps the index out of reach from this
// machine, such as libcurl not installed.
predict::Prediction run_prediction(const std::string& input, const PredictSourceOptions& options,
                                   bool quiet) {
  std::string error;
  const std::optional<std::string> text = read_text_file(input, kMaxInputFileBytes, &error);
  if (!text) throw Error(ErrorCategory::kUsage, fmt::format("{}: cannot read: {}", input, error));
  const predict::EnvironmentLookup environment =
      [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    return value ? std::optional<std::string>(value) : std::nullopt;
  };
  predict::Prediction prediction;
  try {
    // Target values are checked first: a bad --python-version is a usage error, not a crash.
    (void)predict::pyc_size_model(options.python_version);
    prediction = predict::predict(input, *text, to_predict_options(options), load_included_file,
                                  environment);
  } catch (const std::invalid_argument& error) {  // the target's values (wheel_tags, bytecode)
    throw Error(ErrorCategory::kUsage,
                fmt::format("--python-version {}: {}", options.python_version, error.what()));
  }
  if (!quiet)
    for (const std::string& warning : prediction.warnings)
      fmt::print(stderr, "pkgsizer: warning: {}\n", warning);
  return prediction;
}

int run_predict(PredictCliOptions options) {
  default_target_from_interpreter(options.source, options.quiet);
  if ((options.json_path == "-") + (options.markdown_path == "-") > 1) {
    fmt::print(stderr, "pkgsizer: error: only one of --json and --markdown can write to stdout\n");
    return kExitUsage;
  }
  const predict::Prediction prediction =
      run_prediction(options.input, options.source, options.quiet);
  predict::PredictionContext context{options.input, options.source.platform, iso8601_utc()};
  report::RenderOptions render;
  render.units = options.units;
  if (options.json_path)
    write_output(*options.json_path,
                 dump_json(report::prediction_to_json(prediction, context), 2) + "\n");
  if (options.markdown_path)
    write_output(*options.markdown_path,
                 report::render_prediction_markdown(prediction, context, render));
  if (options.json_path != "-" && options.markdown_path != "-")
    write_output("-", report::render_prediction_table(prediction, context, render));
  // Everything found was predicted and written; a package the index lacks still fails the run.
  const bool not_found =
      std::any_of(prediction.packages.begin(), prediction.packages.end(),
                  [](const predict::PredictedPackage& package) { return package.not_found; });
  return not_found ? kExitNotFound : kExitOk;
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
  add_predict_options(*command, options->source, true);
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

Scan predict_as_scan(const std::string& file, PredictSourceOptions options, bool quiet) {
  default_target_from_interpreter(options, quiet);
  // Its warnings become the scan's problems, which the caller prints: not twice.
  const predict::Prediction prediction = run_prediction(file, options, true);
  return predict::prediction_scan(prediction, {file, options.platform, iso8601_utc()});
}

}  // namespace pkgsizer::cli
