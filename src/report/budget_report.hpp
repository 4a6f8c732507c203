// `check-budget` as text, JSON, Markdown, GitHub workflow commands and JUnit XML: views of a
// BudgetEvaluation (budget/budget_check.hpp). Every number comes from the evaluation.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "budget/budget_check.hpp"
#include "report/render_options.hpp"

namespace pkgsizer::report {

// One sentence a person can act on: "torch 2.3.0 uses 2.31 GB, over its budget of 2.00 GB
// (115.5%)." Used by the annotations, JUnit messages and the table's summary.
std::string describe_budget_rule(const budget::RuleResult& result, SizeUnits units);

// A header naming the budget file and environment, one row per rule with ✅/⚠️/❌, rule,
// subject, used, limit, use (%) and a note, then a summary line and the notes.
std::string render_budget_text(const budget::BudgetEvaluation& evaluation,
                               const RenderOptions& options);

// A heading with the verdict, a table, a summary: for a PR comment or $GITHUB_STEP_SUMMARY.
std::string render_budget_markdown(const budget::BudgetEvaluation& evaluation,
                                   const RenderOptions& options);

// schema_version 1: config, environment, status, counts, rules (worst first), notes.
nlohmann::ordered_json budget_to_json(const budget::BudgetEvaluation& evaluation);

// GitHub Actions workflow commands: "::error title=…::…" for each failed rule and
// "::warning title=…::…" for each warning (with file= and line= pointing into the budget file
// when its path is relative, i.e. inside the workspace), then the text table for the log.
std::string render_budget_github(const budget::BudgetEvaluation& evaluation,
                                 const RenderOptions& options);

// JUnit XML: <testsuites> holding one <testsuite name="pkgsizer budget">, one <testcase> per
// rule; a failed rule has a <failure>, a warning passes with its message in <system-out>.
std::string render_budget_junit(const budget::BudgetEvaluation& evaluation,
                                const RenderOptions& options);

}  // namespace pkgsizer::report
