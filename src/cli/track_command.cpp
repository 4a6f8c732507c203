#include "cli/track_command.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/exit_codes.hpp"
#include "cli/output_options.hpp"
#include "cli/scan_runner.hpp"
#include "cli/terminal.hpp"
#include "compare/scan_diff.hpp"
#include "report/diff_report.hpp"
#include "report/history_report.hpp"
#include "report/json_report.hpp"
#include "report/table_report.hpp"
#include "store/database.hpp"
#include "store/history.hpp"
#include "util/atomic_file.hpp"
#include "util/subprocess.hpp"
#include "util/read_file.hpp"

namespace pkgsizer::cli {
namespace {

struct TrackOptions {
  std::string other_reference;  // track diff's second snapshot
  bool show_changes = false;
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
  return store::default_history_path(std::getenv("PKGSIZER_HISTORY"), std::getenv("XDG_DATA_HOME"),
                                     std::getenv("HOME"));
}

// The name an environment is tracked under: --name, else its root directory.
std::string environment_name(const TrackOptions& options, const Environment& environment) {
  if (!options.name.empty()) return options.name;
  if (!environment.prefix.empty()) return environment.prefix;
  return environment.site_packages.empty() ? std::string("unknown")
                                           : environment.site_packages.front();
}

std::string git_output(const std::vector<std::string>& arguments) {
  std::vector<std::string> command{"git"};
  command.insert(command.end(), arguments.begin(), arguments.end());
  const ProcessResult result =
      run_process(command, std::chrono::seconds(10), /*quiet_stderr=*/true);
  if (!result.started || result.exit_code != 0) return "";
  std::string output = result.standard_output;
  while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
  return output;
}

// Opens the history, or says why not (a damaged history is never moved or rebuilt).
std::unique_ptr<store::History> open_history(const TrackOptions& options, int& exit_code) {
  const std::string path = history_path(options);
  try {
    return std::make_unique<store::History>(path);
  } catch (const store::StoreCorrupt& error) {
    fmt::print(
        stderr,
        "pkgsizer: error: {}; the history was left as it is (move it away to start a new one)\n",
        error.what());
  } catch (const std::exception& error) {
    fmt::print(stderr, "pkgsizer: error: {}\n", error.what());
  }
  exit_code = kExitStore;
  return nullptr;
}

std::optional<store::SnapshotSummary> find_snapshot(const store::History& history,
                                                    const std::string& reference,
                                                    const std::string& name, int& exit_code) {
  std::optional<store::SnapshotSummary> found = history.find(reference, name);
  if (!found) {
    fmt::print(stderr, "pkgsizer: error: no snapshot {} in {}\n", reference, history.path());
    exit_code = kExitNotFound;
  }
  return found;
}

report::RenderOptions render_options(const TrackOptions& options) {
  report::RenderOptions render;
  render.color = use_color(options.color);
  render.width = terminal_width();
  render.units = options.units;
  return render;
}

int write_or_fail(const std::string& path, const std::string& content) {
  try {
    write_output(path, content);
  } catch (const std::runtime_error& error) {
    fmt::print(stderr, "pkgsizer: error: {}\n", error.what());
    return kExitOutput;
  }
  return kExitOk;
}

int run_init(const TrackOptions& options) {
  int exit_code = kExitOk;
  auto history = open_history(options, exit_code);
  if (!history) return exit_code;
  fmt::print("History store ready: {}\n", history->path());
  return kExitOk;
}

int run_snapshot(const TrackOptions& options) {
  int exit_code = kExitOk;
  auto history = open_history(options, exit_code);
  if (!history) return exit_code;
  std::optional<ScanOutcome> outcome =
      locate_and_scan(options.request, scan::ScanOptions{}, options.quiet, exit_code);
  if (!outcome) return exit_code;
  const Scan scan =
      scan::select_distributions_view(std::move(outcome->full), scan::DistributionFilter{});
  const std::string commit = git_output({"rev-parse", "--short=12", "HEAD"});
  const std::string branch =
      commit.empty() ? "" : git_output({"rev-parse", "--abbrev-ref", "HEAD"});
  std::string label = options.label;
  if (label.empty())
    label = commit.empty() ? scan.created_at : fmt::format("{} ({})", commit, branch);
  const std::string name = environment_name(options, outcome->environment);
  try {
    const std::int64_t id = history->add_snapshot(name, label, commit, branch, scan);
    fmt::print("Snapshot {} of {}: {} in {} distributions, label \"{}\"\n", id, name,
               format_size(scan.totals.selected.apparent_bytes, options.units),
               scan.totals.distributions, label);
  } catch (const std::exception& error) {
    fmt::print(stderr, "pkgsizer: error: {}\n", error.what());
    return kExitStore;
  }
  return kExitOk;
}

nlohmann::ordered_json summary_to_json(const store::SnapshotSummary& snapshot) {
  return {{"id", snapshot.id},
          {"environment", snapshot.environment},
          {"label", snapshot.label},
          {"created_at", snapshot.created_at},
          {"git_commit", snapshot.git_commit},
          {"git_branch", snapshot.git_branch},
          {"distributions", snapshot.distributions},
          {"apparent_bytes", snapshot.apparent_bytes},
          {"disk_bytes", snapshot.disk_bytes}};
}

int run_history(const TrackOptions& options) {
  int exit_code = kExitOk;
  auto history = open_history(options, exit_code);
  if (!history) return exit_code;
  const std::vector<store::SnapshotSummary> snapshots = history->list(options.name);
  if (options.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& snapshot : snapshots) list.push_back(summary_to_json(snapshot));
    return write_or_fail(
        "-", nlohmann::ordered_json{{"schema_version", 1}, {"snapshots", list}}.dump(2) + "\n");
  }
  return write_or_fail("-", report::render_history_table(snapshots, render_options(options)));
}

int run_show(const TrackOptions& options) {
  int exit_code = kExitOk;
  auto history = open_history(options, exit_code);
  if (!history) return exit_code;
  const auto snapshot = find_snapshot(*history, options.reference, options.name, exit_code);
  if (!snapshot) return exit_code;
  const Scan scan = history->load(snapshot->id);
  if (options.json) return write_or_fail("-", report::scan_to_json(scan).dump(2) + "\n");
  const std::string heading =
      fmt::format("Snapshot {} of {} — \"{}\", {}\n\n", snapshot->id, snapshot->environment,
                  snapshot->label, snapshot->created_at);
  return write_or_fail("-", heading + report::render_table(scan, render_options(options)));
}

int run_graph(const TrackOptions& options) {
  int exit_code = kExitOk;
  auto history = open_history(options, exit_code);
  if (!history) return exit_code;
  const std::vector<store::SnapshotSummary> snapshots = history->list(options.name);
  const std::string title =
      options.name.empty() ? "pkgsizer: size history" : "pkgsizer: " + options.name;
  if (!options.svg_path.empty())
    if (const int code =
            write_or_fail(options.svg_path, report::render_history_svg(snapshots, title));
        code)
      return code;
  if (!options.html_path.empty())
    if (const int code =
            write_or_fail(options.html_path, report::render_history_html(snapshots, title));
        code)
      return code;
  if (options.svg_path.empty() && options.html_path.empty())
    return write_or_fail(
        "-", report::render_history_chart(snapshots, render_options(options), terminal_width(), 0));
  return kExitOk;
}

int run_diff(const TrackOptions& options) {
  int exit_code = kExitOk;
  auto history = open_history(options, exit_code);
  if (!history) return exit_code;
  const auto before = find_snapshot(*history, options.reference, options.name, exit_code);
  if (!before) return exit_code;
  const auto after = find_snapshot(*history, options.other_reference, options.name, exit_code);
  if (!after) return exit_code;
  compare::ScanDiff diff = compare::diff_scans(history->load(before->id), history->load(after->id));
  diff.before.source = fmt::format("@{} ({})", before->id, before->label);
  diff.after.source = fmt::format("@{} ({})", after->id, after->label);
  const report::DiffOptions diff_options{options.show_changes, 0};
  if (options.json)
    return write_or_fail("-", report::diff_to_json(diff, diff_options).dump(2) + "\n");
  return write_or_fail("-", report::render_diff_text(diff, diff_options, render_options(options)));
}

int run_delete(const TrackOptions& options) {
  int exit_code = kExitOk;
  auto history = open_history(options, exit_code);
  if (!history) return exit_code;
  const auto snapshot = find_snapshot(*history, options.reference, options.name, exit_code);
  if (!snapshot) return exit_code;
  history->remove(snapshot->id);
  fmt::print("Deleted snapshot {} (\"{}\", {})\n", snapshot->id, snapshot->label,
             snapshot->created_at);
  return kExitOk;
}

int run_export(const TrackOptions& options) {
  int exit_code = kExitOk;
  auto history = open_history(options, exit_code);
  if (!history) return exit_code;
  nlohmann::ordered_json snapshots = nlohmann::ordered_json::array();
  for (const auto& snapshot : history->list(options.name)) {
    nlohmann::ordered_json entry = summary_to_json(snapshot);
    entry["scan"] = report::scan_to_json(history->load(snapshot.id));
    snapshots.push_back(std::move(entry));
  }
  const nlohmann::ordered_json document{
      {"schema_version", 1}, {"kind", "pkgsizer-history"}, {"snapshots", snapshots}};
  return write_or_fail(options.file.empty() ? "-" : options.file, document.dump(2) + "\n");
}

int run_import(const TrackOptions& options) {
  const std::optional<std::string> text = read_text_file(options.file);
  if (!text) {
    fmt::print(stderr, "pkgsizer: error: {}: cannot read: {}\n", options.file,
               std::strerror(errno));
    return kExitUsage;
  }
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::parse_error& error) {
    fmt::print(stderr, "pkgsizer: error: {}: not JSON (byte {})\n", options.file, error.byte);
    return kExitUsage;
  } catch (const nlohmann::json::out_of_range&) {  // a number beyond a double's range (1e400)
    fmt::print(stderr, "pkgsizer: error: {}: not JSON (a number out of range)\n", options.file);
    return kExitUsage;
  }
  if (!document.is_object() || document.value("kind", "") != "pkgsizer-history" ||
      !document.contains("snapshots")) {
    fmt::print(stderr, "pkgsizer: error: {}: not a pkgsizer history export (from `track export`)\n",
               options.file);
    return kExitUsage;
  }
  int exit_code = kExitOk;
  auto history = open_history(options, exit_code);
  if (!history) return exit_code;
  std::size_t imported = 0;
  try {
    for (const auto& entry : document.at("snapshots")) {
      const Scan scan = report::scan_from_json(entry.at("scan"));
      history->add_snapshot(
          options.name.empty() ? entry.value("environment", "imported") : options.name,
          entry.value("label", ""), entry.value("git_commit", ""), entry.value("git_branch", ""),
          scan);
      ++imported;
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "pkgsizer: error: {}: snapshot {}: {}\n", options.file, imported + 1,
               error.what());
    return kExitUsage;
  }
  fmt::print("Imported {} snapshot{} into {}\n", imported, imported == 1 ? "" : "s",
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
      if (command->parsed()) {
        try {
          return action(*options);
        } catch (const store::StoreCorrupt& error) {
          fmt::print(stderr, "pkgsizer: error: {}; the history was left as it is\n", error.what());
          return kExitStore;
        } catch (const std::exception& error) {
          fmt::print(stderr, "pkgsizer: error: {}\n", error.what());
          return kExitStore;
        }
      }
    return kExitUsage;
  };
}

}  // namespace pkgsizer::cli
