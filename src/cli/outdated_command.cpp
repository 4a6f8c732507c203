#include "cli/outdated_command.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli/exit_codes.hpp"
#include "cli/output_options.hpp"
#include "cli/predict_options.hpp"
#include "cli/scan_runner.hpp"
#include "pkgsizer/scan.hpp"
#include "predict/outdated.hpp"
#include "report/diff_report.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"
#include "util/size_units.hpp"
#include "util/text.hpp"

namespace pkgsizer::cli {
namespace {

struct OutdatedOptions {
  ScanRequest request;
  PredictSourceOptions source;
  std::optional<std::string> json_path, markdown_path;
  SizeUnits units = SizeUnits::kDecimal;
  bool quiet = false;
};

constexpr const char* kExamples = R"(
Examples:
  pkgsizer outdated                              the active environment against PyPI
  pkgsizer outdated --venv .venv --json -        as JSON on stdout
  pkgsizer outdated --index-url https://mirror.example/simple --markdown report.md

Every installed distribution is looked up on the index; for those with a newer release, the
newest wheel for the environment's Python and platform is measured from its central directory
(HTTP Range requests, nothing is downloaded whole) as `predict` does, bytecode included.
Exit codes: 0 done (outdated or not), 2 bad options, 3 no environment or index unreachable.
)";

std::string size_or_unknown(const std::optional<std::uint64_t>& bytes, SizeUnits units) {
  return bytes ? format_size(*bytes, units) : "?";
}

std::string change_text(const predict::Upgrade& upgrade, SizeUnits units) {
  const std::optional<std::int64_t> change = upgrade.size_change();
  return change ? report::format_size_delta(*change, units) : "?";
}

std::int64_t known_total_change(const predict::OutdatedReport& report) {
  std::int64_t total = 0;
  for (const predict::Upgrade& upgrade : report.upgrades)
    if (const auto change = upgrade.size_change()) total += *change;
  return total;
}

std::string summary(const predict::OutdatedReport& report, SizeUnits units) {
  if (report.upgrades.empty())
    return fmt::format("All {} distributions are up to date.\n", report.checked);
  std::size_t unknown = 0;
  for (const predict::Upgrade& upgrade : report.upgrades) unknown += !upgrade.size_change();
  return fmt::format("{} of {} distributions have a newer version; upgrading them all: {}{}\n",
                     report.upgrades.size(), report.checked,
                     report::format_size_delta(known_total_change(report), units),
                     unknown ? fmt::format(" ({} of unknown size)", unknown) : "");
}

std::string render_text(const predict::OutdatedReport& report, SizeUnits units) {
  std::vector<std::vector<std::string>> rows{
      {"Package", "Installed", "Latest", "Size now", "After upgrade", "Change"}};
  for (const predict::Upgrade& upgrade : report.upgrades)
    rows.push_back({printable(upgrade.name), printable(upgrade.installed_version),
                    printable(upgrade.latest_version), format_size(upgrade.installed_bytes, units),
                    size_or_unknown(upgrade.upgraded_bytes, units), change_text(upgrade, units)});
  std::string text;
  if (!report.upgrades.empty()) {
    std::vector<std::size_t> widths(rows.front().size(), 0);
    for (const auto& row : rows)
      for (std::size_t i = 0; i < row.size(); ++i)
        widths[i] = std::max(widths[i], display_width(row[i]));
    for (const auto& row : rows) {
      std::string line;
      for (std::size_t i = 0; i < row.size(); ++i) {
        const std::string pad(widths[i] - display_width(row[i]), ' ');
        line += i < 3 ? row[i] + pad : pad + row[i];  // names left, sizes right
        if (i + 1 < row.size()) line += "  ";
      }
      text += line + "\n";
    }
    text += "\n";
  }
  return text + summary(report, units);
}

std::string render_markdown(const predict::OutdatedReport& report, SizeUnits units) {
  std::string text = "### Outdated distributions\n\n";
  if (!report.upgrades.empty()) {
    text += "| Package | Installed | Latest | Size now | After upgrade | Change |\n";
    text += "|---|---|---|--:|--:|--:|\n";
    for (const predict::Upgrade& upgrade : report.upgrades)
      text += fmt::format(
          "| {} | {} | {} | {} | {} | {} |\n", escape_markup_cell(upgrade.name),
          escape_markup_cell(upgrade.installed_version), escape_markup_cell(upgrade.latest_version),
          format_size(upgrade.installed_bytes, units),
          size_or_unknown(upgrade.upgraded_bytes, units), change_text(upgrade, units));
    text += "\n";
  }
  return text + summary(report, units);
}

nlohmann::ordered_json render_json(const predict::OutdatedReport& report,
                                   const Environment& environment) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  const auto optional = [](const auto& value) -> nlohmann::ordered_json {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
  };
  for (const predict::Upgrade& upgrade : report.upgrades)
    list.push_back({{"name", upgrade.name},
                    {"installed_version", upgrade.installed_version},
                    {"latest_version", upgrade.latest_version},
                    {"installed_bytes", upgrade.installed_bytes},
                    {"upgraded_bytes", optional(upgrade.upgraded_bytes)},
                    {"size_change_bytes", optional(upgrade.size_change())},
                    {"download_bytes", optional(upgrade.download_bytes)},
                    {"chosen_file", upgrade.chosen_file},
                    {"note", upgrade.note}});
  return {{"schema_version", 1},
          {"environment", environment.prefix.empty() && !environment.site_packages.empty()
                              ? environment.site_packages.front()
                              : environment.prefix},
          {"index_urls", report.index_urls},
          {"checked", report.checked},
          {"total_change_bytes", known_total_change(report)},
          {"outdated", list},
          {"skipped", report.skipped}};
}

int run_outdated(OutdatedOptions& options) {
  if ((options.json_path == "-") + (options.markdown_path == "-") > 1)
    throw Error(ErrorCategory::kUsage, "only one of --json and --markdown can write to stdout");
  // Offline, nothing newer can be found: every distribution would look up to date.
  if (options.source.offline)
    throw Error(ErrorCategory::kUsage, "outdated asks the index: it cannot run with --offline");
  ScanOutcome outcome = locate_and_scan(options.request, scan::ScanOptions{}, options.quiet);
  const Scan scan = scan::select_distributions_view(std::move(outcome.full), {});
  std::vector<predict::InstalledRelease> installed;
  for (const Distribution& distribution : scan.distributions)
    if (!distribution.editable && !distribution.inherited)
      installed.push_back(
          {distribution.name, distribution.version, distribution.size.apparent_bytes});

  target_from_environment(options.source, outcome.environment);
  default_target_from_interpreter(options.source, options.quiet);
  options.source.no_cache = options.request.cache.no_cache;
  options.source.no_deps = true;
  const predict::EnvironmentLookup lookup =
      [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    return value ? std::optional<std::string>(value) : std::nullopt;
  };
  predict::OutdatedReport report;
  try {
    report = predict::find_upgrades(installed, to_predict_options(options.source), lookup);
  } catch (const std::invalid_argument& error) {  // the target's values (wheel_tags, bytecode)
    throw Error(ErrorCategory::kUsage, error.what());
  }
  if (!options.quiet)
    for (const std::string& skipped : report.skipped)
      fmt::print(stderr, "pkgsizer: warning: not looked up: {}\n", printable(skipped));
  if (options.json_path)
    write_output(*options.json_path, dump_json(render_json(report, outcome.environment), 2) + "\n");
  if (options.markdown_path)
    write_output(*options.markdown_path, render_markdown(report, options.units));
  if (options.json_path != "-" && options.markdown_path != "-")
    write_output("-", render_text(report, options.units));
  return kExitOk;
}

}  // namespace

std::function<int()> register_outdated(CLI::App& app) {
  auto options = std::make_shared<OutdatedOptions>();
  CLI::App* command = app.add_subcommand(
      "outdated",
      "Installed distributions with a newer version on the index, and what upgrading costs");
  command->footer(kExamples);
  add_scan_options(*command, options->request);
  add_predict_options(*command, options->source, false);
  CLI::Option* json_option =
      add_optional_output(*command, "--json", "Write the list as JSON to FILE (or stdout)");
  CLI::Option* markdown_option =
      add_optional_output(*command, "--markdown", "Write a Markdown table to FILE (or stdout)");
  add_units_option(*command, options->units);
  command->add_flag("-q,--quiet", options->quiet, "No progress and no warnings on stderr")
      ->group("Output");
  return [=]() -> int {
    if (!command->parsed()) return -1;
    options->json_path = output_target(json_option);
    options->markdown_path = output_target(markdown_option);
    return run_outdated(*options);
  };
}

}  // namespace pkgsizer::cli
