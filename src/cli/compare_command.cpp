#include "cli/compare_command.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <optional>

#include "cli/docker_command.hpp"
#include "cli/exit_codes.hpp"
#include "cli/import_time_command.hpp"
#include "cli/notify_options.hpp"
#include "cli/output_options.hpp"
#include "cli/scan_runner.hpp"
#include "cli/terminal.hpp"
#include "compare/scan_diff.hpp"
#include "compare/scan_source.hpp"
#include "report/diff_report.hpp"
#include "report/html_report.hpp"
#include "store/history.hpp"
#include "store/history_location.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/home.hpp"
#include "util/json_text.hpp"
#include "util/size_units.hpp"
#include "util/text.hpp"

namespace pkgsizer::cli {
namespace {

struct CompareOptions {
  std::string first, second;  // positional sides
  std::string python_a, python_b;
  std::string history;
  int connect_timeout = 0;  // --timeout: seconds to reach a PostgreSQL history
  bool show_changes = false;
  std::string threshold;
  std::string group_below;
  std::string fail_on_increase;
  std::optional<std::string> json_path, markdown_path;
  std::string html_path;  // --html FILE (docs/html-report.md)
  ColorChoice color = ColorChoice::kAuto;
  SizeUnits units = SizeUnits::kDecimal;
  bool quiet = false;
  int jobs = 0;
  CacheRequest cache;
  NotifyRequest notify;
};

// What one side is: a path or snapshot reference, or an interpreter to ask.
struct Side {
  std::string name;
  bool interpreter = false;
};

constexpr const char* kExamples = R"(
Sides: a JSON scan (scan-env --json FILE, or - for stdin), a venv / conda env / prefix
directory, a site-packages directory, or a tracked snapshot: @label, @ID, @latest.

Examples:
  pkgsizer compare before.json after.json          two saved scans
  pkgsizer compare .venv-old .venv                 two environments, scanned now
  pkgsizer compare @v1.2 .venv                     a tracked snapshot against a venv
  pkgsizer compare --python-a python3.11 --python-b python3.12
  pkgsizer compare main.json pr.json --markdown -  a Markdown table for a PR comment
  pkgsizer compare a.json b.json --html diff.html  a page to open in a browser
  pkgsizer compare a.json b.json --threshold 1MB   only changes of 1 MB or more
  pkgsizer compare a.json b.json --fail-on-increase 5%   exit 1 when it grew more than 5%
)";

// --python-a and --python-b take the place of A and B; positional sides fill the rest in order.
std::optional<std::pair<Side, Side>> choose_sides(const CompareOptions& options) {
  std::vector<std::string> positional;
  for (const std::string* side : {&options.first, &options.second})
    if (!side->empty()) positional.push_back(*side);
  std::vector<Side> sides;
  auto next = positional.begin();
  for (const std::string* python : {&options.python_a, &options.python_b}) {
    if (!python->empty())
      sides.push_back({*python, true});
    else if (next != positional.end())
      sides.push_back({*next++, false});
  }
  if (sides.size() != 2 || next != positional.end()) return std::nullopt;
  return std::pair{sides[0], sides[1]};
}

Scan load_side(const Side& side, const compare::SourceOptions& sources, bool quiet) {
  Progress progress(fmt::format("scanning {}", side.name), !quiet);
  compare::SourceOptions with_progress = sources;
  with_progress.scan_options.files_seen = &progress.counter();
  // An image on either side (`compare app.tar oci:dir:v2`): its final distributions.
  Scan scan = side.interpreter                ? compare::scan_interpreter(side.name, with_progress)
              : is_image_reference(side.name) ? scan_image(side.name)
                                              : compare::load_scan_source(side.name, with_progress);
  progress.stop();
  std::size_t errors = 0;
  for (const Problem& problem : scan.problems) errors += problem.severity == Severity::kError;
  if (errors > 0 && !quiet)
    fmt::print(stderr,
               "pkgsizer: warning: {}: {} problem(s) while reading it; sizes may be partial\n",
               side.name, errors);
  return scan;
}

struct Limits {
  std::uint64_t threshold = 0;
  std::uint64_t group_below = report::DiffOptions::kDefaultGroupBelowBytes;
  std::optional<compare::IncreaseLimit> fail_on_increase;
};

std::optional<Limits> parse_limits(const CompareOptions& options) {
  Limits limits;
  if (!options.threshold.empty()) {
    const auto threshold = parse_size(options.threshold);
    if (!threshold) {
      fmt::print(stderr, "pkgsizer: error: --threshold: '{}' is not a size (try 1MB, 500kB, 123)\n",
                 options.threshold);
      return std::nullopt;
    }
    limits.threshold = *threshold;
  }
  if (!options.group_below.empty()) {
    const auto group_below = parse_size(options.group_below);
    if (!group_below) {
      fmt::print(stderr, "pkgsizer: error: --group-below: '{}' is not a size (try 1MB, 500kB, 0)\n",
                 options.group_below);
      return std::nullopt;
    }
    limits.group_below = *group_below;
  }
  if (!options.fail_on_increase.empty()) {
    limits.fail_on_increase = compare::parse_increase_limit(options.fail_on_increase);
    if (!limits.fail_on_increase) {
      fmt::print(stderr,
                 "pkgsizer: error: --fail-on-increase: '{}' is not a size or a percentage (try "
                 "10MB, 5%)\n",
                 options.fail_on_increase);
      return std::nullopt;
    }
  }
  return limits;
}

// Writes every output asked for; the text goes to stdout unless a format took it.
void write_reports(const compare::ScanDiff& diff, const CompareOptions& options,
                   const report::DiffOptions& shown) {
  report::RenderOptions render;
  render.color = use_color(options.color);
  render.units = options.units;
  if (options.json_path)
    write_output(*options.json_path, dump_json(report::diff_to_json(diff, shown), 2) + "\n");
  if (options.markdown_path)
    write_output(*options.markdown_path, report::render_diff_markdown(diff, shown, render));
  if (!options.html_path.empty()) {
    write_output(options.html_path, report::render_diff_html(diff, shown));
    if (!options.quiet) fmt::print(stderr, "pkgsizer: wrote {}\n", options.html_path);
  }
  if (options.json_path != "-" && options.markdown_path != "-")
    write_output("-", report::render_diff_text(diff, shown, render));
}

int check_increase(const compare::ScanDiff& diff, const Limits& limits,
                   const CompareOptions& options) {
  if (!limits.fail_on_increase || !compare::exceeds(*limits.fail_on_increase, diff.net))
    return kExitOk;
  fmt::print(
      stderr, "pkgsizer: size grew by {}, more than --fail-on-increase {} ({})\n",
      report::format_size_delta(diff.net.apparent_delta(), options.units), options.fail_on_increase,
      format_size(compare::allowed_increase(*limits.fail_on_increase, diff.net), options.units));
  return kExitThresholdExceeded;
}

// compare's news for a webhook: the net change in the title, the text report, the numbers.
notify::Notification compare_notification(const compare::ScanDiff& diff,
                                          const report::DiffOptions& shown, bool exceeded,
                                          SizeUnits units) {
  notify::Notification notification;
  notification.event = "compare";
  notification.command = "compare";
  notification.alert = exceeded;
  notification.title = fmt::format(
      "pkgsizer: {} → {}: {} ({} → {} distributions){}", diff.before.source, diff.after.source,
      report::format_size_delta(diff.net.apparent_delta(), units), diff.net.before_distributions,
      diff.net.after_distributions, exceeded ? ", more than --fail-on-increase" : "");
  report::RenderOptions plain;
  plain.units = units;
  notification.report = report::render_diff_text(diff, shown, plain);
  notification.details = {{"before", diff.before.source},
                          {"after", diff.after.source},
                          {"before_bytes", diff.net.before.apparent_bytes},
                          {"after_bytes", diff.net.after.apparent_bytes},
                          {"change_bytes", diff.net.apparent_delta()},
                          {"before_distributions", diff.net.before_distributions},
                          {"after_distributions", diff.net.after_distributions},
                          {"added", diff.added.size()},
                          {"removed", diff.removed.size()},
                          {"upgraded", diff.upgraded.size()},
                          {"downgraded", diff.downgraded.size()}};
  return notification;
}

int run_compare(const CompareOptions& options) {
  const std::optional<Limits> limits = parse_limits(options);
  if (!limits) return kExitUsage;
  const NotifyPlan notify_plan = prepare_notify(options.notify, "");
  if (options.json_path == "-" && options.markdown_path == "-") {
    fmt::print(stderr, "pkgsizer: error: only one of --json and --markdown can write to stdout\n");
    return kExitUsage;
  }
  const auto sides = choose_sides(options);
  if (!sides) {
    fmt::print(stderr,
               "pkgsizer: error: compare needs two sides: A and B (or --python-a / --python-b)\n");
    return kExitUsage;
  }
  compare::SourceOptions sources;
  sources.history_path = options.history;
  sources.connect_timeout_seconds = options.connect_timeout;
  sources.scan_options.threads = options.jobs;
  sources.cache_path = options.cache.path();
  sources.cache_use = options.cache.use();
  std::vector<std::string> cache_warnings;
  sources.cache_warnings = &cache_warnings;
  // A side that cannot be read throws an Error whose category is the exit code: an unreadable
  // or malformed side (3), a snapshot not found (9), a damaged history (8).
  const Scan before = load_side(sides->first, sources, options.quiet);
  const Scan after = load_side(sides->second, sources, options.quiet);
  compare::ScanDiff diff = compare::diff_scans(before, after);
  if (!options.quiet)
    for (const std::string& warning : cache_warnings)
      fmt::print(stderr, "pkgsizer: warning: {}\n", warning);
  diff.before.source = sides->first.name;
  diff.after.source = sides->second.name;
  const report::DiffOptions shown{options.show_changes, limits->threshold, limits->group_below};
  write_reports(diff, options, shown);
  const int exit_code = check_increase(diff, *limits, options);
  if (notify_plan.empty()) return exit_code;
  std::fflush(stdout);
  return send_notification(
      notify_plan, options.notify,
      compare_notification(diff, shown, exit_code == kExitThresholdExceeded, options.units),
      exit_code, options.quiet);
}

void add_output_options(CLI::App& command, CompareOptions& options) {
  command
      .add_flag("--show-changes", options.show_changes,
                "Only what changed: not even the count of the unchanged")
      ->group("Output");
  command
      .add_option("--threshold", options.threshold,
                  "Hide changes smaller than SIZE (added and removed too)")
      ->type_name("SIZE")
      ->group("Output");
  command
      .add_option("--group-below", options.group_below,
                  "Same-version changes smaller than SIZE each are one line (default 1MB; 0 lists "
                  "each; JSON always lists them)")
      ->type_name("SIZE")
      ->group("Output");
  command
      .add_option("--html", options.html_path,
                  "Write a self-contained HTML page of the changes to FILE")
      ->type_name("FILE")
      ->group("Output");
  add_color_option(command, options.color);
  add_units_option(command, options.units);
  command.add_flag("-q,--quiet", options.quiet, "No progress and no warnings on stderr")
      ->group("Output");
}

void add_side_options(CLI::App& command, CompareOptions& options) {
  command.add_option("A", options.first,
                     "The before side: JSON scan, environment directory or @snapshot");
  command.add_option("B", options.second, "The after side, the same kinds");
  command
      .add_option("--python-a", options.python_a,
                  "The before side: the environment of this interpreter")
      ->type_name("PATH")
      ->group("Sides");
  command
      .add_option("--python-b", options.python_b,
                  "The after side: the environment of this interpreter")
      ->type_name("PATH")
      ->group("Sides");
  command
      .add_option("--history", options.history,
                  "The snapshot store for @label sides (a file or a postgresql:// URL)")
      ->type_name("FILE|URL")
      ->default_str(store::printable_location(options.history))  // --help shows no password
      ->group("Sides");
  command
      .add_option("--timeout", options.connect_timeout,
                  "Seconds to wait for a PostgreSQL history's server (default: "
                  "$PGCONNECT_TIMEOUT, else 10)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1, 3600))
      ->group("Sides");
  command
      .add_option("-j,--jobs", options.jobs,
                  "Threads for scanning a directory side (default: one per core)")
      ->check(CLI::Range(1, 256))
      ->group("Sides");
  add_cache_options(command, options.cache);
}

}  // namespace

std::function<int()> register_compare(CLI::App& app) {
  auto options = std::make_shared<CompareOptions>();
  options->history = store::history_path_from_environment();
  CLI::App* command = app.add_subcommand(
      "compare", "Show what changed between two scans, environments or snapshots");
  command->footer(kExamples);
  add_side_options(*command, *options);
  CLI::Option* json_option =
      add_optional_output(*command, "--json", "Write the changes as JSON to FILE (or stdout)");
  CLI::Option* markdown_option = add_optional_output(
      *command, "--markdown", "Write a Markdown table of the changes to FILE (or stdout)");
  add_output_options(*command, *options);
  command
      ->add_option(
          "--fail-on-increase", options->fail_on_increase,
          "Exit 1 when the total grew by more than SIZE (10MB) or PCT of the before total (5%)")
      ->type_name("SIZE|PCT")
      ->group("Checks");
  add_notify_options(*command, options->notify);

  return [=]() -> int {
    if (!command->parsed()) return -1;
    options->json_path = output_target(json_option);
    options->markdown_path = output_target(markdown_option);
    if (auto code = compare_import_profiles(options->first, options->second, options->json_path))
      return *code;  // two `import-time --json` profiles
    return run_compare(*options);
  };
}

}  // namespace pkgsizer::cli
