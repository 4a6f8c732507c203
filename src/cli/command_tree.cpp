#include "cli/command_tree.hpp"

#include <algorithm>

#include "cli/choice.hpp"

namespace pkgsizer::cli {
namespace {

// Options whose value names an installed distribution: completed from the environment.
bool names_a_package(const CLI::Option& option) {
  const auto& longs = option.get_lnames();
  const auto is_package_name = [](const std::string& name) {
    return name == "package" || name == "exclude";
  };
  if (std::any_of(longs.begin(), longs.end(), is_package_name)) return true;
  return option.get_positional() && option.get_name(true) == "package";
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> words;
  std::string::size_type start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const auto end = comma == std::string::npos ? text.size() : comma;
    if (end > start) words.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// The words of a choice() transform, from the validator's name (cli/choice.hpp).
std::vector<std::string> choice_words(const CLI::Option& option) {
  // CLI11 only offers the validators through a non-const accessor, by index until it throws.
  auto& mutable_option =
      const_cast<CLI::Option&>(option);  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  const std::string prefix = kChoiceValidatorPrefix;
  for (int index = 0;; ++index) {
    const CLI::Validator* validator = nullptr;
    try {
      validator = mutable_option.get_validator(index);
    } catch (const CLI::OptionNotFound&) {
      return {};
    }
    const std::string& name = validator->get_name();
    if (name.rfind(prefix, 0) == 0) return split_commas(name.substr(prefix.size()));
  }
}

OptionSpec describe_option(const CLI::Option& option) {
  OptionSpec spec;
  spec.short_names = option.get_snames();
  spec.long_names = option.get_lnames();
  if (option.get_positional()) spec.positional_name = option.get_name(true);
  spec.description = option.get_description();
  spec.type_name = option.get_type_name();
  if (option.get_items_expected_max() < 1 && !option.get_positional()) {
    spec.value = ValueKind::kNone;
  } else if (names_a_package(option)) {
    spec.value = ValueKind::kPackage;
  } else if (spec.words = choice_words(option); !spec.words.empty()) {
    spec.value = ValueKind::kChoice;
  } else {
    spec.value = ValueKind::kAny;
  }
  return spec;
}

void describe(const CLI::App& app, const std::vector<std::string>& path,
              std::vector<CommandSpec>& out) {
  CommandSpec spec;
  spec.path = path;
  spec.description = app.get_description();
  spec.footer = app.get_footer();
  const auto visible = [](const auto* item) { return !item->get_group().empty(); };
  std::vector<const CLI::App*> children = app.get_subcommands(visible);
  for (const CLI::App* child : children) spec.subcommands.push_back(child->get_name());
  std::vector<OptionSpec> positionals;
  for (const CLI::Option* option : app.get_options(visible)) {
    OptionSpec described = describe_option(*option);
    (described.positional_name.empty() ? spec.options : positionals)
        .push_back(std::move(described));
  }
  spec.options.insert(spec.options.end(), positionals.begin(), positionals.end());
  out.push_back(std::move(spec));
  for (const CLI::App* child : children) {
    std::vector<std::string> child_path = path;
    child_path.push_back(child->get_name());
    describe(*child, child_path, out);
  }
}

}  // namespace

std::vector<CommandSpec> describe_commands(const CLI::App& app) {
  std::vector<CommandSpec> commands;
  describe(app, {}, commands);
  return commands;
}

std::string command_key(const std::vector<std::string>& path) {
  std::string key;
  for (const std::string& word : path) key += "/" + word;
  return key;
}

}  // namespace pkgsizer::cli
