// [budget.import_time]: parsing (durations, names, errors with their place) and the check of
// measured medians against it.
#include <catch2/catch.hpp>

#include "budget/budget_config.hpp"
#include "budget/import_time_check.hpp"

using namespace pkgsizer::budget;

TEST_CASE("import_time budget: parsed with durations, PEP 503 names and lines") {
  const BudgetConfig config = parse_budget_config(
      "[budget.import_time]\n"
      "total = \"300ms\"\n"
      "per_distribution = \"1.5s\"\n"
      "[budget.import_time.distributions]\n"
      "Py_YAML = \"80ms\"\n"
      "[budget.import_time.modules]\n"
      "\"myapp.cli\" = \"250us\"\n",
      "pkgsizer.toml");
  REQUIRE(config.import_time);
  CHECK(config.import_time->total->microseconds == 300000);
  CHECK(config.import_time->total->line == 2);
  CHECK(config.import_time->per_distribution->microseconds == 1500000);
  REQUIRE(config.import_time->distributions.size() == 1);
  CHECK(config.import_time->distributions[0].normalized_name == "py-yaml");
  CHECK(config.import_time->distributions[0].line == 5);
  REQUIRE(config.import_time->modules.size() == 1);
  CHECK(config.import_time->modules[0].name == "myapp.cli");
  CHECK(config.import_time->modules[0].microseconds == 250);
}

TEST_CASE("import_time budget: errors name the place") {
  auto error_of = [](const char* text) {
    try {
      parse_budget_config(text, "pkgsizer.toml");
    } catch (const ConfigError& error) {
      return std::string(error.what());
    }
    return std::string();
  };
  CHECK(error_of("[budget.import_time]\ntotal = 300\n").find("pkgsizer.toml:2:") == 0);
  CHECK(error_of("[budget.import_time]\ntotal = \"300\"\n").find("expected a duration") !=
        std::string::npos);
  CHECK(error_of("[budget.import_time]\ntotl = \"3s\"\n").find("did you mean 'total'") !=
        std::string::npos);
  CHECK(error_of("[budget]\nimport_time = 5\n").find("must be a table") != std::string::npos);
}

TEST_CASE("import_time budget: medians against limits") {
  const BudgetConfig config = parse_budget_config(
      "[budget.import_time]\ntotal = \"300ms\"\nper_distribution = \"100ms\"\n"
      "[budget.import_time.distributions]\nrequests = \"50ms\"\nabsent = \"1ms\"\n"
      "[budget.import_time.modules]\n\"app.cli\" = \"200ms\"\n",
      "pkgsizer.toml");
  MeasuredImports measured;
  measured.target = "import app.cli";
  measured.interpreter = "/venv/bin/python";
  measured.runs = 5;
  measured.total_us = 280000;  // 93%: warns at the default 90%
  measured.distributions = {{"requests", "requests", "2.31", 60000},
                            {"idna", "idna", "3.4", 10000},
                            {"numpy", "numpy", "1.26", 150000}};
  measured.modules = {{"app.cli", 280000}, {"app", 280000}};
  const BudgetEvaluation evaluation = evaluate_import_time_budget(measured, config);
  CHECK(evaluation.import_time);
  CHECK(evaluation.overall() == Status::kFail);
  auto find = [&](Rule rule, const std::string& subject) {
    for (const RuleResult& result : evaluation.results)
      if (result.rule == rule && result.subject == subject) return result;
    FAIL("no result " << subject);
    return RuleResult{};
  };
  CHECK(find(Rule::kImportTotal, "").status == Status::kWarn);
  CHECK(find(Rule::kImportDistribution, "requests").status == Status::kFail);
  CHECK(find(Rule::kImportDistribution, "requests").version == "2.31");
  CHECK(find(Rule::kImportDistribution, "absent").installed == false);
  CHECK(find(Rule::kImportDistribution, "absent").status == Status::kOk);
  CHECK(find(Rule::kImportPerDistribution, "numpy").status == Status::kFail);
  CHECK(find(Rule::kImportPerDistribution, "idna").status == Status::kOk);
  // requests has its own limit: per_distribution does not judge it again.
  for (const RuleResult& result : evaluation.results)
    CHECK_FALSE((result.rule == Rule::kImportPerDistribution && result.subject == "requests"));
  CHECK(find(Rule::kImportModule, "app.cli").status == Status::kFail);
  CHECK(evaluation.results.front().status == Status::kFail);
  CHECK(evaluation.notes.front().find("medians of 5 runs") != std::string::npos);
  CHECK(std::string(rule_name(Rule::kImportModule)) == "import_time.modules");
}
