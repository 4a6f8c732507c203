#include "cli/track_command.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "budget/budget_config.hpp"
#include "cli/exit_codes.hpp"
#include "cli/notify_options.hpp"
#include "cli/output_options.hpp"
#include "cli/scan_runner.hpp"
#include "cli/terminal.hpp"
#include "compare/scan_diff.hpp"
#include "pkgsizer/json.hpp"
#include "report/badge_report.hpp"
#include "report/diff_report.hpp"
#include "report/history_report.hpp"
#include "report/table_report.hpp"
#include "serve/upload.hpp"
#include "store/database.hpp"
#include "store/history.hpp"
#include "store/history_exchange.hpp"
#include "util/age_text.hpp"
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
#include "util/utc_time.hpp"

namespace pkgsizer::cli {
namespace {

struct TrackOptions {
  std::string other_reference;  // track diff's second snapshot
  bool show_changes = false;
  std::string group_below;   // track diff: as compare --group-below
  std::string history_path;  // --history; empty: $PKGSIZER_HISTORY, then XDG
  int connect_timeout = 0;   // --timeout: seconds to reach a PostgreSQL history
  std::string older_than;    // delete --older-than AGE
  std::string name;          // --name; empty: the environment's path
  ScanRequest request;
  std::string label;
  std::string reference;
  std::string svg_path, html_path;
  std::string badge_label = "env size";  // track badge --label
  std::string file;
  bool json = false;
  bool yes = false;
  bool quiet = false;           // snapshot: no progress and no cache warnings
  NotifyRequest notify;         // snapshot: --notify ...
  std::string notify_increase;  // snapshot: --notify-on-increase, over [notify] notify_on_increase
  std::string upload_url;       // snapshot: --upload URL of a `pkgsizer serve`
  std::string token_file;       // snapshot: --token-file with its upload token
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
  pkgsizer track snapshot --history postgresql://ci@db.example/pkgsizer   a team's history
  pkgsizer track delete --older-than 90d     retention
History lives in --history, else $PKGSIZER_HISTORY, else $XDG_DATA_HOME/pkgsizer/history.sqlite3
(a file, or a postgresql:// URL: docs/team-history.md).
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
                                             store::HistoryAccess access) {
  // A history that must exist and does not (kRead, kModify) is an Error(kNotFound) from store.
  return std::make_unique<store::History>(history_path(options), access, options.connect_timeout);
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

// Writes a command's one output (write_output throws Error(kOutput) when it cannot). A file
// written is named, so that a script or a person finds it (stderr: stdout carries only what was
// asked).
int write_and_succeed(const std::string& path, const std::string& content) {
  write_output(path, content);
  if (path != "-") fmt::print(stderr, "pkgsizer: wrote {}\n", path);
  return kExitOk;
}

int run_init(const TrackOptions& options) {
  const auto history = open_history(options, store::HistoryAccess::kWrite);
  fmt::print("History store ready: {}\n", history->path());
  return kExitOk;
}

// The growth over the previous snapshot that is news: --notify-on-increase, else [notify]
// notify_on_increase; unset, any growth at all.
std::uint64_t notable_increase(const TrackOptions& options, const NotifyPlan& plan,
                               std::uint64_t previous_bytes) {
  std::optional<std::uint64_t> bytes = plan.config.increase_bytes;
  std::optional<double> percent = plan.config.increase_percent;
  if (!options.notify_increase.empty()) {
    bytes.reset();
    percent = budget::parse_percent(options.notify_increase);
    if (!percent) bytes = parse_size(options.notify_increase);
    if (!bytes && !percent)
      throw Error(ErrorCategory::kUsage,
                  fmt::format("--notify-on-increase {}: not a size (\"5MB\") or a share (\"10%\")",
                              options.notify_increase));
  }
  if (percent)
    return static_cast<std::uint64_t>(static_cast<double>(previous_bytes) * *percent / 100.0);
  return bytes.value_or(0);
}

notify::Notification increase_notification(const store::SnapshotSummary& previous, std::int64_t id,
                                           const std::string& name, const Scan& scan,
                                           SizeUnits units) {
  const std::uint64_t total = scan.totals.selected.apparent_bytes;
  const std::uint64_t growth = total - previous.apparent_bytes;
  notify::Notification notification;
  notification.event = "size_increase";
  notification.command = "track snapshot";
  notification.alert = true;
  notification.title =
      fmt::format("pkgsizer: {} grew by {} to {} (snapshot {} against {})", name,
                  format_size(growth, units), format_size(total, units), id, previous.id);
  notification.report = fmt::format(
      "snapshot {:>6}  {:>10}  {} distributions  {}\nsnapshot {:>6}  {:>10}  {} distributions  "
      "{}\n",
      previous.id, format_size(previous.apparent_bytes, units), previous.distributions,
      previous.label, id, format_size(total, units), scan.totals.distributions, scan.created_at);
  notification.details = {{"environment", name},
                          {"snapshot_id", id},
                          {"previous_snapshot_id", previous.id},
                          {"previous_bytes", previous.apparent_bytes},
                          {"total_bytes", total},
                          {"increase_bytes", growth}};
  return notification;
}

// --upload: the snapshot goes to a `pkgsizer serve` (docs/serve.md), not to a history here.
int run_upload(const TrackOptions& options) {
  if (options.token_file.empty())
    throw Error(ErrorCategory::kUsage, "--upload needs --token-file FILE (an upload token)");
  const std::string token = serve::read_token_file(options.token_file);
  serve::upload_endpoint(options.upload_url);  // a bad URL costs no scan
  ScanOutcome outcome = locate_and_scan(options.request, scan::ScanOptions{}, options.quiet);
  const Scan scan =
      scan::select_distributions_view(std::move(outcome.full), scan::DistributionFilter{});
  const auto [commit, branch] = git_head();
  const serve::UploadFields fields{environment_name(options, outcome.environment), options.label,
                                   commit, branch};
  const serve::UploadResult result = serve::upload_scan(options.upload_url, token, fields, scan);
  fmt::print("Snapshot {} of {}: {} in {} distributions, uploaded: {}\n", result.id,
             printable(fields.environment),
             format_size(scan.totals.selected.apparent_bytes, options.units),
             scan.totals.distributions, printable(result.url));
  return kExitOk;
}

int run_snapshot(const TrackOptions& options) {
  if (!options.upload_url.empty()) return run_upload(options);
  const NotifyPlan notify_plan = prepare_notify(options.notify, "");
  notable_increase(options, notify_plan, 0);  // a bad --notify-on-increase costs no scan
  const auto history = open_history(options, store::HistoryAccess::kWrite);
  ScanOutcome outcome = locate_and_scan(options.request, scan::ScanOptions{}, options.quiet);
  const Scan scan =
      scan::select_distributions_view(std::move(outcome.full), scan::DistributionFilter{});
  const auto [commit, branch] = git_head();
  std::string label = options.label;
  if (label.empty())
    label = commit.empty() ? scan.created_at : fmt::format("{} ({})", commit, branch);
  const std::string name = environment_name(options, outcome.environment);
  std::optional<store::SnapshotSummary> previous;
  if (!notify_plan.empty())
    if (std::vector<store::SnapshotSummary> earlier = history->list(name); !earlier.empty())
      previous = earlier.back();
  const std::int64_t id = history->add_snapshot(name, label, commit, branch, scan);
  fmt::print("Snapshot {} of {}: {} in {} distributions, label \"{}\"\n", id, printable(name),
             format_size(scan.totals.selected.apparent_bytes, options.units),
             scan.totals.distributions, printable(label));
  const std::uint64_t total = scan.totals.selected.apparent_bytes;
  if (!previous || total <= previous->apparent_bytes ||
      total - previous->apparent_bytes <=
          notable_increase(options, notify_plan, previous->apparent_bytes))
    return kExitOk;
  std::fflush(stdout);
  return send_notification(notify_plan, options.notify,
                           increase_notification(*previous, id, name, scan, options.units), kExitOk,
                           options.quiet);
}

int run_history(const TrackOptions& options) {
  const auto history = open_history(options, store::HistoryAccess::kRead);
  const std::vector<store::SnapshotSummary> snapshots = history->list(options.name);
  if (options.json) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& snapshot : snapshots)
      list.push_back(store::snapshot_summary_to_json(snapshot));
    return write_and_succeed(
        "-", dump_json(nlohmann::ordered_json{{"schema_version", 1},
                                              {"history", history->path()},  // without a password
                                              {"snapshots", list}},
                       2) +
                 "\n");
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
    write_and_succeed(options.svg_path, report::render_history_svg(snapshots, title));
  if (!options.html_path.empty())
    write_and_succeed(options.html_path, report::render_history_html(snapshots, title));
  if (options.svg_path.empty() && options.html_path.empty())
    return write_and_succeed(
        "-", report::render_history_chart(snapshots, render_options(options), terminal_width(), 0));
  return kExitOk;
}

// The newest total and its trend as a shields-style SVG badge (stdout without --svg).
int run_badge(const TrackOptions& options) {
  const auto history = open_history(options, store::HistoryAccess::kRead);
  const std::string svg =
      report::render_badge_svg(history->list(options.name), options.badge_label, options.units);
  return write_and_succeed(options.svg_path.empty() ? "-" : options.svg_path, svg);
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

// Retention: every snapshot older than AGE (of --name, else of every environment).
int run_delete_older_than(const TrackOptions& options) {
  const std::optional<std::chrono::hours> age = parse_age(options.older_than);
  if (!age)
    throw Error(
        ErrorCategory::kUsage,
        fmt::format("--older-than: '{}' is not an age (try 90d, 12w, 48h)", options.older_than));
  const auto history = open_history(options, store::HistoryAccess::kModify);
  const std::string cutoff = iso8601_utc(std::chrono::system_clock::now() - *age);
  const std::int64_t removed = history->remove_created_before(cutoff, options.name);
  fmt::print("Deleted {} snapshot{} taken before {}\n", removed, removed == 1 ? "" : "s", cutoff);
  return kExitOk;
}

int run_delete(const TrackOptions& options) {
  if (options.reference.empty() == options.older_than.empty())
    throw Error(ErrorCategory::kUsage,
                "track delete: give one snapshot (@id, @label) or --older-than AGE");
  if (!options.older_than.empty()) return run_delete_older_than(options);
  // Deleting from a history that does not exist creates none.
  const auto history = open_history(options, store::HistoryAccess::kModify);
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
                  "The history store: a file or a postgresql:// URL (default: "
                  "$PKGSIZER_HISTORY, else XDG)")
      ->type_name("FILE|URL");
  command
      .add_option("--timeout", options.connect_timeout,
                  "Seconds to wait for a PostgreSQL history's server (default: "
                  "$PGCONNECT_TIMEOUT, else 10)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1, 3600));
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
  add_notify_options(*snapshot, options->notify);
  snapshot
      ->add_option("--upload", options->upload_url,
                   "Send the snapshot to a `pkgsizer serve` at URL instead of the history")
      ->type_name("URL")
      ->group("Upload");
  snapshot
      ->add_option("--token-file", options->token_file,
                   "The upload token for --upload (`pkgsizer serve token add --scope upload`)")
      ->type_name("FILE")
      ->group("Upload");
  snapshot
      ->add_option("--notify-on-increase", options->notify_increase,
                   "Notify when the total grew by more than this over the previous snapshot "
                   "(\"5MB\" or \"10%\"; default: [notify] notify_on_increase, else any growth)")
      ->type_name("SIZE|PERCENT")
      ->group("Notifications");
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

  CLI::App* badge = track->add_subcommand(
      "badge", "A README badge (SVG): the newest total and its change, shields.io style");
  add_common(*badge, *options);
  add_units_option(*badge, options->units);
  badge->add_option("--svg", options->svg_path, "Write the badge to FILE (default: stdout)")
      ->type_name("FILE");
  badge->add_option("--label", options->badge_label, "The left-hand text (default: env size)");
  actions.emplace_back(badge, run_badge);

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

  CLI::App* remove =
      track->add_subcommand("delete", "Delete one snapshot, or those older than an age");
  remove->add_option("snapshot", options->reference, "@id or @label");
  remove
      ->add_option("--older-than", options->older_than,
                   "Instead: every snapshot older than AGE (90d, 12w, 48h), of --name if given")
      ->type_name("AGE");
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
