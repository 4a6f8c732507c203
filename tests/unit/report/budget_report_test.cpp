#include "report/budget_report.hpp"

#include <catch2/catch.hpp>

using namespace pkgsizer;
using namespace pkgsizer::budget;

namespace {

BudgetEvaluation sample() {
  BudgetEvaluation evaluation;
  evaluation.config_file = "pkgsizer.toml";
  evaluation.environment = "/venv";
  evaluation.total_bytes = 470000000;
  evaluation.distribution_count = 3;
  RuleResult torch;
  torch.rule = Rule::kPackage;
  torch.subject = "torch";
  torch.version = "2.3.0";
  torch.status = Status::kFail;
  torch.used_bytes = 2310000000;
  torch.limit_bytes = 2000000000;
  torch.percent = 115.5;
  torch.config_line = 7;
  RuleResult total;
  total.rule = Rule::kTotal;
  total.status = Status::kWarn;
  total.used_bytes = 470000000;
  total.limit_bytes = 500000000;
  total.percent = 94.0;
  total.config_line = 2;
  RuleResult odd;
  odd.rule = Rule::kPackage;
  odd.subject = "a<b>&\"c\"";
  odd.installed = false;
  odd.limit_bytes = 1000;
  evaluation.results = {torch, total, odd};
  evaluation.notes = {"max_increase not checked: no baseline"};
  return evaluation;
}

}  // namespace

TEST_CASE("rules are described in one sentence") {
  const BudgetEvaluation evaluation = sample();
  CHECK(report::describe_budget_rule(evaluation.results[0], SizeUnits::kDecimal) ==
        "torch 2.3.0 uses 2.31 GB, over its budget of 2.00 GB (115.5%).");
  CHECK(report::describe_budget_rule(evaluation.results[1], SizeUnits::kDecimal) ==
        "The environment uses 470 MB, 94.0% of its total budget of 500 MB.");
  CHECK(report::describe_budget_rule(evaluation.results[2], SizeUnits::kDecimal) ==
        "a<b>&\"c\" is not installed (budget 1.00 kB).");
  RuleResult increase;
  increase.rule = Rule::kIncrease;
  increase.baseline_bytes = 100000000;
  increase.current_bytes = 90000000;
  increase.limit_bytes = 10000000;
  increase.limit_percent = 10.0;
  CHECK(report::describe_budget_rule(increase, SizeUnits::kDecimal) ==
        "The environment shrank by 10.0 MB since the baseline (100 MB → 90.0 MB), within the "
        "allowed increase (10% "
        "of the baseline) of 10.0 MB (0.0%).");
}

TEST_CASE("the text table has an icon per rule and a verdict") {
  const std::string text = report::render_budget_text(sample(), report::RenderOptions{});
  CHECK(text.find("Budget pkgsizer.toml for /venv (warn at 90%)") == 0);
  CHECK(text.find("❌  package  torch") != std::string::npos);
  CHECK(text.find("⚠️  total    environment") != std::string::npos);
  CHECK(text.find("not installed") != std::string::npos);
  CHECK(text.find("❌ Over budget: 1 failed, 1 near the limit, 1 within.") != std::string::npos);
  CHECK(text.find("note: max_increase not checked") != std::string::npos);
  CHECK(text.find("\x1b[") == std::string::npos);
  report::RenderOptions colour;
  colour.color = true;
  CHECK(report::render_budget_text(sample(), colour).find("\x1b[1;31m❌ Over budget") !=
        std::string::npos);
}

TEST_CASE("GitHub annotations escape their properties and data") {
  const std::string github = report::render_budget_github(sample(), report::RenderOptions{});
  CHECK(github.find("::error file=pkgsizer.toml,line=7,title=Over budget%3A torch::torch 2.3.0 "
                    "uses 2.31 GB, over its "
                    "budget of 2.00 GB (115.5%25).\n") == 0);
  CHECK(github.find("::warning file=pkgsizer.toml,line=2,title=Near budget%3A total::") !=
        std::string::npos);
  CHECK(github.find("::notice title=pkgsizer budget::max_increase not checked") !=
        std::string::npos);
  CHECK(github.find("Budget pkgsizer.toml for /venv") !=
        std::string::npos);  // the table, for the log
  BudgetEvaluation absolute = sample();
  absolute.config_file = "/elsewhere/pkgsizer.toml";
  CHECK(report::render_budget_github(absolute, report::RenderOptions{})
            .find("::error title=Over budget%3A torch::") == 0);
}

TEST_CASE("JUnit XML has one testcase per rule and escapes names") {
  const std::string xml = report::render_budget_junit(sample(), report::RenderOptions{});
  CHECK(xml.find("<testsuite name=\"pkgsizer budget\" tests=\"3\" failures=\"1\"") !=
        std::string::npos);
  CHECK(xml.find("<testcase classname=\"pkgsizer.budget.package\" name=\"package: torch\"") !=
        std::string::npos);
  CHECK(xml.find("<failure type=\"budget\" message=\"torch 2.3.0 uses 2.31 GB, over its budget of "
                 "2.00 GB (115.5%).\">") != std::string::npos);
  CHECK(xml.find("<system-out>warning: The environment uses 470 MB") != std::string::npos);
  CHECK(xml.find("name=\"package: a&lt;b&gt;&amp;&quot;c&quot;\"") != std::string::npos);
  CHECK(xml.find("a<b>") == std::string::npos);
}

TEST_CASE("Markdown and JSON carry the same results") {
  const std::string markdown = report::render_budget_markdown(sample(), report::RenderOptions{});
  CHECK(markdown.find("### ❌ pkgsizer budget: over budget\n") == 0);
  CHECK(markdown.find("| ❌ | package | `torch` | 2.31 GB | 2.00 GB | 115.5% | 2.3.0 |") !=
        std::string::npos);
  const nlohmann::ordered_json json = report::budget_to_json(sample());
  CHECK(json["schema_version"] == 1);
  CHECK(json["status"] == "fail");
  CHECK(json["counts"]["warn"] == 1);
  REQUIRE(json["rules"].size() == 3);
  CHECK(json["rules"][0]["subject"] == "torch");
  CHECK(json["rules"][0]["percent"] == 115.5);
  CHECK(json["rules"][0]["config_line"] == 7);
  CHECK(json["rules"][2]["installed"] == false);
  CHECK(json["notes"].size() == 1);
}

TEST_CASE("an incomplete check never says within budget, in any format") {
  BudgetEvaluation evaluation = sample();
  evaluation.results.erase(evaluation.results.begin());  // no failure left: torch
  evaluation.results[0].status = Status::kOk;
  evaluation.unknown = {"onlysdist 1.0: size unknown until built"};
  const std::string text = report::render_budget_text(evaluation, report::RenderOptions{});
  CHECK(text.find("Incomplete: 1 unknown size not counted") != std::string::npos);
  CHECK(text.find("unknown: onlysdist 1.0") != std::string::npos);
  CHECK(text.find("Within budget") == std::string::npos);
  const std::string markdown = report::render_budget_markdown(evaluation, report::RenderOptions{});
  CHECK(markdown.find("pkgsizer budget: incomplete") != std::string::npos);
  CHECK(markdown.find("within budget") == std::string::npos);
  CHECK(report::budget_to_json(evaluation)["status"] == "incomplete");
  CHECK(report::render_budget_github(evaluation, report::RenderOptions{})
            .find("::error title=Budget incomplete::") != std::string::npos);
  CHECK(report::render_budget_junit(evaluation, report::RenderOptions{})
            .find("<failure type=\"incomplete\"") != std::string::npos);
  evaluation.unknown_allowed = true;
  CHECK(report::budget_to_json(evaluation)["status"] == "ok");
  CHECK(report::render_budget_text(evaluation, report::RenderOptions{})
            .find("(1 unknown size not counted: --allow-unknown)") != std::string::npos);
}

TEST_CASE("an unused distribution is a result in every format") {
  BudgetEvaluation evaluation = sample();
  add_unused_results(
      evaluation,
      {{"deadpkg is not used", {"deadpkg", "deaddep"}, 12000, "pip uninstall -y deadpkg deaddep"}},
      UnusedRule{true, 4});
  const RuleResult* unused = nullptr;
  for (const RuleResult& result : evaluation.results)
    if (result.rule == Rule::kUnused) unused = &result;
  REQUIRE(unused != nullptr);
  CHECK(report::describe_budget_rule(*unused, SizeUnits::kDecimal) ==
        "deadpkg is not used: removing deadpkg, deaddep saves 12.0 kB (pip uninstall -y deadpkg "
        "deaddep).");
  const auto json = report::budget_to_json(evaluation);
  bool found = false;
  for (const auto& rule : json.at("rules"))
    if (rule.at("rule") == "unused") {
      found = true;
      CHECK(rule.at("subject") == "deadpkg");
      CHECK(rule.at("status") == "fail");
      CHECK(rule.at("used_bytes") == 12000);
      CHECK(rule.at("limit_bytes") == 0);
      CHECK(rule.at("percent").is_null());
      CHECK(rule.at("config_line") == 4);
      CHECK(rule.at("distributions").get<std::vector<std::string>>() ==
            std::vector<std::string>{"deadpkg", "deaddep"});
      CHECK(rule.at("action") == "pip uninstall -y deadpkg deaddep");
    }
  CHECK(found);
  report::RenderOptions options;
  const std::string github = report::render_budget_github(evaluation, options);
  CHECK(github.find(
            "::error file=pkgsizer.toml,line=4,title=Unused%3A deadpkg::deadpkg is not used") !=
        std::string::npos);
  const std::string junit = report::render_budget_junit(evaluation, options);
  CHECK(junit.find("name=\"unused: deadpkg\"") != std::string::npos);
  CHECK(junit.find("<failure type=\"unused\"") != std::string::npos);
  const std::string markdown = report::render_budget_markdown(evaluation, options);
  CHECK(markdown.find("| ❌ | unused | `deadpkg` | 12.0 kB | — | — | deadpkg is not used |") !=
        std::string::npos);
  const std::string text = report::render_budget_text(evaluation, options);
  CHECK(text.find("unused") != std::string::npos);
  CHECK(text.find("deadpkg is not used") != std::string::npos);
}
