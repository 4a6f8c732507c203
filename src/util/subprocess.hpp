// Runs a program and captures its standard output, with a time limit (never hangs).
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace pkgsizer {

struct ProcessResult {
  bool started = false;
  bool timed_out = false;
  int exit_code = -1;
  std::string standard_output;
  std::string error;  // why it did not start, or did not finish
};

// argv[0] is looked up on PATH when it holds no '/'. Standard error is passed through unless
// quiet_stderr (then it goes to /dev/null).
ProcessResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          bool quiet_stderr = false);

}  // namespace pkgsizer

namespace pkgsizer {

struct CapturedProcess {
  bool started = false;
  bool timed_out = false;
  int exit_code = -1;  // -1 when killed by a signal
  std::string standard_output;
  std::string standard_error;
  std::string error;  // why it did not start, or did not finish
};

// Like run_process, but standard error is captured too (both pipes are drained together, so a
// child that fills one while we wait on the other cannot dead-lock).
CapturedProcess run_process_capturing(const std::vector<std::string>& argv,
                                      std::chrono::milliseconds timeout);

}  // namespace pkgsizer
