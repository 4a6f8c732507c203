// Running the environment's interpreter with -X importtime, in a fresh process per run, and
// turning the runs into an ImportProfile: the module -> file table comes from the interpreter
// itself (a small driver dumps sys.modules after the measured code), file -> distribution from
// the scan's ownership (scan/scanner.hpp, OwnerQuery).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "importtime/profile.hpp"
#include "model/model.hpp"
#include "util/phase_clock.hpp"

namespace pkgsizer::importtime {

struct MeasureRequest {
  std::vector<std::string> modules;  // import these (dotted names), in order
  std::string code;                  // or run this code (-c)
  std::string script;                // or this script, as __main__
  int runs = 5;
  int warmup = 1;     // runs first, not counted: .pyc files get written by them
  bool cold = false;  // every run with an empty bytecode cache: compilation is counted
  std::chrono::milliseconds timeout{120000};  // per run
  PhaseTimings* timings = nullptr;            // "interpreter", "parse", "ownership", "profile"
};

// Throws pkgsizer::Error: kUsage for a bad module name or missing script, kEnvironment when the
// interpreter is missing or cannot run, or the measured code fails (with the last line of its
// traceback), or a run times out.
ImportProfile measure_imports(const Environment& environment, const MeasureRequest& request);

// The output of one run split into its parts: start-up log, measured log, module table. Public
// for tests. Throws pkgsizer::Error(kEnvironment) when the driver's markers are missing.
struct SplitRun {
  RunLogs logs;
  std::string modules_table;  // the driver's dump (standard output after its marker)
};
SplitRun split_run(const std::string& standard_error, const std::string& standard_output);

// Parses the driver's module table into an Attribution (without owners).
Attribution parse_module_table(const std::string& table, std::string* version,
                               std::string* executable);

// True for a dotted Python module name ("a.b_c"): what `import-time MODULE` accepts.
bool is_module_name(const std::string& name);

}  // namespace pkgsizer::importtime
