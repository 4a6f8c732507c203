#include "cli/browse_command.hpp"

#include <memory>

#include "browse/browse_screen.hpp"
#include "browse/browser_state.hpp"
#include "cli/exit_codes.hpp"
#include "cli/scan_runner.hpp"
#include "pkgsizer/scan.hpp"
#include "util/error.hpp"

namespace pkgsizer::cli {
namespace {

// Deep enough for the files inside nested packages.
constexpr int kBrowseModuleDepth = 16;

struct BrowseOptions {
  ScanRequest request;
  int jobs = 0;
  bool quiet = false;
};

int run_browse(const BrowseOptions& options) {
  // First from the cache (it keeps no module trees: opening takes a lookup, not a walk).
  scan::ScanOptions scan_options;
  scan_options.threads = options.jobs;
  ScanOutcome outcome = locate_and_scan(options.request, scan_options, options.quiet);
  browse::BrowserState state(
      scan::select_distributions_view(std::move(outcome.full), scan_options.filter));
  // Then, when a distribution is first opened, one walk with the module trees.
  auto load_module_trees = [&]() -> std::optional<Scan> {
    scan::ScanOptions with_trees = scan_options;
    with_trees.module_depth = kBrowseModuleDepth;
    try {
      ScanOutcome deeper = locate_and_scan(options.request, with_trees, true);
      return scan::select_distributions_view(std::move(deeper.full), with_trees.filter);
    } catch (const Error&) {
      return std::nullopt;  // the browser stays on what the first scan showed, and says so
    }
  };
  browse::run_browser(state, load_module_trees);
  return kExitOk;
}

}  // namespace

std::function<int()> register_browse(CLI::App& app) {
  auto options = std::make_shared<BrowseOptions>();
  CLI::App* command = app.add_subcommand(
      "browse", "Explore the environment interactively: distributions, packages, modules, files");
  command->footer(R"(
Keys: arrows move, Enter opens, Backspace goes back, s sort, d disk/apparent, w why,
/ search, ? help, q quit.

Examples:
  pkgsizer browse                   the active venv, or python3 on PATH
  pkgsizer browse --venv .venv
)");
  add_scan_options(*command, options->request);
  command->add_flag("-q,--quiet", options->quiet, "No progress and no warnings on stderr")
      ->group("Output");
  command->add_option("-j,--jobs", options->jobs, "Threads for walking (default: one per core)")
      ->check(CLI::Range(1, 256))
      ->group("Scanning");
  return [=]() -> int {
    if (!command->parsed()) return -1;
    return run_browse(*options);
  };
}

}  // namespace pkgsizer::cli
