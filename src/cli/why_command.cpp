#include "cli/why_command.hpp"

#include <fmt/format.h>

#include <memory>

#include "cli/exit_codes.hpp"
#include "cli/output_options.hpp"
#include "cli/scan_runner.hpp"
#include "cli/terminal.hpp"
#include "pkgsizer/graph.hpp"
#include "pkgsizer/scan.hpp"
#include "report/why_report.hpp"
#include "util/atomic_file.hpp"
#include "util/error.hpp"
#include "util/json_text.hpp"
#include "util/text.hpp"

namespace pkgsizer::cli {
namespace {

struct WhyOptions {
  ScanRequest request;
  std::string package;
  std::size_t max_paths = 10;
  ColorChoice color = ColorChoice::kAuto;
  SizeUnits units = SizeUnits::kDecimal;
};

constexpr const char* kExamples = R"(
Examples:
  pkgsizer why idna                  who pulls in idna, and can it go?
  pkgsizer why urllib3 --max-paths 50
  pkgsizer why numpy --venv .venv --json -
Exit codes: 0 answered, 2 usage, 3 no environment, 7 the distribution is not installed.
)";

// " (did you mean Pygments?)" when an installed distribution is one typo away from `name`.
std::string closest_installed(const std::vector<Distribution>& distributions,
                              const std::string& name) {
  std::vector<std::string> names;
  names.reserve(distributions.size());
  for (const Distribution& dist : distributions) names.push_back(dist.name);
  const auto suggestion = closest_match(name, names);
  return suggestion ? fmt::format(" (did you mean {}?)", *suggestion) : "";
}

int run_why(WhyOptions& options, const std::optional<std::string>& json_path) {
  scan::ScanOptions scan_options;
  ScanOutcome outcome = locate_and_scan(options.request, scan_options, false);
  const Environment& environment = outcome.environment;
  const Scan scan = scan::select_distributions_view(std::move(outcome.full), scan_options.filter);

  report::WhyAnswer answer;
  answer.target = graph::find_distribution(scan.distributions, options.package);
  if (answer.target == scan.distributions.size()) {
    fmt::print(stderr, "pkgsizer: error: {} is not installed in {}{}\n", options.package,
               environment.prefix.empty()
                   ? fmt::format("{}", fmt::join(environment.site_packages, ", "))
                   : environment.prefix,
               closest_installed(scan.distributions, options.package));
    return kExitNotInstalled;
  }
  answer.paths = graph::dependency_paths(scan.distributions, answer.target, options.max_paths);
  answer.freed = graph::removal_set(scan.distributions, answer.target);
  report::RenderOptions render;
  render.color = use_color(options.color);
  render.units = options.units;
  if (json_path)
    write_output(*json_path, dump_json(report::why_to_json(scan.distributions, answer), 2) + "\n");
  if (!json_path || *json_path != "-")
    write_output("-", report::render_why(scan.distributions, answer, render));
  return kExitOk;
}

}  // namespace

std::function<int()> register_why(CLI::App& app) {
  auto options = std::make_shared<WhyOptions>();
  CLI::App* command = app.add_subcommand(
      "why", "Why is a distribution installed, and what would removing it free?");
  command->footer(kExamples);
  command
      ->add_option("package", options->package,
                   "The distribution (any spelling: PyYAML, pyyaml, py_yaml)")
      ->required();
  add_scan_options(*command, options->request);
  command
      ->add_option("--max-paths", options->max_paths,
                   "Show at most N dependency paths (default 10)")
      ->type_name("N")
      ->check(CLI::Range(1, 100000));
  CLI::Option* json_option =
      command->add_option("--json", "Write the answer as JSON to FILE (or stdout)")
          ->expected(0, 1)
          ->type_name("[FILE|-]");
  add_color_option(*command, options->color);
  add_units_option(*command, options->units);
  return [=]() -> int {
    if (!command->parsed()) return -1;
    std::optional<std::string> json_path;
    if (json_option->count() > 0)
      json_path = json_option->results().empty() || json_option->results().front().empty()
                      ? "-"
                      : json_option->results().front();
    return run_why(*options, json_path);
  };
}

}  // namespace pkgsizer::cli
