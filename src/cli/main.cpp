// pkgsizer: where the bytes of a Python environment go. Each subcommand is a thin adapter
// over the core modules; this file only wires them and turns errors into exit codes.
#include <fmt/format.h>
#include <malloc.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <new>
#include <optional>
#include <vector>

#include "cli/ascii_output.hpp"
#include "cli/browse_command.hpp"
#include "cli/check_budget_command.hpp"
#include "cli/compare_command.hpp"
#include "cli/completion_command.hpp"
#include "cli/docker_command.hpp"
#include "cli/exit_codes.hpp"
#include "cli/import_time_command.hpp"
#include "cli/lsp_command.hpp"
#include "cli/option_values.hpp"
#include "cli/outdated_command.hpp"
#include "cli/parse_errors.hpp"
#include "cli/plugins.hpp"
#include "cli/predict_command.hpp"
#include "cli/recommend_command.hpp"
#include "cli/scan_env_command.hpp"
#include "cli/serve_command.hpp"
#include "cli/track_command.hpp"
#include "cli/why_command.hpp"
#include "pkgsizer/version.hpp"
#include "util/error.hpp"
#include "util/text.hpp"

namespace {

// glibc's allocator defaults suit long-lived servers. A scan builds hundreds of thousands of
// small strings and vectors, then frees them in bulk: with fastbins every large free() first
// merges all small free chunks (malloc_consolidate), and vectors above 128 KiB go to mmap and
// back on every reallocation. Without both, a cold scan of 400k files is ~15% faster and a
// cached one ~25% (docs/benchmarks.md).
void tune_allocator() {
  ::mallopt(M_MXFAST, 0);
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
}

}  // namespace

// Only the set-up before the try blocks can throw past main: CLI11 on a duplicate option name, a
// bug or a dead machine that std::terminate reports well enough.
// NOLINTNEXTLINE(bugprone-exception-escape)
int main(int argc, char** argv) try {
  using namespace pkgsizer::cli;
  tune_allocator();
  if (!locale_is_utf8()) write_ascii_symbols();
  CLI::App app{"pkgsizer: where the bytes of your Python environments go", "pkgsizer"};
  app.set_version_flag("-V,--version", fmt::format("pkgsizer {}", pkgsizer::kVersion));
  app.require_subcommand(1);
  app.footer(
      "Run 'pkgsizer COMMAND --help' for a command's options.\n"
      "Exit codes: 0 ok, 1 threshold exceeded, 2 usage error, 3 environment not found,\n"
      "            4 finished with unreadable files or metadata, 5 output not written,\n"
      "            6 dependency problems with --strict, 7 distribution not installed (why),\n"
      "            8 history store damaged or not writable, 9 no such snapshot,\n"
      "            10 out of memory or an unexpected failure.");

  // Building the subcommands allocates (hundreds of options): short of memory there, the
  // function-try-block of main reports it like any other out-of-memory.
  std::vector<std::function<int()>> commands{
      register_scan_env(app),     register_why(app),      register_compare(app),
      register_check_budget(app), register_track(app),    register_predict(app),
      register_recommend(app),    register_outdated(app), register_plugins(app),
      register_import_time(app),  register_browse(app),   register_docker(app)};
  commands.push_back(register_lsp(app));
  commands.push_back(register_serve(app));
  commands.push_back(register_completion(app));  // last: it describes the others
  check_option_values(app);
  try {
    // `pkgsizer NAME` of no built-in command: a plugin's, before CLI11 calls NAME a typo.
    if (const std::optional<int> code = run_plugin_if_named(app, argc, argv)) return *code;
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return report_parse_error(app, error, argc, argv);
  }
  // The one place errors are caught: a pkgsizer::Error, thrown where its file, line and what
  // were known, says its exit code by its category (util/error.hpp); anything else is a bug or
  // a dead machine (10), reported in one line instead of a crash and a core dump.
  try {
    for (const auto& command : commands)
      if (const int code = command(); code >= 0) return code;
  } catch (const pkgsizer::Error& error) {
    std::fflush(stdout);
    fmt::print(stderr, "pkgsizer: error: {}\n", pkgsizer::printable(error.what()));
    return pkgsizer::exit_code_for(error.category());
  } catch (const std::bad_alloc&) {
    std::fflush(stdout);
    fmt::print(stderr, "pkgsizer: error: out of memory\n");
    return kExitInternal;
  } catch (const std::exception& error) {
    std::fflush(stdout);
    fmt::print(stderr, "pkgsizer: error: {}\n", pkgsizer::printable(error.what()));
    return kExitInternal;
  }
  return kExitUsage;
} catch (const std::bad_alloc&) {
  // The set-up (CLI11's option tables, the parse) allocates too: short of memory there, one
  // line and exit 10 as everywhere else, not std::terminate.
  std::fputs("pkgsizer: error: out of memory\n", stderr);
  return pkgsizer::cli::kExitInternal;
}
