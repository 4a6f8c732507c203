// Checking measured import times against [budget.import_time] (docs/budget.md): the total of
// the measured code's imports, each distribution's self time, named modules' cumulative times.
// Times are noisy: what is checked is the median of the runs, and the evaluation says so. Pure:
// the numbers in (from pkgsizer import-time, by the command line), results out, rendered by the
// size budget's renderers (report/budget_report.hpp) with times instead of sizes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "budget/budget_check.hpp"
#include "budget/budget_config.hpp"

namespace pkgsizer::budget {

struct MeasuredImports {
  std::string target;       // "import requests"
  std::string interpreter;  // what ran it
  int runs = 0;
  std::int64_t total_us = 0;  // median
  struct Distribution {
    std::string name;
    std::string normalized_name;  // PEP 503
    std::string version;
    std::int64_t self_us = 0;  // median self times summed
  };
  std::vector<Distribution> distributions;  // installed ones only (not stdlib, startup)
  struct Module {
    std::string name;
    std::int64_t cumulative_us = 0;  // median
  };
  std::vector<Module> modules;
};

// config.import_time must be set (the caller says so otherwise).
BudgetEvaluation evaluate_import_time_budget(const MeasuredImports& measured,
                                             const BudgetConfig& config);

}  // namespace pkgsizer::budget
