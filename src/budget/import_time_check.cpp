#include "budget/import_time_check.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace pkgsizer::budget {
namespace {

RuleResult time_result(Rule rule, std::string subject, std::int64_t used, const TimeLimit& limit,
                       double warn_at) {
  RuleResult result;
  result.rule = rule;
  result.subject = std::move(subject);
  result.used_bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(used, 0));
  result.limit_bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(limit.microseconds, 0));
  result.config_line = limit.line;
  grade_result(result, warn_at);
  return result;
}

}  // namespace

BudgetEvaluation evaluate_import_time_budget(const MeasuredImports& measured,
                                             const BudgetConfig& config) {
  BudgetEvaluation evaluation;
  evaluation.config_file = config.file;
  evaluation.environment = fmt::format("{} with {}", measured.target, measured.interpreter);
  evaluation.warn_at_percent = config.warn_at_percent;
  evaluation.total_bytes = static_cast<std::uint64_t>(std::max<std::int64_t>(measured.total_us, 0));
  evaluation.distribution_count = measured.distributions.size();
  evaluation.import_time = true;
  const double warn_at = config.warn_at_percent;
  const ImportTimeBudget& budget = config.import_time.value_or(ImportTimeBudget{});
  if (budget.total)
    evaluation.results.push_back(
        time_result(Rule::kImportTotal, "", measured.total_us, *budget.total, warn_at));
  for (const TimeLimit& limit : budget.distributions) {
    const auto found = std::find_if(measured.distributions.begin(), measured.distributions.end(),
                                    [&](const MeasuredImports::Distribution& d) {
                                      return d.normalized_name == limit.normalized_name;
                                    });
    RuleResult result = time_result(
        Rule::kImportDistribution, found == measured.distributions.end() ? limit.name : found->name,
        found == measured.distributions.end() ? 0 : found->self_us, limit, warn_at);
    // Not imported: within (0 used), like a size budget naming what is not installed.
    result.installed = found != measured.distributions.end();
    if (found != measured.distributions.end()) result.version = found->version;
    evaluation.results.push_back(std::move(result));
  }
  if (budget.per_distribution)
    for (const MeasuredImports::Distribution& dist : measured.distributions) {
      const bool named = std::any_of(
          budget.distributions.begin(), budget.distributions.end(),
          [&](const TimeLimit& limit) { return limit.normalized_name == dist.normalized_name; });
      if (named) continue;
      RuleResult result = time_result(Rule::kImportPerDistribution, dist.name, dist.self_us,
                                      *budget.per_distribution, warn_at);
      result.version = dist.version;
      evaluation.results.push_back(std::move(result));
    }
  for (const TimeLimit& limit : budget.modules) {
    const auto found =
        std::find_if(measured.modules.begin(), measured.modules.end(),
                     [&](const MeasuredImports::Module& m) { return m.name == limit.name; });
    RuleResult result =
        time_result(Rule::kImportModule, limit.name,
                    found == measured.modules.end() ? 0 : found->cumulative_us, limit, warn_at);
    result.installed = found != measured.modules.end();
    evaluation.results.push_back(std::move(result));
  }
  evaluation.notes.push_back(fmt::format(
      "import times are the medians of {} run{} (times are noisy: raise --runs for a steadier "
      "check)",
      measured.runs, measured.runs == 1 ? "" : "s"));
  sort_results(evaluation.results);
  return evaluation;
}

}  // namespace pkgsizer::budget
