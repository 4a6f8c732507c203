// Checking a scan against a budget: one result per rule (the total, each distribution against
// per_package or its own limit, the increase over a baseline), worst first. Pure: the scan, an
// optional baseline scan and the configuration in, results out; renderers live in src/report.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "budget/budget_config.hpp"
#include "model/model.hpp"

namespace pkgsizer::budget {

enum class Rule {
  kTotal,
  kPerPackage,
  kPackage,
  kIncrease,
  // [budget] unused = "fail" | "warn": a distribution the project never imports (check-budget
  // --project, found by recommend's kind unused). No limit: any such distribution fails or warns.
  kUnused,
  // [budget.import_time] (budget/import_time_check.hpp): used/limit are microseconds.
  kImportTotal,
  kImportPerDistribution,
  kImportDistribution,
  kImportModule,
};
enum class Status { kOk, kWarn, kFail };  // within; at or above warn_at of the limit; over it

// "total", "per_package", "package", "increase", "unused": the config keys the rules come from;
// "import_time.total", "import_time.per_distribution", "import_time.distributions",
// "import_time.modules".
const char* rule_name(Rule rule);
// "ok", "warn", "fail".
const char* status_name(Status status);

struct RuleResult {
  Rule rule = Rule::kTotal;
  // A distribution's name for package and per_package rules (as installed, or as written in the
  // budget when it is not installed); empty for total and increase.
  std::string subject;
  Status status = Status::kOk;
  std::uint64_t used_bytes = 0;   // increase: the growth over the baseline, 0 when it shrank
  std::uint64_t limit_bytes = 0;  // increase with a percentage: that share of the baseline total
  double percent = 0;  // used / limit × 100; +infinity when the limit is 0 and used is not
  std::size_t config_line = 0;  // the line of the budget file that set the limit (0: unknown)

  // package: false when no installed distribution has that name (then ok, with 0 bytes used:
  // a budget shared by several environments may name what one of them lacks).
  bool installed = true;
  std::string version;  // package and per_package: the installed version
  // per_package: 0 for one distribution's result; otherwise this result summarises that many
  // distributions within the limit, and subject/used_bytes are those of the largest.
  std::size_t distributions = 0;
  // increase: the totals compared, and the percentage the limit was given as (if it was).
  std::uint64_t baseline_bytes = 0;
  std::uint64_t current_bytes = 0;
  std::optional<double> limit_percent;
  // unused: what was found ("deadpkg is not used"), the distributions removing it removes (the
  // subject first, then what only it needs) and the command that removes them.
  std::string finding;
  std::vector<std::string> removes;
  std::string action;

  // An import-time rule: used_bytes and limit_bytes hold microseconds (medians of the runs).
  bool is_time() const { return rule >= Rule::kImportTotal; }
};

struct BudgetEvaluation {
  std::string config_file;  // where the budget came from, as given to the parser
  std::string environment;  // what was checked: the prefix, or the site-packages directories
  double warn_at_percent = 90.0;
  std::uint64_t total_bytes = 0;  // totals.selected.apparent_bytes of the scan
  std::size_t distribution_count = 0;
  std::vector<RuleResult> results;  // fail, then warn, then ok; each by percent, highest first
  // Rules that could not be checked, and why ("max_increase: no --baseline to compare with").
  std::vector<std::string> notes;
  // What the sizes checked leave out, one line each: packages of a prediction whose size is
  // unknown ("name 1.0: size unknown until built"), parts of a scan that could not be read. A
  // check that leaves something out cannot say "within budget": a gate must not pass on
  // ignorance.
  std::vector<std::string> unknown;
  bool unknown_allowed = false;  // --allow-unknown: judge on the known sizes alone
  bool import_time = false;      // an import-time check: total_bytes holds microseconds

  Status overall() const;  // the worst status, ok when there are no results
  std::size_t count(Status status) const;
  // Nothing left out, or --allow-unknown.
  bool complete() const { return unknown.empty() || unknown_allowed; }
};

// The kind of a scan Problem that names a package whose size is unknown (a prediction's).

// Sizes are apparent bytes (st_size, what `du -b` adds up): totals.selected for the total and
// the increase, each distribution's own size for per_package and [budget.packages]. What the scan
// could not measure (Problems of kind unknown_size, scan errors) goes to `unknown`.
BudgetEvaluation evaluate_budget(const Scan& scan, const BudgetConfig& config,
                                 const Scan* baseline = nullptr, bool allow_unknown = false);

// A distribution the project never imports, as recommend found it (kind unused).
struct UnusedDistribution {
  std::string title;                       // "deadpkg is not used"
  std::vector<std::string> distributions;  // it first, then the dependencies only it needs
  std::uint64_t bytes = 0;                 // apparent bytes removing them saves
  std::string action;                      // "pip uninstall -y deadpkg deaddep"
};

// Adds one result of rule `unused` per distribution (failed or warned as the rule says, with
// the rule's line) and sorts the results again.
void add_unused_results(BudgetEvaluation& evaluation, const std::vector<UnusedDistribution>& unused,
                        const UnusedRule& rule);

// The order of results: fail, then warn, then ok; each by percent, highest first.
void sort_results(std::vector<RuleResult>& results);
// Sets percent and status from used_bytes and limit_bytes (over the limit fails; at or above
// warn_at of it warns).
void grade_result(RuleResult& result, double warn_at_percent);

}  // namespace pkgsizer::budget
