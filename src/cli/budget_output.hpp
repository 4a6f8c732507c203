// Checking a scan against a budget file from the command line, shared by `check-budget` and
// `scan-env --budget`: reading the budget and the baseline before anything is scanned (a bad
// file costs no scan), rendering the asked format, writing it (and $GITHUB_STEP_SUMMARY for
// --format github), and the exit code. Every message is one line on stderr.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "budget/budget_check.hpp"
#include "budget/budget_config.hpp"
#include "pkgsizer/model.hpp"
#include "report/render_options.hpp"

namespace pkgsizer::cli {

enum class BudgetFormat { kText, kJson, kMarkdown, kGithub, kJunit };

struct BudgetOutputOptions {
  std::string
      config_path;  // --config / --budget; empty: the nearest one from the current directory up
  BudgetFormat format = BudgetFormat::kText;
  std::string output_path = "-";  // "-": standard output (standard error with to_stderr)
  bool to_stderr = false;         // for scan-env when its stdout carries JSON, CSV or Markdown
  bool fail_on_exceed = false;    // exit 1 when a rule fails
  bool allow_unknown = false;     // --allow-unknown: unknown sizes do not make the check incomplete
  std::string baseline;           // --baseline SCAN.json or @snapshot; empty: none
  std::string history_path;       // --history, for @snapshot; empty: $PKGSIZER_HISTORY, then XDG
  int connect_timeout = 0;        // --history-timeout: seconds to reach a PostgreSQL history
  report::RenderOptions render;
};

struct PreparedBudget {
  budget::BudgetConfig config;  // config.file: the path as messages show it
  std::optional<Scan> baseline;
};

// Finds (or takes) the budget file, parses it, loads the baseline. Throws pkgsizer::Error naming
// what is wrong ("pkgsizer.toml:3:1: unknown key 'totl' in [budget] (did you mean 'total'?)"):
// kUsage for the budget or a baseline file, kStore for a damaged history, kNotFound for no such
// snapshot.
PreparedBudget prepare_budget(const BudgetOutputOptions& options);

// Evaluates, renders and writes. Returns 0; 1 when a rule failed and fail_on_exceed; when sizes
// are unknown (a prediction's packages, a scan's unreadable parts) and not allow_unknown, 4 —
// or 1 with fail_on_exceed, since a gate must not pass on ignorance. Throws Error(kOutput, exit
// 5) when the report (or the step summary) could not be written.
// `unused`: check-budget's findings of the budget's unused rule, reported with the others.
int report_budget(const Scan& scan, const PreparedBudget& budget,
                  const BudgetOutputOptions& options,
                  const std::vector<budget::UnusedDistribution>& unused = {});

// Renders, writes and gives the exit code of an evaluation already made (report_budget's tail;
// check-budget --import evaluates import times).
int report_evaluation(const budget::BudgetEvaluation& evaluation,
                      const BudgetOutputOptions& options);

// prepare_budget, then report_budget: for a caller that already has its scan.
int run_budget_check(const Scan& scan, const BudgetOutputOptions& options);

// Adds --format text|json|markdown|github|junit, bound to `format`.
void add_budget_format_option(CLI::App& command, BudgetFormat& format);

}  // namespace pkgsizer::cli
