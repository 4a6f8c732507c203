#include "cli/completion_scripts.hpp"

#include <fmt/format.h>

namespace pkgsizer::cli {
namespace {

// One word for sh (bash and zsh): single quotes, each ' written as '\''.
std::string sh_quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// One word for fish: in single quotes only \ and ' are special.
std::string fish_quote(const std::string& text) {
  std::string quoted = "'";
  for (const char c : text) {
    if (c == '\\' || c == '\'') quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

// The first line of a description (fish and zsh show one line per candidate).
std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

std::vector<std::string> option_words(const OptionSpec& option) {
  std::vector<std::string> words;
  for (const auto& name : option.short_names) words.push_back("-" + name);
  for (const auto& name : option.long_names) words.push_back("--" + name);
  return words;
}

// The case pattern that matches a known subcommand path: "/track|/track/snapshot|...".
std::string subcommand_pattern(const std::vector<CommandSpec>& commands) {
  std::vector<std::string> keys;
  for (const CommandSpec& command : commands)
    if (!command.path.empty()) keys.push_back(sh_quote(command_key(command.path)));
  return fmt::format("{}", fmt::join(keys, "|"));
}

// The environment options that choose where complete-names looks: the same ones as scanning.
constexpr const char* kEnvironmentOptions = "--venv|--python|--site-packages";

// The body shared by bash and zsh: both run these case statements with the same words.
// `cmd_path` (not `path`: zsh ties that to $PATH) is computed from the words before the cursor;
// `reply_words`, `reply_files` and `reply_names` are defined per shell.
std::string sh_dispatch(const std::vector<CommandSpec>& commands) {
  std::string out = "  case \"$cmd_path $prev\" in\n";
  for (const CommandSpec& command : commands) {
    const std::string key = command_key(command.path);
    for (const OptionSpec& option : command.options) {
      if (!option.positional_name.empty() || option.value == ValueKind::kNone) continue;
      std::vector<std::string> patterns;
      for (const auto& word : option_words(option)) patterns.push_back(sh_quote(key + " " + word));
      const std::string pattern = fmt::format("{}", fmt::join(patterns, "|"));
      if (option.value == ValueKind::kChoice)
        out += fmt::format("    {}) _pkgsizer_reply_words {}; return ;;\n", pattern,
                           sh_quote(fmt::format("{}", fmt::join(option.words, " "))));
      else if (option.value == ValueKind::kPackage)
        out += fmt::format("    {}) _pkgsizer_reply_names; return ;;\n", pattern);
      else
        out += fmt::format("    {}) _pkgsizer_reply_files; return ;;\n", pattern);
    }
  }
  out += "  esac\n  case \"$cmd_path\" in\n";
  for (const CommandSpec& command : commands) {
    std::vector<std::string> option_list;
    std::string positional;  // what a word that is not an option completes to
    for (const OptionSpec& option : command.options) {
      if (option.positional_name.empty()) {
        for (auto& word : option_words(option)) option_list.push_back(std::move(word));
      } else if (positional.empty()) {
        positional = option.value == ValueKind::kPackage ? "_pkgsizer_reply_names"
                     : option.value == ValueKind::kChoice
                         ? "_pkgsizer_reply_words " +
                               sh_quote(fmt::format("{}", fmt::join(option.words, " ")))
                         : "_pkgsizer_reply_files";
      }
    }
    if (!command.subcommands.empty())
      positional = "_pkgsizer_reply_words " +
                   sh_quote(fmt::format("{}", fmt::join(command.subcommands, " ")));
    out += fmt::format("    {})\n", sh_quote(command_key(command.path)));
    out += fmt::format("      if [[ $cur == -* ]]; then _pkgsizer_reply_words {}; ",
                       sh_quote(fmt::format("{}", fmt::join(option_list, " "))));
    out += positional.empty() ? "fi ;;\n" : fmt::format("else {}; fi ;;\n", positional);
  }
  out += "  esac\n";
  return out;
}

// Walks the words before the cursor: each that names a subcommand of the path so far extends
// it; the values of the environment options are kept for complete-names.
std::string sh_path_walk(const std::vector<CommandSpec>& commands, const char* first_index,
                         const char* words_array) {
  return fmt::format(
      "  local cmd_path='' word i env_args=()\n"
      "  for ((i = {1}; i < cword; i++)); do\n"
      "    word=${{{2}[i]}}\n"
      "    case \"$cmd_path/$word\" in\n"
      "      {0}) cmd_path=\"$cmd_path/$word\" ;;\n"
      "    esac\n"
      "    case \"$word\" in\n"
      "      {3}) env_args+=(\"$word\" \"${{{2}[i + 1]}}\") ;;\n"
      "    esac\n"
      "  done\n",
      subcommand_pattern(commands), first_index, words_array, kEnvironmentOptions);
}

}  // namespace

std::string bash_completion(const std::vector<CommandSpec>& commands) {
  std::string out =
      "# bash completion for pkgsizer (generated by `pkgsizer completion bash`: the same option\n"
      "# definitions the command line parses). Source it, or install it as\n"
      "# /usr/share/bash-completion/completions/pkgsizer.\n"
      "_pkgsizer_reply_words() {\n"
      "  local IFS=$' \\t\\n'\n"
      "  COMPREPLY=($(compgen -W \"$1\" -- \"$cur\"))\n"
      "}\n"
      "_pkgsizer_reply_files() {\n"
      "  compopt -o filenames 2>/dev/null\n"
      "  COMPREPLY=($(compgen -f -- \"$cur\"))\n"
      "}\n"
      "_pkgsizer_reply_names() {\n"
      "  _pkgsizer_reply_words \"$(\"$pkgsizer\" complete-names \"${env_args[@]}\" 2>/dev/null)\"\n"
      "}\n"
      "_pkgsizer() {\n"
      "  local cword=$COMP_CWORD cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
      "  local pkgsizer=${COMP_WORDS[0]}\n"
      "  COMPREPLY=()\n";
  out += sh_path_walk(commands, "1", "COMP_WORDS");
  out += sh_dispatch(commands);
  out += "}\ncomplete -F _pkgsizer pkgsizer\n";
  return out;
}

std::string zsh_completion(const std::vector<CommandSpec>& commands) {
  std::string out =
      "#compdef pkgsizer\n"
      "# zsh completion for pkgsizer (generated by `pkgsizer completion zsh`: the same option\n"
      "# definitions the command line parses). Install it as _pkgsizer in a directory of $fpath.\n"
      "_pkgsizer_reply_words() {\n"
      "  local -a candidates\n"
      "  candidates=(${=1})\n"
      "  compadd -- $candidates\n"
      "}\n"
      "_pkgsizer_reply_files() { _files }\n"
      "_pkgsizer_reply_names() {\n"
      "  _pkgsizer_reply_words \"$(${~pkgsizer} complete-names \"${env_args[@]}\" 2>/dev/null)\"\n"
      "}\n"
      "_pkgsizer() {\n"
      "  # zsh arrays start at 1: words[1] is pkgsizer, words[CURRENT] the word being completed.\n"
      "  local cword=$CURRENT cur=${words[CURRENT]} prev=${words[CURRENT - 1]}\n"
      "  local pkgsizer=${words[1]}\n";
  out += sh_path_walk(commands, "2", "words");
  out += sh_dispatch(commands);
  // Autoloaded from $fpath (the #compdef line), this file is the body of _pkgsizer: it has
  // just redefined _pkgsizer, which then completes; sourced, it registers the function.
  out +=
      "}\n"
      "if [[ ${funcstack[1]} == _pkgsizer ]]; then\n"
      "  _pkgsizer \"$@\"\n"
      "else\n"
      "  compdef _pkgsizer pkgsizer\n"
      "fi\n";
  return out;
}

std::string fish_completion(const std::vector<CommandSpec>& commands) {
  std::string known;
  for (const CommandSpec& command : commands)
    if (!command.path.empty()) known += " " + fish_quote(command_key(command.path));
  std::string out = fmt::format(
      "# fish completion for pkgsizer (generated by `pkgsizer completion fish`: the same option\n"
      "# definitions the command line parses). Install it as completions/pkgsizer.fish.\n"
      "function __pkgsizer_path --description 'True when the subcommand path is $argv[1]'\n"
      "    set -l path ''\n"
      "    for word in (commandline -opc)[2..-1]\n"
      "        if contains -- \"$path/$word\"{}\n"
      "            set path \"$path/$word\"\n"
      "        end\n"
      "    end\n"
      "    test \"$path\" = \"$argv[1]\"\n"
      "end\n"
      "function __pkgsizer_names --description 'Installed distributions of the environment'\n"
      "    set -l words (commandline -opc)\n"
      "    set -l env_args\n"
      "    for i in (seq 2 (count $words))\n"
      "        if contains -- $words[$i] {}; and test $i -lt (count $words)\n"
      "            set -a env_args $words[$i] $words[(math $i + 1)]\n"
      "        end\n"
      "    end\n"
      "    $words[1] complete-names $env_args 2>/dev/null\n"
      "end\n"
      "complete -c pkgsizer -f\n",
      known, "--venv --python --site-packages");
  for (const CommandSpec& command : commands) {
    const std::string condition =
        "-n " + fish_quote("__pkgsizer_path " + fish_quote(command_key(command.path)));
    for (std::size_t i = 0; i < command.subcommands.size(); ++i) {
      const CommandSpec* child = nullptr;
      for (const CommandSpec& candidate : commands)
        if (candidate.path.size() == command.path.size() + 1 &&
            candidate.path.back() == command.subcommands[i] &&
            std::equal(command.path.begin(), command.path.end(), candidate.path.begin()))
          child = &candidate;
      out += fmt::format("complete -c pkgsizer {} -a {} -d {}\n", condition,
                         fish_quote(command.subcommands[i]),
                         fish_quote(child ? first_line(child->description) : ""));
    }
    for (const OptionSpec& option : command.options) {
      std::string value;
      switch (option.value) {
        case ValueKind::kNone:
          break;
        case ValueKind::kChoice:
          value = " -x -a " + fish_quote(fmt::format("{}", fmt::join(option.words, " ")));
          break;
        case ValueKind::kPackage:
          value = " -x -a '(__pkgsizer_names)'";
          break;
        case ValueKind::kAny:
          value = " -r -F";
          break;
      }
      if (!option.positional_name.empty()) {
        // A positional argument: offered where no option is being typed.
        if (option.value == ValueKind::kPackage || option.value == ValueKind::kChoice)
          out += fmt::format("complete -c pkgsizer {}{}\n", condition,
                             value.substr(std::string(" -x").size()));
        else
          out += fmt::format("complete -c pkgsizer {} -F\n", condition);
        continue;
      }
      std::string names;
      for (const auto& name : option.short_names) names += " -s " + fish_quote(name);
      for (const auto& name : option.long_names) names += " -l " + fish_quote(name);
      out += fmt::format("complete -c pkgsizer {}{}{} -d {}\n", condition, names, value,
                         fish_quote(first_line(option.description)));
    }
  }
  return out;
}

}  // namespace pkgsizer::cli
