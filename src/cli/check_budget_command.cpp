#include "cli/check_budget_command.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>

#include "cli/budget_output.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output_options.hpp"
#include "cli/predict_command.hpp"
#include "cli/predict_options.hpp"
#include "cli/scan_runner.hpp"
#include "cli/terminal.hpp"
#include "compare/scan_source.hpp"
#include "pkgsizer/scan.hpp"
#include "util/error.hpp"
#include "util/read_file.hpp"
#include "util/text.hpp"

namespace pkgsizer::cli {
namespace {

struct CheckBudgetOptions {
  ScanRequest request;
  BudgetOutputOptions output;
  std::string report_path;          // --report: check this saved scan instead of scanning
  std::string requirements_path;    // --requirements: check the prediction for this file
  PredictSourceOptions prediction;  // its index and target options, as `predict` takes them
  ColorChoice color = ColorChoice::kAuto;
  SizeUnits units = SizeUnits::kDecimal;
  bool quiet = false;
};

constexpr const char* kExamples = R"(
Examples:
  pkgsizer check-budget                            the active venv against ./pkgsizer.toml (or one above)
  pkgsizer check-budget --venv .venv --fail-on-exceed   exit 1 when a limit is exceeded
  pkgsizer check-budget --format github            annotations and a job summary in GitHub Actions
  pkgsizer check-budget --format junit -o budget.xml    a test report for GitLab or Jenkins
  pkgsizer check-budget --baseline @main           max_increase against the snapshot labelled main
  pkgsizer check-budget --report scan.json         a saved `scan-env --json` instead of scanning
  pkgsizer check-budget --requirements requirements.txt --fail-on-exceed   before installing

  pkgsizer check-budget --requirements poetry.lock --index-url https://mirror.example/simple

Exit codes: 0 within budget (or violations without --fail-on-exceed), 1 a limit exceeded with
--fail-on-exceed, 2 a bad or missing budget file, 3 no environment, 4 incomplete: sizes unknown
(a partial scan, packages of a prediction not found, sdist-only or --offline; 1 with
--fail-on-exceed, 0 with --allow-unknown), 5 output not written, 8 history damaged, 9 no such
snapshot. The budget: docs/budget.md.
)";

// A saved scan; what cannot be read or is not a scan is an environment error (exit 3).
Scan read_report(const std::string& path) {
  const std::string name = "--report " + path;
  std::string error;
  const std::optional<std::string> text = read_text_file(path, kMaxInputFileBytes, &error);
  if (!text)
    throw Error(ErrorCategory::kEnvironment, fmt::format("{}: cannot read: {}", name, error));
  return compare::scan_from_text(*text, name);  // throws compare::SourceError naming `name`
}

// Problems reading the trees go to stderr; dependency problems are no business of a budget.
// (Errors, which leave sizes unknown, are also listed by the budget report and make it
// incomplete.)
void report_scan_problems(const Scan& scan, bool quiet) {
  constexpr std::size_t kShown = 20;
  std::size_t shown = 0;
  for (const Problem& problem : scan.problems) {
    if (problem.is_dependency_problem()) continue;
    if (quiet || shown++ >= kShown) continue;
    fmt::print(stderr, "pkgsizer: {}: {}: {}\n", to_string(problem.severity),
               printable(problem.path), printable(problem.message));
  }
}

int run_check_budget(CheckBudgetOptions& options) {
  options.output.render.color = use_color(options.color);
  options.output.render.width = terminal_width();
  options.output.render.units = options.units;
  // The budget first: a typo in it should not wait for a scan.
  const PreparedBudget budget = prepare_budget(options.output);

  Scan scan;
  if (!options.requirements_path.empty()) {
    // Before installing: the prediction of a requirements or lock file (`pkgsizer predict`).
    PredictSourceOptions prediction = options.prediction;
    prediction.no_cache = options.request.cache.no_cache;
    scan = predict_as_scan(options.requirements_path, prediction, options.quiet);
  } else if (!options.report_path.empty()) {
    scan = read_report(options.report_path);
  } else {
    scan::ScanOptions scan_options;  // every distribution: budgets cover the whole environment
    ScanOutcome outcome = locate_and_scan(options.request, scan_options, options.quiet);
    scan = scan::select_distributions_view(std::move(outcome.full), scan_options.filter);
  }
  report_scan_problems(scan, options.quiet);
  // An exceeded limit (1) wins over unknown sizes (4), as for scan-env.
  return report_budget(scan, budget, options.output);
}

}  // namespace

std::function<int()> register_check_budget(CLI::App& app) {
  auto options = std::make_shared<CheckBudgetOptions>();
  CLI::App* command = app.add_subcommand(
      "check-budget",
      "Check the environment against the size budget of pkgsizer.toml or pyproject.toml");
  command->footer(kExamples);
  add_scan_options(*command, options->request);

  command
      ->add_option("--config", options->output.config_path,
                   "The budget file (default: the nearest pkgsizer.toml, or pyproject.toml with "
                   "[tool.pkgsizer], "
                   "from the current directory up)")
      ->type_name("FILE")
      ->group("Budget");
  command
      ->add_flag("--fail-on-exceed", options->output.fail_on_exceed,
                 "Exit 1 when a limit is exceeded, or when sizes are unknown")
      ->group("Budget");
  command
      ->add_flag("--allow-unknown", options->output.allow_unknown,
                 "Judge on the known sizes alone: packages of unknown size (not found, sdist-only, "
                 "--offline) and unreadable parts of a scan are listed, but pass")
      ->group("Budget");
  command
      ->add_option("--baseline", options->output.baseline,
                   "Check max_increase against this scan (a `scan-env --json` file, or "
                   "@label/@ID/@latest of `track`)")
      ->type_name("SCAN.json|@SNAPSHOT")
      ->group("Budget");
  command
      ->add_option(
          "--history", options->output.history_path,
          "The snapshot history for --baseline @SNAPSHOT (default: $PKGSIZER_HISTORY, then XDG)")
      ->type_name("FILE")
      ->group("Budget");
  command
      ->add_option("--requirements", options->requirements_path,
                   "Check the predicted size of a requirements or lock file, before installing")
      ->type_name("FILE")
      ->group("Budget");
  command
      ->add_option("--report", options->report_path,
                   "Check this saved scan (`scan-env --json` output) instead of scanning")
      ->type_name("SCAN.json")
      ->group("Budget");

  // The options of `predict`, for --requirements (its --no-cache is the scan's, for both caches).
  add_predict_options(*command, options->prediction, false);

  add_budget_format_option(*command, options->output.format);
  command
      ->add_option("-o,--output", options->output.output_path,
                   "Write the report to FILE instead of stdout")
      ->type_name("FILE")
      ->group("Output");
  add_color_option(*command, options->color);
  add_units_option(*command, options->units);
  command->add_flag("-q,--quiet", options->quiet, "No progress and no warnings on stderr")
      ->group("Output");

  return [=]() -> int {
    if (!command->parsed()) return -1;
    for (const char* name : {"--venv", "--python", "--site-packages"}) {
      const CLI::Option* environment = command->get_option_no_throw(name);
      if (!options->report_path.empty() && environment && environment->count() > 0) {
        fmt::print(stderr,
                   "pkgsizer: error: --report checks a saved scan: it cannot be combined with {}\n",
                   name);
        return kExitUsage;
      }
    }
    return run_check_budget(*options);
  };
}

}  // namespace pkgsizer::cli
