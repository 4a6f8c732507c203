#include "cli/lsp_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <mutex>

#include "cli/exit_codes.hpp"
#include "cli/predict_options.hpp"
#include "cli/scan_runner.hpp"
#include "lsp/server.hpp"
#include "util/error.hpp"

namespace pkgsizer::cli {
namespace {

struct LspOptions {
  PredictSourceOptions predict_source;
  CacheRequest cache;
  std::string log_file;
  bool stdio = true;
};

constexpr const char* kExamples = R"(
The server speaks LSP 3.17 on stdin/stdout; editors start it (docs/lsp.md):
  VS Code: the extension in editors/vscode/
  Neovim:  vim.lsp.start({ name = "pkgsizer", cmd = { "pkgsizer", "lsp" } })
  pkgsizer lsp --offline --log /tmp/pkgsizer-lsp.log
Exit codes: 0 after shutdown and exit, 1 when the client went away without them, 5 log not writable.
)";

int run_lsp(LspOptions& options) {
  std::FILE* log_stream = stderr;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> log_file(nullptr, &std::fclose);
  if (!options.log_file.empty()) {
    log_file.reset(std::fopen(options.log_file.c_str(), "a"));
    if (!log_file)
      throw Error(ErrorCategory::kOutput,
                  fmt::format("--log {}: cannot open for appending", options.log_file));
    log_stream = log_file.get();
  }
  std::mutex log_mutex;
  const lsp::Server::Logger log = [&](const std::string& line) {
    const std::lock_guard lock(log_mutex);
    fmt::print(log_stream, "pkgsizer lsp: {}\n", line);
    std::fflush(log_stream);
  };
  options.predict_source.no_cache = options.cache.no_cache;
  default_target_from_interpreter(options.predict_source, true);
  lsp::ServerOptions server;
  server.predict = to_predict_options(options.predict_source);
  if (!options.cache.no_cache) server.scan_cache_path = options.cache.path();
  if (const char* virtual_env = std::getenv("VIRTUAL_ENV")) server.virtual_env = virtual_env;
  return lsp::run_stdio(server, STDIN_FILENO, STDOUT_FILENO, log);
}

}  // namespace

std::function<int()> register_lsp(CLI::App& app) {
  auto options = std::make_shared<LspOptions>();
  CLI::App* command =
      app.add_subcommand("lsp", "Language server: sizes in the editor, at each requirement");
  command->footer(kExamples);
  command->add_flag("--stdio", options->stdio, "Talk over stdin/stdout (the only transport)");
  command->add_option("--log", options->log_file, "Append the log to FILE instead of stderr")
      ->type_name("FILE");
  add_predict_options(*command, options->predict_source, false);
  add_cache_options(*command, options->cache);
  return [=]() -> int {
    if (!command->parsed()) return -1;
    return run_lsp(*options);
  };
}

}  // namespace pkgsizer::cli
