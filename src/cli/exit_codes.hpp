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

}  // namespace pkgsizer::cli
