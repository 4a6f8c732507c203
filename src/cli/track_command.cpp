#include "cli/track_command.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.hpp"
#include "cli/output_options.hpp"
#include "cli/scan_runner.hpp"
#include "cli/terminal.hpp"
#include "compare/scan_diff.hpp"
#include "pkgsizer/json.hpp"
#include "report/diff_report.hpp"
#include "report/history_report.hpp"
#include "report/table_report.hpp"
#include "store/database.hpp"
#include "store/history.hpp"
#include "store/history_exchange.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/git.hpp"
#include "util/home.hpp"
#include "util/json_nesting.hpp"
#include "util/json_text.hpp"
#include "util/read_file.hpp"
#include "util/size_units.hpp"
#include "util/subprocess.hpp"
#include "util/text.hpp"

namespace pkgsizer::cli {
namespace {

struct TrackOptions {
  std::string other_reference;  // track diff's second snapshot
  bool show_changes = false;
  std::string group_below;   // track diff: as compare --group-below
  std::string history_path;  // --history; empty: $PKGSIZER_HISTORY, then XDG
  std::string name;          // --name; empty: the environment's path
  ScanRequest request;
  std::string label;
  std::string reference;
  std::string svg_path, html_path;
  std::string file;
  bool json = false;
  bool yes = false;
  bool quiet = false;  // snapshot: no progress and no cache warnings
  ColorChoice color = ColorChoice::kAuto;
  SizeUnits units = SizeUnits::kDecimal;
};

constexpr const char* kExamples = R"(
Examples:
  pkgsizer track snapshot                    record the current environment (label: git commit)
  pkgsizer track snapshot "after ML deps"    ... with a label
  pkgsizer track history                     every snapshot, with ▲/▼ deltas
  pkgsizer track graph --html trend.html     a chart to open in a browser
  pkgsizer track diff @v1.0 @latest          what changed between two snapshots
  pkgsizer compare @v1.0 .venv               a snapshot against an environment
History lives in $PKGSIZER_HISTORY, else $XDG_DATA_HOME/pkgsizer/history.sqlite3.
)";

std::string history_path(const TrackOptions& options) {
  if (!options.history_path.empty()) return options.history_path;
  std::string path = store::history_path_from_environment();
  if (path.empty())
    throw Error(ErrorCategory::kUsage,
                "no place for the history store: no home directory (use --history FILE or set "
                "PKGSIZER_HISTORY)");
  return path;
}

// The name an environment is tracked under: --name, else its root directory.
std::string environment_name(const TrackOptions& options, const Environment& environment) {
  if (!options.name.empty()) return options.name;
  if (!environment.prefix.empty()) return environment.prefix;
  return environment.site_packages.empty() ? std::string("unknown")
                                           : environment.site_packages.front();
}

// Opens the history (a damaged one is never moved or rebuilt: store::History says so). Commands
// that only read open it read-only: they neither create it nor need to be allowed to write it.
std::unique_ptr<store::History> open_history(const TrackOptions& options,
                                             store::HistoryAccess access, bool must_exist = false) {
  const std::string path = history_path(options);
  std::error_code missing;
  if ((must_exist || access == store::HistoryAccess::kRead) &&
      !std::filesystem::exists(path, missing))
    throw Error(ErrorCategory::kNotFound,
                fmt::format("no snapshot history at {} (take a snapshot with `pkgsizer track "
                            "snapshot`)",
                            path));
  return std::make_unique<store::History>(path, access);
}

store::SnapshotSummary find_snapshot(const store::History& history, const std::string& reference,
                                     const std::string& name) {
  std::optional<store::SnapshotSummary> found = history.find(reference, name);
  if (!found)
    throw Error(ErrorCategory::kNotFound,
                fmt::format("no snapshot {} in {}", reference, history.path()));
  return std::move(*found);
}

report::RenderOptions render_options(const TrackOptions& options) {
  report::RenderOptions render;
  render.color = use_color(options.color);
  render.width = terminal_width();
  render.units = options.units;
  return render;
}

// Writes a command's one output (write_output throws Error(kOutput) when it cannot).
int write_and_succeed(const std::string& path, const std::string& content) {
  write_output(path, content);
  return kExitOk;
}

int run_init(const TrackOptions& options) {
  const auto history = open_history(options, store::HistoryAccess::kWrite);
  fmt::print("History store ready: {}\n", history->path());
  return kExitOk;
}

int run_snapshot(const TrackOptions& options) {
  const auto history = open_history(options, store::HistoryAccess::kWrite);
  ScanOutcome outcome = locate_and_scan(options.request, scan::ScanOptions{}, options.quiet);
  const Scan scan =
      scan::select_distributions_view(std::move(outcome.full), scan::DistributionFilter{});
  const auto [commit, branch] = git_head();
  std::string label = options.label;
  if (label.empty())
    label = commit.empty() ? scan.created_at : fmt::format("{} ({})", commit, branch);
  const std::string name = environment_name(options, outcome.environment);
  const std::int64_t id = history->add_snapshot(name, label, commit, branch, scan);
  fmt::print("Snapshot {} of {}: {} in {} distributions, label \"{}\"\n", id, printable(name),
             format_size(scan.totals.selected.apparent_bytes, options.units),
             scan.totals.distributions, printable(label));
  return kExitOk;
}

int run_history(const TrackOptions& options) {
  const auto history = open_history(options, store::HistoryAccess::kRead);
  const std::vector<store::SnapshotSummary> snapshots = history->list(options.name);
  if (options.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& snapshot : snapshots)
      list.push_back(store::snapshot_summary_to_json(snapshot));
    return write_and_succeed(
        "-",
        dump_json(nlohmann::ordered_json{{"schema_version", 1}, {"snapshots", list}}, 2) + "\n");
  }
  return write_and_succeed("-", report::render_history_table(snapshots, render_options(options)));
}

int run_show(const TrackOptions& options) {
  const auto history = open_history(options, store::HistoryAccess::kRead);
  const store::SnapshotSummary snapshot = find_snapshot(*history, options.reference, options.name);
  const Scan scan = history->load(snapshot.id);
  if (options.json) return write_and_succeed("-", dump_json(model::scan_to_json(scan), 2) + "\n");
  const std::string heading = fmt::format(
      "Snapshot {} of {} — \"{}\", {}\n\n", snapshot.id, printable(snapshot.environment),
      printable(snapshot.label), printable(snapshot.created_at));
  return write_and_succeed("-", heading + report::render_table(scan, render_options(options)));
}

int run_graph(const TrackOptions& options) {
  const auto history = open_history(options, store::HistoryAccess::kRead);
  const std::vector<store::SnapshotSummary> snapshots = history->list(options.name);
  const std::string title =
      options.name.empty() ? "pkgsizer: size history" : "pkgsizer: " + options.name;
  if (!options.svg_path.empty())
    write_output(options.svg_path, report::render_history_svg(snapshots, title));
  if (!options.html_path.empty())
    write_output(options.html_path, report::render_history_html(snapshots, title));
  if (options.svg_path.empty() && options.html_path.empty())
    return write_and_succeed(
        "-", report::render_history_chart(snapshots, render_options(options), terminal_width(), 0));
  return kExitOk;
}

int run_diff(const TrackOptions& options) {
  std::uint64_t group_below = report::DiffOptions::kDefaultGroupBelowBytes;
  if (!options.group_below.empty()) {
    const std::optional<std::uint64_t> parsed = parse_size(options.group_below);
    if (!parsed)
      throw Error(ErrorCategory::kUsage,
                  fmt::format("--group-below: '{}' is not a size (try 1MB, 500kB, 0)",
                              options.group_below));
    group_below = *parsed;
  }
  const auto history = open_history(options, store::HistoryAccess::kRead);
  const store::SnapshotSummary before = find_snapshot(*history, options.reference, options.name);
  const store::SnapshotSummary after =
      find_snapshot(*history, options.other_reference, options.name);
  compare::ScanDiff diff = compare::diff_scans(history->load(before.id), history->load(after.id));
  diff.before.source = fmt::format("@{} ({})", before.id, before.label);
  diff.after.source = fmt::format("@{} ({})", after.id, after.label);
  report::DiffOptions diff_options{options.show_changes, 0};
  diff_options.group_below_bytes = group_below;
  if (options.json)
    return write_and_succeed("-", dump_json(report::diff_to_json(diff, diff_options), 2) + "\n");
  return write_and_succeed("-",
                           report::render_diff_text(diff, diff_options, render_options(options)));
}

int run_delete(const TrackOptions& options) {
  // Deleting from a history that does not exist creates none.
  const auto history = open_history(options, store::HistoryAccess::kWrite, true);
  const store::SnapshotSummary snapshot = find_snapshot(*history, options.reference, options.name);
  history->remove(snapshot.id);
  fmt::print("Deleted snapshot {} (\"{}\", {})\n", snapshot.id, printable(snapshot.label),
             printable(snapshot.created_at));
  return kExitOk;
}

int run_export(const TrackOptions& options) {
  const auto history = open_history(options, store::HistoryAccess::kRead);
  return write_and_succeed(options.file.empty() ? "-" : options.file,
                           dump_json(store::export_history(*history, options.name), 2) + "\n");
}

// Everything is read and checked before the history is opened, and written in one
// transaction: an import adds all of its snapshots or none.
int run_import(const TrackOptions& options) {
  std::string error;
  const std::optional<std::string> text = read_text_file(options.file, kMaxInputFileBytes, &error);
  if (!text)
    throw Error(ErrorCategory::kUsage, fmt::format("{}: cannot read: {}", options.file, error));
  if (const std::optional<std::size_t> at = json_too_deep_at(*text))
    throw Error(ErrorCategory::kUsage, fmt::format("{}: JSON nested more than {} deep (byte {})",
                                                   options.file, kMaxJsonNesting, *at + 1));
  const std::vector<store::NewSnapshot> snapshots =
      store::parse_history_export(*text, options.file, options.name);
  const auto history = open_history(options, store::HistoryAccess::kWrite);
  history->add_snapshots(snapshots);
  fmt::print("Imported {} snapshot{} into {}\n", snapshots.size(), snapshots.size() == 1 ? "" : "s",
             history->path());
  return kExitOk;
}

void add_common(CLI::App& command, TrackOptions& options) {
  command
      .add_option("--history", options.history_path,
                  "The history store (default: $PKGSIZER_HISTORY, else XDG)")
      ->type_name("FILE");
  command.add_option("--name", options.name, "The tracked environment's name (default: its path)");
}

void add_view_options(CLI::App& command, TrackOptions& options) {
  add_color_option(command, options.color);
  add_units_option(command, options.units);
}

}  // namespace

std::function<int()> register_track(CLI::App& app) {
  auto options = std::make_shared<TrackOptions>();
  CLI::App* track =
      app.add_subcommand("track", "Size history of environments: snapshots, history, graphs");
  track->footer(kExamples);
  track->require_subcommand(1);
  std::vector<std::pair<CLI::App*, std::function<int(const TrackOptions&)>>> actions;

  CLI::App* init = track->add_subcommand("init", "Create the history store (snapshot does it too)");
  add_common(*init, *options);
  actions.emplace_back(init, run_init);

  CLI::App* snapshot = track->add_subcommand("snapshot", "Scan the environment and record it");
  snapshot->add_option("label", options->label,
                       "A label (default: the git commit and branch, else the time)");
  add_common(*snapshot, *options);
  add_scan_options(*snapshot, options->request);
  add_units_option(*snapshot, options->units);
  snapshot->add_flag("-q,--quiet", options->quiet, "No progress and no warnings on stderr")
      ->group("Output");
  actions.emplace_back(snapshot, run_snapshot);

  CLI::App* history =
      track->add_subcommand("history", "Every snapshot with its total and the change ▲/▼");
  add_common(*history, *options);
  add_view_options(*history, *options);
  history->add_flag("--json", options->json, "As JSON on stdout");
  actions.emplace_back(history, run_history);

  CLI::App* show = track->add_subcommand("show", "One snapshot as a table (or --json)");
  show->add_option("snapshot", options->reference, "@id, @label or @latest")->required();
  add_common(*show, *options);
  add_view_options(*show, *options);
  show->add_flag("--json", options->json, "The snapshot's scan as JSON on stdout");
  actions.emplace_back(show, run_show);

  CLI::App* graph = track->add_subcommand("graph", "A chart of the total over time");
  add_common(*graph, *options);
  add_view_options(*graph, *options);
  graph->add_option("--svg", options->svg_path, "Write an SVG chart to FILE")->type_name("FILE");
  graph->add_option("--html", options->html_path, "Write an HTML page (chart and table) to FILE")
      ->type_name("FILE");
  actions.emplace_back(graph, run_graph);

  CLI::App* diff =
      track->add_subcommand("diff", "What changed between two snapshots (as `compare`)");
  diff->add_option("before", options->reference, "@id, @label or @latest")->required();
  diff->add_option("after", options->other_reference, "@id, @label or @latest")->required();
  add_common(*diff, *options);
  add_view_options(*diff, *options);
  diff->add_flag("--show-changes", options->show_changes, "Only what changed");
  diff->add_option("--group-below", options->group_below,
                   "Same-version changes smaller than SIZE each are one line (default 1MB; 0 "
                   "lists each)")
      ->type_name("SIZE");
  diff->add_flag("--json", options->json, "As JSON on stdout (the format of compare --json)");
  actions.emplace_back(diff, run_diff);

  CLI::App* remove = track->add_subcommand("delete", "Delete one snapshot");
  remove->add_option("snapshot", options->reference, "@id or @label")->required();
  add_common(*remove, *options);
  actions.emplace_back(remove, run_delete);

  CLI::App* exporter = track->add_subcommand("export", "All snapshots (of --name) as JSON");
  exporter->add_option("file", options->file, "Where to write (default: stdout)");
  add_common(*exporter, *options);
  actions.emplace_back(exporter, run_export);

  CLI::App* importer =
      track->add_subcommand("import", "Add the snapshots of a `track export` file");
  importer->add_option("file", options->file, "The export file")->required();
  add_common(*importer, *options);
  actions.emplace_back(importer, run_import);

  return [=]() -> int {
    if (!track->parsed()) return -1;
    for (const auto& [command, action] : actions)
      if (command->parsed()) return action(*options);
    return kExitUsage;
  };
}

}  // namespace pkgsizer::cli
