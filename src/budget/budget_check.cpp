#include "budget/budget_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string_view>
#include <unordered_map>

namespace pkgsizer::budget {
namespace {

double percent_of(std::uint64_t used, std::uint64_t limit) {
  if (limit == 0) return used == 0 ? 0.0 : std::numeric_limits<double>::infinity();
  return 100.0 * static_cast<double>(used) / static_cast<double>(limit);
}

// Over the limit fails (compared in bytes, so that rounding never hides one byte too many);
// at or above warn_at of it warns.
void grade(RuleResult& result, double warn_at_percent) {
  result.percent = percent_of(result.used_bytes, result.limit_bytes);
  if (result.used_bytes > result.limit_bytes)
    result.status = Status::kFail;
  else if (result.used_bytes > 0 && result.percent >= warn_at_percent)
    result.status = Status::kWarn;
  else
    result.status = Status::kOk;
}

int severity(Status status) {
  return status == Status::kFail ? 0 : status == Status::kWarn ? 1 : 2;
}

std::string describe_environment(const Environment& environment) {
  if (!environment.prefix.empty()) return environment.prefix;
  return fmt::format("{}", fmt::join(environment.site_packages, ", "));
}

RuleResult increase_result(const Scan& scan, const Scan& baseline, const IncreaseLimit& limit,
                           double warn_at) {
  RuleResult result;
  result.rule = Rule::kIncrease;
  result.config_line = limit.line;
  result.baseline_bytes = baseline.totals.selected.apparent_bytes;
  result.current_bytes = scan.totals.selected.apparent_bytes;
  result.used_bytes = result.current_bytes > result.baseline_bytes
                          ? result.current_bytes - result.baseline_bytes
                          : 0;
  if (limit.percent) {
    result.limit_percent = limit.percent;
    result.limit_bytes = static_cast<std::uint64_t>(
        std::llround(static_cast<double>(result.baseline_bytes) * *limit.percent / 100.0));
  } else {
    result.limit_bytes = limit.bytes.value_or(0);
  }
  grade(result, warn_at);
  return result;
}

// Problems that make the sizes incomplete: a prediction's unknown sizes, and a scan's errors
// (an unreadable directory, a garbage RECORD). Dependency problems do not change a size.
std::vector<std::string> unknown_parts(const Scan& scan) {
  std::vector<std::string> unknown;
  for (const Problem& problem : scan.problems) {
    if (problem.kind == ProblemKind::kUnknownSize)
      unknown.push_back(problem.message);
    else if (problem.kind == ProblemKind::kScan && problem.severity == Severity::kError)
      unknown.push_back(fmt::format("{}: {}", problem.path, problem.message));
  }
  return unknown;
}

}  // namespace

const char* rule_name(Rule rule) {
  switch (rule) {
    case Rule::kTotal:
      return "total";
    case Rule::kPerPackage:
      return "per_package";
    case Rule::kPackage:
      return "package";
    case Rule::kIncrease:
      return "increase";
    case Rule::kUnused:
      return "unused";
    case Rule::kImportTotal:
      return "import_time.total";
    case Rule::kImportPerDistribution:
      return "import_time.per_distribution";
    case Rule::kImportDistribution:
      return "import_time.distributions";
    case Rule::kImportModule:
      return "import_time.modules";
  }
  return "total";
}

const char* status_name(Status status) {
  switch (status) {
    case Status::kOk:
      return "ok";
    case Status::kWarn:
      return "warn";
    case Status::kFail:
      return "fail";
  }
  return "ok";
}

Status BudgetEvaluation::overall() const {
  Status worst = Status::kOk;
  for (const RuleResult& result : results)
    if (severity(result.status) < severity(worst)) worst = result.status;
  return worst;
}

std::size_t BudgetEvaluation::count(Status status) const {
  return static_cast<std::size_t>(
      std::count_if(results.begin(), results.end(),
                    [&](const RuleResult& result) { return result.status == status; }));
}

BudgetEvaluation evaluate_budget(const Scan& scan, const BudgetConfig& config, const Scan* baseline,
                                 bool allow_unknown) {
  BudgetEvaluation evaluation;
  evaluation.unknown = unknown_parts(scan);
  evaluation.unknown_allowed = allow_unknown;
  evaluation.config_file = config.file;
  evaluation.environment = describe_environment(scan.environment);
  evaluation.warn_at_percent = config.warn_at_percent;
  evaluation.total_bytes = scan.totals.selected.apparent_bytes;
  evaluation.distribution_count = scan.distributions.size();
  const double warn_at = config.warn_at_percent;

  if (config.total) {
    RuleResult result;
    result.rule = Rule::kTotal;
    result.used_bytes = evaluation.total_bytes;
    result.limit_bytes = config.total->bytes;
    result.config_line = config.total->line;
    grade(result, warn_at);
    evaluation.results.push_back(result);
  }

  // Named packages are always reported; every other distribution is held to per_package, and
  // those within it are summarised in one line (a hundred green rows help nobody).
  std::set<std::string> named_seen;
  std::unordered_map<std::string_view, const PackageLimit*> limit_of;  // by normalized name
  for (const PackageLimit& limit : config.packages) limit_of.emplace(limit.normalized_name, &limit);
  RuleResult per_package_summary;
  for (const Distribution& distribution : scan.distributions) {
    const auto found = limit_of.find(distribution.normalized_name);
    const PackageLimit* named = found == limit_of.end() ? nullptr : found->second;
    RuleResult result;
    result.subject = distribution.name;
    result.version = distribution.version;
    result.used_bytes = distribution.size.apparent_bytes;
    if (named) {
      named_seen.insert(named->normalized_name);
      result.rule = Rule::kPackage;
      result.limit_bytes = named->bytes;
      result.config_line = named->line;
    } else if (config.per_package) {
      result.rule = Rule::kPerPackage;
      result.limit_bytes = config.per_package->bytes;
      result.config_line = config.per_package->line;
    } else {
      continue;
    }
    grade(result, warn_at);
    if (result.rule == Rule::kPerPackage && result.status == Status::kOk) {
      const std::size_t seen = per_package_summary.distributions + 1;
      if (seen == 1 || result.used_bytes > per_package_summary.used_bytes)
        per_package_summary = result;
      per_package_summary.distributions = seen;
      continue;
    }
    evaluation.results.push_back(result);
  }
  if (per_package_summary.distributions > 0) evaluation.results.push_back(per_package_summary);

  for (const PackageLimit& limit : config.packages) {
    if (named_seen.count(limit.normalized_name)) continue;
    RuleResult result;
    result.rule = Rule::kPackage;
    result.subject = limit.name;
    result.installed = false;
    result.limit_bytes = limit.bytes;
    result.config_line = limit.line;
    grade(result, warn_at);
    evaluation.results.push_back(result);
  }

  if (config.max_increase && baseline) {
    evaluation.results.push_back(increase_result(scan, *baseline, *config.max_increase, warn_at));
  } else if (config.max_increase) {
    evaluation.notes.push_back(
        "max_increase not checked: no baseline to compare with (--baseline SCAN.json or "
        "@snapshot)");
  } else if (baseline) {
    evaluation.notes.push_back("the baseline is not used: the budget sets no max_increase");
  }

  if (config.import_time)
    evaluation.notes.push_back("[budget.import_time] is checked by `check-budget --import MODULE`");

  sort_results(evaluation.results);
  return evaluation;
}

void sort_results(std::vector<RuleResult>& results) {
  std::stable_sort(results.begin(), results.end(), [](const RuleResult& a, const RuleResult& b) {
    if (severity(a.status) != severity(b.status)) return severity(a.status) < severity(b.status);
    if (a.percent != b.percent) return a.percent > b.percent;
    if (a.rule != b.rule) return static_cast<int>(a.rule) < static_cast<int>(b.rule);
    return a.subject < b.subject;
  });
}

void grade_result(RuleResult& result, double warn_at_percent) { grade(result, warn_at_percent); }

void add_unused_results(BudgetEvaluation& evaluation, const std::vector<UnusedDistribution>& unused,
                        const UnusedRule& rule) {
  for (const UnusedDistribution& found : unused) {
    RuleResult result;
    result.rule = Rule::kUnused;
    result.subject = found.distributions.empty() ? found.title : found.distributions.front();
    result.status = rule.fail ? Status::kFail : Status::kWarn;
    result.used_bytes = found.bytes;
    // Nothing unused is allowed: a limit of 0, so no percentage (as for any zero limit).
    result.percent = std::numeric_limits<double>::infinity();
    result.config_line = rule.line;
    result.finding = found.title;
    result.removes = found.distributions;
    result.action = found.action;
    evaluation.results.push_back(std::move(result));
  }
  sort_results(evaluation.results);
}

}  // namespace pkgsizer::budget
