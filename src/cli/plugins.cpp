#include "cli/plugins.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/environment_options.hpp"
#include "cli/exit_codes.hpp"
#include "cli/scan_runner.hpp"
#include "pkgsizer/json.hpp"
#include "pkgsizer/version.hpp"
#include "util/dirs.hpp"
#include "util/error.hpp"
#include "util/home.hpp"
#include "util/json_text.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace pkgsizer::cli {
namespace {

constexpr std::string_view kPrefix = "pkgsizer-";

// A plugin name is a word of the kind a command is: no path, no option, no hidden file.
bool is_plugin_name(const std::string& name) {
  if (name.empty() || name.size() > 100 || name[0] == '-' || name[0] == '.') return false;
  for (const char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.'))
      return false;
  return true;
}

std::string plugin_directory() {
  return (fs::path(user_data_dir(std::getenv("XDG_DATA_HOME"), home_directory().c_str())) /
          "plugins")
      .string();
}

// The directories searched, in order: PATH's (an empty entry is the current directory, as for
// execvp, POSIX XBD 8.3), then the plugin directory.
std::vector<std::string> search_directories() {
  std::vector<std::string> directories;
  const char* path = std::getenv("PATH");
  const std::string_view entries = path != nullptr ? path : "";
  std::size_t start = 0;
  while (start <= entries.size()) {
    const std::size_t colon = std::min(entries.find(':', start), entries.size());
    const std::string_view entry = entries.substr(start, colon - start);
    directories.emplace_back(entry.empty() ? "." : entry);
    start = colon + 1;
  }
  directories.push_back(plugin_directory());
  return directories;
}

bool is_executable_file(const fs::path& path) {
  std::error_code error;
  return fs::is_regular_file(path, error) && ::access(path.c_str(), X_OK) == 0;
}

std::optional<std::string> find_plugin(const std::string& name) {
  for (const std::string& directory : search_directories()) {
    const fs::path candidate = fs::path(directory) / (std::string(kPrefix) + name);
    if (is_executable_file(candidate)) return candidate.string();
  }
  return std::nullopt;
}

bool is_builtin(CLI::App& app, const std::string& name) {
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    if (sub->check_name(name)) return true;
  return false;
}

// pkgsizer's own options for a plugin, before its name: `pkgsizer --with-scan --venv .venv
// NAME ARGS...` (as git's -C comes before the command), so that every word after NAME is the
// plugin's.
struct PluginCall {
  env::EnvironmentRequest environment;
  bool with_scan = false;
  bool environment_given = false;
  std::size_t name_index = 0;
};

// Reads the leading options; std::nullopt when a word is not one of them (--help, --version, a
// typo): CLI11 then answers as it does for any command line.
std::optional<PluginCall> read_plugin_options(int argc, char** argv) {
  PluginCall call;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    std::string word = argv[i];
    std::optional<std::string> value;
    if (const std::size_t equals = word.find('='); equals != std::string::npos) {
      value = word.substr(equals + 1);
      word.resize(equals);
    }
    if (word == "--with-scan" && !value) {
      call.with_scan = true;
      continue;
    }
    if (word == "--include-system-site-packages" && !value) {
      call.environment.include_system_site_packages = true;
      continue;
    }
    if (word != "--venv" && word != "--python" && word != "--site-packages") return std::nullopt;
    if (!value) {
      if (i + 1 >= argc) return std::nullopt;
      value = argv[++i];
    }
    call.environment_given = true;
    if (word == "--venv") call.environment.venv = *value;
    if (word == "--python") call.environment.python = *value;
    if (word == "--site-packages") call.environment.site_packages.push_back(*value);
  }
  if (i >= argc) return std::nullopt;
  call.name_index = static_cast<std::size_t>(i);
  return call;
}

void set_variable(const char* name, const std::string& value) { ::setenv(name, value.c_str(), 1); }

std::string own_executable() {
  std::error_code error;
  const fs::path self = fs::read_symlink("/proc/self/exe", error);
  return error ? std::string() : self.string();
}

// The environment a plugin gets, on top of pkgsizer's own (docs/plugins.md).
void export_plugin_variables(const std::string& name) {
  // Set below only when known: none may leak from a pkgsizer that started this one.
  for (const char* variable :
       {"PKGSIZER_ENV_KIND", "PKGSIZER_ENV_PREFIX", "PKGSIZER_PYTHON", "PKGSIZER_PYTHON_VERSION",
        "PKGSIZER_SITE_PACKAGES", "PKGSIZER_SCAN_ON_STDIN"})
    ::unsetenv(variable);
  set_variable("PKGSIZER_PLUGIN_API", std::to_string(kPluginApiVersion));
  set_variable("PKGSIZER_VERSION", std::string(kVersion));
  set_variable("PKGSIZER_PLUGIN_NAME", name);
  if (const std::string self = own_executable(); !self.empty()) set_variable("PKGSIZER_BIN", self);
}

void export_environment(const Environment& environment) {
  set_variable("PKGSIZER_ENV_KIND", std::string(to_string(environment.kind)));
  set_variable("PKGSIZER_ENV_PREFIX", environment.prefix);
  set_variable("PKGSIZER_PYTHON", environment.interpreter);
  set_variable("PKGSIZER_PYTHON_VERSION", environment.python_version);
  set_variable("PKGSIZER_SITE_PACKAGES",
               fmt::format("{}", fmt::join(environment.site_packages, ":")));
}

// The scan, as `scan-env --json` writes it, in an unlinked temporary file that becomes the
// plugin's stdin: a file, not a pipe, so that a plugin may read it twice or not at all.
int scan_to_stdin(const PluginCall& call) {
  ScanRequest request;
  request.environment = call.environment;
  ScanOutcome outcome = locate_and_scan(request, scan::ScanOptions{}, true);
  export_environment(outcome.environment);
  const Scan scan = scan::select_distributions_view(std::move(outcome.full), {});
  const std::string text = dump_json(model::scan_to_json(scan), 2) + "\n";
  std::FILE* file = std::tmpfile();
  if (file == nullptr || std::fwrite(text.data(), 1, text.size(), file) != text.size() ||
      std::fflush(file) != 0 || std::fseek(file, 0, SEEK_SET) != 0)
    throw Error(ErrorCategory::kOutput,
                fmt::format("cannot write the scan for the plugin: {}", std::strerror(errno)));
  return ::fileno(file);
}

}  // namespace

std::vector<FoundPlugin> find_plugins() {
  std::vector<FoundPlugin> plugins;
  std::set<std::string> seen;
  for (const std::string& directory : search_directories()) {
    std::error_code error;
    std::vector<FoundPlugin> here;
    for (const fs::directory_entry& entry : fs::directory_iterator(directory, error)) {
      const std::string file = entry.path().filename().string();
      if (file.rfind(kPrefix, 0) != 0 || !is_executable_file(entry.path())) continue;
      const std::string name = file.substr(kPrefix.size());
      if (is_plugin_name(name)) here.push_back({name, entry.path().string(), false});
    }
    std::sort(here.begin(), here.end(),
              [](const FoundPlugin& a, const FoundPlugin& b) { return a.name < b.name; });
    for (FoundPlugin& plugin : here) {
      plugin.shadowed = !seen.insert(plugin.name).second;
      plugins.push_back(std::move(plugin));
    }
  }
  return plugins;
}

namespace {

std::optional<int> run_plugin(CLI::App& app, int argc, char** argv) {
  const std::optional<PluginCall> call = read_plugin_options(argc, argv);
  if (!call) return std::nullopt;
  const std::string name = argv[call->name_index];
  if (is_builtin(app, name) || !is_plugin_name(name)) return std::nullopt;
  const std::optional<std::string> path = find_plugin(name);
  if (!path) {
    if (call->name_index == 1) return std::nullopt;  // a typo of a command: CLI11 suggests
    fmt::print(stderr,
               "pkgsizer: error: no plugin pkgsizer-{} on PATH or in {}\n"
               "Run 'pkgsizer plugins' to list the plugins found.\n",
               printable(name), printable(plugin_directory()));
    return kExitUsage;
  }
  export_plugin_variables(name);
  if (call->with_scan) {
    if (::dup2(scan_to_stdin(*call), STDIN_FILENO) < 0) return kExitInternal;
    set_variable("PKGSIZER_SCAN_ON_STDIN", "1");
  } else if (call->environment_given) {
    env::EnvironmentRequest request = call->environment;
    read_environment_variables(request);
    try {
      export_environment(env::locate_environment(request));
    } catch (const std::exception& error) {
      fmt::print(stderr, "pkgsizer: error: {}\n", printable(error.what()));
      return kExitEnvironment;
    }
  }
  std::vector<char*> args{const_cast<char*>(path->c_str())};
  for (int i = static_cast<int>(call->name_index) + 1; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  std::fflush(stdout);
  ::execv(path->c_str(), args.data());
  fmt::print(stderr, "pkgsizer: error: cannot run the plugin {}: {}\n", printable(*path),
             std::strerror(errno));
  return kExitEnvironment;
}

}  // namespace

std::optional<int> run_plugin_if_named(CLI::App& app, int argc, char** argv) {
  // Called before main's own error handling is in place: every failure is answered here.
  try {
    return run_plugin(app, argc, argv);
  } catch (const Error& error) {
    fmt::print(stderr, "pkgsizer: error: {}\n", printable(error.what()));
    return exit_code_for(error.category());
  } catch (const std::exception& error) {
    fmt::print(stderr, "pkgsizer: error: {}\n", printable(error.what()));
    return kExitInternal;
  }
}

std::function<int()> register_plugins(CLI::App& app) {
  CLI::App* command = app.add_subcommand(
      "plugins",
      "List the external commands found (pkgsizer-NAME on PATH or in the plugin directory)");
  auto json = std::make_shared<bool>(false);
  command->add_flag("--json", *json, "Write the list as JSON (docs/plugins.md)");
  command->footer(fmt::format(
      "A plugin is an executable pkgsizer-NAME on PATH or in {}; 'pkgsizer NAME ARGS...' runs it.\n"
      "See docs/plugins.md.",
      plugin_directory()));
  return [command, json]() -> int {
    if (!command->parsed()) return -1;
    const std::vector<FoundPlugin> plugins = find_plugins();
    if (*json) {
      nlohmann::json list = nlohmann::json::array();
      for (const FoundPlugin& plugin : plugins)
        list.push_back(
            {{"name", plugin.name}, {"path", plugin.path}, {"shadowed", plugin.shadowed}});
      const nlohmann::json document{{"plugin_api", kPluginApiVersion},
                                    {"plugin_directory", plugin_directory()},
                                    {"plugins", list}};
      fmt::print("{}\n", dump_json(document, 2));
      return kExitOk;
    }
    if (plugins.empty()) {
      fmt::print(stderr, "pkgsizer: no plugins found on PATH or in {}\n",
                 printable(plugin_directory()));
      return kExitOk;
    }
    std::size_t width = 0;
    for (const FoundPlugin& plugin : plugins) width = std::max(width, plugin.name.size());
    for (const FoundPlugin& plugin : plugins)
      fmt::print("{:<{}}  {}{}\n", printable(plugin.name), width, printable(plugin.path),
                 plugin.shadowed ? "  (shadowed: found earlier in the search)" : "");
    return kExitOk;
  };
}

}  // namespace pkgsizer::cli
