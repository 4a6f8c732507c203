// Size budgets as people write them: the [budget] table of pkgsizer.toml, or
// [tool.pkgsizer.budget] of pyproject.toml (docs/budget.md). Pure: text and a file name in, a
// checked configuration or a "FILE:LINE:COLUMN: what is wrong" error out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace pkgsizer::budget {

// Every problem with a budget file, its message always "FILE:LINE:COLUMN: what is wrong" (or
// "FILE: what is wrong" when there is no place to point at): exit code 2 in the CLI.
class ConfigError : public Error {
 public:
  explicit ConfigError(const std::string& message) : Error(ErrorCategory::kUsage, message) {}
};

// A limit in bytes, and the line that set it (for annotations that point back at the file).
struct SizeLimit {
  std::uint64_t bytes = 0;
  std::size_t line = 0;
};

// max_increase: either a size ("20MB") or a share of the baseline's total ("10%").
struct IncreaseLimit {
  std::optional<std::uint64_t> bytes;
  std::optional<double> percent;
  std::size_t line = 0;
};

// One entry of [budget.packages].
struct PackageLimit {
  std::string name;             // as written in the file
  std::string normalized_name;  // PEP 503: what distributions are matched by
  std::uint64_t bytes = 0;
  std::size_t line = 0;
};

// `unused = "fail"` or "warn": what check-budget --project does with distributions the
// project never imports (pkgsizer recommend, kind unused).
struct UnusedRule {
  bool fail = false;
  std::size_t line = 0;
};
// [budget.import_time] (pkgsizer import-time, check-budget --import): limits in microseconds on
// the median of the measured runs.
struct TimeLimit {
  std::string name;  // the module or distribution as written; empty for total / per_distribution
  std::string normalized_name;  // distributions: PEP 503
  std::int64_t microseconds = 0;
  std::size_t line = 0;
};
struct ImportTimeBudget {
  std::optional<TimeLimit> total;             // the measured code's imports
  std::optional<TimeLimit> per_distribution;  // each installed distribution's self time
  std::vector<TimeLimit> modules;             // a module's cumulative time
  std::vector<TimeLimit> distributions;       // a distribution's self time
};

struct BudgetConfig {
  std::string file;  // the name it was parsed under, for messages
  std::optional<SizeLimit> total;
  std::optional<SizeLimit> per_package;  // every distribution not named in `packages`
  double warn_at_percent = 90.0;         // a rule at or above this share of its limit warns
  std::optional<IncreaseLimit> max_increase;
  std::vector<PackageLimit> packages;  // in the order of the file
  std::optional<UnusedRule> unused;
  std::optional<ImportTimeBudget> import_time;
};

// Which table holds the budget follows from the file's name: pyproject.toml (any directory)
// reads [tool.pkgsizer.budget], every other name [budget]. Throws ConfigError.
BudgetConfig parse_budget_config(std::string_view text, const std::string& file_name);

// True when `file_name` names a pyproject.toml (whose budget lives under [tool.pkgsizer]).
bool is_pyproject(const std::string& file_name);

// "90%" -> 90.0; empty when the text is not a non-negative number followed by '%'.
std::optional<double> parse_percent(std::string_view text);

}  // namespace pkgsizer::budget
