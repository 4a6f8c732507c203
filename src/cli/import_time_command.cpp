#include "cli/import_time_command.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <memory>

#include "cli/environment_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/output_options.hpp"
#include "importtime/profile_diff.hpp"
#include "importtime/profile_json.hpp"
#include "report/import_time_html.hpp"
#include "report/import_time_report.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"
#include "util/read_file.hpp"
#include "util/text.hpp"

namespace pkgsizer::cli {
namespace {

struct ImportTimeOptions {
  ImportMeasureOptions measure;
  bool tree = false;
  std::string min_time = "0ms";
  std::size_t top = 10;
  std::string html_path;
  bool timings = false;
};

constexpr const char* kExamples = R"(
Examples:
  pkgsizer import-time requests                  per distribution, slowest modules, lazy candidates
  pkgsizer import-time requests --venv .venv --runs 10
  pkgsizer import-time -c 'import myapp.cli' --tree --min-time 5ms
  pkgsizer import-time --script app.py --html import-time.html
  pkgsizer import-time pandas --json before.json   then `pkgsizer compare before.json after.json`
Exit codes: 0 measured, 2 usage, 3 no environment or interpreter, or the measured code failed
(its traceback's last line is shown), 5 output not written. Times: docs/import-time.md.
)";

int run_import_time(ImportTimeOptions& options, const std::optional<std::string>& json_path,
                    const std::optional<std::string>& markdown_path) {
  const std::optional<std::int64_t> min_time = importtime::parse_duration(options.min_time);
  if (!min_time)
    throw Error(
        ErrorCategory::kUsage,
        fmt::format("--min-time {}: not a duration (try 5ms, 0.2s, 500us)", options.min_time));
  PhaseTimings timings;
  if (options.timings) options.measure.measure.timings = &timings;
  const importtime::ImportProfile profile = measure_from_options(options.measure);
  PhaseClock clock(options.timings ? &timings : nullptr);

  report::ImportTimeRenderOptions render;
  render.tree = options.tree;
  render.min_time_us = *min_time;
  render.top = options.top;
  if (json_path)
    write_output(*json_path, dump_json(importtime::profile_to_json(profile), 2) + "\n");
  if (markdown_path)
    write_output(*markdown_path, report::render_import_time_markdown(profile, render));
  if (!options.html_path.empty()) {
    write_output(options.html_path, report::render_import_time_html(profile));
    if (options.html_path != "-") fmt::print(stderr, "pkgsizer: wrote {}\n", options.html_path);
  }
  const bool stdout_taken =
      (json_path && *json_path == "-") || (markdown_path && *markdown_path == "-");
  if (!stdout_taken) write_output("-", report::render_import_time(profile, render));
  clock.lap("render");
  if (options.timings) {
    for (const auto& [phase, seconds] : timings)
      fmt::print(stderr, "pkgsizer: timing: {} {:.1f} ms\n", phase, seconds * 1000);
    // Wall times on a busy machine include waiting for a core; the CPU time of this process
    // (its children, the interpreter runs, excluded) is what pkgsizer itself costs.
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    const auto milliseconds = [](const timeval& time) {
      return static_cast<double>(time.tv_sec) * 1000 + static_cast<double>(time.tv_usec) / 1000;
    };
    fmt::print(stderr, "pkgsizer: timing: cpu {:.1f} ms\n",
               milliseconds(usage.ru_utime) + milliseconds(usage.ru_stime));
  }
  return kExitOk;
}

}  // namespace

void add_import_measure_options(CLI::App& command, ImportMeasureOptions& options) {
  command
      .add_option("--runs", options.measure.runs,
                  "Measure N fresh interpreter runs and report medians (default 5)")
      ->type_name("N")
      ->check(CLI::Range(1, 1000))
      ->group("Measuring");
  command
      .add_option("--warmup", options.measure.warmup,
                  "Runs first, not counted, so that writing .pyc files is not measured (default 1)")
      ->type_name("N")
      ->check(CLI::Range(0, 100))
      ->group("Measuring");
  command
      .add_flag("--cold", options.measure.cold,
                "Count bytecode compilation: every run starts with an empty pycache "
                "(-X pycache_prefix), and there is no warm-up")
      ->group("Measuring");
  command
      .add_option("--timeout", options.timeout_seconds,
                  "Give up on a run after SECONDS (default 120)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.1, 86400.0))
      ->group("Measuring");
}

importtime::ImportProfile measure_from_options(ImportMeasureOptions& options) {
  read_environment_variables(options.environment);
  options.measure.timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(options.timeout_seconds * 1000));
  if (options.measure.cold) options.measure.warmup = 0;
  Environment environment;
  try {
    environment = env::locate_environment(options.environment);
  } catch (const env::EnvironmentError& error) {
    throw Error(ErrorCategory::kEnvironment, error.what());
  }
  importtime::ImportProfile profile = importtime::measure_imports(environment, options.measure);
  if (!options.quiet)
    for (const std::string& line : profile.other_lines)
      fmt::print(stderr, "pkgsizer: the measured code printed: {}\n", printable(line));
  return profile;
}

std::function<int()> register_import_time(CLI::App& app) {
  auto options = std::make_shared<ImportTimeOptions>();
  CLI::App* command = app.add_subcommand(
      "import-time", "What importing costs: per module and per distribution, median of runs");
  command->footer(kExamples);
  command->add_option("module", options->measure.measure.modules,
                      "The modules to import, in order (or -c CODE, or --script FILE)");
  CLI::Option* code = command->add_option("-c,--code", options->measure.measure.code,
                                          "Measure this Python code instead of MODULE imports");
  CLI::Option* script = command->add_option(
      "--script", options->measure.measure.script,
      "Measure this script, run as __main__ (its imports and whatever it does at start)");
  code->excludes(script);
  add_environment_options(*command, options->measure.environment);
  add_import_measure_options(*command, options->measure);
  command->add_flag("--tree", options->tree, "Show the cumulative import tree")->group("Output");
  command
      ->add_option("--min-time", options->min_time,
                   "With --tree: collapse the modules below this cumulative time (e.g. 5ms)")
      ->type_name("DURATION")
      ->group("Output");
  command->add_option("--top", options->top, "Rows of the slowest lists (default 10)")
      ->type_name("N")
      ->check(CLI::Range(1, 100000))
      ->group("Output");
  CLI::Option* json = add_optional_output(*command, "--json", "Write the profile as JSON");
  CLI::Option* markdown = add_optional_output(*command, "--markdown", "Write a Markdown report");
  command
      ->add_option(
          "--html", options->html_path,
          "Write a self-contained HTML page with an icicle of the imports (docs/html-report.md)")
      ->type_name("FILE")
      ->group("Output");
  command->add_flag("--timings", options->timings, "Print pkgsizer's own phase times on stderr")
      ->group("Output");
  command
      ->add_flag("-q,--quiet", options->measure.quiet,
                 "Do not repeat the lines the measured code printed on stderr")
      ->group("Output");
  return [=]() -> int {
    if (!command->parsed()) return -1;
    const auto& request = options->measure.measure;
    const int given = (request.modules.empty() ? 0 : 1) + (code->count() > 0 ? 1 : 0) +
                      (script->count() > 0 ? 1 : 0);
    if (given != 1) {
      fmt::print(stderr,
                 "pkgsizer: error: import-time needs exactly one of: MODULE…, -c CODE, --script "
                 "FILE\n");
      return kExitUsage;
    }
    return run_import_time(*options, output_target(json), output_target(markdown));
  };
}

std::optional<int> compare_import_profiles(const std::string& first, const std::string& second,
                                           const std::optional<std::string>& json_path) {
  auto read = [](const std::string& path) -> std::optional<std::string> {
    if (path.empty() || path.front() == '@') return std::nullopt;  // a snapshot, not a file
    std::string error;
    return read_text_file(path, kMaxInputFileBytes, &error);
  };
  const std::optional<std::string> before_text = read(first);
  if (!before_text || !importtime::is_profile_json(*before_text)) return std::nullopt;
  const std::optional<std::string> after_text = read(second);
  if (!after_text || !importtime::is_profile_json(*after_text)) return std::nullopt;
  const importtime::ImportProfile before = importtime::profile_from_json(*before_text, first);
  const importtime::ImportProfile after = importtime::profile_from_json(*after_text, second);
  const importtime::ProfileDiff diff = importtime::diff_profiles(before, after);
  if (json_path) {
    nlohmann::ordered_json json;
    json["kind"] = "pkgsizer-import-time-diff";
    json["before"] = {{"source", first}, {"total_us", diff.before_total.median_us}};
    json["after"] = {{"source", second}, {"total_us", diff.after_total.median_us}};
    json["change_us"] = diff.after_total.median_us - diff.before_total.median_us;
    nlohmann::ordered_json changes = nlohmann::ordered_json::array();
    for (const importtime::DistributionChange& change : diff.changes)
      changes.push_back(
          {{"name", change.name},
           {"before_version", change.before_version},
           {"after_version", change.after_version},
           {"before_us", change.before_present ? nlohmann::ordered_json(change.before_us)
                                               : nlohmann::ordered_json(nullptr)},
           {"after_us", change.after_present ? nlohmann::ordered_json(change.after_us)
                                             : nlohmann::ordered_json(nullptr)},
           {"change_us", change.change_us()}});
    json["distributions"] = std::move(changes);
    write_output(*json_path, dump_json(json, 2) + "\n");
  }
  if (!json_path || *json_path != "-") write_output("-", report::render_import_time_diff(diff));
  return kExitOk;
}

}  // namespace pkgsizer::cli
