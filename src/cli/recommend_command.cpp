#include "cli/recommend_command.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <exception>
#include <future>
#include <memory>

#include "cli/exit_codes.hpp"
#include "cli/output_options.hpp"
#include "cli/predict_options.hpp"
#include "cli/scan_runner.hpp"
#include "packaging/name.hpp"
#include "predict/predictor.hpp"
#include "recommend/project.hpp"
#include "recommend/recommend.hpp"
#include "recommend/render.hpp"
#include "report/html_report.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"
#include "util/size_units.hpp"
#include "util/text.hpp"

namespace pkgsizer::cli {
namespace {

struct RecommendCliOptions {
  ScanRequest request;
  std::string project;
  std::vector<std::string> kinds;
  std::string min_bytes;
  bool predict = false;
  std::string html_path;  // --html FILE: the findings as a self-contained page
  PredictSourceOptions predict_source;
  SizeUnits units = SizeUnits::kDecimal;
};

constexpr const char* kExamples = R"(
Examples:
  pkgsizer recommend                          in a project directory: everything
  pkgsizer recommend --project . --venv .venv --kind unused
  pkgsizer recommend --kind bloat --kind native --min-bytes 1MB
  pkgsizer recommend --predict --kind heavier sizes the lighter alternatives on the index
  pkgsizer recommend --json - | jq '.findings[] | select(.certainty == "certain")'
  pkgsizer recommend --markdown report.md     for a pull request
  pkgsizer recommend --html findings.html     a page to open in a browser (works offline)
Exit codes: 0 answered, 2 usage, 3 no environment or unreadable project, 5 output not written.
)";

// The alternative's installed size (wheel contents and bytecode), predicted from the index.
recommend::AlternativeSize alternative_sizer(const PredictSourceOptions& source) {
  predict::PredictOptions options = to_predict_options(source);
  options.no_deps = true;
  return [options](const std::string& requirement) -> std::optional<std::uint64_t> {
    const predict::EnvironmentLookup environment =
        [](const std::string& name) -> std::optional<std::string> {
      const char* value = std::getenv(name.c_str());
      return value ? std::optional<std::string>(value) : std::nullopt;
    };
    try {
      const predict::Prediction prediction =
          predict::predict("alternative", requirement + "\n", options, {}, environment);
      for (const std::string& warning : prediction.warnings)
        fmt::print(stderr, "pkgsizer: warning: --predict {}: {}\n", requirement, warning);
      if (prediction.packages.empty() || !prediction.packages.front().installed_bytes)
        return std::nullopt;
      const predict::PredictedPackage& package = prediction.packages.front();
      return *package.installed_bytes + package.bytecode_bytes;
    } catch (const std::exception& error) {
      fmt::print(stderr, "pkgsizer: warning: --predict {}: {}\n", requirement, error.what());
      return std::nullopt;
    }
  };
}

int run_recommend(RecommendCliOptions& options, const std::optional<std::string>& json_path,
                  const std::optional<std::string>& markdown_path) {
  recommend::RecommendOptions recommend_options;
  if (!options.min_bytes.empty()) {
    const std::optional<std::uint64_t> min_bytes = parse_size(options.min_bytes);
    if (!min_bytes) {
      fmt::print(stderr, "pkgsizer: error: --min-bytes: '{}' is not a size (try 1MB, 500kB)\n",
                 options.min_bytes);
      return kExitUsage;
    }
    recommend_options.min_bytes = *min_bytes;
  }
  if ((json_path && *json_path == "-") + (markdown_path && *markdown_path == "-") +
          (options.html_path == "-") >
      1)
    throw Error(ErrorCategory::kUsage,
                "only one of --json, --markdown and --html can write to stdout");
  for (const std::string& kind : options.kinds)
    recommend_options.kinds.insert(*recommend::finding_kind_from_string(kind));
  if (options.project.empty() && recommend::looks_like_project(".")) options.project = ".";
  if (options.project.empty() && recommend_options.kinds.count(recommend::FindingKind::kUnused) > 0)
    fmt::print(stderr,
               "pkgsizer: warning: --kind unused needs a project (--project DIR, or run in a "
               "directory with pyproject.toml, setup.py, setup.cfg or requirements*.txt)\n");
  // The project is read while the environment is scanned: neither needs the other.
  std::future<recommend::Project> reading;
  if (!options.project.empty())
    reading = std::async(std::launch::async, recommend::read_project, options.project);

  scan::ScanOptions scan_options;
  std::optional<ScanOutcome> outcome;
  std::exception_ptr scan_failure;
  try {
    outcome = locate_and_scan(options.request, scan_options, false);
  } catch (...) {
    scan_failure = std::current_exception();
  }
  std::optional<recommend::Project> project;
  if (reading.valid()) project = reading.get();  // its error first: it names the option
  if (scan_failure) std::rethrow_exception(scan_failure);
  if (project) recommend_options.project = &*project;
  const Scan& scan = outcome->full.scan;
  recommend_options.gpu_present = recommend::gpu_present();
  if (options.predict) {
    default_target_from_interpreter(options.predict_source, false);
    recommend_options.alternative_size = alternative_sizer(options.predict_source);
  }
  const recommend::Recommendations result = recommend::recommend(scan, recommend_options);
  for (const std::string& warning : result.warnings)
    fmt::print(stderr, "pkgsizer: warning: {}\n", printable(warning));

  recommend::RenderContext render;
  render.environment = scan.environment.prefix.empty()
                           ? fmt::format("{}", fmt::join(scan.environment.site_packages, ", "))
                           : scan.environment.prefix;
  render.python_version = scan.environment.python_version;
  render.units = options.units;
  if (json_path) write_output(*json_path, dump_json(recommend::to_json(result, render), 2) + "\n");
  if (markdown_path) write_output(*markdown_path, recommend::render_markdown(result, render));
  if (!options.html_path.empty()) {
    write_output(options.html_path, report::render_recommend_html(result, render));
    if (options.html_path != "-") fmt::print(stderr, "pkgsizer: wrote {}\n", options.html_path);
  }
  const bool stdout_taken = (json_path && *json_path == "-") ||
                            (markdown_path && *markdown_path == "-") || options.html_path == "-";
  if (!stdout_taken) write_output("-", recommend::render_table(result, render));
  return kExitOk;
}

}  // namespace

std::function<int()> register_recommend(CLI::App& app) {
  auto options = std::make_shared<RecommendCliOptions>();
  CLI::App* command =
      app.add_subcommand("recommend",
                         "Where can bytes be saved? Unused distributions, files never needed, "
                         "native libraries, leftovers, lighter alternatives");
  command->footer(kExamples);
  add_scan_options(*command, options->request);
  command
      ->add_option("--project", options->project,
                   "The project whose imports decide what is unused (default: the current "
                   "directory when it holds pyproject.toml, setup.py, setup.cfg or "
                   "requirements*.txt)")
      ->type_name("DIR");
  command
      ->add_option("--kind", options->kinds,
                   "Only these kinds (repeatable): unused, bloat, native, leftover, heavier")
      ->type_name("KIND")
      ->check(CLI::IsMember(recommend::finding_kind_names()));
  command
      ->add_option("--min-bytes", options->min_bytes,
                   "Leave out findings that save fewer bytes (e.g. 1MB)")
      ->type_name("SIZE");
  command->add_flag("--predict", options->predict,
                    "Size the lighter alternatives from the index (pkgsizer predict)");
  add_predict_options(*command, options->predict_source, false);
  CLI::Option* json_option =
      add_optional_output(*command, "--json", "Write the findings as JSON to FILE (or stdout)");
  CLI::Option* markdown_option = add_optional_output(
      *command, "--markdown", "Write the findings as Markdown to FILE (or stdout)");
  command
      ->add_option("--html", options->html_path,
                   "Write the findings as a self-contained HTML page to FILE (docs/html-report.md)")
      ->type_name("FILE");
  add_units_option(*command, options->units);
  return [=]() -> int {
    if (!command->parsed()) return -1;
    return run_recommend(*options, output_target(json_option), output_target(markdown_option));
  };
}

}  // namespace pkgsizer::cli
