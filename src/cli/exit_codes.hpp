// The exit codes of every subcommand, documented in README.md ("Exit codes").
#pragma once

namespace pkgsizer::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitThresholdExceeded = 1,  // --fail-over (and later budgets) exceeded
  kExitUsage = 2,              // bad option or value
  kExitEnvironment = 3,        // no environment found, not an environment, interpreter failed
  kExitPartial = 4,            // finished, but some paths or metadata could not be read
  kExitOutput = 5,             // an output file could not be written
  kExitDependencies = 6,       // --strict: missing dependencies, version conflicts or cycles
  kExitNotInstalled = 7,       // `why PKG`: no such distribution in the environment
  kExitStore = 8,              // the history store is damaged, foreign or cannot be written
  kExitNotFound = 9,           // no such snapshot
  kExitInternal = 10,          // out of memory, or a failure nothing else caught (a bug)
};

// What a finished scan found that decides its exit code.
struct ScanVerdict {
  bool threshold_exceeded = false;   // --fail-over or a --budget limit
  bool partial = false;              // a problem of severity "error": results are partial
  bool dependency_problems = false;  // missing dependencies, version conflicts or cycles
  bool strict = false;               // --strict: dependency problems fail the run
};

// The precedence of README "Exit codes": an exceeded limit is what a CI job asked about, so it
// wins over a partial scan (whose totals can only be lower than the truth); dependency problems
// fail the run last, and only with --strict.
constexpr int scan_exit_code(const ScanVerdict& verdict) {
  if (verdict.threshold_exceeded) return kExitThresholdExceeded;
  if (verdict.partial) return kExitPartial;
  if (verdict.strict && verdict.dependency_problems) return kExitDependencies;
  return kExitOk;
}

}  // namespace pkgsizer::cli
