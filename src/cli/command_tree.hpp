// The command line as data: every visible subcommand and option of the CLI::App tree, read
// from the same definitions that parse the arguments. Shell completions and the man page are
// generated from it (`pkgsizer completion bash|zsh|fish`, `pkgsizer man`), so they list
// exactly what the parser accepts.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace pkgsizer::cli {

// What the word after an option (or a positional argument) can be.
enum class ValueKind {
  kNone,     // a flag
  kChoice,   // one of `words`
  kPackage,  // an installed distribution's name (-p, --exclude, why PACKAGE)
  kAny,      // a file, a directory, a number: the shell's file completion
};

struct OptionSpec {
  std::vector<std::string> short_names;  // "p" for -p
  std::vector<std::string> long_names;   // "package" for --package
  std::string positional_name;           // non-empty for a positional argument
  std::string description;
  std::string type_name;  // "DIR", "size|files|name" (help's text)
  ValueKind value = ValueKind::kNone;
  std::vector<std::string> words;  // the choices of kChoice
};

struct CommandSpec {
  std::vector<std::string> path;  // {} for pkgsizer itself, {"track", "snapshot"}
  std::string description;
  std::string footer;
  std::vector<std::string> subcommands;  // visible ones, in definition order
  std::vector<OptionSpec> options;       // visible options, then positionals
};

// Every visible command, the root first, each followed by its subcommands (depth first).
// Hidden subcommands and options (an empty group) are left out.
std::vector<CommandSpec> describe_commands(const CLI::App& app);

// "/track/snapshot" for {"track", "snapshot"}; "" for the root. The key the generated scripts
// compare against.
std::string command_key(const std::vector<std::string>& path);

}  // namespace pkgsizer::cli
