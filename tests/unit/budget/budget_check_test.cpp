#include "budget/budget_check.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace pkgsizer;
using namespace pkgsizer::budget;

namespace {

Distribution distribution(const std::string& name, const std::string& normalized,
                          std::uint64_t bytes) {
  Distribution result;
  result.name = name;
  result.normalized_name = normalized;
  result.version = "1.0";
  result.size.apparent_bytes = bytes;
  return result;
}

// A scan whose total is the sum of its distributions (no shared files).
Scan scan_of(std::vector<Distribution> distributions) {
  Scan scan;
  scan.environment.prefix = "/venv";
  for (const Distribution& d : distributions)
    scan.totals.selected.apparent_bytes += d.size.apparent_bytes;
  scan.distributions = std::move(distributions);
  return scan;
}

Scan scan_with_total(std::uint64_t total) {
  Scan scan;
  scan.totals.selected.apparent_bytes = total;
  return scan;
}

BudgetConfig config_with_total(std::uint64_t bytes) {
  BudgetConfig config;
  config.file = "pkgsizer.toml";
  config.total = SizeLimit{bytes, 2};
  return config;
}

const RuleResult* find(const BudgetEvaluation& evaluation, Rule rule,
                       const std::string& subject = "") {
  for (const RuleResult& result : evaluation.results)
    if (result.rule == rule && result.subject == subject) return &result;
  return nullptr;
}

}  // namespace

TEST_CASE("the total fails over its limit and warns at warn_at") {
  const auto status_at = [](std::uint64_t used) {
    const BudgetEvaluation evaluation =
        evaluate_budget(scan_with_total(used), config_with_total(1000));
    REQUIRE(evaluation.results.size() == 1);
    return evaluation.results.front().status;
  };
  CHECK(status_at(0) == Status::kOk);
  CHECK(status_at(899) == Status::kOk);
  CHECK(status_at(900) == Status::kWarn);   // 90%: the default warn_at
  CHECK(status_at(1000) == Status::kWarn);  // at the limit is not over it
  CHECK(status_at(1001) == Status::kFail);

  const BudgetEvaluation evaluation =
      evaluate_budget(scan_with_total(950), config_with_total(1000));
  const RuleResult& total = evaluation.results.front();
  CHECK(total.rule == Rule::kTotal);
  CHECK(total.used_bytes == 950u);
  CHECK(total.limit_bytes == 1000u);
  CHECK(total.percent == Approx(95.0));
  CHECK(total.config_line == 2);
  CHECK(evaluation.total_bytes == 950u);
  CHECK(evaluation.config_file == "pkgsizer.toml");
  CHECK(evaluation.overall() == Status::kWarn);
}

TEST_CASE("warn_at moves the warning threshold") {
  BudgetConfig config = config_with_total(1000);
  config.warn_at_percent = 50;
  CHECK(evaluate_budget(scan_with_total(500), config).results.front().status == Status::kWarn);
  CHECK(evaluate_budget(scan_with_total(499), config).results.front().status == Status::kOk);
  config.warn_at_percent = 100;
  CHECK(evaluate_budget(scan_with_total(999), config).results.front().status == Status::kOk);
  CHECK(evaluate_budget(scan_with_total(1000), config).results.front().status == Status::kWarn);
}

TEST_CASE("a zero limit fails anything used, with no finite percentage") {
  const BudgetEvaluation evaluation = evaluate_budget(scan_with_total(1), config_with_total(0));
  CHECK(evaluation.results.front().status == Status::kFail);
  CHECK(std::isinf(evaluation.results.front().percent));
  CHECK(evaluate_budget(scan_with_total(0), config_with_total(0)).results.front().status ==
        Status::kOk);
}

TEST_CASE("named packages are checked by normalized name, even under budget") {
  BudgetConfig config;
  config.packages = {{"Typing_Extensions", "typing-extensions", 1000, 5},
                     {"torch", "torch", 5000, 6}};
  const Scan scan =
      scan_of({distribution("typing_extensions", "typing-extensions", 100),
               distribution("torch", "torch", 6000), distribution("six", "six", 999999)});
  const BudgetEvaluation evaluation = evaluate_budget(scan, config);
  REQUIRE(evaluation.results.size() == 2);  // no per_package: six is not checked
  const RuleResult* typing = find(evaluation, Rule::kPackage, "typing_extensions");
  REQUIRE(typing);
  CHECK(typing->status == Status::kOk);
  CHECK(typing->used_bytes == 100u);
  CHECK(typing->config_line == 5);
  CHECK(typing->version == "1.0");
  const RuleResult* torch = find(evaluation, Rule::kPackage, "torch");
  REQUIRE(torch);
  CHECK(torch->status == Status::kFail);
  CHECK(torch->percent == Approx(120.0));
  CHECK(evaluation.results.front().subject == "torch");  // worst first
}

TEST_CASE("a named package that is not installed is reported, within budget") {
  BudgetConfig config;
  config.packages = {{"Pandas", "pandas", 100, 3}};
  const BudgetEvaluation evaluation =
      evaluate_budget(scan_of({distribution("six", "six", 10)}), config);
  REQUIRE(evaluation.results.size() == 1);
  const RuleResult& pandas = evaluation.results.front();
  CHECK(pandas.rule == Rule::kPackage);
  CHECK(pandas.subject == "Pandas");
  CHECK_FALSE(pandas.installed);
  CHECK(pandas.used_bytes == 0u);
  CHECK(pandas.status == Status::kOk);
}

TEST_CASE("per_package lists each distribution near or over it, and sums up the rest in one line") {
  BudgetConfig config;
  config.per_package = SizeLimit{1000, 3};
  config.packages = {{"big", "big", 10000, 7}};
  const Scan scan = scan_of({distribution("big", "big", 5000), distribution("over", "over", 1500),
                             distribution("near", "near", 950), distribution("small", "small", 100),
                             distribution("medium", "medium", 400)});
  const BudgetEvaluation evaluation = evaluate_budget(scan, config);
  REQUIRE(evaluation.results.size() == 4);
  CHECK(find(evaluation, Rule::kPerPackage, "over")->status == Status::kFail);
  CHECK(find(evaluation, Rule::kPerPackage, "near")->status == Status::kWarn);
  CHECK(find(evaluation, Rule::kPackage, "big")->status ==
        Status::kOk);  // its own limit, not per_package
  CHECK_FALSE(find(evaluation, Rule::kPerPackage, "big"));
  const RuleResult* summary = find(evaluation, Rule::kPerPackage, "medium");
  REQUIRE(summary);
  CHECK(summary->distributions == 2);  // small and medium; the largest speaks for them
  CHECK(summary->used_bytes == 400u);
  CHECK(summary->status == Status::kOk);
  CHECK(find(evaluation, Rule::kPerPackage, "over")->distributions == 0);
}

TEST_CASE("results come worst first: fail, warn, ok, each by percentage") {
  BudgetConfig config;
  config.total = SizeLimit{100000, 2};  // 7.6%: ok
  config.packages = {{"a", "a", 1000, 3}, {"b", "b", 1000, 4}, {"c", "c", 1000, 5},
                     {"d", "d", 1000, 6}, {"e", "e", 1000, 7}, {"f", "f", 1000, 8}};
  const Scan scan = scan_of({distribution("a", "a", 500), distribution("b", "b", 1200),
                             distribution("c", "c", 950), distribution("d", "d", 3000),
                             distribution("e", "e", 920), distribution("f", "f", 10)});
  const BudgetEvaluation evaluation = evaluate_budget(scan, config);
  std::vector<std::string> order;
  for (const RuleResult& result : evaluation.results)
    order.push_back(result.subject.empty() ? "total" : result.subject);
  CHECK(order == std::vector<std::string>{"d", "b", "c", "e", "a", "total", "f"});
  CHECK(evaluation.count(Status::kFail) == 2);
  CHECK(evaluation.count(Status::kWarn) == 2);
  CHECK(evaluation.count(Status::kOk) == 3);
  CHECK(evaluation.overall() == Status::kFail);
}

TEST_CASE("max_increase as a percentage of the baseline total") {
  BudgetConfig config;
  config.max_increase = IncreaseLimit{std::nullopt, 10.0, 4};
  const Scan baseline = scan_with_total(100000);
  const auto increase_at = [&](std::uint64_t current) {
    const BudgetEvaluation evaluation =
        evaluate_budget(scan_with_total(current), config, &baseline);
    REQUIRE(evaluation.results.size() == 1);
    return evaluation.results.front();
  };
  const RuleResult grown = increase_at(115000);
  CHECK(grown.rule == Rule::kIncrease);
  CHECK(grown.used_bytes == 15000u);
  CHECK(grown.limit_bytes == 10000u);
  CHECK(grown.baseline_bytes == 100000u);
  CHECK(grown.current_bytes == 115000u);
  REQUIRE(grown.limit_percent);
  CHECK(*grown.limit_percent == Approx(10.0));
  CHECK(grown.percent == Approx(150.0));
  CHECK(grown.status == Status::kFail);
  CHECK(increase_at(110000).status == Status::kWarn);
  CHECK(increase_at(105000).status == Status::kOk);
  const RuleResult shrunk = increase_at(90000);
  CHECK(shrunk.used_bytes == 0u);
  CHECK(shrunk.status == Status::kOk);
}

TEST_CASE("max_increase as a size") {
  BudgetConfig config;
  config.max_increase = IncreaseLimit{20000, std::nullopt, 4};
  const Scan baseline = scan_with_total(1000000);
  const BudgetEvaluation over = evaluate_budget(scan_with_total(1030000), config, &baseline);
  CHECK(over.results.front().limit_bytes == 20000u);
  CHECK(over.results.front().used_bytes == 30000u);
  CHECK_FALSE(over.results.front().limit_percent);
  CHECK(over.results.front().status == Status::kFail);
  CHECK(evaluate_budget(scan_with_total(1010000), config, &baseline).results.front().status ==
        Status::kOk);
}

TEST_CASE("a missing baseline, or an unused one, is a note and no result") {
  BudgetConfig config = config_with_total(1000);
  config.max_increase = IncreaseLimit{std::nullopt, 10.0, 4};
  const BudgetEvaluation without = evaluate_budget(scan_with_total(10), config);
  CHECK(without.results.size() == 1);
  REQUIRE(without.notes.size() == 1);
  CHECK(without.notes.front().find("max_increase not checked") != std::string::npos);

  const Scan baseline = scan_with_total(5);
  const BudgetEvaluation unused =
      evaluate_budget(scan_with_total(10), config_with_total(1000), &baseline);
  REQUIRE(unused.notes.size() == 1);
  CHECK(unused.notes.front().find("sets no max_increase") != std::string::npos);
}

TEST_CASE("names of rules and statuses are the config's and JSON's words") {
  CHECK(std::string(rule_name(Rule::kTotal)) == "total");
  CHECK(std::string(rule_name(Rule::kPerPackage)) == "per_package");
  CHECK(std::string(rule_name(Rule::kPackage)) == "package");
  CHECK(std::string(rule_name(Rule::kIncrease)) == "increase");
  CHECK(std::string(status_name(Status::kOk)) == "ok");
  CHECK(std::string(status_name(Status::kWarn)) == "warn");
  CHECK(std::string(status_name(Status::kFail)) == "fail");
}

TEST_CASE("unknown sizes make a budget check incomplete", "[budget]") {
  Scan scan = scan_with_total(100);
  scan.problems.push_back({Severity::kError, "poetry.lock",
                           "onlysdist 1.0: size unknown until built", ProblemKind::kUnknownSize});
  scan.problems.push_back({Severity::kError, "/site/x.dist-info/RECORD", "garbage RECORD"});
  scan.problems.push_back({Severity::kWarning, "/site", "a warning"});  // sizes are whole
  scan.problems.push_back(
      {Severity::kWarning, "/site", "b missing", ProblemKind::kMissing});  // a dependency problem
  const BudgetEvaluation evaluation = evaluate_budget(scan, config_with_total(1000));
  CHECK(evaluation.overall() == Status::kOk);
  REQUIRE(evaluation.unknown.size() == 2);
  CHECK(evaluation.unknown[0] == "onlysdist 1.0: size unknown until built");
  CHECK(evaluation.unknown[1] == "/site/x.dist-info/RECORD: garbage RECORD");
  CHECK_FALSE(evaluation.complete());
  CHECK(evaluate_budget(scan, config_with_total(1000), nullptr, true).complete());
  CHECK(evaluate_budget(scan_with_total(100), config_with_total(1000)).complete());
}

TEST_CASE("unused rule: one result per unused distribution, failed or warned as the rule says") {
  BudgetEvaluation evaluation = evaluate_budget(scan_with_total(1000), config_with_total(10000));
  REQUIRE(evaluation.overall() == Status::kOk);
  const std::vector<UnusedDistribution> unused{
      {"deadpkg is not used", {"deadpkg", "deaddep"}, 300, "pip uninstall -y deadpkg deaddep"}};
  BudgetEvaluation failing = evaluation;
  add_unused_results(failing, unused, UnusedRule{true, 3});
  REQUIRE(failing.results.size() == 2);
  const RuleResult& result = failing.results.front();  // failed first
  CHECK(result.rule == Rule::kUnused);
  CHECK(std::string(rule_name(result.rule)) == "unused");
  CHECK(result.subject == "deadpkg");
  CHECK(result.status == Status::kFail);
  CHECK(result.used_bytes == 300);
  CHECK(result.config_line == 3);
  CHECK(result.removes == std::vector<std::string>{"deadpkg", "deaddep"});
  CHECK(failing.overall() == Status::kFail);

  BudgetEvaluation warning = evaluation;
  add_unused_results(warning, unused, UnusedRule{false, 3});
  CHECK(warning.results.front().status == Status::kWarn);
  CHECK(warning.overall() == Status::kWarn);

  BudgetEvaluation none = evaluation;
  add_unused_results(none, {}, UnusedRule{true, 3});
  CHECK(none.overall() == Status::kOk);
}
