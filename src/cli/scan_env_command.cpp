#include "cli/scan_env_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <thread>

#include "cli/budget_output.hpp"
#include "cli/choice.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output_options.hpp"
#include "cli/predict_options.hpp"
#include "cli/scan_runner.hpp"
#include "cli/terminal.hpp"
#include "pkgsizer/json.hpp"
#include "pkgsizer/scan.hpp"
#include "predict/installed_wheels.hpp"
#include "report/csv_report.hpp"
#include "report/deps_tree_report.hpp"
#include "report/html_report.hpp"
#include "report/markdown_report.hpp"
#include "report/table_report.hpp"
#include "report/view.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"
#include "util/phase_clock.hpp"
#include "util/size_units.hpp"
#include "util/text.hpp"

namespace pkgsizer::cli {
namespace {

struct ScanEnvOptions {
  ScanRequest request;
  std::vector<std::string> packages;
  std::vector<std::string> exclude;
  std::vector<std::string> exclude_files;
  std::size_t top = 0;
  report::SortKey sort_by = report::SortKey::kSize;
  scan::EditableMode editable = scan::EditableMode::kMark;
  std::optional<std::string> json_path, csv_path, markdown_path;
  std::string html_path;  // --html FILE: the self-contained report (docs/html-report.md)
  std::string fail_over;
  BudgetOutputOptions budget;  // --budget FILE, --fail-on-exceed
  int module_depth = 0;
  bool tree = false;
  bool follow_symlinks = false;
  bool show_unowned = false;
  ColorChoice color = ColorChoice::kAuto;
  SizeUnits units = SizeUnits::kDecimal;
  bool quiet = false;
  int jobs = 0;
  // The dependency graph's views.
  int depth = 0;
  bool include_deps = false;
  bool deps_tree = false;
  bool reverse = false;
  bool strict = false;
  bool timings = false;
  // --show-wheel-size: each distribution's wheel on the index (predict's index options).
  bool show_wheel_size = false;
  PredictSourceOptions source;
};

// How deep the HTML report's module trees go unless --module-depth says.
constexpr int kHtmlModuleDepth = 4;

constexpr const char* kExamples = R"(
Examples:
  pkgsizer scan-env                          the active venv, or python3 on PATH
  pkgsizer scan-env --venv .venv --top 20    the 20 largest distributions of .venv
  pkgsizer scan-env -p numpy --tree          numpy's packages and modules with sizes
  pkgsizer scan-env --json scan.json         the table, and the full scan as JSON
  pkgsizer scan-env --json - | jq .totals    only JSON on stdout
  pkgsizer scan-env --html report.html       a report to open in a browser (works offline)
  pkgsizer scan-env --fail-over 500MB        exit 1 when the total exceeds 500 MB
  pkgsizer scan-env --exclude-files '*.pyc' --exclude-files 'tests/*'
                                             sizes without bytecode and test suites
  pkgsizer scan-env --include-deps --top 10  with cumulative and removal sizes
  pkgsizer scan-env -p requests --deps-tree  requests' dependency tree with sizes
  pkgsizer scan-env -p idna --reverse        who depends on idna
  pkgsizer scan-env --show-wheel-size        each wheel's download size, and installed/wheel
  pkgsizer scan-env --show-wheel-size --offline --json -
                                             the same from the HTTP cache only, as JSON
)";

// Scan problems go to stderr; dependency problems too unless the table shows them.
void print_problems(const Scan& scan, bool quiet, bool table_shows_dependency_problems) {
  if (quiet) return;
  constexpr std::size_t kShown = 20;
  std::size_t shown = 0;
  for (const Problem& problem : scan.problems) {
    if (problem.is_dependency_problem() && table_shows_dependency_problems) continue;
    if (shown++ == kShown) {
      fmt::print(stderr, "pkgsizer: … and more (all of them are in --json output)\n");
      break;
    }
    fmt::print(stderr, "pkgsizer: {}: {}: {}\n", to_string(problem.severity),
               printable(problem.path), printable(problem.message));
  }
}

// --exclude matches distribution names; users of other size tools pass file globs ('*.pyc',
// 'tests/*') and would silently get the full sizes. A name has no '/' and no file extension.
bool looks_like_a_file_glob(const std::string& pattern) {
  if (pattern.find('/') != std::string::npos) return true;
  const std::size_t dot = pattern.rfind('.');
  if (dot == std::string::npos || dot + 1 == pattern.size()) return false;
  const std::string extension = pattern.substr(dot + 1);
  for (const char* known : {"py",   "pyc", "pyo", "pyi", "so", "pyd", "dll", "dylib", "txt", "md",
                            "json", "csv", "dat", "h",   "c",  "cpp", "pxd", "pyx",   "zip", "egg"})
    if (extension == known) return true;
  return false;
}

// --show-wheel-size: the wheel of each shown distribution's version, from the index. Never fails
// the scan: an unknown size is "—" with a note, and one warning says how many.
void attach_wheel_sizes(Scan& scan, ScanEnvOptions& options) {
  std::vector<predict::InstalledRelease> installed;
  std::vector<Distribution*> asked;
  for (Distribution& dist : scan.distributions) {
    if (dist.editable) {  // built from a source tree: no index file is what is installed
      dist.wheel = WheelDownload{"", std::nullopt, "an editable install: not from a wheel"};
      continue;
    }
    installed.push_back({dist.name, dist.version, dist.size.apparent_bytes});
    asked.push_back(&dist);
  }
  target_from_environment(options.source, scan.environment);
  default_target_from_interpreter(options.source, options.quiet);
  options.source.no_cache = options.request.cache.no_cache;
  const predict::EnvironmentLookup lookup =
      [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    return value ? std::optional<std::string>(value) : std::nullopt;
  };
  predict::InstalledWheels found;
  try {
    found = predict::find_installed_wheels(installed, to_predict_options(options.source), lookup);
  } catch (const std::invalid_argument& error) {  // the target's values (wheel_tags)
    throw Error(ErrorCategory::kUsage, error.what());
  }
  for (std::size_t i = 0; i < asked.size(); ++i) {
    const predict::InstalledWheel& wheel = found.wheels[i];
    asked[i]->wheel = WheelDownload{wheel.file_name, wheel.download_bytes, wheel.note};
  }
  if (options.quiet) return;
  for (const std::string& warning : found.warnings)
    fmt::print(stderr, "pkgsizer: warning: {}\n", printable(warning));
  if (found.unknown > 0)
    fmt::print(stderr,
               "pkgsizer: warning: --show-wheel-size: {} of {} wheel sizes unknown (shown as "
               "'—'; why: the notes under the table, or \"wheel\".\"note\" in --json)\n",
               found.unknown, found.wheels.size());
}

int run_scan_env(ScanEnvOptions& options) {
  if (!options.quiet)
    for (const std::string& pattern : options.exclude)
      if (looks_like_a_file_glob(pattern))
        fmt::print(stderr,
                   "pkgsizer: warning: --exclude '{}' matches distribution names, not files "
                   "(--exclude-files '{}' leaves files out of the sizes)\n",
                   pattern, pattern);
  std::optional<std::uint64_t> fail_over;
  if (!options.fail_over.empty()) {
    fail_over = parse_size(options.fail_over);
    if (!fail_over) {
      fmt::print(stderr,
                 "pkgsizer: error: --fail-over: '{}' is not a size (try 500MB, 1.5GiB, 123)\n",
                 options.fail_over);
      return kExitUsage;
    }
  }
  const int stdout_outputs = (options.json_path == "-") + (options.csv_path == "-") +
                             (options.markdown_path == "-") + (options.html_path == "-");
  if (stdout_outputs > 1) {
    fmt::print(
        stderr,
        "pkgsizer: error: only one of --json, --csv, --markdown and --html can write to stdout\n");
    return kExitUsage;
  }

  scan::ScanOptions scan_options;
  scan_options.follow_symlinks = options.follow_symlinks;
  scan_options.threads = options.jobs;
  scan_options.module_depth =
      options.module_depth > 0 ? options.module_depth : (options.tree ? 2 : 0);
  // The HTML report's treemap goes down to modules; the text views keep what was asked.
  const bool show_modules = scan_options.module_depth > 0;
  if (!options.html_path.empty() && options.module_depth == 0)
    scan_options.module_depth = kHtmlModuleDepth;
  // A dependency tree needs every distribution; its roots are the -p packages.
  const bool tree_view = options.deps_tree || options.reverse;
  if (options.reverse && options.packages.empty()) {
    fmt::print(stderr, "pkgsizer: error: --reverse needs -p PACKAGE: whose dependents to show\n");
    return kExitUsage;
  }
  scan_options.exclude_files.globs = options.exclude_files;
  scan_options.filter = {tree_view ? std::vector<std::string>{} : options.packages, options.exclude,
                         options.editable, options.depth};
  PhaseTimings phase_timings;
  if (options.timings) scan_options.timings = &phase_timings;
  std::optional<PreparedBudget> budget;  // read before scanning: a bad budget file costs no scan
  if (!options.budget.config_path.empty()) budget = prepare_budget(options.budget);
  ScanOutcome outcome = locate_and_scan(options.request, scan_options, options.quiet);
  PhaseClock clock(scan_options.timings);
  Scan scan = scan::select_distributions_view(std::move(outcome.full), scan_options.filter);
  clock.lap("selection");

  if (!options.packages.empty() && scan.distributions.empty())
    fmt::print(stderr, "pkgsizer: warning: no installed distribution matches -p {}\n",
               fmt::join(options.packages, ", "));
  report::RenderOptions render;
  render.color = use_color(options.color);
  render.width = terminal_width();
  render.units = options.units;
  render.show_modules = show_modules;
  render.show_unowned = options.show_unowned;
  render.mark_editable = options.editable == scan::EditableMode::kMark;
  render.show_dependency_sizes = options.include_deps;
  // The HTML report shows every selected distribution (its table filters), before --top cuts.
  const std::string html = options.html_path.empty() ? "" : report::render_scan_html(scan);
  const std::optional<Scan> budget_scan =
      budget ? std::optional<Scan>(scan) : std::nullopt;  // before --top cuts
  std::string human_view;
  if (tree_view) {
    report::DependencyTreeOptions tree{options.packages, options.depth, options.reverse};
    human_view = report::render_dependency_tree(scan.distributions, tree, render);
    report::order_distributions(scan, options.sort_by, options.top);
  } else {
    report::order_distributions(scan, options.sort_by, options.top);
    // Only the rows shown are looked up: --top 10 costs ten index pages.
    if (options.show_wheel_size) attach_wheel_sizes(scan, options);
    human_view = report::render_table(scan, render);
  }
  human_view += report::render_dependency_problems(scan.problems, render);
  print_problems(scan, options.quiet, stdout_outputs == 0);

  if (options.json_path)
    write_output(*options.json_path, dump_json(model::scan_to_json(scan), 2) + "\n");
  if (options.csv_path) write_output(*options.csv_path, report::render_csv(scan));
  if (options.markdown_path)
    write_output(*options.markdown_path, report::render_markdown(scan, render));
  if (!options.html_path.empty()) {
    write_output(options.html_path, html);
    if (!options.quiet && options.html_path != "-")
      fmt::print(stderr, "pkgsizer: wrote {}\n", options.html_path);
  }
  if (stdout_outputs == 0) write_output("-", human_view);
  clock.lap("report");
  if (options.timings) {
    for (const auto& [phase, seconds] : phase_timings)
      fmt::print(stderr, "pkgsizer: timing: {:<12} {:8.3f} s\n", phase, seconds);
    if (!outcome.cache_summary.empty())
      fmt::print(stderr, "pkgsizer: timing: ({})\n", outcome.cache_summary);
  }

  int budget_code = kExitOk;
  if (budget) {
    options.budget.render = render;
    options.budget.to_stderr = stdout_outputs > 0;  // stdout carries JSON, CSV or Markdown
    if (stdout_outputs == 0) fmt::print("\n");      // a blank line after the table
    budget_code = report_budget(*budget_scan, *budget, options.budget);
  }
  const bool fail_over_exceeded = fail_over && scan.totals.selected.apparent_bytes > *fail_over;
  // The selection's total, whether or not --top shows every row: a gate that a display
  // option could open would pass on what it does not show.
  if (fail_over_exceeded)
    fmt::print(stderr, "pkgsizer: total {} of {} selected distributions exceeds --fail-over {}\n",
               format_size(scan.totals.selected.apparent_bytes, options.units),
               format_count(scan.totals.distributions), format_size(*fail_over, options.units));
  ScanVerdict verdict;
  verdict.threshold_exceeded = fail_over_exceeded || budget_code == kExitThresholdExceeded;
  // An incomplete budget check (sizes unknown) is partial too.
  verdict.partial =
      budget_code == kExitPartial ||
      std::any_of(scan.problems.begin(), scan.problems.end(),
                  [](const Problem& problem) { return problem.severity == Severity::kError; });
  verdict.dependency_problems =
      std::any_of(scan.problems.begin(), scan.problems.end(),
                  [](const Problem& problem) { return problem.is_dependency_problem(); });
  verdict.strict = options.strict;
  return scan_exit_code(verdict);
}

}  // namespace

std::function<int()> register_scan_env(CLI::App& app) {
  auto options = std::make_shared<ScanEnvOptions>();
  CLI::App* command = app.add_subcommand(
      "scan-env", "Measure every installed distribution of a Python environment");
  command->footer(kExamples);
  add_scan_options(*command, options->request);

  command->add_option("-p,--package", options->packages, "Show only this distribution (repeatable)")
      ->group("Selection");
  command
      ->add_option("--exclude", options->exclude,
                   "Leave out distributions whose name matches GLOB (repeatable)")
      ->type_name("GLOB")
      ->group("Selection");
  command
      ->add_option("--exclude-files", options->exclude_files,
                   "Leave files matching GLOB out of every size: '*.pyc', 'tests/*' (repeatable; "
                   "the scan cache is not used)")
      ->type_name("GLOB")
      ->group("Selection");
  command
      ->add_option("--include-editable", options->editable,
                   "Editable installs: mark them (default), include them unmarked, or exclude them")
      ->transform(choice<scan::EditableMode>({{"mark", scan::EditableMode::kMark},
                                              {"include", scan::EditableMode::kInclude},
                                              {"exclude", scan::EditableMode::kExclude}}))
      ->type_name("mark|include|exclude")
      ->group("Selection");
  command->add_option("--top", options->top, "Show only the N largest (after sorting)")
      ->type_name("N")
      ->check(CLI::Range(0, 1 << 30))
      ->group("Selection");
  command->add_option("--by", options->sort_by, "Sort by size (default), files or name")
      ->transform(choice<report::SortKey>({{"size", report::SortKey::kSize},
                                           {"files", report::SortKey::kFiles},
                                           {"name", report::SortKey::kName}}))
      ->type_name("size|files|name")
      ->group("Selection");

  CLI::Option* json_option =
      add_optional_output(*command, "--json", "Write the full scan as JSON to FILE (or stdout)");
  CLI::Option* csv_option = add_optional_output(
      *command, "--csv", "Write one CSV row per distribution to FILE (or stdout)");
  CLI::Option* markdown_option =
      add_optional_output(*command, "--markdown", "Write a Markdown table to FILE (or stdout)");
  command
      ->add_option("--html", options->html_path,
                   "Write a self-contained HTML report (treemap, table, dependency graph) to FILE")
      ->type_name("FILE")
      ->group("Output");
  command
      ->add_option("--module-depth", options->module_depth,
                   "Show each distribution's module tree N levels deep")
      ->type_name("N")
      ->check(CLI::Range(1, 64))
      ->group("Output");
  command
      ->add_flag("--tree", options->tree,
                 "Show each distribution's module tree (2 levels unless --module-depth)")
      ->group("Output");
  command->add_flag("--unowned", options->show_unowned, "List the files no distribution claims")
      ->group("Output");
  add_color_option(*command, options->color);
  add_units_option(*command, options->units);
  command->add_flag("-q,--quiet", options->quiet, "No progress and no warnings on stderr")
      ->group("Output");

  command
      ->add_flag("--show-wheel-size", options->show_wheel_size,
                 "Add columns: each distribution's wheel download size on the index (for the "
                 "installed version and the environment's tags) and installed/wheel; the Index "
                 "options say where, --offline uses only the HTTP cache")
      ->group("Output");
  add_predict_options(*command, options->source, false);
  command
      ->add_option("--budget", options->budget.config_path,
                   "Check the scan against this budget file (docs/budget.md)")
      ->type_name("FILE")
      ->group("Checks");
  command
      ->add_flag("--fail-on-exceed", options->budget.fail_on_exceed,
                 "With --budget: exit 1 when a limit is exceeded")
      ->group("Checks");
  command
      ->add_option("--fail-over", options->fail_over,
                   "Exit 1 when the total of the selected distributions (-p, --exclude; all of "
                   "them, whatever --top shows) exceeds SIZE")
      ->type_name("SIZE")
      ->group("Checks");
  command
      ->add_flag("--include-deps", options->include_deps,
                 "Add columns: size with all dependencies (each once), and what uninstalling it "
                 "would free")
      ->group("Dependencies");
  command
      ->add_flag(
          "--deps-tree", options->deps_tree,
          "Show the dependency tree (from -p packages, or from every root) with cumulative sizes")
      ->group("Dependencies");
  command->add_flag("--reverse", options->reverse, "Show who depends on the -p packages, as a tree")
      ->group("Dependencies");
  command
      ->add_option("--depth", options->depth,
                   "With -p: also show dependencies N levels down; limits --deps-tree")
      ->type_name("N")
      ->check(CLI::Range(1, 1000))
      ->group("Dependencies");
  command
      ->add_flag("--strict", options->strict,
                 "Exit 6 on missing dependencies, version conflicts or cycles")
      ->group("Dependencies");
  command
      ->add_flag("--follow-symlinks", options->follow_symlinks,
                 "Follow symbolic links (each directory once)")
      ->group("Scanning");
  command
      ->add_flag("--timings", options->timings,
                 "Print how long each phase of the scan took (stderr)")
      ->group("Scanning");
  command->add_option("-j,--jobs", options->jobs, "Threads for walking (default: one per core)")
      ->check(CLI::Range(1, 256))
      ->group("Scanning");

  return [=]() -> int {
    if (!command->parsed()) return -1;
    options->json_path = output_target(json_option);
    options->csv_path = output_target(csv_option);
    options->markdown_path = output_target(markdown_option);
    return run_scan_env(*options);
  };
}

}  // namespace pkgsizer::cli
