#include "cli/option_values.hpp"

#include <cctype>
#include <string>

namespace pkgsizer::cli {
namespace {

std::string check_value(const std::string& value) {
  if (value.empty()) return "an empty value is not allowed";
  const bool negative_number =
      value.size() > 1 && std::isdigit(static_cast<unsigned char>(value[1])) != 0;
  if (value.size() > 1 && value.front() == '-' && !negative_number)
    return "'" + value + "' looks like an option, not a value (write ./" + value +
           " for a file of that name)";
  return "";
}

void add_checks(CLI::App& app, const CLI::Validator& validator) {
  for (CLI::Option* option : app.get_options()) {
    // Flags take no value; an optional value (--json [FILE]) may be left out, which CLI11
    // gives as an empty string; positionals never see option-like words.
    if (option->get_positional() || option->get_items_expected_min() < 1) continue;
    option->check(validator);
  }
  for (CLI::App* command : app.get_subcommands({})) add_checks(*command, validator);
}

}  // namespace

void check_option_values(CLI::App& app) {
  const CLI::Validator validator(check_value, "", "");
  add_checks(app, validator);
}

}  // namespace pkgsizer::cli
