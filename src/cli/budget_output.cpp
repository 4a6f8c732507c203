#include "cli/budget_output.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>

#include "budget/budget_check.hpp"
#include "budget/config_finder.hpp"
#include "cli/choice.hpp"
#include "cli/exit_codes.hpp"
#include "compare/snapshot.hpp"
#include "report/budget_report.hpp"
#include "store/history.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/home.hpp"
#include "util/json_text.hpp"
#include "util/read_file.hpp"
#include "util/text.hpp"

namespace pkgsizer::cli {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const std::string& path, std::string& error) {
  std::error_code status_error;
  if (fs::is_directory(path, status_error)) {
    error = "is a directory";
    return std::nullopt;
  }
  return read_text_file(path, kMaxInputFileBytes, &error);
}

// A budget found by walking up is shown relative to the current directory when it lies
// inside it ("pkgsizer.toml", which GitHub annotations can point at), else by its full path.
std::string shown_path(const fs::path& found) {
  std::error_code error;
  const fs::path cwd = fs::current_path(error);
  if (error) return found.string();
  const fs::path relative = found.lexically_relative(cwd);
  if (relative.empty() || *relative.begin() == "..") return found.string();
  return relative.string();
}

Scan load_baseline(const BudgetOutputOptions& options) {
  const std::string history_path =
      options.history_path.empty() ? store::history_path_from_environment() : options.history_path;
  return compare::load_baseline(options.baseline, history_path, "--baseline",
                                options.connect_timeout);
}

std::string render(const budget::BudgetEvaluation& evaluation, const BudgetOutputOptions& options) {
  switch (options.format) {
    case BudgetFormat::kJson:
      return dump_json(report::budget_to_json(evaluation), 2) + "\n";
    case BudgetFormat::kMarkdown:
      return report::render_budget_markdown(evaluation, options.render);
    case BudgetFormat::kGithub:
      return report::render_budget_github(evaluation, options.render);
    case BudgetFormat::kJunit:
      return report::render_budget_junit(evaluation, options.render);
    case BudgetFormat::kText:
      break;
  }
  return report::render_budget_text(evaluation, options.render);
}

// GitHub Actions shows what a step appends to the file named by $GITHUB_STEP_SUMMARY.
void append_step_summary(const std::string& path, const std::string& markdown) {
  std::ofstream file(path, std::ios::binary | std::ios::app);
  if (file) file << markdown << "\n";
  // The stream buffers: a full disk (/dev/full) is told only when the bytes leave it.
  if (file) file.close();
  if (!file)
    throw Error(ErrorCategory::kOutput, fmt::format("$GITHUB_STEP_SUMMARY {}: cannot write: {}",
                                                    path, std::strerror(errno)));
}

}  // namespace

void add_budget_format_option(CLI::App& command, BudgetFormat& format) {
  command
      .add_option(
          "--format", format,
          "Report as text (default), json, markdown, github (annotations and a job summary) "
          "or junit (XML)")
      ->transform(choice<BudgetFormat>({{"text", BudgetFormat::kText},
                                        {"json", BudgetFormat::kJson},
                                        {"markdown", BudgetFormat::kMarkdown},
                                        {"github", BudgetFormat::kGithub},
                                        {"junit", BudgetFormat::kJunit}}))
      ->type_name("text|json|markdown|github|junit")
      ->group("Output");
}

PreparedBudget prepare_budget(const BudgetOutputOptions& options) {
  std::string path = options.config_path;
  if (path.empty()) {
    std::error_code error;
    const fs::path cwd = fs::current_path(error);
    const std::optional<fs::path> found = error ? std::nullopt : budget::find_config(cwd);
    if (!found)
      throw Error(ErrorCategory::kUsage,
                  fmt::format("no budget: no pkgsizer.toml, or pyproject.toml with "
                              "[tool.pkgsizer], in {} or any directory above it (or name one "
                              "with --config FILE)",
                              error ? "." : cwd.string()));
    path = shown_path(*found);
  }
  std::string error;
  const std::optional<std::string> text = read_file(path, error);
  if (!text) throw Error(ErrorCategory::kUsage, fmt::format("{}: cannot read: {}", path, error));
  PreparedBudget prepared;
  prepared.config = budget::parse_budget_config(*text, path);  // budget::ConfigError: exit 2
  if (!options.baseline.empty()) prepared.baseline = load_baseline(options);
  return prepared;
}

// A limit on a package that is not installed holds trivially; when the name is one typo away
// from an installed one, the limit almost certainly meant that one.
void warn_of_absent_packages(const Scan& scan, const budget::BudgetEvaluation& evaluation) {
  std::vector<std::string> installed;
  for (const Distribution& dist : scan.distributions) installed.push_back(dist.name);
  for (const budget::RuleResult& result : evaluation.results) {
    if (result.rule != budget::Rule::kPackage || result.installed) continue;
    const auto suggestion = closest_match(result.subject, installed);
    fmt::print(stderr, "pkgsizer: warning: {}:{}: the budget names {}, which is not installed{}\n",
               evaluation.config_file, result.config_line, result.subject,
               suggestion ? fmt::format(" (did you mean {}?)", *suggestion) : "");
  }
}

int report_budget(const Scan& scan, const PreparedBudget& budget,
                  const BudgetOutputOptions& options,
                  const std::vector<budget::UnusedDistribution>& unused) {
  budget::BudgetEvaluation evaluation = budget::evaluate_budget(
      scan, budget.config, budget.baseline ? &*budget.baseline : nullptr, options.allow_unknown);
  if (budget.config.unused) budget::add_unused_results(evaluation, unused, *budget.config.unused);
  warn_of_absent_packages(scan, evaluation);
  return report_evaluation(evaluation, options);
}

int report_evaluation(const budget::BudgetEvaluation& evaluation,
                      const BudgetOutputOptions& options) {
  const std::string content = render(evaluation, options);
  if (options.to_stderr && options.output_path == "-")
    fmt::print(stderr, "{}", content);
  else
    write_output(options.output_path, content);
  const char* summary = std::getenv("GITHUB_STEP_SUMMARY");
  if (options.format == BudgetFormat::kGithub && summary && *summary)
    append_step_summary(summary, report::render_budget_markdown(evaluation, options.render));
  const bool failed = evaluation.overall() == budget::Status::kFail;
  if (failed && options.fail_on_exceed) return kExitThresholdExceeded;
  if (!evaluation.complete()) return options.fail_on_exceed ? kExitThresholdExceeded : kExitPartial;
  return kExitOk;
}

int run_budget_check(const Scan& scan, const BudgetOutputOptions& options) {
  return report_budget(scan, prepare_budget(options), options);
}

}  // namespace pkgsizer::cli
