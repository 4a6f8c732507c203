#include "cli/parse_errors.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "cli/exit_codes.hpp"
#include "util/text.hpp"

namespace pkgsizer::cli {
namespace {

// Where the command line went: the deepest (sub)command named, and the first word after it
// that names no command of its own ("" when there is none).
struct CommandPosition {
  CLI::App* command;
  std::string command_path;      // "pkgsizer track"
  std::string subject() const {  // "track: ", or "" for pkgsizer itself
    const std::size_t space = command_path.find(' ');
    return space == std::string::npos ? "" : command_path.substr(space + 1) + ": ";
  }
  std::string stray_word;
  std::vector<std::string> option_words;  // "--jsno", "-x" given to `command`
};

std::vector<std::string> subcommand_names(CLI::App& command) {
  std::vector<std::string> names;
  for (CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

CLI::App* find_subcommand(CLI::App& command, const std::string& name) {
  for (CLI::App* sub : command.get_subcommands([](CLI::App*) { return true; }))
    if (sub->get_name() == name) return sub;
  return nullptr;
}

std::string option_name(const std::string& word) { return word.substr(0, word.find('=')); }

// Whether the option named by `word` takes the next word as its value.
bool takes_value(CLI::App& command, const std::string& word) {
  if (word.find('=') != std::string::npos) return false;
  const CLI::Option* option = command.get_option_no_throw(option_name(word));
  return option != nullptr && option->get_items_expected_min() > 0;
}

CommandPosition locate(CLI::App& app, int argc, char** argv) {
  CommandPosition position{&app, app.get_name(), "", {}};
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.size() > 1 && word[0] == '-' && word != "--") {
      position.option_words.push_back(word);
      if (takes_value(*position.command, word)) ++i;
      continue;
    }
    if (CLI::App* sub = find_subcommand(*position.command, word)) {
      position.command = sub;
      position.command_path += " " + word;
      position.option_words.clear();
    } else if (position.stray_word.empty() && !subcommand_names(*position.command).empty()) {
      position.stray_word = word;
    }
  }
  return position;
}

std::vector<std::string> option_names(CLI::App& command) {
  std::vector<std::string> names;
  for (CLI::App* app = &command; app != nullptr; app = app->get_parent())
    for (const CLI::Option* option : app->get_options()) {
      for (const std::string& name : option->get_lnames()) names.push_back("--" + name);
      for (const std::string& name : option->get_snames()) names.push_back("-" + name);
    }
  return names;
}

// The first option word that names no option of `command` (or of its parents).
std::string unknown_option(CLI::App& command, const std::vector<std::string>& words) {
  for (const std::string& word : words) {
    std::string name = option_name(word);
    bool known = false;
    for (CLI::App* app = &command; app != nullptr && !known; app = app->get_parent())
      known = app->get_option_no_throw(name) != nullptr;
    if (!known) return name;
  }
  return "";
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  if (word.size() <= 2) return "";  // one letter ("-x") is one edit from every other one
  const auto suggestion = closest_match(word, candidates);
  return suggestion ? fmt::format(" (did you mean {}?)", *suggestion) : "";
}

std::string explain(const CommandPosition& position, const CLI::ParseError& error) {
  CLI::App& command = *position.command;
  // CLI11 names its errors after the command, not the kind: tell the kinds apart by type.
  const bool required = dynamic_cast<const CLI::RequiredError*>(&error) != nullptr;
  if (required || dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    if (const std::string option = unknown_option(command, position.option_words); !option.empty())
      return fmt::format("{}unknown option {}{}", position.subject(), option,
                         did_you_mean(option, option_names(command)));
  }
  const std::vector<std::string> commands = subcommand_names(command);
  if (!commands.empty() && !position.stray_word.empty())
    return fmt::format("{}unknown command '{}'{}; the commands are {}", position.subject(),
                       position.stray_word, did_you_mean(position.stray_word, commands),
                       fmt::join(commands, ", "));
  if (!commands.empty() && required)
    return fmt::format("{} needs a command: {}", position.command_path, fmt::join(commands, ", "));
  return position.subject() + error.what();
}

}  // namespace

int report_parse_error(CLI::App& app, const CLI::ParseError& error, int argc, char** argv) {
  if (error.get_exit_code() == 0) {
    // --help and --version through stdout, which may spell symbols in ASCII (ascii_output.hpp).
    std::ostringstream out, err;
    const int code = app.exit(error, out, err);
    fmt::print(stdout, "{}", out.str());
    fmt::print(stderr, "{}", err.str());
    return code == 0 ? kExitOk : kExitUsage;
  }
  const CommandPosition position = locate(app, argc, argv);
  std::fflush(stdout);
  fmt::print(stderr, "pkgsizer: error: {}\nRun '{} --help' for its options.\n",
             explain(position, error), position.command_path);
  return kExitUsage;
}

}  // namespace pkgsizer::cli
