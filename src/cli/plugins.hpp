// git-style external commands: `pkgsizer NAME ARGS...` runs the executable `pkgsizer-NAME` found
// on PATH, then in $XDG_DATA_HOME/pkgsizer/plugins (~/.local/share/pkgsizer/plugins), when NAME
// is no built-in command. The contract a plugin can rely on (arguments, environment variables,
// the scan JSON on stdin with --with-scan, the exit code) is docs/plugins.md, version
// kPluginApiVersion.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pkgsizer::cli {

// PKGSIZER_PLUGIN_API: raised when a plugin written for the previous version could break.
inline constexpr int kPluginApiVersion = 1;

struct FoundPlugin {
  std::string name;  // "hello" for pkgsizer-hello
  std::string path;
  bool shadowed = false;  // an earlier directory holds a plugin of the same name: never run
};

// Every pkgsizer-* executable on PATH and in the plugin directory, in search order.
std::vector<FoundPlugin> find_plugins();

// When the command line names no built-in command but a plugin, runs the plugin in place of
// pkgsizer (exec: its exit code is pkgsizer's) and returns only when it cannot: the exit code
// to return then. std::nullopt: not a plugin call; CLI11 parses the command line as usual.
std::optional<int> run_plugin_if_named(CLI::App& app, int argc, char** argv);

// `pkgsizer plugins`: what find_plugins() finds, as a table or --json.
std::function<int()> register_plugins(CLI::App& app);

}  // namespace pkgsizer::cli
