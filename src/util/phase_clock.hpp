// Records how long each phase of a piece of work took, when asked to (--timings, benchmarks).
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace pkgsizer {

using PhaseTimings = std::vector<std::pair<std::string, double>>;  // phase, seconds

class PhaseClock {
 public:
  // With a null `timings` every lap is a no-op.
  explicit PhaseClock(PhaseTimings* timings) : timings_(timings) {}
  // Appends the time since the previous lap (or since construction) under `phase`.
  void lap(const char* phase) {
    if (!timings_) return;
    const auto now = std::chrono::steady_clock::now();
    timings_->emplace_back(phase, std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }

 private:
  PhaseTimings* timings_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace pkgsizer
