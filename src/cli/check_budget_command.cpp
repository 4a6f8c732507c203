#include "cli/check_budget_command.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>

#include "budget/import_time_check.hpp"
#include "cli/budget_output.hpp"
#include "cli/docker_command.hpp"
#include "cli/exit_codes.hpp"
#include "cli/import_time_command.hpp"
#include "cli/notify_options.hpp"
#include "cli/output_options.hpp"
#include "cli/predict_command.hpp"
#include "cli/predict_options.hpp"
#include "cli/scan_runner.hpp"
#include "cli/terminal.hpp"
#include "compare/scan_source.hpp"
#include "packaging/name.hpp"
#include "pkgsizer/scan.hpp"
#include "recommend/project.hpp"
#include "recommend/recommend.hpp"
#include "report/budget_report.hpp"
#include "util/error.hpp"
#include "util/read_file.hpp"
#include "util/size_units.hpp"
#include "util/text.hpp"

namespace pkgsizer::cli {
namespace {

struct CheckBudgetOptions {
  ScanRequest request;
  BudgetOutputOptions output;
  std::string report_path;          // --report: check this saved scan instead of scanning
  std::string image;                // --image: check a container image's final distributions
  std::string requirements_path;    // --requirements: check the prediction for this file
  PredictSourceOptions prediction;  // its index and target options, as `predict` takes them
  NotifyRequest notify;
  ColorChoice color = ColorChoice::kAuto;
  SizeUnits units = SizeUnits::kDecimal;
  bool quiet = false;
  std::string project;                      // --project: for the budget's `unused` rule
  std::vector<std::string> import_modules;  // --import: check [budget.import_time] instead
  ImportMeasureOptions import_measure;
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
  pkgsizer check-budget --import myapp --runs 9   [budget.import_time]: medians of 9 runs

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

// What a webhook hears of an exceeded budget: the verdict in one line, the text report, and the
// failed rules as data (docs/notifications.md).
notify::Notification budget_notification(const budget::BudgetEvaluation& evaluation,
                                         const CheckBudgetOptions& options) {
  notify::Notification notification;
  notification.event = "budget_exceeded";
  notification.command = "check-budget";
  notification.alert = true;
  notification.title =
      fmt::format("pkgsizer: size budget exceeded for {}: {} of {} rules failed (total {})",
                  evaluation.environment, evaluation.count(budget::Status::kFail),
                  evaluation.results.size(), format_size(evaluation.total_bytes, options.units));
  report::RenderOptions plain = options.output.render;
  plain.color = false;
  notification.report = report::render_budget_text(evaluation, plain);
  nlohmann::json failed = nlohmann::json::array();
  for (const budget::RuleResult& result : evaluation.results)
    if (result.status == budget::Status::kFail)
      failed.push_back({{"rule", budget::rule_name(result.rule)},
                        {"subject", result.subject},
                        {"used_bytes", result.used_bytes},
                        {"limit_bytes", result.limit_bytes}});
  notification.details = {{"environment", evaluation.environment},
                          {"config_file", evaluation.config_file},
                          {"total_bytes", evaluation.total_bytes},
                          {"distributions", evaluation.distribution_count},
                          {"failed_rules", failed}};
  return notification;
}

// [budget] unused = "fail" | "warn": the distributions the project never imports (recommend,
// kind unused), one line each on stderr, and one result each in the report (every --format).
std::vector<budget::UnusedDistribution> find_unused(const Scan& scan, const PreparedBudget& budget,
                                                    std::string project_dir) {
  std::vector<budget::UnusedDistribution> unused;
  if (!budget.config.unused) return unused;
  if (project_dir.empty() && recommend::looks_like_project(".")) project_dir = ".";
  if (project_dir.empty()) {
    fmt::print(stderr,
               "pkgsizer: warning: {}:{}: the unused rule needs --project DIR (or a project in "
               "the current directory); not checked\n",
               budget.config.file, budget.config.unused->line);
    return unused;
  }
  const recommend::Project project = recommend::read_project(project_dir);
  recommend::RecommendOptions options;
  options.project = &project;
  options.kinds = {recommend::FindingKind::kUnused};
  const recommend::Recommendations result = recommend::recommend(scan, options);
  for (const recommend::Finding& finding : result.findings) {
    const std::uint64_t bytes = finding.bytes ? finding.bytes->apparent_bytes : 0;
    fmt::print(stderr, "pkgsizer: {}: {}:{}: unused: {} ({}): {}\n",
               budget.config.unused->fail ? "error" : "warning", budget.config.file,
               budget.config.unused->line, printable(finding.title), format_size(bytes),
               printable(finding.action));
    unused.push_back({finding.title, finding.distributions, bytes, finding.action});
  }
  return unused;
}

budget::MeasuredImports measured_imports(const importtime::ImportProfile& profile) {
  budget::MeasuredImports measured;
  measured.target = profile.target;
  measured.interpreter = profile.interpreter;
  measured.runs = profile.runs;
  measured.total_us = profile.total.median_us;
  for (const importtime::DistributionTiming& dist : profile.distributions)
    if (dist.kind == importtime::AttributionKind::kDistribution)
      measured.distributions.push_back(
          {dist.name, packaging::normalize_name(dist.name), dist.version, dist.self_us});
  for (const importtime::ModuleTiming& module : profile.modules)
    if (!module.startup && !module.cached)
      measured.modules.push_back({module.name, module.cumulative.median_us});
  return measured;
}

// check-budget --import: the measured import times against [budget.import_time].
int run_import_budget(CheckBudgetOptions& options, const PreparedBudget& budget) {
  if (!budget.config.import_time)
    throw Error(ErrorCategory::kUsage,
                fmt::format("{}: --import checks [budget.import_time], and there is none",
                            budget.config.file));
  options.import_measure.environment = options.request.environment;
  options.import_measure.measure.modules = options.import_modules;
  options.import_measure.quiet = options.quiet;
  const importtime::ImportProfile profile = measure_from_options(options.import_measure);
  return report_evaluation(
      budget::evaluate_import_time_budget(measured_imports(profile), budget.config),
      options.output);
}

int run_check_budget(CheckBudgetOptions& options) {
  options.output.render.color = use_color(options.color);
  options.output.render.width = terminal_width();
  options.output.render.units = options.units;
  // The budget first: a typo in it should not wait for a scan.
  const PreparedBudget budget = prepare_budget(options.output);
  if (!options.import_modules.empty()) return run_import_budget(options, budget);
  const NotifyPlan notify_plan = prepare_notify(options.notify, budget.config.file);

  Scan scan;
  if (!options.requirements_path.empty()) {
    // Before installing: the prediction of a requirements or lock file (`pkgsizer predict`).
    PredictSourceOptions prediction = options.prediction;
    prediction.no_cache = options.request.cache.no_cache;
    scan = predict_as_scan(options.requirements_path, prediction, options.quiet);
  } else if (!options.image.empty()) {
    scan = scan_image(options.image);
  } else if (!options.report_path.empty()) {
    scan = read_report(options.report_path);
  } else {
    scan::ScanOptions scan_options;  // every distribution: budgets cover the whole environment
    ScanOutcome outcome = locate_and_scan(options.request, scan_options, options.quiet);
    scan = scan::select_distributions_view(std::move(outcome.full), scan_options.filter);
  }
  report_scan_problems(scan, options.quiet);
  // The unused rule needs the installed files: a prediction or a saved report has none.
  const bool installed =
      options.requirements_path.empty() && options.report_path.empty() && options.image.empty();
  const std::vector<budget::UnusedDistribution> unused =
      installed ? find_unused(scan, budget, options.project)
                : std::vector<budget::UnusedDistribution>{};
  // An exceeded limit (1) wins over unknown sizes (4), as for scan-env.
  const int budget_code = report_budget(scan, budget, options.output, unused);
  // "fail" fails the check with or without --fail-on-exceed (a written report comes first).
  const bool unused_fails = budget.config.unused && budget.config.unused->fail && !unused.empty();
  const int exit_code =
      unused_fails && budget_code != kExitOutput ? kExitThresholdExceeded : budget_code;
  if (notify_plan.empty()) return exit_code;
  const budget::BudgetEvaluation evaluation =
      budget::evaluate_budget(scan, budget.config, budget.baseline ? &*budget.baseline : nullptr,
                              options.output.allow_unknown);
  if (evaluation.overall() != budget::Status::kFail) return exit_code;
  return send_notification(notify_plan, options.notify, budget_notification(evaluation, options),
                           exit_code, options.quiet);
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
          "The snapshot history for --baseline @SNAPSHOT, a file or a postgresql:// URL (default: "
          "$PKGSIZER_HISTORY, then XDG)")
      ->type_name("FILE|URL")
      ->group("Budget");
  command
      // `track --timeout`; here --timeout is already --import's limit on each run.
      ->add_option("--history-timeout", options->output.connect_timeout,
                   "Seconds to wait for a PostgreSQL history's server, for --baseline @SNAPSHOT "
                   "(default: $PGCONNECT_TIMEOUT, else 10)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1, 3600))
      ->group("Budget");
  command
      ->add_option("--requirements", options->requirements_path,
                   "Check the predicted size of a requirements or lock file, before installing")
      ->type_name("FILE")
      ->group("Budget");
  command
      ->add_option("--project", options->project,
                   "The project whose imports the budget's unused rule checks (default: the "
                   "current directory when it is a project)")
      ->type_name("DIR");
  command
      ->add_option("--report", options->report_path,
                   "Check this saved scan (`scan-env --json` output) instead of scanning")
      ->type_name("SCAN.json")
      ->group("Budget");
  command
      ->add_option("--image", options->image,
                   "Check a container image's Python distributions (see `pkgsizer docker`)")
      ->type_name("IMAGE")
      ->group("Budget");

  command
      ->add_option("--import", options->import_modules,
                   "Check [budget.import_time]: measure importing these modules (pkgsizer "
                   "import-time) instead of sizes")
      ->type_name("MODULE")
      ->group("Import time");
  add_import_measure_options(*command, options->import_measure);

  // The options of `predict`, for --requirements (its --no-cache is the scan's, for both caches).
  add_predict_options(*command, options->prediction, false);

  add_notify_options(*command, options->notify);
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
