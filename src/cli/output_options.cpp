#include "cli/output_options.hpp"

#include "cli/choice.hpp"

namespace pkgsizer::cli {

CLI::Option* add_optional_output(CLI::App& command, const std::string& name,
                                 const std::string& description) {
  return command.add_option(name, description)
      ->expected(0, 1)
      ->type_name("[FILE|-]")
      ->group("Output");
}

std::optional<std::string> output_target(const CLI::Option* option) {
  if (option->count() == 0) return std::nullopt;
  const auto& results = option->results();
  return results.empty() || results.front().empty() ? "-" : results.front();
}

void add_color_option(CLI::App& command, ColorChoice& color) {
  command
      .add_option("--color", color,
                  "Colour: auto (on a terminal, default), always, never; NO_COLOR wins")
      ->transform(choice<ColorChoice>({{"auto", ColorChoice::kAuto},
                                       {"always", ColorChoice::kAlways},
                                       {"never", ColorChoice::kNever}}))
      ->type_name("auto|always|never")
      ->group("Output");
}

void add_units_option(CLI::App& command, SizeUnits& units) {
  command
      .add_option("--units", units,
                  "Sizes in si units (kB, MB: powers of 1000, default) or iec (KiB, MiB)")
      ->transform(choice<SizeUnits>({{"si", SizeUnits::kDecimal}, {"iec", SizeUnits::kBinary}}))
      ->type_name("si|iec")
      ->group("Output");
}

}  // namespace pkgsizer::cli
